"""Helpers for the compatibility tests: edit a structure the way a new version would.

Edits change sosmeta fields and then re-derive the JSON-level keywords of what changed with the format rules
(structures.shape), as THL's exporter does; `json_only` edits change keywords alone, as older exports differ.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sosmeta.sosmeta_import import load_any
from sosmeta.structures.model import Element, Structure
from sosmeta.structures.shape import expected_members, expected_node, expected_wrapper
from sosmeta.structures.texts import LangText

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_FILE = ROOT / "example" / "sources" / "perhetyon-seurantamerkinta.json"
D = "perhetyon_seurantamerkinta_esimerkki"


def example() -> Structure:
    return load_any(EXAMPLE_FILE)[0]


def texts(fi: str, sv: str | None = None) -> tuple[LangText, ...]:
    return (LangText(lang="fi", value=fi),) + ((LangText(lang="sv", value=sv),) if sv is not None else ())


def _rebuild(element: Element, keys: list[str], change: Callable[[Element | None], Element | None]) -> Element:
    """`element` with the member at relative key path `keys` replaced by change(member) (None removes it)."""
    if not keys:
        result = change(element)
        assert result is not None
        return result
    head, rest = keys[0], keys[1:]
    members = []
    found = False
    for member in element.members:
        if isinstance(member, Element) and member.key == head:
            found = True
            replaced = change(member) if not rest else _rebuild(member, rest, change)
            if replaced is not None:
                members.append(replaced)
        else:
            members.append(member)
    if not found and not rest:
        added = change(None)
        assert added is not None
        members.append(added)
    return _reshape_container(element.model_copy(update={"members": tuple(members)}))


def _reshape_container(element: Element) -> Element:
    """A container's `required` list follows its children's required flags (what the exporter writes)."""
    if element.children or element.representation is None or element.representation.value in ("", "Otsikko"):
        node = tuple(
            (k, [c.key for c in element.children if c.required]) if k == "required" else (k, v) for k, v in element.node
        )
        return element.model_copy(update={"node": node})
    return element


def reshaped(element: Element) -> Element:
    """`element` with its own node and wrapper derived by the format rules."""
    element = element.model_copy(update={"members": expected_members(element)})
    return element.model_copy(update={"node": expected_node(element), "wrapper": expected_wrapper(element)})


def edit(structure: Structure, key_path: str, json_only: bool = False, **updates: Any) -> Structure:
    """A copy of `structure` with the element at `key_path` updated (and its JSON keywords re-derived)."""

    def change(element: Element | None) -> Element:
        assert element is not None, key_path
        updated = element.model_copy(update=updates)
        return updated if json_only else reshaped(updated)

    return replace_at(structure, key_path, change)


def rebuilt(structure: Structure, **updates: Any) -> Structure:
    """A new Structure with `updates` (model_copy would carry over the cached element index of the original)."""
    fields = {name: getattr(structure, name) for name in Structure.model_fields}
    return Structure(**(fields | updates))


def replace_at(structure: Structure, key_path: str, change: Callable[[Element | None], Element | None]) -> Structure:
    keys = key_path.split("/")
    assert keys[0] == structure.document.key
    return rebuilt(structure, document=_rebuild(structure.document, keys[1:], change))


def remove(structure: Structure, key_path: str) -> Structure:
    return replace_at(structure, key_path, lambda e: None)


def replace_element(structure: Structure, key_path: str, element: Element) -> Structure:
    """`element` in place of the one at `key_path` (same position, possibly another key)."""
    return replace_at(structure, key_path, lambda e: reshaped(element))


def add(structure: Structure, parent_path: str, element: Element) -> Structure:
    return replace_at(structure, f"{parent_path}/{element.key}", lambda e: reshaped(element))


def text_element(key: str, fi: str, sv: str, required: bool = False, row: int | None = None) -> Element:
    return reshaped(
        Element(
            key=key,
            name=texts(fi, sv),
            representation_texts=texts("Teksti", "Text"),
            repeatable=False,
            required=required,
            conditional_required=False,
            nationally_recorded=False,
            hidden_field=False,
            hidden_title=False,
            row_number=row,
        )
    )


def set_node_keyword(structure: Structure, key_path: str, name: str, value: Any) -> Structure:
    """Change one JSON keyword of an element node (None removes it), keeping everything else."""

    def change(element: Element | None) -> Element:
        assert element is not None
        node = [(k, v) for k, v in element.node if k != name]
        if value is not None:
            at = next((i for i, (k, _) in enumerate(node) if k == "sosmeta"), len(node))
            node.insert(at, (name, value))
        return element.model_copy(update={"node": tuple(node)})

    return replace_at(structure, key_path, change)
