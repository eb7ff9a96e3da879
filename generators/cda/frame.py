"""The transfer frame: the RCMR_IN200002FI01 message that travels beside a CDA document, built from the document.

A separate XML document shaped like the sample traffic (kanta-cda.md, "The transfer frame as sent"): message
id, times, interaction, processing codes, Kanta as receiver, the sending organisation, the control act with
its service request (SP1 for the client-relationship document group, SP17 otherwise) and use situation, the
user who sends (authorOrPerformer), and `subject/clinicalDocument`, which repeats the document's metadata in
HL7 V3 model style (patient/patientPerson, statusCode COMPLETED, completionCode LA, storageCode AC). Its
`text` refers to the document's part of the MIME package (`package.py`). The document is read by local names
(`localnames`), so any vendor's document can be framed; the ids, set id, version, patient and custodian are
copied from it, so they cannot disagree. Fixed codes and their names: `codesystems`.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree

from sosmeta.generators.cda import codesystems as cs
from sosmeta.generators.cda.codec import CdaInputError, parse_safely
from sosmeta.generators.cda.frame_lookup import Lookup, below, first_below
from sosmeta.generators.cda.limits import DEFAULT_LIMITS, Limits
from sosmeta.generators.cda.localnames import V3, attr, copy_v3, find, find_all, local
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.structures.identifiers import HETU_CHECKSUM, HETU_DATE, HETU_FORMAT, check_oid, hetu_problem
from sosmeta.structures.organisation import Organisation as OrganisationFile

_V = f"{{{V3}}}"
MESSAGE = _V + cs.MESSAGE_TYPE

# Places in the document (below ClinicalDocument, local names).
PATIENT_ROLE = "recordTarget/patientRole"
AUTHOR = "author"
CUSTODIAN = "custodian/assignedCustodian/representedCustodianOrganization"
ENCOUNTER = "componentOf/encompassingEncounter"
SERVICE_UNIT = f"{ENCOUNTER}/encounterParticipant[@typeCode='ADM']/assignedEntity/representedOrganization"
LSH = cs.LSH
_TOKEN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class Person:
    """The user who sends (authorOrPerformer/assignedPerson): an identity code by default."""

    id: str
    id_root: str = cs.HETU_OID
    given: tuple[str, ...] = ()
    family: str | None = None


@dataclass(frozen=True)
class Unit:
    oid: str
    name: str | None = None


@dataclass(frozen=True)
class FrameOptions:
    """What the document does not say. Every default is documented in docs/cda.md (Frame)."""

    processing_mode: str = "T"
    """T = test, P = production."""
    message_root: str | None = None
    """id@root of the message: the sending system's OID; default: the sender."""
    message_number: str | None = None
    """id@extension: the message number; default: a number derived from the document id, version and time."""
    created: dt.datetime | None = None
    """creationTime; default: the document's localSocialHeader/creationTime (so output is deterministic)."""
    sender: str | None = None
    """sender/device/id@root; default: the organisation file's OID, else the document's custodian."""
    receiver: str = cs.KANTA_RECEIVER
    use_situation: str = cs.DEFAULT_USE_SITUATION
    performer: Person | None = None
    """Default: the document's author when it names one (id with an extension)."""
    performer_type: str = "PRF"
    performer_unit: Unit | None = None
    """Default: the document's service unit, else the organisation file's only unit, else the custodian."""
    organisation: OrganisationFile | None = field(default=None, compare=False)
    version_code: str | None = cs.VERSION_CODE
    content_id: str | None = None
    """Content-ID of the document's part in the package; default: `package.document_content_id(document id)`."""


def _fail(source: str, location: str, message: str) -> CdaInputError:
    return CdaInputError([Problem(source, location, message, "cda.frame")])


def _sub(parent: etree._Element, name: str, attributes: dict[str, str] | None = None, **more: str) -> etree._Element:
    return etree.SubElement(parent, _V + name, {**(attributes or {}), **more})


def _device(parent: etree._Element, role: str, type_code: str, oid: str) -> None:
    device = _sub(_sub(parent, role, typeCode=type_code), "device", classCode="DEV", determinerCode="INSTANCE")
    _sub(device, "id", root=oid)


def check_options(options: FrameOptions, source: str = "options") -> None:
    """Refuse options the frame cannot carry (named by the option, never quoting the value)."""
    if options.processing_mode not in cs.PROCESSING_MODES:
        raise _fail(source, "processingModeCode", "processing mode must be T (test) or P (production)")
    if options.performer_type not in cs.PERFORMER_TYPES:
        raise _fail(source, "authorOrPerformer@typeCode", "the performer type must be PRF or AUT")
    for place, oid in (
        ("id@root", options.message_root),
        ("sender", options.sender),
        ("receiver", options.receiver),
        ("authorOrPerformer/assignedPerson/id@root", options.performer.id_root if options.performer else None),
        ("authorOrPerformer/assignedPerson/representedOrganization", getattr(options.performer_unit, "oid", None)),
    ):
        if oid is not None:
            try:
                check_oid(oid)
            except ValueError:
                raise _fail(source, place, "not an OID") from None


def _option_error(name: str, message: str) -> InputError:
    return InputError([Problem("options", name, message, "cda.frame")])


def _created_option(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _option_error("--created", "not an ISO 8601 time (e.g. 2026-07-17T13:06:54+03:00)") from None
    if moment.utcoffset() is None:
        raise _option_error("--created", "the time needs a zone offset (e.g. +03:00)")
    return moment


def options_from(values: dict[str, Any], source: str = "options") -> FrameOptions:
    """FrameOptions from the `cda frame` command's options (names as on the command line, without `--`);
    errors name the option, never its value."""
    from sosmeta.generators.cda.envelope import load_organisation

    def get(name: str) -> Any:
        return values.get(name) or None

    performer = None
    if get("performer_id"):
        root = get("performer_id_root") or cs.HETU_OID
        if root == cs.HETU_OID and hetu_problem(values["performer_id"]) in (HETU_FORMAT, HETU_DATE, HETU_CHECKSUM):
            raise _option_error(
                "--performer-id", "not a personal identity code (give --performer-id-root for another id)"
            )
        given = tuple(values.get("performer_given") or ())
        performer = Person(values["performer_id"], root, given, get("performer_family"))
    elif get("performer_given") or get("performer_family") or get("performer_id_root"):
        raise _option_error("--performer-id", "the user's name or id root needs the user's id too")
    unit = Unit(values["performer_unit"], get("performer_unit_name")) if get("performer_unit") else None
    options = FrameOptions(
        processing_mode=get("mode") or "T",
        message_root=get("message_id"),
        message_number=get("message_number"),
        created=_created_option(values["created"]) if get("created") else None,
        sender=get("sender"),
        receiver=get("receiver") or cs.KANTA_RECEIVER,
        use_situation=get("use_situation") or cs.DEFAULT_USE_SITUATION,
        performer=performer,
        performer_type=get("performer_type") or "PRF",
        performer_unit=unit,
        organisation=load_organisation(values["org_file"]) if get("org_file") else None,
    )
    for name, text in (("--message-number", options.message_number), ("--use-situation", options.use_situation)):
        if text is not None and not _TOKEN.match(text):
            raise _option_error(name, "not a code (1-64 letters, digits, '.', '-' or '_')")
    check_options(options, source)
    return options


def default_message_number(document_id: str, version: str, created: str) -> str:
    """A message number that is the same for the same document version and time, and differs otherwise (a
    record system numbering its own messages passes its number instead)."""
    digest = hashlib.sha256(f"{document_id}|{version}|{created}".encode()).hexdigest()
    return str(int(digest[:13], 16))


def frame(
    cda: bytes, options: FrameOptions | None = None, source: str = "document", limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """The frame (UTF-8 XML bytes, deterministic) for the CDA document `cda`, read safely."""
    options = options or FrameOptions()
    check_options(options, source)
    return frame_of(parse_safely(cda, source, limits), options, source, checked=True)


def frame_of(
    document: etree._Element, options: FrameOptions | None = None, source: str = "document", checked: bool = False
) -> bytes:
    """The frame for a ClinicalDocument tree in hand (the one `codec.encode` has just built, which its `signer`
    hook hands over, or a parsed one): the same bytes as `frame` of that tree's serialization, without reading
    the document again. `checked`: the options were checked already (once per run, not per document)."""
    from sosmeta.generators.cda.package import document_content_id

    options = options or FrameOptions()
    if not checked:
        check_options(options, source)
    if local(document) != "ClinicalDocument":
        raise CdaInputError([Problem(source, "/", "the root element is not a ClinicalDocument", "cda.root")])
    doc = Lookup(document)
    document_id = doc.attr("id", "root")
    if not document_id:
        raise _fail(source, "/ClinicalDocument/id", "the document has no id@root, which the frame must repeat")
    created = creation_time(doc, options, source)
    from_file = options.organisation.oid if options.organisation else None
    sender = options.sender or from_file or doc.attr(f"{CUSTODIAN}/id", "root")
    if not sender:
        raise _fail(source, "custodian", "no sender: the document names no custodian (give the sender)")
    version = doc.attr("versionNumber", "value") or ""
    number = options.message_number or default_message_number(document_id, version, created)

    performer = options.performer or _document_author(doc)
    unit = _performer_unit(options, doc) if performer is not None else None
    group = doc.attr(f"{LSH}/documentGroup", "code")
    root = copy.deepcopy(_message_start(options, options.message_root or sender, sender, group, performer, unit))
    root[0].set("extension", number)
    root[1].set("value", created)
    _clinical_document(root[-1][-1][0], doc, performer, options.content_id or document_content_id(document_id))
    message: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return message


@lru_cache(maxsize=256)
def _message_start(
    options: FrameOptions,
    message_root: str,
    sender: str,
    group: str | None,
    performer: Person | None,
    unit: Unit | None,
) -> etree._Element:
    """The message up to subject/clinicalDocument's typeId, with an empty message number and creation time: the same for
    every document with the same options, sender, document group and sending user (a run frames thousands of
    those), so it is made once and copied (one call into lxml instead of some thirty)."""
    root = etree.Element(MESSAGE, {"ITSVersion": "XML_1.0"}, nsmap={None: V3})
    _sub(root, "id", root=message_root, extension="")
    _sub(root, "creationTime", value="")
    if options.version_code:
        _sub(root, "versionCode", code=options.version_code)
    _sub(root, "interactionId", extension=cs.MESSAGE_TYPE, root=cs.INTERACTION.oid)
    _sub(root, "processingCode", code=cs.PROCESSING_CODE)
    _sub(root, "processingModeCode", code=options.processing_mode)
    _sub(root, "acceptAckCode", code=cs.ACCEPT_ACK)
    _device(root, "receiver", "RCV", options.receiver)
    _device(root, "sender", "SND", sender)
    act = _sub(root, "controlActProcess", classCode="CACT", moodCode="EVN")
    _sub(act, "code", cs.CONTROL_ACT.attributes())
    _sub(act, "priorityCode", code=cs.PRIORITY)
    _sub(act, "reasonCode", cs.service_request_for(group).attributes())
    _sub(act, "reasonCode", cs.use_situation(options.use_situation).attributes())
    if performer is not None and unit is not None:
        _performer(act, performer, options, unit)
    subject = _sub(_sub(act, "subject"), "clinicalDocument", classCode="DOCCLIN", moodCode="EVN")
    _sub(subject, "realmCode", code="FI")
    _sub(subject, "typeId", extension="POCD_HD000040", root="2.16.840.1.113883.1.3")
    return root


def creation_time(doc: Lookup, options: FrameOptions, source: str) -> str:
    """The frame's creationTime: the option, else the social header's creation time, else the effective time."""
    if options.created is not None:
        if options.created.utcoffset() is None:
            raise _fail(source, "creationTime", "the creation time needs a zone offset")
        return options.created.strftime("%Y%m%d%H%M%S%z")
    created = doc.attr(f"{LSH}/creationTime", "value") or doc.attr("effectiveTime", "value")
    if not created:
        raise _fail(source, "localSocialHeader/creationTime", "the document has no creation time (give one)")
    return created


def _document_author(doc: Lookup) -> Person | None:
    """The document's author as the sending user, when it has an id with an extension (not nullFlavor)."""
    author = doc.first(f"{AUTHOR}/assignedAuthor")
    ident = first_below(author, "id")
    if ident is None or not ident.get("extension") or not ident.get("root"):
        return None
    name = first_below(author, "assignedPerson/name")
    given = tuple(t for e in below(name, "given") if (t := _text(e)))
    family = _text(first_below(name, "family"))
    return Person(id=ident.get("extension", ""), id_root=ident.get("root", ""), given=given, family=family)


def _name(parent: etree._Element, person: Person) -> None:
    name = _sub(parent, "name")
    if person.family:
        _sub(name, "family").text = person.family
    for given in person.given:
        _sub(name, "given").text = given


def _performer_unit(options: FrameOptions, doc: Lookup) -> Unit:
    unit = options.performer_unit or _document_unit(doc) or _file_unit(options.organisation)
    if unit is None:
        unit = Unit(doc.attr(f"{CUSTODIAN}/id", "root") or "", _text(doc.first(f"{CUSTODIAN}/name")))
    return unit


def _performer(act: etree._Element, person: Person, options: FrameOptions, unit: Unit) -> None:
    assigned = _sub(_sub(act, "authorOrPerformer", typeCode=options.performer_type), "assignedPerson")
    _sub(assigned, "id", extension=person.id, root=person.id_root)
    _name(_sub(assigned, "assignedPerson"), person)
    if unit.oid:
        organisation = _sub(assigned, "representedOrganization")
        _sub(organisation, "id", root=unit.oid)
        if unit.name:
            _sub(organisation, "name").text = unit.name


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext()).strip() or None


def _document_unit(doc: Lookup) -> Unit | None:
    oid = doc.attr(f"{SERVICE_UNIT}/id", "root")
    return Unit(oid, _text(doc.first(f"{SERVICE_UNIT}/name"))) if oid else None


def _file_unit(organisation: OrganisationFile | None) -> Unit | None:
    if organisation is None or len(organisation.service_units) != 1:
        return None
    unit = organisation.service_units[0]
    return Unit(unit.oid, unit.name.fi)


def _copy_if(parent: etree._Element, doc: Lookup, path: str, name: str | None = None) -> None:
    for element in doc.all(path):
        copy_v3(parent, element, name)


def _clinical_document(subject: etree._Element, doc: Lookup, performer: Person | None, cid: str) -> None:
    """subject/clinicalDocument in V3 model style after its realmCode and typeId, its values copied from the
    document."""
    _copy_if(subject, doc, "id")
    registry = doc.first(f"{LSH}/registryType")
    if registry is not None and registry.get("code"):
        copy_v3(subject, registry, "code")
    else:
        _sub(subject, "code", cs.DEFAULT_REGISTRY.attributes())
    text = _sub(subject, "text", mediaType=cs.PACKAGE_MEDIA_TYPE)
    _sub(text, "reference", value=f"cid:{cid}")
    _sub(subject, "statusCode", code=cs.STATUS)
    for name in ("effectiveTime", "confidentialityCode", "languageCode", "setId", "versionNumber"):
        _copy_if(subject, doc, name)
    _sub(subject, "completionCode", cs.COMPLETED.attributes())
    _sub(subject, "storageCode", cs.ACTIVE.attributes())
    _record_target(subject, doc)
    _author(subject, doc, performer)
    custodian = _sub(_sub(subject, "custodian", typeCode="CST"), "assignedCustodian", classCode="ASSIGNED")
    organisation = _sub(custodian, "representedOrganization", classCode="ORG", determinerCode="INSTANCE")
    _copy_if(organisation, doc, f"{CUSTODIAN}/id")
    _copy_if(organisation, doc, f"{CUSTODIAN}/name")
    _encounter(subject, doc)


def _record_target(subject: etree._Element, doc: Lookup) -> None:
    patient = _sub(_sub(subject, "recordTarget", typeCode="RCT"), "patient", classCode="PAT")
    _copy_if(patient, doc, f"{PATIENT_ROLE}/id")
    _sub(patient, "statusCode", code=cs.PATIENT_STATUS)
    person = _sub(patient, "patientPerson", classCode="PSN", determinerCode="INSTANCE")
    for name in ("name", "administrativeGenderCode", "birthTime"):
        _copy_if(person, doc, f"{PATIENT_ROLE}/patient/{name}")


def _author(subject: etree._Element, doc: Lookup, performer: Person | None) -> None:
    """The frame's author is the user who sends (as in the sample traffic, where the frame's author id is the
    user's identity code even when the document's author is a registration number or nullFlavor)."""
    author = _sub(subject, "author", typeCode="AUT")
    time = doc.first(f"{AUTHOR}/time")
    if time is not None:
        copy_v3(author, time)
    else:
        _sub(author, "time", nullFlavor="NA")
    assigned = _sub(author, "assignedAuthor", classCode="ASSIGNED")
    if performer is not None:
        _sub(assigned, "id", extension=performer.id, root=performer.id_root)
        _name(_sub(assigned, "assignedPerson", classCode="PSN", determinerCode="INSTANCE"), performer)
        return
    _copy_if(assigned, doc, f"{AUTHOR}/assignedAuthor/id")
    name = doc.first(f"{AUTHOR}/assignedAuthor/assignedPerson/name")
    if name is not None:
        copy_v3(_sub(assigned, "assignedPerson", classCode="PSN", determinerCode="INSTANCE"), name)


def _encounter(subject: etree._Element, doc: Lookup) -> None:
    """componentOf/encounterEvent only when the document's case has an id with a root (the sample's case id is
    nullFlavor and its frame has no componentOf)."""
    ids = [e for e in doc.all(f"{ENCOUNTER}/id") if e.get("root")]
    if not ids:
        return
    event = _sub(_sub(subject, "componentOf"), "encounterEvent", classCode="ENC", moodCode="EVN")
    for ident in ids:
        copy_v3(event, ident)
    _copy_if(event, doc, f"{ENCOUNTER}/effectiveTime")


def has_performer(frame_xml: bytes) -> bool:
    """Whether a frame names the sending user (authorOrPerformer)."""
    root = parse_safely(frame_xml, "frame")
    return find(root, "controlActProcess/authorOrPerformer") is not None


# ---- reading a frame (any vendor's) ---------------------------------------------------------------------------------
Fields = dict[str, object]


def _clean(fields: Fields) -> Fields:
    """Without the fields a frame does not have (None, empty lists and objects)."""
    return {k: v for k, v in fields.items() if v not in (None, [], {})}


def _ii(element: etree._Element | None) -> Fields | None:
    if element is None:
        return None
    return _clean(
        {"root": element.get("root"), "extension": element.get("extension"), "null": element.get("nullFlavor")}
    )


def _code(element: etree._Element | None) -> Fields | None:
    if element is None:
        return None
    keys = (("code", "code"), ("system", "codeSystem"), ("system_name", "codeSystemName"), ("display", "displayName"))
    return _clean({key: element.get(name) for key, name in keys} | {"null": element.get("nullFlavor")})


def _value(element: etree._Element | None, name: str = "value") -> str | None:
    return element.get(name) if element is not None else None


def _person_name(element: etree._Element | None) -> Fields | None:
    if element is None:
        return None
    parts: dict[str, list[object]] = {}
    for part in element:
        if isinstance(part.tag, str):
            value = _text(part)
            entry: object = {"value": value, "qualifier": part.get("qualifier")} if part.get("qualifier") else value
            parts.setdefault(local(part), []).append(entry)
    return _clean(dict(parts))


def _organisation(element: etree._Element | None) -> Fields | None:
    if element is None:
        return None
    return _clean({"ids": [_ii(e) for e in find_all(element, "id")], "name": _text(find(element, "name"))})


def read_frame(root: etree._Element) -> Fields:
    """The frame's own fields as JSON-ready data (frame.json of `cda decode`); what a frame lacks is left out."""
    act = find(root, "controlActProcess")
    reasons = {r.get("codeSystem"): r for r in find_all(act, "reasonCode")} if act is not None else {}
    assigned = find(act, "authorOrPerformer/assignedPerson")
    subject = find(act, "subject/clinicalDocument")
    patient = find(subject, "recordTarget/patient")
    author = find(subject, "author")
    performer = None
    if assigned is not None:
        performer = _clean(
            {
                "type": attr(act, "authorOrPerformer", "typeCode"),
                "ids": [_ii(e) for e in find_all(assigned, "id")],
                "name": _person_name(find(assigned, "assignedPerson/name")),
                "unit": _organisation(find(assigned, "representedOrganization")),
            }
        )
    document = None
    if subject is not None:
        document = _clean(
            {
                "ids": [_ii(e) for e in find_all(subject, "id")],
                "register": _code(find(subject, "code")),
                "text_media_type": attr(subject, "text", "mediaType"),
                "text_reference": attr(subject, "text/reference", "value"),
                "status": attr(subject, "statusCode", "code"),
                "effective_time": attr(subject, "effectiveTime", "value"),
                "confidentiality": _code(find(subject, "confidentialityCode")),
                "language": attr(subject, "languageCode", "code"),
                "set_id": _ii(find(subject, "setId")),
                "version_number": attr(subject, "versionNumber", "value"),
                "completion": _code(find(subject, "completionCode")),
                "storage": _code(find(subject, "storageCode")),
                "patient": _clean(
                    {
                        "ids": [_ii(e) for e in find_all(patient, "id")] if patient is not None else [],
                        "status": attr(patient, "statusCode", "code"),
                        "name": _person_name(find(patient, "patientPerson/name")),
                        "sex": _code(find(patient, "patientPerson/administrativeGenderCode")),
                        "birth_time": attr(patient, "patientPerson/birthTime", "value"),
                    }
                ),
                "author": _clean(
                    {
                        "time": _ii(find(author, "time")) if find(author, "time") is not None else None,
                        "ids": [_ii(e) for e in find_all(author, "assignedAuthor/id")] if author is not None else [],
                        "name": _person_name(find(author, "assignedAuthor/assignedPerson/name")),
                    }
                ),
                "custodian": _organisation(find(subject, "custodian/assignedCustodian/representedOrganization")),
                "encounter": _clean(
                    {
                        "ids": [_ii(e) for e in find_all(subject, "componentOf/encounterEvent/id")],
                        "effective_time": attr(subject, "componentOf/encounterEvent/effectiveTime", "value"),
                    }
                ),
            }
        )
    return _clean(
        {
            "id": _ii(find(root, "id")),
            "creation_time": attr(root, "creationTime", "value"),
            "version_code": attr(root, "versionCode", "code"),
            "interaction_id": _ii(find(root, "interactionId")),
            "processing_code": attr(root, "processingCode", "code"),
            "processing_mode": attr(root, "processingModeCode", "code"),
            "accept_ack": attr(root, "acceptAckCode", "code"),
            "receiver": attr(root, "receiver/device/id", "root"),
            "sender": attr(root, "sender/device/id", "root"),
            "control_act": _code(find(act, "code")),
            "priority": attr(act, "priorityCode", "code"),
            "service_request": _code(reasons.get(cs.SERVICE_REQUEST.oid)),
            "use_situation": _code(reasons.get(cs.USE_SITUATION.oid)),
            "performer": performer,
            "document": document,
        }
    )
