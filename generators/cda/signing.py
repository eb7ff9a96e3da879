"""XML signatures of CDA archive documents as Kanta's traffic carries them: `sign()` adds one, `verify()` checks all.

A signature is an enveloped XML-DSig `Signature` (exc-c14n, rsa-sha256, sha256) in
`localSocialHeader/signatureCollection/signature`, referencing its own `signatureTimestamp` and
`#OID{document id}` (the nonXMLBody), with the signer's certificate in KeyInfo (the shape: `signature_shape`).
signxml does the XML-DSig work (canonicalization, digests, signature values, resolving references by the `ID`
attribute). Verifying also refuses what signxml alone would accept but Kanta's shape does not: references
other than exactly this document's nonXMLBody and this signature's own timestamp (signature wrapping), other
algorithms, and certificates outside their validity dates (or, when trust anchors are given, not issued by
one). Results and errors name places (XPath) and codes, never values.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cryptography.exceptions
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from signxml import SignatureConfiguration, XMLSigner, XMLVerifier
from signxml.algorithms import SignatureMethod
from signxml.exceptions import InvalidCertificate, InvalidDigest, InvalidInput, InvalidSignature, SignXMLException

from sosmeta.generators.cda.codec import _PARSER, DEFAULT_LIMITS, CdaInputError, Limits, parse_safely
from sosmeta.generators.cda.signature_shape import (
    DIGESTS,
    DS,
    DSIG,
    ENVELOPED,
    EXC_C14N,
    FI,
    SIGNATURE_METHODS,
    SIGNATURE_TYPES,
    SignatureType,
    add_signature_element,
    algorithms_ok,
    location,
    nonxml_body,
    reference_fault,
    signature_kind,
    wrapper_of,
    xpath_of,
)
from sosmeta.sosmeta_import.errors import Problem

# signxml logs the canonicalized signed data at DEBUG level: document values must never reach a log.
logging.getLogger("signxml").setLevel(logging.INFO)

MIN_RSA_BITS = 2048

REASONS: dict[str, str] = {
    "misplaced": "a ds:Signature outside localSocialHeader/signatureCollection/signature",
    "malformed": "the signature is incomplete or unreadable (SignedInfo, SignatureValue, timestamp or certificate)",
    "unsupported_algorithm": "an algorithm other than exc-c14n, rsa-sha256/384/512, sha256/384/512 and enveloped",
    "missing_reference": "a reference names no element, or the nonXMLBody or the own timestamp is not referenced",
    "wrong_reference": "a reference resolves to more than one element or to another than this document's nonXMLBody "
    "(ID = OID + document id) or this signature's own timestamp (signature wrapping)",
    "cert_not_yet_valid": "the signer's certificate is not yet valid at the verification time",
    "cert_expired": "the signer's certificate has expired at the verification time",
    "untrusted_cert": "the signer's certificate is neither a trusted certificate nor issued by one",
    "digest_mismatch": "a signed part was changed after signing (digest mismatch)",
    "bad_signature_value": "the signature value does not verify with the certificate's key",
}
ROLES = {"body": "the nonXMLBody", "timestamp": "the signature timestamp"}


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome for one ds:Signature: ok (`code` None) or one coded reason. `index` counts from 1 in document
    order; `signature_id` is the wrapping `signature@ID` (technical, kept out of messages); `signature_type` is
    "system", "professional", another signatureDescription code as it is, or None; `reference` names the signed
    part that failed ("body" or "timestamp") when known."""

    index: int
    signature_id: str | None
    xpath: str
    signature_type: str | None
    code: str | None = None
    reference: str | None = None

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


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("a signing or verification time needs a time zone")
    return moment.astimezone(dt.UTC)


# ---- signing -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SigningKey:
    """An RSA key and its certificate chain (the signer's certificate first), loaded and checked once: loading
    an RSA key checks it, which costs some 50 ms, so bulk signing loads it once and signs with `sign_with`."""

    key: rsa.RSAPrivateKey
    chain: tuple[x509.Certificate, ...]
    source: str = "signing certificate"


def load_signing_key(
    key_pem: bytes,
    cert_pem: bytes,
    *,
    passphrase: bytes | None = None,
    key_source: str = "signing key",
    cert_source: str = "signing certificate",
) -> SigningKey:
    """The key and certificates of PEM texts; errors name `key_source` or `cert_source`, never their content."""
    try:
        key = serialization.load_pem_private_key(key_pem, password=passphrase)
    except (ValueError, TypeError, cryptography.exceptions.UnsupportedAlgorithm):
        raise _fail(key_source, "", "not a PEM private key, or a wrong or missing passphrase", "cda.sign_key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise _fail(key_source, "", "rsa-sha256 needs an RSA key", "cda.sign_key")
    if key.key_size < MIN_RSA_BITS:
        raise _fail(key_source, "", f"the RSA key is shorter than {MIN_RSA_BITS} bits", "cda.sign_key")
    try:
        chain = tuple(x509.load_pem_x509_certificates(cert_pem))
    except ValueError:
        raise _fail(cert_source, "", "not a PEM X.509 certificate", "cda.sign_cert") from None
    if chain[0].public_key() != key.public_key():
        raise _fail(cert_source, "", "the first certificate is not the signing key's", "cda.sign_cert")
    return SigningKey(key, chain, cert_source)


def _key_info(chain: tuple[x509.Certificate, ...]) -> etree._Element:
    """KeyInfo/X509Data with each certificate as one line of base64 DER, as the sample has it."""
    key_info = etree.Element(DSIG + "KeyInfo", nsmap={None: DS})
    data = etree.SubElement(key_info, DSIG + "X509Data")
    for certificate in chain:
        der = certificate.public_bytes(serialization.Encoding.DER)
        etree.SubElement(data, DSIG + "X509Certificate").text = base64.b64encode(der).decode("ascii")
    return key_info


def sign_with(
    document_xml: bytes,
    signing_key: SigningKey,
    signature_type: SignatureType,
    when: dt.datetime,
    *,
    source: str = "document",
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """`document_xml` with one more signature by `signing_key` (appended to its signatureCollection, made if
    missing), time-stamped `when`. Deterministic: the same inputs give the same bytes. The document is parsed as
    decode parses it, so comments and processing instructions are dropped."""
    if signature_type not in SIGNATURE_TYPES:
        raise ValueError(f"signature type must be one of {', '.join(SIGNATURE_TYPES)}")
    moment, signer_cert = _utc(when), signing_key.chain[0]
    if not signer_cert.not_valid_before_utc <= moment <= signer_cert.not_valid_after_utc:
        raise _fail(signing_key.source, "", "the certificate is not valid at the signing time", "cda.sign_cert")
    root = parse_safely(document_xml, source, limits)
    headers = root.findall(FI + "localSocialHeader")
    if len(headers) != 1:
        raise _fail(source, "/ClinicalDocument/hl7fi:localSocialHeader", "needs exactly one", "cda.sign_document")
    body, fits = nonxml_body(root)
    if body is None or not fits:
        raise _fail(
            source, "/ClinicalDocument/component/nonXMLBody/@ID", "not OID + the document id", "cda.sign_document"
        )
    timestamp_id = add_signature_element(root, headers[0], signature_type, moment)
    signer = XMLSigner(method=ENVELOPED, signature_algorithm=SignatureMethod.RSA_SHA256, c14n_algorithm=EXC_C14N)
    signer.namespaces = {None: DS}  # type: ignore[dict-item]  # the sample declares ds as the default namespace
    references = [f"#{timestamp_id}", f"#{body.get('ID')}"]
    key_info = _key_info(signing_key.chain)
    signed = signer.sign(root, key=signing_key.key, reference_uri=references, id_attribute="ID", key_info=key_info)
    # Serialized as it is: pretty-printing now would change the signed SignedInfo.
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


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
    """`sign_with` for a PEM RSA key and its certificate (more certificates after the first go into KeyInfo as
    its chain)."""
    signing_key = load_signing_key(
        key_pem, cert_pem, passphrase=passphrase, key_source=key_source, cert_source=cert_source
    )
    return sign_with(document_xml, signing_key, signature_type, when, source=source, limits=limits)


# ---- verifying -----------------------------------------------------------------------------------------------------
def _signer_certificate(signature: etree._Element) -> x509.Certificate | None:
    """The first X509Certificate of KeyInfo (the signer's; any further ones are its chain)."""
    found = signature.find(f"{DSIG}KeyInfo/{DSIG}X509Data/{DSIG}X509Certificate")
    if found is None:
        return None
    try:
        return x509.load_der_x509_certificate(base64.b64decode("".join((found.text or "").split()), validate=True))
    except (ValueError, binascii.Error):
        return None


def _trusted(certificate: x509.Certificate, anchors: list[x509.Certificate]) -> bool:
    """`certificate` is one of `anchors` or directly issued by one."""
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
        location=location(wrapper),
        expect_references=count,
        signature_methods=SIGNATURE_METHODS,
        digest_algorithms=DIGESTS,
        verification_time=moment,
    )
    try:
        verifier.verify(root, x509_cert=certificate, id_attribute="ID", parser=_PARSER, expect_config=config)
    except InvalidDigest:
        timestamp = wrapper.find(FI + "signatureTimestamp")
        is_timestamp = timestamp is not None and verifier.failed_uri == "#" + (timestamp.get("ID") or "")
        return "digest_mismatch", ("timestamp" if is_timestamp else "body") if verifier.failed_uri else None
    except InvalidSignature as error:  # a certificate signxml cannot use is no verdict on the value
        return ("malformed" if isinstance(error, InvalidCertificate) else "bad_signature_value"), None
    except cryptography.exceptions.UnsupportedAlgorithm:
        return "unsupported_algorithm", None
    except (SignXMLException, InvalidInput, ValueError, TypeError, etree.LxmlError):
        return "malformed", None
    return None


def _check(
    root: etree._Element, signature: etree._Element, index: int, moment: dt.datetime, anchors: list[x509.Certificate]
) -> SignatureCheck:
    """The first fault of one signature, cheapest checks first; the crypto (signxml) last."""
    wrapper = wrapper_of(signature)
    identity = wrapper.get("ID") if wrapper is not None else None
    kind = signature_kind(wrapper) if wrapper is not None else None

    def result(reason: str | None = None, reference: str | None = None) -> SignatureCheck:
        code = f"cda.signature.{reason}" if reason else None
        return SignatureCheck(index, identity, xpath_of(signature), kind, code, reference)

    if wrapper is None:
        return result("misplaced")
    timestamps = wrapper.findall(FI + "signatureTimestamp")
    signed_info = signature.find(DSIG + "SignedInfo")
    if len(wrapper.findall(DSIG + "Signature")) != 1 or len(timestamps) != 1 or signed_info is None:
        return result("malformed")
    if not algorithms_ok(signed_info):
        return result("unsupported_algorithm")
    fault = reference_fault(root, signed_info, timestamps[0])
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
    count = len(signed_info.findall(DSIG + "Reference"))
    fault = _crypto_fault(root, wrapper, certificate, moment, count)
    return result(*fault) if fault else result()


def verify(
    document_xml: bytes,
    at: dt.datetime | None = None,
    *,
    trusted: Sequence[bytes] = (),
    source: str = "document",
    trusted_source: str = "trusted certificates",
    limits: Limits = DEFAULT_LIMITS,
) -> list[SignatureCheck]:
    """One result per ds:Signature of the document, in document order ([] when it has none). Certificates are
    checked for their validity dates at `at` (default: now) and, when `trusted` PEM certificates are given, for
    being one of them or issued by one. Hostile input is refused as decode refuses it (CdaInputError)."""
    moment = _utc(at) if at is not None else dt.datetime.now(dt.UTC)
    try:
        anchors = [c for pem in trusted for c in x509.load_pem_x509_certificates(pem)]
    except ValueError:
        raise _fail(trusted_source, "", "not a PEM X.509 certificate", "cda.trusted_cert") from None
    root = parse_safely(document_xml, source, limits)
    return [_check(root, sig, index, moment, anchors) for index, sig in enumerate(root.iter(DSIG + "Signature"), 1)]
