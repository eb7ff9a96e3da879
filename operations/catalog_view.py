"""Show and list: what a catalog holds, as rows and element trees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sosmeta.catalog import Catalog, CatalogError, UnknownStructure
from sosmeta.messages import Lang, text
from sosmeta.structures.model import Element, Structure


@dataclass(frozen=True)
class StructureRow:
    """One structure version, as `list` shows it."""

    oid: str
    version: str
    version_oid: str
    status: str | None
    document_type: str | None
    subject: str | None
    title: str
    elements: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "oid": self.oid,
            "version": self.version,
            "version_oid": self.version_oid,
            "status": self.status,
            "document_type": self.document_type,
            "subject": self.subject,
            "title": self.title,
            "elements": self.elements,
        }


def structure_row(structure: Structure) -> StructureRow:
    return StructureRow(
        oid=structure.base_oid,
        version=structure.version,
        version_oid=structure.version_oid,
        status=structure.status,
        document_type=structure.document_type,
        subject=structure.document_subject,
        title=structure.fi_title,
        elements=structure.element_count,
    )


def unknown_text(error: UnknownStructure, lang: Lang) -> str:
    """The unknown-OID error in `lang`, with the nearest known OIDs."""
    if not error.nearest:
        return text("show.unknown_none", lang, oid=error.oid, catalog=error.root)
    return text("show.unknown", lang, oid=error.oid, catalog=error.root, nearest=", ".join(error.nearest))


def resolve(catalog: Catalog, ref: str, lang: Lang = "en") -> Structure:
    """The structure `ref` names (`Catalog.resolve`); an unknown OID is answered with the nearest known ones."""
    try:
        return catalog.resolve(ref)
    except UnknownStructure as exc:
        raise CatalogError(unknown_text(exc, lang)) from None


def list_structures(catalog: Catalog) -> list[StructureRow]:
    """Every structure version in the catalog, in catalog order."""
    return [structure_row(s) for s in catalog.structures()]


@dataclass(frozen=True)
class ElementLine:
    """One element of `show`: its row, depth, key, name, representation, cardinality and flags (the name and the
    representation in Swedish for `sv` where the structure has them, else in Finnish, as THL publishes them)."""

    row: int | None
    depth: int
    key: str
    name: str
    representation: str | None
    """The representation's label; "" for a group, None when unknown."""
    cardinality: str
    flags: tuple[str, ...]


def element_flags(element: Element) -> tuple[str, ...]:
    """K nationally recorded, EP conditionally required, piil hidden field, piilotsikko hidden title."""
    marks = [
        ("K", element.nationally_recorded),
        ("EP", element.conditional_required),
        ("piil", element.hidden_field),
        ("piilotsikko", element.hidden_title),
    ]
    return tuple(m for m, on in marks if on)


@dataclass(frozen=True)
class StructureTree:
    structure: Structure
    elements: list[ElementLine]


def show_structure(catalog: Catalog, ref: str, lang: Lang = "en") -> StructureTree:
    """The element tree of the structure `ref` names."""
    structure = resolve(catalog, ref, lang)
    swedish = lang == "sv"
    lines = []
    for loc in structure.rows():
        e = loc.element
        rep = None if e.representation is None else e.representation.sv if swedish else e.representation.fi
        name = (e.sv_name or e.fi_name) if swedish else e.fi_name
        lines.append(ElementLine(e.row_number, loc.depth, e.key, name, rep, str(e.cardinality), element_flags(e)))
    return StructureTree(structure, lines)
