"""Is this code valid in that code list? A small protocol, so that the code-list store can answer later.

Today the answer comes from the structures themselves: an element's `acceptedValues` are the codes of its code
list (`classificationOid`). A list no structure enumerates is unknown (None): the table check then says it
cannot confirm the code, never that it is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from structures.model import Structure


class CodeLists(Protocol):
    def is_valid(self, list_oid: str, code: str) -> bool | None:
        """True or False when the list is known, None when it is not."""
        ...


def _plain_oid(text: str) -> str:
    return text.strip().removeprefix("urn:oid:")


class StructureCodes:
    """Code lists as the structures' own acceptedValues give them, by list OID (or internal list name)."""

    def __init__(self, structures: Iterable[Structure]) -> None:
        self.lists: dict[str, set[str]] = {}
        for structure in structures:
            for located in structure.walk():
                element = located.element
                oid = element.classification_oid_value
                if oid and element.code_values:
                    self.lists.setdefault(_plain_oid(oid), set()).update(element.code_values)

    def is_valid(self, list_oid: str, code: str) -> bool | None:
        known = self.lists.get(_plain_oid(list_oid))
        return None if known is None else code in known


class Combined:
    """The first list store that knows a list answers (e.g. a code-list store, then the structures)."""

    def __init__(self, *stores: CodeLists) -> None:
        self.stores = stores

    def is_valid(self, list_oid: str, code: str) -> bool | None:
        for store in self.stores:
            answer = store.is_valid(list_oid, code)
            if answer is not None:
                return answer
        return None
