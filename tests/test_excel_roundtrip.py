"""Structure workbooks: every real export survives JSON -> model -> workbook -> model -> JSON byte for byte, and
the generated workbook is what people need (frozen header, outline, drop-downs, legend, texts never formulas)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sosmeta.generators.excel import structure_workbook, workbook_bytes
from sosmeta.generators.sosmeta_json import dump_structure
from sosmeta.sosmeta_import import load_any
from sosmeta.sosmeta_import.excel import read_workbook
from sosmeta.structures.model import Element, Structure
from sosmeta.structures.texts import LangText
from sosmeta.structures.workbook import (
    CELL_LIMIT,
    COLUMNS,
    HEADER_INDEX,
    LEGEND_SHEET,
    META_INDEX,
    SHEET,
    decode_cell,
    encode_cell,
    normalize_header,
    read_text,
)
from tests.conftest import load_corpus_structure


def through_excel(structure: Structure, tmp_path: Path) -> Structure:
    path = tmp_path / "book.xlsx"
    path.write_bytes(structure_workbook(structure))
    (again,), _ = read_workbook(path)
    return again


def test_export_survives_excel_byte_for_byte(corpus_path: Path, tmp_path: Path) -> None:
    structure = load_corpus_structure(corpus_path)
    path = tmp_path / f"{structure.version_oid}.xlsx"
    path.write_bytes(structure_workbook(structure))
    (again,) = load_any(path)  # the importer is found by suffix, as `sosmeta import` finds it
    assert again == structure
    assert dump_structure(again).encode("utf-8") == corpus_path.read_bytes()


def test_workbook_bytes_are_deterministic(corpus: list[Path]) -> None:
    structure = load_corpus_structure(corpus[0])
    first = structure_workbook(structure)
    assert structure_workbook(structure) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        stamps = {info.date_time for info in archive.infolist()}
        core = archive.read("docProps/core.xml").decode()
    date = structure.version_date
    assert date is not None
    assert stamps == {(date.year, date.month, date.day, 0, 0, 0)}
    assert f"{date.isoformat()}T00:00:00Z" in core


def test_several_structures_share_one_workbook(corpus: list[Path], tmp_path: Path) -> None:
    structures = [load_corpus_structure(p) for p in corpus[:3]]
    path = tmp_path / "three.xlsx"
    path.write_bytes(workbook_bytes(structures))
    read, warnings = read_workbook(path)
    assert read == structures
    assert warnings == []


def test_generated_workbook_is_ready_for_people(corpus: list[Path]) -> None:
    structure = max((load_corpus_structure(p) for p in corpus), key=lambda s: max(loc.depth for loc in s.walk()))
    wb = load_workbook(io.BytesIO(structure_workbook(structure)))
    assert wb.sheetnames == [SHEET, LEGEND_SHEET]
    ws = wb[SHEET]
    header = next(r for r in range(1, 30) if ws.cell(r, 3).value == "Nimi (fi)")
    first = header + 2
    assert ws.freeze_panes == f"D{first}"
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith(f"A{header + 1}:")
    assert ws.print_title_rows == f"${header}:${header + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert [ws.cell(header, i + 1).value for i in range(len(COLUMNS))] == [c.fi for c in COLUMNS]
    assert [ws.cell(header + 1, i + 1).value for i in range(len(COLUMNS))] == [c.sv for c in COLUMNS]
    locs = list(structure.walk())
    name_col = 3
    for offset, loc in enumerate(locs):
        row = first + offset
        assert ws.cell(row, 2).value == loc.depth
        assert ws.cell(row, name_col).alignment.indent == loc.depth - 1
        assert ws.cell(row, name_col).alignment.wrap_text
        assert ws.row_dimensions[row].outline_level == min(loc.depth - 1, 7)
    assert max(loc.depth for loc in locs) >= 7
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"K,E"' in formulas
    assert any("Koodi" in f and "Otsikko" in f for f in formulas)
    assert any("Kod" in f and "Rubrik" in f for f in formulas)
    legend = wb[LEGEND_SHEET]
    legend_rows = {legend.cell(r, 1).value: legend.cell(r, 2).value for r in range(2, legend.max_row + 1)}
    assert all(legend_rows.get(c.fi) == c.sv for c in COLUMNS)


def test_texts_that_look_like_formulas_or_numbers_stay_text(tmp_path: Path) -> None:
    base = load_corpus_structure_or_minimal()
    tricky = [
        "=SUM(A1:A2)",
        "+358 40 1234567",
        "-",
        "@import",
        "1",
        "01",
        "1.0",
        "TRUE",
        "K",
        "_x0041_",
        " leading",
        "trailing\n",
        "\u00a0nbsp\u00a0",
        "a\rb",
        "nul\x00bell\x07",
        "\ufffe",  # (a lone surrogate such as "\ud800" is refused on import: test_hardening_faults.py)
    ]
    document = base.document
    rows = tuple(
        document.children[0].model_copy(
            update={"key": f"k{i}", "description": (LangText(lang="fi", value=t),), "row_number": i + 1}
        )
        for i, t in enumerate(tricky)
    )
    structure = with_document(base, document.model_copy(update={"members": rows}))
    data = structure_workbook(structure)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert any(c.value == "=SUM(A1:A2)" for c in cells)
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    path = tmp_path / "tricky.xlsx"
    path.write_bytes(data)
    (again,), _ = read_workbook(path)
    assert again == structure
    assert [c.description for c in again.document.children] == [c.description for c in rows]


def test_texts_over_the_cell_limit_survive_in_technical_columns(tmp_path: Path) -> None:
    base = load_corpus_structure_or_minimal()
    long_text = ("Pitkä kuvaus; " * 6000)[: CELL_LIMIT * 2 + 17]
    child = base.document.children[0].model_copy(
        update={"description": (LangText(lang="fi", value=long_text), LangText(lang="sv", value="kort"))}
    )
    structure = with_document(base, base.document.model_copy(update={"members": (child,)}))
    data = structure_workbook(structure)
    ws = load_workbook(io.BytesIO(data))[SHEET]
    assert all(len(c.value) <= CELL_LIMIT for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    again = through_excel(structure, tmp_path)
    assert again.document.children[0].description == child.description
    assert dump_structure(again) == dump_structure(structure)


def with_document(structure: Structure, document: Element) -> Structure:
    """`structure` with another document element (built anew: model_copy would keep the cached walk)."""
    fields = {name: getattr(structure, name) for name in Structure.model_fields if name != "document"}
    return Structure(**fields, document=document)


def load_corpus_structure_or_minimal() -> Structure:
    """A small real-shaped structure built in the test (no corpus needed)."""
    from sosmeta.structures.shape import document_title, expected_root, with_standard_shape

    row = Element(
        key="kuvaus",
        name=(LangText(lang="fi", value="Kuvaus"),),
        representation_texts=(LangText(lang="fi", value="Teksti"), LangText(lang="sv", value="Text")),
        repeatable=False,
        required=False,
        conditional_required=False,
        nationally_recorded=False,
        hidden_field=False,
        hidden_title=False,
        row_number=1,
    )
    document = with_standard_shape(Element(key="testi", name=(LangText(lang="fi", value="Testi"),), members=(row,)))
    structure = Structure(
        title=document_title("Testi"),
        status="Valmis",
        definition_version="2025-01-01",
        oid="1.2.246.537.6.1506.99999.2025.1.1",
        document=document,
    )
    return structure.model_copy(update={"root": expected_root(structure)})


# ---- the layout itself -----------------------------------------------------------------------------------


def test_every_header_and_synonym_names_one_column() -> None:
    for column in COLUMNS:
        for text in (column.fi, column.sv, *column.synonyms):
            assert HEADER_INDEX[normalize_header(text)] == column.id
    assert HEADER_INDEX[normalize_header("  NIMI\u00a0( FI ) ")] == "name.fi"
    assert META_INDEX[normalize_header("tila")] == "status"


_NASTY = st.sampled_from(["_x0041_", "_x1234", "_", "x", "\r", "\x00", " ", "\ud800", "\ufffe", "\n", "\u00a0", "A"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.characters(), _NASTY)).map("".join))
def test_cell_escape_is_reversible_and_survives_trimming(text: str) -> None:
    encoded = encode_cell(text)
    assert encoded == encoded.strip()
    assert read_text(encoded) == text
    assert decode_cell(encode_cell(text)) == text


# ---- a real spreadsheet program ------------------------------------------------------------------------


def _resave_with_libreoffice(books: list[Path], out: Path) -> list[Path]:
    """Open and save each workbook in LibreOffice Calc (headless), as a person's spreadsheet program would."""
    command = ["soffice", "--headless", "--calc", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out)]
    subprocess.run([*command, *map(str, books)], check=True, capture_output=True, timeout=300)
    return [out / b.name for b in books]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice Calc (apt-get install libreoffice-calc)")
def test_workbooks_saved_by_libreoffice_read_the_same(corpus: list[Path], tmp_path: Path) -> None:
    structures = [load_corpus_structure(p) for p in corpus[::10]]
    base = load_corpus_structure_or_minimal()
    # What a spreadsheet program may change. Not here: a literal _xHHHH_ and whitespace at the ends of a text,
    # which LibreOffice saves unescaped (docs/excel.md); real exports have neither.
    tricky = [
        "=SUM(A1:A2)",
        "+358 40",
        "-",
        "@x",
        "1",
        "01",
        "1.0",
        "TRUE",
        "K",
        "a\rb",
        "nul\x00bell\x07",
        "a\tb",
        "x" * 40_000,
        "2024-01-01",
        "1,5",
        "50%",
        "a\nb",
    ]
    rows = tuple(
        base.document.children[0].model_copy(
            update={"key": f"k{i}", "description": (LangText(lang="fi", value=t),), "row_number": i + 1}
        )
        for i, t in enumerate(tricky)
    )
    structures.append(with_document(base, base.document.model_copy(update={"members": rows})))
    books = []
    for i, structure in enumerate(structures):
        books.append(tmp_path / f"book{i}.xlsx")
        books[-1].write_bytes(structure_workbook(structure))
    for structure, saved in zip(structures, _resave_with_libreoffice(books, tmp_path / "saved"), strict=True):
        assert saved.read_bytes() != structure_workbook(structure)  # really written by another program
        (again,), _ = read_workbook(saved)
        assert again == structure
        assert dump_structure(again) == dump_structure(structure)
