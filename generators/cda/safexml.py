"""Reading untrusted XML: the one hardened parser of the CDA commands, and its errors.

Everything that reads XML from outside goes through `parse_safely`: decode, frame, signing, and the XML kept
verbatim in an envelope (`verbatim`). Refused before any expensive work: oversize input, too many nodes, other
encodings than UTF-8, any DOCTYPE or entity declaration, deep nesting, external schema locations and XInclude.
Messages name the place, never a value (libxml2's own messages can quote the input, so they are never shown).
"""

from __future__ import annotations

import re

from lxml import etree

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.limits import DEFAULT_LIMITS, LIBXML2_TEXT_BYTES, Limits
from sosmeta.sosmeta_import.errors import InputError, Problem

_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_EXTERNAL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:|//|\\\\)")  # a URL scheme, or a network path


class CdaInputError(InputError):
    """A CDA document that cannot be encoded or decoded (one located problem per line, values never shown)."""


def fail(source: str, location: str, message: str, code: str) -> CdaInputError:
    return CdaInputError([Problem(source, location, message, code)])


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


PARSER = _parser()


def parse_safely(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> etree._Element:
    """Parse untrusted XML: bounded size, node count and depth, UTF-8 only, no DTD (refused outright), no
    entities, no network, no external schema locations, no XInclude."""
    if len(data) > limits.max_bytes:
        raise fail(source, "", f"document larger than {limits.max_bytes} bytes", "cda.too_large")
    if data.count(b"<") + data.count(b"=") > limits.max_nodes:  # an upper bound of elements and attributes
        raise fail(source, "", f"more than {limits.max_nodes} elements and attributes", "cda.too_many_nodes")
    head = data[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (head[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        raise fail(source, "", "only UTF-8 XML is accepted", "cda.encoding")
    declared = _DECLARED_ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise fail(source, "", "only UTF-8 XML is accepted", "cda.encoding")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise fail(source, "", "a DOCTYPE or entity declaration is not accepted", "cda.doctype")
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, source, limits) from None
    except RecursionError:
        raise fail(source, "", "XML nested too deeply", "cda.too_deep") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise fail(source, "", "a DOCTYPE or entity declaration is not accepted", "cda.doctype")
    if root.xpath("boolean(/*" + "/*" * limits.max_depth + ")"):
        raise fail(source, "", f"elements nested deeper than {limits.max_depth} levels", "cda.too_deep")
    refuse_external_references(root, source)
    return root


def external_schema_location(name: str, value: str) -> bool:
    """Whether an xsi:schemaLocation (pairs of namespace and location) or xsi:noNamespaceSchemaLocation value
    names a URL or a network path (local names are only ignored, never loaded)."""
    step = 2 if name == "schemaLocation" else 1
    return any(_EXTERNAL.match(location) for location in value.split()[step - 1 :: step])


def refuse_external_references(root: etree._Element, source: str) -> None:
    """Refuse external schema locations and XInclude anywhere below `root`."""
    for attr in ("schemaLocation", "noNamespaceSchemaLocation"):
        for value in root.xpath(f"//@xsi:{attr}", namespaces={"xsi": m.XSI}):
            if external_schema_location(attr, str(value)):
                raise fail(source, f"@xsi:{attr}", "external schema locations are not accepted", "cda.schema_location")
    if root.xpath("boolean(//xi:*)", namespaces={"xi": m.XINCLUDE}):
        raise fail(source, "", "XInclude is not accepted", "cda.xinclude")


def _syntax_error(exc: etree.XMLSyntaxError, source: str, limits: Limits) -> CdaInputError:
    """libxml2's own bounds (kept: huge_tree is off) as our messages; its text is never shown (it can quote)."""
    where = f"line {exc.lineno}"
    message = str(exc).lower()
    if "depth" in message:
        return fail(source, where, f"elements nested deeper than {limits.max_depth} levels", "cda.too_deep")
    if "huge" in message or "limit" in message:
        return fail(
            source, where, f"a text or attribute value is larger than {LIBXML2_TEXT_BYTES} bytes", "cda.too_large"
        )
    return fail(source, where, "not well-formed XML", "cda.xml")
