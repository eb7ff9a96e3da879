"""The findings of `cda check` and what it expects of a frame, as data: every code with its severity and its
message in fi, sv and en (in the style of `generators.validator.findings`).

A message names the rule; the finding's location (XPath, or XPath `#` JSON pointer inside the body) names the
place. `{param}` is a fact from these tables or `codesystems` (an expected OID, a fixed code, a place), never a
value of the document or the frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sosmeta.generators.cda import codesystems as cs

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class CheckRule:
    code: str
    severity: Severity
    area: str
    fi: str
    sv: str
    en: str


_RULES = (
    # ---- frame and document agree --------------------------------------------------------------------------------
    CheckRule(
        "check.frame_mismatch", "error", "frame",
        "kehys ja asiakirja eivät täsmää: asiakirjassa on eri arvo kohdassa {param}.",
        "ramen och dokumentet stämmer inte överens: dokumentet har ett annat värde i {param}.",
        "the frame and the document disagree: the document has another value at {param}.",
    ),
    CheckRule(
        "check.frame_differs", "warning", "frame",
        "kehys poikkeaa asiakirjasta kohdassa {param}; sallittua, mutta tarkista että se on tarkoitettu.",
        "ramen avviker från dokumentet i {param}; tillåtet, men kontrollera att det är avsett.",
        "the frame differs from the document at {param}; allowed, but check that it is intended.",
    ),
    CheckRule(
        "check.frame_missing", "error", "frame",
        "kehyksestä puuttuu pakollinen osa {param}.",
        "ramen saknar den obligatoriska delen {param}.",
        "the frame lacks the required part {param}.",
    ),
    CheckRule(
        "check.frame_value", "error", "frame",
        "kehyksen arvon on oltava {param}.",
        "ramens värde ska vara {param}.",
        "the frame's value must be {param}.",
    ),
    CheckRule(
        "check.frame_unusual", "warning", "frame",
        "kehyksen arvo poikkeaa Kannan liikenteestä, jossa se on {param}.",
        "ramens värde avviker från Kantas trafik, där det är {param}.",
        "the frame's value differs from Kanta's traffic, where it is {param}.",
    ),
    CheckRule(
        "check.frame_reference", "error", "frame",
        "kehyksen text-elementti ei viittaa paketin asiakirjaosaan ({param}).",
        "ramens text-element hänvisar inte till paketets dokumentdel ({param}).",
        "the frame's text does not refer to the package's document part ({param}).",
    ),
    # ---- code systems ----------------------------------------------------------------------------------------------
    CheckRule(
        "check.code_system", "error", "codes",
        "koodiston tunnisteen on oltava {param}.",
        "kodsystemets identifierare ska vara {param}.",
        "the code system must be {param}.",
    ),
    # ---- codes against the catalog's stored code lists (preflight_codes.py) ----------------------------------------
    CheckRule(
        "check.code_unknown", "error", "codes",
        "koodia ei ole koodistossa {param}.",
        "koden finns inte i kodsystemet {param}.",
        "the code is not in the code list {param}.",
    ),
    CheckRule(
        "check.code_not_valid", "error", "codes",
        "koodi ei ole voimassa asiakirjan päivämääränä koodistossa {param}.",
        "koden gäller inte på dokumentets datum i kodsystemet {param}.",
        "the code is not valid on the document's date in the code list {param}.",
    ),
    CheckRule(
        "check.code_display", "warning", "codes",
        "displayName ei vastaa koodin nimeä koodistossa {param}.",
        "displayName motsvarar inte kodens namn i kodsystemet {param}.",
        "the displayName does not match the code's name in the code list {param}.",
    ),
    CheckRule(
        "check.code_list_version", "warning", "codes",
        "koodiston versio ei ole tunnettu (tunnetut: {param}); tarkistettu uusimpaan.",
        "kodsystemets version är inte känd (kända: {param}); kontrollerad mot den senaste.",
        "the code list version is not a known one (known: {param}); checked against the newest.",
    ),
    # ---- the structure ---------------------------------------------------------------------------------------------
    CheckRule(
        "check.content_specification", "error", "structure",
        "asiakirja ei nimeä rakennetta: contentSpecificationId puuttuu tai ei ole OID.",
        "dokumentet anger ingen struktur: contentSpecificationId saknas eller är inte en OID.",
        "the document names no structure: contentSpecificationId is missing or not an OID.",
    ),
    CheckRule(
        "check.structure_unknown", "error", "structure",
        "luettelossa ei ole rakenneversiota, jonka contentSpecificationId nimeää.",
        "katalogen har ingen strukturversion som contentSpecificationId anger.",
        "no structure version in the catalog has the OID contentSpecificationId names.",
    ),
    CheckRule(
        "check.specific_type", "error", "structure",
        "specificDocumentType-koodin on oltava rakenteen OID:n mukainen {param}.",
        "specificDocumentType ska vara {param} enligt strukturens OID.",
        "specificDocumentType must be {param}, as in the structure's OID.",
    ),
    CheckRule(
        "check.document_group", "error", "structure",
        "documentGroup-koodin on oltava rakenteen OID:n mukainen {param}.",
        "documentGroup ska vara {param} enligt strukturens OID.",
        "documentGroup must be {param}, as in the structure's OID.",
    ),
    CheckRule(
        "check.unstructured", "warning", "structure",
        "tarkistettu rakenteettomana asiakirjana (vain näyttömuoto): hl7fi:json puuttuu eikä luettelossa ole "
        "rakennetta, jonka contentSpecificationId nimeää; anna --unstructured, jos se on tarkoitettu.",
        "kontrollerat som ostrukturerat dokument (endast visningsform): hl7fi:json saknas och katalogen har ingen "
        "struktur som contentSpecificationId anger; ange --unstructured om det är avsett.",
        "checked as an unstructured document (display form only): there is no hl7fi:json and no structure in the "
        "catalog has the OID contentSpecificationId names; give --unstructured when that is intended.",
    ),
    CheckRule(
        "check.unstructured_json", "error", "json",
        "rakenteettomassa asiakirjassa ei ole rakenteista muotoa (hl7fi:json), mutta tässä on.",
        "ett ostrukturerat dokument har ingen strukturerad form (hl7fi:json), men det här har en.",
        "an unstructured document carries no structured form (hl7fi:json), but this one does.",
    ),
    # ---- the body --------------------------------------------------------------------------------------------------
    CheckRule(
        "check.json_unreadable", "error", "json",
        "rakenteista muotoa (hl7fi:json) ei voi lukea ({param}).",
        "den strukturerade formen (hl7fi:json) kan inte läsas ({param}).",
        "the structured form (hl7fi:json) cannot be read ({param}).",
    ),
    CheckRule(
        "check.oid_spelling", "warning", "json",
        "sama OID ilman etuliitettä urn:oid:, jonka rakenne odottaa ({param}).",
        "samma OID utan prefixet urn:oid:, som strukturen väntar sig ({param}).",
        "the same OID without the urn:oid: prefix the structure expects ({param}).",
    ),
    CheckRule(
        "check.display_form", "error", "display",
        "näyttömuoto ei ole XHTML-muotoinen ({param}).",
        "visningsformen är inte XHTML ({param}).",
        "the display form is not XHTML ({param}).",
    ),
    CheckRule(
        "check.display_id", "error", "display",
        "näyttömuodon juurielementin id:n on oltava nonXMLBody-elementin ID.",
        "visningsformens rotelement ska ha nonXMLBody-elementets ID som id.",
        "the display form's root element must have the nonXMLBody's ID as its id.",
    ),
    CheckRule(
        "check.body_id", "error", "display",
        "nonXMLBody-elementin ID:n on oltava OID ja asiakirjan tunniste.",
        "nonXMLBody-elementets ID ska vara OID följt av dokumentets identifierare.",
        "the nonXMLBody's ID must be OID followed by the document id.",
    ),
    # ---- service request and identities ------------------------------------------------------------------------------
    CheckRule(
        "check.service_request", "error", "service_request",
        "palvelupyynnön on oltava asiakirjaryhmän mukaan {param}.",
        "tjänstebegäran ska vara {param} enligt dokumentgruppen.",
        "the service request must be {param} for the document group.",
    ),
    CheckRule(
        "check.real_identity_code", "error", "identities",
        "testisanomassa (processingModeCode T) on oikean henkilön henkilötunnus (yksilönumero 002–899); "
        "käytä testitunnuksia (900–999).",
        "ett testmeddelande (processingModeCode T) innehåller en riktig persons personbeteckning (individnummer "
        "002–899); använd testbeteckningar (900–999).",
        "a real person's identity code (individual number 002–899) in a test message (processingModeCode T); "
        "use test codes (900–999).",
    ),
    CheckRule(
        "check.test_identity_code", "warning", "identities",
        "tuotantosanomassa (processingModeCode P) on testihenkilötunnus (yksilönumero 900–999).",
        "ett produktionsmeddelande (processingModeCode P) innehåller en testbeteckning (individnummer 900–999).",
        "a test identity code (individual number 900–999) in a production message (processingModeCode P).",
    ),
    # ---- signatures (the codes of generators.cda.signing.verify) -----------------------------------------------------
    CheckRule(
        "cda.signature.misplaced", "error", "signatures",
        "allekirjoitus {param} on muualla kuin localSocialHeader/signatureCollection/signature.",
        "signatur {param} finns någon annanstans än i localSocialHeader/signatureCollection/signature.",
        "signature {param} is outside localSocialHeader/signatureCollection/signature.",
    ),
    CheckRule(
        "cda.signature.malformed", "error", "signatures",
        "allekirjoitus {param} on puutteellinen tai lukukelvoton (SignedInfo, SignatureValue, aikaleima tai varmenne).",
        "signatur {param} är ofullständig eller oläslig (SignedInfo, SignatureValue, tidsstämpel eller certifikat).",
        "signature {param} is incomplete or unreadable (SignedInfo, SignatureValue, timestamp or certificate).",
    ),
    CheckRule(
        "cda.signature.unsupported_algorithm", "error", "signatures",
        "allekirjoitus {param} käyttää muuta algoritmia kuin exc-c14n, rsa-sha256/384/512 ja sha256/384/512.",
        "signatur {param} använder en annan algoritm än exc-c14n, rsa-sha256/384/512 och sha256/384/512.",
        "signature {param} uses an algorithm other than exc-c14n, rsa-sha256/384/512 and sha256/384/512.",
    ),
    CheckRule(
        "cda.signature.missing_reference", "error", "signatures",
        "allekirjoitus {param} ei viittaa sekä nonXMLBody-elementtiin että omaan aikaleimaansa.",
        "signatur {param} hänvisar inte både till nonXMLBody och till sin egen tidsstämpel.",
        "signature {param} does not reference both the nonXMLBody and its own timestamp.",
    ),
    CheckRule(
        "cda.signature.wrong_reference", "error", "signatures",
        "allekirjoituksen {param} viittaus osoittaa muualle kuin asiakirjan nonXMLBody-elementtiin tai omaan "
        "aikaleimaan (allekirjoituksen kääriminen).",
        "signatur {param} hänvisar till något annat än dokumentets nonXMLBody eller sin egen tidsstämpel.",
        "a reference of signature {param} resolves to another element than this document's nonXMLBody or its own "
        "timestamp (signature wrapping).",
    ),
    CheckRule(
        "cda.signature.cert_not_yet_valid", "error", "signatures",
        "allekirjoituksen {param} varmenne ei ole vielä voimassa.",
        "certifikatet för signatur {param} är ännu inte giltigt.",
        "the certificate of signature {param} is not yet valid.",
    ),
    CheckRule(
        "cda.signature.cert_expired", "error", "signatures",
        "allekirjoituksen {param} varmenne on vanhentunut.",
        "certifikatet för signatur {param} har gått ut.",
        "the certificate of signature {param} has expired.",
    ),
    CheckRule(
        "cda.signature.untrusted_cert", "error", "signatures",
        "allekirjoituksen {param} varmenne ei ole luotettu eikä luotetun myöntämä.",
        "certifikatet för signatur {param} är varken betrott eller utfärdat av ett betrott certifikat.",
        "the certificate of signature {param} is neither trusted nor issued by a trusted certificate.",
    ),
    CheckRule(
        "cda.signature.digest_mismatch", "error", "signatures",
        "allekirjoituksen {param} kattamaa osaa on muutettu allekirjoittamisen jälkeen.",
        "en del som signatur {param} omfattar har ändrats efter signeringen.",
        "a part signature {param} covers was changed after signing.",
    ),
    CheckRule(
        "cda.signature.bad_signature_value", "error", "signatures",
        "allekirjoituksen {param} allekirjoitusarvo ei täsmää varmenteen avaimeen.",
        "signaturvärdet för signatur {param} stämmer inte med certifikatets nyckel.",
        "the signature value of signature {param} does not verify with the certificate's key.",
    ),
)  # fmt: skip
RULES: dict[str, CheckRule] = {rule.code: rule for rule in _RULES}
AREAS = ("frame", "codes", "structure", "json", "display", "signatures", "service_request", "identities")


def render(code: str, param: str = "") -> dict[str, str]:
    """The message of `code` in fi, sv and en."""
    rule = RULES[code]
    return {lang: getattr(rule, lang).format(param=param) for lang in ("fi", "sv", "en")}


# ---- what a frame must carry (path below RCMR_IN200002FI01, attribute, expected values, severity) --------------------
@dataclass(frozen=True)
class Expect:
    path: str
    attribute: str
    values: tuple[str, ...] = ()
    """Allowed values; () = any non-empty value."""
    severity: Severity = "error"
    """Of a value outside `values` (a missing part is always an error)."""


S = cs.SUBJECT
FRAME_SHAPE: tuple[Expect, ...] = (
    Expect("id", "root"),
    Expect("creationTime", "value"),
    Expect("interactionId", "extension", (cs.MESSAGE_TYPE,)),
    Expect("interactionId", "root", (cs.INTERACTION.oid,)),
    Expect("processingCode", "code", (cs.PROCESSING_CODE,)),
    Expect("processingModeCode", "code", cs.PROCESSING_MODES),
    Expect("acceptAckCode", "code", (cs.ACCEPT_ACK,), "warning"),
    Expect("receiver/device/id", "root", (cs.KANTA_RECEIVER,), "warning"),
    Expect("sender/device/id", "root"),
    Expect("controlActProcess/code", "code", (cs.CONTROL_ACT.code,)),
    Expect("controlActProcess/priorityCode", "code", (cs.PRIORITY,)),
    Expect("controlActProcess/authorOrPerformer/assignedPerson/id", "root"),
    Expect(f"{S}/id", "root"),
    Expect(f"{S}/setId", "root"),
    Expect(f"{S}/versionNumber", "value"),
    Expect(f"{S}/statusCode", "code", (cs.STATUS,)),
    Expect(f"{S}/completionCode", "code", (cs.COMPLETED.code,), "warning"),
    Expect(f"{S}/storageCode", "code", (cs.ACTIVE.code,), "warning"),
    Expect(f"{S}/recordTarget/patient/id", "root"),
    Expect(f"{S}/custodian/assignedCustodian/representedOrganization/id", "root"),
)


@dataclass(frozen=True)
class Agree:
    """A frame place that repeats a document place: compared by `attributes` (all elements at the path, as a
    set); `severity` of a difference (kanta-cda.md: ids, set ids, versions, patients and organisations are
    errors, other differences warnings)."""

    frame: str
    document: str
    attributes: tuple[str, ...]
    severity: Severity


AGREEMENT: tuple[Agree, ...] = (
    Agree(f"{S}/id", "id", ("root", "extension"), "error"),
    Agree(f"{S}/setId", "setId", ("root", "extension"), "error"),
    Agree(f"{S}/versionNumber", "versionNumber", ("value",), "error"),
    Agree(f"{S}/recordTarget/patient/id", "recordTarget/patientRole/id", ("root", "extension"), "error"),
    Agree(
        f"{S}/custodian/assignedCustodian/representedOrganization/id",
        "custodian/assignedCustodian/representedCustodianOrganization/id",
        ("root", "extension"),
        "error",
    ),
    Agree(f"{S}/componentOf/encounterEvent/id", "componentOf/encompassingEncounter/id", ("root", "extension"), "error"),
    Agree(f"{S}/effectiveTime", "effectiveTime", ("value",), "warning"),
    Agree(f"{S}/confidentialityCode", "confidentialityCode", ("code", "codeSystem"), "warning"),
    Agree(f"{S}/languageCode", "languageCode", ("code",), "warning"),
    Agree(f"{S}/code", f"{cs.LSH}/registryType", ("code", "codeSystem"), "warning"),
    Agree(f"{S}/author/time", "author/time", ("value", "nullFlavor"), "warning"),
    Agree(f"{S}/author/assignedAuthor/id", "author/assignedAuthor/id", ("root", "extension"), "warning"),
    Agree(
        f"{S}/recordTarget/patient/patientPerson/name", "recordTarget/patientRole/patient/name", ("#text",), "warning"
    ),
    Agree(
        f"{S}/recordTarget/patient/patientPerson/birthTime", "recordTarget/patientRole/patient/birthTime", ("value",),
        "warning",
    ),
)  # fmt: skip
"""The frame's `sender` is checked apart: it must be the document's custodian or outsourcing customer."""
