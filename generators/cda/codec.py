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
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pydantic import ValidationError

from generators.cda import mapping as m
from generators.cda.checks import Issue, document_errors, document_findings
from generators.cda.display import render_display
from generators.cda.envelope import Envelope, envelope_problems
from generators.cda.header import HeaderError, header_root, location_of, read_header
from generators.cda.jsontext import load_object, too_deep
from generators.cda.limits import DEFAULT_LIMITS, LIBXML2_TEXT_BYTES, Limits, base64_size
from sosmeta_import.errors import InputError, Problem
from structures.model import Structure
from structures.organisation import Organisation

CLINICAL_DOCUMENT = f"{{{m.V3}}}ClinicalDocument"
_WHITESPACE = re.compile(rb"\s+")
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_EXTERNAL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:|//|\\\\)")  # a URL scheme, or a network path


HEADER_ALLOWANCE = 256 * 1024
"""Room for the header and the body's markup beside the two base64 forms, for the check before assembling (the
envelope's text limits keep a header well below it; the finished document is measured again anyway)."""


class CdaInputError(InputError):
    """A CDA document that cannot be encoded or decoded (one located problem per line, values never shown)."""


class DocumentRefused(CdaInputError):
    """The document does not satisfy its structure (the findings are the problems)."""


def _fail(source: str, location: str, message: str, code: str) -> CdaInputError:
    return CdaInputError([Problem(source, location, message, code)])


# ---- encode --------------------------------------------------------------------------------------------------------
def document_json(document: dict[str, Any]) -> bytes:
    """The structured form: compact UTF-8 JSON, members in the document's own order."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def refuse_invalid(source: str, issues: list[Issue]) -> DocumentRefused:
    return DocumentRefused([Problem(source, i.pointer or "/", i.message, i.code) for i in issues])


def _too_large(source: str, what: str, size: int, limit: int) -> CdaInputError:
    return _fail(source, "/", f"{what} would be {size} bytes, over the {limit} byte limit", "cda.too_large")


def _structured_form(document: dict[str, Any], source: str, limits: Limits) -> bytes:
    """The JSON carried in the body, refused when decode would refuse it (size, depth, text, numbers)."""
    try:
        structured = document_json(document)
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
    brackets = structured.count(b"[") + structured.count(b"{")  # most documents have a few dozen: no walk
    if brackets > limits.max_json_depth and too_deep(document, limits.max_json_depth):
        raise _fail(source, "/", f"the document nests deeper than {limits.max_json_depth} levels", "cda.too_deep")
    return structured


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
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """The CDA R2 archive document (UTF-8 bytes, deterministic) of `document` described by `envelope`.
    `signer`, when given, signs the finished ClinicalDocument in place (see `Signer`). Sizes are checked
    before the work they would cost, so nothing is written that `decode` (with the same limits) refuses."""
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
    data = assemble(envelope, display, structured, signer)
    if len(data) > limits.max_document_bytes:
        raise _too_large(source, "the archive document", len(data), limits.max_document_bytes)
    return data


Signer = Callable[[etree._Element], None]
"""The signing hook: gets the finished ClinicalDocument and adds the organisation's XML signature to it
(XML-DSig, exc-c14n, rsa-sha256, referencing `#OID{document id}`, the nonXMLBody's ID; placed at the end of
`hl7fi:localSocialHeader`, where the extension schema admits it). Signing needs the organisation's
certificate and key, so sosmeta does not sign by itself."""


def assemble(envelope: Envelope, display: bytes, structured: bytes, signer: Signer | None = None) -> bytes:
    """The ClinicalDocument from an envelope and the two body forms (already serialized)."""
    root = header_root(envelope)
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
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---- decode: safe parsing ------------------------------------------------------------------------------------------
def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


_PARSER = _parser()


def parse_safely(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> etree._Element:
    """Parse untrusted XML: bounded size, node count and depth, UTF-8 only, no DTD (refused outright), no
    entities, no network, no external schema locations, no XInclude."""
    if len(data) > limits.max_bytes:
        raise _fail(source, "", f"document larger than {limits.max_bytes} bytes", "cda.too_large")
    if data.count(b"<") + data.count(b"=") > limits.max_nodes:  # an upper bound of elements and attributes
        raise _fail(source, "", f"more than {limits.max_nodes} elements and attributes", "cda.too_many_nodes")
    head = data[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (head[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        raise _fail(source, "", "only UTF-8 XML is accepted", "cda.encoding")
    declared = _DECLARED_ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise _fail(source, "", "only UTF-8 XML is accepted", "cda.encoding")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _fail(source, "", "a DOCTYPE or entity declaration is not accepted", "cda.doctype")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, source, limits) from None
    except RecursionError:
        raise _fail(source, "", "XML nested too deeply", "cda.too_deep") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _fail(source, "", "a DOCTYPE or entity declaration is not accepted", "cda.doctype")
    if root.xpath("boolean(/*" + "/*" * limits.max_depth + ")"):
        raise _fail(source, "", f"elements nested deeper than {limits.max_depth} levels", "cda.too_deep")
    for attr, step in (("schemaLocation", 2), ("noNamespaceSchemaLocation", 1)):
        for value in root.xpath(f"//@xsi:{attr}", namespaces={"xsi": m.XSI}):
            locations = str(value).split()[step - 1 :: step]  # schemaLocation pairs a namespace with a location
            if any(_EXTERNAL.match(location) for location in locations):
                raise _fail(source, f"@xsi:{attr}", "external schema locations are not accepted", "cda.schema_location")
    if root.xpath("boolean(//xi:*)", namespaces={"xi": m.XINCLUDE}):
        raise _fail(source, "", "XInclude is not accepted", "cda.xinclude")
    return root


def _syntax_error(exc: etree.XMLSyntaxError, source: str, limits: Limits) -> CdaInputError:
    """libxml2's own bounds (kept: huge_tree is off) as our messages; its text is never shown (it can quote)."""
    where = f"line {exc.lineno}"
    message = str(exc).lower()
    if "depth" in message:
        return _fail(source, where, f"elements nested deeper than {limits.max_depth} levels", "cda.too_deep")
    if "huge" in message or "limit" in message:
        return _fail(
            source, where, f"a text or attribute value is larger than {LIBXML2_TEXT_BYTES} bytes", "cda.too_large"
        )
    return _fail(source, where, "not well-formed XML", "cda.xml")


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
