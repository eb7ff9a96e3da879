"""The migration's lines in Finnish, Swedish and English: every text in three languages, table problems located
at the same cell with the same code in each, English for logs; no table check writes a text outside the
catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from sosmeta.catalog import Catalog
from sosmeta.messages import LANGS, Lang
from sosmeta.migration.table import load_table
from sosmeta.migration.tablecheck import check_table
from sosmeta.migration.texts import TEXTS
from tests import migrate_support as ms
from tests.conftest import ROOT
from tests.test_cli_messages import placeholders, run
from tests.test_import_languages import _literal_messages
from tests.test_migrate_table import _runner_env


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_migration_text_has_three_languages_with_the_same_placeholders(key: str) -> None:
    texts = [TEXTS[key].text(lang) for lang in LANGS]
    assert all(t.strip() for t in texts), key
    assert placeholders(texts[0]) == placeholders(texts[1]) == placeholders(texts[2]), key
    if re.search(r"[a-zåäö]{4}", re.sub(r"\{[^}]*\}|'[^']*'|\([^)]*\)", "", texts[2])):
        assert texts[1] not in (texts[0], texts[2]), key  # written in Swedish, not copied


def test_no_table_check_writes_a_problem_text_outside_the_catalogue() -> None:
    files = [ROOT / "migration" / name for name in ("tablecheck.py", "table.py", "sources.py")]
    files.append(ROOT / "operations" / "migrate.py")
    assert [line for f in files for line in _literal_messages(f)] == []
    reconcile = next(
        node
        for node in ast.walk(ast.parse((ROOT / "migration" / "run.py").read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name == "reconcile"
    )
    assert not [n for n in ast.walk(reconcile) if isinstance(n, ast.JoinedStr) and "reconcil" in ast.unparse(n)]


def _broken_table(tmp_path: Path) -> Path:
    table = tmp_path / "ws" / "table"
    fields = (table / "fields.csv").read_text(encoding="utf-8").splitlines()
    head, first, *rest = fields
    parts = first.split(",")
    parts[2] = parts[2] + "x"  # a target key path that is not there, with a near one to suggest
    (table / "fields.csv").write_text("\n".join([head, ",".join(parts), *rest]) + "\n", encoding="utf-8")
    return table


def _errors(lang: Lang, ws: Path, table: Path) -> list[str]:
    result = run("--lang", lang, "--workspace", ws, "migrate", "table", "check", "--no-source", "--table", table)
    assert result.exit_code == 2, result.output
    return [line for line in result.output.splitlines() if line.startswith("error: ")]


def test_table_check_problems_in_each_language_at_the_same_cells(tmp_path: Path) -> None:
    ws = _runner_env(tmp_path, ms.legacy_db(tmp_path / "legacy.sqlite", 10))
    table = _broken_table(tmp_path)
    found = {lang: _errors(lang, ws, table) for lang in LANGS}
    assert len(found["sv"]) == len(found["en"]) == len(found["fi"]) >= 1
    for fi, sv, en in zip(found["fi"], found["sv"], found["en"], strict=True):
        place = en.split(": ")[:3]
        assert fi.split(": ")[:3] == sv.split(": ")[:3] == place and re.fullmatch(
            r"(types|fields|codes)![A-Z]+\d+", place[2]
        )
        assert fi.rsplit(" [", 1)[1] == sv.rsplit(" [", 1)[1] == en.rsplit(" [", 1)[1]
    assert any("strukturen har ingen sådan nyckelsökväg (menade du '" in line for line in found["sv"])
    assert any("rakenteessa ei ole tällaista avainpolkua (tarkoititko '" in line for line in found["fi"])
    problems = check_table(load_table(table), Catalog(ws / "catalog"))
    assert found["en"] == [f"error: {p}" for p in problems]  # English stays what str() gives, for logs


def test_a_run_and_its_report_speak_swedish(tmp_path: Path) -> None:
    ws = _runner_env(tmp_path, ms.legacy_db(tmp_path / "legacy.sqlite", 12))
    result = run("--lang", "sv", "--workspace", ws, "migrate", "run")
    assert result.exit_code == 0, result.output
    summary, packages = result.output.splitlines()[-2:]
    assert re.fullmatch(
        r"läste 12 poster: \d+ arkiverade, 0 ersatta, \d+ avvisade, 0 överhoppade \([\d,]+ poster/s\); "
        r"avstämt per äldre dokumenttyp",
        summary,
    ), summary
    assert packages.startswith("paketen i ") and packages.endswith("; rapport: sosmeta migrate report")
    report = run("--lang", "sv", "--workspace", ws, "migrate", "report")
    assert report.exit_code == 0 and report.output.startswith("skrev "), report.output
    made = run("--lang", "fi", "--workspace", ws, "migrate", "table", "new", "-o", tmp_path / "t.xlsx")
    assert re.match(r"kirjoitettu .*t\.xlsx: \d+ vanhaa asiakirjatyyppiä, 12 tietuetta; täytä", made.output)


def test_missing_settings_are_told_in_swedish(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "sosmeta.toml").write_text("[workspace]\n\n[migration]\ntable = 5\n", encoding="utf-8")
    result = run("--lang", "sv", "--workspace", ws, "migrate", "run")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert "migration.source.url: saknas [migrate.source]" in result.output
    assert "migration.source.table: en tabell eller en fråga behövs [migrate.source]" in result.output
    (ws / "sosmeta.toml").write_text(
        '[workspace]\n\n[migration]\ntable = 5\n[migration.source]\nkind = "csv"\npath = "x.csv"\n'
        "[migration.source.columns]\n"
        'record_id = "a"\nlegacy_type = "b"\nclient_id = "c"\ndate = "d"\n',
        encoding="utf-8",
    )
    result = run("--lang", "sv", "--workspace", ws, "migrate", "run")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert any(line.endswith("migration.table: ska vara en sökväg (en sträng) [migrate.config]") for line in lines)
    assert any("migration.output: saknas (eller ange flaggan) [migrate.config]" in line for line in lines)
