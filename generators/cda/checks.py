"""Checking a client document against its structure before it is archived (and after it is read back).

The project validator (`generators.validator`, full mode) does the checking; this module only adapts its
findings for the CDA codec. Findings name the place and the rule, never the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sosmeta.generators.validator import compile_validator
from sosmeta.structures.model import Structure


@dataclass(frozen=True)
class Issue:
    pointer: str
    code: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message} [{self.code}]"


def document_findings(structure: Structure, document: Any) -> list[Issue]:
    """Every finding (errors and warnings) of `document` against `structure`, in document order."""
    return [
        Issue(f.pointer, f.code, f.message.get("en") or f.message.get("fi") or f.code, f.severity)
        for f in compile_validator(structure, mode="full").validate(document)
    ]


def document_errors(structure: Structure, document: Any) -> list[Issue]:
    """The error-severity findings only; a valid document costs one fast pass that stops at the first error."""
    if compile_validator(structure, mode="full").is_valid(document):
        return []
    return [i for i in document_findings(structure, document) if i.severity == "error"]
