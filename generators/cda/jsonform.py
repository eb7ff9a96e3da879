"""The structured form's bytes: compact UTF-8 JSON exactly as `json.dumps(value, ensure_ascii=False,
separators=(",", ":"), allow_nan=False).encode("utf-8")` writes it, by orjson where that is proven to be the same.

orjson is about ten times as fast, but it writes other bytes for floats (`1e16` where json.dumps writes `1e+16`)
and for NaN and infinities (`null`, which json.dumps refuses), and it writes what json.dumps refuses (UUIDs,
enums, dates, dataclasses). For objects with str keys, arrays, strings, integers, booleans and null it writes the
same bytes, or refuses (integers beyond 64 bits, keys that are not str, lone surrogates); the differential test
(tests/test_cda_json_fast.py) checks that over arbitrary values. So a value is first walked, level by level: when
it holds nothing but dicts, lists, str, int, bool and None of exactly those types, nested at most `max_depth`
deep, orjson writes it; anything else, and anything orjson refuses, goes to json.dumps, which writes or refuses
it as it always has. The walk also gives the depth, so the caller's depth check is answered on the way.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

FAST_DEPTH = 128
"""The deepest value the fast path takes when the caller sets no bound (orjson's own limit is 254)."""
MAX_CONTAINERS = 1 << 20
"""The most arrays and objects the walk visits: more (a value sharing containers many times over) is left to
json.dumps, as before."""


def standard_json(value: Any) -> bytes:
    """What the structured form is defined as: the standard library's compact, non-ASCII-escaping JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def plain_depth(value: Any, max_depth: int) -> int | None:
    """How deep arrays and objects nest in `value` (0: none), when it holds only dict, list, str, int, bool and
    None (exactly those types, not subclasses), at most `max_depth` levels and `MAX_CONTAINERS` containers;
    else None. Level by level, so that neither a deep value nor a cycle recurses or loops."""
    kind = value.__class__
    if kind is not dict and kind is not list:
        return 0 if kind is str or kind is int or kind is bool or value is None else None
    level: list[Any] = [value]
    depth = seen = 0
    while level:
        depth += 1
        seen += len(level)
        if depth > max_depth or seen > MAX_CONTAINERS:
            return None
        below: list[Any] = []
        add = below.append
        for container in level:
            for item in container.values() if container.__class__ is dict else container:
                kind = item.__class__
                if kind is dict or kind is list:
                    add(item)
                elif kind is not str and kind is not int and kind is not bool and item is not None:
                    return None  # a float, a subclass, or not JSON at all: json.dumps decides
        level = below
    return depth


def compact_json(value: Any, max_depth: int = FAST_DEPTH) -> tuple[bytes, bool]:
    """`standard_json(value)` (same bytes, same exceptions), and whether `value` was seen to nest at most
    `max_depth` levels (False: not known; the caller checks the depth itself)."""
    if plain_depth(value, max_depth) is not None:
        try:
            return orjson.dumps(value), True
        except orjson.JSONEncodeError:  # an integer beyond 64 bits, a key not str, a lone surrogate
            pass
    return standard_json(value), False
