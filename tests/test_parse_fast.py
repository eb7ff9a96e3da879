"""The fast path of `safeio.parsing` against the strict parser: for any JSON-ish text, `parse_json` (fast
path first) gives the same value, of the same types, or the same fault (kind, place, message) as `strict_json`;
and ordinary documents are answered by the fast path itself, while texts it cannot prove go to the strict one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta.generators.examples import example_documents
from sosmeta.safeio.jsonl import JsonlLine, parse_line
from sosmeta.safeio.parsing import MAX_DEPTH, UNDECIDED, JsonFault, fast_json, parse_json, strict_json
from tests.conftest import load_corpus_structure


def _typed(value: Any) -> Any:
    """`value` with every type and key order made part of it (1 == 1.0 == True and -0.0 == 0.0 otherwise)."""
    if isinstance(value, dict):
        return ("dict", [(key, _typed(child)) for key, child in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(child) for child in value])
    if isinstance(value, float):
        return ("float", value.hex())
    return (type(value).__name__, value)


def _outcome(parse: Any, text: str, max_depth: int = MAX_DEPTH) -> Any:
    try:
        return ("value", _typed(parse(text, max_depth)))
    except JsonFault as fault:
        return ("fault", fault.kind, fault.where, fault.message)


# ---- JSON-ish texts: valid JSON in odd spellings, with the things the rules refuse mixed in -----------------------
_JSON_SPACE = st.sampled_from(["", "", " ", "\n", "\t", "\r\n", "  "])
_SPACE = st.one_of(_JSON_SPACE, _JSON_SPACE, _JSON_SPACE, _JSON_SPACE, st.sampled_from(["\x0c", "\xa0", "\u2028"]))
_NUMBERS = st.one_of(
    st.integers().map(str),
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from([str(2**63 - 1), str(-(2**63)), str(2**63), str(2**64 - 1), str(2**64), str(-(2**63) - 1)]),
    st.sampled_from([str(10**299), str(10**300), str(-(10**300)), "9" * 301, "1" * 400, "-0", "0", "01", "-"]),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: json.dumps(f).replace("e", "E")),
    st.sampled_from(["1e999", "-1e999", "1E400", "1e-999", "-0.0", "0.0", "1e308", "1.7976931348623158e308"]),
    st.sampled_from(["1.7976931348623159e308", "2.2250738585072011e-308", "4.9e-324", "9.3e18", "-9.3e18"]),
    st.sampled_from(["1" * 25 + ".5", "0." + "0" * 30 + "1", "1.", ".5", "+1", "1e", "1e+", "NaN", "-Infinity"]),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-(10**20), 10**20), st.integers(-400, 400)),
)
_ESCAPES = st.sampled_from(
    [
        "\\n",
        '\\"',
        "\\\\",
        "\\/",
        "\\u00e4",
        "\\ud83d\\ude00",
        "\\uD83D\\uDE00",
        "\\ud800",
        "\\udfff",
        "\\udc00\\ud800",
        "\\ud800\\u0041",
        "\\u0000",
        "\\x",
        "\\",
        '\\":',
        '\\" :',
        "\x01",
        "\x7f",
        "\ufeff",
    ]
)
_HOSTILE_STRINGS = st.lists(st.one_of(st.text(max_size=4), _ESCAPES, st.sampled_from([":", '":', "{", "]"]))).map(
    lambda parts: '"' + "".join(parts).replace('"', '\\"') + '"' if len(parts) % 5 else '"' + "".join(parts) + '"'
)
_STRINGS = st.one_of(
    st.text(max_size=6).map(json.dumps),
    st.text(max_size=6).map(lambda text: json.dumps(text, ensure_ascii=False)),
    _HOSTILE_STRINGS,
)
_KEYS = st.one_of(st.sampled_from(['"a"', '"b"', '"a\\":"', '"\\u0061"', '"x y"']), _STRINGS)
_SCALARS = st.one_of(_NUMBERS, _STRINGS, _STRINGS, st.sampled_from(["true", "false", "null", "true", "True", "nul"]))


@st.composite
def _object(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
    members = draw(st.lists(st.tuples(_KEYS, children, _SPACE, _SPACE), max_size=5))
    if (
        members and draw(st.integers(0, 3)) == 0
    ):  # a duplicate key, spelt as it was or with other space around its colon
        key, _, _, _ = draw(st.sampled_from(members))
        members.insert(draw(st.integers(0, len(members))), (key, draw(children), draw(_SPACE), draw(_SPACE)))
    comma = draw(st.sampled_from([",", ", ", ",\n  "]))
    return "{" + comma.join(f"{k}{a}:{b}{v}" for k, v, a, b in members) + "}"


def _array(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(children, max_size=5).map(lambda items: "[" + ", ".join(items) + "]")


_VALUES = st.recursive(_SCALARS, lambda children: st.one_of(_object(children), _array(children)), max_leaves=25)


@st.composite
def _texts(draw: st.DrawFn) -> str:
    text = draw(_VALUES)
    levels = draw(st.sampled_from([0, 0, 0, 0, 0, 0, 1, 3, MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH, 1100]))
    text = "[" * levels + text + "]" * levels
    if draw(st.integers(0, 9)) == 0:  # a damaged text: one character dropped or doubled, or a BOM, or garbage
        where = draw(st.integers(0, len(text)))
        text = draw(st.sampled_from([text[:where] + text[where + 1 :], text[:where] + text[where:] * 2]))
    head = draw(st.sampled_from(["", "", "", " ", " ", "\n", "\t", "\ufeff"]))
    return head + text + draw(st.sampled_from(["", "", "", "\n", " ", "\r\n", "\t", " x"]))


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts(), max_depth=st.sampled_from([MAX_DEPTH, MAX_DEPTH, 2, 5]))
def test_the_fast_path_gives_the_strict_parsers_value_or_fault(text: str, max_depth: int) -> None:
    assert _outcome(parse_json, text, max_depth) == _outcome(strict_json, text, max_depth)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts())
def test_a_jsonl_line_gets_the_strict_paths_record(text: str) -> None:
    data = text.replace("\n", " ").encode("utf-8", "surrogatepass")
    assert parse_line(JsonlLine(7, data), "f.jsonl") == parse_line(JsonlLine(7, data), "f.jsonl", fast=False)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=_JSON,
    indent=st.sampled_from([None, None, 0, 2]),
    ensure_ascii=st.booleans(),
    separators=st.sampled_from([None, (",", ":"), (" , ", " : "), (",\n", "\n:\t")]),
    duplicate=st.booleans(),
)
def test_valid_json_spelt_any_way_is_read_as_it_was_written(
    value: Any, indent: int | None, ensure_ascii: bool, separators: tuple[str, str] | None, duplicate: bool
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ensure_ascii, separators=separators)
    if duplicate:  # the same key twice, around the value
        text = '{"d":' + text + (separators or (",", ":"))[0] + '"d"' + (separators or (",", ":"))[1] + "0}"
    assert _outcome(parse_json, text) == _outcome(strict_json, text)
    fast = fast_json(text.encode("utf-8"))
    if duplicate:
        assert fast is UNDECIDED
    elif fast is not UNDECIDED:
        assert _typed(fast) == _typed(value)


# ---- targeted cases ----------------------------------------------------------------------------------------------
_UNDECIDED_TEXTS = {
    "duplicate": '{"a": 1, "a": 2}',
    "duplicate, space before the colon": '{"a":1,"a" :2}',
    "duplicate, line end before the colon": '{"a":1,"a"\n:2}',
    "duplicate nested": '{"x": [{"k": 1, "k": 1}]}',
    "duplicate key with an escaped quote": '{"q\\":": 1, "q\\":": 2}',
    "integer of 301 digits": "[" + "9" * 301 + "]",
    "beyond a double": '{"x": 1e999}',
    "lone surrogate": '{"x": "\\ud800"}',
    "lone surrogate key": '{"\\udfff": 1}',
    "NaN": "[NaN]",
    "BOM": '\ufeff{"a": 1}',
    "control character": '["\x01"]',
    "too deep": "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    "integer of 301 digits, top level": "-" + "9" * 301,
    "an exponent of three digits": "[1.5e-300]",
    "a string holding a bracket, too deep": "[" * (MAX_DEPTH + 1) + '"]"' + "]" * (MAX_DEPTH + 1),
    "deeper than jiter goes": "[" * 2000 + "]" * 2000,
    "trailing comma": "[1,]",
}


@pytest.mark.parametrize("text", _UNDECIDED_TEXTS.values(), ids=_UNDECIDED_TEXTS.keys())
def test_what_the_fast_path_cannot_prove_goes_to_the_strict_parser(text: str) -> None:
    assert fast_json(text.encode("utf-8")) is UNDECIDED
    assert _outcome(parse_json, text) == _outcome(strict_json, text)


_FAST_TEXTS = {
    "nested objects": '{"a": {"b": [1, 2.5, -0.0, true, null, "x"]}, "c": {}}',
    "space around colons": '{ "a" :\t1 ,\r\n"b"\n:\n{"c" : [] } }',
    "colons in values": '{"a": "12:30", "b": "a : b"}',
    "largest 64-bit integers": f"[{2**63 - 1}, {-(2**63)}, {2**64 - 1}]",
    "surrogate pair": '{"e": "\\ud83d\\ude00", "f": "\U0001f600"}',
    "exactly as deep as allowed": "[" * MAX_DEPTH + "]" * MAX_DEPTH,
    "a scalar": "-0.0",
    "integers beyond 64 bits": f'{{"n": {2**64}, "m": [{-(2**63) - 1}, {10**150}]}}',
    "top-level big integer": str(2**64),
    "a float beyond 2**63": "[9.3e18, 1e99]",
    "an escaped quote and colon in a value": '{"a": "\\":", "b": "\\" :", "c": ":b"}',
    "more brackets than levels": "[" + "[], " * (MAX_DEPTH + 5) + "{}]",
    "a string holding a bracket": "[" * MAX_DEPTH + '"]"' + "]" * MAX_DEPTH,
}


@pytest.mark.parametrize("text", _FAST_TEXTS.values(), ids=_FAST_TEXTS.keys())
def test_the_fast_path_answers_what_it_can_prove(text: str) -> None:
    fast = fast_json(text.encode("utf-8"))
    assert fast is not UNDECIDED
    assert _typed(fast) == _typed(strict_json(text))


def test_a_duplicate_spelt_with_an_escape_is_still_a_duplicate() -> None:
    text = '{"a": 1, "\\u0061": 2}'
    assert fast_json(text.encode()) is UNDECIDED
    assert _outcome(parse_json, text)[1] == "duplicate_key"


def test_faults_keep_their_place_and_words() -> None:
    text = '{\n  "a": 1,\n  "a" : 2\n}'
    assert _outcome(parse_json, text) == (
        "fault",
        "duplicate_key",
        "line 3 column 3",
        'duplicate key "a" in one object',
    )
    deep = "[" * 200 + "]" * 200
    assert _outcome(parse_json, deep) == ("fault", "too_deep", "line 1 column 129", "nests deeper than 128 levels")


def test_real_documents_take_the_fast_path(corpus: list[Path]) -> None:
    documents = [doc for path in corpus[:6] for doc in example_documents(load_corpus_structure(path), 3, seed=5)]
    assert documents
    for doc in documents:
        for text in (json.dumps(doc, ensure_ascii=False), json.dumps(doc, indent=2), json.dumps(doc)):
            fast = fast_json(text.encode("utf-8"))
            assert fast is not UNDECIDED
            assert _typed(fast) == _typed(strict_json(text)) == _typed(doc)


@settings(max_examples=500, deadline=None)
@given(number=st.floats(allow_nan=False, allow_infinity=False))
def test_jiter_reads_every_float_as_python_does(number: float) -> None:
    for text in (repr(number), f"{number:.17e}", f"{number:.25g}"):
        assert _outcome(parse_json, f"[{text}]") == _outcome(strict_json, f"[{text}]")


@settings(max_examples=400, deadline=None)
@given(
    sign=st.sampled_from(["", "-"]),
    whole=st.text("0123456789", min_size=1, max_size=199),
    fraction=st.text("0123456789", max_size=60),
    exponent=st.none() | st.integers(-99, 99),
)
def test_long_numbers_under_the_limits_are_read_as_python_does(
    sign: str, whole: str, fraction: str, exponent: int | None
) -> None:
    number = (
        sign
        + (whole.lstrip("0") or "0")
        + (f".{fraction}" if fraction else "")
        + (f"e{exponent}" if exponent is not None else "")
    )
    text = f"[{number}]"
    assert fast_json(text.encode()) is not UNDECIDED  # under 200 digits in a run, two-digit exponent: fast path
    assert _outcome(parse_json, text) == _outcome(strict_json, text)
