"""The correspondence table: read from CSV or a workbook, started from a source, checked against the catalog
with located errors and suggestions; and the file sources (CSV, JSON Lines)."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sosmeta import cli
from sosmeta.catalog import Catalog
from sosmeta.migration.sources import SourceConfig, open_source
from sosmeta.migration.table import load_table
from sosmeta.migration.tablecheck import SourceFacts, check_table
from sosmeta.operations import migrate as op
from sosmeta.sosmeta_import.errors import InputError
from tests import migrate_support as ms


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return Catalog(ms.catalog(tmp_path_factory.mktemp("catalog")))


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> SourceFacts:
    db = ms.legacy_db(tmp_path_factory.mktemp("db") / "legacy.sqlite", 400)
    section = ms.section(f"sqlite:///{db}", db.parent)
    source = open_source(op.source_config(section, db.parent, "sosmeta.toml", None))
    return SourceFacts(source.type_counts(), source.columns())


def _edited(
    tmp: Path,
    sheet: str,
    change: dict[int, dict[str, str]] | None = None,
    add: list[dict[str, str]] | None = None,
    drop: set[int] | None = None,
) -> Path:
    """A copy of the example table with rows of one sheet changed (row numbers as the sheet shows them)."""
    table = tmp / "table"
    if not table.exists():
        shutil.copytree(ms.TABLE, table)
    path = table / f"{sheet}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0].keys())
    out = []
    for number, row in enumerate(rows, start=2):
        if drop and number in drop:
            continue
        out.append({**row, **(change or {}).get(number, {})})
    out += add or []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(out)
    return table


def _problems(table: Path, catalog: Catalog, facts: SourceFacts | None = None) -> list[tuple[str, str, str]]:
    return [(p.location, p.code, p.message) for p in check_table(load_table(table), catalog, facts)]


def test_example_table_is_clean_against_the_catalog(catalog: Catalog) -> None:
    assert _problems(ms.TABLE, catalog) == []


def test_every_legacy_type_of_the_source_needs_a_row(catalog: Catalog, facts: SourceFacts) -> None:
    problems = _problems(ms.TABLE, catalog, facts)
    assert [(loc, code) for loc, code, _ in problems] == [("types", "table.unmapped_type")]
    assert "KIRJE" in problems[0][2]


@pytest.mark.parametrize(
    ("sheet", "change", "location", "code", "hint"),
    [
        ("fields", {2: {"target": "asiakas/sukunimii"}}, "fields!C2", "table.target", "asiakas/sukunimi"),
        ("fields", {2: {"transform": "kopy"}}, "fields!D2", "table.transform", "'copy'"),
        ("fields", {2: {"transform": "date", "argument": "%d.%m.%Y"}}, "fields!D2", "table.transform_fit", "Nimi"),
        ("fields", {6: {"argument": "paikkaa"}}, "fields!E6", "table.code_map", "'paikka'"),
        ("fields", {5: {"argument": "%Q"}}, "fields!E5", "table.argument", ""),
        ("fields", {11: {"argument": "/ "}}, "fields!E11", "table.argument", "separator|index"),
        ("fields", {2: {"legacy_field": "sukunim"}}, "fields!B2", "table.legacy_field", "'sukunimi'"),
        ("fields", {12: {"target": "envelope:client.givn"}}, "fields!C12", "table.target", "client.given"),
        ("fields", {3: {"legacy_type": "SEURR"}}, "fields!A3", "table.unknown_type", "'SEUR'"),
        ("fields", {2: {"target": "asiakas"}}, "fields!C2", "table.target", "group"),
        ("codes", {2: {"code": "9"}}, "codes!C2", "table.code", ""),
        ("codes", {2: {"code_list": "not an oid"}}, "codes!E2", "table.code_list", ""),
        ("types", {2: {"structure": "1.2.246.537.6.1506.99011"}}, "types!C2", "table.structure", "99001"),
        ("types", {2: {"specific_type": "15007"}}, "types!E2", "table.specific_type", "99001"),
        ("types", {3: {"content_specification": ""}}, "types!D3", "table.missing", ""),
        ("types", {3: {"language": "en"}}, "types!K3", "table.language", ""),
        (
            "types",
            {4: {"envelope_defaults": '{"special_contnt": true}'}},
            "types!M4",
            "table.envelope_field",
            "special_content",
        ),
        ("types", {4: {"envelope_defaults": "{not json"}}, "types!M4", "table.envelope_defaults", ""),
    ],
)
def test_located_errors_with_suggestions(
    tmp_path: Path,
    catalog: Catalog,
    facts: SourceFacts,
    sheet: str,
    change: dict[int, dict[str, str]],
    location: str,
    code: str,
    hint: str,
) -> None:
    table = _edited(tmp_path, sheet, change)
    try:
        problems = _problems(table, catalog, facts)
    except InputError as exc:  # errors of the table's form are found while reading
        problems = [(p.location, p.code, p.message) for p in exc.problems]
    found = [p for p in problems if p[0] == location and p[1] == code]
    assert found, problems
    assert hint in found[0][2]


def test_required_elements_must_be_mapped(tmp_path: Path, catalog: Catalog) -> None:
    table = _edited(tmp_path, "fields", drop={10})  # laatija/laatijan_nimi
    problems = _problems(table, catalog)
    assert ("types!A2", "table.required") in [(loc, code) for loc, code, _ in problems]
    assert any("laatija/laatijan_nimi" in message for _, _, message in problems)


def test_a_repeated_legacy_type_and_value_are_refused(tmp_path: Path) -> None:
    table = _edited(tmp_path, "types", add=[{"legacy_type": "SEUR", "structure": "unstructured"}])
    _edited(tmp_path, "codes", add=[{"map": "paikka", "legacy_value": "KOTI", "code": "2"}])
    with pytest.raises(InputError) as caught:
        load_table(table)
    assert {(p.location, p.code) for p in caught.value.problems} == {
        ("types!A5", "table.duplicate"),
        ("codes!B8", "table.duplicate"),
    }


def _runner_env(tmp: Path, db: Path) -> Path:
    (tmp / "ws").mkdir()
    shutil.copytree(ms.TABLE, tmp / "ws" / "table")
    ms.catalog(tmp / "ws" / "catalog")
    sec = ms.section(f"sqlite:///{db}", tmp / "out", table=tmp / "ws" / "table")
    lines = ["[workspace]", 'catalog = "catalog"', "", "[migration]"]
    lines += [f'{k} = "{v}"' for k, v in sec.items() if isinstance(v, str)]
    lines += ["[migration.source]"] + [f'{k} = "{v}"' for k, v in sec["source"].items() if isinstance(v, str)]
    lines += ["[migration.source.columns]"] + [f'{k} = "{v}"' for k, v in ms.COLUMNS.items()]
    (tmp / "ws" / "sosmeta.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp / "ws"


def test_table_new_lists_every_type_and_a_filled_workbook_checks_like_the_csv(tmp_path: Path) -> None:
    db = ms.legacy_db(tmp_path / "legacy.sqlite", 300)
    ws = _runner_env(tmp_path, db)
    runner = CliRunner()
    made = runner.invoke(cli.main, ["--workspace", str(ws), "migrate", "table", "new", "-o", str(tmp_path / "t.xlsx")])
    assert made.exit_code == 0, made.output
    book = load_workbook(tmp_path / "t.xlsx")
    with sqlite3.connect(db) as connection:
        counts = dict(connection.execute("SELECT tyyppi, COUNT(*) FROM asiakirjat GROUP BY tyyppi").fetchall())
    assert {r[0]: r[1] for r in book["types"].iter_rows(min_row=2, values_only=True)} == counts
    # fill the workbook from the example's CSV files, as a head user would by copying rows
    for sheet in ("types", "fields", "codes"):
        target = book[sheet]
        target.delete_rows(1, target.max_row)
        with (ms.TABLE / f"{sheet}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                target.append(row)
    book.save(tmp_path / "t.xlsx")
    checked = runner.invoke(
        cli.main, ["--workspace", str(ws), "migrate", "table", "check", "--table", str(tmp_path / "t.xlsx")]
    )
    assert checked.exit_code == 2
    assert "error: " in checked.output and "KIRJE" in checked.output and "[table.unmapped_type]" in checked.output
    book["fields"]["C2"] = "asiakas/sukunimii"
    book.save(tmp_path / "t.xlsx")
    checked = runner.invoke(
        cli.main,
        ["--workspace", str(ws), "migrate", "table", "check", "--no-source", "--table", str(tmp_path / "t.xlsx")],
    )
    assert checked.exit_code == 2
    assert "t.xlsx: fields!C2: no such key path in the structure (did you mean" in checked.output
    assert "Traceback" not in checked.output


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not a zip", b"\x00" * 100])
def test_a_damaged_workbook_is_one_error_line(tmp_path: Path, content: bytes) -> None:
    db = ms.legacy_db(tmp_path / "legacy.sqlite", 10)
    ws = _runner_env(tmp_path, db)
    (tmp_path / "bad.xlsx").write_bytes(content)
    result = CliRunner().invoke(
        cli.main, ["--workspace", str(ws), "migrate", "table", "check", "--table", str(tmp_path / "bad.xlsx")]
    )
    assert result.exit_code == 2 and result.output.startswith("error: ")
    assert "Traceback" not in result.output


def test_bad_source_settings_are_located(tmp_path: Path) -> None:
    sec = ms.section("sqlite:///x", tmp_path)
    sec["source"] = {"kind": "sqll", "columns": {"record_id": "id", "tyyppi": "x"}, "chunk": 0}
    with pytest.raises(InputError) as caught:
        op.source_config(sec, tmp_path, "sosmeta.toml", None)
    places = {p.location for p in caught.value.problems}
    assert {
        "migration.source.kind",
        "migration.source.columns.tyyppi",
        "migration.source.columns.legacy_type",
        "migration.source.chunk",
    } <= places


def test_a_missing_table_or_column_of_the_database_is_one_error(tmp_path: Path) -> None:
    db = ms.legacy_db(tmp_path / "legacy.sqlite", 10)
    config = SourceConfig("sql", f"sqlite:///{db}", ms.COLUMNS, table="ei_ole")
    with pytest.raises(InputError) as caught:
        open_source(config).type_counts()
    assert caught.value.problems[0].code == "migrate.source"
    assert "ei_ole" not in str(caught.value)  # the database's own message is not repeated


def _file_sources(tmp: Path) -> tuple[SourceConfig, SourceConfig]:
    db = ms.legacy_db(tmp / "legacy.sqlite", 120)
    with sqlite3.connect(db) as connection:
        cursor = connection.execute("SELECT * FROM asiakirjat ORDER BY id")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    with (tmp / "legacy.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    with (tmp / "legacy.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n")
    return (
        SourceConfig("csv", str(tmp / "legacy.csv"), ms.COLUMNS, chunk=50),
        SourceConfig("jsonl", str(tmp / "legacy.jsonl"), ms.COLUMNS, chunk=50),
    )


def test_file_sources_read_in_chunks_and_agree_with_sql(tmp_path: Path) -> None:
    csv_config, jsonl_config = _file_sources(tmp_path)
    sql = open_source(
        SourceConfig("sql", f"sqlite:///{tmp_path / 'legacy.sqlite'}", ms.COLUMNS, table="asiakirjat", chunk=50)
    )
    for config in (csv_config, jsonl_config):
        source = open_source(config)
        chunks = list(source.chunks())
        assert [len(c) for c in chunks] == [50, 50, 20]
        assert source.type_counts() == sql.type_counts()
        assert source.id_range() == sql.id_range() == (1, 120)
        assert [r.record_id for c in source.chunks(40, 60) for r in c] == [str(i) for i in range(40, 60)]
    assert [len(c) for c in sql.chunks()] == [50, 50, 20]


def test_a_broken_jsonl_line_is_located(tmp_path: Path) -> None:
    _, config = _file_sources(tmp_path)
    path = Path(config.location)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[6] = b'{"id": 7, "id": 8}\n'
    path.write_bytes(b"".join(lines))
    with pytest.raises(InputError) as caught:
        list(open_source(config).chunks())
    problem = caught.value.problems[0]
    assert problem.location.startswith("line 7") and problem.code.startswith("jsonl.")


def test_codes_are_checked_against_the_code_list_store(tmp_path: Path) -> None:
    """A stored list is asked first: a code the structure does not enumerate, but whose list is stored, is
    checked against the stored list."""
    from sosmeta.codestore import CodeStore
    from sosmeta.structures.codelists.model import Code, CodeList, Provenance

    catalog = Catalog(ms.catalog(tmp_path / "catalog"))
    stored = CodeList(
        classification="1.2.246.537.6.1221",
        version="201601",
        provenance=Provenance(source="file", retrieved="2025-01-01T00:00:00Z"),
        codes=(Code(code="24"), Code(code="25")),
    )
    CodeStore(catalog.root).write([stored])
    table = _edited(
        tmp_path,
        "fields",
        add=[
            {
                "legacy_type": "SEUR",
                "legacy_field": "yksikko",
                "target": "arvio/palvelutehtava",
                "transform": "code",
                "argument": "tehtava",
            }
        ],
    )
    _edited(
        tmp_path,
        "codes",
        add=[
            {"map": "tehtava", "legacy_value": "AVO1", "code": "24"},
            {"map": "tehtava", "legacy_value": "AVO2", "code": "99"},
        ],
    )
    problems = _problems(table, catalog)
    assert [(loc, code) for loc, code, _ in problems] == [("codes!C9", "table.code")]
