"""Test helpers: an ECMA-262-faithful draft-07 validator and a walk over a document alongside its model."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft7Validator, ValidationError, validators

from sosmeta.generators.sosmeta_json import structure_data
from sosmeta.structures.model import Element, Structure


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # ECMA-262 classes are ASCII (\d is 0-9); Python's re is Unicode unless told otherwise.
    if validator.is_type(instance, "string") and not re.search(pattern, instance, re.ASCII):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


EcmaDraft7Validator = validators.extend(Draft7Validator, {"pattern": _ecma_pattern})


def schema_validators(structure: Structure) -> list[Any]:
    """jsonschema's own Draft7Validator and the ECMA-faithful one, on the structure's export."""
    schema = structure_data(structure)
    return [Draft7Validator(schema), EcmaDraft7Validator(schema)]


def schema_errors(structure: Structure, document: Any) -> list[str]:
    out = []
    for validator in schema_validators(structure):
        out += [
            f"{type(validator).__name__} {list(e.absolute_path)}: {e.message[:200]}"
            for e in validator.iter_errors(document)
        ]
    return out


def occurrences(structure: Structure, document: dict[str, Any]) -> Iterator[tuple[Element, Any, str]]:
    """Every (element, value, JSON pointer) in the document; repeatable elements yield each item."""
    doc = structure.document
    if doc.key in document:
        yield from _walk(doc, document[doc.key], f"/{doc.key}")


def _walk(element: Element, value: Any, pointer: str) -> Iterator[tuple[Element, Any, str]]:
    items = enumerate(value) if element.wrapper is not None else [(None, value)]
    for index, item in items:
        here = pointer if index is None else f"{pointer}/{index}"
        yield element, item, here
        if isinstance(item, dict):
            for child in element.children:
                if child.key in item:
                    yield from _walk(child, item[child.key], f"{here}/{child.key}")
