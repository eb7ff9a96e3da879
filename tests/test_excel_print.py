"""The structure workbook on paper and in LibreOffice: landscape, the main columns fitted to the page width
with the header rows and names repeated, and rows high enough that wrapped texts never run over the next row
(checked in the file LibreOffice Calc saves, too)."""

from __future__ import annotations

import io
import math
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from sosmeta.generators.excel import LINE_HEIGHT, PRINTED_COLUMNS, structure_workbook
from sosmeta.structures.model import Structure
from sosmeta.structures.workbook import COLUMNS, SHEET
from tests.test_excel_roundtrip import _resave_with_libreoffice

NAME = next(i for i, c in enumerate(COLUMNS, start=1) if c.id == "name.fi")


def header_row(ws: Worksheet) -> int:
    return next(r for r in range(1, 60) if ws.cell(r, 1).value == COLUMNS[0].fi)


def wrapped_name_rows(ws: Worksheet) -> list[tuple[int, int]]:
    """(row, lines at least) of element rows whose Finnish name cannot fit on one line of its column."""
    width = COLUMNS[NAME - 1].width
    out = []
    for row in range(header_row(ws) + 2, ws.max_row + 1):
        name = ws.cell(row, NAME).value
        if isinstance(name, str) and len(name) > width:
            out.append((row, math.ceil(len(name) / width)))
    return out


def check_heights(ws: Worksheet) -> int:
    rows = wrapped_name_rows(ws)
    for row, lines in rows:
        height = ws.row_dimensions[row].height
        assert height is not None and height >= lines * LINE_HEIGHT * 0.95, (row, height, lines)
    return len(rows)


def test_print_setup(corpus_structures: list[Structure]) -> None:
    for structure in corpus_structures[::10]:
        ws = load_workbook(io.BytesIO(structure_workbook(structure)))[SHEET]
        header = header_row(ws)
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0  # as many pages down as it takes
        assert ws.print_title_rows == f"${header}:${header + 1}" and ws.print_title_cols == "$A:$C"
        assert ws.print_area.endswith(f"$L${ws.max_row}")
    assert PRINTED_COLUMNS == 12 and COLUMNS[PRINTED_COLUMNS - 1].kind == "flag"


def long_names(structure: Structure) -> Structure:
    """The structure with a few names far longer than the name column."""
    children = tuple(
        c.model_copy(update={"name": tuple(t.model_copy(update={"value": t.value * 6}) for t in c.name or ())})
        for c in structure.document.children
    )
    return structure.model_copy(update={"document": structure.document.model_copy(update={"members": children})})


def test_rows_are_high_enough_for_wrapped_names(corpus_structures: list[Structure]) -> None:
    wrapped = 0
    for structure in corpus_structures[::6]:
        wrapped += check_heights(load_workbook(io.BytesIO(structure_workbook(long_names(structure))))[SHEET])
    assert wrapped >= 10


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice Calc (apt-get install libreoffice-calc)")
def test_heights_and_print_setup_survive_libreoffice(corpus_structures: list[Structure], tmp_path: Path) -> None:
    structures = [long_names(s) for s in corpus_structures[::20]]
    books = []
    for i, structure in enumerate(structures):
        books.append(tmp_path / f"book{i}.xlsx")
        books[-1].write_bytes(structure_workbook(structure))
    for book, saved in zip(books, _resave_with_libreoffice(books, tmp_path / "saved"), strict=True):
        ours, theirs = load_workbook(book)[SHEET], load_workbook(saved)[SHEET]
        assert check_heights(theirs) > 0
        for row in range(header_row(ours) + 2, ours.max_row + 1):
            height = ours.row_dimensions[row].height
            if height is not None:
                assert (theirs.row_dimensions[row].height or 0) >= height - 1, row
        assert theirs.page_setup.orientation == "landscape" and theirs.print_title_cols == "$A:$C"
