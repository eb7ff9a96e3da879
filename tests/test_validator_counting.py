"""Required and unknown members reported together: the generated code checks `additionalProperties: false` by
counting the members it knows (starting from the number of required ones and taking one off for each that is
missing), so a document that lacks a required member and has an unknown one in its place must still get both
findings. jsonschema is the oracle of which members are missing and which are unknown."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sosmeta.generators.sosmeta_json import structure_data
from sosmeta.generators.validator import compile_validator
from sosmeta.structures.pointers import escape
from tests.conftest import load_corpus_structure
from tests.docgen import corpus_documents

pytestmark = pytest.mark.shared
UNKNOWN = "tuntematon_kentta"
COUNTED = ("schema.required", "schema.additional")


def _objects(value: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every object in `value` with its path."""
    found: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    if isinstance(value, dict):
        found.append((path, value))
        for key, member in value.items():
            found += _objects(member, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _objects(item, (*path, str(index)))
    return found


def _renamed(doc: Any, path: tuple[str, ...], key: str) -> Any:
    """`doc` with member `key` of the object at `path` renamed to UNKNOWN (the same value, in the same place)."""
    mutant = copy.deepcopy(doc)
    target = mutant
    for part in path:
        target = target[int(part)] if isinstance(target, list) else target[part]
    items = list(target.items())
    target.clear()
    target.update((UNKNOWN if k == key else k, v) for k, v in items)
    return mutant


def _pointer(path: Any, key: str) -> str:
    return "".join("/" + escape(str(part)) for part in path) + "/" + escape(key)


def _expected(oracle: jsonschema.Draft7Validator, doc: Any) -> set[tuple[str, str]]:
    """(code, pointer) of every missing required member and every unknown member, as jsonschema finds them."""
    out: set[tuple[str, str]] = set()
    for error in oracle.iter_errors(doc):
        if error.validator == "required":
            out |= {("schema.required", _pointer(error.absolute_path, k)) for k in error.validator_value}
            out -= {("schema.required", _pointer(error.absolute_path, k)) for k in error.instance}
        elif error.validator == "additionalProperties" and error.validator_value is False:
            known = error.schema.get("properties", {})
            out |= {("schema.additional", _pointer(error.absolute_path, k)) for k in error.instance if k not in known}
    return out


def test_a_missing_required_member_and_an_unknown_one_are_both_reported(corpus: list[Path]) -> None:
    rng = random.Random(12)
    compared = both = 0
    for path in rng.sample(corpus, 8):
        structure = load_corpus_structure(path)
        oracle = jsonschema.Draft7Validator(structure_data(structure))
        validator = compile_validator(structure, "schema")
        good, _ = corpus_documents(structure, 2, 0, seed=5)
        for doc in good:
            places = [(p, k) for p, obj in _objects(doc) for k in obj]
            for where, key in rng.sample(places, min(40, len(places))):
                mutant = _renamed(doc, where, key)
                expected = _expected(oracle, mutant)
                ours = {(f.code, f.pointer) for f in validator.validate(mutant) if f.code in COUNTED}
                assert ours == expected, (structure.version_oid, _pointer(where, key))
                compared += 1
                both += {code for code, _ in expected} == set(COUNTED)
    print(f"{compared} renamed members compared, {both} with both a missing and an unknown member")
    assert both > 0  # the case this file is about did occur
