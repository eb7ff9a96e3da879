"""How deep the elements of a structure may nest, checked by every importer and on every catalog read.

Real exports nest at most 8 element levels (the document element is level 1). Generators walk the element
tree recursively (validators, forms, the preview site, CDA, diff), so a structure nesting hundreds of levels
would exhaust the stack in one of them; it is refused where it enters, with the place of the first element
that is too deep, and nothing later needs to guard against it.
"""

from __future__ import annotations

from sosmeta.sosmeta_import.errors import InputError
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures import pointers
from sosmeta.structures.model import ITEMS, PROPERTIES, Located, Structure

MAX_ELEMENT_DEPTH = 16
"""Most element levels, the document element included (real exports: 8)."""


def check_depth(structure: Structure, source: str) -> Structure:
    """`structure` when no element is deeper than `MAX_ELEMENT_DEPTH`; else InputError at the first one."""
    for located in structure.walk():
        if located.depth > MAX_ELEMENT_DEPTH:
            raise InputError.one(
                source,
                schema_pointer(located),
                say("too_deep", limit=MAX_ELEMENT_DEPTH),
                "sosmeta.too_deep",
            )
    return structure


def schema_pointer(located: Located) -> str:
    """The JSON pointer of an element's node in the export (`/properties/doc/properties/a/items`)."""
    chain: list[Located] = []
    node: Located | None = located
    while node is not None:
        chain.append(node)
        node = node.parent
    parts: list[str] = []
    for here in reversed(chain):
        parts += [PROPERTIES, here.element.key] + ([ITEMS] if here.element.wrapper is not None else [])
    return pointers.pointer(parts)
