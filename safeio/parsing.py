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

JSON is read about three times as fast as the standard library's strict parse (`fast_json`): jiter (Rust)
parses, and its value is returned only when it is provably the strict parser's; any other text (and every
refused one) goes to the strict parser (`strict_json`), which decides and words every fault. jiter refuses by
itself duplicate keys, NaN and Infinity, lone surrogates, control characters, invalid UTF-8, a BOM and nesting
beyond 200 levels; what it accepts and the strict parser would not is caught around it, in C:

- a number beyond a double (`1e999`, which jiter reads as infinity) or an integer of more than
  `MAX_INT_DIGITS` digits: both need an exponent of three digits or a run of 200 digits, which one pass over
  the bytes shows (`marks_of`); such a text goes to the strict parser whatever the run is part of;
- nesting deeper than `max_depth`: impossible with fewer brackets; with more, counted from the brackets
  (`nesting_over`) or, when a string holds a bracket, by a walk of the tree.

(orjson was measured too: faster alone, but it keeps the last of two duplicate keys and reads an integer
beyond 64 bits as a float, and proving neither happened, by counting keys in the text and in the tree, cost
more than it saved: `bench/parse_bench.py`.)
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import jiter

from sosmeta.safeio.parsing_texts import reason as decoder_reason
from sosmeta.safeio.parsing_texts import say
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

    def __init__(self, kind: str, where: str, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.kind, self.where, self.message = kind, where, message
        self.reason = reason
        """For a syntax fault, the decoder's reason alone (a `Localized` text when the catalogue knows it)."""

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

# One pass over the bytes answers the cheap questions: digits become "0", "E" "e", brackets "{" or "}", and signs
# go, so an exponent of 3+ digits shows as b"e000" and a long number as a run of "0".
_MARKS = bytes.maketrans(b"0123456789E[]", b"0000000000e{}")
_LONG_RUN = b"0" * 200
"""A number beyond a double needs an exponent of 3 digits or, with one of 2, 210+ digits before the point."""


def marks_of(data: bytes) -> bytes:
    """`data` with every digit made "0", "E" made "e", brackets made "{" and "}", signs removed (in C)."""
    return data.translate(_MARKS, b"+-")


def may_be_out_of_range(marks: bytes) -> bool:
    """Whether a text with these `marks_of` may hold a number beyond a double or a huge integer."""
    return b"e000" in marks or _LONG_RUN in marks


def fast_json(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """jiter's value of the UTF-8 JSON text `data` when it is provably what `strict_json` returns (the module
    docstring says how), else `UNDECIDED`: then `strict_json` decides, and words any fault."""
    marks = marks_of(data)
    if may_be_out_of_range(marks):
        return UNDECIDED
    try:
        value = jiter.from_json(data, allow_inf_nan=False, catch_duplicate_keys=True, cache_mode="keys")
    except ValueError:
        return UNDECIDED
    if marks.count(b"{") > max_depth:
        over = nesting_over(data, max_depth)
        if over or (over is None and nests_deeper(value, max_depth)):
            return UNDECIDED
    return value


_SKELETON = bytes(c for c in range(256) if c not in b'[]{}"')
_UNIFY = bytes.maketrans(b"[]", b"{}")


def nesting_over(data: bytes, limit: int) -> bool | None:
    """Whether the JSON text `data` nests arrays and objects deeper than `limit`, from its brackets alone
    (in C: a few passes over the bytes), or None when a string holds a bracket and the text must be parsed.

    Escaped backslashes and quotes go first; then everything but brackets and quotes; a string without
    brackets is then an adjacent pair of quotes, and goes too. What is left are the brackets, and each pass
    that removes every empty pair peels one level off.
    """
    skeleton = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _SKELETON).replace(b'""', b"")
    if b'"' in skeleton:
        return None
    skeleton = skeleton.translate(_UNIFY)
    if b"{" * (limit + 1) in skeleton:  # a chain of nested containers, as most too deep texts are
        return True
    for _ in range(limit):
        if not skeleton:
            return False
        skeleton = skeleton.replace(b"{}", b"")
    return bool(skeleton)


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
        key = needle if not _SURROGATE.search(dup.key) else say("json.surrogate_key_name")
        raise JsonFault("duplicate_key", where, say("json.duplicate_key", key=key)) from None
    except json.JSONDecodeError as exc:
        # json's "Unterminated string starting at" expects a place after it; the place is the location here
        reason = decoder_reason(exc.msg.removesuffix(" starting at"))
        raise JsonFault("syntax", _line_col(text, exc.pos), say("json.syntax", reason=reason), reason) from None
    except _Constant:
        where = _first_token(text, lambda t: t in ("NaN", "Infinity", "-Infinity"))
        raise JsonFault("constant", where, say("json.constant")) from None
    except _HugeInt:
        where = _first_token(text, lambda t: t[0] in "-0123456789" and len(t.lstrip("-")) > MAX_INT_DIGITS)
        raise JsonFault("huge_number", where, _HUGE_INT) from None
    except RecursionError:
        raise _deep_fault(text, max_depth) from None
    except ValueError as exc:  # what else the decoder refuses; its messages quote no input
        raise JsonFault("syntax", "", say("json.syntax", reason=str(exc)), str(exc)) from None
    fault = _first_fault(data, max_depth)
    if fault is not None:
        kind, trail = fault
        if kind == "deep":
            raise _deep_fault(text, max_depth)
        raise JsonFault(kind, _pointer(trail), _MESSAGES[kind])
    return data


def _deep_fault(text: str, max_depth: int) -> JsonFault:
    return JsonFault("too_deep", _deep_place(text, max_depth), say("json.too_deep", limit=max_depth))


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
_HUGE_INT = say("json.huge_number", digits=MAX_INT_DIGITS)
_MESSAGES = {kind: say(f"json.{kind}") for kind in ("surrogate", "surrogate_key", "non_finite")}
_MESSAGES["huge_number"] = _HUGE_INT
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
    return InputError.one(source, where, say("json.too_deep", limit=max_depth), f"{kind}.too_deep")


def _one_line(message: str) -> str:
    return " ".join(message.split())
