"""Identifier facts of the Finnish social-welfare documents: OIDs and the personal identity code (henkilötunnus).

Domain rules, not a format's: importers, the validator, the example generator and the CDA envelope all ask
these functions, so they agree on what an OID or an identity code is. Nothing here returns or formats the value
it checks (client documents are sensitive: callers name the field and the rule, never the value).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator

OID_URN_PREFIX = "urn:oid:"
HETU_OID = "1.2.246.21"
"""The code system of the personal identity code (Digital and Population Data Services Agency)."""
HETU_SYSTEM = OID_URN_PREFIX + HETU_OID

# ---- OIDs --------------------------------------------------------------------------------------------------
_OID = re.compile(r"[0-2](?:\.(?:0|[1-9][0-9]*))+", re.ASCII)


def is_oid(value: str) -> bool:
    """ITU-T X.660 dotted OID: first arc 0-2, at least two arcs, no leading zeros, ASCII digits only."""
    return _OID.fullmatch(value) is not None


def check_oid(value: str) -> str:
    """`value` when it is an OID; else ValueError (for pydantic fields: see `Oid`)."""
    if not is_oid(value):
        raise ValueError("not an OID (digits separated by dots, no leading zeros)")
    return value


Oid = Annotated[str, AfterValidator(check_oid)]
"""A str field that must hold a dotted OID."""


MAX_OID_LENGTH = 128
"""Longest OID accepted where an OID names a file or folder (real ones have about 40 characters)."""


def oid_problem(value: object) -> str | None:
    """Why `value` cannot be an OID that names a catalog folder or output file, or None when it can.

    The message never holds the value (it may be anything an input file says)."""
    if not isinstance(value, str):
        return "must be a string holding an OID"
    if len(value) > MAX_OID_LENGTH:
        return f"is {len(value)} characters long; an OID has at most {MAX_OID_LENGTH}"
    if not is_oid(value):
        return "is not an OID (dotted decimal: digits separated by dots, first arc 0-2, no leading zeros)"
    return None


_VERSION_DATE = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})", re.ASCII)


def version_problem(value: object) -> str | None:
    """Why `value` cannot be a structure version (a real calendar date `YYYY-MM-DD`), or None when it can.

    The message never holds the value."""
    match = _VERSION_DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return "is not a version date YYYY-MM-DD"
    try:
        dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return "is not a real calendar date"
    return None


def is_oid_or_urn(value: str) -> bool:
    """An OID, bare or as `urn:oid:<oid>`."""
    return is_oid(value[8:] if value.startswith(OID_URN_PREFIX) else value)


# ---- personal identity code (henkilötunnus) DDMMYYCZZZQ ----------------------------------------------------
HETU_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
"""Q is this string's character at (DDMMYYZZZ as a number) mod 31."""
CENTURY_SIGNS = {18: "+", 19: "-YXWVU", 20: "ABCDEF"}
"""Century -> its signs, the classic one first; the others are valid since 2023 (Government Decree 128/2010 as
amended)."""
_CENTURY_OF_SIGN = {sign: century * 100 for century, signs in CENTURY_SIGNS.items() for sign in signs}
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_DAY_MONTHS = frozenset(f"{day:02d}{month:02d}" for month in range(1, 13) for day in range(1, _MONTH_DAYS[month] + 1))
"""DDMM of the days that exist in every year (all but 29 February)."""

HETU_OK, HETU_FORMAT, HETU_DATE, HETU_INDIVIDUAL, HETU_CHECKSUM, HETU_TEMPORARY = range(6)


def hetu_check_character(digits: str) -> str:
    """The check character of the nine digits DDMMYYZZZ (birth date and individual number)."""
    return HETU_CHECK_CHARACTERS[int(digits) % 31]


def _real_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12:
        return False
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 1 <= day <= 29
    return 1 <= day <= _MONTH_DAYS[month]


def hetu_problem(value: str) -> int:
    """Why `value` is not a valid henkilötunnus (DDMMYYCZZZQ), or HETU_OK.

    C is the century sign (+ 1800s; - U V W X Y 1900s; A B C D E F 2000s), ZZZ the individual number
    (002-899; 000-001 are not given, HETU_INDIVIDUAL; 900-999 are temporary and test codes, HETU_TEMPORARY)
    and Q the check character. Checked in that order, so HETU_FORMAT, HETU_DATE and HETU_INDIVIDUAL say
    nothing about the check character. Written without a regex: the validator runs it on every identity code
    of every document.
    """
    if len(value) != 11:
        return HETU_FORMAT
    century = _CENTURY_OF_SIGN.get(value[6])
    digits = value[:6] + value[7:10]
    if century is None or not (digits.isascii() and digits.isdigit()) or value[10] not in HETU_CHECK_CHARACTERS:
        return HETU_FORMAT
    # Every day-month but 29 February is real in every year: one set lookup instead of a date computation.
    if value[:4] not in _DAY_MONTHS and not _real_date(century + int(value[4:6]), int(value[2:4]), int(value[:2])):
        return HETU_DATE
    number = int(value[7:10])
    if number < 2:
        return HETU_INDIVIDUAL
    if HETU_CHECK_CHARACTERS[int(digits) % 31] != value[10]:
        return HETU_CHECKSUM
    return HETU_TEMPORARY if number >= 900 else HETU_OK


def hetu_checksum_ok(value: str) -> bool:
    """Whether the check character of a well-formed code (no HETU_FORMAT problem) fits its digits."""
    return hetu_check_character(value[:6] + value[7:10]) == value[10]
