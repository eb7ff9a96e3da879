"""Generator: structure workbooks for people (Excel), one per structure version, readable back losslessly.

Layout (docs/excel.md): sheet `Rakenne` with the metadata block (label in A, value in B), a Finnish and a
Swedish header row, then one row per element in document order, the document element first. The name is
indented by level and rows are grouped (Excel outline) by level; flags are K/E with drop-downs, the
representation has a drop-down, the header is frozen. A `Selite` sheet explains every column in Finnish and
Swedish. Whatever the people's columns cannot say exactly goes, as compact JSON, into technical columns at the
right, and only on the rows that need it. Text starting with = + - @ is written as text, never as a formula.
The bytes are deterministic: zip entry times and document properties come from the structure version date.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import textwrap
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import Outline
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from sosmeta.generators.registry import BuildContext, Target
from sosmeta.structures.model import FLAG_KEYS, SOSMETA_FIELDS, Element, Located, Structure
from sosmeta.structures.representation import Representation
from sosmeta.structures.shape import expected_node, expected_root, expected_sub_properties, expected_wrapper
from sosmeta.structures.workbook import (
    COLUMNS,
    LEGEND_SHEET,
    META_LABELS,
    META_TECHNICAL,
    NO,
    REPRESENTATION_LABELS_FI,
    REPRESENTATION_LABELS_SV,
    SHEET,
    SOSMETA_KEY_OF_FIELD,
    TECHNICAL_LEGEND_FI,
    TECHNICAL_LEGEND_SV,
    YES,
    Column,
    cell_text,
    chunks,
    display,
    dump_technical,
    fits,
    key_path,
    plain,
    technical_header,
    texts_json,
)

MAX_OUTLINE = 7  # Excel's deepest outline level
META_COLUMN = 3  # the metadata labels stand in the (wide) Finnish name column
_EXACT_INT = 2**53  # beyond this a number cell would lose digits, so the row number is written as text
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_FONT = Font(bold=True)
_SV_FONT = Font(italic=True, color="555555")
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_GROUP_FILL = PatternFill("solid", fgColor="F2F5F9")
_DOCUMENT_FONT = Font(bold=True, size=12)
_INDENTS: dict[int, Alignment] = {}


def _indent(level: int) -> Alignment:
    if level not in _INDENTS:
        _INDENTS[level] = Alignment(wrap_text=True, vertical="top", indent=min(level, 15))
    return _INDENTS[level]


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON text, key order and 1 vs 1.0 vs true included."""
    return json.dumps(a) == json.dumps(b)


def _put_text(ws: Worksheet, row: int, col: int, text: str) -> None:
    cell = ws.cell(row=row, column=col)
    cell.value = text
    cell.data_type = "s"  # openpyxl makes "=..." a formula; this keeps every text a text
    if text[:1] in "=+-@":
        cell.quotePrefix = True  # and Excel keeps it a text when a person edits the cell


# ---- one element row -------------------------------------------------------------------------------------


def inferred_keys(element: Element, depth: int) -> tuple[str, ...]:
    """The sosmeta keys a reader assumes from the people's columns: fields with a value in canonical order, all
    six flags below the document element (an empty flag cell reads as E), then unknown keys."""
    known = tuple(k for k, f in SOSMETA_FIELDS if getattr(element, f) is not None or (k in FLAG_KEYS and depth >= 2))
    return known + tuple(k for k, _ in element.sosmeta_extra)


def technical(loc: Located) -> dict[str, Any]:
    """What the people's columns of this element's row cannot say, as JSON data (empty when nothing)."""
    element, depth = loc.element, loc.depth
    tech: dict[str, Any] = {}
    if not fits(key_path(loc.keys)):
        tech["path"] = list(loc.keys)  # an empty or over-long key path
    keys = element.sosmeta_keys()
    if keys != inferred_keys(element, depth):
        tech["keys"] = list(keys)
    texts: dict[str, Any] = {}
    for column in COLUMNS:
        if column.kind in ("text", "neutral", "values") and column.field:
            value = getattr(element, column.field)
            if value is not None and not plain(column.kind, value):
                texts[SOSMETA_KEY_OF_FIELD[column.field]] = texts_json(value)
    if texts:
        tech["texts"] = texts
    if element.sosmeta_extra:
        tech["extra"] = [[k, v] for k, v in element.sosmeta_extra]
    if not _same(element.node, expected_node(element)):
        tech["node"] = [[k, v] for k, v in element.node]
    if not _same(element.wrapper, expected_wrapper(element)):
        tech["wrapper"] = None if element.wrapper is None else [[k, v] for k, v in element.wrapper]
    subs = [[s.key, s.node] for s in element.sub_properties]
    if not _same(subs, [[s.key, s.node] for s in expected_sub_properties(element)]):
        tech["subs"] = subs
    order = [m.key for m in element.members]
    if order != [c.key for c in element.children] + [s.key for s in element.sub_properties]:
        tech["members"] = order
    return tech


def row_values(loc: Located) -> dict[str, Any]:
    """Cell values of an element row by column id (text already encoded for the cell); None = empty."""
    out: dict[str, Any] = {}
    for column in COLUMNS:
        out[column.id] = _value(column, loc)
    tech = technical(loc)
    out["technical"] = chunks(dump_technical(tech)) if tech else []
    return out


def _value(column: Column, loc: Located) -> Any:
    element = loc.element
    if column.kind == "row":
        number = element.row_number
        if number is None:
            return None
        return number if abs(number) < _EXACT_INT else str(number)
    if column.kind == "level":
        return loc.depth
    if column.kind == "path":
        path = key_path(loc.keys)
        return cell_text(path) if path else None
    value = getattr(element, column.field or "")
    if column.kind == "flag":
        return None if value is None else (YES if value else NO)
    text = display(column, value)
    return cell_text(text) if text is not None else None


# ---- sheets ----------------------------------------------------------------------------------------------


def _meta_rows(structure: Structure) -> list[tuple[str, list[str]]]:
    """(label, value cells) of the metadata block."""
    rows: list[tuple[str, list[str]]] = []
    unfit: dict[str, str] = {}
    for label in META_LABELS:
        value = getattr(structure, label.id)
        if value is not None and not fits(value):
            unfit[label.id] = value
        rows.append((label.text, [cell_text(value)] if value is not None and value != "" else []))
    tech: dict[str, Any] = {}
    if structure.meta_order is not None:
        tech["order"] = list(structure.meta_order)
    if structure.meta_extra:
        tech["extra"] = [[k, v] for k, v in structure.meta_extra]
    if not _same(structure.root, expected_root(structure)):
        tech["root"] = [[k, v] for k, v in structure.root]
    if unfit:
        tech["values"] = unfit
    if tech:
        rows.append((META_TECHNICAL.text, chunks(dump_technical(tech))))
    return rows


def write_sheet(ws: Worksheet, structure: Structure) -> None:
    """Fill `ws` with the metadata block and the element table of `structure`."""
    row = 1
    for label, cells in _meta_rows(structure):
        # Label in the wide name column, value right of it: the reader takes the first cell as the label.
        ws.cell(row=row, column=META_COLUMN, value=label).font = _HEADER_FONT
        for i, value in enumerate(cells):
            _put_text(ws, row, META_COLUMN + 1 + i, value)
        row += 1
    row += 1
    rows = [(loc, row_values(loc)) for loc in structure.walk()]
    tech_width = max((len(v["technical"]) for _, v in rows), default=0)
    header = row
    for i, column in enumerate(COLUMNS, start=1):
        _header_cell(ws, header, i, column.fi, column.sv)
        ws.column_dimensions[get_column_letter(i)].width = column.width
    for part in range(1, tech_width + 1):
        _header_cell(ws, header, len(COLUMNS) + part, technical_header(part, "fi"), technical_header(part, "sv"))
        ws.column_dimensions[get_column_letter(len(COLUMNS) + part)].width = 30
    first = header + 2
    for offset, (loc, values) in enumerate(rows):
        _element_row(ws, first + offset, loc, values)
    last = first + len(rows) - 1
    ws.freeze_panes = ws.cell(row=first, column=4)  # header rows and row number, level, Finnish name stay put
    ws.sheet_properties.outlinePr = Outline(summaryBelow=False, summaryRight=False)
    width = get_column_letter(len(COLUMNS) + tech_width)
    ws.auto_filter.ref = f"A{header + 1}:{width}{last}"  # filter buttons on the Swedish header row
    _print_setup(ws, header, last)
    _validations(ws, first, last + 200)


PRINTED_COLUMNS = 12
"""The columns printed, fitted to the page's width: row number, level, names, representation and the six flags
(all 31 of them on one page width were too small to read); the rest stay on screen, and a person can widen
the print area in the spreadsheet program."""
LINE_HEIGHT = 15.0
"""Points per line of 11 pt text (Excel's and LibreOffice's default row height)."""
MAX_ROW_HEIGHT = 409.0
"""The highest row Excel allows."""


def _print_setup(ws: Worksheet, header: int, last: int) -> None:
    """Landscape, the people's main columns fitted to the page width, the two header rows and the row number,
    level and Finnish name repeated on every printed page, narrow margins, the sheet's title in the header."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:{get_column_letter(PRINTED_COLUMNS)}{last}"
    ws.print_title_rows = f"{header}:{header + 1}"
    ws.print_title_cols = "A:C"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = "&A"
    ws.oddFooter.right.text = "&P / &N"


def _lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide (a little narrower than the
    width, since Finnish words do not break and the last word of a line rarely fills it)."""
    per_line = max(4, int(width * 0.95) - 1)
    return sum(max(1, len(textwrap.wrap(part, per_line, break_on_hyphens=False))) for part in text.split("\n"))


def row_height(values: dict[str, Any], depth: int) -> float | None:
    """The height in points that shows every wrapped cell of an element row whole (None: the default line).

    A row left at the default height keeps one line in LibreOffice, and wrapped names ran over the next row."""
    lines = 1
    for column in COLUMNS:
        value = values[column.id]
        if isinstance(value, str) and value:
            indent = 1.5 * min(depth - 1, 15) if column.field == "name" else 0
            lines = max(lines, _lines(value, column.width - indent))
    if lines == 1:
        return None
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 2)


def _header_cell(ws: Worksheet, row: int, col: int, fi: str, sv: str) -> None:
    ws.row_dimensions[row].height = ws.row_dimensions[row + 1].height = 30  # room for two lines of header
    top = ws.cell(row=row, column=col, value=fi)
    top.font, top.fill, top.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
    below = ws.cell(row=row + 1, column=col, value=sv)
    below.font, below.fill, below.alignment = _SV_FONT, _HEADER_FILL, _WRAP


def _element_row(ws: Worksheet, row: int, loc: Located, values: dict[str, Any]) -> None:
    group = loc.element.representation in (Representation.GROUP, Representation.OTSIKKO)
    for i, column in enumerate(COLUMNS, start=1):
        value = values[column.id]
        if value is None:
            continue
        if isinstance(value, str):
            _put_text(ws, row, i, value)
        else:
            ws.cell(row=row, column=i, value=value)
        cell = ws.cell(row=row, column=i)
        cell.alignment = _indent(loc.depth - 1) if column.field == "name" else _WRAP
        if loc.depth == 1:
            cell.font = _DOCUMENT_FONT
        elif group:
            cell.fill = _GROUP_FILL
    for part, chunk in enumerate(values["technical"]):
        _put_text(ws, row, len(COLUMNS) + 1 + part, chunk)
    height = row_height(values, loc.depth)
    if height is not None:
        ws.row_dimensions[row].height = height
    if loc.depth > 1:
        ws.row_dimensions[row].outline_level = min(loc.depth - 1, MAX_OUTLINE)


def _validations(ws: Worksheet, first: int, last: int) -> None:
    flags = [i for i, c in enumerate(COLUMNS, start=1) if c.kind == "flag"]
    yes_no = DataValidation(
        type="list",
        formula1=f'"{YES},{NO}"',
        allow_blank=True,
        errorStyle="warning",
        error="K = kyllä / ja, E = ei / nej",
        errorTitle="K/E",
        showErrorMessage=True,
    )
    yes_no.add(f"{get_column_letter(flags[0])}{first}:{get_column_letter(flags[-1])}{last}")
    ws.add_data_validation(yes_no)
    for column_id, labels in (
        ("representation_texts.fi", REPRESENTATION_LABELS_FI),
        ("representation_texts.sv", REPRESENTATION_LABELS_SV),
    ):
        index = next(i for i, c in enumerate(COLUMNS, start=1) if c.id == column_id)
        rep = DataValidation(
            type="list",
            formula1='"' + ",".join(labels) + '"',
            allow_blank=True,
            errorStyle="warning",
            showErrorMessage=True,
            errorTitle="Esitysmuoto / Representation",
            error="Tuntematon esitysmuoto / okänd representation",
        )
        letter = get_column_letter(index)
        rep.add(f"{letter}{first}:{letter}{last}")
        ws.add_data_validation(rep)


def write_legend(ws: Worksheet) -> None:
    """The `Selite` sheet: every column and metadata label explained in Finnish and Swedish."""
    headings = ("Sarake", "Kolumn", "Sosmeta", "Selitys", "Förklaring")
    for i, (text, width) in enumerate(zip(headings, (28, 28, 26, 60, 60), strict=True), start=1):
        cell = ws.cell(row=1, column=i, value=text)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        ws.column_dimensions[get_column_letter(i)].width = width
    lines: list[tuple[str, str, str, str, str]] = [
        (c.fi, c.sv, c.key or c.id, c.legend_fi, c.legend_sv) for c in COLUMNS
    ]
    lines.append((technical_header(1), technical_header(1, "sv"), "", TECHNICAL_LEGEND_FI, TECHNICAL_LEGEND_SV))
    lines.append(
        (
            "K / E",
            "K / E",
            "true / false",
            "K = kyllä, E = ei (myös x, kyllä/ei, TRUE/FALSE luetaan)",
            "K = ja, E = nej (även x, ja/nej, TRUE/FALSE läses)",
        )
    )
    lines.append(
        (
            "-",
            "-",
            "",
            "Paikkamerkki: ei tekstiä (säilytetään sellaisenaan)",
            "Platshållare: ingen text (bevaras som sådan)",
        )
    )
    lines.append(
        (
            "_xHHHH_",
            "_xHHHH_",
            "",
            "Merkki, jota solu ei voi sisältää, tai välilyönti tekstin alussa tai lopussa (Excelin oma merkintätapa)",
            "Tecken som en cell inte kan innehålla, eller "
            "mellanslag i början eller slutet av texten (Excels eget skrivsätt)",
        )
    )
    for label in META_LABELS:
        lines.append(
            (
                label.fi,
                label.sv,
                label.id,
                "Metatieto ylhäällä: arvo sarakkeessa B",
                "Metadata överst: värdet i kolumn B",
            )
        )
    for r, line in enumerate(lines, start=2):
        for i, text in enumerate(line, start=1):
            if text:
                _put_text(ws, r, i, text)
            ws.cell(row=r, column=i).alignment = _WRAP
    ws.freeze_panes = "A2"


# ---- the workbook ----------------------------------------------------------------------------------------


def _stamp(structures: Sequence[Structure]) -> dt.datetime:
    dates = [s.version_date for s in structures if s.version_date is not None]
    day = max(dates) if dates else dt.date(2000, 1, 1)
    return dt.datetime(max(day.year, 1980), day.month, day.day)


def workbook_bytes(structures: Sequence[Structure]) -> bytes:
    """One workbook holding a sheet per structure (`Rakenne`, `Rakenne 2`, ...) and the legend sheet."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    for i, structure in enumerate(structures):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = SHEET if i == 0 else f"{SHEET} {i + 1}"
        write_sheet(ws, structure)
    write_legend(wb.create_sheet(LEGEND_SHEET))
    stamp = _stamp(structures)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "sosmeta"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return _repack(raw.getvalue(), stamp)


def structure_workbook(structure: Structure) -> bytes:
    return workbook_bytes([structure])


def _repack(data: bytes, stamp: dt.datetime) -> bytes:
    """The same archive with fixed entry times and attributes, so equal input gives equal bytes."""
    out = io.BytesIO()
    when = (stamp.year, stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _build(ctx: BuildContext) -> None:
    """One workbook per structure version; with `[excel] one_workbook = true` in sosmeta.toml, also the whole
    catalog in `catalog.xlsx` (a sheet per structure version)."""
    for structure in ctx.progress(ctx.structures, "excel"):
        ctx.write(f"{structure.version_oid}.xlsx", structure_workbook(structure))
    if ctx.options.get("excel", {}).get("one_workbook"):
        ctx.write("catalog.xlsx", workbook_bytes(ctx.structures))


TARGET = Target(
    name="excel",
    description="Structure workbooks for people, readable back losslessly (OUT/excel/<version OID>.xlsx)",
    build=_build,
)
