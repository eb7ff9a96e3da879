"""Helpers for the frame, package, decode and check tests: the real samples, a catalog of the structures they
use, documents from the project's own encoder, a signing key made here, and the command line."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.generators.cda.codec import encode
from sosmeta.generators.cda.frame import FrameOptions, Person
from sosmeta.generators.cda.localnames import local
from sosmeta.structures.model import Structure
from tests.cda_support import example_documents, example_envelope
from tests.conftest import CORPUS, SHARED, load_corpus_structure, require_corpus

SAMPLES = SHARED / "kanta-samples"
SAMPLE_DOCUMENT = SAMPLES / "asiakkuusasiakirja-document.xml"
SAMPLE_FRAME = SAMPLES / "asiakkuusasiakirja-frame.xml"
CLIENT_RELATIONSHIP = "1.2.246.537.6.1505.1.2023.6.1"
PLAN = "1.2.246.537.6.1506.15007.2024.11.28"
HELSINKI_SUMMER = dt.timezone(dt.timedelta(hours=3))

SAMPLE_OPTIONS = FrameOptions(
    message_root="1.2.246.10.27489432.10.0",
    message_number="10037140046",
    created=dt.datetime(2026, 7, 17, 13, 6, 54, tzinfo=HELSINKI_SUMMER),
    sender="1.2.246.10.32213561.10.0",
    performer=Person("010714-9983", given=("Holger",), family="Ovaskainen"),
)
"""The options that give the sample frame's sender, message id, time and user (all test values)."""
SAMPLE_CLI = (
    "--message-id", "1.2.246.10.27489432.10.0", "--message-number", "10037140046",
    "--created", "2026-07-17T13:06:54+03:00", "--sender", "1.2.246.10.32213561.10.0",
    "--performer-id", "010714-9983", "--performer-given", "Holger", "--performer-family", "Ovaskainen",
)  # fmt: skip


def sample_bytes(path: Path) -> bytes:
    if not path.is_file():
        require_corpus()
        raise AssertionError(f"missing sample {path}")
    return path.read_bytes()


def structure(version_oid: str) -> Structure:
    path = CORPUS / f"{version_oid}.json"
    if not path.is_file():
        require_corpus()
    return load_corpus_structure(path)


def make_catalog(folder: Path, *version_oids: str) -> Path:
    catalog = Catalog(folder)
    for oid in version_oids or (CLIENT_RELATIONSHIP, PLAN):
        catalog.add(structure(oid))
    return folder


def encoded(version_oid: str, number: int = 1, **overrides: object) -> bytes:
    """The project's archive document of the example document of a structure (test identities only)."""
    chosen = structure(version_oid)
    document = example_documents(chosen, 1, seed=number)[0]
    return encode(chosen, document, example_envelope(chosen, number, **overrides), allow_invalid=True)


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def items(root: etree._Element) -> Counter[tuple[str, str, str]]:
    """Every (path of local names, attribute or #text, value) of a tree, counted: what parity compares."""
    out: Counter[tuple[str, str, str]] = Counter()

    def walk(element: etree._Element, path: str) -> None:
        here = f"{path}/{local(element)}" if path else local(element)
        for name, value in element.attrib.items():
            out[(here, etree.QName(name).localname, value)] += 1
        children = [c for c in element if isinstance(c.tag, str)]
        if not children and element.text and element.text.strip():
            out[(here, "#text", element.text.strip())] += 1
        for child in children:
            walk(child, here)

    walk(root, "")
    return out


@dataclass(frozen=True)
class Signer:
    key: bytes
    cert: bytes


def make_signer() -> Signer:
    """An RSA key and a self-signed certificate valid from 2024 to a year from now (made here, never real)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sosmeta test system")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Signer(pem_key, cert.public_bytes(serialization.Encoding.PEM))
