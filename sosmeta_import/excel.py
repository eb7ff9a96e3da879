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
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from sosmeta.safeio.parsing import loads_json
from sosmeta.sosmeta_import._xlsx_guard import inspect
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.sosmeta_import.identity import identity_problems, version_disagreement
from sosmeta.sosmeta_import.limits import MAX_ELEMENT_DEPTH
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.model import (
    LANGUAGE_KEYS,
    META_FIELDS,
    META_KEY_ORDER,
    NEUTRAL_KEYS,
    SOSMETA_FIELDS,
    SOSMETA_KEY_ORDER,
    Element,
    Keywords,
    Structure,
    SubProperty,
)
from sosmeta.structures.shape import expected_node, expected_root, expected_sub_properties, expected_wrapper, slug
from sosmeta.structures.texts import LangText, Texts
from sosmeta.structures.workbook import (
    COLUMN_BY_ID,
    COLUMNS,
    HEADER_INDEX,
    LEGEND_SHEET,
    META_LABEL_BY_ID,
    META_LABELS,
    NO_WORDS,
    SOSMETA_KEY_OF_FIELD,
    YES_WORDS,
    Column,
    display,
    meta_label_id,
    normalize_header,
    read_text,
    shown,
    split_key_path,
    split_values,
    technical_part,
    texts_from_json,
)

SUFFIXES = (".xlsx", ".xlsm")
MAX_ROWS = 100_000
MAX_COLUMNS = 256
MAX_CELLS = 2_000_000
HEADER_SCAN = 60
"""The header row must be among the first rows of a sheet."""
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
_NUMBER = re.compile(r"^[+-]?\d+(?:\.0*)?$")


class _RowError(Exception):
    """Problems with a row; the row is skipped (its keys, when known, still place the rows below it)."""

    def __init__(self, problem: Problem | list[Problem], keys: tuple[str, ...] | None = None) -> None:
        self.problems = problem if isinstance(problem, list) else [problem]
        super().__init__("; ".join(str(p) for p in self.problems))
        self.keys = keys


@dataclass
class _Sheet:
    """The sheet being read (its title) and the problems and warnings found so far in the workbook."""

    source: str
    title: str = ""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    formulas: frozenset[str] = frozenset()

    def at(self, row: int, col: int) -> str:
        return f"{self.title}!{get_column_letter(col)}{row}"

    def problem(self, where: str, message: str, code: str) -> Problem:
        return Problem(self.source, where, message, code)

    def error(self, where: str, message: str, code: str) -> None:
        self.problems.append(self.problem(where, message, code))

    def warn(self, where: str, message: str, code: str) -> None:
        self.warnings.append(self.problem(where, message, code))


# ---- cell values -----------------------------------------------------------------------------------------


def _quote(value: Any) -> str:
    text = str(value)
    return json.dumps(text[:40] + ("…" if len(text) > 40 else ""), ensure_ascii=False)


def _text(value: Any) -> str | None:
    """A cell as text: numbers typed by people as their digits, dates as ISO dates; None when empty."""
    if value is None:
        return None
    if isinstance(value, str):
        return read_text(value) or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _flag(value: Any, where: str, sheet: _Sheet) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = _text(value)
    if text is None:
        return None
    word = text.strip().casefold()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise _RowError(sheet.problem(where, say("excel.not_yes_no", text=_quote(text)), "excel.not_yes_no"))


def _integer(value: Any, where: str, sheet: _Sheet, what: str) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    if text is None:
        return None
    if _NUMBER.match(text.strip()):
        return int(text.strip().split(".")[0])
    raise _RowError(sheet.problem(where, say("excel.not_integer", text=_quote(text), what=what), "excel.not_integer"))


# ---- reading rows ----------------------------------------------------------------------------------------


def _rows(ws: Any, sheet: _Sheet) -> list[list[Any]]:
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


# ---- the sheet layout ------------------------------------------------------------------------------------


def _header_ids(row: list[Any]) -> set[str]:
    return {HEADER_INDEX[n] for v in row if isinstance(v, str) and (n := normalize_header(v)) in HEADER_INDEX}


def _find_header(rows: list[list[Any]]) -> int | None:
    """Index of the header row: the first with three known headers, among them the name or the key path."""
    for i, row in enumerate(rows[:HEADER_SCAN]):
        ids = _header_ids(row)
        if len(ids) >= 3 and ids & {"name.fi", "key_path"}:
            return i
    return None


@dataclass
class _Layout:
    columns: dict[str, int]
    """Column id -> 0-based index."""
    technical: list[int]
    """0-based indexes of the technical column and its continuations, in order."""


def _layout(header: list[Any], row_number: int, sheet: _Sheet) -> _Layout:
    columns: dict[str, int] = {}
    technical: dict[int, int] = {}
    unknown: list[tuple[int, str]] = []
    for i, value in enumerate(header):
        text = _text(value)
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
                say("excel.same_column", text=_quote(text), first=first, name=COLUMN_BY_ID[column_id].fi),
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
                where, say("excel.unknown_header", text=_quote(text), near=_quote(column.fi)), "excel.unknown_header"
            )
        else:
            sheet.warn(where, say("excel.extra_column", text=_quote(text)), "excel.extra_column")
    absent = [c.fi for c in COLUMNS if c.id not in columns]
    if absent:
        sheet.warn(
            sheet.at(row_number, 1),
            say("excel.absent_column", columns=", ".join(_quote(a) for a in absent)),
            "excel.absent_column",
        )
    if "key_path" not in columns and "level" not in columns:
        sheet.error(
            sheet.at(row_number, 1),
            say("excel.missing_column"),
            "excel.missing_column",
        )
    return _Layout(columns, [technical[p] for p in sorted(technical)])


def _is_second_header(row: list[Any], layout: _Layout) -> bool:
    """Whether the row under the header is the Swedish header row: most of its cells in the table's columns
    are header texts (a person's note in one of them does not make it a data row)."""
    used = [*layout.columns.values(), *layout.technical]
    texts = [t for i in used if i < len(row) and (t := _text(row[i])) is not None]
    headers = sum(normalize_header(t) in HEADER_INDEX or technical_part(t) is not None for t in texts)
    return headers >= 2 and headers * 2 > len(texts)


# ---- metadata --------------------------------------------------------------------------------------------


@dataclass
class _Meta:
    values: dict[str, str | None] = field(default_factory=dict)
    technical: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    """Where each value was read (`sheet!cell`), by label id; `technical` is the technical cell."""


_META_TEXTS = {normalize_header(t): m.id for m in META_LABELS for t in (m.fi, m.sv, m.text)}


def _meta(rows: list[list[Any]], sheet: _Sheet) -> _Meta:
    meta = _Meta()
    seen: dict[str, int] = {}
    for r, row in enumerate(rows, start=1):
        cells = [(c, v) for c, v in enumerate(row, start=1) if v is not None]
        if not cells:
            continue
        (label_col, first), rest = cells[0], cells[1:]
        label = _text(first) or ""
        label_id = meta_label_id(label)
        if label_id is None:
            near = difflib.get_close_matches(normalize_header(label), list(_META_TEXTS), n=1, cutoff=0.75)
            if near:
                proper = META_LABEL_BY_ID[_META_TEXTS[near[0]]].text
                sheet.error(
                    sheet.at(r, label_col),
                    say("excel.meta_unknown", text=_quote(label), near=_quote(proper)),
                    "excel.meta_unknown",
                )
            else:
                sheet.warn(
                    sheet.at(r, label_col),
                    say("excel.meta_ignored", text=_quote(label)),
                    "excel.meta_ignored",
                )
            continue
        if label_id in seen:
            sheet.error(
                sheet.at(r, label_col),
                say("excel.meta_duplicate", text=_quote(label), row=seen[label_id]),
                "excel.meta_duplicate",
            )
            continue
        seen[label_id] = r
        meta.cells[label_id] = sheet.at(r, rest[0][0] if rest else label_col + 1)
        if label_id == "technical":
            meta.technical = _technical_json(
                "".join(read_text(v) for _, v in rest if isinstance(v, str)), meta.cells[label_id], sheet, _META_TECH
            )
        else:
            meta.values[label_id] = _text(rest[0][1]) if rest else None
    if "oid" not in seen:
        sheet.error(
            f"{sheet.title}!A1",
            say("excel.meta_missing"),
            "excel.meta_missing",
        )
    return meta


# ---- technical JSON --------------------------------------------------------------------------------------

_ROW_TECH = frozenset({"path", "keys", "texts", "extra", "node", "wrapper", "subs", "members"})
_META_TECH = frozenset({"order", "extra", "root", "values"})


def _pairs(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in value)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


_TECH_SHAPES: dict[str, Any] = {
    "path": lambda v: _strings(v) and len(v) > 0,
    "keys": _strings,
    "members": _strings,
    "order": _strings,
    "extra": _pairs,
    "node": _pairs,
    "root": _pairs,
    "wrapper": lambda v: v is None or _pairs(v),
    "subs": lambda v: _pairs(v) and all(isinstance(p[1], dict) for p in v),
    "texts": lambda v: isinstance(v, dict) and set(v) <= LANGUAGE_KEYS | NEUTRAL_KEYS,
    "values": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
}


def _technical_json(text: str, where: str, sheet: _Sheet, allowed: frozenset[str]) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = loads_json(text, where)  # strict, as an export is read: no NaN, 1e999, lone surrogates, deep nests
    except InputError as exc:
        refused = exc.problems[0]
        at = f" at {refused.location}" if refused.location else ""
        raise _RowError(
            sheet.problem(
                where,
                say("excel.bad_technical_json", why=f"{refused.message}{at}"),
                "excel.bad_technical",
            )
        ) from None
    if not isinstance(data, dict) or not set(data) <= allowed:
        raise _RowError(
            sheet.problem(
                where,
                say("excel.technical_shape", entries=", ".join(sorted(allowed))),
                "excel.bad_technical",
            )
        )
    for name, value in data.items():
        if not _TECH_SHAPES[name](value):
            raise _RowError(sheet.problem(where, say("excel.technical_entry", name=repr(name)), "excel.bad_technical"))
    return data


# ---- element rows ----------------------------------------------------------------------------------------


@dataclass
class _Record:
    """One element row as read, before the tree is built."""

    row: int
    keys: tuple[str, ...]
    fields: dict[str, Any]
    technical: dict[str, Any]
    children: list[_Record] = field(default_factory=list)
    where: str = ""
    """The key path cell, for messages about the row's place in the tree."""


class _TableReader:
    def __init__(self, sheet: _Sheet, layout: _Layout) -> None:
        self.sheet = sheet
        self.layout = layout

    def cell(self, values: list[Any], column_id: str) -> Any:
        index = self.layout.columns.get(column_id)
        return values[index] if index is not None and index < len(values) else None

    def where(self, row: int, column_id: str) -> str:
        index = self.layout.columns.get(column_id)
        return self.sheet.at(row, (index if index is not None else 0) + 1)

    def blank(self, values: list[Any]) -> bool:
        used = [*self.layout.columns.values(), *self.layout.technical]
        return all(i >= len(values) or values[i] is None for i in used)

    # ---- one row -----------------------------------------------------------------------------------------
    def record(self, r: int, values: list[Any], parents: dict[int, _Record]) -> _Record:
        """One element row; every problem of the row is reported together (`_RowError`)."""
        problems: list[Problem] = []

        def attempt(read: Callable[[], Any], default: Any) -> Any:
            try:
                return read()
            except _RowError as exc:
                problems.extend(exc.problems)
                return default

        tech_text = "".join(
            read_text(values[i]) for i in self.layout.technical if i < len(values) and isinstance(values[i], str)
        )
        tech_where = self.sheet.at(r, self.layout.technical[0] + 1) if self.layout.technical else self.sheet.title
        tech = attempt(lambda: _technical_json(tech_text, tech_where, self.sheet, _ROW_TECH), {})
        level = attempt(
            lambda: _integer(self.cell(values, "level"), self.where(r, "level"), self.sheet, say("excel.what.level")),
            None,
        )
        path = _text(self.cell(values, "key_path"))
        if "path" in tech or path is not None:
            keys = tuple(tech["path"]) if "path" in tech else tuple(split_key_path(path or ""))
            if level is not None and level != len(keys):
                problems.append(
                    self.sheet.problem(
                        self.where(r, "level"),
                        say("excel.level_mismatch", level=level, n=len(keys)),
                        "excel.bad_level",
                    )
                )
        else:
            try:
                keys = self.keys_from_level(r, values, level, parents)
            except _RowError as exc:
                raise _RowError(problems + exc.problems) from None
        fields = attempt(lambda: self.fields(r, values, tech, len(keys)), {})
        if problems:
            raise _RowError(problems, keys)
        return _Record(r, keys, fields, tech, where=self.where(r, "key_path"))

    def keys_from_level(
        self, r: int, values: list[Any], level: int | None, parents: dict[int, _Record]
    ) -> tuple[str, ...]:
        """A new row without a key path: key from the Finnish name, parent from the level."""
        name = _text(self.cell(values, "name.fi"))
        if level is None or name is None:
            raise _RowError(
                self.sheet.problem(
                    self.where(r, "key_path"),
                    say("excel.no_key"),
                    "excel.no_key",
                )
            )
        if level == 1:
            return (slug(name),)
        parent = parents.get(level - 1)
        if parent is None:
            raise _RowError(
                self.sheet.problem(
                    self.where(r, "level"),
                    say("excel.no_parent_level", above=level - 1, level=level),
                    "excel.bad_level",
                )
            )
        return (*parent.keys, slug(name))

    def fields(self, r: int, values: list[Any], tech: dict[str, Any], depth: int) -> dict[str, Any]:
        """The sosmeta fields of a row, keyed by model field; absent ones left out."""
        texts = tech.get("texts", {})
        out: dict[str, Any] = {}
        done: set[str] = set()
        problems: list[Problem] = []
        for column in COLUMNS:
            try:
                self.field(r, values, column, texts, out, done)
            except _RowError as exc:
                problems.extend(exc.problems)
        if problems:
            raise _RowError(problems)
        listed = tech.get("keys")
        for column in COLUMNS:
            if (
                column.kind == "flag"
                and column.id not in out
                and ((listed is None and depth >= 2) or (listed is not None and column.key in listed))
            ):
                out[column.id] = False  # an empty yes/no cell on a row is "no"
        return out

    def field(
        self, r: int, values: list[Any], column: Column, texts: dict[str, Any], out: dict[str, Any], done: set[str]
    ) -> None:
        """Read one column of a row into `out` (language pairs once, through their first column)."""
        if column.kind in ("text", "neutral", "values") and column.field and column.field not in done:
            done.add(column.field)
            found = self.texts(r, values, column, texts)
            if found is not None:
                out[column.field] = found
        elif column.kind == "flag":
            value = _flag(self.cell(values, column.id), self.where(r, column.id), self.sheet)
            if value is not None:
                out[column.id] = value
        elif column.kind == "row":
            number = _integer(
                self.cell(values, column.id), self.where(r, column.id), self.sheet, say("excel.what.row_number")
            )
            if number is not None:
                out["row_number"] = number

    def texts(self, r: int, values: list[Any], column: Column, texts: dict[str, Any]) -> Texts | None:
        key = SOSMETA_KEY_OF_FIELD[column.field or ""]
        siblings = [c for c in COLUMNS if c.field == column.field]
        if key in texts:
            try:
                value = texts_from_json(texts[key])
            except ValueError as exc:
                raise _RowError(
                    self.sheet.problem(
                        self.where(r, "technical"),
                        say("excel.technical_texts", key=repr(key), why=str(exc)),
                        "excel.bad_technical",
                    )
                ) from None
            for sibling in siblings:
                if sibling.id in self.layout.columns:
                    shown_text = display(sibling, value)
                    expected = shown(shown_text) if shown_text is not None else None
                    if _text(self.cell(values, sibling.id)) != expected:
                        raise _RowError(
                            self.sheet.problem(
                                self.where(r, sibling.id),
                                say("excel.conflict", key=repr(key)),
                                "excel.conflict",
                            )
                        )
            return value
        if column.kind == "values":
            text = _text(self.cell(values, column.id))
            codes = split_values(text) if text is not None else []
            return tuple(LangText(lang="", value=c) for c in codes) or None
        if column.kind == "neutral":
            text = _text(self.cell(values, column.id))
            return (LangText(lang="", value=text),) if text is not None else None
        out = []
        for sibling in siblings:
            text = _text(self.cell(values, sibling.id))
            if text is not None:
                out.append(LangText(lang=sibling.lang, value=text))
        return tuple(out) or None


# ---- building the model ----------------------------------------------------------------------------------


def _order(
    present: list[str], listed: list[str] | None, canonical_keys: tuple[str, ...], extras: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """(canonical order, order to keep or None) of the present keys, the listed order taking precedence."""
    canonical = tuple(k for k in canonical_keys if k in present) + tuple(extras)
    if listed is None:
        return canonical, None
    order = tuple(k for k in listed if k in present or k in extras)
    order += tuple(k for k in canonical if k not in order)
    return canonical, (None if order == canonical else order)


def _keywords(pairs: list[list[Any]]) -> Keywords:
    return tuple((p[0], p[1]) for p in pairs)


def _element(record: _Record, sheet: _Sheet) -> Element:
    children = tuple(_element(c, sheet) for c in record.children)
    tech = record.technical
    extras = [p[0] for p in tech.get("extra", [])]
    known = set(SOSMETA_KEY_ORDER)
    if any(k in known for k in extras):
        raise _RowError(
            sheet.problem(f"{sheet.title}!A{record.row}", say("excel.extra_repeats"), "excel.bad_technical")
        )
    present = [k for k, f in SOSMETA_FIELDS if f in record.fields]
    _, order = _order(present, tech.get("keys"), SOSMETA_KEY_ORDER, extras)
    element = Element(
        key=record.keys[-1],
        **record.fields,
        sosmeta_extra=_keywords(tech.get("extra", [])),
        sosmeta_order=order,
        members=children,
    )
    if "subs" in tech:
        subs: tuple[SubProperty, ...] = tuple(SubProperty(key=k, node=n) for k, n in tech["subs"])
    else:
        subs = expected_sub_properties(element)
    members: tuple[Element | SubProperty, ...] = children + subs
    if "members" in tech:
        by_key = {m.key: m for m in members}
        if sorted(tech["members"]) != sorted(by_key):
            raise _RowError(
                sheet.problem(
                    f"{sheet.title}!A{record.row}",
                    say("excel.members"),
                    "excel.bad_technical",
                )
            )
        members = tuple(by_key[k] for k in tech["members"])
    element = element.model_copy(update={"members": members})
    node = _keywords(tech["node"]) if "node" in tech else expected_node(element)
    wrapper = (
        (None if tech["wrapper"] is None else _keywords(tech["wrapper"]))
        if "wrapper" in tech
        else expected_wrapper(element)
    )
    return element.model_copy(update={"node": node, "wrapper": wrapper})


def _tree(records: list[_Record], sheet: _Sheet) -> _Record | None:
    """Link records to their parents by key path; the document row is returned. A row whose parent is missing
    is reported once; the rows below it are then not reported again."""
    by_keys: dict[tuple[str, ...], _Record] = {}
    lost: set[tuple[str, ...]] = set()
    orphans: list[str] = []
    document: _Record | None = None
    for record in records:
        where = record.where or f"{sheet.title}!A{record.row}"
        if record.keys in by_keys:
            sheet.error(where, say("excel.key_repeats", row=by_keys[record.keys].row), "excel.bad_key_path")
            continue
        if len(record.keys) == 1:
            if document is not None:
                sheet.error(where, say("excel.second_document", row=document.row), "excel.no_document_row")
                continue
            document = record
        else:
            parent = by_keys.get(record.keys[:-1])
            if parent is None:
                if not any(record.keys[:i] in lost for i in range(1, len(record.keys))):
                    orphans.append(where)  # the first row that misses this parent; its siblings are not repeated
                lost.update((record.keys, record.keys[:-1]))
                continue
            parent.children.append(record)
        by_keys[record.keys] = record
    for where in orphans if document is not None else ():  # without a document row, that one error says it
        sheet.error(where, say("excel.no_parent"), "excel.bad_key_path")
    if document is None and records:
        sheet.error(
            f"{sheet.title}!A{records[0].row}",
            say("excel.no_document_row"),
            "excel.no_document_row",
        )
    return document


def _structure(meta: _Meta, document: Element, sheet: _Sheet) -> Structure:
    tech = meta.technical
    values: dict[str, Any] = {k: v for k, v in meta.values.items() if v is not None}
    values.update(tech.get("values", {}))
    fields = {m.id: values[m.id] for m in META_LABELS if m.id in values}
    meta_key = {f: k for k, f in META_FIELDS}
    extras = [p[0] for p in tech.get("extra", [])]
    present = [meta_key[f] for f in fields]
    _, order = _order(present, tech.get("order"), META_KEY_ORDER, extras)
    structure = Structure(**fields, meta_extra=_keywords(tech.get("extra", [])), meta_order=order, document=document)
    _check_identity(structure, meta, sheet)
    root = _keywords(tech["root"]) if "root" in tech else expected_root(structure)
    return structure.model_copy(update={"root": root})


_LABEL_OF_KEY = {"oid": "oid", "documentDefinitionVersion": "definition_version"}


def _check_identity(structure: Structure, meta: _Meta, sheet: _Sheet) -> None:
    """The OID and version become file names: refused, at their cell, unless dotted decimal and a real date, and
    unless the OID's date arcs and the version name the same day (a Versio-OID edited alone is refused)."""
    found = []
    problems = list(identity_problems(structure))
    disagreement = version_disagreement(structure) if not problems else None
    for problem in [*problems, *([disagreement] if disagreement else [])]:
        label = _LABEL_OF_KEY[problem.key]
        from_technical = label in meta.technical.get("values", {})
        where = meta.cells.get("technical" if from_technical else label, f"{sheet.title}!A1")
        found.append(sheet.problem(where, problem.message, f"excel.{problem.code}"))
    if found:
        raise _RowError(found)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogates(rows: list[list[Any]], sheet: _Sheet) -> bool:
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


def read_sheet(rows: list[list[Any]], sheet: _Sheet) -> Structure | None:
    """The structure on one sheet, or None when the sheet holds none (problems are collected in `sheet`)."""
    header = _find_header(rows)
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
    meta = _meta(rows[:header], sheet)
    layout = _layout(rows[header], header + 1, sheet)
    reader = _TableReader(sheet, layout)
    start = header + 1
    while start < len(rows) and reader.blank(rows[start]):
        start += 1
    if start < len(rows) and _is_second_header(rows[start], layout):
        start += 1
    records: list[_Record] = []
    parents: dict[int, _Record] = {}
    too_deep = False
    for r in range(start, len(rows)):
        values = rows[r]
        if reader.blank(values):
            continue
        try:
            record = reader.record(r + 1, values, parents)
        except _RowError as exc:
            sheet.problems.extend(exc.problems)
            if exc.keys is None:
                continue
            record = _Record(r + 1, exc.keys, {}, {})  # keeps the rows below it from reporting a lost parent
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
    document = _tree(records, sheet)
    if document is None or len(sheet.problems) > before:
        return None
    try:
        return _structure(meta, _element(document, sheet), sheet)
    except _RowError as exc:
        sheet.problems.extend(exc.problems)
        return None


# ---- the workbook ----------------------------------------------------------------------------------------


def read_workbook(path: Path | str, source: str | None = None) -> tuple[list[Structure], list[Problem]]:
    """The structures in a workbook and the warnings; raises `InputError` with every problem found."""
    path = Path(path)
    name = source or str(path)
    facts = inspect(path, name)
    sheet = _Sheet(name)
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
