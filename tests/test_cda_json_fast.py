"""The structured form's fast serializer (`jsonform`, orjson where proven the same) writes exactly what json.dumps
writes, and refuses what it refuses with the same exception; `_structured_form` refuses every document with the
same located problem as when the form was made by json.dumps alone. Arbitrary values: floats of every form,
integers beyond 64 bits, any Unicode (controls, lone surrogates), keys that are not str, subclasses, tuples,
values json.dumps refuses and orjson would write (UUIDs, enums, dates), nesting around the limits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
import uuid
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta.generators.cda import codec, jsonform
from sosmeta.generators.cda.jsonform import compact_json, plain_depth, standard_json
from sosmeta.generators.cda.limits import Limits
from sosmeta.safeio.parsing import nests_deeper
from sosmeta.sosmeta_import.errors import InputError
from tests.cda_support import example_documents

_MANY = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Text(str):
    pass


class Number(int):
    pass


class Colour(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


@dataclasses.dataclass
class Point:
    x: int


floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [1e16, 1e15, 1e-5, 1e-4, 5e-324, 1.7976931348623157e308, -0.0, 0.1, 123456789012345680.0, 1e22]
)
integers = st.integers() | st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 10**400])
texts = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=12)  # surrogates included
odd = st.sampled_from(
    [Text("x"), Number(7), Colour.RED, Level.HIGH, uuid.UUID(int=7), dt.date(2024, 1, 2), Point(1), b"x", {1, 2}]
)
leaves = st.none() | st.booleans() | integers | floats | texts | odd
keys = texts | st.integers() | st.booleans() | st.none() | st.sampled_from([Text("k"), 1.5])


def containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(texts, inner, max_size=4)
        | st.dictionaries(keys, inner, max_size=3)
    )


json_like = st.recursive(leaves, containers, max_leaves=30)
plain = st.recursive(
    st.none() | st.booleans() | integers | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=30,
)


def _outcome(make: Any, value: Any) -> bytes | type[BaseException]:
    try:
        return bytes(make(value))
    except Exception as exc:  # the kind of refusal is what must agree
        return type(exc)


@_MANY
@given(value=json_like)
def test_the_fast_form_is_json_dumps_or_its_refusal(value: Any) -> None:
    assert _outcome(lambda v: compact_json(v)[0], value) == _outcome(standard_json, value)


@_MANY
@given(value=plain)
def test_plain_values_take_the_fast_path_unless_orjson_refuses(value: Any) -> None:
    """Without floats or foreign types, only integers beyond 64 bits and lone surrogates leave the fast path."""
    expected = _outcome(standard_json, value)
    if not isinstance(expected, bytes):  # a lone surrogate: json.dumps's refusal
        with pytest.raises(expected):
            compact_json(value)
        return
    made, proven = compact_json(value)
    assert made == expected
    assert proven == (not _has_big_int_or_surrogate(value))


@_MANY
@given(value=json_like, limit=st.integers(0, 6))
def test_the_depth_is_proven_only_within_the_limit(value: Any, limit: int) -> None:
    depth = plain_depth(value, limit)
    if depth is not None:
        assert depth <= limit
        assert not nests_deeper(value, limit)
        assert depth == 0 or nests_deeper(value, depth - 1)


def _has_big_int_or_surrogate(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_big_int_or_surrogate(k) or _has_big_int_or_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_big_int_or_surrogate(v) for v in value)
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return not -(2**63) <= value < 2**64
    return any(0xD800 <= ord(c) <= 0xDFFF for c in value)


def test_floats_and_foreign_types_are_never_written_by_orjson() -> None:
    """The values where the two differ (or orjson writes what json.dumps refuses) go to json.dumps."""
    for value in (1e16, 1e-5, math.nan, math.inf, Colour.RED, uuid.UUID(int=1), dt.date(2024, 1, 1), Point(1)):
        assert plain_depth({"a": [value]}, 10) is None
    assert compact_json({"a": 1e16}) == (b'{"a":1e+16}', False)
    with pytest.raises(ValueError):
        compact_json({"a": [math.nan]})
    with pytest.raises(TypeError):
        compact_json({"a": Colour.RED})


def test_cycles_and_deep_values_leave_the_walk_at_the_limit() -> None:
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    assert plain_depth(cyclic, 64) is None
    with pytest.raises(ValueError):  # json.dumps: circular reference, as before
        compact_json(cyclic)
    deep: Any = 1
    for _ in range(300):
        deep = [deep]
    assert plain_depth(deep, jsonform.FAST_DEPTH) is None
    assert compact_json(deep)[0] == standard_json(deep)


def _old_structured_form(document: Any, source: str, limits: Limits) -> bytes:
    """`_structured_form` as it was: json.dumps alone, then the size and the depth from the text."""
    with mock.patch.object(codec, "compact_json", lambda value, _depth: (standard_json(value), False)):
        return codec._structured_form(document, source, limits)


def _form_outcome(make: Any, document: Any, limits: Limits) -> Any:
    try:
        return make(document, "line 3", limits)
    except InputError as exc:
        return [(p.source, p.location, p.message, p.code) for p in exc.problems]


@_MANY
@given(
    document=st.dictionaries(texts, json_like, max_size=4),
    limits=st.builds(Limits, max_json_bytes=st.integers(2, 200), max_json_depth=st.integers(1, 5)),
)
def test_the_structured_form_refuses_as_before(document: dict[str, Any], limits: Limits) -> None:
    """Same bytes or the same located problems (place, message, code) for any document and any limits."""
    assert _form_outcome(codec._structured_form, document, limits) == _form_outcome(
        _old_structured_form, document, limits
    )


def _has_float(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return isinstance(value, float)


def test_corpus_documents_take_the_fast_path_with_json_dumps_bytes(corpus_structures: list) -> None:
    """The real structures' example documents (seeded, as the bulk bench makes them): json.dumps's bytes, and
    every document without a float takes the fast path, proven within the depth limit."""
    fast = slow = 0
    for structure in corpus_structures:
        for document in example_documents(structure, 5, seed=11):
            assert codec._structured_form(document, "d", codec.DEFAULT_LIMITS) == standard_json(document)
            proven = compact_json(document, codec.DEFAULT_LIMITS.max_json_depth)[1]
            assert proven == (not _has_float(document))
            fast, slow = fast + proven, slow + (not proven)
    assert fast > 0 and slow > 0
