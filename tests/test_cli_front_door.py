"""What a new user hits first (issue 13): a mistyped catalog, an output that is a folder, several files to lint,
-q everywhere, warnings under a progress bar, --target all, encoding an invalid document, an unknown OID."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl.worksheet.worksheet import Worksheet

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.generators.examples import example_documents
from sosmeta.generators.registry import discover
from sosmeta.sosmeta_import import load_any
from sosmeta.structures.model import Structure
from tests.cda_support import example_envelope
from tests.conftest import EXAMPLE, ROOT
from tests.test_excel_errors import edited, find

SOURCE = EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json"
ORG = EXAMPLE / "orgs" / "jarvimaa-lastensuojelu.toml"
OID = "1.2.246.537.6.1506.99001"


def run(*args: object) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "catalog"
    assert run("import", SOURCE, "--catalog", path).exit_code == 0
    return path


@pytest.fixture
def documents(tmp_path: Path, catalog: Path) -> dict[str, Path]:
    """A valid client document, an invalid one and an envelope for the example structure."""
    (structure,) = load_any(SOURCE)
    valid = example_documents(Catalog(catalog).resolve(OID), 1, 0)[0]
    (tmp_path / "doc.json").write_text(json.dumps(valid, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "bad.json").write_text(json.dumps({structure.document.key: {}}), encoding="utf-8")
    (tmp_path / "env.json").write_text(example_envelope(structure).model_dump_json(exclude_none=True), encoding="utf-8")
    return {"doc": tmp_path / "doc.json", "bad": tmp_path / "bad.json", "env": tmp_path / "env.json"}


# ---- 1: a catalog folder that is not one ------------------------------------------------------------------------
def not_catalogs(tmp_path: Path) -> list[Path]:
    empty, junk = tmp_path / "empty", tmp_path / "junk"
    empty.mkdir()
    junk.mkdir()
    (junk / "notes.txt").write_text("x", encoding="utf-8")
    return [tmp_path / "nonexistent", empty, junk]


@pytest.mark.parametrize(
    "command",
    [
        ["lint", "--strict"],
        ["list"],
        ["list", "--json"],
        ["show", OID],
        ["validate", "{doc}"],
        ["example", "--structure", OID],
        ["org", "check", str(ORG)],
        ["org", "new", OID],
        ["build", "--out", "{tmp}/out"],
        ["diff", OID],
        ["cda", "encode", "{doc}", "--envelope", "{env}", "--out", "{tmp}/x.xml"],
    ],
)
def test_a_folder_that_is_no_catalog_is_refused(command: list[str], tmp_path: Path, documents: dict[str, Path]) -> None:
    for folder in not_catalogs(tmp_path):
        args = [a.format(doc=documents["doc"], env=documents["env"], tmp=tmp_path) for a in command]
        result = run(*args, "--catalog", folder)
        assert result.exit_code == 2, (command, folder, result.output)
        (line,) = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert f"error: {folder}: not a catalog folder" in line, line


@pytest.mark.parametrize(
    "command",
    [
        ["codes", "list"],
        ["codes", "lint", "--strict"],
        ["codes", "show", "1.2.246.537.6.1221"],
        ["codes", "diff", "a", "b"],
    ],
)
def test_codes_refuse_a_missing_catalog_but_not_one_of_code_lists_alone(command: list[str], tmp_path: Path) -> None:
    missing = run("--lang", "en", *command, "--catalog", tmp_path / "nonexistent")
    assert missing.exit_code == 2 and f"error: {tmp_path / 'nonexistent'}: not a catalog folder" in missing.output
    (tmp_path / "lists").mkdir()
    listed = run("--lang", "en", *command, "--catalog", tmp_path / "lists")
    assert "not a catalog folder" not in listed.output, listed.output


def test_breaking_refuses_a_missing_catalog_but_not_an_empty_one(tmp_path: Path, catalog: Path) -> None:
    missing = run("breaking", "--catalog", tmp_path / "nope", "--against", catalog)
    assert missing.exit_code == 2 and "not a catalog folder" in missing.output
    (tmp_path / "empty").mkdir()
    removed = run("breaking", "--catalog", tmp_path / "empty", "--against", catalog, "--no-proof")
    assert removed.exit_code in (0, 1), removed.output  # every structure removed: a finding, not bad input


# ---- 4: an output that is a folder, or in a folder that does not exist --------------------------------------------
def test_an_output_file_that_is_a_folder_or_has_no_folder_is_one_located_error(
    tmp_path: Path, catalog: Path, documents: dict[str, Path]
) -> None:
    folder = tmp_path / "existing_dir"
    folder.mkdir()
    missing = tmp_path / "no" / "such" / "x.out"
    encode = ["cda", "encode", documents["doc"], "--envelope", documents["env"], "--catalog", catalog]
    for out in (folder, missing):
        result = run(*encode, "--out", out)
        assert result.exit_code == 2, result.output
        assert result.output.startswith(f"error: {out}: --out: ") and result.output.count("\n") == 1, result.output
    assert run(*encode, "--out", tmp_path / "doc.xml").exit_code == 0
    for command in (
        ["cda", "frame", tmp_path / "doc.xml", "--out", missing],
        ["cda", "frame", tmp_path / "doc.xml", "--package", missing],
        ["cda", "nullify", tmp_path / "doc.xml", "--reason", "2", "--catalog", catalog, "--out", missing],
        ["org", "new", OID, "--catalog", catalog, "-o", missing],
        ["diff", SOURCE, SOURCE, "-o", missing],
    ):
        result = run(*command)
        assert result.exit_code == 2 and f"error: {missing}: " in result.output, (command, result.output)
        assert not missing.parent.exists()
    bulk = ["cda", "encode", "--jsonl", documents["doc"], "--envelopes", documents["env"], "--catalog", catalog]
    result = run(*bulk, "--out", documents["doc"])  # bulk writes a folder: an existing file is refused
    assert result.exit_code == 2 and f"error: {documents['doc']}: --out: " in result.output
    result = run("build", "--catalog", catalog, "--out", documents["doc"])  # click's own check, also exit 2
    assert result.exit_code == 2 and str(documents["doc"]) in result.output


# ---- 7: lint reads every file, and folders ------------------------------------------------------------------------
def test_lint_reports_every_unreadable_file_and_exits_2_at_the_end(tmp_path: Path) -> None:
    bad1, bad2 = tmp_path / "bad1.json", tmp_path / "bad2.xlsx"
    bad1.write_text("{", encoding="utf-8")
    bad2.write_bytes(b"not a workbook")
    result = run("lint", SOURCE, bad1, bad2)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert any(str(bad1) in e for e in errors) and any(str(bad2) in e for e in errors), errors
    assert "1 structure, " in result.output and "2 files unreadable" in result.output


def test_lint_a_folder_lints_every_structure_file_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SOURCE, folder / "a.json")
    shutil.copy(SOURCE, folder / "sub" / "b.json")
    (folder / "README.txt").write_text("not a structure", encoding="utf-8")
    result = run("lint", folder)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("2 structures, ")


# ---- 8: -q on every command ---------------------------------------------------------------------------------------
def test_every_command_takes_q() -> None:
    def commands(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        found = []
        for name, command in getattr(group, "commands", {}).items():
            found += commands(command, (*prefix, name)) if hasattr(command, "commands") else [(*prefix, name)]
        return found

    every = commands(main)
    assert len(every) >= 17
    for command in every:
        result = run(*command, "--help")
        assert result.exit_code == 0 and "-q, --quiet" in result.output, command


def test_validate_q_prints_only_the_summary_of_an_all_valid_run(catalog: Path, documents: dict[str, Path]) -> None:
    result = run("validate", "-q", "--catalog", catalog, documents["doc"], documents["doc"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "2 documents checked in full mode: 2 valid"
    invalid = run("validate", "-q", "--catalog", catalog, documents["doc"], documents["bad"])
    assert invalid.exit_code == 1 and f"{documents['bad']}: INVALID" in invalid.output
    assert invalid.output.splitlines()[-1] == "2 documents checked in full mode: 1 valid, 1 invalid"


def test_import_q_after_the_command(tmp_path: Path, catalog: Path) -> None:
    result = run("import", SOURCE, "--catalog", catalog, "-q")
    assert result.exit_code == 0 and result.output == f"imported into {catalog}: 1 unchanged\n"


# ---- 11: import warnings on a terminal ------------------------------------------------------------------------
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def annotated_workbooks(tmp_path: Path, n: int) -> list[Path]:
    def annotate(ws: Worksheet) -> None:
        row, col = find(ws, "Kuvaus (fi)")
        ws.cell(row, col).value = "Huomiot"  # a column of one's own: a warning, not an error

    first = edited(tmp_path, annotate)
    paths = []
    for i in range(n):
        path = tmp_path / f"w{i}.xlsx"
        shutil.copy(first, path)
        paths.append(path)
    return paths


def terminal_output(args: list[str], cwd: Path) -> str:
    """Everything a command writes to a pseudo-terminal (its stdout and stderr both)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    controller, terminal = pty.openpty()
    command = [sys.executable, "-c", "import cli; cli.main()", *args]
    process = subprocess.Popen(command, stdin=terminal, stdout=terminal, stderr=terminal, cwd=cwd, env=env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the command closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait() == 0
    return b"".join(chunks).decode("utf-8", "replace")


def warning_lines(raw: str) -> list[str]:
    """The pieces of terminal output between line breaks and carriage returns that mention a warning."""
    plain = _ANSI.sub("", raw)
    return [piece for piece in re.split(r"[\r\n]", plain) if "[excel.extra_column]" in piece]


@pytest.mark.parametrize("how", ["pty", "script"])
def test_import_warnings_stand_on_their_own_lines_under_a_progress_bar(tmp_path: Path, how: str) -> None:
    files = annotated_workbooks(tmp_path, 4)
    args = ["import", *map(str, files), "--catalog", str(tmp_path / "catalog")]
    if how == "pty":
        raw = terminal_output(args, tmp_path)
    else:
        if shutil.which("script") is None:
            pytest.skip("no script(1)")
        line = " ".join([sys.executable, "-c", "'import cli; cli.main()'", *args])
        env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80", "TERM": "xterm"}
        done = subprocess.run(["script", "-qec", line, "/dev/null"], capture_output=True, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        raw = done.stdout.decode("utf-8", "replace")
    lines = warning_lines(raw)
    assert len(lines) == 4, raw  # one per workbook, none lost
    for line in lines:
        assert line.startswith("warning: "), repr(line)  # never glued to the bar


def test_the_progress_bar_and_its_warnings_speak_the_run_language(tmp_path: Path) -> None:
    files = annotated_workbooks(tmp_path, 2)
    raw = terminal_output(
        ["--lang", "sv", "import", *map(str, files), "--catalog", str(tmp_path / "catalog")], tmp_path
    )
    assert "importerar" in _ANSI.sub("", raw) and "importing" not in raw
    lines = warning_lines(raw)
    assert len(lines) == 2 and all("hör inte till layouten och ignoreras" in line for line in lines), lines


# ---- 13: --target all, --allow-invalid, an unknown OID, grammar -------------------------------------------------
def test_build_target_all_builds_every_target(tmp_path: Path, catalog: Path) -> None:
    result = run("build", "--catalog", catalog, "--out", tmp_path / "out", "--target", "all")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == sorted(discover())
    unknown = run("build", "--catalog", catalog, "--target", "nope")
    assert unknown.exit_code == 2 and "all" in unknown.output


def test_allow_invalid_says_how_many_findings_without_values(
    tmp_path: Path, catalog: Path, documents: dict[str, Path]
) -> None:
    encode = ["cda", "encode", documents["bad"], "--envelope", documents["env"], "--catalog", catalog]
    refused = run(*encode, "--out", tmp_path / "x.xml")
    assert refused.exit_code == 1
    findings = int(re.search(r"refused: (\d+) findings", refused.output).group(1))  # type: ignore[union-attr]
    result = CliRunner().invoke(main, [*map(str, encode), "--out", str(tmp_path / "x.xml"), "--allow-invalid"])
    assert result.exit_code == 0, result.output
    noun = "finding" if findings == 1 else "findings"
    assert f"warning: the document had {findings} error {noun}; encoded anyway (--allow-invalid)\n" in result.stderr
    assert "finding:" not in result.stderr  # the count only, no pointers or values


UNKNOWN_OID_COMMANDS = {
    "show": ["show", "{typo}"],
    "diff-one": ["diff", "{typo}"],
    "diff-two": ["diff", "{typo}@2020-01-01", "{wanted}"],
    "cda-encode": ["cda", "encode", "{doc}", "--envelope", "{doc}", "--structure", "{typo}", "--out", "{tmp}/x.xml"],
}


@pytest.mark.parametrize("command", UNKNOWN_OID_COMMANDS.values(), ids=UNKNOWN_OID_COMMANDS.keys())
def test_an_unknown_oid_names_the_nearest_few(
    tmp_path: Path, corpus_structures: list[Structure], command: list[str]
) -> None:
    store = Catalog(tmp_path / "catalog")
    for structure in corpus_structures:
        store.add(structure)
    bases = sorted({e.base_oid for e in store.entries()})
    assert len(bases) > 5
    wanted = bases[3]
    typo = next(t for t in (wanted + d for d in "0123456789") if t not in bases)
    (tmp_path / "doc.json").write_text("{}", encoding="utf-8")
    filled = [a.format(typo=typo, wanted=wanted, doc=tmp_path / "doc.json", tmp=tmp_path) for a in command]
    result = run("--lang", "en", *filled, "--catalog", store.root)
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    nearest = line.split("(nearest: ")[1].rstrip(")").split(", ")
    assert len(nearest) == 5 and wanted in nearest, line


def test_an_unknown_oid_is_told_in_the_run_language(tmp_path: Path, catalog: Path) -> None:
    result = run("--lang", "sv", "diff", OID + "9", "--catalog", catalog)
    assert result.exit_code == 2
    assert f"ingen struktur '{OID}9' i katalogen {catalog} (närmast: {OID})" in result.output


def test_counts_are_singular_for_one(catalog: Path) -> None:
    result = run("lint", "--catalog", catalog)
    assert "1 structures" not in result.output and result.output.splitlines()[-1].startswith("1 structure, ")
    assert not re.search(r"\b1 warnings\b", result.output)
    built = run("--lang", "en", "build", "--catalog", catalog, "--out", catalog.parent / "out", "--target", "excel")
    assert built.exit_code == 0 and re.search(r"^excel: 1 file in ", built.output, re.M), built.output
    assert not re.search(r"\b1 (files|errors|findings|signatures)\b", built.output)


def test_an_unterminated_string_is_located_without_a_dangling_at(tmp_path: Path) -> None:
    broken = tmp_path / "u.json"
    broken.write_text('{"a": "x', encoding="utf-8")
    result = run("lint", broken)
    assert result.exit_code == 2
    assert f"error: {broken}: line 1 column 7: not valid JSON: Unterminated string [json.syntax]" in result.output
    assert " at [" not in result.output and "at at" not in result.output
