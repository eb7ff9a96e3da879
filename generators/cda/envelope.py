"""The envelope: the archive metadata a client document needs beside its content (typed, validated).

Every field maps to one place in the CDA header (see `mapping.HEADER`). Identity codes (henkilötunnus) and
OIDs are checked; texts must be representable in XML. Defaults come from the structure (title, specific
document type, general type, content specification id) and from an organisation file (register keeper,
service organiser and units); see `envelope_defaults`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda import verbatim
from sosmeta.sosmeta_import.errors import Problem
from sosmeta.structures import identifiers as ids
from sosmeta.structures import organisation as orgs
from sosmeta.structures.identifiers import Oid
from sosmeta.structures.model import Structure

# Characters XML 1.0 cannot carry, plus CR (parsers turn it into LF, so it would not come back).
_NOT_XML = re.compile("[\x00-\x08\x0b-\x0d\x0e-\x1f\ufffe\uffff]")
_HETU_MESSAGES = {
    ids.HETU_FORMAT: "not a personal identity code (DDMMYY, century sign, 3 digits, check character)",
    ids.HETU_DATE: "personal identity code has an impossible birth date",
    ids.HETU_CHECKSUM: "personal identity code has a wrong check character",
}


def check_xml_text(value: str) -> str:
    if _NOT_XML.search(value):
        raise ValueError("contains a control character that XML cannot carry")
    return value


def hetu_problem(value: str) -> str | None:
    """Why `value` is not a valid henkilötunnus (None when it is). Never echoes the value. Temporary codes
    (individual number 900-999) and individual numbers 000-001 are taken: an archive keeps what was issued."""
    problem = ids.hetu_problem(value)
    if problem == ids.HETU_INDIVIDUAL and not ids.hetu_checksum_ok(value):
        problem = ids.HETU_CHECKSUM
    return _HETU_MESSAGES.get(problem)


def check_hetu(value: str) -> str:
    problem = hetu_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def check_timestamp(value: dt.datetime) -> dt.datetime:
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("a time needs a zone offset (e.g. +02:00)")
    if value.microsecond or offset.seconds % 60:
        raise ValueError("a time is kept to whole seconds with an offset in whole minutes")
    if not 1000 <= value.year <= 9999:
        raise ValueError("year out of range 1000-9999")
    return value


def check_date(value: dt.date) -> dt.date:
    if not 1000 <= value.year <= 9999:
        raise ValueError("year out of range 1000-9999")
    return value


Text = Annotated[str, StringConstraints(min_length=1, max_length=4000), AfterValidator(check_xml_text)]
Token = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\s]+$"), AfterValidator(check_xml_text)
]
Timestamp = Annotated[dt.datetime, AfterValidator(check_timestamp)]
Day = Annotated[dt.date, AfterValidator(check_date)]

_MODEL = ConfigDict(frozen=True, extra="forbid")
MAX_VERSION = 99999


class Code(BaseModel):
    """A coded value: `display` is @displayName, `system_name` @codeSystemName. `system` is needed only where the
    mapping publishes no code system."""

    model_config = _MODEL
    code: Token
    display: Text | None = None
    system: Oid | None = None
    system_name: Text | None = None


class Organisation(BaseModel):
    model_config = _MODEL
    oid: Oid
    name: Text


class Client(BaseModel):
    """The client: identified by a personal identity code (root 1.2.246.21) or another id (e.g. temporary)."""

    model_config = _MODEL
    id_root: Oid = m.HETU_OID
    id: Token
    given: Text | None = None
    family: Text | None = None
    sex: Code | None = None
    birth_time: Day | None = None

    @field_validator("id")
    @classmethod
    def _identity_code(cls, value: str, info: ValidationInfo) -> str:
        return check_hetu(value) if info.data.get("id_root") == m.HETU_OID else value


class Author(BaseModel):
    """The professional; every part may be missing (`nullFlavor="NA"`: the client-relationship document has none)."""

    model_config = _MODEL
    time: Timestamp | None = None
    registration_id: Token | None = None
    given: Text | None = None
    family: Text | None = None


class Software(BaseModel):
    model_config = _MODEL
    moderator: Text | None = None
    product: Text | None = None
    version: Text | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Software:
        if self.moderator is None and self.product is None and self.version is None:
            raise ValueError("software needs a moderator, product or version")
        return self


class ProfessionalSignature(BaseModel):
    """`localSocialHeader/signature`: who signed as a professional, how they authenticated, and when."""

    model_config = _MODEL
    signer_id: Token | None = None
    """assignedAuthorSigner: the professional's registration number."""
    given: Text | None = None
    family: Text | None = None
    method: Code | None = None
    """authenticationMethod (1.2.246.537.5.40128.2006)."""
    time: Timestamp | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> ProfessionalSignature:
        if not any(getattr(self, name) is not None for name in type(self).model_fields):
            raise ValueError("signature needs a signer, method or time")
        return self


def _ke_code(value: bool | Code) -> bool | Code:
    """K/E as a boolean, or as a code when it carries texts (so that what is read back equals what was given)."""
    if isinstance(value, Code):
        if value.code not in ("K", "E"):
            raise ValueError("special content is K (yes) or E (no)")
        if value.display is None and value.system_name is None:
            return value.code == "K"
    return value


def _signature_collection(value: str) -> str:
    return verbatim.checked_xml(value, f"{{{m.HL7FI}}}signatureCollection")


def _extra_header(value: dict[str, str]) -> dict[str, str]:
    out = {}
    for number, (key, text) in enumerate(value.items(), start=1):
        if verbatim.parse_key(key) is None:  # not a place: it could be anything, so it is named by its number
            raise ValueError(f"key {number} is not a place (after REF, first in REF, REF/@NAME or REF/text())")
        try:
            out[key] = verbatim.check_extra(key, check_xml_text(text))
        except ValueError as exc:  # a place (never a value) may be named
            raise ValueError(f"{key}: {exc}") from None
    return out


Xml = Annotated[str, StringConstraints(min_length=1), AfterValidator(_signature_collection)]
Extras = Annotated[dict[str, str], AfterValidator(_extra_header)]


class Nullification(BaseModel):
    model_config = _MODEL
    reason: Code
    time: Timestamp | None = None


class Envelope(BaseModel):
    """Archive metadata of one client document version (field -> XML place: `mapping.HEADER`)."""

    model_config = _MODEL

    document_id: Oid
    set_id: Oid | None = None
    """Id of the first version; stays across replacements. Defaults to document_id."""
    version_number: int = Field(1, ge=1, le=MAX_VERSION)
    title: Text | None = None
    """Written only when given (real traffic has none; CDA makes it optional)."""
    drafting_time: Timestamp
    creation_time: Timestamp
    general_type: Code | None = None
    """None: no general type (`code nullFlavor="NA"`, the client-relationship document)."""
    specific_type: Code | None = None
    content_specification_id: Oid
    service_task: Code | None = None
    process_phase: Code | None = None
    document_group: Code | None = None
    case_id: Oid | None = None
    client_relationship_id: Oid | None = None
    client: Client
    author: Author = Author()
    register_keeper: Organisation
    service_organiser: Organisation | None = None
    service_unit: Organisation | None = None
    confidentiality: Code = Code(code=m.DEFAULT_CONFIDENTIALITY)
    language: Literal["fi", "sv"] = "fi"
    language_code: Literal["FI", "SV", "Fi", "Sv", "fI", "sV"] | None = None
    """languageCode@code as a document writes it when that is not lower case (`FI`); it must be `language`."""
    ready_state: Code = Code(code=m.DEFAULT_RECORD_STATUS)
    registry: Code = Code(code=m.DEFAULT_REGISTRY_TYPE)
    file_format: Code = Code(code=m.FILE_FORMAT_XHTML)
    structured_format: Code = Code(code=m.STRUCTURED_FORMAT_JSON)
    retention_class: Code | None = None
    special_content: Annotated[bool | Code, AfterValidator(_ke_code)] | None = None
    """True/False (K/E), or the code K/E with its display name and code system name."""
    authorization_restrictions: tuple[Text | Code, ...] = ()
    """Free text (as real traffic has it), or codes carrying their own code system."""
    inaccessible_arguments: tuple[Code, ...] = ()
    minor_disclosure: Code | None = None
    outsourcing_customer: Organisation | None = None
    software: Software | None = None
    replaces: Oid | None = None
    replacement_reason: Code | None = None
    nullification: Nullification | None = None
    signature: ProfessionalSignature | None = None
    signature_collection: Xml | None = None
    """The document's XML signatures (`signatureCollection`), kept verbatim: see generators/cda/signing.py."""
    extra_header: Extras = Field(default_factory=dict)
    """Header parts without a field, kept verbatim by their place (`verbatim`); written back where they were."""

    @model_validator(mode="before")
    @classmethod
    def _set_id_defaults_to_document_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("set_id") is None and "document_id" in data:
            data = {**data, "set_id": data["document_id"]}
        return data

    @model_validator(mode="after")
    def _published_code_systems(self) -> Envelope:
        """A code whose system the mapping fixes may name only that system, and is then kept without it (so that
        what is read back equals what was given)."""
        for parents, name, system in _SYSTEM_PLAN:
            owner: Any = self
            for part in parents:
                owner = getattr(owner, part)
                if owner is None:
                    break
            value = getattr(owner, name) if owner is not None else None
            # cheap exits first (this runs for every envelope): no value, no code system named
            if value is None or (isinstance(value, Code) and value.system is None):
                continue
            if isinstance(value, tuple) and not value:
                continue
            codes = value if isinstance(value, tuple) else (value,)
            named = [c.system for c in codes if isinstance(c, Code) and c.system is not None]
            if not named:
                continue
            if any(other != system for other in named):
                raise ValueError(f"{'.'.join((*parents, name))}: the code system must be {system}")
            plain = tuple(c.model_copy(update={"system": None}) if isinstance(c, Code) else c for c in codes)
            object.__setattr__(owner, name, plain if isinstance(value, tuple) else plain[0])  # frozen model
        return self

    @model_validator(mode="after")
    def _language_code_is_the_language(self) -> Envelope:
        if self.language_code is not None and self.language_code.lower() != self.language:
            raise ValueError("language_code must be the language in other letter case")
        return self


_FIXED_SYSTEM_ITEMS = tuple(i for i in m.HEADER if i.conv in ("code", "ke") and i.system and i.field)
_SYSTEM_PLAN = tuple(
    (tuple((i.field or "").split(".")[:-1]), (i.field or "").split(".")[-1], i.system) for i in _FIXED_SYSTEM_ITEMS
)


# ---- errors --------------------------------------------------------------------------------------------------
Loc = tuple[int | str, ...]


def pointer(loc: Loc) -> str:
    """A pydantic error location as a JSON pointer into the envelope (`/client/id`)."""
    return "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in loc)


def envelope_problems(
    exc: ValidationError, source: str, place: Callable[[Loc], str] = pointer, code: str = "cda.envelope"
) -> list[Problem]:
    """One Problem per envelope error: the field's place and pydantic's message, never the input value
    (`include_input=False`; the messages of our own validators never quote the value either)."""
    return [
        Problem(source, place(tuple(error["loc"])), error["msg"], code)
        for error in exc.errors(include_input=False, include_url=False, include_context=False)
    ]


# ---- organisation file ------------------------------------------------------------------------------------------
def load_organisation(path: Path) -> orgs.Organisation:
    """An organisation file, read by the shared organisation loader (which reports mistakes, bad OIDs included,
    as InputError naming the file and TOML key)."""
    from sosmeta.sosmeta_import.organisation import load_organisation as load_shared

    return load_shared(path)


# ---- defaults -----------------------------------------------------------------------------------------------------
def structure_defaults(structure: Structure) -> dict[str, Any]:
    """Envelope fields the structure determines: content specification, specific and general type. The title is
    not one of them: a document has a `title` only when its envelope gives one (real traffic has none)."""
    oid = structure.version_oid
    out: dict[str, Any] = {"content_specification_id": oid}
    if match := m.SPECIFIC_TYPE_ARC.match(oid):
        out["specific_type"] = {"code": match["code"], "display": structure.fi_title}
    if match := m.GROUP_ARC.match(oid):
        out["document_group"] = {"code": match["code"], "display": structure.document_type}
    kind = structure.document_type or ""
    if kind in m.GENERAL_TYPES:
        out["general_type"] = {"code": m.GENERAL_TYPES[kind], "display": kind}
    return out


_CLASSIFICATION = re.compile(r"^(?:[^:]*:\s*)?(?P<name>.+?)\s+(?P<oid>[0-2](?:\.[0-9]+)+)(?:\s+\S+://\S*)?\s*$")


class _Known(NamedTuple):
    """What `build_envelope` needs of one structure, found once (bulk encoding builds an envelope per document)."""

    structure: Structure
    """Held, so that the structure's id is not reused while the entry lives."""
    names: dict[str, str]
    defaults: dict[str, Any]
    """`structure_defaults` (copied at the top level by each use; the nested dicts are never changed)."""
    system_names: tuple[tuple[tuple[str, ...], str, str, str], ...]
    """(parents, field, conversion, code system name) of the header codes whose code system the structure's texts
    name, in table order: the only ones `_fill_system_names` looks at."""


_KNOWN: dict[int, _Known] = {}


def _known(structure: Structure) -> _Known:
    cached = _KNOWN.get(id(structure))
    if cached is not None and cached.structure is structure:
        return cached
    if len(_KNOWN) >= 1024:
        _KNOWN.clear()
    names = _structure_names(structure)
    plan = []
    for item in _FIXED_SYSTEM_ITEMS:
        name = names.get((item.system or "").rpartition(".")[0])
        if name is not None:
            *parents, last = (item.field or "").split(".")
            plan.append((tuple(parents), last, item.conv, name))
    known = _KNOWN[id(structure)] = _Known(structure, names, structure_defaults(structure), tuple(plan))
    return known


def code_system_names(structure: Structure) -> dict[str, str]:
    """The code system names the structure's own texts give (`classification` "Koodistopalvelin: Sosiaalihuolto -
    Palvelutehtävä 1.2.246.537.6.1221" with `classificationOid` 1.2.246.537.6.1221), by OID. Found once per
    structure object."""
    return _known(structure).names


def _structure_names(structure: Structure) -> dict[str, str]:
    out: dict[str, str] = {}
    for located in structure.walk():
        element = located.element
        oid = element.classification_oid_value
        for text in element.classification or ():
            match = _CLASSIFICATION.match(text.value)
            if oid and text.lang == "fi" and match and match["oid"] == oid:
                out.setdefault(oid, match["name"])
    return out


def _fill_system_names(data: dict[str, Any], structure: Structure) -> None:
    """Header codes without a code system name get the one the structure's texts give for their code system
    (its OID without the version arc: 1.2.246.537.6.1221.201601 -> 1.2.246.537.6.1221); none is invented."""
    for parents, last, conv, name in _known(structure).system_names:
        owner: Any = data
        for part in parents:
            owner = owner.get(part) if isinstance(owner, dict) else None
        if not isinstance(owner, dict) or owner.get(last) is None:
            continue
        value = owner[last]
        if conv == "ke" and isinstance(value, bool):
            value = {"code": "K" if value else "E"}
        if isinstance(value, Code):
            value = value.model_dump(exclude_none=True)
        if isinstance(value, dict) and "system_name" not in value:
            if parents:  # a nested field: copy its parent, which may be the caller's
                data[parents[0]] = owner = {**owner}
            owner[last] = {**value, "system_name": name}


def organisation_defaults(profile: orgs.Organisation, lang: str = "fi") -> dict[str, Any]:
    """Envelope fields an organisation file determines (register keeper, organiser, a single service unit)."""
    out: dict[str, Any] = {"register_keeper": {"oid": profile.oid, "name": profile.name.get(lang)}}
    if profile.service_organiser is not None:
        out["service_organiser"] = {
            "oid": profile.service_organiser.oid,
            "name": profile.service_organiser.name.get(lang),
        }
    if len(profile.service_units) == 1:
        unit = profile.service_units[0]
        out["service_unit"] = {"oid": unit.oid, "name": unit.name.get(lang)}
    return out


def _fill_unit_name(data: dict[str, Any], profile: orgs.Organisation, lang: str) -> None:
    """An envelope may name its service unit by OID only; the name then comes from the organisation file."""
    unit = data.get("service_unit")
    if isinstance(unit, dict) and "name" not in unit:
        for known in profile.service_units:
            if known.oid == unit.get("oid"):
                data["service_unit"] = {**unit, "name": known.name.get(lang)}


_PROFILE_DEFAULTS: dict[tuple[int, str], tuple[orgs.Organisation, dict[str, Any]]] = {}


def _profile_defaults(profile: orgs.Organisation, lang: str) -> dict[str, Any]:
    """`organisation_defaults`, found once per profile object and language (the profile is held, as in `_known`)."""
    cached = _PROFILE_DEFAULTS.get((id(profile), lang))
    if cached is not None and cached[0] is profile:
        return cached[1]
    if len(_PROFILE_DEFAULTS) >= 64:
        _PROFILE_DEFAULTS.clear()
    defaults = organisation_defaults(profile, lang)
    _PROFILE_DEFAULTS[(id(profile), lang)] = (profile, defaults)
    return defaults


# ---- parts validated once -------------------------------------------------------------------------------------------
def _part_model(annotation: Any) -> type[BaseModel] | None:
    for model in (Code, Organisation, Software):
        if annotation == model or annotation == model | None:
            return model
    return None


_PARTS = tuple(
    (name, model)
    for name, field in Envelope.model_fields.items()
    if not field.metadata and (model := _part_model(field.annotation)) is not None
)
"""The envelope's fields that hold one code, organisation or software and nothing else (no validator of their
own): most are the same in every envelope of a run (types, confidentiality, formats, the register keeper)."""
_VALIDATED: dict[tuple[str, tuple[tuple[str, Any], ...]], BaseModel | None] = {}
"""(field, the part's members) -> the part validated alone, or None when it is not valid."""
_VALIDATED_LIMIT = 4096
_NOT_SEEN = object()


def _validated_parts(merged: dict[str, Any]) -> None:
    """Put into `merged` the parts (`_PARTS`) that were validated before, as the instances validation made;
    pydantic takes an instance of a field's model as it is. A part is validated alone once (the same rules as
    inside the envelope: the models have no validator that looks beyond themselves); one that is not valid is
    left as it was, so that the envelope's validation reports it at its place, as always."""
    for name, model in _PARTS:
        raw = merged.get(name)
        if raw.__class__ is not dict:
            continue
        try:
            key = (name, tuple(raw.items()))
            known = _VALIDATED.get(key, _NOT_SEEN)
        except TypeError:  # a member that is a list or an object: never a valid part; validated with the rest
            continue
        if known is _NOT_SEEN:
            try:
                known = model.model_validate(raw)
            except ValidationError:
                known = None
            if len(_VALIDATED) >= _VALIDATED_LIMIT:
                _VALIDATED.clear()
            _VALIDATED[key] = known
        if known is not None:
            merged[name] = known


def build_envelope(
    data: dict[str, Any], structure: Structure | None = None, profile: orgs.Organisation | None = None
) -> Envelope:
    """An envelope from (partial) data: given fields win over organisation defaults over structure defaults; a
    code without a code system name takes the one the structure's own texts give (`code_system_names`)."""
    lang = data.get("language", "fi") if isinstance(data.get("language"), str) else "fi"
    merged: dict[str, Any] = {}
    if structure is not None:
        merged.update(_known(structure).defaults)
    if profile is not None:
        merged.update(_profile_defaults(profile, lang))
    merged.update(data)
    if profile is not None:
        _fill_unit_name(merged, profile, lang)
    if structure is not None:
        _fill_system_names(merged, structure)
    _validated_parts(merged)
    return Envelope.model_validate(merged)
