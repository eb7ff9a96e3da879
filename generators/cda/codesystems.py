"""The code systems and fixed codes of Kanta's archive traffic, as data: what the frame writes and what
`cda check` expects at every coded place of a document and its frame.

Facts from ../shared/docs/kanta-cda.md ("What real traffic shows" wins over the older tables): the OIDs are
published, the code system names and display names are the ones the sample traffic carries (a name the samples
do not show is None and is never invented). Paths are local element names from the root (`ClinicalDocument` or
`RCMR_IN200002FI01`), read whatever the namespace prefix (see `localnames`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeSystem:
    oid: str
    name: str | None = None
    """codeSystemName as the sample traffic writes it; None where no sample shows one."""


DOCUMENT_TYPE = CodeSystem("1.2.246.537.6.1506.201701")  # Asiakasasiakirjatyyppi (general and specific)
CONFIDENTIALITY = CodeSystem("1.2.246.777.5.99902.2006", "KanTa-palvelut - Asiakirjan luottamuksellisuus")
SEX = CodeSystem("1.2.246.537.5.1.1997", "AR/YDIN - Sukupuoli")
MINOR_DISCLOSURE = CodeSystem("1.2.246.537.6.1286.201901")
SERVICE_TASK = CodeSystem("1.2.246.537.6.1221.201601")  # Palvelutehtävä
PROCESS_PHASE = CodeSystem("1.2.246.537.6.1277.201701")
DOCUMENT_GROUP = CodeSystem("1.2.246.537.6.1505.201601", "Sosiaalihuolto - Asiakirjaryhmä")
FILE_FORMAT = CodeSystem("1.2.246.537.6.1502.201601", "Sosiaalihuolto - Asiakirjan näyttömuodon formaatti")
STRUCTURED_FORMAT = CodeSystem("1.2.246.537.5.40179.2008", "eArkisto - Asiakirjan tiedostomuoto")
RECORD_STATUS = CodeSystem("1.2.246.537.5.40154.2008", "eArkisto - Asiakirjan valmistumisen tila")
REGISTRY = CodeSystem("1.2.246.537.6.1264.201701", "Sosiaalihuolto - Asiakirjan rekisteritunnus")
RETENTION = CodeSystem("1.2.246.537.6.1258.201601", "Sosiaalihuolto - asiakirjan kokonaissäilytysaika")
SPECIAL_CONTENT = CodeSystem("1.2.246.537.6.112.2007", "AR/YDIN - Kyllä/EI/Ei tietoa")
INACCESSIBLE = CodeSystem("1.2.246.537.6.1288.201901")
SIGNATURE_TYPE = CodeSystem("1.2.246.537.5.40127.2006", "KanTa-palvelut - Sähköisen allekirjoituksen tyyppi")
AUTHENTICATION = CodeSystem("1.2.246.537.5.40128.2006")
SERVICE_REQUEST = CodeSystem("1.2.246.537.6.1503.201601", "Sosiaalihuolto - Arkistosanomien palvelupyynnöt")
USE_SITUATION = CodeSystem("1.2.246.537.6.1289.201901", "Sosiaalihuolto - Asiakastiedon arkiston käyttötilanne")
COMPLETION = CodeSystem("1.2.246.537.5.40115.2006", "KanTa-palvelut - Dokumentin valmiusaste")
STORAGE = CodeSystem("1.2.246.537.5.40116.2006", "KanTa-palvelut - Dokumentin arkistointikoodi (DocumentStorage)")
TRIGGER_EVENT = CodeSystem("2.16.840.1.113883.1.18")  # HL7 trigger event ids
INTERACTION = CodeSystem("2.16.840.1.113883.1.6")  # HL7 interaction ids

HETU_OID = "1.2.246.21"
"""Personal identity codes (henkilötunnus): the client's id and, in the frame, the user's."""
KANTA_RECEIVER = "1.2.246.556.18007.2"
"""receiver/device/id@root of the sample frame: Kanta's archive."""


@dataclass(frozen=True)
class FixedCode:
    code: str
    system: CodeSystem | None = None
    display: str | None = None

    def attributes(self) -> dict[str, str]:
        """@code, @codeSystem, @codeSystemName, @displayName as far as known, in the sample's order."""
        out = {"code": self.code}
        if self.system is not None:
            out["codeSystem"] = self.system.oid
            if self.system.name:
                out["codeSystemName"] = self.system.name
        if self.display:
            out["displayName"] = self.display
        return out


# ---- the frame (RCMR_IN200002FI01) --------------------------------------------------------------------------------
MESSAGE_TYPE = "RCMR_IN200002FI01"
VERSION_CODE = "V3-2006"
PROCESSING_CODE = "D"
PROCESSING_MODES = ("T", "P")
ACCEPT_ACK = "ER"
CONTROL_ACT = FixedCode("RCMR_TE000102UV01", TRIGGER_EVENT)
PRIORITY = "R"
STATUS = "COMPLETED"
COMPLETED = FixedCode("LA", COMPLETION, "Legally authenticated")
ACTIVE = FixedCode("AC", STORAGE, "Active")
DEFAULT_REGISTRY = FixedCode("1", REGISTRY, "Sosiaalihuollon asiakasrekisteri")
PATIENT_STATUS = "normal"
PACKAGE_MEDIA_TYPE = "multipart/related"
PERFORMER_TYPES = ("PRF", "AUT")

CLIENT_RELATIONSHIP_GROUP = "1"
"""documentGroup code of the client-relationship document (asiakkuusasiakirja)."""
SERVICE_REQUESTS = {
    "client_relationship": FixedCode("SP1", SERVICE_REQUEST, "Asiakkuusasiakirjan arkistointi"),
    "client_document": FixedCode("SP17", SERVICE_REQUEST),  # the samples show no display name for SP17
}
USE_SITUATIONS = {"1": FixedCode("1", USE_SITUATION, "Palvelunjärjestäjän rekisterin oma käyttö")}
DEFAULT_USE_SITUATION = "1"


def service_request_for(document_group: str | None) -> FixedCode:
    """SP1 for the client-relationship document group, SP17 (archive a client document) otherwise."""
    key = "client_relationship" if document_group == CLIENT_RELATIONSHIP_GROUP else "client_document"
    return SERVICE_REQUESTS[key]


def use_situation(code: str) -> FixedCode:
    """The use situation code with its display name where the samples show one."""
    return USE_SITUATIONS.get(code, FixedCode(code, USE_SITUATION))


# ---- the code system expected at every coded place (for `cda check`) ----------------------------------------------
LSH = "localSocialHeader"
SUBJECT = "controlActProcess/subject/clinicalDocument"

DOCUMENT_CODES: tuple[tuple[str, CodeSystem], ...] = (
    ("code", DOCUMENT_TYPE),
    ("confidentialityCode", CONFIDENTIALITY),
    ("recordTarget/patientRole/patient/administrativeGenderCode", SEX),
    ("authorization/consent/code", MINOR_DISCLOSURE),
    (f"{LSH}/specificDocumentType", DOCUMENT_TYPE),
    (f"{LSH}/functionCode", SERVICE_TASK),
    (f"{LSH}/serviceProcess/code", PROCESS_PHASE),
    (f"{LSH}/documentGroup", DOCUMENT_GROUP),
    (f"{LSH}/fileFormat", FILE_FORMAT),
    (f"{LSH}/structuredFileFormat", STRUCTURED_FORMAT),
    (f"{LSH}/recordStatus", RECORD_STATUS),
    (f"{LSH}/registryType", REGISTRY),
    (f"{LSH}/totalRetentionPeriodClass", RETENTION),
    (f"{LSH}/specialContent", SPECIAL_CONTENT),
    (f"{LSH}/inaccessibleArgument", INACCESSIBLE),
    (f"{LSH}/signature/authenticationMethod", AUTHENTICATION),
    (f"{LSH}/signatureCollection/signature/signatureDescription", SIGNATURE_TYPE),
)
"""(path below ClinicalDocument, expected code system) for every coded header place kanta-cda.md names."""

FRAME_CODES: tuple[tuple[str, CodeSystem], ...] = (
    ("controlActProcess/code", TRIGGER_EVENT),
    (f"{SUBJECT}/code", REGISTRY),
    (f"{SUBJECT}/confidentialityCode", CONFIDENTIALITY),
    (f"{SUBJECT}/completionCode", COMPLETION),
    (f"{SUBJECT}/storageCode", STORAGE),
    (f"{SUBJECT}/recordTarget/patient/patientPerson/administrativeGenderCode", SEX),
)
"""(path below RCMR_IN200002FI01, expected code system); the two reasonCodes are told apart by their system."""
REASON_SYSTEMS = (SERVICE_REQUEST, USE_SITUATION)
