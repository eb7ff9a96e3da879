"""`structures.pointers.differences`: where two JSON values differ, by pointer, never by value."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings

from sosmeta.structures.pointers import differences, parts
from tests.model_strategies import json_value


@settings(max_examples=60)
@given(json_value, json_value)
def test_no_difference_exactly_when_the_json_text_is_equal(a: Any, b: Any) -> None:
    assert differences(a, a) == []
    found = differences(a, b)
    assert (found == []) == (json.dumps(a) == json.dumps(b))
    for where, what in found:
        assert what in {"changed", "added", "removed", "reordered"}
        assert where == "" or where.startswith("/")
        parts(where)  # a well-formed pointer


def test_signed_zero_and_nan_are_compared_by_their_text() -> None:
    assert differences({"a": -0.0}, {"a": 0.0}) == [("/a", "changed")]
    assert differences([float("nan")], [float("nan")]) == []


def test_places_and_kinds() -> None:
    old = {"a": {"b/c": 1, "d": [1, 2]}, "e": True}
    new = {"a": {"b/c": 1.0, "d": [1]}, "f": None}
    assert differences(old, new) == [("/a/b~1c", "changed"), ("/a/d/1", "removed"), ("/e", "removed"), ("/f", "added")]
    assert differences({"x": 1, "y": 2}, {"y": 2, "x": 1}) == [("", "reordered")]
