"""Reading any vendor's CDA documents and transfer frames by local element names.

Vendors choose their own prefixes (`ep2:`, `hl7fi:`, a default namespace on `signatureCollection`), so paths
here name elements by their local name only: `recordTarget/patientRole/id` or
`componentOf/encompassingEncounter/encounterParticipant[@typeCode='ADM']`. The trees come from the hardened
parser (`codec.parse_safely`); nothing here parses. Copies made for the frame are rebuilt in the HL7 v3
namespace with the attributes that have no namespace, so a vendor's prefixes never travel on.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree

V3 = "urn:hl7-org:v3"
PREFIXES = {
    V3: "",
    "urn:hl7finland": "hl7fi:",
    "http://www.w3.org/2000/09/xmldsig#": "ds:",
    "http://www.w3.org/1999/xhtml": "x:",
}
"""The prefixes of locations in findings (as docs/cda.md writes them), whatever prefixes a file uses."""
_STEP = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)(?P<preds>(?:\[@[A-Za-z]+='[^']*'\])*)$")


@cache
def compiled(path: str) -> etree.XPath:
    """`a/b[@x='1']` as an XPath relative to the context node that matches local names in any namespace."""
    steps = []
    for raw in path.split("/"):
        match = _STEP.match(raw)
        if not match:
            raise ValueError(f"bad path step {raw!r} in {path!r}")
        steps.append(f"*[local-name()='{match['name']}']{match['preds']}")
    return etree.XPath("/".join(steps))


def find_all(node: etree._Element, path: str) -> list[etree._Element]:
    found = compiled(path)(node)
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


def find(node: etree._Element | None, path: str) -> etree._Element | None:
    if node is None:
        return None
    found = find_all(node, path)
    return found[0] if found else None


def attr(node: etree._Element | None, path: str, name: str) -> str | None:
    """The attribute `name` of the first element at `path` (None when either is missing)."""
    element = find(node, path)
    return element.get(name) if element is not None else None


def text(node: etree._Element | None, path: str) -> str | None:
    """The text of the first element at `path`, comments left out and surrounding whitespace stripped."""
    element = find(node, path)
    if element is None:
        return None
    return "".join(element.itertext()).strip()


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def copy_v3(parent: etree._Element, source: etree._Element, name: str | None = None) -> etree._Element:
    """A copy of `source` appended to `parent`, rebuilt in the v3 namespace (renamed to `name` if given): its
    attributes without a namespace, its text where it has no child elements, its element children likewise."""
    attributes = {key: value for key, value in source.attrib.items() if not key.startswith("{")}  # in order
    element = etree.SubElement(parent, f"{{{V3}}}{name or source.tag.rpartition('}')[2]}", attributes)
    children = [c for c in source if isinstance(c.tag, str)]
    if children:
        for child in children:
            copy_v3(element, child)
    elif source.text is not None and source.text.strip():
        element.text = source.text
    return element


def place_of(element: etree._Element) -> str:
    """An absolute XPath of `element` in the prefixes of PREFIXES, with positions where a name repeats."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        same = [c for c in parent if c.tag == node.tag] if parent is not None else [node]
        name = etree.QName(node)
        prefix = PREFIXES.get(name.namespace or "", f"Q{{{name.namespace}}}" if name.namespace else "")
        steps.append(f"/{prefix}{name.localname}" + (f"[{same.index(node) + 1}]" if len(same) > 1 else ""))
        node = parent
    return "".join(reversed(steps))
