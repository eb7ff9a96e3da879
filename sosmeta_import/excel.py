"""Importer for structure workbooks (.xlsx, .xlsm) in the layout of docs/excel.md.

Every sheet that has the metadata block and the element table is one structure; the legend sheet and other
sheets are skipped. The reader accepts what people do to a workbook: columns reordered, renamed within the
known synonyms (Finnish, Swedish, English; case, spacing and punctuation ignored), extra columns (ignored,
with a warning), blank rows, row numbers typed as numbers (`3.0`), yes/no as K/E, TRUE/FALSE, x, kyllä/ei,
spaces and non-breaking spaces at the ends of a cell, line breaks inside cells, merged metadata cells.

Safety: the zip is inspected before any XML is parsed (size, inflation ratio, number of entries); rows and
columns are bounded; formulas are never evaluated (the value Excel cached is used, a formula without one is
reported); links to other workbooks are not followed. An .xlsm workbook is read as data: its macros are
never run (openpyxl does not execute VBA and is told not to keep it).

Every problem of a workbook is collected and raised together as one `InputError`; each names `sheet!cell`
and carries a code from `CODES`. Warnings go to the `sosmeta.import` logger (printed on stderr).

This module reads the workbook and its sheets; the pieces of a sheet are in `_xlsx_cells` (cell values,
technical JSON), `_xlsx_layout` (header row, columns, metadata block) and `_xlsx_rows` (element rows to the
model).
"""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from sosmeta.sosmeta_import._xlsx_cells import RowError, Sheet
from sosmeta.sosmeta_import._xlsx_guard import inspect
from sosmeta.sosmeta_import._xlsx_layout import HEADER_SCAN, find_header, is_second_header, read_layout, read_meta
from sosmeta.sosmeta_import._xlsx_rows import Record, TableReader, build_element, build_structure, link_tree
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.sosmeta_import.limits import MAX_ELEMENT_DEPTH
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.model import Structure
from sosmeta.structures.workbook import LEGEND_SHEET, meta_label_id, normalize_header, read_text

SUFFIXES = (".xlsx", ".xlsm")
MAX_ROWS = 100_000
MAX_COLUMNS = 256
MAX_CELLS = 2_000_000
SKIPPED_SHEETS = frozenset(normalize_header(n) for n in (LEGEND_SHEET, "Selitteet", "Förklaring", "Legend", "Ohje"))

log = logging.getLogger("sosmeta.import")

CODES: dict[str, str] = {
    "excel.too_large": "the file is larger than a structure workbook can be",
    "excel.not_zip": "not an .xlsx/.xlsm file (an old .xls, a password-protected workbook or another file)",
    "excel.zip_bomb": "the archive would inflate too far (total size or compression ratio over the limit)",
    "excel.zip_entries": "the archive has too many entries",
    "excel.not_workbook": "a zip archive without a workbook in it",
    "excel.unreadable": "the workbook XML cannot be read",
    "excel.too_many_cells": "a sheet has more rows, columns or cells than the limits",
    "excel.no_structure": "no sheet holds a structure (metadata block and element table)",
    "excel.no_header": "a sheet has the metadata block but no header row of the element table",
    "excel.unknown_header": "a header is not known but close to a known one that is missing (misspelt?)",
    "excel.duplicate_header": "two columns have the same meaning",
    "excel.missing_column": "a column the table cannot do without is missing",
    "excel.meta_missing": "the metadata block or its version OID row is missing",
    "excel.meta_unknown": "a metadata label is not known but close to a known one (misspelt?)",
    "excel.meta_duplicate": "a metadata label appears twice",
    "excel.not_yes_no": "a yes/no cell holds something else than K/E (or kyllä/ei, x, TRUE/FALSE)",
    "excel.not_integer": "a row number or level is not a whole number",
    "excel.formula_no_value": "a formula has no cached value (formulas are never evaluated)",
    "excel.cell_error": "a cell holds an Excel error value such as #N/A",
    "excel.bad_key_path": "a key path is empty, repeated, or its parent is not on an earlier row",
    "excel.bad_level": "a level does not match the key path or has no parent row above it",
    "excel.no_key": "a row has neither a key path nor a level and Finnish name to make one from",
    "excel.no_document_row": "the table has no document row (level 1) or more than one",
    "excel.bad_technical": "a technical (JSON) cell is not valid",
    "excel.conflict": "a cell was edited but the technical column still holds the old value",
    "excel.bad_oid": "the version OID is not an OID (dotted decimal, at most 128 characters)",
    "excel.bad_version": "the definition version is not a real calendar date YYYY-MM-DD",
    "excel.version_mismatch": "the Versio-OID's date arcs name another day than the definition version",
    # warnings
    "excel.extra_column": "warning: a column with an unknown header is ignored",
    "excel.absent_column": "warning: a column of the layout is not there; its field reads as empty",
    "excel.sheet_ignored": "warning: a sheet without a structure is ignored",
    "excel.meta_ignored": "warning: a row of the metadata block that starts with no known label is ignored",
    "excel.macros_ignored": "warning: the workbook has macros; they are not run",
    "excel.external_links": "warning: links to other workbooks are not followed; cached values are used",
}
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


# ---- reading rows ----------------------------------------------------------------------------------------


def _rows(ws: Any, sheet: Sheet) -> list[list[Any]]:
    """The sheet's cell values, row by row (row 1 first), within the bounds; formula and error cells checked."""
    out: list[list[Any]] = []
    cells = 0
    for r, row in enumerate(ws.iter_rows(), start=1):
        if r > MAX_ROWS or len(row) > MAX_COLUMNS:
            sheet.error(
                f"{sheet.title}!A{r}",
                say("excel.too_many_rows", rows=MAX_ROWS, columns=MAX_COLUMNS),
                "excel.too_many_cells",
            )
            return out
        values: list[Any] = []
        for c, cell in enumerate(row, start=1):
            value = cell.value
            if value is not None:
                cells += 1
                if cell.data_type == "e":
                    sheet.error(sheet.at(r, c), say("excel.cell_error", value=value), "excel.cell_error")
                    value = None
            elif sheet.formulas and sheet.at(r, c) in sheet.formulas:
                sheet.error(
                    sheet.at(r, c),
                    say("excel.formula_no_value"),
                    "excel.formula_no_value",
                )
            values.append(value)
        if cells > MAX_CELLS:
            sheet.error(sheet.title, say("excel.too_many_cells", cells=MAX_CELLS), "excel.too_many_cells")
            return out
        out.append(values)
    return out


def _has_formula(archive: zipfile.ZipFile, name: str) -> bool:
    """Whether a sheet's XML has a formula element, read in pieces (never the whole part in memory)."""
    tail = b""
    with archive.open(name) as part:
        while chunk := part.read(1 << 20):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-8:]
    return False


def _formula_cells(path: Path) -> frozenset[str]:
    """`sheet!cell` of every formula, found only when some sheet XML contains one (a second, cheap pass)."""
    with zipfile.ZipFile(path) as archive:
        has = any(
            _has_formula(archive, n)
            for n in archive.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml")
        )
    if not has:
        return frozenset()
    found = set()
    wb = load_workbook(path, read_only=True, data_only=False, keep_links=False, keep_vba=False)
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()
            for r, row in enumerate(ws.iter_rows(), start=1):
                if r > MAX_ROWS:
                    break
                for c, cell in enumerate(row[:MAX_COLUMNS], start=1):
                    if cell.data_type == "f":
                        found.add(f"{ws.title}!{get_column_letter(c)}{r}")
    finally:
        wb.close()
    return frozenset(found)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogates(rows: list[list[Any]], sheet: Sheet) -> bool:
    """Report every cell whose `_xD800_`-style escape decodes to a lone surrogate: not Unicode text, so no
    export or catalog entry could hold it (the JSON importer refuses it the same way)."""
    found = False
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and "_x" in value.lower() and _SURROGATE.search(read_text(value)):
                sheet.error(sheet.at(r, c), say("excel.surrogate"), "excel.surrogate")
                found = True
    return found


_TOO_DEEP = say("too_deep", limit=MAX_ELEMENT_DEPTH)


def read_sheet(rows: list[list[Any]], sheet: Sheet) -> Structure | None:
    """The structure on one sheet, or None when the sheet holds none (problems are collected in `sheet`)."""
    header = find_header(rows)
    if header is None:
        if any(isinstance(v, str) and meta_label_id(v) == "oid" for row in rows[:HEADER_SCAN] for v in row[:8]):
            sheet.error(
                f"{sheet.title}!A1",
                say("excel.no_header"),
                "excel.no_header",
            )
        else:
            sheet.warn(sheet.title, say("excel.sheet_ignored"), "excel.sheet_ignored")
        return None
    if _has_lone_surrogates(rows, sheet):
        return None
    before = len(sheet.problems)
    meta = read_meta(rows[:header], sheet)
    layout = read_layout(rows[header], header + 1, sheet)
    reader = TableReader(sheet, layout)
    start = header + 1
    while start < len(rows) and reader.blank(rows[start]):
        start += 1
    if start < len(rows) and is_second_header(rows[start], layout):
        start += 1
    records: list[Record] = []
    parents: dict[int, Record] = {}
    too_deep = False
    for r in range(start, len(rows)):
        values = rows[r]
        if reader.blank(values):
            continue
        try:
            record = reader.record(r + 1, values, parents)
        except RowError as exc:
            sheet.problems.extend(exc.problems)
            if exc.keys is None:
                continue
            record = Record(r + 1, exc.keys, {}, {})  # keeps the rows below it from reporting a lost parent
        depth = len(record.keys)
        if depth <= MAX_ELEMENT_DEPTH:
            records.append(record)
        elif not too_deep:  # refused before the tree is built (that recurses per level); reported once
            sheet.error(record.where or f"{sheet.title}!A{r + 1}", _TOO_DEEP, "excel.too_deep")
            too_deep = True
        parents = {d: p for d, p in parents.items() if d < depth}
        parents[depth] = record
    if not records:
        sheet.error(f"{sheet.title}!A{header + 1}", say("excel.no_rows"), "excel.no_document_row")
    document = link_tree(records, sheet)
    if document is None or len(sheet.problems) > before:
        return None
    try:
        return build_structure(meta, build_element(document, sheet), sheet)
    except RowError as exc:
        sheet.problems.extend(exc.problems)
        return None


# ---- the workbook ----------------------------------------------------------------------------------------


def read_workbook(path: Path | str, source: str | None = None) -> tuple[list[Structure], list[Problem]]:
    """The structures in a workbook and the warnings; raises `InputError` with every problem found."""
    path = Path(path)
    name = source or str(path)
    facts = inspect(path, name)
    sheet = Sheet(name)
    if facts.has_macros:
        sheet.warn("", say("excel.macros"), "excel.macros_ignored")
    if facts.has_external_links:
        sheet.warn("", say("excel.external_links"), "excel.external_links")
    structures: list[Structure] = []
    try:
        sheet.formulas = _formula_cells(path)
        wb = load_workbook(path, read_only=True, data_only=True, keep_links=False, keep_vba=False)
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged XML; all mean the same to a user
        raise InputError.one(
            name, "", say("excel.unreadable_workbook", why=f"{type(exc).__name__}: {exc}"), "excel.unreadable"
        ) from None
    try:
        for ws in wb.worksheets:
            sheet.title = ws.title
            if normalize_header(ws.title) in SKIPPED_SHEETS:
                continue
            ws.reset_dimensions()  # a stated dimension may lie; read what is there
            structure = read_sheet(_rows(ws, sheet), sheet)
            if structure is not None:
                structures.append(structure)
    except InputError:
        raise
    except Exception as exc:
        raise InputError.one(
            name, sheet.title, say("excel.unreadable_sheet", why=f"{type(exc).__name__}: {exc}"), "excel.unreadable"
        ) from None
    finally:
        wb.close()
    if not structures and not sheet.problems:
        sheet.error(
            "",
            say("excel.no_structure"),
            "excel.no_structure",
        )
    if sheet.problems:
        raise InputError(sheet.problems)
    return structures, sheet.warnings


def load(path: Path) -> list[Structure]:
    """Importer entry point: every structure sheet of the workbook; warnings are logged."""
    structures, warnings = read_workbook(path)
    for warning in warnings:
        log.warning("warning: %s", warning)  # the Problem itself: a handler may print it in its language
    return structures
