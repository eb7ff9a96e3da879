"""`schema` mode on every draft-07 keyword the compiler implements, not only those the exports use today.

Hypothesis makes arbitrary schemas from the supported keywords (type lists, enum, const, string, number,
array, object keywords, boolean schemas, nesting) and places each one as a property node of a real export's
document element (the importer keeps such a node verbatim); arbitrary JSON values must then get jsonschema-rs's
and jsonschema's verdict. `$ref`, the one keyword not implemented, is refused at compile time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta.generators.validator import UnsupportedSchema, compile_validator
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import Structure
from tests.conftest import ruff_generated
from tests.references import EcmaDraft7

pytestmark = pytest.mark.shared

NUMBERS = st.one_of(st.integers(-5, 5), st.sampled_from([0.5, 1.0, 2.5, -1.5]))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.sampled_from(["", "a", "ab", "abc", "١", "2024-01-01"]))
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
    max_leaves=8,
)
TYPES = st.sampled_from(["string", "number", "integer", "boolean", "object", "array", "null"])


def _schemas(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keywords = st.fixed_dictionaries(
        {},
        optional={
            "type": TYPES | st.lists(TYPES, min_size=1, max_size=3, unique=True),
            "enum": st.lists(SCALARS, min_size=1, max_size=3),
            "const": SCALARS,
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(0, 3),
            "pattern": st.sampled_from([r"^\d+$", "b", r"^.$", r"^[a-c]*$"]),
            "minimum": NUMBERS,
            "maximum": NUMBERS,
            "exclusiveMinimum": NUMBERS,
            "exclusiveMaximum": NUMBERS,
            "multipleOf": st.sampled_from([2, 0.5, 3]),
            "minItems": st.integers(0, 2),
            "maxItems": st.integers(0, 2),
            "uniqueItems": st.booleans(),
            "items": inner | st.lists(inner, min_size=1, max_size=2),
            "additionalItems": inner,
            "properties": st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
            "required": st.lists(st.sampled_from(["a", "b", "c"]), max_size=2, unique=True),
            "additionalProperties": inner,
            "minProperties": st.integers(0, 2),
            "maxProperties": st.integers(0, 2),
            "allOf": st.lists(inner, min_size=1, max_size=2),
            "anyOf": st.lists(inner, min_size=1, max_size=2),
            "oneOf": st.lists(inner, min_size=1, max_size=2),
            "not": inner,
            "if": inner,
            "then": inner,
            "else": inner,
            "contains": inner,
            "propertyNames": inner,
            "patternProperties": st.dictionaries(st.sampled_from(["^a", "b", r"^\d$"]), inner, max_size=2),
            "dependencies": st.dictionaries(
                st.sampled_from(["a", "b"]),
                inner | st.lists(st.sampled_from(["a", "b", "c"]), max_size=2, unique=True),
                max_size=2,
            ),
        },
    )
    return st.booleans() | keywords.map(_without_stray_additional_items)


def _without_stray_additional_items(schema: dict[str, Any]) -> dict[str, Any]:
    """additionalItems only next to an items list (jsonschema 4.26 crashes on it next to a boolean `items`)."""
    if not isinstance(schema.get("items"), list):
        schema.pop("additionalItems", None)
    return schema


SCHEMAS = st.recursive(st.booleans() | st.just({}), _schemas, max_leaves=4).filter(
    lambda s: isinstance(s, dict)  # the importer wants an object as a property node; booleans go deeper
)


def _structure(base_file: Path, schema: Any, tmp: Path) -> tuple[Structure, str]:
    """A real export whose document element has one property `x` with node `schema`."""
    base = json.loads(base_file.read_text(encoding="utf-8"))
    ((key, document),) = base["properties"].items()
    document["properties"] = {"x": schema}
    document["required"] = []
    path = tmp / "synthetic.json"
    path.write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    return load_structure(path), key


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(schema=SCHEMAS, values=st.lists(JSON, min_size=1, max_size=12))
def test_keywords_agree_with_the_references(
    corpus: list[Path], tmp_path_factory: pytest.TempPathFactory, schema: Any, values: list[Any]
) -> None:
    wrapper = {"type": "object", "properties": {"x": schema}}
    rust, python = jsonschema_rs.Draft7Validator(wrapper), EcmaDraft7(wrapper)
    structure, key = _structure(corpus[0], schema, tmp_path_factory.mktemp("kw"))
    ours = compile_validator(structure, "schema")
    for value in values:
        doc = {key: {"x": value}}
        expected = rust.is_valid({"x": value})
        assert python.is_valid({"x": value}) == expected
        assert ours.is_valid(doc) == expected, (schema, value)
        assert (not [f for f in ours.validate(doc) if f.severity == "error"]) == expected, (schema, value)


def test_references_are_refused(corpus: list[Path], tmp_path: Path) -> None:
    structure, _ = _structure(corpus[0], {"$ref": "#"}, tmp_path)
    with pytest.raises(UnsupportedSchema, match=r"\$ref"):
        compile_validator(structure, "schema")


def test_an_unusable_pattern_is_refused(corpus: list[Path], tmp_path: Path) -> None:
    structure, _ = _structure(corpus[0], {"type": "string", "pattern": "(unclosed"}, tmp_path)
    with pytest.raises(UnsupportedSchema, match="pattern"):
        compile_validator(structure, "schema")


RICH = {
    "anyOf": [{"type": "string"}, {"minimum": 3}],
    "oneOf": [{"not": {"type": "null"}}, {"contains": {"const": 1}}],
    "if": {"type": "object"},
    "then": {
        "propertyNames": {"pattern": "^a"},
        "patternProperties": {"^a": {"type": "number"}},
        "additionalProperties": False,
        "dependencies": {"a": ["b"], "b": {"required": ["c"]}},
    },
    "else": {"allOf": [{"maxLength": 3}], "items": [{"type": "integer"}], "additionalItems": False},
}


def test_generated_code_for_every_keyword_passes_ruff(corpus: list[Path], tmp_path: Path) -> None:
    from sosmeta.generators.validator.codegen import generate

    structure, _ = _structure(corpus[0], RICH, tmp_path)
    for mode in ("full", "schema"):
        (tmp_path / f"v_{mode}.py").write_text(generate(structure, mode), encoding="utf-8")  # type: ignore[arg-type]
    done = ruff_generated(tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
