"""The source-writing helpers keep the meaning of the conditions they rewrite (negate, collapse nested ifs)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sosmeta.generators.validator.pysource import indent, negate, returning, when

ATOMS = st.sampled_from(["a", "b is None", "c is not None", "'x' in d", "'y' not in d", "f(a)", "n == 1", "n != 2"])


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda x, y: f"{x} or {y}", inner, inner),
        st.builds(lambda x, y: f"{x} and {y}", inner, inner),
        st.builds(lambda x: f"not {x}", inner),
        st.builds(lambda x: f"({x})", inner),
    )


CONDITIONS = st.recursive(ATOMS, _combine, max_leaves=5)
ENVIRONMENTS = st.fixed_dictionaries(
    {
        "a": st.booleans(),
        "b": st.sampled_from([None, 0]),
        "c": st.sampled_from([None, 1]),
        "d": st.sampled_from([{}, {"x": 1}, {"y": 1}, {"x": 1, "y": 2}]),
        "n": st.integers(0, 3),
    }
)


def _value(condition: str, env: dict[str, Any]) -> bool:
    return bool(eval(condition, {"f": bool}, dict(env)))


@settings(max_examples=400)
@given(CONDITIONS, ENVIRONMENTS)
def test_negate_is_the_negation(condition: str, env: dict[str, Any]) -> None:
    assert _value(negate(condition), env) == (not _value(condition, env)), negate(condition)


def _run(lines: list[str], env: dict[str, Any]) -> list[str]:
    trace: list[str] = []
    source = "\n".join(["def g():", *indent(lines or ["pass"])])
    namespace = {"f": bool, "trace": trace, **env}
    exec(source, namespace)
    namespace["g"]()
    return trace


@settings(max_examples=300)
@given(CONDITIONS, CONDITIONS, ENVIRONMENTS, st.booleans(), st.booleans())
def test_when_keeps_the_meaning(first: str, second: str, env: dict[str, Any], nested: bool, other: bool) -> None:
    inner = when(second, ["trace.append('inner')"]) if nested else ["trace.append('body')"]
    otherwise = ["trace.append('else')"] if other else None
    lines = when(first, inner, otherwise)
    expected: list[str] = []
    if _value(first, env):
        if not nested:
            expected.append("body")
        elif _value(second, env):
            expected.append("inner")
    elif other:
        expected.append("else")
    assert _run(lines, env) == expected, lines


@settings(max_examples=200)
@given(CONDITIONS, ENVIRONMENTS)
def test_returning_keeps_the_meaning(condition: str, env: dict[str, Any]) -> None:
    body = returning(when(condition, ["return False"]))
    namespace = {"f": bool, **env}
    exec("\n".join(["def g():", *indent(body)]), namespace)
    assert namespace["g"]() == (not _value(condition, env))
