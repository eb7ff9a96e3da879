"""`schema` mode must give the reference validators' verdict on every document.

References: jsonschema-rs (Rust, ECMA-262 regexes) and jsonschema (Python) with its `pattern` keyword evaluated
with ECMA-262 semantics (its own uses Python's `re`, where `\\d` matches '١' and `$` matches before a final
newline; the translation itself is checked against node's RegExp in test_validator_ecma.py). For every real
export: generated valid documents and systematically mutated ones; plus hypothesis-made near-miss documents.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta.generators.sosmeta_json import structure_data
from sosmeta.generators.validator import compile_validator
from sosmeta.structures.model import Structure
from tests.conftest import load_corpus_structure
from tests.docgen import corpus_documents
from tests.references import EcmaDraft7

pytestmark = pytest.mark.shared
VALID_PER_STRUCTURE = 12
MUTANTS_PER_STRUCTURE = 60
COMPARED = {"documents": 0, "invalid": 0, "structures": 0}


class References:
    def __init__(self, structure: Structure) -> None:
        schema = structure_data(structure)
        jsonschema.Draft7Validator.check_schema(schema)
        self.python = EcmaDraft7(schema)
        self.rust = jsonschema_rs.Draft7Validator(schema)

    def verdict(self, doc: Any) -> bool:
        python, rust = self.python.is_valid(doc), self.rust.is_valid(doc)
        assert python == rust, f"the references disagree on {json.dumps(doc, ensure_ascii=False)[:400]}"
        return python


class _Summary:
    """Prints how many documents were compared at the end of the run."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if COMPARED["documents"]:
            terminalreporter.write_line(
                f"validator differential: {COMPARED['documents']} documents ({COMPARED['invalid']} invalid, "
                f"{COMPARED['structures']} structures fully generated) got the same verdict from schema mode, "
                "jsonschema and jsonschema-rs"
            )


@pytest.fixture(scope="module", autouse=True)
def _report_count(request: pytest.FixtureRequest) -> None:
    if not request.config.pluginmanager.has_plugin("validator-summary"):
        request.config.pluginmanager.register(_Summary(), "validator-summary")


def _agree(structure: Structure, references: References, doc: Any) -> bool:
    schema_mode = compile_validator(structure, "schema")
    expected = references.verdict(doc)
    got = schema_mode.is_valid(doc)
    findings = schema_mode.validate(doc)
    shown = json.dumps(doc, ensure_ascii=False)[:400]
    assert got == expected, f"is_valid {got}, references {expected}: {shown}"
    assert (not any(f.severity == "error" for f in findings)) == expected, f"validate() disagrees: {shown}"
    if not expected:
        assert not compile_validator(structure, "full").is_valid(doc), "full mode accepted a schema-invalid document"
    COMPARED["documents"] += 1
    COMPARED["invalid"] += not expected
    return expected


def test_generated_and_mutated_documents(corpus_path: Any) -> None:
    structure = load_corpus_structure(corpus_path)
    references = References(structure)
    valid, mutants = corpus_documents(structure, VALID_PER_STRUCTURE, MUTANTS_PER_STRUCTURE)
    full = compile_validator(structure, "full")
    for doc in valid:
        assert _agree(structure, references, doc), "a generated document should be valid"
        errors = [(f.pointer, f.code) for f in full.validate(doc) if f.severity == "error"]
        assert not errors and full.is_valid(doc), f"full mode rejects a valid generated document: {errors}"
    rejected = sum(not _agree(structure, references, doc) for doc in mutants)
    assert rejected >= len(mutants) // 2, "the mutations should mostly make invalid documents"
    COMPARED["structures"] += 1


# ---- hypothesis: near-miss documents built from the schema's own keys and values ----------------------
_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "x", "2024-02-31", "2024-1-01", "2024-01-01\n", "urn:oid:1.2.246.537.6.12", "١٢", "５"]),
    st.text(max_size=5),
)


def _near(schema: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Documents shaped like `schema`, each node sometimes replaced by a stray value."""
    if not isinstance(schema, dict) or depth > 8:
        return _LEAVES
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        members = st.fixed_dictionaries({}, optional={k: _near(v, depth + 1) for k, v in props.items()})
        extra = st.dictionaries(st.sampled_from(["x", "system", *props][:8]), _LEAVES, max_size=1)
        shaped = st.builds(lambda a, b, drop: {**a, **b} if drop else a, members, extra, st.booleans())
    elif kind == "array":
        shaped = st.lists(_near(schema.get("items"), depth + 1), max_size=2)
    else:
        choices = list(schema.get("enum", [])) or ["2024-02-29", "2023-02-29", "-2024", "urn:oid:1.2.246.537.6.126.1"]
        shaped = st.sampled_from(choices) | _LEAVES
    return st.one_of(shaped, shaped, shaped, _LEAVES)


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@pytest.mark.parametrize("index", [0, 17, 40, 55])
def test_hypothesis_near_miss_documents(corpus: list[Any], index: int) -> None:
    structure = load_corpus_structure(corpus[index % len(corpus)])
    references = References(structure)
    data = structure_data(structure)

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_near(data))
    def check(doc: Any) -> None:
        _agree(structure, references, doc)

    check()
