"""Properties of the JSONL reader (safeio.jsonl): any documents written as JSONL read back the same, and the
fast path (jiter) gives exactly the strict path's record for any line, hostile ones included."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta.safeio import jsonl
from sosmeta.safeio.jsonl import MAX_DEPTH, MAX_INT_DIGITS, JsonlLine, JsonlRecord, iter_jsonl, parse_line
from sosmeta.safeio.parsing import nests_deeper


def _both(data: bytes) -> list[JsonlRecord]:
    """The records, checked to be the same from the fast and the strict path."""
    fast = list(iter_jsonl(io.BytesIO(data), "docs.jsonl"))
    assert fast == list(iter_jsonl(io.BytesIO(data), "docs.jsonl", fast=False))
    return fast


_TEXT = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["a\x85b", "\u2028", "\u2029", "\r", "\r\n", "\n", "\ufeff", "\x00", "\\", '"', "äö", "\U0001f600"]
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**MAX_INT_DIGITS - 1), 10**MAX_INT_DIGITS - 1)  # the longest integers accepted
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TEXT
)
_DOCUMENTS = st.dictionaries(
    _TEXT,
    st.recursive(_SCALARS, lambda c: st.lists(c, max_size=4) | st.dictionaries(_TEXT, c, max_size=4), max_leaves=12),
    max_size=5,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    documents=st.lists(_DOCUMENTS, max_size=8),
    blanks=st.lists(st.sampled_from(["", " ", "\t", "\r"]), max_size=8),
    crlf=st.booleans(),
    bom=st.booleans(),
    final_newline=st.booleans(),
)
def test_any_documents_written_as_jsonl_read_back_the_same(
    documents: list[dict[str, Any]], blanks: list[str], crlf: bool, bom: bool, final_newline: bool
) -> None:
    end = "\r\n" if crlf else "\n"
    lines = [json.dumps(d, ensure_ascii=False) for d in documents]
    for index, blank in enumerate(blanks):  # blank lines between the documents
        lines.insert(min(index * 2, len(lines)), blank)
    text = ("\ufeff" if bom else "") + end.join(lines) + (end if final_newline else "")
    data = text.encode("utf-8")
    records = _both(data)
    assert [r.problem for r in records] == [None] * len(documents)
    assert [r.value for r in records] == documents
    expected_lines = [number for number, line in enumerate(lines, start=1) if line.strip(" \t\r")]
    assert [r.line for r in records] == expected_lines
    assert [json.dumps(r.value) for r in records] == [json.dumps(d) for d in documents]  # int stays int, -0.0 ...


# The differential test: JSON texts near every rule's edge, rendered by hand so that they can hold what
# json.dumps never writes (duplicate keys, escapes of any kind, NaN, huge numbers, deep nesting, bad bytes).
_NUMBERS = st.sampled_from(
    [
        "0", "-0", "-0.0", "1E5", "1e+5", "2.5e-324", "1e-400", "1e308", "1.7976931348623157e308",
        "1.7976931348623159e308", "1e309", "-1e999", "1e0308", "1e00000000000400", "0e999999", "NaN", "Infinity",
        "-Infinity", "01", "1.", ".5", "+1", "9" * 19, "1" + "0" * 19, "9" * 199, "9" * 200, "9" * 209 + "e99",
        "9" * 210 + "e99", "9" * 300, "9" * 301, "9" * 4300, "-" + "9" * 4300, "9" * 4301, "1" * 400 + ".0",
    ]
)  # fmt: skip
_STRINGS = st.sampled_from(
    [
        '"\\ud800"', '"\\uDBFF\\uDFFF"', '"\\udc00"', '"\\ud83d\\ude00"', '"a\\ud800b"', '"\\ud800\\u0041"',
        '"\\\\ud800"', '"\\u0000"', '"\\u003a"', '"\\/"', '"\x7f"', '"\x01"', '"\\x"', '"\\u12"', '"\u2028"',
        '"\\ud800\\ud800"', '"\\uD83D\\uDE00"',
    ]
) | _TEXT.map(json.dumps) | _TEXT.map(lambda s: json.dumps(s, ensure_ascii=False))  # fmt: skip
_KEYS = st.sampled_from(['"a"', '"b"', '"\\u0061"', '"ä"', '"\\u00e4"', '"\\ud800"', '""']) | _STRINGS
_SPACE = st.sampled_from(["", " ", "\t", "\r", "  \r\t"])


def _object(members: list[tuple[str, str]], space: str) -> str:
    return "{" + space + ",".join(f"{k}{space}:{space}{v}" for k, v in members) + space + "}"


def _values(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(children, max_size=4).map(lambda v: "[" + ",".join(v) + "]") | st.builds(
        _object, st.lists(st.tuples(_KEYS, children), max_size=4), _SPACE
    )


_JSON = st.recursive(
    _NUMBERS | _STRINGS | st.sampled_from(["null", "true", "false", "tru", ""]) | st.integers().map(str),
    _values,
    max_leaves=10,
)


@st.composite
def _lines(draw: st.DrawFn) -> bytes:
    inner = draw(_JSON)
    depth = draw(st.sampled_from([0, 0, 0, 0, 0, 0, MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 210]))
    opens = draw(st.lists(st.sampled_from(["[", '{"k":']), min_size=depth, max_size=depth))
    text = "".join(opens) + inner + "".join("]" if o == "[" else "}" for o in reversed(opens))
    if draw(st.booleans()):
        text = _object([('"doc"', text)], draw(_SPACE))
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0 and data:  # a byte of something else somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at:]
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_lines())
def test_the_fast_path_gives_the_strict_paths_verdict(data: bytes) -> None:
    raw = JsonlLine(7, data)
    fast, strict = parse_line(raw, "docs.jsonl"), parse_line(raw, "docs.jsonl", fast=False)
    assert fast == strict
    if strict.value is not None:
        assert json.dumps(fast.value) == json.dumps(strict.value)  # same types too: 1 and 1.0, -0.0 and 0.0
        assert json.loads(json.dumps(strict.value)) == strict.value  # what is accepted can be written back


_NESTED = st.recursive(
    st.none() | st.integers() | st.text(st.sampled_from('ab[]{}"\\/:, \n\u2028'), max_size=6),
    lambda c: (
        st.lists(c, max_size=3) | st.dictionaries(st.text(st.sampled_from('k[]{}"\\'), max_size=3), c, max_size=3)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=_NESTED, limit=st.integers(0, 6), ensure_ascii=st.booleans())
def test_the_bracket_count_of_depth_agrees_with_a_walk(value: Any, limit: int, ensure_ascii: bool) -> None:
    text = json.dumps(value, ensure_ascii=ensure_ascii).encode()
    over = jsonl._nesting_over(text, limit)
    assert over is None or over == nests_deeper(value, limit)
    if not any(c in s for s in _strings(value) for c in "[]{}"):
        assert over is not None  # only a bracket inside a string needs the walk


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(s for v in value.values() for s in _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []
