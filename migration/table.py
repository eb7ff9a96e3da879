"""The correspondence table (vastaavuustaulukko): what each legacy document type becomes in the archive.

Three sheets, each a header row of technical column names and one row per entry (docs/migration.md):

* `types` — one row per legacy document type: the national specific document type, the structure version (or
  `unstructured`: the legacy text carried as a display form only), document group, service task, process
  phase, retention class, confidentiality, language, title and other envelope defaults (JSON).
* `fields` — field mappings: legacy type, legacy field(s), target key path (or `envelope:<field>`), transform
  (copy, date, code, constant, concat, split, number) and its argument.
* `codes` — code maps: map name, legacy value -> national code, display text and code list (OID).

Read from an .xlsx workbook (openpyxl, inspected by the structure importer's zip guard first) or from a folder
of `types.csv`, `fields.csv`, `codes.csv`. Every entry remembers its place (`types!C4`), so that the check and
refused records can point a head user at the cell; the cell's value is never quoted.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from sosmeta.migration.texts import say
from sosmeta.safeio.reading import read_bounded
from sosmeta.sosmeta_import.errors import InputError, Problem

UNSTRUCTURED = "unstructured"
ENVELOPE_PREFIX = "envelope:"

TYPE_COLUMNS = (
    "legacy_type",
    "records",
    "structure",
    "content_specification",
    "specific_type",
    "document_group",
    "service_task",
    "process_phase",
    "retention_class",
    "confidentiality",
    "language",
    "title",
    "envelope_defaults",
)
FIELD_COLUMNS = ("legacy_type", "legacy_field", "target", "transform", "argument")
CODE_COLUMNS = ("map", "legacy_value", "code", "display", "code_list")
SHEETS = {"types": TYPE_COLUMNS, "fields": FIELD_COLUMNS, "codes": CODE_COLUMNS}
REQUIRED_COLUMNS = {
    "types": ("legacy_type", "structure"),
    "fields": ("legacy_type", "legacy_field", "target", "transform"),
    "codes": ("map", "legacy_value", "code"),
}
TRANSFORMS = ("copy", "date", "code", "constant", "concat", "split", "number")

HELP = {
    "types": "One row per legacy document type. structure: version OID, base OID, OID@YYYY-MM-DD or 'unstructured'. "
    "Codes as CODE or CODE|display. envelope_defaults: a JSON object of further envelope fields.",
    "fields": "One row per mapped field. legacy_field: a source column (several, comma-separated, for concat). "
    "target: key path from the document element (a/b/c) or envelope:<field>. transform: "
    + ", ".join(TRANSFORMS)
    + ". argument: date format (strptime), code map name, constant value, separator, 'separator|index' or unit.",
    "codes": "One row per legacy value of a code map. code_list: the OID of the national code list.",
}

MAX_TABLE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Cell:
    """Where an entry came from: sheet, row (1-based, the header is row 1) and the column of each name."""

    sheet: str
    row: int
    columns: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def at(self, column: str) -> str:
        """`sheet!C4`: the cell of `column` in this entry's row (its first column when the column is absent)."""
        index = self.columns.get(column, 1)
        return f"{self.sheet}!{get_column_letter(index)}{self.row}"


@dataclass(frozen=True)
class CodeValue:
    code: str
    display: str | None = None


@dataclass(frozen=True)
class DocumentType:
    legacy_type: str
    structure: str
    cell: Cell
    content_specification: str | None = None
    codes: dict[str, CodeValue] = field(default_factory=dict)
    """Envelope codes by envelope field (specific_type, document_group, service_task, ...)."""
    confidentiality: CodeValue | None = None
    language: str | None = None
    title: str | None = None
    envelope_defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def unstructured(self) -> bool:
        return self.structure.strip().lower() == UNSTRUCTURED


@dataclass(frozen=True)
class FieldMapping:
    legacy_type: str
    legacy_fields: tuple[str, ...]
    target: str
    transform: str
    argument: str | None
    cell: Cell

    @property
    def envelope_field(self) -> str | None:
        return self.target[len(ENVELOPE_PREFIX) :] if self.target.startswith(ENVELOPE_PREFIX) else None


@dataclass(frozen=True)
class CodeMapEntry:
    map: str
    legacy_value: str
    code: str
    display: str | None
    code_list: str | None
    cell: Cell


@dataclass(frozen=True)
class Table:
    source: str
    types: tuple[DocumentType, ...]
    fields: tuple[FieldMapping, ...]
    codes: tuple[CodeMapEntry, ...]
    _types: dict[str, DocumentType] = field(init=False, repr=False, compare=False)
    _fields: dict[str, tuple[FieldMapping, ...]] = field(init=False, repr=False, compare=False)
    _codes: dict[str, dict[str, CodeMapEntry]] = field(init=False, repr=False, compare=False)

    def type_of(self, legacy_type: str) -> DocumentType | None:
        return self._types.get(legacy_type)

    def fields_of(self, legacy_type: str) -> tuple[FieldMapping, ...]:
        return self._fields.get(legacy_type, ())

    def code_map(self, name: str) -> dict[str, CodeMapEntry]:
        return self._codes.get(name, {})

    @property
    def map_names(self) -> frozenset[str]:
        return frozenset(self._codes)

    def digest(self, legacy_type: str) -> str:
        """A hash of everything in the table that decides how records of `legacy_type` are mapped: a record is
        archived again (as a new version) when its own content or this changes."""
        entry = self.type_of(legacy_type)
        parts: list[Any] = [_plain(entry)]
        mappings = self.fields_of(legacy_type)
        parts.append([_plain(m) for m in mappings])
        maps = sorted({m.argument for m in mappings if m.transform == "code" and m.argument} | {"unit"})
        parts.append({name: [_plain(e) for _, e in sorted(self.code_map(name).items())] for name in maps})
        text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def __post_init__(self) -> None:
        by_type: dict[str, DocumentType] = {}
        for entry in self.types:
            by_type.setdefault(entry.legacy_type, entry)
        fields: dict[str, list[FieldMapping]] = {}
        for mapping in self.fields:
            fields.setdefault(mapping.legacy_type, []).append(mapping)
        codes: dict[str, dict[str, CodeMapEntry]] = {}
        for code in self.codes:
            codes.setdefault(code.map, {}).setdefault(code.legacy_value, code)
        object.__setattr__(self, "_types", by_type)
        object.__setattr__(self, "_fields", {k: tuple(v) for k, v in fields.items()})
        object.__setattr__(self, "_codes", codes)


def _plain(value: Any) -> Any:
    """A dataclass entry without its cell (moving a row does not change how records are mapped)."""
    if value is None:
        return None
    out = {k: v for k, v in value.__dict__.items() if k != "cell"}
    return json.loads(json.dumps(out, default=lambda o: o.__dict__, sort_keys=True))


def fingerprint(path: Path) -> str:
    """A hash of the table's files as they are on disk now (a long-lived process reloads a changed table)."""
    files = [path / f"{name}.csv" for name in SHEETS] if path.is_dir() else [path]
    digest = hashlib.sha256()
    for file in files:
        try:
            digest.update(read_bounded(file, MAX_TABLE_BYTES))
        except InputError:
            digest.update(b"-")
    return digest.hexdigest()


# ---- reading -------------------------------------------------------------------------------------------------------
Rows = list[tuple[int, dict[str, str]]]


def load_table(path: Path) -> Table:
    """The table in a workbook (.xlsx) or a folder of CSV files; InputError lists every problem of its form."""
    source = str(path)
    if path.is_dir():
        sheets = {name: _csv_rows(path / f"{name}.csv", name) for name in SHEETS}
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = _workbook_rows(path)
    else:
        raise InputError.one(source, "", say("format"), "table.format")
    problems: list[Problem] = []
    types = tuple(_document_types(source, sheets["types"], problems))
    fields = tuple(_field_mappings(source, sheets["fields"], problems))
    codes = tuple(_code_entries(source, sheets["codes"], problems))
    if problems:
        raise InputError(problems)
    return Table(source, types, fields, codes)


SheetRows = dict[str, tuple[dict[str, int], Rows]]


def _workbook_rows(path: Path) -> SheetRows:
    from openpyxl import load_workbook

    from sosmeta.sosmeta_import._xlsx_guard import inspect

    source = str(path)
    inspect(path, source)
    try:
        book = load_workbook(path, read_only=True, data_only=True, keep_links=False, keep_vba=False)
    except Exception:  # openpyxl raises many kinds for a damaged file; none of them names a value
        raise InputError.one(source, "", say("unreadable_xlsx"), "table.format") from None
    try:
        out: SheetRows = {}
        for name in SHEETS:
            if name not in book.sheetnames:
                raise InputError.one(source, name, say("no_sheet", name=name), "table.sheet")
            rows = ([_cell_text(v) for v in row] for row in book[name].iter_rows(values_only=True))
            out[name] = _with_header(source, name, rows)
        return out
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_rows(path: Path, name: str) -> tuple[dict[str, int], Rows]:
    source = str(path)
    if not path.exists():
        raise InputError.one(source, "", say("no_csv", name=path.name), "table.sheet")
    data = read_bounded(path, MAX_TABLE_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.one(source, "", say("not_utf8"), "table.encoding") from None
    return _with_header(source, name, iter(csv.reader(text.splitlines())))


def _with_header(source: str, sheet: str, rows: Iterator[list[str]]) -> tuple[dict[str, int], Rows]:
    header = [h.strip() for h in next(rows, [])]
    columns = {name: index for index, name in enumerate(header, start=1) if name}
    missing = [c for c in REQUIRED_COLUMNS[sheet] if c not in columns]
    if missing:
        raise InputError.one(source, f"{sheet}!1", say("missing_columns", columns=", ".join(missing)), "table.column")
    out: Rows = []
    for number, row in enumerate(rows, start=2):
        # Cells are trimmed, but for an argument, whose spaces may matter (a separator such as ": ").
        entry = {
            name: (row[i - 1] if i - 1 < len(row) else "")
            if name == "argument"
            else (row[i - 1] if i - 1 < len(row) else "").strip()
            for name, i in columns.items()
        }
        if any(entry.values()):
            out.append((number, entry))
    return columns, out


def _document_types(source: str, sheet: tuple[dict[str, int], Rows], problems: list[Problem]) -> Iterator[DocumentType]:
    columns, rows = sheet
    seen: dict[str, str] = {}
    for number, row in rows:
        cell = Cell("types", number, columns)
        legacy, structure = row.get("legacy_type", ""), row.get("structure", "")
        if not legacy:
            problems.append(Problem(source, cell.at("legacy_type"), say("needs_legacy_type"), "table.missing"))
            continue
        if legacy in seen:
            problems.append(
                Problem(source, cell.at("legacy_type"), say("same_legacy_type", other=seen[legacy]), "table.duplicate")
            )
            continue
        seen[legacy] = cell.at("legacy_type")
        if not structure:
            problems.append(Problem(source, cell.at("structure"), say("no_structure_given"), "table.missing"))
            continue
        codes = {
            name: _code_value(row[name])
            for name in ("specific_type", "document_group", "service_task", "process_phase", "retention_class")
            if row.get(name)
        }
        defaults: dict[str, Any] = {}
        if row.get("envelope_defaults"):
            try:
                defaults = json.loads(row["envelope_defaults"])
            except ValueError:
                defaults = None  # type: ignore[assignment]
            if not isinstance(defaults, dict):
                problems.append(
                    Problem(source, cell.at("envelope_defaults"), say("not_json_object"), "table.envelope_defaults")
                )
                defaults = {}
        yield DocumentType(
            legacy_type=legacy,
            structure=structure,
            cell=cell,
            content_specification=row.get("content_specification") or None,
            codes=codes,
            confidentiality=_code_value(row["confidentiality"]) if row.get("confidentiality") else None,
            language=row.get("language") or None,
            title=row.get("title") or None,
            envelope_defaults=defaults,
        )


def _code_value(text: str) -> CodeValue:
    code, _, display = text.partition("|")
    return CodeValue(code.strip(), display.strip() or None)


def _field_mappings(source: str, sheet: tuple[dict[str, int], Rows], problems: list[Problem]) -> Iterator[FieldMapping]:
    columns, rows = sheet
    for number, row in rows:
        cell = Cell("fields", number, columns)
        missing = [c for c in ("legacy_type", "target", "transform") if not row.get(c)]
        if missing:
            problems.append(Problem(source, cell.at(missing[0]), say("empty", column=missing[0]), "table.missing"))
            continue
        legacy_fields = tuple(f.strip() for f in row.get("legacy_field", "").split(",") if f.strip())
        transform = row["transform"].strip().lower()
        if not legacy_fields and transform != "constant":
            problems.append(
                Problem(source, cell.at("legacy_field"), say("empty", column="legacy_field"), "table.missing")
            )
            continue
        yield FieldMapping(
            row["legacy_type"], legacy_fields, row["target"].strip(), transform, row.get("argument") or None, cell
        )


def _code_entries(source: str, sheet: tuple[dict[str, int], Rows], problems: list[Problem]) -> Iterator[CodeMapEntry]:
    columns, rows = sheet
    seen: set[tuple[str, str]] = set()
    for number, row in rows:
        cell = Cell("codes", number, columns)
        missing = [c for c in ("map", "legacy_value", "code") if not row.get(c)]
        if missing:
            problems.append(Problem(source, cell.at(missing[0]), say("empty", column=missing[0]), "table.missing"))
            continue
        key = (row["map"], row["legacy_value"])
        if key in seen:
            problems.append(Problem(source, cell.at("legacy_value"), say("mapped_twice"), "table.duplicate"))
            continue
        seen.add(key)
        yield CodeMapEntry(
            row["map"], row["legacy_value"], row["code"], row.get("display") or None, row.get("code_list") or None, cell
        )


# ---- writing ---------------------------------------------------------------------------------------------------------
def new_workbook(type_counts: Iterable[tuple[str, int]]) -> bytes:
    """A starting workbook: every legacy type with its record count, structure left to fill in; the field and
    code sheets with their headers; a help row in each sheet's comments sheet `help`."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column) + 2)
    types = book["types"]
    for legacy, count in type_counts:
        types.append([legacy, count])
    help_sheet = book.create_sheet("help")
    help_sheet.append(["sheet", "what it holds"])
    for name, text in HELP.items():
        help_sheet.append([name, text])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
