"""The one place that says how the envelope maps to CDA R2 XML: namespaces, OIDs, code systems, element paths.

`HEADER` is a table, in document order, of every header item: the envelope field it carries, the element path
below `ClinicalDocument`, where the value sits (text or an attribute), how it is converted, its code system and
whether the placement is published (`public=False` marks our own choice where Kanta's social-welfare variant is
not public: the replacement reason's code system, nullification). The encoder builds the header from this table
in order (so the order is the XSD order and the sample traffic's), and the decoder reads every item back by the
same paths, so the two directions cannot drift apart and optional parts may come in any order when reading.
Header parts without an item are kept verbatim by their place (`verbatim`, the envelope's `extra_header`).

Path syntax: steps separated by `/`; `fi:` marks the `urn:hl7finland` namespace, other steps are HL7 v3;
`[@a='v']` predicates are fixed attributes, written when the element is created and matched when reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sosmeta.structures import identifiers

V3 = "urn:hl7-org:v3"
HL7FI = "urn:hl7finland"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XHTML = "http://www.w3.org/1999/xhtml"
XINCLUDE = "http://www.w3.org/2001/XInclude"
NSMAP = {None: V3, "hl7fi": HL7FI}
XPATH_NS = {"v3": V3, "fi": HL7FI, "x": XHTML}

# ---- identifiers and code systems (kanta-cda.md) ----------------------------------------------------------------
HETU_OID = identifiers.HETU_OID  # henkilötunnus
PROFESSIONAL_OID = "1.2.246.537.26"  # Valvira registration number
DOCUMENT_TYPE_SYSTEM = "1.2.246.537.6.1506.201701"  # Asiakasasiakirjatyyppi (general and specific type)
CONFIDENTIALITY_SYSTEM = "1.2.246.777.5.99902.2006"
SEX_SYSTEM = "1.2.246.537.5.1.1997"
MINOR_DISCLOSURE_SYSTEM = "1.2.246.537.6.1286.201901"
SERVICE_TASK_SYSTEM = "1.2.246.537.6.1221.201601"  # Palvelutehtävä
PROCESS_PHASE_SYSTEM = "1.2.246.537.6.1277.201701"
DOCUMENT_GROUP_SYSTEM = "1.2.246.537.6.1505.201601"  # Asiakirjaryhmä
FILE_FORMAT_SYSTEM = "1.2.246.537.6.1502.201601"
STRUCTURED_FORMAT_SYSTEM = "1.2.246.537.5.40179.2008"
RECORD_STATUS_SYSTEM = "1.2.246.537.5.40154.2008"
REGISTRY_TYPE_SYSTEM = "1.2.246.537.6.1264.201701"
RETENTION_SYSTEM = "1.2.246.537.6.1258.201601"
SPECIAL_CONTENT_SYSTEM = "1.2.246.537.6.112.2007"
INACCESSIBLE_SYSTEM = "1.2.246.537.6.1288.201901"
AUTHENTICATION_SYSTEM = "1.2.246.537.5.40128.2006"  # Tunnistautumistapa (the signer's authentication)
CDA_TYPE_ID = ("2.16.840.1.113883.1.3", "POCD_HD000040")

# Sosmeta definition OIDs: 1.2.246.537.6.1506.{specific type}.Y.M.D and 1.2.246.537.6.1505.{group}.Y.M.D.
SPECIFIC_TYPE_ARC = re.compile(r"^1\.2\.246\.537\.6\.1506\.(?P<code>[0-9]+)\.[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}$")
GROUP_ARC = re.compile(r"^1\.2\.246\.537\.6\.1505\.(?P<code>[0-9]+)\.[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}$")
# General document type (Asiakasasiakirjatyyppi) by the structure's documentType name: only what is published.
# The code is never derived from the specific type's digits; unknown names need the code from the envelope.
GENERAL_TYPES: dict[str, str] = {"Suunnitelma": "15"}
# Structures whose document has no general type (`code nullFlavor="NA"`): the client-relationship document.
NO_GENERAL_TYPE = frozenset({"Asiakkuusasiakirja"})

# Fixed defaults of the envelope (kanta-cda.md): 6 = social welfare, confidential; 3 = ready for archiving;
# 1 = social welfare client register; XHTML 1.1 display form and JSON structured form.
DEFAULT_CONFIDENTIALITY = "6"
DEFAULT_RECORD_STATUS = "3"
DEFAULT_REGISTRY_TYPE = "1"
FILE_FORMAT_XHTML = "2"
STRUCTURED_FORMAT_JSON = "5"

# ---- the body -------------------------------------------------------------------------------------------------
BODY_ID_PREFIX = "OID"  # nonXMLBody/@ID and the display form's div/@id are "OID" + document id
DISPLAY_MEDIA_TYPE = "application/xhtml+xml"
JSON_ELEMENT = "json"  # hl7fi:json inside nonXMLBody, base64 of the UTF-8 JSON (representation TXT also read)

Conv = Literal["str", "int", "ts", "date", "code", "ke", "lang", "fixed", "text_or_code", "xml"]
"""How a value is written: `str` text, `int`, `ts` time stamp, `date`, `code` (code, codeSystem, codeSystemName,
displayName), `ke` K/E (a boolean, or a code K/E with its texts), `lang` the language code, `fixed` an element the
table writes itself, `text_or_code` free text or a code, `xml` an element kept verbatim (XML text)."""


@dataclass(frozen=True)
class Item:
    """One header item: envelope field (dotted) -> element path, value place, conversion, code system."""

    field: str | None
    path: str
    attr: str | None = None
    """None: the element's text; else the attribute holding the value (ignored for codes)."""
    conv: Conv = "str"
    system: str | None = None
    """Code system OID written as @codeSystem for codes; None when not published (taken from the value)."""
    repeat: bool = False
    when: tuple[str, ...] = ()
    """Fixed items: written when any of these fields is set (`!field`: when it is not set). Items with `na`: the
    nullFlavor is written for a missing value only when this holds (empty: always)."""
    na: bool = False
    """A missing value is written as `nullFlavor="NA"` (and read back as missing)."""
    text: str | None = None
    """Fixed items: the element's text."""
    read_attr: str | None = None
    """A text item also read from this attribute when the element has no text (an older spelling)."""
    public: bool = True
    note: str = ""


LSH = "fi:localSocialHeader"
ENC = "componentOf/encompassingEncounter"
ENCOUNTER_FIELDS = ("case_id", "service_organiser", "service_unit")
SERVICE_PROCESS_TYPE = "Sosiaalihuollon palveluprosessi"  # fixed in Kanta's schema (vendor traffic)

# Document order. The localSocialHeader order is the one of the sample traffic (kanta-cda.md, "What real traffic
# shows": the 15007 and the client-relationship documents, which never disagree); reasonOfCorrection goes where a
# vendor template has it (after inaccessibleArgument, before signature), nullification (ours) after it.
HEADER: tuple[Item, ...] = (
    Item(None, "realmCode[@code='FI']", conv="fixed"),
    Item(None, f"typeId[@root='{CDA_TYPE_ID[0]}'][@extension='{CDA_TYPE_ID[1]}']", conv="fixed"),
    Item("document_id", "id", "root"),
    Item("general_type", "code", conv="code", system=DOCUMENT_TYPE_SYSTEM, na=True),
    Item("title", "title"),
    Item("drafting_time", "effectiveTime", "value", "ts"),
    Item("confidentiality", "confidentialityCode", conv="code", system=CONFIDENTIALITY_SYSTEM),
    Item("language", "languageCode", "code", "lang", note="written as language_code when that is given"),
    Item("set_id", "setId", "root"),
    Item("version_number", "versionNumber", "value", "int"),
    Item("client.id_root", "recordTarget/patientRole/id", "root"),
    Item("client.id", "recordTarget/patientRole/id", "extension"),
    Item("client.given", "recordTarget/patientRole/patient/name/given"),
    Item("client.family", "recordTarget/patientRole/patient/name/family"),
    Item("client.sex", "recordTarget/patientRole/patient/administrativeGenderCode", conv="code", system=SEX_SYSTEM),
    Item("client.birth_time", "recordTarget/patientRole/patient/birthTime", "value", "date"),
    Item("author.time", "author/time", "value", "ts", na=True),
    Item("author.registration_id", f"author/assignedAuthor/id[@root='{PROFESSIONAL_OID}']", "extension"),
    Item(None, "author/assignedAuthor/id[@nullFlavor='NA']", conv="fixed", when=("!author.registration_id",)),
    Item("author.given", "author/assignedAuthor/assignedPerson/name/given"),
    Item("author.family", "author/assignedAuthor/assignedPerson/name/family"),
    Item("register_keeper.oid", "custodian/assignedCustodian/representedCustodianOrganization/id", "root"),
    Item("register_keeper.name", "custodian/assignedCustodian/representedCustodianOrganization/name"),
    Item(
        "replaces",
        "relatedDocument[@typeCode='RPLC']/parentDocument/id",
        "root",
        note="id of the version this one replaces (standard CDA replacement)",
    ),
    Item("minor_disclosure", "authorization/consent/code", conv="code", system=MINOR_DISCLOSURE_SYSTEM),
    Item(None, "authorization/consent/statusCode[@code='completed']", conv="fixed", when=("minor_disclosure",)),
    Item("case_id", f"{ENC}/id", "root", na=True, when=ENCOUNTER_FIELDS[1:]),
    Item(None, f"{ENC}/effectiveTime[@nullFlavor='NA']", conv="fixed", when=ENCOUNTER_FIELDS),
    Item(
        None, f"{ENC}/responsibleParty/assignedEntity/id[@nullFlavor='NA']", conv="fixed", when=("service_organiser",)
    ),
    Item("service_organiser.oid", f"{ENC}/responsibleParty/assignedEntity/representedOrganization/id", "root"),
    Item("service_organiser.name", f"{ENC}/responsibleParty/assignedEntity/representedOrganization/name"),
    Item(
        None,
        f"{ENC}/encounterParticipant[@typeCode='ADM']/assignedEntity/id[@nullFlavor='NA']",
        conv="fixed",
        when=("service_unit",),
    ),
    Item(
        "service_unit.oid",
        f"{ENC}/encounterParticipant[@typeCode='ADM']/assignedEntity/representedOrganization/id",
        "root",
    ),
    Item(
        "service_unit.name", f"{ENC}/encounterParticipant[@typeCode='ADM']/assignedEntity/representedOrganization/name"
    ),
    Item("specific_type", f"{LSH}/fi:specificDocumentType", conv="code", system=DOCUMENT_TYPE_SYSTEM),
    Item("creation_time", f"{LSH}/fi:creationTime", "value", "ts"),
    Item("document_group", f"{LSH}/fi:documentGroup", conv="code", system=DOCUMENT_GROUP_SYSTEM),
    Item("file_format", f"{LSH}/fi:fileFormat", conv="code", system=FILE_FORMAT_SYSTEM),
    Item("structured_format", f"{LSH}/fi:structuredFileFormat", conv="code", system=STRUCTURED_FORMAT_SYSTEM),
    Item("software.moderator", f"{LSH}/fi:softwareSupport", "moderator"),
    Item("software.product", f"{LSH}/fi:softwareSupport", "product"),
    Item("software.version", f"{LSH}/fi:softwareSupport", "version"),
    Item("service_task", f"{LSH}/fi:functionCode", conv="code", system=SERVICE_TASK_SYSTEM),
    Item("ready_state", f"{LSH}/fi:recordStatus", conv="code", system=RECORD_STATUS_SYSTEM),
    Item("registry", f"{LSH}/fi:registryType", conv="code", system=REGISTRY_TYPE_SYSTEM),
    Item("outsourcing_customer.oid", f"{LSH}/fi:outsourcingServiceCustomer", "root"),
    Item("outsourcing_customer.name", f"{LSH}/fi:outsourcingServiceCustomerName"),
    Item("retention_class", f"{LSH}/fi:totalRetentionPeriodClass", conv="code", system=RETENTION_SYSTEM),
    Item("special_content", f"{LSH}/fi:specialContent", "code", "ke", system=SPECIAL_CONTENT_SYSTEM),
    Item(
        "content_specification_id",
        f"{LSH}/fi:contentSpecificationId",
        read_attr="root",
        note="the version OID as element text (real traffic); @root is also read",
    ),
    Item("client_relationship_id", f"{LSH}/fi:encompassingClientRelationship", "root"),
    Item(None, f"{LSH}/fi:serviceProcess/fi:type", conv="fixed", text=SERVICE_PROCESS_TYPE, when=("process_phase",)),
    Item("process_phase", f"{LSH}/fi:serviceProcess/fi:code", conv="code", system=PROCESS_PHASE_SYSTEM),
    Item(
        "authorization_restrictions",
        f"{LSH}/fi:authorizationRestrictionArgument",
        conv="text_or_code",
        repeat=True,
        note="free text in real traffic; a code (its system from the value) is also written and read",
    ),
    Item(
        "inaccessible_arguments", f"{LSH}/fi:inaccessibleArgument", conv="code", system=INACCESSIBLE_SYSTEM, repeat=True
    ),
    Item(
        "replacement_reason",
        f"{LSH}/fi:reasonOfCorrection",
        conv="code",
        public=False,
        note="element and place from a vendor template, code system not published: taken from the value's system",
    ),
    Item(
        "nullification.reason",
        f"{LSH}/fi:nullification/fi:reason",
        conv="code",
        public=False,
        note="not published: our own element; the nullifying version also replaces the nullified one",
    ),
    Item("nullification.time", f"{LSH}/fi:nullification/fi:time", "value", "ts", public=False),
    Item("signature.signer_id", f"{LSH}/fi:signature/fi:assignedAuthorSigner"),
    Item("signature.given", f"{LSH}/fi:signature/fi:signer/fi:name/fi:given"),
    Item("signature.family", f"{LSH}/fi:signature/fi:signer/fi:name/fi:family"),
    Item("signature.method", f"{LSH}/fi:signature/fi:authenticationMethod", conv="code", system=AUTHENTICATION_SYSTEM),
    Item("signature.time", f"{LSH}/fi:signature/fi:time", "value", "ts"),
    Item(
        "signature_collection",
        f"{LSH}/fi:signatureCollection",
        conv="xml",
        note="the XML signatures, kept verbatim (generators/cda/signing.py adds and checks them)",
    ),
)

EXTRA_FIELDS = ("language_code", "extra_header")
"""Envelope fields without an item of their own: the language code as written (`languageCode@code` when it is
not the lower-case `language`) and the header parts the table has no item for (see `verbatim`)."""

# ---- versions (generators/cda/lifecycle.py) ------------------------------------------------------------------------
# Published: a replacement is a new version in the same set (setId = the first version's id) with the next
# versionNumber and relatedDocument typeCode="RPLC" to the replaced version (standard CDA R2), and carries
# reasonOfCorrection (its code system is not published). Not published, so our choice: how a nullification
# (mitätöinti) looks (a next version like a replacement, with the old content, carrying `nullification`), and the
# id a new version gets when none is given.
NEXT_VERSION_ID = "{set_id}.{version_number}"
"""Our choice: the default document id of a new version, an arc below the set id (the first version's id, an OID
the organisation owns); give the id explicitly where the organisation numbers its documents otherwise."""
OWN_TO_A_VERSION = ("signature", "signature_collection")
"""Envelope fields that belong to one version alone and are not carried to the next: its signatures (they sign the
old body). The id, version number and times change anyway; every other field is kept."""

# ---- the archiving message (RCMR_IN200002FI01) ------------------------------------------------------------------
MESSAGE_ROOT = "RCMR_IN200002FI01"
MESSAGE_INTERACTION_ROOT = "2.16.840.1.113883.1.6"
SERVICE_REQUEST_SYSTEM = "1.2.246.537.6.1503.201601"
SERVICE_REQUEST_ARCHIVE = "SP17"  # archive a client document
USE_SITUATION_SYSTEM = "1.2.246.537.6.1289.201901"
COMPLETION_SYSTEM = "1.2.246.537.5.40115.2006"
STORAGE_SYSTEM = "1.2.246.537.5.40116.2006"
# Not published: the codes the frame carries by default (override on the command line).
DEFAULT_COMPLETION_CODE = "AU"
DEFAULT_STORAGE_CODE = "AC"
DEFAULT_STATUS_CODE = "active"
# Header parts the message's subject/clinicalDocument repeats from the document, in this order.
MESSAGE_COPIED_PARTS = ("recordTarget", "author", "custodian", "componentOf")
