"""Unstructured legacy documents: the old free text carried as the display form only (no structured JSON).

The header is the same as every archive document's (`header.header_root` from the envelope); the body is the
nonXMLBody with the XHTML display form in Kanta's `soc-*` classes: the title, the client (masked identity
code), the text a paragraph per line, and the footer. Everything is escaped by lxml.
"""

from __future__ import annotations

import base64

from lxml import etree

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.envelope import Envelope
from sosmeta.generators.cda.header import header_root
from sosmeta.generators.cda.limits import DEFAULT_LIMITS, Limits
from sosmeta.generators.cda.safexml import fail

XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _div(parent: etree._Element, cls: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{XHTML}}}div", {"class": cls})


def _masked(identity: str) -> str:
    return identity[:6] + "*****" if len(identity) >= 6 else "*****"


def display_form(envelope: Envelope, text: str, attachment: str | None = None) -> bytes:
    """The XHTML display form of a legacy text."""
    root = etree.Element(
        f"{{{XHTML}}}div", {"class": "soc-document", "id": m.BODY_ID_PREFIX + envelope.document_id}, nsmap={None: XHTML}
    )
    root.set(XML_LANG, envelope.language)
    header = _div(root, "soc-header")
    _div(header, "soc-hdr1").text = envelope.register_keeper.name
    _div(header, "soc-hdr2").text = (
        envelope.specific_type.display if envelope.specific_type and envelope.specific_type.display else ""
    )
    _div(
        header, "soc-hdr3"
    ).text = f"{envelope.drafting_time.day}.{envelope.drafting_time.month}.{envelope.drafting_time.year}"
    main = _div(root, "soc-main-wrapper")
    title = etree.SubElement(main, f"{{{XHTML}}}h1", {"class": "soc-fulltitle"})
    title.text = envelope.title or (envelope.specific_type.display if envelope.specific_type else None) or ""
    client = etree.SubElement(main, f"{{{XHTML}}}p", {"class": "client"})
    names = " ".join(n for n in (envelope.client.family, envelope.client.given) if n)
    client.text = f"Asiakas: {names}" if names else "Asiakas"
    etree.SubElement(client, f"{{{XHTML}}}br").tail = f"Henkilötunnus: {_masked(envelope.client.id)}"
    item = _div(_div(main, "soc-list"), "soc-item")
    content = _div(item, "soc-content")
    for line in text.splitlines() or [""]:
        etree.SubElement(content, f"{{{XHTML}}}p").text = line
    if attachment:
        etree.SubElement(content, f"{{{XHTML}}}p").text = f"Liite: {attachment}"
    footer = _div(root, "soc-footer")
    author = " ".join(n for n in (envelope.author.given, envelope.author.family) if n)
    if author:
        _div(footer, "soc-ftr1").text = f"Laatija: {author}"
    _div(footer, "soc-ftr3").text = f"Asiakirjan tunniste {envelope.document_id}, versio {envelope.version_number}"
    data: bytes = etree.tostring(root, encoding="UTF-8")
    return data


def encode_unstructured(
    envelope: Envelope,
    text: str,
    attachment: str | None = None,
    source: str = "record",
    built: list[etree._Element] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """The archive document of a legacy text: the envelope's header and the display form, no hl7fi:json.
    `built`, when given, gets the document's tree (for the frame, which then need not parse it again)."""
    display = display_form(envelope, text, attachment)
    if len(display) > limits.max_display_bytes:
        raise fail(source, "/", "the display form would be over its size limit", "cda.too_large")
    root, _kept = header_root(envelope, source)
    body = etree.SubElement(
        etree.SubElement(root, f"{{{m.V3}}}component"),
        f"{{{m.V3}}}nonXMLBody",
        ID=m.BODY_ID_PREFIX + envelope.document_id,
    )
    element = etree.SubElement(body, f"{{{m.V3}}}text", mediaType=m.DISPLAY_MEDIA_TYPE, representation="B64")
    element.text = base64.b64encode(display).decode("ascii")
    if built is not None:
        built.append(root)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    if len(data) > limits.max_document_bytes:
        raise fail(source, "/", "the archive document would be over its size limit", "cda.too_large")
    return data
