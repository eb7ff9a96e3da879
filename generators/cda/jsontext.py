"""Strict JSON for the CDA commands: client documents and envelopes read by encode, the structured form read
back by decode.

Parsed by the project's one strict parser (`safeio.parsing.parse_json`) and refused, with the place (line and
column, or the XML place of the carrier) and never the text: bytes that are not UTF-8, syntax errors,
duplicate keys (which JSON readers resolve differently, so the archive could keep another document than the
one checked), NaN and infinities (also `1e999`, which Python reads as infinity), integers of more than 300
digits, lone surrogates, nesting beyond a bound and anything but an object. The faults keep the CDA commands'
own codes (`cda.json*`, `cda.too_deep`, `cda.not_object`).
"""

from __future__ import annotations

from typing import Any

from sosmeta.safeio.parsing import JsonFault, nests_deeper, parse_json
from sosmeta.safeio.parsing_texts import JSON_TEXTS, say
from sosmeta.sosmeta_import.errors import InputError

# The parser's fault kinds, as the CDA commands word (`parsing_texts`: cda.*) and code them.
_FAULTS = {
    "duplicate_key": ("cda.json_duplicate_key", "cda.json_duplicate_key"),
    "constant": ("cda.constant", "cda.json_number"),
    "non_finite": ("cda.non_finite", "cda.json_number"),
    "huge_number": ("cda.huge_number", "cda.json_number"),
    "surrogate": ("cda.surrogate", "cda.json_encoding"),
    "surrogate_key": ("cda.surrogate", "cda.json_encoding"),
}


def too_deep(value: Any, limit: int, text: str | None = None) -> bool:
    """True when `value` nests arrays and objects deeper than `limit`. With its JSON `text`, a document with no
    more brackets than `limit` (most have a few dozen) is answered by counting."""
    if text is not None and text.count("[") + text.count("{") <= limit:
        return False
    return nests_deeper(value, limit)


def load_object(raw: bytes, source: str, what: str, max_depth: int, location: str | None = None) -> dict[str, Any]:
    """The JSON object in `raw`, or InputError (one located line, code `cda.json*`, `cda.too_deep` or
    `cda.not_object`). `location` fixes the place named in errors; by default it is the line and column."""
    named = say(f"cda.what.{what}") if f"cda.what.{what}" in JSON_TEXTS else what
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = location if location is not None else f"byte {exc.start}"
        raise InputError.one(source, where, say("cda.json_encoding_bytes", what=named), "cda.json_encoding") from None

    def fail(key: str, code: str, where: str = "", **params: object) -> InputError:
        message = say(key, what=named, **params)
        return InputError.one(source, location if location is not None else where, message, code)

    try:
        data = parse_json(text, max_depth)
    except JsonFault as fault:
        if fault.kind == "too_deep":
            raise fail("cda.too_deep", "cda.too_deep", fault.where, limit=max_depth) from None
        if fault.kind == "syntax":
            raise fail("cda.json", "cda.json", fault.where, reason=fault.reason) from None
        key, code = _FAULTS[fault.kind]
        raise fail(key, code, fault.where) from None
    if not isinstance(data, dict):
        raise fail("cda.not_object", "cda.not_object")
    return data
