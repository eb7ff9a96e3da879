"""XML signatures of CDA archive documents as Kanta's traffic carries them: `sign()` adds one, `verify()` checks all.

A signature goes into `hl7fi:localSocialHeader/signatureCollection` (the namespace declared as default there)
as `signature@ID` > `signatureDescription` (1.2.246.537.5.40127.2006: 1 professional's, 3 system signature),
`signatureTimestamp@ID` (xs:dateTime) and an enveloped XML-DSig `Signature` (exc-c14n, rsa-sha256, sha256
digests) whose two references are the timestamp and `#OID{document id}`, the nonXMLBody; the signer's X.509
certificate is in KeyInfo. The XML-DSig work (canonicalization, digests, signature values, reference
resolution by the `ID` attribute) is signxml's; this module places the signature, and on verifying refuses
what signxml would accept but Kanta's shape does not: a reference that does not resolve to exactly this
document's nonXMLBody or this signature's own timestamp (signature wrapping), other algorithms, and a
certificate outside its validity dates. Results and errors name places (XPath) and codes, never values.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import cryptography.exceptions
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from signxml import SignatureConfiguration, XMLSigner, XMLVerifier
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureConstructionMethod, SignatureMethod
from signxml.exceptions import InvalidCertificate, InvalidDigest, InvalidInput, InvalidSignature, SignXMLException

from generators.cda import mapping as m
from generators.cda.codec import _PARSER, DEFAULT_LIMITS, CdaInputError, Limits, parse_safely
from sosmeta_import.errors import Problem

DS = "http://www.w3.org/2000/09/xmldsig#"
SignatureType = Literal["system", "professional"]

# What the sample shows (kanta-cda.md, "What real traffic shows"). The professional signature's display name
# is not in any material we have, so it is left out rather than invented.
SIGNATURE_TYPE_SYSTEM = "1.2.246.537.5.40127.2006"
SIGNATURE_TYPE_SYSTEM_NAME = "KanTa-palvelut - Sähköisen allekirjoituksen tyyppi"
SIGNATURE_TYPES: dict[str, tuple[str, str | None]] = {
    "professional": ("1", None),
    "system": ("3", "Järjestelmäallekirjoitus"),
}
# Our choice of IDs, shaped like the sample's ("Epic.HL7Finland.Signature.1", "CDA-aikaleima.1").
SIGNATURE_ID = "sosmeta.HL7Finland.Signature.{n}"
TIMESTAMP_ID = "CDA-aikaleima.{n}"

EXC_C14N = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0
ENVELOPED = SignatureConstructionMethod.enveloped
# What verify accepts: Kanta's algorithms and their longer-hash siblings, nothing weaker.
SIGNATURE_METHODS = frozenset({SignatureMethod.RSA_SHA256, SignatureMethod.RSA_SHA384, SignatureMethod.RSA_SHA512})
DIGESTS = frozenset({DigestAlgorithm.SHA256, DigestAlgorithm.SHA384, DigestAlgorithm.SHA512})
TRANSFORMS = frozenset({ENVELOPED.value, EXC_C14N.value})
MIN_RSA_BITS = 2048

REASONS: dict[str, str] = {
    "misplaced": "a ds:Signature outside localSocialHeader/signatureCollection/signature",
    "malformed": "the signature is incomplete or unreadable (SignedInfo, SignatureValue, timestamp or certificate)",
    "unsupported_algorithm": "an algorithm other than exc-c14n, rsa-sha256/384/512, sha256/384/512 and enveloped",
    "missing_reference": "the signature does not reference both the nonXMLBody and its own timestamp, "
    "or a reference names no element",
    "wrong_reference": "a reference resolves to something other than this document's nonXMLBody (ID = OID + document "
    "id) or this signature's own timestamp, or to more than one element (signature wrapping)",
    "cert_not_yet_valid": "the signer's certificate is not yet valid at the verification time",
    "cert_expired": "the signer's certificate has expired at the verification time",
    "untrusted_cert": "the signer's certificate is neither a trusted certificate nor issued by one",
    "digest_mismatch": "a signed part was changed after signing (digest mismatch)",
    "bad_signature_value": "the signature value does not verify with the certificate's key",
}
ROLES = {"body": "the nonXMLBody", "timestamp": "the signature timestamp"}


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome for one ds:Signature of a document: ok (`code` None) or one coded reason."""

    index: int
    """1-based, in document order among all ds:Signature elements."""
    signature_id: str | None
    """The wrapping `signature@ID` (a technical ID; not put into messages)."""
    xpath: str
    signature_type: str | None
    """"system", "professional", another signatureDescription code as it is, or None."""
    code: str | None = None
    reference: str | None = None
    """Which signed part failed ("body" or "timestamp"), when known."""

    @property
    def ok(self) -> bool:
        return self.code is None

    @property
    def message(self) -> str:
        if self.code is None:
            return "verified"
        text = REASONS[self.code.removeprefix("cda.signature.")]
        return f"{text}: {ROLES[self.reference]}" if self.reference else text

    def problem(self, source: str) -> Problem:
        return Problem(source, self.xpath, f"signature {self.index}: {self.message}", self.code or "cda.signature.ok")


def _fail(source: str, location: str, message: str, code: str) -> CdaInputError:
    return CdaInputError([Problem(source, location, message, code)])


def _tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("a signing or verification time needs a time zone")
    return moment.astimezone(dt.UTC)


def _body(root: etree._Element) -> etree._Element | None:
    """The document's one nonXMLBody."""
    found = root.findall(f"{_tag(m.V3, 'component')}/{_tag(m.V3, 'nonXMLBody')}")
    return found[0] if len(found) == 1 else None


def _body_id_fits(root: etree._Element, body: etree._Element) -> bool:
    ids = root.findall(_tag(m.V3, "id"))
    return len(ids) == 1 and body.get("ID") == m.BODY_ID_PREFIX + (ids[0].get("root") or "")


def _by_id(root: etree._Element, value: str) -> list[etree._Element]:
    """Every element carrying `value` in an attribute named ID (any namespace): what signxml resolves with
    id_attribute="ID", so one hit here is the element signxml digests."""
    found: list[etree._Element] = root.xpath("//*[@*[local-name()='ID']=$v]", v=value)
    return found


# ---- signing -------------------------------------------------------------------------------------------------------
def _load_key(key_pem: bytes, passphrase: bytes | None, source: str) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(key_pem, password=passphrase)
    except (ValueError, TypeError, cryptography.exceptions.UnsupportedAlgorithm):
        raise _fail(source, "", "not a PEM private key, or a wrong or missing passphrase", "cda.sign_key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise _fail(source, "", "rsa-sha256 needs an RSA key", "cda.sign_key")
    if key.key_size < MIN_RSA_BITS:
        raise _fail(source, "", f"the RSA key is shorter than {MIN_RSA_BITS} bits", "cda.sign_key")
    return key


def _load_chain(cert_pem: bytes, key: rsa.RSAPrivateKey, when: dt.datetime, source: str) -> list[x509.Certificate]:
    """The signer's certificate (first) and any certificates of its chain, checked against the key and time."""
    try:
        chain = x509.load_pem_x509_certificates(cert_pem)
    except ValueError:
        raise _fail(source, "", "not a PEM X.509 certificate", "cda.sign_cert") from None
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if chain[0].public_key().public_bytes(serialization.Encoding.DER, public) != key.public_key().public_bytes(
        serialization.Encoding.DER, public
    ):
        raise _fail(source, "", "the first certificate is not the signing key's", "cda.sign_cert")
    if not chain[0].not_valid_before_utc <= when <= chain[0].not_valid_after_utc:
        raise _fail(source, "", "the certificate is not valid at the signing time", "cda.sign_cert")
    return chain


def _key_info(chain: list[x509.Certificate]) -> etree._Element:
    """KeyInfo/X509Data with each certificate as one line of base64 DER, as the sample has it."""
    key_info = etree.Element(_tag(DS, "KeyInfo"), nsmap={None: DS})
    data = etree.SubElement(key_info, _tag(DS, "X509Data"))
    for certificate in chain:
        der = certificate.public_bytes(serialization.Encoding.DER)
        etree.SubElement(data, _tag(DS, "X509Certificate")).text = base64.b64encode(der).decode("ascii")
    return key_info


def _free_number(root: etree._Element, collection: etree._Element) -> int:
    number = len(collection.findall(_tag(m.HL7FI, "signature"))) + 1
    while _by_id(root, SIGNATURE_ID.format(n=number)) or _by_id(root, TIMESTAMP_ID.format(n=number)):
        number += 1
    return number


def _xs_datetime(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _add_signature_element(
    root: etree._Element, header: etree._Element, signature_type: SignatureType, when: dt.datetime
) -> tuple[str, etree._Element]:
    """signatureCollection/signature with its description, timestamp and a placeholder ds:Signature (which
    signxml replaces); the timestamp's ID."""
    collection = header.find(_tag(m.HL7FI, "signatureCollection"))
    if collection is None:
        collection = etree.SubElement(header, _tag(m.HL7FI, "signatureCollection"), nsmap={None: m.HL7FI})
    number = _free_number(root, collection)
    wrapper = etree.SubElement(collection, _tag(m.HL7FI, "signature"), ID=SIGNATURE_ID.format(n=number))
    code, display = SIGNATURE_TYPES[signature_type]
    description = etree.SubElement(wrapper, _tag(m.HL7FI, "signatureDescription"), code=code)
    if display is not None:
        description.set("displayName", display)
    description.set("codeSystem", SIGNATURE_TYPE_SYSTEM)
    description.set("codeSystemName", SIGNATURE_TYPE_SYSTEM_NAME)
    timestamp_id = TIMESTAMP_ID.format(n=number)
    etree.SubElement(wrapper, _tag(m.HL7FI, "signatureTimestamp"), ID=timestamp_id).text = _xs_datetime(when)
    placeholder = etree.SubElement(wrapper, _tag(DS, "Signature"), Id="placeholder", nsmap={None: DS})
    return timestamp_id, placeholder


def sign(
    document_xml: bytes,
    key_pem: bytes,
    cert_pem: bytes,
    signature_type: SignatureType,
    when: dt.datetime,
    *,
    passphrase: bytes | None = None,
    source: str = "document",
    key_source: str = "signing key",
    cert_source: str = "signing certificate",
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """`document_xml` with one more signature (appended to its signatureCollection, made if missing) by the RSA
    key `key_pem` and its certificate `cert_pem` (PEM; more certificates after the first go into KeyInfo as its
    chain), time-stamped `when`. Deterministic: the same inputs give the same bytes. The document is parsed as
    decode parses it, so comments and processing instructions are dropped."""
    if signature_type not in SIGNATURE_TYPES:
        raise ValueError(f"signature type must be one of {', '.join(SIGNATURE_TYPES)}")
    moment = _utc(when)
    key = _load_key(key_pem, passphrase, key_source)
    chain = _load_chain(cert_pem, key, moment, cert_source)
    root = parse_safely(document_xml, source, limits)
    headers = root.findall(_tag(m.HL7FI, "localSocialHeader"))
    if len(headers) != 1:
        raise _fail(source, "/ClinicalDocument/hl7fi:localSocialHeader", "needs exactly one", "cda.sign_document")
    body = _body(root)
    if body is None or not _body_id_fits(root, body):
        raise _fail(
            source,
            "/ClinicalDocument/component/nonXMLBody/@ID",
            "needs one nonXMLBody whose ID is OID + the document id",
            "cda.sign_document",
        )
    timestamp_id, _ = _add_signature_element(root, headers[0], signature_type, moment)
    signer = XMLSigner(method=ENVELOPED, signature_algorithm=SignatureMethod.RSA_SHA256, c14n_algorithm=EXC_C14N)
    signer.namespaces = {None: DS}  # type: ignore[dict-item]  # the sample declares ds as the default namespace
    signed = signer.sign(
        root,
        key=key,
        reference_uri=[f"#{timestamp_id}", f"#{body.get('ID')}"],
        id_attribute="ID",
        key_info=_key_info(chain),
    )
    # Serialized as it is: pretty-printing now would change the signed SignedInfo.
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


# ---- verifying -----------------------------------------------------------------------------------------------------
_PREFIXES = {m.V3: "", m.HL7FI: "hl7fi:", DS: "ds:"}


def _xpath(element: etree._Element) -> str:
    """An absolute XPath of `element` (prefixes as the docs use them; positions where a name repeats)."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        name = etree.QName(node)
        prefix = _PREFIXES.get(name.namespace or "", f"Q{{{name.namespace}}}")
        parent = node.getparent()
        same = [c for c in parent if c.tag == node.tag] if parent is not None else [node]
        steps.append(prefix + name.localname + (f"[{same.index(node) + 1}]" if len(same) > 1 else ""))
        node = parent
    return "/" + "/".join(reversed(steps))


def _location(wrapper: etree._Element) -> str:
    """signxml's `location` of the ds:Signature inside `wrapper`: an ElementPath from the root with positions,
    so that verifying (and its enveloped-signature transform) works on this signature and no other."""
    steps = []
    node = wrapper
    while (parent := node.getparent()) is not None:
        steps.append(f"{node.tag}[{[c for c in parent if c.tag == node.tag].index(node) + 1}]")
        node = parent
    return "./" + "/".join(reversed(steps)) + "/"


def _is_placed(signature: etree._Element, root: etree._Element) -> bool:
    """The ds:Signature is in localSocialHeader/signatureCollection/signature, the header a child of the root."""
    node: etree._Element | None = signature
    for name in ("signature", "signatureCollection", "localSocialHeader"):
        node = node.getparent() if node is not None else None
        if node is None or node.tag != _tag(m.HL7FI, name):
            return False
    return node is not None and node.getparent() is root


def _kind(wrapper: etree._Element) -> str | None:
    description = wrapper.find(_tag(m.HL7FI, "signatureDescription"))
    code = description.get("code") if description is not None else None
    return {c: name for name, (c, _) in SIGNATURE_TYPES.items()}.get(code or "", code)


def _algorithms_ok(signed_info: etree._Element) -> bool:
    def algorithm(path: str) -> list[str]:
        return [e.get("Algorithm") or "" for e in signed_info.findall(path, {"ds": DS})]

    return (
        algorithm("ds:CanonicalizationMethod") == [EXC_C14N.value]
        and len(method := algorithm("ds:SignatureMethod")) == 1
        and method[0] in {s.value for s in SIGNATURE_METHODS}
        and all(a in {d.value for d in DIGESTS} for a in algorithm("ds:Reference/ds:DigestMethod"))
        and all(a in TRANSFORMS for a in algorithm("ds:Reference/ds:Transforms/ds:Transform"))
    )


def _reference_fault(
    root: etree._Element, signed_info: etree._Element, body: etree._Element | None, timestamp: etree._Element
) -> tuple[str, str | None] | None:
    """Why the references are not exactly this document's body and this signature's timestamp, if they are not."""
    targets = {"body": body, "timestamp": timestamp}
    seen: list[str] = []
    for reference in signed_info.findall(_tag(DS, "Reference")):
        uri = reference.get("URI") or ""
        found = _by_id(root, uri[1:]) if uri.startswith("#") and len(uri) > 1 else []
        if not uri.startswith("#") or len(found) > 1:
            return "wrong_reference", None
        if not found:
            return "missing_reference", None
        role = next((r for r, target in targets.items() if found[0] is target), None)
        if role is None or role in seen:
            return "wrong_reference", role
        seen.append(role)
    for role in targets:
        if role not in seen:
            return "missing_reference", role
    if body is not None and not _body_id_fits(root, body):
        return "wrong_reference", "body"
    return None


def _signer_certificate(signature: etree._Element) -> x509.Certificate | None:
    """The first X509Certificate of KeyInfo (the signer's; any further ones are its chain)."""
    found = signature.find(f"{_tag(DS, 'KeyInfo')}/{_tag(DS, 'X509Data')}/{_tag(DS, 'X509Certificate')}")
    if found is None:
        return None
    try:
        return x509.load_der_x509_certificate(base64.b64decode("".join((found.text or "").split()), validate=True))
    except (ValueError, binascii.Error):
        return None


def _trusted(certificate: x509.Certificate, anchors: Sequence[x509.Certificate]) -> bool:
    for anchor in anchors:
        if certificate == anchor:
            return True
        try:
            certificate.verify_directly_issued_by(anchor)
            return True
        except (ValueError, TypeError, cryptography.exceptions.InvalidSignature):
            continue
    return False


class _Verifier(XMLVerifier):
    """signxml's verifier, remembering which reference's digest failed (to say which signed part changed)."""

    failed_uri: str | None = None

    def _verify_reference(self, reference: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super()._verify_reference(reference, *args, **kwargs)
        except InvalidDigest:
            self.failed_uri = reference.get("URI")
            raise


def _crypto_fault(
    root: etree._Element, wrapper: etree._Element, certificate: x509.Certificate, moment: dt.datetime, count: int
) -> tuple[str, str | None] | None:
    """signxml's verdict on the signature value and the digests of its references."""
    verifier = _Verifier()
    config = SignatureConfiguration(
        location=_location(wrapper),
        expect_references=count,
        signature_methods=SIGNATURE_METHODS,
        digest_algorithms=DIGESTS,
        verification_time=moment,
    )
    try:
        verifier.verify(root, x509_cert=certificate, id_attribute="ID", parser=_PARSER, expect_config=config)
    except InvalidDigest:
        timestamp = wrapper.find(_tag(m.HL7FI, "signatureTimestamp"))
        is_timestamp = timestamp is not None and verifier.failed_uri == "#" + (timestamp.get("ID") or "")
        return "digest_mismatch", ("timestamp" if is_timestamp else "body") if verifier.failed_uri else None
    except InvalidCertificate:
        return "malformed", None
    except InvalidSignature:
        return "bad_signature_value", None
    except cryptography.exceptions.UnsupportedAlgorithm:
        return "unsupported_algorithm", None
    except (SignXMLException, InvalidInput, ValueError, TypeError, etree.LxmlError):
        return "malformed", None
    return None


def _check(
    root: etree._Element,
    signature: etree._Element,
    index: int,
    moment: dt.datetime,
    anchors: Sequence[x509.Certificate],
) -> SignatureCheck:
    placed = _is_placed(signature, root)
    wrapper = signature.getparent()
    kind = _kind(wrapper) if placed and wrapper is not None else None
    identity = wrapper.get("ID") if placed and wrapper is not None else None

    def result(reason: str | None = None, reference: str | None = None) -> SignatureCheck:
        code = f"cda.signature.{reason}" if reason else None
        return SignatureCheck(index, identity, _xpath(signature), kind, code, reference)

    if not placed or wrapper is None:
        return result("misplaced")
    timestamps = wrapper.findall(_tag(m.HL7FI, "signatureTimestamp"))
    signed_info = signature.find(_tag(DS, "SignedInfo"))
    if len(wrapper.findall(_tag(DS, "Signature"))) != 1 or len(timestamps) != 1 or signed_info is None:
        return result("malformed")
    if not _algorithms_ok(signed_info):
        return result("unsupported_algorithm")
    fault = _reference_fault(root, signed_info, _body(root), timestamps[0])
    if fault is not None:
        return result(*fault)
    certificate = _signer_certificate(signature)
    if certificate is None:
        return result("malformed")
    if moment < certificate.not_valid_before_utc:
        return result("cert_not_yet_valid")
    if moment > certificate.not_valid_after_utc:
        return result("cert_expired")
    if anchors and not _trusted(certificate, anchors):
        return result("untrusted_cert")
    count = len(signed_info.findall(_tag(DS, "Reference")))
    fault = _crypto_fault(root, wrapper, certificate, moment, count)
    return result(*fault) if fault else result()


def verify(
    document_xml: bytes,
    at: dt.datetime | None = None,
    *,
    trusted: Sequence[bytes] = (),
    source: str = "document",
    limits: Limits = DEFAULT_LIMITS,
) -> list[SignatureCheck]:
    """One result per ds:Signature of the document, in document order ([] when it has none). Certificates are
    checked for their validity dates at `at` (default: now) and, when `trusted` PEM certificates are given, for
    being one of them or issued by one. Hostile input is refused as decode refuses it (CdaInputError)."""
    moment = _utc(at) if at is not None else dt.datetime.now(dt.UTC)
    anchors = [c for pem in trusted for c in x509.load_pem_x509_certificates(pem)]
    root = parse_safely(document_xml, source, limits)
    signatures = root.iter(_tag(DS, "Signature"))
    return [_check(root, signature, index, moment, anchors) for index, signature in enumerate(signatures, start=1)]
