"""Helpers for the CDA tests: example documents and envelopes, the Kanta sample, and a document's header as a set
of (place, attribute, value) triples for parity tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from sosmeta.generators.cda import samples
from sosmeta.generators.cda.envelope import Envelope
from sosmeta.generators.examples import example_documents
from sosmeta.generators.strategies import documents
from sosmeta.structures.model import Structure
from tests.conftest import SHARED, require_corpus

SAMPLES = SHARED / "kanta-samples"
SAMPLE_DOCUMENT = SAMPLES / "asiakkuusasiakirja-document.xml"
SAMPLE_STRUCTURE = "1.2.246.537.6.1505.1.2023.6.1"
SCHEMAS = SHARED / "schemas"
CORE = SCHEMAS / "cda-r2-normative"
FINNISH = SCHEMAS / "kanta-cda-fi"
DS = "http://www.w3.org/2000/09/xmldsig#"

Triple = tuple[str, str | None, str]


def example_envelope(structure: Structure, number: int = 1, **overrides: Any) -> Envelope:
    """The build's example envelope with the structure's name as its (optional) title, which real traffic leaves
    out: the tests cover both."""
    return samples.example_envelope(structure, number, **{"title": structure.fi_title, **overrides})


def document_strategy(structure: Structure) -> Any:
    """Hypothesis documents of `structure` (the project's strategy)."""
    return documents(structure)


def sample_bytes() -> bytes:
    if not SAMPLE_DOCUMENT.is_file():
        require_corpus()
        pytest.skip(f"Kanta sample missing in {SAMPLES}")
    return SAMPLE_DOCUMENT.read_bytes()


def local_path(element: etree._Element) -> str:
    """`/ClinicalDocument/recordTarget/...`: local names, no prefixes, no positions."""
    names = [etree.QName(e).localname for e in (*reversed(list(element.iterancestors())), element)]
    return "/" + "/".join(names)


def header_triples(data: bytes, leave_out: tuple[str, ...] = ()) -> set[Triple]:
    """Every element's attributes and text of a document's header (not the body, not comments) as (local path,
    attribute or None for the text, value); `leave_out`: local names whose whole subtree is left out."""
    root = etree.fromstring(data, etree.XMLParser(remove_comments=True, remove_pis=True))
    out: set[Triple] = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        names = set(local_path(element).split("/"))
        if "component" in names or names & set(leave_out):
            continue
        path = local_path(element)
        if not len(element) and element.text is None and not element.attrib:
            out.add((path, None, ""))
        out.update((path, etree.QName(name).localname, value) for name, value in element.attrib.items())
        if (element.text or "").strip():
            out.add((path, None, element.text.strip()))
    return out


__all__ = ["document_strategy", "example_documents", "example_envelope", "header_triples", "sample_bytes"]


def full_envelope(structure: Structure, number: int = 1, **overrides: Any) -> Envelope:
    """An example envelope with every part real traffic shows: organiser and unit, consent, retention, K/E with its
    texts, restriction arguments, a professional signature, code system names (test identities only)."""
    time = samples.EXAMPLE_TIME
    data: dict[str, Any] = {
        "language_code": "FI",
        "service_organiser": {"oid": "1.2.246.10.1234567.10.0", "name": "Esimerkkikunta"},
        "service_unit": {"oid": "1.2.246.10.1234567.10.2001", "name": "Perhetyö"},
        "service_task": {"code": "24", "display": "Lapsiperheiden palvelut"},
        "process_phase": {"code": "3", "display": "Asiakkuuden suunnittelu"},
        "minor_disclosure": {"code": "1", "system_name": "Sosiaalihuolto - Alaikäisen asiakastietojen luovuttaminen"},
        "retention_class": {"code": "1", "display": "Säilytetään pysyvästi"},
        "special_content": {"code": "K", "display": "Kyllä", "system_name": "AR/YDIN - Kyllä/EI/Ei tietoa"},
        "outsourcing_customer": {"oid": "1.2.246.10.1234567.10.0", "name": "Esimerkkikunta"},
        "authorization_restrictions": ["Viivästys 1"],
        "inaccessible_arguments": [{"code": "1"}],
        "file_format": {"code": "2", "display": "XHTML_1.1"},
        "signature": {
            "signer_id": "100012345",
            "given": "Sanna",
            "family": "Laine",
            "method": {"code": "1"},
            "time": time,
        },
    }
    data.update(overrides)
    return samples.example_envelope(structure, number, **data)


def signing_files(folder: Path, passphrase: bytes | None = None) -> tuple[Path, Path]:
    """A 2048-bit RSA key and a self-signed certificate valid 2024-2035 (around the example time), as PEM files."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sosmeta test system")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2035, 1, 1, tzinfo=dt.UTC))
        .sign(key, hashes.SHA256())
    )
    protection = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    key_file, cert_file = folder / "key.pem", folder / "cert.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, protection))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file
