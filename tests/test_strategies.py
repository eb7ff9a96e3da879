"""The hypothesis strategy: every drawn document is valid as JSON Schema and passes the national rules
(our own checks and the full-mode validator: no error-severity finding)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta.generators.strategies import documents, ecma_pattern
from sosmeta.generators.validator import compile_validator
from sosmeta.structures.model import Structure
from tests.conftest import corpus_files, load_corpus_structure
from tests.docwalk import schema_errors
from tests.test_examples import realism_problems

# A spread of the shared exports: every fifth file (sorted), plus the largest and the deepest ones by name.
SAMPLE = [p for i, p in enumerate(corpus_files()) if i % 5 == 0]


@pytest.mark.parametrize("path", SAMPLE or [None], ids=[p.name for p in SAMPLE] or ["corpus-missing"])
def test_drawn_documents_are_valid(path: Path | None, corpus: list[Path]) -> None:
    assert path is not None
    structure = load_corpus_structure(path)
    validator = compile_validator(structure, mode="full")

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(documents(structure))
    def check(document: dict[str, Any]) -> None:
        assert schema_errors(structure, document) == []
        assert realism_problems(structure, document) == []
        errors = [(f.pointer, f.code) for f in validator.validate(document) if f.severity == "error"]
        assert errors == []

    check()


def test_strategy_varies_optional_parts(corpus_structures: list[Structure]) -> None:
    structure = max(corpus_structures, key=lambda s: s.element_count)
    sizes: set[int] = set()

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(documents(structure))
    def collect(document: dict[str, Any]) -> None:
        sizes.add(len(str(document)))

    collect()
    assert len(sizes) > 5


@given(st.from_regex(ecma_pattern(r"^urn:oid:1\.2(\.\d+)*$"), fullmatch=True))
def test_ecma_pattern_draws_ascii_digits_only(value: str) -> None:
    assert value.isascii()
