"""Checking a client document against its structure before it is archived (and after it is read back).

One function, `document_findings`, so the checker can change in one place: it uses the project validator
(`generators.validator.compile_validator`, full mode) when it is installed, and otherwise a jsonschema
Draft-07 validator over the structure's own JSON Schema. Findings name the place and the rule, never the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from structures.model import Structure


@dataclass(frozen=True)
class Issue:
    pointer: str
    code: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message} [{self.code}]"


class _Checker(Protocol):
    def __call__(self, document: Any) -> list[Issue]: ...


_CACHE: dict[int, tuple[Structure, _Checker]] = {}

# What a failed JSON-Schema keyword means, said without the offending value.
_KEYWORD_TEXT = {
    "required": "a required member is missing",
    "type": "value has the wrong type",
    "additionalProperties": "member not defined by the structure",
    "pattern": "value does not have the required form",
    "enum": "value is not one of the allowed values",
    "minLength": "value must not be empty",
    "minItems": "too few items",
}


def _project_checker(structure: Structure) -> _Checker | None:
    try:
        from generators.validator import compile_validator  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    validator = compile_validator(structure, mode="full")

    def check(document: Any) -> list[Issue]:
        return [
            Issue(f.pointer, f.code, f.message.get("en") or f.message.get("fi") or f.code, f.severity)
            for f in validator.validate(document)
        ]

    return check


def _jsonschema_checker(structure: Structure) -> _Checker:
    from jsonschema import Draft7Validator

    from generators.sosmeta_json import structure_data

    validator = Draft7Validator(structure_data(structure))

    def check(document: Any) -> list[Issue]:
        issues = []
        for error in validator.iter_errors(document):
            pointer = "".join(f"/{part}" for part in error.absolute_path)
            keyword = str(error.validator)
            text = _KEYWORD_TEXT.get(keyword, f"fails the {keyword} rule")
            if keyword == "required" and isinstance(error.validator_value, list):
                missing = [
                    k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance
                ]
                text = f"required member missing: {', '.join(missing)}"
            issues.append(Issue(pointer, f"schema.{keyword}", text))
        return sorted(issues, key=lambda i: (i.pointer, i.code))

    return check


def checker(structure: Structure) -> _Checker:
    """The compiled checker of `structure` (cached for the life of the process)."""
    hit = _CACHE.get(id(structure))
    if hit is None or hit[0] is not structure:
        hit = (structure, _project_checker(structure) or _jsonschema_checker(structure))
        _CACHE[id(structure)] = hit
    return hit[1]


def document_findings(structure: Structure, document: Any) -> list[Issue]:
    """Every finding of `document` against `structure` (empty when valid)."""
    return checker(structure)(document)


def errors_only(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == "error"]
