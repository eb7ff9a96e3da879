"""The two generated functions agree on every real export, in both modes, and a validator loaded from the
on-disk cache reports exactly what a freshly compiled one does.

`is_valid` stops at the first error; `validate` walks the whole document. For every document (generated valid
ones, mutated ones, and ones mutated several times over, so that findings pile up) `is_valid(doc)` must be
True exactly when `validate(doc)` has no error-severity finding.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest

from sosmeta.generators.validator import MODES, Validator, compile_validator
from tests.conftest import load_corpus_structure
from tests.docgen import MUTATIONS, DocumentGenerator, corpus_documents, mutate

pytestmark = pytest.mark.shared


def _documents(structure: Any) -> list[Any]:
    good, bad = corpus_documents(structure, 6, 30, seed=11)
    rng = random.Random(f"{structure.version_oid}/several")
    generator = DocumentGenerator(structure, optional=0.8, min_items=1)
    for i in range(8):
        doc, slots = generator.document(rng)
        for j in range(3):
            try:
                mutated = mutate(doc, slots, MUTATIONS[(3 * i + j) % len(MUTATIONS)], rng)
            except (KeyError, IndexError, TypeError):  # an earlier mutation removed the slot's place
                mutated = None
            doc = mutated if mutated is not None else doc
        bad.append(copy.deepcopy(doc))
    return good + bad


def test_is_valid_is_validate_without_errors(corpus_path: Path) -> None:
    structure = load_corpus_structure(corpus_path)
    documents = _documents(structure)
    for mode in MODES:
        validator = compile_validator(structure, mode)
        cached = Validator(structure, mode)  # a second validator: loaded from the cache this run filled
        for doc in documents:
            findings = validator.validate(doc)
            errors = [(f.pointer, f.code) for f in findings if f.severity == "error"]
            assert validator.is_valid(doc) == (not errors), (mode, errors)
            assert cached.validate(doc) == findings
            assert cached.is_valid(doc) == (not errors)
