"""The organisation template model: who the organisation is, and how it narrows national structures.

An organisation (a wellbeing services county, a city's child-welfare unit) uses a subset of each national
structure: it leaves optional elements out, writes fill-in instructions at the field, gives default values,
narrows code lists, limits repeats and orders fields. A template may only *restrict* a structure; the
conformance check (`generators.forms.conformance`) enforces that. The TOML reader is
`sosmeta_import.organisation.load_organisation`; the file format is documented in
docs/organisation-templates.md.

Element paths in a template are key paths *below* the document element (`asiakas/sukunimi`); a path that
starts with the document element's key is accepted too, and `#12` names the element on row 12. `resolve_path`
is the one place that maps a template path onto a structure, so every reader of templates (forms, CDA,
compatibility) agrees on it.
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool, StrictInt, StrictStr

from sosmeta.structures.identifiers import Oid
from sosmeta.structures.model import Located, Structure

# Strict scalars: `max_items = "10"` or `bilingual = "yes"` in a template is a mistake to report, not to coerce.
# (Not `strict=True` on the model: TOML arrays arrive as lists, and the tuple fields must accept them.)
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Bilingual(BaseModel):
    """A text in Finnish and (for bilingual organisations) Swedish."""

    model_config = _FROZEN

    fi: StrictStr = Field(min_length=1)
    sv: StrictStr | None = None

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to Finnish."""
        return (self.sv if lang == "sv" else None) or self.fi


class Unit(BaseModel):
    """An organisation-register entry: the service organiser or a service unit (SOTE organisation register)."""

    model_config = _FROZEN

    oid: Oid
    name: Bilingual


class ElementRule(BaseModel):
    """What an organisation says about one element of a structure."""

    model_config = _FROZEN

    instructions: Bilingual | None = None
    """Fill-in instructions shown at the field ("ohjeet täyttökohtaan")."""
    default: JsonValue = None
    """Default value, in the document's JSON shape (a string, number, boolean, or a Koodi/Tunnus object).
    None means no default (JSON null is never a valid Sosmeta value)."""
    codes: tuple[StrictStr, ...] | None = None
    """The codes the organisation uses, a subset of the national list, in the order to show them."""
    max_items: StrictInt | None = Field(default=None, ge=0)
    """Most repeats the form offers for a repeatable element."""
    origin: StrictStr | None = None
    """Where the rule was written when not in the TOML file itself (e.g. `Rakenne!K12` of a workbook)."""


class Template(BaseModel):
    """The organisation's use of one national structure."""

    model_config = _FROZEN

    structure: StrictStr
    """Base OID (applies to the newest version) or version OID (applies to that version only)."""
    omit: tuple[StrictStr, ...] = ()
    """Optional elements the organisation does not use (key paths); their subtrees go with them."""
    order: dict[StrictStr, tuple[StrictStr, ...]] = Field(default_factory=dict)
    """Parent key path (`""` for the document element) -> child keys in the order to show them; children not
    listed keep their national order after the listed ones."""
    elements: dict[StrictStr, ElementRule] = Field(default_factory=dict)
    """Per-element rules by key path."""
    origin: StrictStr | None = None
    """Where the template came from when not the TOML file (a workbook)."""

    def applies_to(self, structure: Structure) -> bool:
        """True when this template names `structure`'s version OID or its base OID."""
        return self.structure in (structure.version_oid, structure.base_oid)

    def paths(self) -> set[str]:
        """Every element path the template mentions (omit, order parents and children, element rules)."""
        out = set(self.omit) | set(self.elements)
        for parent, children in self.order.items():
            if parent:
                out.add(parent)
            out.update(f"{parent}/{c}" if parent else c for c in children)
        return out


class Organisation(BaseModel):
    """One organisation and its templates."""

    model_config = _FROZEN

    id: StrictStr = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    """Short name used in output paths (`OUT/forms/<id>/...`; letters, digits, `.`, `_`, `-`); defaults to the
    file's stem."""
    name: Bilingual
    oid: Oid
    """OID of the register keeper (rekisterinpitäjä), e.g. `1.2.246.10.<business id digits>.10.0`."""
    bilingual: StrictBool = False
    """True when every text must exist in Swedish too (checked as warnings)."""
    service_organiser: Unit | None = None
    service_units: tuple[Unit, ...] = ()
    letterhead: Bilingual | None = None
    templates: tuple[Template, ...] = ()
    source: StrictStr = ""
    """The file the organisation was read from (for located messages)."""

    def templates_for(self, structure: Structure) -> list[Template]:
        return [t for t in self.templates if t.applies_to(structure)]


def resolve_path(structure: Structure, path: str) -> Located | None:
    """The element at template key path `path`: read below the document element first (a child may have
    the document element's own key), then as a path starting with the document element's key; `""` is the
    document element and `#12` the element on row 12."""
    doc_key = structure.document.key
    if path.startswith("#") and path[1:].isdigit():  # a workbook row number
        return structure.by_row(int(path[1:]))
    if path == "":
        return structure.by_path(doc_key)
    relative = structure.by_path(f"{doc_key}/{path}")
    if relative is not None or not (path == doc_key or path.startswith(doc_key + "/")):
        return relative
    return structure.by_path(path)


def template_path(structure: Structure, located: Located) -> str:
    """The canonical template path of an element: its key path without the document element's key."""
    return "/".join(located.keys[1:])


def toml_key(name: str) -> str:
    """A key as written in a TOML key path (how findings locate template entries): bare when it can be,
    else quoted (`template[0].elements."asiakas/sukunimi"`)."""
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name, ensure_ascii=False)
