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
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool, StrictInt, StrictStr

from sosmeta.structures.identifiers import Oid
from sosmeta.structures.model import Located, Structure, newest_versions

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
    """Base OID (applies to the newest version), version OID or `base OID@YYYY-MM-DD` (that version only)."""
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
        """True when this template names `structure`'s version OID, `base OID@version` or its base OID."""
        return self.structure in (structure.version_oid, version_ref(structure), structure.base_oid)

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


# ---- placeholders ------------------------------------------------------------------------------------------
# What `sosmeta org new` writes where only the organisation knows the value. They must never reach a form, the
# preview or a CDA header (the register keeper of archive documents), so reading a template refuses them.
PLACEHOLDER_NAME = Bilingual(fi="Organisaation nimi", sv="Organisationens namn")
PLACEHOLDER_OID = "1.2.246.10.0.10.0"
PLACEHOLDER_INSTRUCTIONS = Bilingual(fi="Ohje täyttäjälle", sv="Anvisning för den som fyller i")
PLACEHOLDER_TEXT = "Oletusteksti"
"""The example default of a text field."""

_PLACEHOLDER_TEXTS = {
    PLACEHOLDER_NAME.fi,
    PLACEHOLDER_NAME.sv,
    PLACEHOLDER_INSTRUCTIONS.fi,
    PLACEHOLDER_INSTRUCTIONS.sv,
    PLACEHOLDER_TEXT,
}


def placeholder_places(org: Organisation) -> list[tuple[str, str | None]]:
    """Where `org` still holds a placeholder of `sosmeta org new`, as (location, workbook): the TOML key path and
    None, or for a rule read from a workbook its row (`Rakenne!12:12`) and the workbook."""
    found: list[tuple[str, str | None]] = []

    def texts(where: str, text: Bilingual | None, workbook: str | None = None, row: str | None = None) -> None:
        if text is not None:
            found.extend(
                (row if workbook and row else f"{where}.{lang}", workbook if row else None)
                for lang in ("fi", "sv")
                if getattr(text, lang) in _PLACEHOLDER_TEXTS
            )

    texts("organisation.name", org.name)
    if org.oid == PLACEHOLDER_OID:
        found.append(("organisation.oid", None))
    units = [("organisation.service_organiser", org.service_organiser)] if org.service_organiser else []
    units += [(f"organisation.service_units[{i}]", unit) for i, unit in enumerate(org.service_units)]
    for where, unit in units:
        assert unit is not None
        texts(f"{where}.name", unit.name)
        if unit.oid == PLACEHOLDER_OID:
            found.append((f"{where}.oid", None))
    texts("organisation.letterhead", org.letterhead)
    for index, template in enumerate(org.templates):
        for path, rule in template.elements.items():
            where = f"template[{index}].elements.{toml_key(path)}"
            workbook = template.origin if rule.origin else None
            texts(f"{where}.instructions", rule.instructions, workbook, rule.origin)
            if isinstance(rule.default, str) and rule.default in _PLACEHOLDER_TEXTS:
                found.append((rule.origin, workbook) if workbook and rule.origin else (f"{where}.default", None))
    return found


def version_ref(structure: Structure) -> str:
    """`base OID@YYYY-MM-DD`: the version as `sosmeta show` and `sosmeta org new` name it."""
    return f"{structure.base_oid}@{structure.version}"


def template_structure(template: Template, structures: Iterable[Structure]) -> Structure | None:
    """The structure version `template` is for: the version its `structure` names (version OID or
    `OID@YYYY-MM-DD`), else the newest version of the base OID it names; None when none is given."""
    structures = list(structures)
    for structure in structures:
        if template.structure in (structure.version_oid, version_ref(structure)):
            return structure
    return newest_versions(structures).get(template.structure)


def template_structure_names(structures: Iterable[Structure]) -> list[str]:
    """Every name a template's `structure` may use for `structures` (for did-you-mean suggestions)."""
    out: list[str] = []
    for structure in structures:
        out += [structure.base_oid, structure.version_oid, version_ref(structure)]
    return list(dict.fromkeys(out))


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
