"""Helpers that generated validators call: JSON equality, JSON pointers, calendar dates, identity codes, OIDs.

Everything here is imported by the generated validator modules, so it is kept small and fast. None of these
functions returns or formats the value it checks: findings name the field and the rule, never the value.
"""

from __future__ import annotations

import re
from numbers import Number
from typing import Any

# Identifier and pointer rules live in the model layer; generated validators import them from here.
from sosmeta.structures.identifiers import hetu_problem, is_oid, is_oid_or_urn  # noqa: F401
from sosmeta.structures.pointers import escape as pointer_part  # noqa: F401

MISSING: Any = object()
"""Stands for an absent property (`None` is JSON null)."""


def is_number(value: Any) -> bool:
    """JSON Schema `number`: any number except booleans."""
    return isinstance(value, Number) and not isinstance(value, bool) and not isinstance(value, complex)


def is_integer(value: Any) -> bool:
    """JSON Schema (draft-06+) `integer`: a number with no fractional part, 1.0 included."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()


def json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON Schema defines it: 1 == 1.0, but true is not 1; arrays and objects compared deeply."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if is_number(a) or is_number(b):
        return is_number(a) and is_number(b) and a == b
    if isinstance(a, list) or isinstance(b, list):
        return (
            isinstance(a, list)
            and isinstance(b, list)
            and len(a) == len(b)
            and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(json_equal(a[k], b[k]) for k in a)
        )
    return a is None and b is None


def in_enum(value: Any, options: tuple[Any, ...]) -> bool:
    return any(json_equal(value, option) for option in options)


def all_unique(items: list[Any]) -> bool:
    return not any(json_equal(items[i], items[j]) for i in range(len(items)) for j in range(i))


def is_multiple(value: Any, divisor: Any) -> bool:
    """`multipleOf` as the reference validators compute it (float quotient must be integral)."""
    if isinstance(divisor, float) or isinstance(value, float):
        try:
            quotient = value / divisor
            return bool(quotient == int(quotient))
        except (OverflowError, ValueError):
            return False
    return bool(value % divisor == 0)


# ---- calendar dates and times ---------------------------------------------------------------------------
_DATE = re.compile(r"-?([0-9]{4,})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)
_DATETIME = re.compile(
    r"-?([0-9]{4,})(?:-([0-9]{2})(?:-([0-9]{2})(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?"
    r"(?:Z|[+-]([0-9]{2}):([0-9]{2})))?)?)?",
    re.ASCII,
)
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
OK, BAD_FORMAT, BAD_CALENDAR = 0, 1, 2


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _bad_day(year: int, month: str | None, day: str | None) -> bool:
    if month is None:
        return False
    m = int(month)
    if not 1 <= m <= 12:
        return True
    if day is None:
        return False
    d = int(day)
    last = 29 if m == 2 and _leap(year) else _MONTH_DAYS[m]
    return not 1 <= d <= last


def date_problem(value: str) -> int:
    """OK, BAD_FORMAT (not YYYY, YYYY-MM or YYYY-MM-DD) or BAD_CALENDAR (no such month or day)."""
    match = _DATE.fullmatch(value)
    if match is None:
        return BAD_FORMAT
    year, month, day = match.groups()
    return BAD_CALENDAR if _bad_day(int(year), month, day) else OK


def datetime_problem(value: str) -> int:
    """As `date_problem`, for a date with an optional `Thh:mm:ss[.f]` time and zone."""
    match = _DATETIME.fullmatch(value)
    if match is None:
        return BAD_FORMAT
    year, month, day, hh, mm, ss, zh, zm = match.groups()
    if _bad_day(int(year), month, day):
        return BAD_CALENDAR
    if hh is not None and (int(hh) > 23 or int(mm) > 59 or int(ss) > 59):
        return BAD_CALENDAR
    if zh is not None and (int(zh) > 14 or int(zm) > 59 or (int(zh) == 14 and int(zm) != 0)):
        return BAD_CALENDAR
    return OK


# ---- OIDs ------------------------------------------------------------------------------------------------
def system_matches(value: str, oid: str) -> bool:
    """`urn:oid:<oid>`, optionally followed by further arcs (a classification version)."""
    prefix = "urn:oid:" + oid
    return value == prefix or (value.startswith(prefix + ".") and is_oid(value[8:]))


def normalize_label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _calendar_dates(first: int, last: int) -> frozenset[str]:
    """Every real date `YYYY-MM-DD` of years first..last: a set lookup answers the common case of a date check."""
    out: list[str] = []
    for year in range(first, last + 1):
        feb = 29 if _leap(year) else 28
        for month, days in enumerate((31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), 1):
            prefix = f"{year}-{month:02d}-"
            out.extend(prefix + day for day in _DAYS[:days])
    return frozenset(out)


_DAYS = tuple(f"{d:02d}" for d in range(1, 32))
COMMON_DATES = _calendar_dates(1900, 2099)
"""Real dates 1900-2099: each matches the DATE pattern and is a calendar date, so membership settles both."""
