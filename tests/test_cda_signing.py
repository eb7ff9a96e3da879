"""XML signatures of CDA archive documents (generators.cda.signing): keys and certificates made here with
cryptography, documents from the project's own encoder and the real sample; signatures verify, and every kind
of tampering, wrapping, bad certificate and unsupported algorithm is caught with its code and its place."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.codec import CdaInputError, decode, encode
from sosmeta.generators.cda.schema import load_core_schema, load_schema
from sosmeta.generators.cda.signing import DS, SignatureCheck, SigningKey, load_signing_key, sign, sign_with, verify
from sosmeta.structures.model import Structure
from tests.cda_strategies import envelopes
from tests.cda_support import document_strategy, example_documents, example_envelope
from tests.conftest import SHARED, load_corpus_structure, require_corpus
from tests.test_cda_roundtrip import CORE, assert_schema_valid

SAMPLE = SHARED / "kanta-samples" / "asiakkuusasiakirja-document.xml"
NOW = dt.datetime.now(dt.UTC)
WHEN = dt.datetime(2024, 11, 28, 11, 33, 30, tzinfo=dt.UTC)
NS = {"v3": m.V3, "fi": m.HL7FI, "ds": DS}


# ---- keys and certificates ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Signer:
    key: bytes
    cert: bytes


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _pem_key(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _cert(
    subject: str,
    key: rsa.RSAPrivateKey,
    valid: tuple[dt.datetime, dt.datetime],
    issuer: tuple[str, rsa.RSAPrivateKey] | None = None,
) -> x509.Certificate:
    issuer_name, issuer_key = issuer or (subject, key)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .sign(issuer_key, hashes.SHA256())
    )


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def keys() -> dict[str, rsa.RSAPrivateKey]:
    return {name: rsa.generate_private_key(public_exponent=65537, key_size=2048) for name in ("ca", "a", "b", "other")}


@pytest.fixture(scope="module")
def ca(keys: dict[str, rsa.RSAPrivateKey]) -> bytes:
    return _pem(_cert("Test CA", keys["ca"], (NOW - dt.timedelta(days=3650), NOW + dt.timedelta(days=3650))))


@pytest.fixture(scope="module")
def signer(keys: dict[str, rsa.RSAPrivateKey]) -> Signer:
    """A system certificate issued by the test CA, valid from 2024 to a year from now."""
    valid = (dt.datetime(2024, 1, 1, tzinfo=dt.UTC), NOW + dt.timedelta(days=365))
    return Signer(_pem_key(keys["a"]), _pem(_cert("sosmeta test system", keys["a"], valid, ("Test CA", keys["ca"]))))


@pytest.fixture(scope="module")
def signing_key(signer: Signer) -> SigningKey:
    return load_signing_key(signer.key, signer.cert)


@pytest.fixture(scope="module")
def professional(keys: dict[str, rsa.RSAPrivateKey]) -> Signer:
    valid = (dt.datetime(2024, 1, 1, tzinfo=dt.UTC), NOW + dt.timedelta(days=365))
    return Signer(_pem_key(keys["b"]), _pem(_cert("sosmeta test professional", keys["b"], valid)))


@pytest.fixture(scope="module")
def expired(keys: dict[str, rsa.RSAPrivateKey]) -> Signer:
    """Valid only in 2024 (validity dates in the past)."""
    valid = (dt.datetime(2024, 1, 1, tzinfo=dt.UTC), dt.datetime(2024, 12, 31, tzinfo=dt.UTC))
    return Signer(_pem_key(keys["a"]), _pem(_cert("expired", keys["a"], valid)))


# ---- documents ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def structure(corpus_structures: list[Structure]) -> Structure:
    return corpus_structures[0]


@pytest.fixture(scope="module")
def unsigned(structure: Structure) -> bytes:
    return encode(structure, example_documents(structure, 1)[0], example_envelope(structure))


@pytest.fixture(scope="module")
def signed(unsigned: bytes, signer: Signer) -> bytes:
    return sign(unsigned, signer.key, signer.cert, "system", WHEN)


@pytest.fixture(scope="module")
def sample() -> bytes:
    if not SAMPLE.is_file():
        require_corpus()
        pytest.skip(f"the Kanta sample is missing: {SAMPLE}")
    return SAMPLE.read_bytes()


@pytest.fixture(scope="module")
def schemas() -> tuple[etree.XMLSchema, etree.XMLSchema]:
    if not (CORE / "infrastructure/cda/CDA.xsd").is_file():
        require_corpus()
        pytest.skip(f"HL7 CDA R2 schema missing in {CORE}")
    return load_schema(CORE.resolve()), load_core_schema(CORE.resolve())


def without_signatures(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for collection in root.xpath("//fi:signatureCollection", namespaces=NS):
        collection.getparent().remove(collection)
    return etree.tostring(root)


def edited(data: bytes, change: object) -> bytes:
    """`data` parsed, changed in place by `change(root)`, serialized without reformatting."""
    root = etree.fromstring(data)
    change(root)  # type: ignore[operator]
    return etree.tostring(root)


def one(root: etree._Element, path: str) -> etree._Element:
    (found,) = root.xpath(path, namespaces=NS)
    return found


def flip_base64(text: str, at: int) -> str:
    """`text` with its base64 character at `at` (among non-space characters) replaced by another one."""
    positions = [i for i, c in enumerate(text) if not c.isspace()]
    i = positions[at]
    return text[:i] + ("B" if text[i] != "B" else "C") + text[i + 1 :]


def codes(checks: list[SignatureCheck]) -> list[str | None]:
    return [c.code for c in checks]


# ---- signing and verifying ----------------------------------------------------------------------------------------
def test_signed_encoder_document_verifies(signed: bytes, signer: Signer) -> None:
    (check,) = verify(signed)
    assert check.ok and check.code is None and check.message == "verified"
    assert check.signature_type == "system" and check.index == 1
    assert (
        check.xpath
        == "/ClinicalDocument/hl7fi:localSocialHeader/hl7fi:signatureCollection/hl7fi:signature/ds:Signature"
    )
    assert verify(signed, at=WHEN) == [check]


def test_signing_is_deterministic_and_unsigned_documents_have_no_checks(unsigned: bytes, signer: Signer) -> None:
    once = sign(unsigned, signer.key, signer.cert, "system", WHEN)
    loaded = load_signing_key(signer.key, signer.cert)  # loaded once, for many documents
    assert (
        once == sign(unsigned, signer.key, signer.cert, "system", WHEN) == sign_with(unsigned, loaded, "system", WHEN)
    )
    assert verify(unsigned) == []


def test_signature_has_the_samples_shape_and_place(sample: bytes, signer: Signer) -> None:
    """Ours, on the sample with its own signature taken out, has the same elements, attributes, algorithms,
    namespaces and place as the sample's (values that differ by nature aside: IDs, digests, time, certificate)."""
    ours = etree.fromstring(sign(without_signatures(sample), signer.key, signer.cert, "system", WHEN))
    theirs = etree.fromstring(sample, etree.XMLParser(remove_comments=True))
    variable = {"ID", "URI"}

    def shape(element: etree._Element) -> list[tuple[object, ...]]:
        return [
            (
                e.tag,
                e.nsmap.get(None),
                tuple(sorted((k, "*" if k in variable else v) for k, v in e.attrib.items())),
                bool((e.text or "").strip()),
            )
            for e in element.iter()
        ]

    path = "fi:localSocialHeader/fi:signatureCollection"
    assert shape(one(ours, path)) == shape(one(theirs, path))
    for root in (ours, theirs):
        header = one(root, "fi:localSocialHeader")
        assert header[-1].tag == f"{{{m.HL7FI}}}signatureCollection"  # after the other header elements
        assert header[-1].prefix is None  # the namespace declared as default, as in the sample
    uris = [r.get("URI") for r in ours.iterfind(".//ds:Reference", NS)]
    assert uris == [
        "#" + one(ours, "fi:localSocialHeader//fi:signatureTimestamp").get("ID"),
        "#OID" + one(ours, "v3:id").get("root"),
    ]
    assert one(ours, "//fi:signatureTimestamp").text == "2024-11-28T11:33:30Z"
    assert codes(verify(etree.tostring(ours))) == [None]


def test_sample_with_its_truncated_signature_and_ours(sample: bytes, signer: Signer) -> None:
    """The sample's own signature does not verify (its certificate and value are truncated): reported as the first
    signature, while the one added after it verifies."""
    checks = verify(sign(sample, signer.key, signer.cert, "system", WHEN))
    assert codes(checks) == ["cda.signature.malformed", None]
    assert [c.index for c in checks] == [1, 2] and checks[0].xpath.endswith("hl7fi:signature[1]/ds:Signature")
    assert checks[0].signature_type == "system"


def test_professional_and_system_signatures_both_verify(signed: bytes, professional: Signer) -> None:
    twice = sign(signed, professional.key, professional.cert, "professional", WHEN + dt.timedelta(minutes=1))
    checks = verify(twice)
    assert codes(checks) == [None, None]
    assert [c.signature_type for c in checks] == ["system", "professional"]
    assert len({c.signature_id for c in checks}) == 2
    root = etree.fromstring(twice)
    assert len(root.xpath("//fi:signatureCollection", namespaces=NS)) == 1
    description = one(root, "//fi:signature[2]/fi:signatureDescription")
    assert description.get("code") == "1" and description.get("displayName") is None  # not published: not invented


def test_signed_document_still_decodes_and_validates(
    unsigned: bytes, signed: bytes, professional: Signer, schemas: tuple[etree.XMLSchema, etree.XMLSchema]
) -> None:
    before, after = decode(unsigned), decode(signed)
    assert after.document == before.document
    assert after.envelope.signature_collection is not None  # the signatures are kept, verbatim
    assert after.envelope.model_copy(update={"signature_collection": None}) == before.envelope
    assert_schema_valid(signed, schemas)
    assert_schema_valid(sign(signed, professional.key, professional.cert, "professional", WHEN), schemas)


def test_trusted_certificates(signed: bytes, ca: bytes, professional: Signer, keys: dict) -> None:
    assert codes(verify(signed, trusted=[ca])) == [None]
    assert codes(verify(signed, trusted=[professional.cert])) == ["cda.signature.untrusted_cert"]
    self_signed = sign(signed, professional.key, professional.cert, "professional", WHEN)
    assert codes(verify(self_signed, trusted=[ca, professional.cert])) == [None, None]


# ---- tampering ----------------------------------------------------------------------------------------------------
def test_one_byte_of_the_json_changed_names_the_failing_signature(signed: bytes, professional: Signer) -> None:
    twice = sign(signed, professional.key, professional.cert, "professional", WHEN)

    def change(root: etree._Element) -> None:
        carrier = one(root, "v3:component/v3:nonXMLBody/fi:json")
        carrier.text = flip_base64(carrier.text, 40)

    checks = verify(edited(twice, change))
    assert codes(checks) == ["cda.signature.digest_mismatch"] * 2
    assert [c.reference for c in checks] == ["body", "body"]
    assert checks[1].problem("doc.xml").location.endswith("hl7fi:signature[2]/ds:Signature")
    assert checks[1].message == "a signed part was changed after signing (digest mismatch): the nonXMLBody"


def test_only_the_signature_whose_part_changed_fails(signed: bytes, professional: Signer) -> None:
    twice = sign(signed, professional.key, professional.cert, "professional", WHEN)

    def change(root: etree._Element) -> None:
        one(root, "//fi:signature[2]/fi:signatureTimestamp").text = "2024-11-28T11:33:31Z"

    checks = verify(edited(twice, change))
    assert [(c.index, c.code, c.reference) for c in checks] == [
        (1, None, None),
        (2, "cda.signature.digest_mismatch", "timestamp"),
    ]
    assert checks[1].signature_type == "professional"


def test_tampered_timestamp(signed: bytes) -> None:
    def change(root: etree._Element) -> None:
        one(root, "//fi:signatureTimestamp").text = "2024-11-28T11:33:31Z"

    (check,) = verify(edited(signed, change))
    assert (check.code, check.reference) == ("cda.signature.digest_mismatch", "timestamp")


def test_tampered_display_form_signature_value_and_digest(signed: bytes) -> None:
    def display(root: etree._Element) -> None:
        text = one(root, "v3:component/v3:nonXMLBody/v3:text")
        text.text = flip_base64(text.text, 7)

    def value(root: etree._Element) -> None:
        element = one(root, "//ds:SignatureValue")
        element.text = flip_base64(element.text, 10)

    def digest(root: etree._Element) -> None:
        element = one(root, "//ds:Reference[2]/ds:DigestValue")
        element.text = flip_base64(element.text, 3)

    assert codes(verify(edited(signed, display))) == ["cda.signature.digest_mismatch"]
    assert codes(verify(edited(signed, value))) == ["cda.signature.bad_signature_value"]
    assert codes(verify(edited(signed, digest))) == ["cda.signature.bad_signature_value"]


def test_certificate_validity_dates(unsigned: bytes, expired: Signer) -> None:
    data = sign(unsigned, expired.key, expired.cert, "system", dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    assert codes(verify(data)) == ["cda.signature.cert_expired"]
    assert codes(verify(data, at=dt.datetime(2023, 6, 1, tzinfo=dt.UTC))) == ["cda.signature.cert_not_yet_valid"]
    assert codes(verify(data, at=dt.datetime(2024, 6, 2, tzinfo=dt.UTC))) == [None]


def test_swapped_certificate_fails(signed: bytes, professional: Signer) -> None:
    other = x509.load_pem_x509_certificate(professional.cert).public_bytes(serialization.Encoding.DER)

    def change(root: etree._Element) -> None:
        one(root, "//ds:X509Certificate").text = base64.b64encode(other).decode()

    assert codes(verify(edited(signed, change))) == ["cda.signature.bad_signature_value"]


# ---- signature wrapping and misplacement --------------------------------------------------------------------------
def test_wrapping_a_copy_of_the_signed_body(signed: bytes) -> None:
    """The classic attack: new content in the body, the signed original kept elsewhere under its ID."""

    def moved(root: etree._Element) -> None:
        body = one(root, "v3:component/v3:nonXMLBody")
        hidden = etree.SubElement(one(root, "fi:localSocialHeader"), f"{{{m.HL7FI}}}extra")
        hidden.append(etree.fromstring(etree.tostring(body)))
        body.set("ID", "OIDother")
        carrier = body.find(f"{{{m.HL7FI}}}json")
        carrier.text = base64.b64encode(b'{"forged": true}').decode()

    def duplicated(root: etree._Element) -> None:
        body = one(root, "v3:component/v3:nonXMLBody")
        one(root, "v3:component").append(etree.fromstring(etree.tostring(body)))

    def other_element(root: etree._Element) -> None:
        one(root, "v3:id").set("ID", one(root, "v3:component/v3:nonXMLBody").attrib.pop("ID"))

    for change in (moved, duplicated, other_element):
        (check,) = verify(edited(signed, change))
        assert check.code in ("cda.signature.wrong_reference", "cda.signature.missing_reference"), change.__name__
        assert not check.ok


def test_wrapping_by_swapping_timestamps(signed: bytes, professional: Signer) -> None:
    """Each signature still digests its own timestamp, now inside the other signature's element."""
    twice = sign(signed, professional.key, professional.cert, "professional", WHEN + dt.timedelta(hours=1))

    def swap(root: etree._Element) -> None:
        first, second = root.xpath("//fi:signatureTimestamp", namespaces=NS)
        first_parent, second_parent = first.getparent(), second.getparent()
        first_parent.replace(first, etree.Element("placeholder"))
        second_parent.replace(second, first)
        first_parent.replace(first_parent.find("placeholder"), second)

    assert codes(verify(edited(twice, swap))) == ["cda.signature.wrong_reference"] * 2


def test_body_id_not_the_document_id(signed: bytes) -> None:
    def change(root: etree._Element) -> None:
        one(root, "v3:id").set("root", "1.2.246.10.1234567.95.2024.999")

    (check,) = verify(edited(signed, change))
    assert (check.code, check.reference) == ("cda.signature.wrong_reference", "body")


def test_signature_moved_out_of_its_collection(signed: bytes) -> None:
    def change(root: etree._Element) -> None:
        signature = one(root, "//ds:Signature")
        root.append(signature)

    (check,) = verify(edited(signed, change))
    assert check.code == "cda.signature.misplaced" and check.xpath == "/ClinicalDocument/ds:Signature"


def test_missing_references(signed: bytes) -> None:
    def drop_timestamp(root: etree._Element) -> None:
        reference = one(root, "//ds:Reference[1]")
        reference.getparent().remove(reference)

    def unknown_id(root: etree._Element) -> None:
        one(root, "//ds:Reference[1]").set("URI", "#nowhere")

    def whole_document(root: etree._Element) -> None:
        one(root, "//ds:Reference[1]").set("URI", "")

    (check,) = verify(edited(signed, drop_timestamp))
    assert (check.code, check.reference) == ("cda.signature.missing_reference", "timestamp")
    assert codes(verify(edited(signed, unknown_id))) == ["cda.signature.missing_reference"]
    assert codes(verify(edited(signed, whole_document))) == ["cda.signature.wrong_reference"]


@pytest.mark.parametrize(
    ("path", "algorithm"),
    [
        ("//ds:SignatureMethod", "http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
        ("//ds:Reference[2]/ds:DigestMethod", "http://www.w3.org/2000/09/xmldsig#sha1"),
        ("//ds:CanonicalizationMethod", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"),
        ("//ds:Reference[1]/ds:Transforms/ds:Transform[2]", "http://www.w3.org/TR/1999/REC-xslt-19991116"),
    ],
)
def test_unsupported_algorithms(signed: bytes, path: str, algorithm: str) -> None:
    def change(root: etree._Element) -> None:
        one(root, path).set("Algorithm", algorithm)

    assert codes(verify(edited(signed, change))) == ["cda.signature.unsupported_algorithm"]


@pytest.mark.parametrize("part", ["ds:SignedInfo", "ds:KeyInfo", "ds:SignatureValue"])
def test_incomplete_signatures(signed: bytes, part: str) -> None:
    def change(root: etree._Element) -> None:
        element = one(root, f"//ds:Signature/{part}")
        element.getparent().remove(element)

    assert codes(verify(edited(signed, change))) == ["cda.signature.malformed"]


def test_messages_name_places_never_values(signed: bytes, structure: Structure) -> None:
    envelope = example_envelope(structure)

    def change(root: etree._Element) -> None:
        one(root, "//fi:signatureTimestamp").text = "2024-11-28T11:33:31Z"

    (check,) = verify(edited(signed, change))
    line = str(check.problem("doc.xml"))
    assert line.startswith("doc.xml: /ClinicalDocument/hl7fi:localSocialHeader/") and line.endswith(
        "[cda.signature.digest_mismatch]"
    )
    for value in (envelope.document_id, envelope.client.id, check.signature_id, "2024-11-28"):
        assert value not in line


def test_a_change_xml_reads_as_the_same_body_still_verifies(signed: bytes) -> None:
    """Canonical XML is what is signed: a tab for the space between two attributes changes no signed byte."""
    start = signed.index(b"<text ")
    changed = signed[:start] + signed[start:].replace(b'" representation=', b'"\trepresentation=', 1)
    assert changed != signed and canonical_body(changed) == canonical_body(signed)
    assert codes(verify(changed)) == [None]


# ---- refusals -----------------------------------------------------------------------------------------------------
def test_hostile_input_is_refused_as_decode_refuses_it(signed: bytes, signer: Signer) -> None:
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]>' + signed.split(b"?>", 1)[1]
    for action in (lambda: verify(hostile), lambda: sign(hostile, signer.key, signer.cert, "system", WHEN)):
        with pytest.raises(CdaInputError) as error:
            action()
        assert error.value.problems[0].code == "cda.doctype"


def test_bad_keys_certificates_and_documents_are_refused(unsigned: bytes, signer: Signer, keys: dict) -> None:
    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    cases = [
        (b"not a key", signer.cert, unsigned, WHEN, "cda.sign_key"),
        (_pem_key(ec.generate_private_key(ec.SECP256R1())), signer.cert, unsigned, WHEN, "cda.sign_key"),
        (_pem_key(short), signer.cert, unsigned, WHEN, "cda.sign_key"),
        (signer.key, b"not a certificate", unsigned, WHEN, "cda.sign_cert"),
        (_pem_key(keys["other"]), signer.cert, unsigned, WHEN, "cda.sign_cert"),  # not the certificate's key
        (signer.key, signer.cert, unsigned, dt.datetime(2023, 1, 1, tzinfo=dt.UTC), "cda.sign_cert"),
        (signer.key, signer.cert, without_header(unsigned), WHEN, "cda.sign_document"),
        (signer.key, signer.cert, with_body_id(unsigned, "OIDx"), WHEN, "cda.sign_document"),
    ]
    for key, cert, document, when, code in cases:
        with pytest.raises(CdaInputError) as error:
            sign(document, key, cert, "system", when)
        assert error.value.problems[0].code == code
    with pytest.raises(ValueError, match="time zone"):
        sign(unsigned, signer.key, signer.cert, "system", dt.datetime(2024, 11, 28))


def test_encrypted_keys_and_bad_verify_arguments(
    unsigned: bytes, signer: Signer, keys: dict[str, rsa.RSAPrivateKey]
) -> None:
    encrypted = keys["a"].private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"test passphrase"),
    )
    signed = sign(unsigned, encrypted, signer.cert, "system", WHEN, passphrase=b"test passphrase")
    assert codes(verify(signed)) == [None]
    for passphrase in (None, b"wrong"):
        with pytest.raises(CdaInputError) as error:
            sign(unsigned, encrypted, signer.cert, "system", WHEN, passphrase=passphrase, key_source="key.pem")
        assert str(error.value).startswith("key.pem: ") and error.value.problems[0].code == "cda.sign_key"
    with pytest.raises(CdaInputError) as error:
        verify(signed, trusted=[b"not a certificate"])
    assert error.value.problems[0].code == "cda.trusted_cert"
    with pytest.raises(ValueError, match="time zone"):
        verify(signed, at=dt.datetime(2024, 11, 28))


def without_header(data: bytes) -> bytes:
    return edited(data, lambda root: root.remove(one(root, "fi:localSocialHeader")))


def with_body_id(data: bytes, value: str) -> bytes:
    return edited(data, lambda root: one(root, "v3:component/v3:nonXMLBody").set("ID", value))


# ---- property -----------------------------------------------------------------------------------------------------
def canonical_body(data: bytes) -> bytes:
    body = one(etree.fromstring(data), "v3:component/v3:nonXMLBody")
    return etree.tostring(body, method="c14n", exclusive=True)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_property_sign_verify_and_any_byte_of_the_body(
    corpus: list[Path], signing_key: SigningKey, data: st.DataObject
) -> None:
    """Any structure, document and envelope: the signed document verifies; a single byte changed anywhere in the
    serialized nonXMLBody is refused (not XML any more) or fails verification, unless XML reads it as the same
    body (e.g. another quote character), which then still verifies."""
    structure = load_corpus_structure(data.draw(st.sampled_from(corpus), label="structure"))
    document = data.draw(document_strategy(structure), label="document")
    envelope = data.draw(envelopes(structure.version_oid), label="envelope")
    signed = sign_with(encode(structure, document, envelope, allow_invalid=True), signing_key, "system", WHEN)
    assert codes(verify(signed)) == [None]
    start, end = signed.index(b"<nonXMLBody"), signed.index(b"</nonXMLBody>") + len(b"</nonXMLBody>")
    position = data.draw(st.integers(start, end - 1), label="position")
    # Any byte, but mostly ASCII: bytes from 0x80 on only make the UTF-8 invalid, which decode refuses anyway.
    byte = data.draw(
        st.one_of(st.integers(0x20, 0x7E), st.sampled_from(b"\t\n\r"), st.integers(0, 255)).filter(
            lambda b: b != signed[position]
        ),
        label="byte",
    )
    changed = signed[:position] + bytes([byte]) + signed[position + 1 :]
    try:
        checks = verify(changed)
    except CdaInputError:
        return
    assert len(checks) == 1
    assert checks[0].ok == (canonical_body(changed) == canonical_body(signed))
