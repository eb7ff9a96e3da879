"""Cells of a structure sheet: the sheet being read with the problems collected so far, cell values coerced
to what the importer expects (text, yes/no, whole numbers), and the technical (JSON) cells checked against
the shape of each entry.

A value that cannot be read raises `RowError`; the caller collects it with the rest of the row's problems.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from sosmeta.safeio.parsing import loads_json
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.model import LANGUAGE_KEYS, NEUTRAL_KEYS
from sosmeta.structures.workbook import NO_WORDS, YES_WORDS, read_text

_NUMBER = re.compile(r"^[+-]?\d+(?:\.0*)?$")


class RowError(Exception):
    """Problems with a row; the row is skipped (its keys, when known, still place the rows below it)."""

    def __init__(self, problem: Problem | list[Problem], keys: tuple[str, ...] | None = None) -> None:
        self.problems = problem if isinstance(problem, list) else [problem]
        super().__init__("; ".join(str(p) for p in self.problems))
        self.keys = keys


@dataclass
class Sheet:
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


def quoted(value: Any) -> str:
    """A cell value for a message: JSON-quoted, cut to 40 characters."""
    text = str(value)
    return json.dumps(text[:40] + ("…" if len(text) > 40 else ""), ensure_ascii=False)


def cell_text(value: Any) -> str | None:
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


def cell_flag(value: Any, where: str, sheet: Sheet) -> bool | None:
    """A yes/no cell as a bool (K/E, kyllä/ei, x, TRUE/FALSE, 1/0); None when empty."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = cell_text(value)
    if text is None:
        return None
    word = text.strip().casefold()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise RowError(sheet.problem(where, say("excel.not_yes_no", text=quoted(text)), "excel.not_yes_no"))


def cell_integer(value: Any, where: str, sheet: Sheet, what: str) -> int | None:
    """A whole-number cell (`3`, `3.0`, "3") as an int; None when empty."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value)
    if text is None:
        return None
    if _NUMBER.match(text.strip()):
        return int(text.strip().split(".")[0])
    raise RowError(sheet.problem(where, say("excel.not_integer", text=quoted(text), what=what), "excel.not_integer"))


# ---- technical JSON --------------------------------------------------------------------------------------

ROW_TECH = frozenset({"path", "keys", "texts", "extra", "node", "wrapper", "subs", "members"})
META_TECH = frozenset({"order", "extra", "root", "values"})


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


def technical_json(text: str, where: str, sheet: Sheet, allowed: frozenset[str]) -> dict[str, Any]:
    """A technical cell's JSON object, its entries limited to `allowed` and each of its shape; {} when empty."""
    if not text:
        return {}
    try:
        data = loads_json(text, where)  # strict, as an export is read: no NaN, 1e999, lone surrogates, deep nests
    except InputError as exc:
        refused = exc.problems[0]
        at = f" at {refused.location}" if refused.location else ""
        raise RowError(
            sheet.problem(
                where,
                say("excel.bad_technical_json", why=f"{refused.message}{at}"),
                "excel.bad_technical",
            )
        ) from None
    if not isinstance(data, dict) or not set(data) <= allowed:
        raise RowError(
            sheet.problem(
                where,
                say("excel.technical_shape", entries=", ".join(sorted(allowed))),
                "excel.bad_technical",
            )
        )
    for name, value in data.items():
        if not _TECH_SHAPES[name](value):
            raise RowError(sheet.problem(where, say("excel.technical_entry", name=repr(name)), "excel.bad_technical"))
    return data
