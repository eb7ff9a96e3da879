"""The importers' problems in Finnish, Swedish and English: every text in three languages, the printed line in
the run's language with the same code, English for logs; no importer writes a problem text outside the
catalogue."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from openpyxl.worksheet.worksheet import Worksheet

from sosmeta.messages import LANGS, Lang, Localized
from sosmeta.sosmeta_import import InputError, load_any
from sosmeta.sosmeta_import.problem_texts import PROBLEMS, say
from tests.conftest import EXAMPLE, ROOT
from tests.test_cli_messages import placeholders, run
from tests.test_excel_errors import edited, find

ORG = EXAMPLE / "orgs" / "jarvimaa-lastensuojelu.toml"
SAME_IN_EVERY_LANGUAGE = {"excel.damaged_zip", "kind.null"}
"""Texts whose words are the same in two languages (besides those of placeholders and names alone)."""


@pytest.mark.parametrize("key", sorted(PROBLEMS))
def test_every_problem_text_has_three_languages(key: str) -> None:
    texts = [PROBLEMS[key].text(lang) for lang in LANGS]
    assert all(t.strip() for t in texts), key
    assert placeholders(texts[0]) == placeholders(texts[1]) == placeholders(texts[2]), key
    if key not in SAME_IN_EVERY_LANGUAGE and re.search(r"[a-zåäö]{4}", re.sub(r"\{[^}]*\}|'[^']*'", "", texts[2])):
        assert texts[1] not in (texts[0], texts[2]), key  # words of its own: written in Swedish, not copied


_MESSAGE_ARG = {"Problem": 2, "one": 2, "error": 1, "warn": 1, "problem": 1, "fail": 1}
"""Where the message is among the arguments of the calls that make a problem."""


def _literal_messages(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        index = _MESSAGE_ARG.get(name)
        if index is None or len(node.args) <= index:
            continue
        arg = node.args[index]
        if isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_importer_writes_a_problem_text_outside_the_catalogue() -> None:
    files = sorted((ROOT / "sosmeta_import").rglob("*.py"))
    assert len(files) > 5
    assert [line for f in files for line in _literal_messages(f)] == []


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("error: ", "warning: "))]


def languages_of(args: list[object]) -> dict[Lang, list[str]]:
    return {lang: problem_lines(run("--lang", lang, *args).output) for lang in LANGS}


def test_a_broken_export_is_told_in_each_language_with_one_code(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"sosmeta": {"oid": 5}, "properties": {}}), encoding="utf-8")
    found = languages_of(["lint", broken])
    assert found["fi"] == [f"error: {broken}: /sosmeta/oid: 'oid' pitää olla merkkijono, löytyi luku [sosmeta.type]"]
    assert found["sv"] == [f"error: {broken}: /sosmeta/oid: 'oid' ska vara en sträng, hittade ett tal [sosmeta.type]"]
    assert found["en"] == [f"error: {broken}: /sosmeta/oid: 'oid' must be a string, found a number [sosmeta.type]"]
    with pytest.raises(InputError) as caught:
        load_any(broken)
    (problem,) = caught.value.problems
    assert str(problem) == found["en"][0].removeprefix("error: ")  # English stays for logs


def test_a_bad_oid_reads_in_swedish_throughout(tmp_path: Path) -> None:
    source = EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    data["sosmeta"]["oid"] = "1.2.x"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (line,) = languages_of(["import", bad, "--catalog", tmp_path / "catalog"])["sv"]
    assert "'oid' är inget OID (siffror åtskilda av punkter" in line and line.endswith("[sosmeta.bad_oid]"), line


def test_workbook_errors_and_warnings_in_swedish(tmp_path: Path) -> None:
    def misspell(ws: Worksheet) -> None:
        row, col = find(ws, "Kuvaus (fi)")
        ws.cell(row, col).value = "Kuvas (fi)"

    found = languages_of(["lint", edited(tmp_path, misspell)])
    assert any(
        'okänd kolumnrubrik "Kuvas (fi)"; menade du "Kuvaus (fi)"? [excel.unknown_header]' in e for e in found["sv"]
    )
    assert any('tuntematon sarakeotsikko "Kuvas (fi)"; tarkoititko "Kuvaus (fi)"?' in e for e in found["fi"])
    assert any('unknown header "Kuvas (fi)"; did you mean "Kuvaus (fi)"?' in e for e in found["en"])
    assert [re.sub(r".*\[", "[", e) for e in found["sv"]] == [re.sub(r".*\[", "[", e) for e in found["en"]]

    def extra_column(ws: Worksheet) -> None:
        row, _ = find(ws, "Kuvaus (fi)")
        ws.cell(row, ws.max_column + 1).value = "Huomiot"

    (tmp_path / "second").mkdir()
    warned = run("--lang", "sv", "import", edited(tmp_path / "second", extra_column), "--catalog", tmp_path / "cat")
    assert warned.exit_code == 0, warned.output
    assert 'kolumnen "Huomiot" hör inte till layouten och ignoreras [excel.extra_column]' in warned.output, (
        warned.output
    )


def test_an_organisation_file_in_swedish(tmp_path: Path) -> None:
    org = tmp_path / "org.toml"
    org.write_text(ORG.read_text(encoding="utf-8").replace("name =", "nmae =", 1), encoding="utf-8")
    catalog = tmp_path / "catalog"
    assert run("import", EXAMPLE / "sources", "--catalog", catalog).exit_code == 0
    found = languages_of(["org", "check", org, "--catalog", catalog])
    assert f"error: {org}: organisation.nmae: okänd nyckel 'nmae'; menade du 'name'? [org.unknown_key]" in found["sv"]
    assert (
        f"error: {org}: organisation.name: nyckeln 'name' saknas; den är obligatorisk här [org.missing]" in found["sv"]
    )
    assert any("tuntematon avain 'nmae'; tarkoititko 'name'?" in e for e in found["fi"])


def test_a_problem_text_is_english_as_a_string() -> None:
    said = say("excel.key_repeats", row=7)
    assert isinstance(said, Localized) and said == "key path repeats row 7"
    assert said.message.sv == "nyckelsökvägen upprepar rad 7" and said.message.fi == "avainpolku toistaa rivin 7"


def test_catalog_refusals_in_swedish(tmp_path: Path) -> None:
    source = EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json"
    catalog = tmp_path / "catalog"
    assert run("import", source, "--catalog", catalog).exit_code == 0
    data = json.loads(source.read_text(encoding="utf-8"))
    data["sosmeta"]["documentSubject"] = "Toinen aihe"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    conflict = run("--lang", "sv", "import", changed, "--catalog", catalog)
    assert conflict.exit_code == 2
    (line,) = problem_lines(conflict.output)
    assert "katalogen har redan version 2025-01-15 med annat innehåll" in line and "använd --replace" in line, line
    assert "Toinen aihe" not in line  # where it differs, never the value
    unknown = run("--lang", "sv", "show", "1.2.246.537.6.1506.99001@2099-01-01", "--catalog", catalog)
    assert problem_lines(unknown.output) == [
        "error: strukturen 1.2.246.537.6.1506.99001 har ingen version '2099-01-01' (finns: 2025-01-15)"
    ]
