"""The codes a coded element offers, with their fi/sv labels, for every generator that shows or fills codes
(examples, forms, the preview, CDA): from the build's code lists by precedence (docs/code-lists.md).

1. a stored list of the element's classification (its newest version), narrowed to the element's own
   `acceptedValues` when it has them;
2. the codes the element states itself (`acceptedValues`, `valueSet`, an internal list's text);
3. the embedded list of its classification: codes another structure states for the same list;
4. none: nothing is made up (a generator keeps its behaviour for unknown lists).

The build command puts the catalog's lists into the build options (`LISTS_OPTION`); a generator reads them
with `build_lists(ctx.options)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.embedded import element_codes, is_coded
from sosmeta.structures.codelists.model import Code
from sosmeta.structures.model import Element

LISTS_OPTION = "code_lists"
"""Build option holding the catalog's `CodeLists` (stored and embedded), set by the build command."""

Source = Literal["stored", "element", "embedded"]


def build_lists(options: Mapping[str, Any]) -> CodeLists | None:
    """The build's code lists, or None when the build command gave none."""
    lists = options.get(LISTS_OPTION)
    return lists if isinstance(lists, CodeLists) else None


@dataclass(frozen=True)
class Choice:
    """One code an element offers."""

    code: str
    names: Mapping[str, str]
    """fi, sv (en) labels where known; may be empty."""
    begin: str | None = None
    expires: str | None = None
    parent: str | None = None

    def label(self, lang: str = "fi") -> str | None:
        return self.names.get(lang) or self.names.get("fi")

    def valid_on(self, day: dt.date) -> bool:
        if self.begin is not None and day < dt.date.fromisoformat(self.begin):
            return False
        return self.expires is None or day <= dt.date.fromisoformat(self.expires)


@dataclass(frozen=True)
class Choices:
    choices: tuple[Choice, ...]
    source: Source
    ref: str | None = None
    """`OID@version` of a stored list."""

    @property
    def hierarchical(self) -> bool:
        return any(c.parent is not None for c in self.choices)

    def leaves(self) -> tuple[Choice, ...]:
        """Codes no other code has as its parent (the whole list when it is flat)."""
        parents = {c.parent for c in self.choices}
        return tuple(c for c in self.choices if c.code not in parents)


def _offered(code: Code) -> bool:
    # A DELETED code without an end date is valid on no day (model.Code.valid_on): never offered.
    return not (code.status == "DELETED" and code.expires is None)


def _from_list(codes: tuple[Code, ...], allowed: list[str]) -> tuple[Choice, ...]:
    keep = set(allowed)
    return tuple(
        Choice(c.code, dict(c.names), c.begin, c.expires, c.parent)
        for c in codes
        if _offered(c) and (not keep or c.code in keep)
    )


def element_choices(element: Element, lists: CodeLists | None) -> Choices | None:
    """The codes `element` offers, by the precedence above; None when no list is known."""
    if not is_coded(element):
        return None
    oid = element.classification_oid_value or ""
    stated = element_codes(element)
    allowed = [code for code, _ in stated] if element.code_values or _code_enum(element) else []
    stored = lists.stored(oid) if lists is not None else None
    if stored is not None:
        found = _from_list(stored.codes, allowed)
        if found:
            return Choices(found, "stored", stored.ref)
    if stated:
        return Choices(tuple(Choice(code, names) for code, names in stated), "element")
    bound = lists.bound(oid) if lists is not None else None
    if bound is not None and bound.embedded and bound.codes:
        return Choices(_from_list(bound.codes, []), "embedded", bound.ref)
    return None


def _code_enum(element: Element) -> bool:
    sub = element.sub("code")
    return bool(sub is not None and sub.enum)
