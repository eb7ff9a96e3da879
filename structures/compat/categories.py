"""What a change can break, from strictest to mildest (the order reports group findings by)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Category(StrEnum):
    DOCUMENT_BACKWARD = "DOCUMENT_BACKWARD"
    """A document valid under OLD is not valid under NEW: archived documents and existing records break."""
    DOCUMENT_FORWARD = "DOCUMENT_FORWARD"
    """A document valid under NEW is not valid under OLD: systems still on OLD reject new documents."""
    CODEGEN = "CODEGEN"
    """Generated class or field names or types change."""
    FORM = "FORM"
    """The form a professional sees changes."""
    TEXT = "TEXT"
    """Only wording changes."""


ORDER: tuple[Category, ...] = tuple(Category)
DOCUMENT: frozenset[Category] = frozenset({Category.DOCUMENT_BACKWARD, Category.DOCUMENT_FORWARD})
B = Category.DOCUMENT_BACKWARD
F = Category.DOCUMENT_FORWARD


def parse_categories(text: str | Iterable[str]) -> frozenset[Category]:
    """`"DOCUMENT_BACKWARD,CODEGEN"` or a list of names -> categories; ValueError names an unknown one."""
    names = text.split(",") if isinstance(text, str) else list(text)
    out = set()
    for name in (n.strip().upper() for n in names):
        if not name:
            continue
        try:
            out.add(Category(name))
        except ValueError:
            known = ", ".join(c.value for c in Category)
            raise ValueError(f"unknown category {name!r} (known: {known})") from None
    return frozenset(out)


def strictest(categories: Iterable[Category]) -> Category | None:
    present = set(categories)
    return next((c for c in ORDER if c in present), None)


def ordered(categories: Iterable[Category]) -> list[Category]:
    present = set(categories)
    return [c for c in ORDER if c in present]
