"""Is this code valid in that code list? A small protocol, so that the code-list store can answer later.

The catalog's code-list store answers first (`StoreCodes`: the newest stored version of a list, docs/code-lists.md),
then the structures themselves (`StructureCodes`: an element's `acceptedValues` are the codes of its list,
`classificationOid`). A list neither knows is unknown (None): the table check then cannot confirm the code and
never says it is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from sosmeta.structures.model import Structure


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


class StoreCodes:
    """Code lists from the catalog's code-list store: a code is valid when the newest stored version of its
    list has it."""

    def __init__(self, catalog_root: Path) -> None:
        from sosmeta.codestore import CodeStore, version_order

        newest: dict[str, tuple[object, set[str]]] = {}
        store = CodeStore(catalog_root)
        for code_list in store.lists():
            order = version_order(code_list.version)
            known = newest.get(code_list.classification)
            if known is None or order > known[0]:  # type: ignore[operator]
                newest[code_list.classification] = (order, {c.code for c in code_list.codes})
        self.lists = {oid: codes for oid, (_, codes) in newest.items()}

    def is_valid(self, list_oid: str, code: str) -> bool | None:
        known = self.lists.get(_plain_oid(list_oid))
        return None if known is None else code in known


def catalog_code_lists(catalog_root: Path, structures: Iterable[Structure]) -> CodeLists:
    """The stored lists first, then the structures' own codes."""
    return Combined(StoreCodes(catalog_root), StructureCodes(structures))


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
