"""The layout of a structure sheet: the header row of the element table found and its headers matched to the
layout's columns (synonyms in fi/sv/en, near misses reported as misspellings), and the metadata block above
it read label by label.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from sosmeta.sosmeta_import._xlsx_cells import META_TECH, Sheet, cell_text, quoted, technical_json
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.workbook import (
    COLUMN_BY_ID,
    COLUMNS,
    HEADER_INDEX,
    META_LABEL_BY_ID,
    META_LABELS,
    meta_label_id,
    normalize_header,
    read_text,
    technical_part,
)

HEADER_SCAN = 60
"""The header row must be among the first rows of a sheet."""


def _header_ids(row: list[Any]) -> set[str]:
    return {HEADER_INDEX[n] for v in row if isinstance(v, str) and (n := normalize_header(v)) in HEADER_INDEX}


def find_header(rows: list[list[Any]]) -> int | None:
    """Index of the header row: the first with three known headers, among them the name or the key path."""
    for i, row in enumerate(rows[:HEADER_SCAN]):
        ids = _header_ids(row)
        if len(ids) >= 3 and ids & {"name.fi", "key_path"}:
            return i
    return None


@dataclass
class Layout:
    """Where the element table's columns are on the sheet."""

    columns: dict[str, int]
    """Column id -> 0-based index."""
    technical: list[int]
    """0-based indexes of the technical column and its continuations, in order."""


def read_layout(header: list[Any], row_number: int, sheet: Sheet) -> Layout:
    """The columns of the header row; duplicate, misspelt, unknown and absent headers reported in `sheet`."""
    columns: dict[str, int] = {}
    technical: dict[int, int] = {}
    unknown: list[tuple[int, str]] = []
    for i, value in enumerate(header):
        text = cell_text(value)
        if text is None:
            continue
        part = technical_part(text)
        if part is not None:
            if part in technical:
                sheet.error(
                    sheet.at(row_number, i + 1), say("excel.technical_twice", part=part), "excel.duplicate_header"
                )
            technical[part] = i
            continue
        column_id = HEADER_INDEX.get(normalize_header(text))
        if column_id is None:
            unknown.append((i, text))
        elif column_id in columns:
            first = get_column_letter(columns[column_id] + 1)
            sheet.error(
                sheet.at(row_number, i + 1),
                say("excel.same_column", text=quoted(text), first=first, name=COLUMN_BY_ID[column_id].fi),
                "excel.duplicate_header",
            )
        else:
            columns[column_id] = i
    missing = {normalize_header(t): c.id for c in COLUMNS if c.id not in columns for t in (c.fi, c.sv, *c.synonyms)}
    for i, text in unknown:
        near = difflib.get_close_matches(normalize_header(text), list(missing), n=1, cutoff=0.75)
        where = sheet.at(row_number, i + 1)
        if near:
            column = COLUMN_BY_ID[missing[near[0]]]
            sheet.error(
                where, say("excel.unknown_header", text=quoted(text), near=quoted(column.fi)), "excel.unknown_header"
            )
        else:
            sheet.warn(where, say("excel.extra_column", text=quoted(text)), "excel.extra_column")
    absent = [c.fi for c in COLUMNS if c.id not in columns]
    if absent:
        sheet.warn(
            sheet.at(row_number, 1),
            say("excel.absent_column", columns=", ".join(quoted(a) for a in absent)),
            "excel.absent_column",
        )
    if "key_path" not in columns and "level" not in columns:
        sheet.error(
            sheet.at(row_number, 1),
            say("excel.missing_column"),
            "excel.missing_column",
        )
    return Layout(columns, [technical[p] for p in sorted(technical)])


def is_second_header(row: list[Any], layout: Layout) -> bool:
    """Whether the row under the header is the Swedish header row: most of its cells in the table's columns
    are header texts (a person's note in one of them does not make it a data row)."""
    used = [*layout.columns.values(), *layout.technical]
    texts = [t for i in used if i < len(row) and (t := cell_text(row[i])) is not None]
    headers = sum(normalize_header(t) in HEADER_INDEX or technical_part(t) is not None for t in texts)
    return headers >= 2 and headers * 2 > len(texts)


# ---- metadata --------------------------------------------------------------------------------------------


@dataclass
class Meta:
    """The metadata block as read: values by label id and the technical cell's entries."""

    values: dict[str, str | None] = field(default_factory=dict)
    technical: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    """Where each value was read (`sheet!cell`), by label id; `technical` is the technical cell."""


_META_TEXTS = {normalize_header(t): m.id for m in META_LABELS for t in (m.fi, m.sv, m.text)}


def read_meta(rows: list[list[Any]], sheet: Sheet) -> Meta:
    """The metadata block (the rows above the header row); unknown, misspelt and repeated labels reported."""
    meta = Meta()
    seen: dict[str, int] = {}
    for r, row in enumerate(rows, start=1):
        cells = [(c, v) for c, v in enumerate(row, start=1) if v is not None]
        if not cells:
            continue
        (label_col, first), rest = cells[0], cells[1:]
        label = cell_text(first) or ""
        label_id = meta_label_id(label)
        if label_id is None:
            near = difflib.get_close_matches(normalize_header(label), list(_META_TEXTS), n=1, cutoff=0.75)
            if near:
                proper = META_LABEL_BY_ID[_META_TEXTS[near[0]]].text
                sheet.error(
                    sheet.at(r, label_col),
                    say("excel.meta_unknown", text=quoted(label), near=quoted(proper)),
                    "excel.meta_unknown",
                )
            else:
                sheet.warn(
                    sheet.at(r, label_col),
                    say("excel.meta_ignored", text=quoted(label)),
                    "excel.meta_ignored",
                )
            continue
        if label_id in seen:
            sheet.error(
                sheet.at(r, label_col),
                say("excel.meta_duplicate", text=quoted(label), row=seen[label_id]),
                "excel.meta_duplicate",
            )
            continue
        seen[label_id] = r
        meta.cells[label_id] = sheet.at(r, rest[0][0] if rest else label_col + 1)
        if label_id == "technical":
            meta.technical = technical_json(
                "".join(read_text(v) for _, v in rest if isinstance(v, str)), meta.cells[label_id], sheet, META_TECH
            )
        else:
            meta.values[label_id] = cell_text(rest[0][1]) if rest else None
    if "oid" not in seen:
        sheet.error(
            f"{sheet.title}!A1",
            say("excel.meta_missing"),
            "excel.meta_missing",
        )
    return meta
