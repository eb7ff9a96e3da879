"""The ECMA-262 translation of `pattern` regexes gives the answers of a real ECMAScript engine (node's RegExp).

Patterns: every pattern of the shared exports plus constructs where Python's `re` and ECMA-262 differ (`\\d`,
`\\w`, `\\s`, `.`, `$`, `[^]`, `\\cX`, named groups). Subjects: matching and near-miss strings, non-ASCII
digits, line terminators. Also a hypothesis run over generated subjects. Skipped where node is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sosmeta.generators.validator.ecma import compile_ecma
from sosmeta.structures.shape import DATE_PATTERN, DATETIME_PATTERN, system_pattern
from tests.conftest import corpus_files, load_corpus_structure

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node (the ECMAScript reference) is not installed")

TRICKY = [
    r"^\d+$",
    r"^\D+$",
    r"^\w+$",
    r"\W",
    r"^\s*$",
    r"\S",
    r"^a.c$",
    r"^abc$",
    r"[^]",
    r"[]",
    r"^[\d.]+$",
    r"^[^\d]+$",
    r"\bfoo\b",
    r"^(?<year>\d{4})-\k<year>$",
    r"^\cJ$",
    r"^[\w-]+$",
    r"\u00e4",
    r"^x{2,}$",
    r"^[a-z\s]+$",
    r"^\/$",
    r"^(a|b)*?c$",
    r"^\x41$",
    r"^[\S\s]$",
    r"^[\W\d]$",
    r"^\.$",
    r"^[.]$",
]
SUBJECTS = [
    "",
    "abc",
    "abc\n",
    "a\nc",
    "a\rc",
    "a\u2028c",
    "abc\r",
    "123",
    "١٢٣",
    "１２３",
    "12٣",
    "٣",
    "߃",
    "12\n",
    "2024-01-15",
    "2024-01-15\n",
    "2024-02-31",
    "2024-0１-15",
    "urn:oid:1.2.246.537.6.126",
    "urn:oid:1.2.246.537.6.126.١",
    "urn:oid:1.2.246.537.6.126\n",
    "urn:oid:1.2.246.537.6.1260",
    "2020-10-13T10:49:14+03:00",
    "2020-10-13T10:49:14",
    " ",
    "\u00a0",
    "\ufeff",
    "\u2003",
    "\x1c",
    "\x85",
    "\t",
    "foo",
    "a foo b",
    "äfoo",
    "ä",
    "é",
    "_",
    "-",
    "xx",
    "x",
    "aac",
    "A",
    "2024-2024",
    "/",
    ".",
    "\n",
    "\u2029",
]


def _corpus_patterns() -> list[str]:
    patterns = {DATE_PATTERN, DATETIME_PATTERN, system_pattern("1.2.246.537.6.126")}
    for path in corpus_files():
        for located in load_corpus_structure(path).walk():
            element = located.element
            patterns.update(p for p in [element.pattern] + [s.pattern for s in element.sub_properties] if p)
    return sorted(patterns)


def node_answers(pairs: list[tuple[str, str]]) -> list[bool | None]:
    """`new RegExp(p).test(s)` for each pair (None where ECMAScript rejects the pattern)."""
    script = (
        "const pairs = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(pairs.map(([p, s]) => { try { return new RegExp(p).test(s); }"
        " catch (e) { return null; } })));"
    )
    assert NODE is not None
    done = subprocess.run([NODE, "-e", script], input=json.dumps(pairs), capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout))


def test_translation_matches_node() -> None:
    patterns = _corpus_patterns() + TRICKY
    pairs = [(p, s) for p in patterns for s in SUBJECTS]
    expected = node_answers(pairs)
    wrong = []
    for (pattern, subject), answer in zip(pairs, expected, strict=True):
        if answer is None:
            continue
        got = compile_ecma(pattern).search(subject) is not None
        if got != answer:
            wrong.append((pattern, subject, got, answer))
    assert not wrong, f"{len(wrong)} of {len(pairs)} differ, e.g. {wrong[:5]}"


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.text(alphabet=st.sampled_from("0123456789-.:Tu+Z ١５\n\rabcäo_"), max_size=30), min_size=1, max_size=40)
)
def test_generated_subjects_match_node(subjects: list[str]) -> None:
    patterns = [DATE_PATTERN, DATETIME_PATTERN, system_pattern("1.2.246.537.6.126"), r"^\w+$", r"^\S+\s\d$"]
    pairs = [(p, s) for p in patterns for s in subjects]
    for (pattern, subject), answer in zip(pairs, node_answers(pairs), strict=True):
        assert (compile_ecma(pattern).search(subject) is not None) == answer, (pattern, subject)


def test_corpus_patterns_are_found() -> None:
    if not corpus_files():
        pytest.skip("corpus missing")
    assert len(_corpus_patterns()) > 10
