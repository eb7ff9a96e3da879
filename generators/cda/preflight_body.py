"""The pre-flight checks of the document's body, signatures and identity codes (see `preflight`).

The body is read by local names: the JSON (`hl7fi:json`, base64 or text, comments and whitespace allowed) is
checked in full mode by the project validator; the display form must be XHTML whose root has the nonXMLBody's
ID. In a test message every identity code anywhere (header, frame, JSON, display form) must be a test code;
a finding names the place and never the code.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from lxml import etree

from sosmeta.generators.cda.codec import CdaInputError, parse_document_json, parse_safely
from sosmeta.generators.cda.limits import Limits
from sosmeta.generators.cda.localnames import attr, find, local, place_of
from sosmeta.generators.cda.preflight import CheckFinding, Findings
from sosmeta.generators.cda.preflight_rules import RULES
from sosmeta.structures.identifiers import HETU_OK, HETU_TEMPORARY, hetu_problem, is_oid
from sosmeta.structures.model import Structure

XHTML = "http://www.w3.org/1999/xhtml"
DS = "http://www.w3.org/2000/09/xmldsig#"
DISPLAY_MEDIA_TYPE = "application/xhtml+xml"
BODY = "component/nonXMLBody"
BODY_ID_PREFIX = "OID"
_WHITESPACE = re.compile(rb"\s+")
HETU_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y](?![0-9A-Za-z])", re.ASCII)
"""Anything shaped like a personal identity code (then checked by `hetu_problem`)."""
SPELLING_CODES = ("identifier.system", "code.system")


@dataclass(frozen=True)
class BodyParts:
    body: etree._Element | None
    json_place: str
    text_place: str
    document: Any = None
    """The JSON document, or None when it could not be read (a finding says why)."""
    display: etree._Element | None = None


class _Unreadable(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _content(element: etree._Element, limit: int) -> bytes:
    """The bytes an element carries: base64 (default) or text; comments and whitespace inside are allowed."""
    text = "".join(element.itertext())
    representation = (element.get("representation") or "B64").upper()
    if representation == "TXT":
        return text.encode("utf-8")
    if representation != "B64":
        raise _Unreadable("representation")
    raw = _WHITESPACE.sub(b"", text.encode("ascii", "replace"))
    if len(raw) > limit * 4 // 3 + 4:
        raise _Unreadable("cda.too_large")
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise _Unreadable("cda.base64") from None


def has_json(doc: etree._Element) -> bool:
    """Whether the nonXMLBody carries a structured form (hl7fi:json) at all."""
    return find(find(doc, BODY), "json") is not None


def body_parts(
    doc: etree._Element, source: str, limits: Limits, out: Findings, unstructured: bool = False
) -> BodyParts:
    """The nonXMLBody's JSON and display form, each read as far as it can be (findings say what could not). An
    unstructured document has the display form only: a JSON there is a finding, and is not read."""
    body = find(doc, BODY)
    base = place_of(body) if body is not None else f"/ClinicalDocument/{BODY}"
    carrier = find(body, "json")
    text = find(body, "text")
    json_place = place_of(carrier) if carrier is not None else f"{base}/hl7fi:json"
    text_place = place_of(text) if text is not None else f"{base}/text"
    document = None
    if unstructured:
        if carrier is not None:
            out.add(source, json_place, "check.unstructured_json")
    elif carrier is None:
        out.add(source, json_place, "check.json_unreadable", "no hl7fi:json")
    else:
        try:
            document = parse_document_json(_content(carrier, limits.max_json_bytes), source, json_place, limits)
        except _Unreadable as exc:
            out.add(source, json_place, "check.json_unreadable", exc.reason)
        except CdaInputError as exc:
            out.add(source, json_place, "check.json_unreadable", exc.problems[0].code)
    display = None
    if text is None:
        out.add(source, text_place, "check.display_form", "no nonXMLBody/text")
    elif (text.get("mediaType") or "") != DISPLAY_MEDIA_TYPE:
        out.add(source, text_place + "/@mediaType", "check.display_form", f"mediaType {DISPLAY_MEDIA_TYPE}")
    else:
        try:
            display = parse_safely(_content(text, limits.max_display_bytes), source, limits)
        except _Unreadable as exc:
            out.add(source, text_place, "check.display_form", exc.reason)
        except CdaInputError as exc:
            out.add(source, text_place, "check.display_form", exc.problems[0].code)
    return BodyParts(body, json_place, text_place, document, display)


# ---- the JSON --------------------------------------------------------------------------------------------------------
def _at(document: Any, pointer: str) -> Any:
    node = document
    for raw in pointer.split("/")[1:]:
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node


def _expected_oid(structure: Structure, code: str, row: int | None) -> str | None:
    located = structure.by_row(row) if row is not None else None
    if located is None:
        return None
    element = located.element
    raw = element.system_uri_value if code == "identifier.system" else element.classification_oid_value
    return raw.strip().removeprefix("urn:oid:") if raw else None


def json_findings(structure: Structure, parts: BodyParts, source: str, test_message: bool, out: Findings) -> None:
    """The validator's findings in full mode; the expected OID written without `urn:oid:` is only a warning
    (kanta-cda.md: real record systems write it so, and the schema allows it), and in a test message the
    validator's warning about a test identity code is left out."""
    from sosmeta.generators.validator import compile_validator

    for finding in compile_validator(structure, mode="full").validate(parts.document):
        if finding.code == "hetu.temporary" and test_message:  # what a test message must have
            continue
        where = f"{parts.json_place}#{finding.pointer}"
        if finding.code in SPELLING_CODES:
            value = _at(parts.document, finding.pointer)
            expected = _expected_oid(structure, finding.code, finding.row)
            if isinstance(value, str) and is_oid(value) and value == expected:
                out.add(source, where, "check.oid_spelling", f"urn:oid:{expected}")
                continue
        out.extend([CheckFinding(source, where, finding.code, finding.severity, dict(finding.message), "json")])


# ---- the display form ------------------------------------------------------------------------------------------------
def display_findings(doc: etree._Element, parts: BodyParts, source: str, out: Findings) -> None:
    body_id = parts.body.get("ID") if parts.body is not None else None
    document_id = attr(doc, "id", "root") or ""
    if parts.body is not None and body_id != BODY_ID_PREFIX + document_id:
        out.add(source, place_of(parts.body) + "/@ID", "check.body_id")
    display = parts.display
    if display is None:
        return
    if etree.QName(display).namespace != XHTML:
        out.add(source, parts.text_place, "check.display_form", "the XHTML namespace")
    elif display.get("id") != body_id:
        out.add(source, f"{parts.text_place}#{place_of(display)}/@id", "check.display_id")


# ---- signatures ------------------------------------------------------------------------------------------------------
def signature_findings(data: bytes, source: str, at: dt.datetime | None, limits: Limits, out: Findings) -> None:
    from sosmeta.generators.cda.signing import verify

    for result in verify(data, at, source=source, limits=limits):
        if result.ok or result.code is None:
            continue
        if result.code in RULES:
            out.add(source, result.xpath, result.code, str(result.index))
        else:  # a reason newer than this table: signing's own English text
            text = f"signature {result.index}: {result.message}"
            messages = dict.fromkeys(("fi", "sv", "en"), text)
            out.extend([CheckFinding(source, result.xpath, result.code, "error", messages, "signatures")])


# ---- identity codes --------------------------------------------------------------------------------------------------
Place = Callable[[], str]
"""A finding's location, computed only when a code is found there (an XPath costs a walk to the root)."""


def _xml_strings(root: etree._Element, skip: set[etree._Element], prefix: str = "") -> Iterator[tuple[Place, str]]:
    """(its place, text) of every attribute value and text of `root`, except inside `skip` and XML-DSig."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element in skip or etree.QName(element).namespace == DS:
            continue
        for name, value in element.attrib.items():
            yield partial(_place, prefix, element, f"/@{etree.QName(name).localname}"), value
        texts = [element.text] + [child.tail for child in element]  # text after a child: mixed content
        for text in texts:
            if text and text.strip():
                yield partial(_place, prefix, element, "/text()"), text


def _place(prefix: str, element: etree._Element, suffix: str) -> str:
    return prefix + place_of(element) + suffix


def _json_strings(node: Any, prefix: str, pointer: str = "") -> Iterator[tuple[Place, str]]:
    if isinstance(node, str):
        yield partial(str, f"{prefix}#{pointer or '/'}"), node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _json_strings(value, prefix, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _json_strings(value, prefix, f"{pointer}/{index}")


def _codes(text: str) -> Iterator[int]:
    for match in HETU_LIKE.finditer(text):
        yield hetu_problem(match.group(0))


def identity_findings(
    doc: etree._Element,
    frame: etree._Element | None,
    parts: BodyParts,
    document_source: str,
    frame_source: str,
    mode: str,
    out: Findings,
) -> None:
    """In a test message (T) every valid identity code must be a test code (900-999): a real one is an error; in a
    production message (P) a test code is a warning. Codes are found wherever they stand, also inside texts."""
    wanted, code = (
        (HETU_OK, "check.real_identity_code") if mode == "T" else (HETU_TEMPORARY, "check.test_identity_code")
    )
    skip = set()
    if parts.body is not None:
        skip = {e for e in parts.body if local(e) in ("text", "json")}
    places: list[tuple[str, Iterator[tuple[Place, str]]]] = [(document_source, _xml_strings(doc, skip))]
    if frame is not None:
        places.append((frame_source, _xml_strings(frame, set())))
    if parts.document is not None:
        places.append((document_source, _json_strings(parts.document, parts.json_place)))
    if parts.display is not None:
        places.append((document_source, _xml_strings(parts.display, set(), parts.text_place + "#")))
    for source, strings in places:
        for place, text in strings:
            if not out.wants(source, code):
                break
            if any(problem == wanted for problem in _codes(text)):
                out.add(source, place(), code)
