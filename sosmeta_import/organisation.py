"""Reading organisation templates: the TOML file, and template columns added to a structure workbook.

Not a structure importer (no SUFFIXES/load): `load_organisation(path)` reads one organisation file into
`structures.organisation.Organisation`; every mistake is reported as an `InputError` naming the file and the
TOML key path (`template[1].elements."asiakas/sukunimi".codes`). Format: docs/organisation-templates.md.

Head users who keep their instructions in the structure workbook add a few columns to its element sheet
(`Ohje (fi)`, `Ohje (sv)`, `Käytössä K/E`, `Oletusarvo`, `Käytetyt koodit`, `Enintään`); `read_template_columns`
reads just those columns with openpyxl and `template_from_rows` turns the rows into a `Template`. A TOML
template can point at such a workbook (`workbook = "rakenne.xlsx"`); its own entries win over the workbook's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sosmeta.safeio.parsing import loads_json, read_toml
from sosmeta.safeio.reading import MAX_CONFIG_BYTES, display_name
from sosmeta.sosmeta_import._xlsx_guard import inspect
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.sosmeta_import.excel import MAX_COLUMNS, MAX_ROWS
from sosmeta.sosmeta_import.organisation_errors import describe, unknown_table_hint
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.organisation import Bilingual, ElementRule, Organisation, Template, placeholder_places

# Workbook column headers, compared with case, spacing and punctuation ignored (`Ohje (fi)` == `ohje fi`).
# `Koodit` is not one of them: in the structure workbook it is a synonym of the national `Sallitut arvot`.
PATH_HEADERS = ("avainpolku", "keypath", "polku", "path")
ROW_HEADERS = ("rivi", "rivinumero", "rownumber", "row")
INSTRUCTIONS_FI = "ohjefi"
INSTRUCTIONS_SV = "ohjesv"
IN_USE = "käytössäke"
DEFAULT = "oletusarvo"
CODES = "käytetytkoodit"
MAX_ITEMS = "enintään"
TEMPLATE_HEADERS = (INSTRUCTIONS_FI, INSTRUCTIONS_SV, IN_USE, DEFAULT, CODES, MAX_ITEMS)
ORIGIN = "origin"
"""Optional key of a row dict: where the row is (`Rakenne!12:12`), used in messages."""

_TOP_LEVEL = {"organisation", "template"}


def load_organisation(path: Path | str) -> Organisation:
    """Read an organisation file; raise InputError (file + TOML key path) on any problem."""
    path = Path(path)
    source = display_name(path)
    data = read_toml(path, MAX_CONFIG_BYTES, source, syntax_code="org.toml")
    problems = [
        Problem(
            source,
            key,
            say("org.unknown_table", key=key, hint=unknown_table_hint(key, _TOP_LEVEL)),
            "org.unknown_key",
        )
        for key in data
        if key not in _TOP_LEVEL
    ]
    header = data.get("organisation")
    if not isinstance(header, dict):
        problems.append(Problem(source, "organisation", say("org.missing_table"), "org.missing"))
        raise InputError(problems)
    raw_templates = data.get("template", [])
    if not isinstance(raw_templates, list):
        raise InputError([*problems, Problem(source, "template", say("org.template_array"), "org.type")])
    templates: list[Any] = []
    for index, raw in enumerate(raw_templates):
        try:
            templates.append(_with_workbook(raw, path, index))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    fields = {"id": path.stem, **header, "templates": templates, "source": source}
    try:
        organisation = Organisation.model_validate(fields)
    except ValidationError as exc:
        errors = exc.errors(include_input=False, include_url=False)
        raise InputError([Problem(source, where, message, code) for where, message, code in describe(errors)]) from None
    placeholders = placeholder_problems(organisation)
    if placeholders:
        raise InputError(placeholders)
    return organisation


def placeholder_problems(org: Organisation) -> list[Problem]:
    """One problem per value `sosmeta org new` wrote for the organisation to fill in and that is still there."""
    out = []
    for where, workbook in placeholder_places(org):
        message = say("org.placeholder_oid") if where.endswith(".oid") else say("org.placeholder_text")
        out.append(Problem(workbook or org.source, where, message, "org.placeholder"))
    return out


def _with_workbook(raw: Any, org_file: Path, index: int) -> Any:
    """A [[template]] table, merged with the template columns of the workbook it names (if any)."""
    if not isinstance(raw, dict) or "workbook" not in raw:
        return raw
    raw = dict(raw)
    source = display_name(org_file)
    name, sheet = raw.pop("workbook"), raw.pop("sheet", None)
    for key, value in (("workbook", name), ("sheet", sheet)):
        if value is not None and not isinstance(value, str):
            what = say("org.must_be_path" if key == "workbook" else "org.must_be_sheet")
            raise InputError.one(source, f"template[{index}].{key}", what, "org.type")
    workbook = org_file.parent / name
    rows = read_template_columns(workbook, sheet)
    from_book = template_from_rows(str(raw.get("structure", "")), rows, origin=str(workbook))
    merged_elements = {p: r.model_dump(exclude_none=True) for p, r in from_book.elements.items()}
    merged_elements.update(raw.get("elements", {}))
    raw["elements"] = merged_elements
    raw["omit"] = list(dict.fromkeys([*from_book.omit, *raw.get("omit", [])]))
    raw.setdefault("origin", str(workbook))
    return raw


# ---- workbook columns -------------------------------------------------------------------------------------
def read_template_columns(path: Path, sheet: str | None = None) -> list[dict[str, Any]]:
    """The template columns of a structure workbook, one dict per element row.

    Reads the first sheet (or `sheet`) whose first rows hold a key-path header (`Avainpolku`) or a row-number
    header (`Rivi`) next to at least one template column. Each dict holds `path` and/or `row`, the template
    columns present (normalised header, see `header_name` -> cell value) and `origin` (`Sheet!12:12`).
    """
    from openpyxl import load_workbook

    source = display_name(path)
    inspect(path, source)  # the same guard as `sosmeta import`: size, zip bomb, DOCTYPE, regular file only
    try:
        book = load_workbook(path, read_only=True, data_only=True, keep_links=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook; all mean the same to a user
        why = f"{type(exc).__name__}: {exc}"
        raise InputError.one(source, "", say("org.unreadable_workbook", why=why), "org.workbook") from None
    try:
        sheets = [book[sheet]] if sheet is not None and sheet in book.sheetnames else book.worksheets
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError.one(
                source, sheet, say("org.no_sheet", sheet=sheet, names=", ".join(book.sheetnames)), "org.workbook"
            )
        for ws in sheets:
            rows = _bounded_rows(ws, source)
            for header_index, header in enumerate(rows[:60]):
                names = [header_name(c) for c in header]
                has_key = any(n in PATH_HEADERS or n in ROW_HEADERS for n in names)
                if has_key and any(n in TEMPLATE_HEADERS for n in names):
                    return _rows_below(ws.title, names, rows, header_index)
        raise InputError.one(
            source,
            "",
            say("org.no_template_sheet"),
            "org.workbook",
        )
    except InputError:
        raise
    except Exception as exc:  # damaged sheet XML surfaces only while rows are read
        why = f"{type(exc).__name__}: {exc}"
        raise InputError.one(source, "", say("org.unreadable_workbook", why=why), "org.workbook") from None
    finally:
        book.close()


def _bounded_rows(ws: Any, source: str) -> list[tuple[Any, ...]]:
    """The sheet's values within the importer's bounds (rows, columns), as tuples."""
    rows: list[tuple[Any, ...]] = []
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS or len(row) > MAX_COLUMNS:
            raise InputError.one(
                source,
                f"{ws.title}!A{number}",
                say("excel.too_many_rows", rows=MAX_ROWS, columns=MAX_COLUMNS),
                "org.workbook",
            )
        rows.append(tuple(row))
    return rows


def header_name(cell: Any) -> str:
    """A header cell as compared: case, spacing and punctuation ignored."""
    text = unicodedata.normalize("NFC", str(cell)).casefold() if cell is not None else ""
    return "".join(ch for ch in text if ch.isalnum())


def _rows_below(title: str, names: list[str], rows: list[tuple[Any, ...]], header_index: int) -> list[dict[str, Any]]:
    wanted = {i: n for i, n in enumerate(names) if n in TEMPLATE_HEADERS}
    path_col = next((i for i, n in enumerate(names) if n in PATH_HEADERS), None)
    row_col = next((i for i, n in enumerate(names) if n in ROW_HEADERS), None)
    out: list[dict[str, Any]] = []
    for offset, cells in enumerate(rows[header_index + 1 :], start=header_index + 2):
        entry: dict[str, Any] = {n: cells[i] for i, n in wanted.items() if i < len(cells) and cells[i] is not None}
        if path_col is not None and path_col < len(cells) and cells[path_col] is not None:
            entry["path"] = str(cells[path_col]).strip()
        if row_col is not None and row_col < len(cells) and isinstance(cells[row_col], int):
            entry["row"] = cells[row_col]
        if ("path" in entry or "row" in entry) and any(n in entry for n in TEMPLATE_HEADERS):
            entry[ORIGIN] = f"{title}!{offset}:{offset}"
            out.append(entry)
    return out


def template_from_rows(
    structure: str, rows: Iterable[Mapping[str, Any]], origin: str = "", paths_by_row: Mapping[int, str] | None = None
) -> Template:
    """A template for `structure` from workbook rows (dicts keyed by `path`/`row` and column header).

    `Käytössä K/E` = `E` omits the element; `Ohje (fi)`/`Ohje (sv)` become instructions; `Oletusarvo` is the
    default (JSON text such as `{"code": "1"}` is parsed, other text kept as a string); `Käytetyt koodit` lists codes
    separated by commas or spaces; `Enintään` is the repeat limit. A row without `path` is placed by its row
    number through `paths_by_row` (e.g. from the structure: `{e.row_number: path}`), or else kept as `#<row>`.
    """
    omit: list[str] = []
    elements: dict[str, ElementRule] = {}
    problems: list[Problem] = []
    for row in rows:
        cols = {header_name(k) if k not in (ORIGIN, "path", "row") else k: v for k, v in row.items()}
        where = str(cols.get(ORIGIN) or origin)
        path = cols.get("path") or cols.get("keypath") or cols.get("avainpolku")
        if not path and isinstance(cols.get("row"), int):
            path = paths_by_row.get(cols["row"]) if paths_by_row is not None else f"#{cols['row']}"
        if not path:
            problems.append(Problem(origin, where, say("org.row_no_path"), "org.workbook_path"))
            continue
        path = str(path).strip()
        in_use = str(cols.get(IN_USE) or "").strip().upper()
        if in_use not in ("", "K", "E"):
            problems.append(Problem(origin, where, say("org.in_use"), "org.workbook_value"))
        if in_use == "E":
            omit.append(path)
        try:
            rule = _rule(cols, where if origin else None)
        except ValueError as exc:
            problems.append(Problem(origin, where, exc.args[0], "org.workbook_value"))  # a `say` text
            continue
        if rule is not None:
            elements[path] = rule
    if problems:
        raise InputError(problems)
    return Template(structure=structure, omit=tuple(omit), elements=elements, origin=origin or None)


def _rule(cols: Mapping[str, Any], where: str | None) -> ElementRule | None:
    fi, sv = _text(cols.get(INSTRUCTIONS_FI)), _text(cols.get(INSTRUCTIONS_SV))
    instructions = Bilingual(fi=fi or sv or "", sv=sv) if (fi or sv) else None
    default = _default(cols.get(DEFAULT))
    codes = tuple(c for c in re.split(r"[,;\s]+", str(cols[CODES]).strip()) if c) if CODES in cols else None
    max_items = cols.get(MAX_ITEMS)
    if max_items is not None and not (isinstance(max_items, int) or str(max_items).strip().isdigit()):
        raise ValueError(say("org.max_items"))
    limit = int(max_items) if max_items is not None else None
    if instructions is None and default is None and codes is None and limit is None:
        return None
    return ElementRule(instructions=instructions, default=default, codes=codes or None, max_items=limit, origin=where)


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _default(value: Any) -> Any:
    """A workbook cell as a default value: numbers and booleans as they are, JSON objects/lists parsed."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value).strip()
    if text[:1] in "{[":
        try:
            return loads_json(text, "Oletusarvo")
        except InputError as exc:
            problem = exc.problems[0]
            raise ValueError(say("org.default_json", why=problem.message)) from None
    return text or None
