"""Encode a client document and its envelope as a CDA R2 archive document, and decode one safely.

encode: check the document (full mode; refused with its findings unless allow_invalid) -> display form
(XHTML) -> ClinicalDocument with the header (mapping.HEADER) and a nonXMLBody carrying the display form and
the JSON, both base64. decode: refuse anything hostile (DOCTYPE, entities, network, external schema locations,
XInclude, oversize, too deep, too many nodes), read the header into an Envelope and the JSON back into the
document. Every bound is in `limits.Limits`; encode refuses what decode would. No message quotes a value of the
document, the envelope or the header: they name the place.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from pydantic import ValidationError

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.checks import Issue, document_errors, document_findings
from sosmeta.generators.cda.display import render_display
from sosmeta.generators.cda.doctext import HeaderText, document_text
from sosmeta.generators.cda.envelope import Envelope, envelope_problems
from sosmeta.generators.cda.header import HeaderError, header_root, location_of, read_header
from sosmeta.generators.cda.jsonform import compact_json
from sosmeta.generators.cda.jsontext import load_object, too_deep
from sosmeta.generators.cda.limits import DEFAULT_LIMITS, Limits, base64_size
from sosmeta.generators.cda.safexml import PARSER, CdaInputError, fail, parse_safely
from sosmeta.safeio.jsonl import _nesting_over as nesting_over
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation

if TYPE_CHECKING:
    from sosmeta.generators.cda.signature_shape import SignatureType
    from sosmeta.generators.cda.signing import SigningKey

CLINICAL_DOCUMENT = f"{{{m.V3}}}ClinicalDocument"
_WHITESPACE = re.compile(rb"\s+")
_PARSER = PARSER  # the name signing.py knows


HEADER_ALLOWANCE = 256 * 1024
"""Room for the header and the body's markup beside the two base64 forms, for the check before assembling (the
envelope's text limits keep a header well below it; the finished document is measured again anyway)."""


class DocumentRefused(CdaInputError):
    """The document does not satisfy its structure (the findings are the problems)."""


_fail = fail  # the name frame.py and the tests know


# ---- encode --------------------------------------------------------------------------------------------------------
def document_json(document: dict[str, Any]) -> bytes:
    """The structured form: compact UTF-8 JSON, members in the document's own order (`jsonform`: the bytes of
    json.dumps, by orjson where they are proven the same)."""
    return compact_json(document)[0]


def refuse_invalid(source: str, issues: list[Issue]) -> DocumentRefused:
    return DocumentRefused([Problem(source, i.pointer or "/", i.message, i.code) for i in issues])


def _too_large(source: str, what: str, size: int, limit: int) -> CdaInputError:
    return _fail(source, "/", f"{what} would be {size} bytes, over the {limit} byte limit", "cda.too_large")


def _structured_form(document: dict[str, Any], source: str, limits: Limits) -> bytes:
    """The JSON carried in the body, refused when decode would refuse it (size, depth, text, numbers)."""
    try:
        structured, shallow = compact_json(document, limits.max_json_depth)
    except UnicodeEncodeError:
        raise _fail(source, "/", "the document holds a lone surrogate, which is not Unicode text", "cda.text") from None
    except ValueError:
        raise _fail(
            source, "/", "the document holds a number JSON cannot carry (NaN or infinity)", "cda.json_number"
        ) from None
    except RecursionError:
        raise _fail(source, "/", "the document is nested too deeply", "cda.too_deep") from None
    except TypeError:  # only from Python callers: a value that is not JSON (a date, a set, ...)
        raise _fail(source, "/", "the document holds a value that is not JSON", "cda.json") from None
    if len(structured) > limits.max_json_bytes:
        raise _too_large(source, "the document's JSON", len(structured), limits.max_json_bytes)
    if not shallow and nests_deeper_than(structured, document, limits.max_json_depth):
        raise _fail(source, "/", f"the document nests deeper than {limits.max_json_depth} levels", "cda.too_deep")
    return structured


def nests_deeper_than(text: bytes, value: Any, limit: int) -> bool:
    """Whether `value`, parsed from the JSON `text`, nests arrays and objects deeper than `limit`: most documents
    have fewer brackets than that; the others are answered from the brackets of the text (in C), and only when a
    string holds a bracket by walking the value."""
    if text.count(b"[") + text.count(b"{") <= limit:
        return False
    over = nesting_over(text, limit)
    return too_deep(value, limit) if over is None else over


@dataclass(frozen=True)
class Signing:
    """Sign the finished document (`signing.sign_with`): a key loaded once (`signing.load_signing_key`) and the
    signature type. The time stamp is the envelope's creation time, so that encoding stays deterministic."""

    key: SigningKey
    signature_type: SignatureType = "system"


SIGNING_FILE_BYTES = 1024 * 1024
"""The most a key, certificate or passphrase file may hold (a PEM chain is a few kB)."""


def load_signing(
    key_file: Path, cert_file: Path, signature_type: SignatureType = "system", passphrase_file: Path | None = None
) -> Signing:
    """A `Signing` from PEM files, loaded once (for one document or a whole bulk run). The passphrase file's
    content without its final line break is the passphrase. Errors name the file, never its content."""
    from sosmeta.generators.cda.signing import load_signing_key
    from sosmeta.safeio.reading import read_bounded

    passphrase = None
    if passphrase_file is not None:
        passphrase = read_bounded(passphrase_file, SIGNING_FILE_BYTES).removesuffix(b"\n").removesuffix(b"\r")
    key = load_signing_key(
        read_bounded(key_file, SIGNING_FILE_BYTES),
        read_bounded(cert_file, SIGNING_FILE_BYTES),
        passphrase=passphrase,
        key_source=str(key_file),
        cert_source=str(cert_file),
    )
    return Signing(key, signature_type)


def encode(
    structure: Structure,
    document: dict[str, Any],
    envelope: Envelope,
    *,
    profile: Organisation | None = None,
    templates: Path | None = None,
    allow_invalid: bool = False,
    source: str = "document",
    signer: Signer | None = None,
    signing: Signing | None = None,
    limits: Limits = DEFAULT_LIMITS,
    header: HeaderText | None = None,
) -> bytes:
    """The CDA R2 archive document (UTF-8 bytes, deterministic) of `document` described by `envelope`.
    `signer`, when given, changes the finished ClinicalDocument tree in place (see `Signer`); `signing` signs the
    serialized document, which is then never re-indented. Sizes are checked before the work they would cost, so
    nothing is written that `decode` (with the same limits) refuses. `header`: the envelope's
    `doctext.header_text`, when the caller has it already (the migration, which frames from it too)."""
    if not isinstance(document, dict):
        raise _fail(source, "/", "a client document must be a JSON object", "cda.not_object")
    if envelope.content_specification_id != structure.version_oid:
        raise _fail(
            source,
            location_of("content_specification_id"),
            f"the envelope names another structure version than {structure.version_oid}, which the document "
            "is checked against",
            "cda.structure_mismatch",
        )
    structured = _structured_form(document, source, limits)
    issues = document_errors(structure, document)
    if issues and not allow_invalid:
        raise refuse_invalid(source, issues)
    try:
        display = render_display(structure, document, envelope, profile, templates).encode("utf-8")
    except UnicodeEncodeError:
        raise _fail(source, "/", "the document holds a lone surrogate, which is not Unicode text", "cda.text") from None
    except RecursionError:
        raise _fail(source, "/", "the document is nested too deeply", "cda.too_deep") from None
    if len(display) > limits.max_display_bytes:
        raise _too_large(source, "the display form", len(display), limits.max_display_bytes)
    expected = base64_size(len(structured)) + base64_size(len(display)) + HEADER_ALLOWANCE
    if expected > limits.max_document_bytes:
        raise _too_large(source, "the archive document", expected, limits.max_document_bytes)
    data = assemble(envelope, display, structured, signer, source=source, limits=limits, header=header)
    if signing is not None:
        from sosmeta.generators.cda.signing import sign_with

        data = sign_with(
            data, signing.key, signing.signature_type, envelope.creation_time, source=source, limits=limits
        )
    if len(data) > limits.max_document_bytes:
        raise _too_large(source, "the archive document", len(data), limits.max_document_bytes)
    return data


Signer = Callable[[etree._Element], None]
"""A hook that gets the finished ClinicalDocument tree before it is serialized (e.g. to add elements). To sign,
use `Signing` instead: it signs the serialized document, which a tree hook cannot (pretty-printing after signing
would break the signature)."""


def assemble(
    envelope: Envelope,
    display: bytes,
    structured: bytes,
    signer: Signer | None = None,
    *,
    source: str = "envelope",
    limits: Limits = DEFAULT_LIMITS,
    header: HeaderText | None = None,
) -> bytes:
    """The ClinicalDocument from an envelope and the two body forms (already serialized): from the text template
    of the envelope's shape (`doctext`) where it applies, else as a tree. `header`: as `encode` takes it."""
    if signer is None:
        data = document_text(
            envelope, display, structured, lambda: _tree(envelope, display, structured, None, source, limits), header
        )
        if data is not None:
            return data
    return _tree(envelope, display, structured, signer, source, limits)


def _tree(
    envelope: Envelope, display: bytes, structured: bytes, signer: Signer | None, source: str, limits: Limits
) -> bytes:
    """`assemble` by building the tree (lxml) and serializing it."""
    root, kept = header_root(envelope, source)
    body = etree.SubElement(
        etree.SubElement(root, f"{{{m.V3}}}component"),
        f"{{{m.V3}}}nonXMLBody",
        ID=m.BODY_ID_PREFIX + envelope.document_id,
    )
    text = etree.SubElement(body, f"{{{m.V3}}}text", mediaType=m.DISPLAY_MEDIA_TYPE, representation="B64")
    text.text = base64.b64encode(display).decode("ascii")
    etree.SubElement(body, f"{{{m.HL7FI}}}{m.JSON_ELEMENT}").text = base64.b64encode(structured).decode("ascii")
    if signer is not None:
        signer(root)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    if kept.texts:  # XML kept verbatim: put in after serializing, then read as decode reads it
        data = kept.substitute(data)
        parse_safely(data, source, limits)
    return data


# ---- decode: content -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decoded:
    envelope: Envelope
    document: dict[str, Any]
    display: bytes | None


def _b64(text: str | None, source: str, location: str, limit: int) -> bytes:
    raw = (text or "").encode("ascii", "replace")
    if len(raw) > limit * 4 // 3 + 1024:
        raise _fail(source, location, f"base64 content larger than {limit} bytes", "cda.too_large")
    try:
        return base64.b64decode(_WHITESPACE.sub(b"", raw), validate=True)
    except (binascii.Error, ValueError):
        raise _fail(source, location, "not valid base64", "cda.base64") from None


def parse_document_json(raw: bytes, source: str, location: str, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """The structured form read back: strict JSON (see `jsontext`), at most `limits.max_json_bytes`."""
    if len(raw) > limits.max_json_bytes:
        raise _fail(source, location, f"JSON larger than {limits.max_json_bytes} bytes", "cda.too_large")
    try:
        return load_object(raw, source, "JSON", limits.max_json_depth, location)
    except InputError as exc:
        raise CdaInputError(exc.problems) from None


def _header_place(loc: tuple[int | str, ...]) -> str:
    field = ".".join(str(p) for p in loc if not isinstance(p, int))
    return location_of(field) if field else "header"


def _envelope(root: etree._Element, source: str) -> Envelope:
    try:
        return Envelope.model_validate(read_header(root))
    except HeaderError as exc:
        raise _fail(source, exc.location, str(exc), "cda.header") from None
    except ValidationError as exc:
        raise CdaInputError(envelope_problems(exc, source, _header_place, "cda.header")) from None


def decode(
    data: bytes, source: str = "document", limits: Limits = DEFAULT_LIMITS, with_display: bool = False
) -> Decoded:
    """The envelope and the JSON document of a CDA archive document (no structure check: see `check`)."""
    root = parse_safely(data, source, limits)
    if root.tag != CLINICAL_DOCUMENT:
        raise _fail(source, "/", "the root element is not an HL7 v3 ClinicalDocument", "cda.root")
    envelope = _envelope(root, source)
    body = root.find(f"{{{m.V3}}}component/{{{m.V3}}}nonXMLBody")
    if body is None:
        raise _fail(source, "component/nonXMLBody", "no nonXMLBody", "cda.body")
    carrier = body.find(f"{{{m.HL7FI}}}{m.JSON_ELEMENT}")
    location = "component/nonXMLBody/hl7fi:json"
    if carrier is None:
        raise _fail(source, location, "no structured form (hl7fi:json)", "cda.body")
    representation = (carrier.get("representation") or "B64").upper()
    if representation == "TXT":
        raw = (carrier.text or "").encode("utf-8")
    elif representation == "B64":
        raw = _b64(carrier.text, source, location, limits.max_json_bytes)
    else:
        raise _fail(source, location, "representation must be B64 or TXT", "cda.body")
    document = parse_document_json(raw, source, location, limits)
    display = None
    if with_display:
        text = body.find(f"{{{m.V3}}}text")
        display = _b64(
            text.text if text is not None else "", source, "component/nonXMLBody/text", limits.max_display_bytes
        )
    return Decoded(envelope, document, display)


def check(decoded: Decoded, structure: Structure) -> list[Issue]:
    """Findings of the decoded document against the structure its envelope names."""
    return document_findings(structure, decoded.document)
