"""A rule of the catalogue: its id, the categories it breaks and its texts (fi, sv, en); see `rules`."""

from __future__ import annotations

from dataclasses import dataclass

from sosmeta.messages import Message
from sosmeta.structures.compat.categories import B, Category, F

C = Category.CODEGEN
FM = Category.FORM
T = Category.TEXT
M = Message

__all__ = ["FM", "B", "C", "Category", "F", "M", "Rule", "T", "rule_of"]


@dataclass(frozen=True)
class Rule:
    id: str
    categories: frozenset[Category]
    why: Message
    """What a change of this kind breaks, and why (fi, sv, en)."""
    message: Message
    """Per-finding message; placeholders {name} {old} {new} {lang} {detail}."""
    document_from_json: bool = True
    """DOCUMENT_* categories of a finding come from its JSON-level evidence (not from this rule's set)."""


def rule_of(id: str, cats: set[Category], why: Message, message: Message, document_from_json: bool = True) -> Rule:
    return Rule(id, frozenset(cats), why, message, document_from_json)
