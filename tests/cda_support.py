"""Helpers for the CDA tests: example documents (the project's example generator) and example envelopes."""

from __future__ import annotations

from typing import Any

from generators.cda import samples
from generators.cda.envelope import Envelope
from generators.examples import example_documents
from generators.strategies import documents
from structures.model import Structure


def example_envelope(structure: Structure, number: int = 1, **overrides: Any) -> Envelope:
    """The build's example envelope with the structure's name as its (optional) title, which real traffic leaves
    out: the tests cover both."""
    return samples.example_envelope(structure, number, **{"title": structure.fi_title, **overrides})


def document_strategy(structure: Structure) -> Any:
    """Hypothesis documents of `structure` (the project's strategy)."""
    return documents(structure)


__all__ = ["document_strategy", "example_documents", "example_envelope"]
