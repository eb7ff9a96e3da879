"""Strict JSON for the CDA commands: client documents and envelopes read by encode, the structured form read
back by decode.

Refused, with the place (line and column, or the XML place of the carrier) and never the text: bytes that are
not UTF-8, syntax errors, duplicate keys (which JSON readers resolve differently, so the archive could keep
another document than the one checked), NaN and infinities (also `1e999`, which Python reads as infinity),
integers longer than Python converts, lone surrogates, nesting beyond a bound and anything but an object.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from sosmeta.sosmeta_import.errors import InputError

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _Refused(ValueError):
    """Raised inside the parser's hooks; carries our own message and code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Refused("an object holds the same key twice", "cda.json_duplicate_key")
    return out


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("a number too large for JSON's finite numbers", "cda.json_number")
    return value


def _constant(name: str) -> Any:
    raise _Refused("NaN and infinities are not JSON", "cda.json_number")


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_float=_finite, parse_constant=_constant)
"""Made once: `json.loads` with hooks would build a decoder on every call."""


def _place(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"line {line} column {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def too_deep(value: Any, limit: int, text: str | None = None) -> bool:
    """True when `value` nests arrays and objects deeper than `limit` (iterative: never recurses). With its JSON
    `text`, a document with no more brackets than `limit` (most have a few dozen) is answered by counting."""
    if text is not None and text.count("[") + text.count("{") <= limit:
        return False
    if not isinstance(value, dict | list):
        return False
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


def has_lone_surrogate(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def load_object(raw: bytes, source: str, what: str, max_depth: int, location: str | None = None) -> dict[str, Any]:
    """The JSON object in `raw`, or InputError (one located line, code `cda.json*`, `cda.too_deep` or
    `cda.not_object`). `location` fixes the place named in errors; by default it is the line and column."""

    def fail(message: str, code: str, pos: int | None = None) -> InputError:
        where = location if location is not None else (_place(text, pos) if pos is not None else "")
        return InputError.one(source, where, f"the {what} {message}", code)

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.one(
            source,
            location if location is not None else f"byte {exc.start}",
            f"the {what} is not UTF-8 text",
            "cda.json_encoding",
        ) from None
    try:
        data = _DECODER.decode(text)
    except _Refused as exc:
        raise fail(f"is refused: {exc}", exc.code) from None
    except json.JSONDecodeError as exc:
        raise fail(f"is not valid JSON ({exc.msg})", "cda.json", exc.pos) from None
    except RecursionError:
        raise fail("is nested too deeply", "cda.too_deep") from None
    except ValueError:  # an integer longer than Python converts (4300 digits)
        raise fail("holds an integer with too many digits", "cda.json_number") from None
    if not isinstance(data, dict):
        raise fail("is not a JSON object", "cda.not_object")
    if too_deep(data, max_depth, text):
        raise fail(f"nests arrays and objects deeper than {max_depth} levels", "cda.too_deep")
    if _SURROGATE_ESCAPE.search(text) and has_lone_surrogate(data):  # only an escape can make one
        raise fail("holds a lone surrogate, which is not Unicode text", "cda.json_encoding")
    return data
