"""Reading every vendor's archive documents and writing the real shape: the Kanta sample (a production record
system's document) decodes, re-encodes with header parity and exactly, and satisfies our extension schema and,
without our extensions, Kela's; documents shaped like it (other prefixes, comments and line breaks inside the
base64, upper-case language codes, ids with both @root and @nullFlavor, the older @root spelling, professional
signatures, header parts the envelope has no field for) are read and written back."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from lxml import etree

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.codec import Decoded, decode, encode
from sosmeta.generators.cda.envelope import build_envelope
from sosmeta.generators.cda.schema import load_finnish_schema, load_schema, without_extensions
from sosmeta.structures.model import Structure
from tests.cda_support import (
    CORE,
    FINNISH,
    SAMPLE_STRUCTURE,
    Triple,
    example_documents,
    full_envelope,
    header_triples,
    sample_bytes,
)

LSH = "/ClinicalDocument/localSocialHeader"
# What the parity leaves aside: comments (never read), the signature values (kept verbatim anyway) and the
# software that wrote the document.
NOT_COMPARED = ("SignatureValue", "DigestValue", "X509Certificate", "signatureTimestamp", "softwareSupport")


@pytest.fixture(scope="module")
def sample() -> bytes:
    return sample_bytes()


@pytest.fixture(scope="module")
def structure(corpus_structures: list[Structure]) -> Structure:
    return next(s for s in corpus_structures if s.version_oid == SAMPLE_STRUCTURE)


@pytest.fixture(scope="module")
def decoded(sample: bytes) -> Decoded:
    return decode(sample, "sample.xml", with_display=True)


def reencoded(decoded: Decoded, structure: Structure) -> bytes:
    # The sample's JSON spells one Tunnus system without urn:oid: (kanta-cda.md): full mode reports it.
    return encode(structure, decoded.document, decoded.envelope, allow_invalid=True)


def missing(theirs: bytes, ours: bytes) -> set[Triple]:
    return header_triples(theirs, NOT_COMPARED) - header_triples(ours, NOT_COMPARED)


# ---- the sample -----------------------------------------------------------------------------------------------
def test_the_sample_decodes(decoded: Decoded) -> None:
    envelope = decoded.envelope
    assert envelope.title is None and envelope.general_type is None  # no title; code nullFlavor="NA"
    assert envelope.author.time is None and envelope.author.registration_id is None  # nullFlavor="NA"
    assert envelope.content_specification_id == SAMPLE_STRUCTURE  # element text
    assert envelope.case_id is None and envelope.service_unit is not None
    assert (
        envelope.document_group is not None and envelope.document_group.system_name == "Sosiaalihuolto - Asiakirjaryhmä"
    )
    assert envelope.confidentiality.display == "Sosiaalihuollon salassapidettävä"
    assert envelope.minor_disclosure is not None and envelope.minor_disclosure.code == "1"
    assert envelope.special_content is not None and not isinstance(envelope.special_content, bool)
    assert envelope.signature_collection is not None and "CDA-aikaleima.1" in envelope.signature_collection
    assert set(envelope.extra_header) == {
        "/ClinicalDocument/@xsi:schemaLocation",  # kept, never loaded (a local name)
        "after /ClinicalDocument/recordTarget/patientRole/patient/name/given",  # <given qualifier="CL">
    }
    assert decoded.document["asiakkuusasiakirja"]["asiakas"]["sukunimi"] == "Tietosuojatestaus"


def test_header_parity_with_the_sample(sample: bytes, decoded: Decoded, structure: Structure) -> None:
    """Every element, attribute and value of the sample's header is in ours, at the same (local) path."""
    ours = reencoded(decoded, structure)
    assert missing(sample, ours) == set()
    assert header_triples(ours, NOT_COMPARED) - header_triples(sample, NOT_COMPARED) == set()  # nothing added


def test_the_sample_re_encodes_exactly(decoded: Decoded, structure: Structure) -> None:
    ours = reencoded(decoded, structure)
    again = decode(ours, with_display=True)
    assert again.envelope == decoded.envelope and again.document == decoded.document
    assert reencoded(again, structure) == ours  # and the second time byte for byte


def test_the_kept_signature_collection_is_verbatim(sample: bytes, decoded: Decoded, structure: Structure) -> None:
    def collection(data: bytes) -> bytes:
        root = etree.fromstring(data)
        (found,) = root.iterfind(f"{{{m.HL7FI}}}localSocialHeader/{{{m.HL7FI}}}signatureCollection")
        return etree.tostring(found, method="c14n", exclusive=True, with_comments=False)

    assert collection(reencoded(decoded, structure)) == collection(sample)


@pytest.fixture(scope="module")
def schemas() -> tuple[etree.XMLSchema, etree.XMLSchema]:
    if not (CORE / "infrastructure/cda/POCD_MT000040.xsd").is_file() or not (FINNISH / "CDA_Fi.xsd").is_file():
        pytest.skip("schemas missing in ../shared/schemas")
    return load_schema(CORE.resolve()), load_finnish_schema(FINNISH.resolve())


def test_the_sample_and_ours_satisfy_the_schemas(
    sample: bytes, decoded: Decoded, structure: Structure, schemas: tuple[etree.XMLSchema, etree.XMLSchema]
) -> None:
    ours_schema, finnish = schemas
    for data in (sample, reencoded(decoded, structure)):
        root = etree.fromstring(data)
        assert ours_schema.validate(root), ours_schema.error_log
        assert finnish.validate(without_extensions(root)), finnish.error_log


# ---- documents shaped like it ---------------------------------------------------------------------------------
def same_content(variant: bytes, decoded: Decoded) -> Decoded:
    again = decode(variant, "variant.xml", with_display=True)
    assert again.document == decoded.document and again.display == decoded.display
    return again


@pytest.mark.parametrize("prefix", ["hl7fi", "x", None])
def test_any_prefix_for_urn_hl7finland(sample: bytes, decoded: Decoded, prefix: str | None) -> None:
    if prefix is None:  # the namespace as the default one, as signatureCollection declares it
        variant = sample.replace(b"xmlns:ep2=", b"xmlns=").replace(b"ep2:", b"")
    else:
        variant = sample.replace(b"ep2", prefix.encode())
    assert same_content(variant, decoded).envelope == decoded.envelope


def _wrapped(match: re.Match[bytes]) -> bytes:
    payload = re.sub(rb"\s+", b"", match[2])
    lines = b"\n\t\t\t".join(payload[i : i + 76] for i in range(0, len(payload), 76))
    middle = len(lines) // 2
    return match[1] + b"\n\t<!-- before -->\n\t\t\t" + lines[:middle] + b"<!-- inside -->" + lines[middle:] + b"\n"


def test_comments_and_line_breaks_inside_the_base64(sample: bytes, decoded: Decoded) -> None:
    variant = re.sub(rb"(<text [^>]*>|<ep2:json [^>]*>)([^<]*)", _wrapped, sample)
    variant = variant.replace(b"<realmCode", b"<!-- a comment between elements --><realmCode")
    assert variant.count(b"<!-- inside -->") == 2
    assert same_content(variant, decoded).envelope == decoded.envelope


def test_upper_case_language_code_is_read_and_kept(sample: bytes, decoded: Decoded, structure: Structure) -> None:
    variant = sample.replace(b'<languageCode code="fi"/>', b'<languageCode code="FI"/>')
    envelope = same_content(variant, decoded).envelope
    assert envelope.language == "fi" and envelope.language_code == "FI"
    ours = encode(structure, decoded.document, envelope, allow_invalid=True)
    assert b'<languageCode code="FI"/>' in ours and missing(variant, ours) == set()


def test_case_id_with_both_root_and_null_flavor(sample: bytes, decoded: Decoded, structure: Structure) -> None:
    case = b'<id root="1.2.246.10.32213561.95777.2026.778465.646" nullFlavor="NA"/>'
    variant = sample.replace(b'<id nullFlavor="NA"/>\n\t\t\t<effectiveTime', case + b"\n\t\t\t<effectiveTime")
    envelope = same_content(variant, decoded).envelope
    assert envelope.case_id == "1.2.246.10.32213561.95777.2026.778465.646"
    assert envelope.extra_header["/ClinicalDocument/componentOf/encompassingEncounter/id/@nullFlavor"] == "NA"
    ours = encode(structure, decoded.document, envelope, allow_invalid=True)
    assert missing(variant, ours) == set() and decode(ours).envelope == envelope


def test_content_specification_id_as_root_is_read(sample: bytes, decoded: Decoded, structure: Structure) -> None:
    variant = sample.replace(
        b"<ep2:contentSpecificationId>1.2.246.537.6.1505.1.2023.6.1</ep2:contentSpecificationId>",
        b'<ep2:contentSpecificationId root="1.2.246.537.6.1505.1.2023.6.1"/>',
    )
    assert same_content(variant, decoded).envelope == decoded.envelope
    ours = encode(structure, decoded.document, decoded.envelope, allow_invalid=True)
    assert b"<hl7fi:contentSpecificationId>1.2.246.537.6.1505.1.2023.6.1</hl7fi:contentSpecificationId>" in ours


PROFESSIONAL = """
		<ep2:serviceProcess>
			<!-- fixed in the schema -->
			<ep2:type>Sosiaalihuollon palveluprosessi</ep2:type>
			<ep2:code code="3" displayName="Asiakkuuden suunnittelu" codeSystem="1.2.246.537.6.1277.201701"
				codeSystemName="Sosiaalihuolto - Sosiaalihuollon palveluprosessi"/>
		</ep2:serviceProcess>
		<ep2:authorizationRestrictionArgument>Viivästys 1</ep2:authorizationRestrictionArgument>
		<ep2:inaccessibleArgument code="1" codeSystem="1.2.246.537.6.1288.201901"
			displayName="Vaaraa asiakkaan kehitykselle"/>
		<ep2:signature>
			<ep2:assignedAuthorSigner>100012345</ep2:assignedAuthorSigner>
			<ep2:signer><ep2:name><ep2:given>Sanna</ep2:given><ep2:family>Laine</ep2:family></ep2:name></ep2:signer>
			<ep2:authenticationMethod code="1" codeSystem="1.2.246.537.5.40128.2006"
				codeSystemName="KanTa-palvelut - Tunnistautumistapa" displayName="Ammattihenkilön varmenne"/>
			<ep2:time value="20260717130653+0300"/>
		</ep2:signature>
		<signatureCollection""".encode()


def test_professional_signature_process_and_restrictions_are_read(
    sample: bytes, decoded: Decoded, structure: Structure
) -> None:
    variant = sample.replace(b"\n\t\t<signatureCollection", PROFESSIONAL, 1)
    envelope = same_content(variant, decoded).envelope
    assert envelope.signature is not None and envelope.signature.signer_id == "100012345"
    assert envelope.signature.method is not None and envelope.signature.method.display == "Ammattihenkilön varmenne"
    assert envelope.process_phase is not None and envelope.process_phase.code == "3"
    assert envelope.authorization_restrictions == ("Viivästys 1",)
    assert [a.code for a in envelope.inaccessible_arguments] == ["1"]
    assert envelope.extra_header == decoded.envelope.extra_header  # all of it has fields
    ours = encode(structure, decoded.document, envelope, allow_invalid=True)
    assert missing(variant, ours) == set() and decode(ours).envelope == envelope


UNKNOWN: list[tuple[bytes, bytes, str]] = [
    (
        b"\t<custodian>",
        b'\t<informationRecipient><intendedRecipient><id root="1.2.246.10.99"/></intendedRecipient>'
        b"</informationRecipient>\n\t<custodian>",
        "after /ClinicalDocument/author",
    ),
    (
        b"\t<authorization>",
        b'\t<legalAuthenticator><time value="20260717130652+0300"/><signatureCode code="S"/>'
        b'<assignedEntity><id root="1.2.246.537.26" extension="100012345"/></assignedEntity></legalAuthenticator>\n'
        b"\t<authorization>",
        "after /ClinicalDocument/custodian",
    ),
    (
        b"\t\t<ep2:creationTime",
        b'\t\t<ep2:somethingNew code="9"/>\n\t\t<ep2:creationTime',
        "first in /ClinicalDocument/fi:localSocialHeader",
    ),
    (
        b'<ep2:specialContent code="E"',
        b'<ep2:specialContent codeSystemVersion="2007" code="E"',
        "/ClinicalDocument/fi:localSocialHeader/fi:specialContent/@codeSystemVersion",
    ),
]


@pytest.mark.parametrize("old,new,key", UNKNOWN, ids=[key for _, _, key in UNKNOWN])
def test_header_parts_without_a_field_are_kept_at_their_place(
    sample: bytes, decoded: Decoded, structure: Structure, old: bytes, new: bytes, key: str
) -> None:
    variant = sample.replace(old, new, 1)
    envelope = same_content(variant, decoded).envelope
    assert key in envelope.extra_header
    ours = encode(structure, decoded.document, envelope, allow_invalid=True)
    assert missing(variant, ours) == set() and decode(ours).envelope == envelope
    order: Callable[[bytes], list[str]] = lambda data: [  # noqa: E731
        etree.QName(e).localname for e in etree.fromstring(data).iter() if isinstance(e.tag, str)
    ]
    assert order(ours) == order(variant)  # every element where the vendor had it


# ---- the writer ------------------------------------------------------------------------------------------------
def test_a_title_only_when_the_envelope_has_one(corpus_structures: list[Structure]) -> None:
    structure = corpus_structures[0]
    document = example_documents(structure, 1)[0]
    assert b"<title>" not in encode(structure, document, full_envelope(structure))
    assert b"<title>Oma</title>" in encode(structure, document, full_envelope(structure, title="Oma"))


def test_code_system_names_from_the_envelope_else_the_structure_else_none(corpus_structures: list[Structure]) -> None:
    named = next(s for s in corpus_structures if s.version_oid == SAMPLE_STRUCTURE)  # names both code systems
    data = {**full_envelope(named).model_dump(exclude_none=True), "content_specification_id": named.version_oid}
    envelope = build_envelope(data, named)
    assert envelope.service_task is not None and envelope.service_task.system_name == "Sosiaalihuolto - Palvelutehtävä"
    assert envelope.client.sex is not None and envelope.client.sex.system_name == "AR/YDIN - Sukupuoli"
    assert envelope.confidentiality.system_name is None  # no text of the structure names it: never invented
    given = build_envelope({**data, "service_task": {"code": "24", "system_name": "Oma nimi"}}, named)
    assert given.service_task is not None and given.service_task.system_name == "Oma nimi"
    xml = encode(named, example_documents(named, 1)[0], envelope)
    assert 'codeSystemName="Sosiaalihuolto - Palvelutehtävä"'.encode() in xml
    assert decode(xml).envelope == envelope


def test_local_social_header_in_the_samples_order(corpus_structures: list[Structure]) -> None:
    structure = corpus_structures[0]
    root = etree.fromstring(encode(structure, example_documents(structure, 1)[0], full_envelope(structure)))
    names = [etree.QName(e).localname for e in root.find(f"{{{m.HL7FI}}}localSocialHeader")]
    sample_order = [
        "specificDocumentType", "creationTime", "documentGroup", "fileFormat", "structuredFileFormat",
        "softwareSupport", "functionCode", "recordStatus", "registryType", "outsourcingServiceCustomer",
        "outsourcingServiceCustomerName", "totalRetentionPeriodClass", "specialContent", "contentSpecificationId",
        "encompassingClientRelationship", "serviceProcess", "authorizationRestrictionArgument",
        "inaccessibleArgument", "signature",
    ]  # fmt: skip
    assert names == [n for n in sample_order if n in names] and len(names) >= 17
