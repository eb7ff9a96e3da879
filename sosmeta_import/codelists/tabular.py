"""Code lists as tables: CSV files and workbook sheets, one concept code per row.

The first row names the columns: the csapi field names (`classificationId`, `versionId`, `conceptCodeId`,
`status`, `beginDate`, `expirationDate`, ...) or their short synonyms (`code`, `fi`, `sv`, `en`, `parent`,
`begin`, `expires`, ...), case and spacing ignored; every other column is an attribute named by its header,
and a header given twice holds several values of one attribute. Empty cells are absent values. Places are
`line N (column)` in a CSV file and `Sheet!C5` in a workbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sosmeta.safeio.reading import MAX_STRUCTURE_BYTES, read_text
from sosmeta.sosmeta_import._xlsx_guard import inspect
from sosmeta.sosmeta_import.codelists.concepts import FIELDS, Concept
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.sosmeta_import.problem_texts import say

SYNONYMS = {
    "code": "conceptCodeId",
    "koodi": "conceptCodeId",
    "classification": "classificationId",
    "version": "versionId",
    "begin": "beginDate",
    "expires": "expirationDate",
    "expiration": "expirationDate",
    "modified": "lastModifiedDate",
    "created": "createDate",
    "fi": "LongName",
    "name": "LongName",
    "name_fi": "LongName",
    "sv": "LongName_sv",
    "name_sv": "LongName_sv",
    "en": "LongName_en",
    "name_en": "LongName_en",
    "parent": "ParentId",
}
_FIELD_BY_FOLDED = {f.lower(): f for f in FIELDS}


def _fold(header: str) -> str:
    return "".join(header.split()).lower()


def column_names(headers: Sequence[Any]) -> list[str | None]:
    """Each header as a field or attribute name; None for an empty header (the column is ignored)."""
    out: list[str | None] = []
    for header in headers:
        text = str(header).strip() if header is not None else ""
        if not text:
            out.append(None)
            continue
        folded = _fold(text)
        out.append(_FIELD_BY_FOLDED.get(folded) or SYNONYMS.get(folded) or text)
    return out


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def row_concept(
    names: list[str | None], cells: Sequence[Any], source: str, place: str, cell_place: Any
) -> Concept | None:
    """One row as a concept (None for an empty row); `cell_place(i)` locates column i."""
    fields: dict[str, Any] = {}
    attributes: dict[str, list[Any]] = {}
    places: dict[str, str] = {}
    for i, name in enumerate(names):
        if name is None or i >= len(cells):
            continue
        value = _cell_value(cells[i])
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        places.setdefault(name, cell_place(i))
        if name in _FIELD_BY_FOLDED.values():
            fields.setdefault(name, value)
        else:
            attributes.setdefault(name, []).append(value)
    if not fields and not attributes:
        return None
    return Concept(source, place, fields, list(attributes.items()), places)


def _check_headers(names: list[str | None], source: str, place: Any) -> None:
    if "conceptCodeId" not in names:
        raise InputError.one(source, place(0), say("codes.no_code_column"), "codes.no_code_column")
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in FIELDS:
            if name in seen:
                raise InputError.one(
                    source, place(i), say("codes.duplicate_column", name=name), "codes.duplicate_column"
                )
            seen.add(name)


def csv_concepts(path: Path, source: str) -> list[Concept]:
    """The concepts of a CSV file (UTF-8, comma, semicolon or tab separated)."""
    text = read_text(path, MAX_STRUCTURE_BYTES, source)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(rows, None)
        if header is None:
            raise InputError.one(source, "line 1", say("codes.empty_file"), "codes.no_code_column")
        names = column_names(header)
        _check_headers(names, source, lambda i: f"line 1 ({header[i] if i < len(header) else ''})")
        out = []
        line = rows.line_num
        for cells in rows:
            start, line = line + 1, rows.line_num
            concept = row_concept(names, cells, source, f"line {start}", lambda i, s=start: f"line {s} ({names[i]})")
            if concept is not None:
                out.append(concept)
        return out
    except csv.Error as exc:
        raise InputError.one(
            source, f"line {rows.line_num}", say("codes.not_csv", why=str(exc)), "codes.csv_syntax"
        ) from None


def _choose_sheet(sheet_names: Iterable[str], wanted: str | None, source: str) -> str:
    names = list(sheet_names)
    if wanted is None:
        return names[0]
    if wanted not in names:
        raise InputError.one(
            source, "", say("codes.no_sheet", sheet=repr(wanted), names=", ".join(names)), "codes.no_sheet"
        )
    return wanted


def workbook_concepts(path: Path, source: str, sheet: str | None = None) -> list[Concept]:
    """The concepts of a workbook sheet (`sheet`, else the first)."""
    from openpyxl import load_workbook  # here: every command loads this module, few read workbooks
    from openpyxl.utils import get_column_letter

    inspect(path, source)
    try:
        wb = load_workbook(path, read_only=True, data_only=True, keep_links=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged XML; all mean the same to a user
        raise InputError.one(
            source, "", say("excel.unreadable_workbook", why=type(exc).__name__), "excel.unreadable"
        ) from None
    try:
        title = _choose_sheet(wb.sheetnames, sheet, source)
        rows = wb[title].iter_rows(values_only=True)
        header = next(rows, None) or ()
        names = column_names(header)
        _check_headers(names, source, lambda i: f"{title}!{get_column_letter(i + 1)}1")
        out = []
        for r, cells in enumerate(rows, start=2):
            concept = row_concept(
                names, cells, source, f"{title}!A{r}", lambda i, r=r: f"{title}!{get_column_letter(i + 1)}{r}"
            )
            if concept is not None:
                out.append(concept)
        return out
    finally:
        wb.close()
