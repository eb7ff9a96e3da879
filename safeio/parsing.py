"""Strict parsing of what was read: JSON and TOML trees of bounded depth, with finite numbers and real text.

Every JSON file the project reads (structure exports, catalog entries, client documents, envelopes, renames)
and every TOML file (sosmeta.toml, organisation templates, renames) is parsed here, so each command refuses
the same things in the same words:

- duplicate keys in one JSON object, and `NaN` / `Infinity`, which are not JSON;
- numbers that are not finite once read (`1e999` would become Infinity) and integers of more than
  `MAX_INT_DIGITS` digits (beyond the range of a double; Python cannot print those over 4,300 digits);
- strings and keys holding a lone surrogate (a `\\ud800` escape): not Unicode text, and impossible to write
  back out as UTF-8;
- nesting deeper than `MAX_DEPTH` objects and arrays: real exports nest 26 levels, documents less, and every
  later step (validators, forms, diff) may then walk the tree without running out of stack.

Errors are `InputError`s naming the file and the place (line and column, a JSON pointer or a TOML key path),
never a value: documents are sensitive.

JSON is read twice as fast as the standard library's strict parse (`fast_json`): orjson parses, and its value
is returned only when it is provably the strict parser's; any other text (and every refused one) goes to the
strict parser (`strict_json`), which decides and words every fault. orjson refuses by itself NaN, Infinity, a
number that overflows a double, lone surrogates, control characters, invalid UTF-8 and nesting beyond 1,024
levels; what it accepts and the strict parser would not, or reads otherwise, is caught after it:

- a duplicate key (orjson keeps the last): every key token ends in a `"` followed by JSON whitespace and `:`,
  and any other such match (an escaped quote, or the opening quote of a string starting with `:`) only adds,
  so the matches in the text (counted in C once whitespace is deleted) are at least the key tokens; the
  parsed tree has one key per token unless a duplicate was dropped, so equal counts prove there was none;
- an integer beyond 64 bits (orjson reads it as a float): every float of magnitude 2**63 or more goes to the
  strict parser, which gives the integer, or refuses one of more than `MAX_INT_DIGITS` digits;
- nesting deeper than `max_depth`: counted level by level in the same walk.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import orjson

from sosmeta.safeio.reading import display_name, read_text
from sosmeta.sosmeta_import.errors import InputError

MAX_DEPTH = 128
"""Most levels of objects and arrays (tables and arrays in TOML) in any file read."""
MAX_INT_DIGITS = 300
"""Longest integer accepted (10**300 still converts to a double; Python prints at most 4,300 digits)."""
_INT_LIMIT = 10**MAX_INT_DIGITS
_SURROGATE = re.compile("[\ud800-\udfff]")
# Outside strings: brackets, the non-JSON constants and integer literals; strings are matched to be skipped.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|NaN|-?Infinity|(?<![\d.eE+-])-?\d+(?![\d.eE])')
_SHOWN_PARTS = 8
"""A location deeper than this many keys is shortened (`/a/b/.../h/…`): the place, not the whole path."""


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _Constant(Exception):
    pass


class _HugeInt(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise _Constant(name)


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _HugeInt
    return int(text)


class JsonFault(Exception):
    """Why a JSON text is refused: `kind` (duplicate_key, constant, syntax, huge_number, too_deep, surrogate,
    surrogate_key, non_finite), `where` (line and column, a pointer, or ""), and a message that quotes no
    value (for a duplicate key, the key: a name, not a value). Each reader words it with its own codes."""

    def __init__(self, kind: str, where: str, message: str) -> None:
        super().__init__(message)
        self.kind, self.where, self.message = kind, where, message

    @property
    def code(self) -> str:
        """The `json.*` code of the fault (NaN and Infinity are syntax errors)."""
        return "json." + ("syntax" if self.kind == "constant" else self.kind)


def parse_json(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """The one strict JSON parser: key order kept, everything the module docstring lists refused by raising
    `JsonFault`. `loads_json` (json.* codes), `generators.cda.jsontext` (cda.json* codes) and the strict path of
    `safeio.jsonl` (jsonl.* codes) all parse here. The value and every fault are `strict_json`'s; `fast_json`
    answers first when it can prove its value is the same."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate character: the strict parser says where
        return strict_json(text, max_depth)
    value = fast_json(data, max_depth)
    return strict_json(text, max_depth) if value is UNDECIDED else value


class _Undecided:
    """What `fast_json` returns when the strict parser must decide."""

    def __repr__(self) -> str:
        return "UNDECIDED"


UNDECIDED: Final = _Undecided()
_JSON_SPACE = b" \t\n\r"
_INT_AS_FLOAT = 2.0**63
"""orjson reads an integer below -2**63 or above 2**64 - 1 as a float; no float this large is trusted."""


def fast_json(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """orjson's value of the UTF-8 JSON text `data` when it is provably what `strict_json` returns (the module
    docstring says how), else `UNDECIDED`: then `strict_json` decides, and words any fault."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return UNDECIDED
    kind = type(value)
    if kind is dict or kind is list:
        keys = _keys_within(value, max_depth)
        if keys < 0 or data.translate(None, _JSON_SPACE).count(b'":') != keys:
            return UNDECIDED
    elif kind is float and not -_INT_AS_FLOAT < value < _INT_AS_FLOAT:
        return UNDECIDED
    return value


def _keys_within(value: Any, max_depth: int) -> int:
    """How many keys the objects in `value` hold, or -1 when it nests deeper than `max_depth` or holds a float
    that may have been an integer (iterative, one level at a time: the depth costs nothing per value)."""
    keys = 0
    level = [value]
    for _ in range(max_depth):
        below: list[Any] = []
        for node in level:
            if type(node) is dict:
                keys += len(node)
                node = node.values()
            for child in node:
                kind = type(child)
                if kind is dict or kind is list:
                    below.append(child)
                elif kind is float and not -_INT_AS_FLOAT < child < _INT_AS_FLOAT:
                    return -1
        if not below:
            return keys
        level = below
    return -1


def strict_json(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """`parse_json` without the fast path: the standard library's parser, with every rule checked in Python."""
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_int=_int)
    except _DuplicateKey as dup:
        # The hook cannot see where it is, so locate the duplicate in the text for the message.
        needle = json.dumps(dup.key)
        first = text.find(needle)
        second = text.find(needle, first + 1) if first >= 0 else -1
        where = _line_col(text, second) if second >= 0 else ""
        key = needle if not _SURROGATE.search(dup.key) else "(a key with a lone surrogate)"
        raise JsonFault("duplicate_key", where, f"duplicate key {key} in one object") from None
    except json.JSONDecodeError as exc:
        # json's "Unterminated string starting at" expects a place after it; the place is the location here
        reason = exc.msg.removesuffix(" starting at")
        raise JsonFault("syntax", _line_col(text, exc.pos), f"not valid JSON: {reason}") from None
    except _Constant:
        where = _first_token(text, lambda t: t in ("NaN", "Infinity", "-Infinity"))
        raise JsonFault("constant", where, "NaN and Infinity are not JSON") from None
    except _HugeInt:
        where = _first_token(text, lambda t: t[0] in "-0123456789" and len(t.lstrip("-")) > MAX_INT_DIGITS)
        raise JsonFault("huge_number", where, _HUGE_INT) from None
    except RecursionError:
        raise _deep_fault(text, max_depth) from None
    except ValueError as exc:  # what else the decoder refuses; its messages quote no input
        raise JsonFault("syntax", "", f"not valid JSON: {exc}") from None
    fault = _first_fault(data, max_depth)
    if fault is not None:
        kind, trail = fault
        if kind == "deep":
            raise _deep_fault(text, max_depth)
        raise JsonFault(kind, _pointer(trail), _MESSAGES[kind])
    return data


def _deep_fault(text: str, max_depth: int) -> JsonFault:
    return JsonFault("too_deep", _deep_place(text, max_depth), f"nests deeper than {max_depth} levels")


def loads_json(text: str, source: str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text keeping key order, refusing what the module docstring lists; errors name the place."""
    try:
        return parse_json(text, max_depth)
    except JsonFault as fault:
        raise InputError.one(source, fault.where, fault.message, fault.code) from None


def nests_deeper(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` in a parsed value (iterative: never recurses)."""
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


def loads_toml(text: str, source: str, max_depth: int = MAX_DEPTH, syntax_code: str = "toml.syntax") -> dict[str, Any]:
    """Parse TOML text, refusing nesting deeper than `max_depth`, non-finite numbers (`inf`, `nan`) and huge
    integers; errors name the TOML key path (syntax errors: tomllib's line and column)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError.one(source, "", f"not valid TOML: {_one_line(str(exc))}", syntax_code) from None
    except RecursionError:
        raise _too_deep(source, "", max_depth, "toml") from None
    except ValueError:  # tomllib passes on int() refusing more than 4,300 digits
        raise InputError.one(source, "", _HUGE_INT, "toml.huge_number") from None
    fault = _first_fault(data, max_depth)
    if fault is not None:
        kind, trail = fault
        if kind == "deep":
            raise _too_deep(source, _key_path(trail), max_depth, "toml")
        raise InputError.one(source, _key_path(trail), _MESSAGES[kind], f"toml.{kind}")
    return data


def read_json(path: Path, max_bytes: int, source: str | None = None, max_depth: int = MAX_DEPTH) -> Any:
    """The strict JSON content of the regular file `path` (at most `max_bytes`, UTF-8)."""
    name = source or display_name(path)
    return loads_json(read_text(path, max_bytes, name), name, max_depth)


def read_toml(
    path: Path, max_bytes: int, source: str | None = None, max_depth: int = MAX_DEPTH, syntax_code: str = "toml.syntax"
) -> dict[str, Any]:
    """The strict TOML content of the regular file `path` (at most `max_bytes`, UTF-8)."""
    name = source or display_name(path)
    return loads_toml(read_text(path, max_bytes, name), name, max_depth, syntax_code)


# ---- the walk over a parsed tree ----------------------------------------------------------------------------
_HUGE_INT = f"an integer of more than {MAX_INT_DIGITS} digits"
_MESSAGES = {
    "surrogate": "a string holds a lone surrogate (an escape from \\ud800 to \\udfff): not Unicode text",
    "surrogate_key": "a key of this object holds a lone surrogate (an escape from \\ud800 to \\udfff): "
    "not Unicode text",
    "non_finite": "a number that is not finite (such as 1e999, beyond the range of a double)",
    "huge_number": _HUGE_INT,
}
Trail = tuple[Any, str | int] | None
"""Where a value is: (the parent's trail, the key or index), None at the top."""


def _first_fault(data: Any, max_depth: int) -> tuple[str, Trail] | None:
    """The first thing in document order the module refuses, and where; iterative, so depth cannot crash it."""
    stack: list[tuple[Any, int, Trail]] = [(data, 0, None)]
    while stack:
        value, depth, trail = stack.pop()
        if isinstance(value, dict):
            if depth >= max_depth:
                return "deep", trail
            for key in value:
                if not key.isascii() and _SURROGATE.search(key):
                    return "surrogate_key", trail
            stack.extend((child, depth + 1, (trail, key)) for key, child in reversed(value.items()))
        elif isinstance(value, list):
            if depth >= max_depth:
                return "deep", trail
            stack.extend((value[i], depth + 1, (trail, i)) for i in range(len(value) - 1, -1, -1))
        elif isinstance(value, str):
            if not value.isascii() and _SURROGATE.search(value):
                return "surrogate", trail
        elif isinstance(value, float):
            if not math.isfinite(value):
                return "non_finite", trail
        elif isinstance(value, int) and not isinstance(value, bool) and not -_INT_LIMIT < value < _INT_LIMIT:
            return "huge_number", trail
    return None


def _parts(trail: Trail) -> list[str | int]:
    out: list[str | int] = []
    while trail is not None:
        trail, key = trail
        out.append(key)
    out.reverse()
    return out


def _pointer(trail: Trail) -> str:
    """RFC 6901 pointer of the place, shortened when deep."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in _parts(trail)]
    if len(parts) > _SHOWN_PARTS:
        parts = [*parts[:_SHOWN_PARTS], "…"]
    return "/" + "/".join(parts)


def _key_path(trail: Trail) -> str:
    """The place as a TOML key path (`template[0].elements."a/b"`), shortened when deep."""
    out = ""
    parts = _parts(trail)
    for part in parts[:_SHOWN_PARTS]:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part, ensure_ascii=False)
            out += f".{key}" if out else key
    return out + (".…" if len(parts) > _SHOWN_PARTS else "")


# ---- locating in the text -----------------------------------------------------------------------------------
def _tokens(text: str) -> Iterator[re.Match[str]]:
    return (m for m in _TOKEN.finditer(text) if m.group()[0] != '"')


def _first_token(text: str, wanted: Any) -> str:
    for match in _tokens(text):
        if wanted(match.group()):
            return _line_col(text, match.start())
    return ""


def _deep_place(text: str, max_depth: int) -> str:
    """Line and column of the first bracket that opens level `max_depth + 1`."""
    depth = 0
    for match in _tokens(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return _line_col(text, match.start())
        elif token in "]}":
            depth -= 1
    return ""


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line} column {col}"


def _too_deep(source: str, where: str, max_depth: int, kind: str) -> InputError:
    return InputError.one(source, where, f"nests deeper than {max_depth} levels", f"{kind}.too_deep")


def _one_line(message: str) -> str:
    return " ".join(message.split())
