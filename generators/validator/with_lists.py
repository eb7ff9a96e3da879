"""Validation with the catalog's code lists: the compiled validator's findings and, in full mode, the checks
against stored code lists (code_lists.py) on the document's date (document_date.py), merged in document
order. `sosmeta validate` uses it; without stored lists it is the compiled validator alone."""

from __future__ import annotations

import datetime as dt
import heapq
from typing import TYPE_CHECKING, Any

from sosmeta.generators.validator import compile_validator
from sosmeta.generators.validator.code_lists import code_list_findings
from sosmeta.generators.validator.document_date import date_element, document_date
from sosmeta.generators.validator.findings import Finding
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.model import Element, Structure

if TYPE_CHECKING:
    from sosmeta.generators.validator.codegen import Mode


def _order(structure: Structure, pointer: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key of a pointer in the structure's element order (array items by index, sub-keys by name)."""
    parts = pointer.split("/")[1:]
    out: list[tuple[int, int | str]] = []
    element: Element | None = structure.document if parts and parts[0] == structure.document.key else None
    for part in parts[1:]:
        if element is None:
            out.append((1, part))
            continue
        if part.isdigit() and element.is_repeatable:
            out.append((0, int(part)))
            continue
        key = part.replace("~1", "/").replace("~0", "~")
        children = element.children
        index = next((i for i, c in enumerate(children) if c.key == key), None)
        if index is None:
            out.append((1, key))
            element = None
        else:
            out.append((0, index))
            element = children[index]
    return tuple(out)


class ListedValidation:
    """Validates documents of any structure in one mode, against the given code lists."""

    def __init__(
        self, mode: Mode, lists: CodeLists | None = None, today: dt.date | None = None, test_identities: bool = False
    ) -> None:
        self.mode = mode
        self.test_identities = test_identities
        self.lists = lists if mode == "full" else None
        self.today = today
        self._dates: dict[int, tuple[Structure, tuple[str, ...] | None]] = {}

    def _date_keys(self, structure: Structure) -> tuple[str, ...] | None:
        hit = self._dates.get(id(structure))
        if hit is None or hit[0] is not structure:
            hit = self._dates[id(structure)] = (structure, date_element(structure))
        return hit[1]

    def day(self, structure: Structure, doc: Any) -> dt.date:
        """The day codes are checked on: the document's date, else today."""
        return document_date(doc, self._date_keys(structure)) or self.today or dt.date.today()

    def validate(self, structure: Structure, doc: Any) -> list[Finding]:
        """Every finding of `doc`, the code-list ones among them in document order."""
        found = compile_validator(structure, self.mode, self.test_identities).validate(doc)
        if self.lists is None:
            return found
        listed = code_list_findings(structure, doc, self.lists, self.day(structure, doc))
        if not listed:
            return found
        return list(heapq.merge(found, listed, key=lambda f: _order(structure, f.pointer)))
