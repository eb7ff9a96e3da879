"""One error contract: every read fault on every command is one located `error:` line and exit code 2.

Faults of the file itself (a symlink to /dev/zero, a FIFO, a read error, over-size; standard input that never
ends) run `sosmeta` in a child process bounded in time and memory; faults in content (deep nesting, huge
integers, non-finite numbers, lone surrogates, duplicate keys, strict TOML, a poisoned catalog) run it
in-process. Workbooks and write faults: test_hardening_faults.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from sosmeta.catalog import Catalog
from sosmeta.generators.examples import minimal_document
from sosmeta.safeio.reading import MAX_CONFIG_BYTES, MAX_DOCUMENT_BYTES, MAX_STRUCTURE_BYTES
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from tests.hostile_inputs import (
    BASE_OID,
    EXAMPLE_EXPORT,
    EXAMPLE_ORG,
    HUGE_INT,
    LONE_SURROGATE,
    assert_one_error,
    deep_json,
    deep_structure,
    eio_link,
    export_with,
    fifo,
    sosmeta,
    sosmeta_here,
    sparse,
    zero_link,
)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a catalog holding the example structure, the export, a valid document and the example
    organisation template."""
    root = tmp_path_factory.mktemp("errors")
    structure = load_structure(EXAMPLE_EXPORT)
    Catalog(root / "catalog").add(structure)
    shutil.copy(EXAMPLE_EXPORT, root / "good.json")
    (root / "doc.json").write_text(json.dumps(minimal_document(structure), ensure_ascii=False), encoding="utf-8")
    shutil.copy(EXAMPLE_ORG, root / "org.toml")
    return root


# ---- the file itself: devices, FIFOs, read errors, over-size (child processes) ------------------------------
_OUT = ["--out", "never.xml"]
# Each command reads the faulty file in its own role; `suffix` and `limit` are what that role reads.
COMMANDS: dict[str, tuple[str, int, Any]] = {
    "import": (".json", MAX_STRUCTURE_BYTES, lambda w, p: ["import", p, "--catalog", str(w / "c-import")]),
    "lint": (".json", MAX_STRUCTURE_BYTES, lambda w, p: ["lint", p]),
    "validate": (".json", MAX_DOCUMENT_BYTES, lambda w, p: ["validate", "--catalog", str(w / "catalog"), p]),
    "validate-jsonl": (
        ".jsonl",
        MAX_DOCUMENT_BYTES,  # streamed: the limit is one line's
        lambda w, p: ["validate", "--catalog", str(w / "catalog"), "--jsonl", p],
    ),
    "org-check": (".toml", MAX_CONFIG_BYTES, lambda w, p: ["org", "check", p, "--catalog", str(w / "catalog")]),
    "diff": (".json", MAX_STRUCTURE_BYTES, lambda w, p: ["diff", p, str(w / "good.json"), "--no-proof"]),
    "diff-renames": (
        ".toml",
        MAX_CONFIG_BYTES,
        lambda w, p: ["diff", str(w / "good.json"), str(w / "good.json"), "--no-proof", "--renames", p],
    ),
    "cda-encode-envelope": (
        ".json",
        MAX_DOCUMENT_BYTES,
        lambda w, p: ["cda", "encode", str(w / "doc.json"), "--envelope", p, "--catalog", str(w / "catalog"), *_OUT],
    ),
}
FAULTS = {
    "dev-zero": (zero_link, "file.not_regular", "not a regular file"),
    "fifo": (fifo, "file.not_regular", "not a regular file"),
    "read-error": (eio_link, "file.unreadable", "Input/output error"),
    "over-size": (None, "file.too_large", "byte limit"),
}


# JSON Lines stream from a FIFO or a pipe as from stdin (docs/validation.md), so a FIFO is no fault there.
FILE_FAULT_CASES = [(c, f) for c in COMMANDS for f in FAULTS if (c, f) != ("validate-jsonl", "fifo")]


@pytest.mark.parametrize(("command", "fault"), FILE_FAULT_CASES)
def test_a_file_that_cannot_be_read_is_one_error(ws: Path, tmp_path: Path, command: str, fault: str) -> None:
    suffix, limit, args = COMMANDS[command]
    make, code, words = FAULTS[fault]
    path = tmp_path / f"x{suffix}"
    if make is None:
        sparse(path, limit + 1)
    else:
        make(path)
    run = sosmeta(*args(ws, str(path)), cwd=tmp_path, timeout=60)
    if (command, fault) == ("validate-jsonl", "over-size"):
        code = "jsonl.too_long"  # the one line is over the limit: an unreadable document, the run goes on
    line = assert_one_error(run, "x" + suffix, words, f"[{code}]")
    assert "\0" not in line


@pytest.mark.parametrize("option", ["-", "--jsonl=-"])
def test_standard_input_is_bounded(ws: Path, tmp_path: Path, option: str) -> None:
    """Endless standard input (here /dev/zero) is refused at the document limit, not read until memory ends."""
    args = ["validate", "--catalog", str(ws / "catalog"), *option.split("=")]
    with open("/dev/zero", "rb") as zeros:
        run = sosmeta(*args, cwd=tmp_path, stdin=zeros, timeout=120)
    # A document on stdin is read up to the limit; JSON Lines on stdin stream, so a device there is refused.
    assert_one_error(run, "<stdin>", "[file.too_large]" if option == "-" else "[file.not_regular]")


# ---- structure content: nesting, numbers, text (import, lint, diff read the same way) ------------------------
STRUCTURE_FAULTS = {
    "json-100000-deep": (deep_json(100_000), "[json.too_deep]"),
    "300-element-levels": (deep_structure(298), "[json.too_deep]"),
    "17-element-levels": (deep_structure(15), "[sosmeta.too_deep]"),
    "1e999": (export_with("1e999"), "[json.non_finite]"),
    "5000-digit-integer": (export_with(HUGE_INT), "[json.huge_number]"),
    "lone-surrogate": (export_with(LONE_SURROGATE, "title"), "[json.surrogate]"),
    "duplicate-key": (export_with('1, "maxProperties": 2'), "[json.duplicate_key]"),
}
READERS = {
    "import": lambda w, p: ["import", p, "--catalog", str(w / "c-content")],
    "lint": lambda w, p: ["lint", p],
    "diff": lambda w, p: ["diff", str(w / "good.json"), p, "--no-proof"],
}


@pytest.mark.parametrize("fault", list(STRUCTURE_FAULTS))
@pytest.mark.parametrize("command", list(READERS))
def test_hostile_structure_content_is_one_located_error(ws: Path, tmp_path: Path, command: str, fault: str) -> None:
    text, code = STRUCTURE_FAULTS[fault]
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    line = assert_one_error(sosmeta_here(*READERS[command](ws, str(path))), "hostile.json", code)
    assert "line " in line or ": /" in line  # located: line and column, or a JSON pointer


def test_the_depth_limit_names_the_first_element_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(deep_structure(15), encoding="utf-8")
    line = assert_one_error(sosmeta_here("lint", str(path)), "[sosmeta.too_deep]")
    assert line.count("/properties/") == 17 and line.endswith(
        "/properties/sukunimi: elements nest deeper than 16 levels (real structures nest at most 8) [sosmeta.too_deep]"
    )


# ---- client documents given to validate: strict, as import reads exports ------------------------------------
CANARY = "Kanariatesti-900"
DOCUMENT_FAULTS = {
    "100000-deep": (deep_json(100_000), "json.too_deep"),
    "5000-digit-integer": ('{"a": ' + HUGE_INT + "}", "json.huge_number"),
    "1e999": ('{"a": 1e999, "b": "' + CANARY + '"}', "json.non_finite"),
    "nan": ('{"b": "' + CANARY + '", "a": NaN}', "json.syntax"),
    "duplicate-key": ('{"a": "' + CANARY + '", "a": "' + CANARY + '"}', "json.duplicate_key"),
    "lone-surrogate-value": ('{"a": ' + LONE_SURROGATE + "}", "json.surrogate"),
    "lone-surrogate-key": ('{"a": {"\\udc80": "' + CANARY + '"}}', "json.surrogate_key"),
    "not-utf8": (b'{"a": "\xe4"}', "file.encoding"),
}

# The JSON Lines reader's codes for the same faults (safeio/jsonl.py).
JSONL_CODES = {
    **{code: "jsonl." + code.removeprefix("json.") for _, code in DOCUMENT_FAULTS.values() if code.startswith("json.")},
    "file.encoding": "jsonl.encoding",
    "json.surrogate_key": "jsonl.surrogate",
}


@pytest.mark.parametrize("fault", list(DOCUMENT_FAULTS))
def test_validate_reports_a_hostile_document_as_unreadable(ws: Path, tmp_path: Path, fault: str) -> None:
    content, code = DOCUMENT_FAULTS[fault]
    path = tmp_path / "asiakirja.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    run = sosmeta_here("validate", "--catalog", str(ws / "catalog"), str(path))
    assert_one_error(run, "asiakirja.json: error: ", f"[{code}]")
    assert CANARY not in run.stdout + run.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_validate_json_output_survives_every_hostile_line(ws: Path, tmp_path: Path, fmt: str) -> None:
    """One JSON Lines input with every hostile document, a valid one in the middle: each bad line is one record
    with its error, the output is valid JSON (a key with a lone surrogate used to crash the writer)."""
    good = (ws / "doc.json").read_text(encoding="utf-8")
    lines = [c if isinstance(c, str) else c.decode("latin-1") for c, _ in DOCUMENT_FAULTS.values()]
    lines.insert(3, good)
    jsonl = tmp_path / "asiakirjat.jsonl"
    jsonl.write_bytes(b"\n".join(c.encode("utf-8") for c in lines[:-1]) + b'\n{"a": "\xe4"}\n')
    run = sosmeta_here("validate", "--catalog", str(ws / "catalog"), "--jsonl", str(jsonl), "--format", fmt)
    assert not run.crashed and run.returncode == 2, run
    records = json.loads(run.stdout) if fmt == "json" else [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["valid"] for r in records] == [False, False, False, True] + [False] * 5
    codes = [r["error"].rsplit("[", 1)[1].rstrip("]") for r in records if "error" in r]
    assert codes == [JSONL_CODES.get(code, code) for _, code in DOCUMENT_FAULTS.values()]
    assert CANARY not in run.stdout + run.stderr


# ---- a poisoned catalog: one bad entry is one error line on every command that reads it ----------------------
POISONS = {
    "1e999": (export_with("1e999"), "[json.non_finite]"),
    "17-element-levels": (deep_structure(15), "[sosmeta.too_deep]"),
    "lone-surrogate": (export_with(LONE_SURROGATE, "title"), "[json.surrogate]"),
}
CATALOG_COMMANDS = {
    "list": lambda c, w, o: ["list", "--catalog", c],
    "show": lambda c, w, o: ["show", BASE_OID, "--catalog", c],
    "lint": lambda c, w, o: ["lint", "--catalog", c],
    "build": lambda c, w, o: ["build", "--catalog", c, "--out", o, "--target", "validators"],
    "validate": lambda c, w, o: ["validate", "--catalog", c, str(w / "doc.json")],
    "org-check": lambda c, w, o: ["org", "check", str(w / "org.toml"), "--catalog", c],
    "example": lambda c, w, o: ["example", "--catalog", c, "--structure", BASE_OID],
}


@pytest.mark.parametrize("poison", list(POISONS))
@pytest.mark.parametrize("command", list(CATALOG_COMMANDS))
def test_a_poisoned_catalog_entry_is_one_error(ws: Path, tmp_path: Path, command: str, poison: str) -> None:
    text, code = POISONS[poison]
    catalog = tmp_path / "catalog"
    shutil.copytree(ws / "catalog", catalog)
    (entry,) = catalog.glob("*/*.json")
    entry.write_text(text, encoding="utf-8")
    run = sosmeta_here(*CATALOG_COMMANDS[command](str(catalog), ws, str(tmp_path / "out")))
    assert_one_error(run, str(entry), code)


# ---- TOML: sosmeta.toml, organisation templates, renames files ------------------------------------------------
DEEP_TOML = "x = " + "[" * 100_000 + "]" * 100_000 + "\n"


def _org(tmp_path: Path, old: str, new: str) -> Path:
    text = EXAMPLE_ORG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "org.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_deep_workspace_file_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "sosmeta.toml").write_text(DEEP_TOML, encoding="utf-8")
    assert_one_error(sosmeta_here("--workspace", str(tmp_path), "list"), "sosmeta.toml", "[toml.too_deep]")


def test_workspace_paths_must_be_strings(tmp_path: Path) -> None:
    (tmp_path / "sosmeta.toml").write_text("[workspace]\ncatalog = 5\n", encoding="utf-8")
    assert_one_error(sosmeta_here("--workspace", str(tmp_path), "list"), "workspace.catalog must be a folder path")


def test_unknown_breaking_key_is_an_error_with_a_suggestion(ws: Path, tmp_path: Path) -> None:
    (tmp_path / "sosmeta.toml").write_text('[breaking]\nrenamez = "renames.toml"\n', encoding="utf-8")
    good = str(ws / "good.json")
    run = sosmeta_here("--workspace", str(tmp_path), "diff", good, good, "--no-proof")
    assert_one_error(run, "[breaking]", "unknown key 'renamez'; did you mean 'renames'?")


@pytest.mark.parametrize(
    ("old", "new", "place", "code"),
    [
        ("bilingual = true", "bilingual = true\n" + DEEP_TOML, "", "[toml.too_deep]"),
        ("max_items = 10", 'max_items = "10"', "template[0].elements.tapaamiset.max_items", "[org.invalid]"),
        ("max_items = 10", "max_items = 10.0", "template[0].elements.tapaamiset.max_items", "[org.invalid]"),
        ("bilingual = true", 'bilingual = "yes"', "organisation.bilingual", "[org.invalid]"),
        ('default = "1"', "default = inf", 'template[0].elements."tapaamiset/tapaamispaikka".default', "non_finite"),
        ("max_items = 10", "max_items = 1" + "0" * 5000, "", "[toml.huge_number]"),
    ],
    ids=["100000-deep", "string-for-integer", "float-for-integer", "string-for-boolean", "inf", "huge-integer"],
)
def test_organisation_templates_are_strict(ws: Path, tmp_path: Path, old: str, new: str, place: str, code: str) -> None:
    path = _org(tmp_path, old, new)
    run = sosmeta_here("org", "check", str(path), "--catalog", str(ws / "catalog"))
    assert_one_error(run, f"{path}: {place}", code)


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        ("renames.toml", DEEP_TOML, ["[toml.too_deep]"]),
        ("renames.json", deep_json(100_000), ["line 1 column 134", "[json.too_deep]"]),
        ("renames.json", '{"rename": [{"old": "a", "new": NaN}]}', ["[json.syntax]"]),
        ("renames.toml", '[[renamez]]\nold = "a"\nnew = "b"\n', ["renamez", "did you mean 'rename'?"]),
        ("renames.toml", '[[rename]]\nold = "a"\nnwe = "b"\n', ["rename[0]", "[renames.format]"]),
        ("renames.toml", '[[rename]]\nold = "a"\nnew = "b"\nnwe = "c"\n', ["did you mean 'new'?"]),
    ],
    ids=["toml-100000-deep", "json-100000-deep", "nan", "unknown-table", "missing-key", "unknown-key"],
)
def test_renames_files_are_strict(ws: Path, tmp_path: Path, name: str, content: str, needles: list[str]) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    good = str(ws / "good.json")
    assert_one_error(sosmeta_here("diff", good, good, "--no-proof", "--renames", str(path)), name, *needles)
