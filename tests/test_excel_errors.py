"""Bad workbooks give located, coded errors (all of them in one run), exit code 2 and never a traceback."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

import sosmeta.sosmeta_import.excel as excel_import
from sosmeta.cli import main
from sosmeta.generators.excel import structure_workbook
from sosmeta.generators.sosmeta_json import dump_structure
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.sosmeta_import.excel import CODES, read_workbook
from sosmeta.structures.model import Structure
from sosmeta.structures.texts import LangText
from sosmeta.structures.workbook import COLUMNS, META_LABELS, SHEET
from tests.model_strategies import json_value, text
from tests.test_excel_roundtrip import load_corpus_structure_or_minimal, with_document

STRUCTURE = load_corpus_structure_or_minimal()


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def find(ws: Worksheet, text: str) -> tuple[int, int]:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not in sheet")


def edited(tmp_path: Path, change: Callable[[Worksheet], None], structure: Structure = STRUCTURE) -> Path:
    wb = load_workbook(io.BytesIO(structure_workbook(structure)))
    change(wb[SHEET])
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    lines = [str(p) for p in caught.value.problems]
    for problem in caught.value.problems:
        assert problem.code in CODES, problem
    return lines


def flag_cell(ws: Worksheet) -> str:
    row, col = find(ws, "Pakollinen")
    return ws.cell(row + 2 + 1, col).coordinate  # the first row below the document row


def test_misspelled_header_names_the_nearest_one(tmp_path: Path) -> None:
    where: list[str] = []

    def misspell(ws: Worksheet) -> None:
        row, col = find(ws, "Kuvaus (fi)")
        ws.cell(row, col).value = "Kuvas (fi)"
        where.append(ws.cell(row, col).coordinate)

    (line,) = problems(edited(tmp_path, misspell))
    assert f'Rakenne!{where[0]}: unknown header "Kuvas (fi)"; did you mean "Kuvaus (fi)"?' in line
    assert line.endswith("[excel.unknown_header]")


def test_bad_yes_no_and_every_other_error_in_one_run(tmp_path: Path) -> None:
    cells: list[str] = []

    def spoil(ws: Worksheet) -> None:
        cells.append(flag_cell(ws))
        ws[cells[0]] = "kyllä?"
        row, col = find(ws, "Rivinumero")
        ws.cell(row + 3, col).value = "kolme"
        cells.append(ws.cell(row + 3, col).coordinate)
        row, col = find(ws, "Toistuva")
        ws.cell(row + 3, col).value = "ehkä"

    lines = problems(edited(tmp_path, spoil))
    assert len(lines) == 3  # all of them, also several on one row
    assert f'Rakenne!{cells[0]}: "kyllä?" is not yes/no (K/E) [excel.not_yes_no]' in lines[0] + lines[1] + lines[2]
    assert any(f'Rakenne!{cells[1]}: "kolme" is not a whole number' in line for line in lines)
    assert any('"ehkä" is not yes/no' in line for line in lines)
    assert all(line.startswith(str(tmp_path / "edited.xlsx")) for line in lines)


def test_all_rows_are_checked(tmp_path: Path, corpus: list[Path]) -> None:
    from tests.conftest import load_corpus_structure

    structure = load_corpus_structure(corpus[0])

    def spoil(ws: Worksheet) -> None:
        row, col = find(ws, "Pakollinen")
        for r in range(row + 3, row + 8):
            ws.cell(r, col).value = "?"

    lines = problems(edited(tmp_path, spoil, structure))
    assert len(lines) == 5 and all("excel.not_yes_no" in line for line in lines)


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_zip_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    bomb = _zip(
        tmp_path / "bomb.xlsx",
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024),
        },
    )
    assert bomb.stat().st_size < 100_000
    (line,) = problems(bomb)
    assert "xl/worksheets/sheet1.xml: entry inflates" in line and line.endswith("[excel.zip_bomb]")


def test_too_many_entries_and_non_workbooks_are_refused(tmp_path: Path) -> None:
    many = _zip(tmp_path / "many.xlsx", {f"xl/{i}.xml": b"" for i in range(5_001)})
    assert problems(many)[0].endswith("[excel.zip_entries]")
    text = tmp_path / "text.xlsx"
    text.write_text("Nimi;Kuvaus\n", encoding="utf-8")
    assert problems(text)[0].endswith("[excel.not_zip]")
    old_xls = tmp_path / "old.xlsx"
    old_xls.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512)
    assert "old .xls" in problems(old_xls)[0]
    other_zip = _zip(tmp_path / "other.xlsx", {"readme.txt": b"hello"})
    assert problems(other_zip)[0].endswith("[excel.not_workbook]")


def test_formula_without_cached_value_is_reported_not_evaluated(tmp_path: Path) -> None:
    cells: list[str] = []

    def formula(ws: Worksheet) -> None:
        cells.append(flag_cell(ws))
        ws[cells[0]] = '=IF(1=1,"K","E")'

    (line,) = problems(edited(tmp_path, formula))
    assert f"Rakenne!{cells[0]}: a formula without a cached value" in line
    assert line.endswith("[excel.formula_no_value]")


def _rewrite_cell(path: Path, coordinate: str, xml: str) -> None:
    """Replace one cell's XML in the sheet (what Excel writes for formulas and error values)."""
    with zipfile.ZipFile(path) as archive:
        entries = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    sheet = entries["xl/worksheets/sheet1.xml"].decode()
    sheet, count = re.subn(rf'<c r="{coordinate}"[^>]*?(?:/>|>.*?</c>)', xml, sheet, count=1)
    assert count == 1
    entries["xl/worksheets/sheet1.xml"] = sheet.encode()
    _zip(path, entries)


def test_formula_cached_value_is_used_and_error_values_reported(tmp_path: Path) -> None:
    cells: list[str] = []
    path = edited(tmp_path, lambda ws: cells.append(flag_cell(ws)))
    _rewrite_cell(path, cells[0], f'<c r="{cells[0]}" t="str"><f>IF(1=1,"K","E")</f><v>K</v></c>')
    (structure,), _ = read_workbook(path)
    assert structure.document.children[0].required is True
    _rewrite_cell(path, cells[0], f'<c r="{cells[0]}" t="e"><v>#N/A</v></c>')
    (line,) = problems(path)
    assert f"Rakenne!{cells[0]}: the cell holds the error value #N/A" in line and "[excel.cell_error]" in line


def test_missing_metadata_and_missing_structure_sheet(tmp_path: Path) -> None:
    def drop_oid(ws: Worksheet) -> None:
        row, _ = find(ws, "Versio-OID / Versions-OID")
        ws.delete_rows(row)

    assert any(line.endswith("[excel.meta_missing]") for line in problems(edited(tmp_path, drop_oid)))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "Muistiinpanoja"
    path = tmp_path / "notes.xlsx"
    wb.save(path)
    (line,) = problems(path)
    assert "no sheet holds a structure" in line and line.endswith("[excel.no_structure]")


def test_edit_against_the_technical_column_is_a_conflict(tmp_path: Path) -> None:
    child = STRUCTURE.document.children[0].model_copy(
        update={"description": (LangText(lang="fi", value="Kuvausteksti"), LangText(lang="fi", value="Beskrivning"))}
    )
    structure = with_document(STRUCTURE, STRUCTURE.document.model_copy(update={"members": (child,)}))

    def edit(ws: Worksheet) -> None:
        row, col = find(ws, "Kuvausteksti")
        ws.cell(row, col).value = "Uusi kuvaus"

    (line,) = problems(edited(tmp_path, edit, structure))
    assert "differs from the technical column's 'description'" in line and line.endswith("[excel.conflict]")

    def spoil_json(ws: Worksheet) -> None:
        row, col = find(ws, "Tekninen (JSON)")
        ws.cell(row + 3, col).value = '{"texts": '

    (line,) = problems(edited(tmp_path, spoil_json, structure))
    assert "not valid JSON" in line and line.endswith("[excel.bad_technical]")


def test_key_path_problems_are_located(tmp_path: Path) -> None:
    def orphan(ws: Worksheet) -> None:
        row, col = find(ws, "Avainpolku")
        ws.cell(row + 3, col).value = "testi/puuttuva/kuvaus"
        ws.cell(row + 3, 2).value = 3

    (line,) = problems(edited(tmp_path, orphan))
    assert "parent of this key path is not on an earlier row" in line and "[excel.bad_key_path]" in line


def test_new_row_gets_its_key_from_name_and_level(tmp_path: Path) -> None:
    def add(ws: Worksheet) -> None:
        new = ws.max_row + 1
        ws.cell(new, 2).value = 2
        ws.cell(new, 3).value = "Lisätieto 2"
        ws.cell(new, 5).value = "Teksti"

    (structure,), _ = read_workbook(edited(tmp_path, add))
    added = structure.document.children[-1]
    assert added.key == "lisatieto_kaksi" and added.fi_name == "Lisätieto 2" and added.required is False
    assert '"lisatieto_kaksi"' in dump_structure(structure)


def test_macro_workbook_is_read_as_data(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsm"
    path.write_bytes(structure_workbook(STRUCTURE))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not run")
    (structure,), warnings = read_workbook(path)
    assert structure == STRUCTURE
    assert [w.code for w in warnings] == ["excel.macros_ignored"]


def test_external_links_are_not_followed(tmp_path: Path) -> None:
    path = tmp_path / "linked.xlsx"
    path.write_bytes(structure_workbook(STRUCTURE))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/externalLinks/externalLink1.xml", b"<externalLink/>")
    (structure,), warnings = read_workbook(path)
    assert structure == STRUCTURE
    assert [w.code for w in warnings] == ["excel.external_links"]


def test_row_bound_is_enforced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(excel_import, "MAX_ROWS", 10)
    path = tmp_path / "book.xlsx"
    path.write_bytes(structure_workbook(STRUCTURE))
    assert any(line.endswith("[excel.too_many_cells]") for line in problems(path))


# ---- through the command line ----------------------------------------------------------------------------


def test_cli_import_reports_every_error_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    def spoil(ws: Worksheet) -> None:
        ws[flag_cell(ws)] = "kyllä?"
        row, col = find(ws, "Kuvaus (fi)")
        ws.cell(row, col).value = "Kuvas (fi)"

    bad = edited(tmp_path, spoil)
    result = run("import", bad, "--catalog", tmp_path / "catalog")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2
    assert any("[excel.unknown_header]" in e for e in errors) and any("[excel.not_yes_no]" in e for e in errors)
    bomb = _zip(
        tmp_path / "bomb.xlsx",
        {"[Content_Types].xml": b"", "xl/workbook.xml": b"", "xl/worksheets/sheet1.xml": b"\0" * (4 * 1024 * 1024)},
    )
    result = run("import", bomb, "--catalog", tmp_path / "catalog")
    assert result.exit_code == 2 and "[excel.zip_bomb]" in result.output and "Traceback" not in result.output


def test_cli_imports_workbooks_and_builds_them(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(structure_workbook(STRUCTURE))
    catalog, out = tmp_path / "catalog", tmp_path / "out"
    result = run("import", book, "--catalog", catalog)
    assert result.exit_code == 0, result.output
    assert "new structure" in result.output
    result = run("build", "--catalog", catalog, "--out", out, "--target", "excel")
    assert result.exit_code == 0, result.output
    built = out / "excel" / f"{STRUCTURE.version_oid}.xlsx"
    assert built.read_bytes() == book.read_bytes()
    assert "excel" in run("build", "--list-targets").output


def test_build_can_write_the_whole_catalog_as_one_workbook(tmp_path: Path, corpus: list[Path]) -> None:
    from sosmeta.generators.excel import TARGET
    from sosmeta.generators.registry import BuildContext
    from tests.conftest import load_corpus_structure

    structures = [load_corpus_structure(p) for p in corpus[:2]]
    ctx = BuildContext(structures=structures, out_dir=tmp_path, options={"excel": {"one_workbook": True}})
    TARGET.build(ctx)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{s.version_oid}.xlsx" for s in structures] + ["catalog.xlsx"]
    )
    read, _ = read_workbook(tmp_path / "catalog.xlsx")
    assert read == structures


def test_cli_prints_warnings_for_columns_of_ones_own(tmp_path: Path) -> None:
    def annotate(ws: Worksheet) -> None:
        row, col = find(ws, "Kuvaus (fi)")
        ws.cell(row, col).value = "Huomiot"  # a person reuses a column for notes
        ws.cell(row + 1, col).value = "muistiinpanot"  # and writes into the Swedish header row too
        ws.cell(row + 3, col).value = "tarkista"

    path = edited(tmp_path, annotate)
    result = CliRunner().invoke(main, ["import", str(path), "--catalog", str(tmp_path / "catalog")])
    assert result.exit_code == 0, result.output
    assert 'column "Huomiot" is not part of the layout and is ignored [excel.extra_column]' in result.output
    assert 'no column "Kuvaus (fi)": read as empty on every row [excel.absent_column]' in result.output


# ---- never a traceback -----------------------------------------------------------------------------------

_VOCABULARY = st.sampled_from(
    [c.fi for c in COLUMNS]
    + [m.text for m in META_LABELS]
    + ["Tekninen (JSON)", "Tekninen (JSON) 2", "testi", "testi/a", "testi/a/b", "/", "", "K", "E", "x", "kyllä?"]
    + ['{"keys":["name","zz"]}', '{"texts":{"name":[["fi","a"]]}}', '{"node":[["type","string"]]}', "{}", "[]"]
    + ['{"subs":[["code",{}]]}', '{"members":["a","a"]}', '{"extra":[["name",1]]}', '{"path":[]}', '{"wrapper":null}']
    + ['{"values":{"oid":""}}', '{"order":["oid","x"]}', '{"root":[["a",1]]}', "=1+1", "#N/A"]
)
FUZZ = int(os.environ.get("SOSMETA_FUZZ_EXAMPLES", "60"))
_CELL = st.one_of(
    st.none(),
    _VOCABULARY,
    st.integers(-3, 3),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(st.characters(exclude_categories=["Cc", "Cs"])),
)


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CELL, max_size=12), max_size=14), st.data())
def test_any_grid_gives_structures_or_located_errors_never_a_crash(grid: list[list[Any]], data: st.DataObject) -> None:
    base = data.draw(st.sampled_from([[], _grid_of(STRUCTURE)]))
    rows = [list(r) for r in base] + grid
    if base and data.draw(st.booleans()):
        rows[data.draw(st.integers(0, len(rows) - 1))] = data.draw(st.lists(_CELL, max_size=40))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(r, c)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.xlsx"
        wb.save(path)
        try:
            structures, _ = read_workbook(path)
        except InputError as exc:
            assert exc.problems and all(p.code in CODES for p in exc.problems)
        else:
            assert all(isinstance(s, Structure) for s in structures)


def _grid_of(structure: Structure) -> list[list[Any]]:
    ws = load_workbook(io.BytesIO(structure_workbook(structure)))[SHEET]
    return [[c.value for c in row] for row in ws.iter_rows()]


_NAMES = st.sampled_from(["name", "description", "zz", "system", "code", "kuvaus", "testi", "", "oid", "type"])
_TECH_VALUE = st.one_of(
    json_value,
    st.lists(_NAMES),
    st.lists(st.tuples(_NAMES, json_value).map(list)),
    st.dictionaries(_NAMES, st.lists(st.tuples(st.sampled_from(["fi", "sv", ""]), text).map(list))),
)
_TECH = st.dictionaries(
    st.sampled_from(["path", "keys", "texts", "extra", "node", "wrapper", "subs", "members", "x"]), _TECH_VALUE
)


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TECH, _TECH)
def test_any_technical_json_gives_a_structure_or_located_errors(row_tech: dict[str, Any], meta: dict[str, Any]) -> None:
    child = STRUCTURE.document.children[0].model_copy(update={"description": (LangText(lang="fi", value="-"),) * 2})
    structure = with_document(STRUCTURE, STRUCTURE.document.model_copy(update={"members": (child,)}))
    wb = load_workbook(io.BytesIO(structure_workbook(structure)))
    ws = wb[SHEET]
    row, col = find(ws, "Tekninen (JSON)")
    ws.cell(row + 3, col).value = json.dumps(row_tech)
    ws.cell(row - 1, 3).value = "Tekninen (JSON)"
    ws.cell(row - 1, 4).value = json.dumps({"order" if k == "keys" else k: v for k, v in meta.items()})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tech.xlsx"
        wb.save(path)
        try:
            (again,), _ = read_workbook(path)
        except InputError as exc:
            assert exc.problems and all(p.code in CODES for p in exc.problems)
        else:
            assert again.document.key == "testi"


def test_a_missing_parent_is_reported_once_not_for_every_row_below(tmp_path: Path, corpus: list[Path]) -> None:
    from tests.conftest import load_corpus_structure

    structure = load_corpus_structure(corpus[0])
    document_row: list[int] = []

    def drop_document_row(ws: Worksheet) -> None:
        row, _ = find(ws, "Nimi (fi)")
        document_row.append(row + 2)
        ws.delete_rows(row + 2)

    (line,) = problems(edited(tmp_path, drop_document_row, structure))
    assert "no document row" in line and line.endswith("[excel.no_document_row]")

    def orphan_a_group(ws: Worksheet) -> None:
        row, col = find(ws, "Avainpolku")
        group = next(r for r in range(row + 3, ws.max_row) if ws.cell(r + 1, 2).value == 3)
        ws.cell(group, col).value = f"{ws.cell(group, col).value}_muutettu/ylimaarainen"
        ws.cell(group, 2).value = 3

    lines = problems(edited(tmp_path, orphan_a_group, structure))
    # The edited row (its new parent does not exist) and the first of its former children; not every child.
    assert len(lines) == 2 and all("[excel.bad_key_path]" in line for line in lines)
