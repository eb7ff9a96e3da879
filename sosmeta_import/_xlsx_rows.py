"""Element rows to the model: each row of the element table read into a record (key path, fields, technical
cell), the records linked by key path into the element tree, and the tree and the metadata block assembled
into a `Structure` with its OID and version checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sosmeta.sosmeta_import._xlsx_cells import (
    ROW_TECH,
    RowError,
    Sheet,
    cell_flag,
    cell_integer,
    cell_text,
    technical_json,
)
from sosmeta.sosmeta_import._xlsx_layout import Layout, Meta
from sosmeta.sosmeta_import.errors import Problem
from sosmeta.sosmeta_import.identity import identity_problems, version_disagreement
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.model import (
    META_FIELDS,
    META_KEY_ORDER,
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
    COLUMNS,
    META_LABELS,
    SOSMETA_KEY_OF_FIELD,
    Column,
    display,
    read_text,
    shown,
    split_key_path,
    split_values,
    texts_from_json,
)


@dataclass
class Record:
    """One element row as read, before the tree is built."""

    row: int
    keys: tuple[str, ...]
    fields: dict[str, Any]
    technical: dict[str, Any]
    children: list[Record] = field(default_factory=list)
    where: str = ""
    """The key path cell, for messages about the row's place in the tree."""


class TableReader:
    """Reads the element rows of one sheet through its layout."""

    def __init__(self, sheet: Sheet, layout: Layout) -> None:
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
    def record(self, r: int, values: list[Any], parents: dict[int, Record]) -> Record:
        """One element row; every problem of the row is reported together (`RowError`)."""
        problems: list[Problem] = []

        def attempt(read: Callable[[], Any], default: Any) -> Any:
            try:
                return read()
            except RowError as exc:
                problems.extend(exc.problems)
                return default

        tech_text = "".join(
            read_text(values[i]) for i in self.layout.technical if i < len(values) and isinstance(values[i], str)
        )
        tech_where = self.sheet.at(r, self.layout.technical[0] + 1) if self.layout.technical else self.sheet.title
        tech = attempt(lambda: technical_json(tech_text, tech_where, self.sheet, ROW_TECH), {})
        level = attempt(
            lambda: cell_integer(
                self.cell(values, "level"), self.where(r, "level"), self.sheet, say("excel.what.level")
            ),
            None,
        )
        path = cell_text(self.cell(values, "key_path"))
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
            except RowError as exc:
                raise RowError(problems + exc.problems) from None
        fields = attempt(lambda: self.fields(r, values, tech, len(keys)), {})
        if problems:
            raise RowError(problems, keys)
        return Record(r, keys, fields, tech, where=self.where(r, "key_path"))

    def keys_from_level(
        self, r: int, values: list[Any], level: int | None, parents: dict[int, Record]
    ) -> tuple[str, ...]:
        """A new row without a key path: key from the Finnish name, parent from the level."""
        name = cell_text(self.cell(values, "name.fi"))
        if level is None or name is None:
            raise RowError(
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
            raise RowError(
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
            except RowError as exc:
                problems.extend(exc.problems)
        if problems:
            raise RowError(problems)
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
            value = cell_flag(self.cell(values, column.id), self.where(r, column.id), self.sheet)
            if value is not None:
                out[column.id] = value
        elif column.kind == "row":
            number = cell_integer(
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
                raise RowError(
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
                    if cell_text(self.cell(values, sibling.id)) != expected:
                        raise RowError(
                            self.sheet.problem(
                                self.where(r, sibling.id),
                                say("excel.conflict", key=repr(key)),
                                "excel.conflict",
                            )
                        )
            return value
        if column.kind == "values":
            text = cell_text(self.cell(values, column.id))
            codes = split_values(text) if text is not None else []
            return tuple(LangText(lang="", value=c) for c in codes) or None
        if column.kind == "neutral":
            text = cell_text(self.cell(values, column.id))
            return (LangText(lang="", value=text),) if text is not None else None
        out = []
        for sibling in siblings:
            text = cell_text(self.cell(values, sibling.id))
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


def build_element(record: Record, sheet: Sheet) -> Element:
    """The element of a record and its children, with the order, members and shape the technical cell keeps."""
    children = tuple(build_element(c, sheet) for c in record.children)
    tech = record.technical
    extras = [p[0] for p in tech.get("extra", [])]
    known = set(SOSMETA_KEY_ORDER)
    if any(k in known for k in extras):
        raise RowError(sheet.problem(f"{sheet.title}!A{record.row}", say("excel.extra_repeats"), "excel.bad_technical"))
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
            raise RowError(
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


def link_tree(records: list[Record], sheet: Sheet) -> Record | None:
    """Link records to their parents by key path; the document row is returned. A row whose parent is missing
    is reported once; the rows below it are then not reported again."""
    by_keys: dict[tuple[str, ...], Record] = {}
    lost: set[tuple[str, ...]] = set()
    orphans: list[str] = []
    document: Record | None = None
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


def build_structure(meta: Meta, document: Element, sheet: Sheet) -> Structure:
    """The structure of a sheet from its metadata block and document element; OID and version checked."""
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


def _check_identity(structure: Structure, meta: Meta, sheet: Sheet) -> None:
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
        raise RowError(found)
