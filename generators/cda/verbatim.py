"""Header parts kept verbatim: what a document's header holds beyond the envelope's fields, read and written back.

A vendor's header may hold elements and attributes `mapping.HEADER` has no item for (a second `given` with
`qualifier="CL"`, `xsi:schemaLocation`, a `legalAuthenticator`, both `@root` and `@nullFlavor` on an id). The
reader keeps each of them in the envelope's `extra_header`, keyed by its place, and the writer puts it back at
that place, as the structure model keeps unknown keys. A place names a known header element by its `ref`: its
mapping path below `/ClinicalDocument` (with `[n]` for the n-th of a repeated item, n > 1):

| key | value |
|---|---|
| `after REF` | elements following the known element REF (XML text, one or more elements) |
| `first in REF` | elements before the first known child of REF |
| `REF/@NAME` | an attribute of REF (`@xsi:schemaLocation`, `@xml:lang`, `@Q{namespace}name`, `@name`) |
| `REF/text()` | the text of REF, when it is not a value the envelope has |

Kept XML is written exactly as it was read (the writer never re-indents inside it), so XML signatures kept in it
still verify. It is read and checked like any untrusted XML (`safexml`): no DTD, no entities, bounded, and it may
not carry a body (`component`, `nonXMLBody`, `hl7fi:json`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.limits import DEFAULT_LIMITS
from sosmeta.generators.cda.safexml import PARSER, CdaInputError, external_schema_location, parse_safely

ROOT_REF = "/ClinicalDocument"
MAX_XML = DEFAULT_LIMITS.max_envelope_bytes
_STEP = r"(?:fi:)?[A-Za-z][A-Za-z0-9]*(?:\[@[A-Za-z]+='[^'/]*'\])*(?:\[[1-9][0-9]*\])?"
_REF = rf"/ClinicalDocument(?:/{_STEP})*"
_ATTR = r"@(?:(?:xsi|xml):)?[A-Za-z_][A-Za-z0-9_.-]*|@Q\{[^{}\s]+\}[A-Za-z_][A-Za-z0-9_.-]*"
_KEY = re.compile(
    rf"^(?:(?P<after>after )|(?P<first>first in ))(?P<ref>{_REF})$|^(?P<own>{_REF})/(?P<part>{_ATTR}|text\(\))$"
)
_QNAME_PREFIX = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*):[A-Za-z_]")
_PREFIXED = {m.XSI: "xsi", "http://www.w3.org/XML/1998/namespace": "xml"}
_UNPREFIXED = {prefix: ns for ns, prefix in _PREFIXED.items()}
_BODY = {f"{{{m.V3}}}component", f"{{{m.V3}}}nonXMLBody", f"{{{m.V3}}}structuredBody", f"{{{m.HL7FI}}}json"}
_SCHEMA_LOCATIONS = {f"{{{m.XSI}}}schemaLocation", f"{{{m.XSI}}}noNamespaceSchemaLocation"}


# ---- places -----------------------------------------------------------------------------------------------------
def ref_of(path: str, index: int = 1) -> str:
    """The ref of the `index`-th element of a mapping path (`""` is the ClinicalDocument itself)."""
    return ROOT_REF + (f"/{path}" if path else "") + (f"[{index}]" if index > 1 else "")


def attribute_name(clark: str) -> str:
    """`{xsi}schemaLocation` -> `xsi:schemaLocation`; another namespace as `Q{ns}name`; no namespace as is."""
    if not clark.startswith("{"):
        return clark
    namespace, _, local = clark[1:].partition("}")
    prefix = _PREFIXED.get(namespace)
    return f"{prefix}:{local}" if prefix else f"Q{{{namespace}}}{local}"


def clark_name(name: str) -> str:
    """The inverse of `attribute_name`."""
    if name.startswith("Q{"):
        return "{" + name[2:]
    prefix, colon, local = name.partition(":")
    return f"{{{_UNPREFIXED[prefix]}}}{local}" if colon else name


def _known_refs() -> tuple[frozenset[str], frozenset[str]]:
    """The refs of every element the table writes, and those of repeated items (which take `[n]`)."""
    known, repeated = {ROOT_REF}, set()
    for item in m.HEADER:
        parts = item.path.split("/")
        known.update(ref_of("/".join(parts[: n + 1])) for n in range(len(parts)))
        if item.repeat:
            repeated.add(ref_of(item.path))
    return frozenset(known), frozenset(repeated)


_KNOWN, _REPEATED = _known_refs()
_INDEX = re.compile(r"\[[1-9][0-9]*\]$")


def known_ref(ref: str) -> bool:
    """Whether `ref` names an element the table writes (so a place never carries anything else)."""
    if ref in _KNOWN:
        return True
    base = _INDEX.sub("", ref)
    return base != ref and base in _REPEATED


def parse_key(key: str) -> tuple[str, str, str | None] | None:
    """(kind, ref, attribute or None) of an extra_header key: kind is `after`, `first`, `attr` or `text`; None
    when the key is not a place (of an element the table writes)."""
    match = _KEY.match(key)
    if not match or not known_ref(match["ref"] or match["own"]) or (match["after"] and match["ref"] == ROOT_REF):
        return None
    if match["ref"]:
        return ("after" if match["after"] else "first"), match["ref"], None
    part = match["part"]
    return ("text", match["own"], None) if part == "text()" else ("attr", match["own"], clark_name(part[1:]))


# ---- XML text ---------------------------------------------------------------------------------------------------
def _keep_prefixes(element: etree._Element) -> list[str]:
    """Prefixes named inside attribute values (xsi:type="hl7:CV"), which cleaning the declarations must keep."""
    return sorted(
        {match[1] for node in element.iter() for value in node.attrib.values() if (match := _QNAME_PREFIX.match(value))}
    )


def canonical(elements: Iterable[etree._Element]) -> str:
    """Elements as XML text: each with the namespace declarations it uses, exactly as it is otherwise."""
    out = []
    for element in elements:
        copy = etree.fromstring(etree.tostring(element, with_tail=False), PARSER)
        etree.cleanup_namespaces(copy, keep_ns_prefixes=_keep_prefixes(copy))
        out.append(etree.tostring(copy, encoding="unicode", with_tail=False))
    return "".join(out)


def elements_of(text: str, source: str = "envelope") -> list[etree._Element]:
    """The elements of XML text kept verbatim, parsed as untrusted XML; ValueError (no value quoted) when it is
    not one or more elements, or carries a document body."""
    data = text.encode("utf-8")
    if len(data) > MAX_XML:
        raise ValueError(f"XML text longer than {MAX_XML} bytes")
    try:
        holder = parse_safely(b"<kept>" + data + b"</kept>", source)
    except CdaInputError as exc:
        raise ValueError(exc.problems[0].message) from None
    if (holder.text or "").strip() or any((child.tail or "").strip() for child in holder):
        raise ValueError("holds text outside elements")
    children = list(holder)
    if not children:
        raise ValueError("holds no element")
    for node in holder.iter():
        if node.tag in _BODY:
            raise ValueError("may not hold a document body (component, nonXMLBody, json)")
        for name in _SCHEMA_LOCATIONS & set(node.attrib):
            if external_schema_location(etree.QName(name).localname, node.get(name) or ""):
                raise ValueError("external schema locations are not accepted")
    return children


def checked_xml(text: str, tag: str | None = None) -> str:
    """XML text in its canonical form (the form the reader produces), checked; `tag`: the one element it must be."""
    children = elements_of(text)
    if tag is not None and (len(children) != 1 or children[0].tag != tag):
        raise ValueError(f"must be one {etree.QName(tag).localname} element")
    return canonical(children)


def check_extra(key: str, value: str) -> str:
    """One extra_header entry, checked: a place as key, XML elements or (for attributes and text) plain text."""
    place = parse_key(key)
    if place is None:
        raise ValueError("not a place (after REF, first in REF, REF/@NAME or REF/text())")
    kind, _, attribute = place
    if kind in ("after", "first"):
        return checked_xml(value)
    if attribute in _SCHEMA_LOCATIONS and external_schema_location(etree.QName(attribute).localname, value):
        raise ValueError("external schema locations are not accepted")
    return value


# ---- reading ----------------------------------------------------------------------------------------------------
class Consumed:
    """What the reader took into envelope fields: elements (with their ref), attributes, texts, whole elements."""

    def __init__(self, root: etree._Element) -> None:
        self.refs: dict[etree._Element, str] = {root: ROOT_REF}
        self.claimed: dict[str, etree._Element] = {ROOT_REF: root}
        self.attrs: dict[etree._Element, set[str]] = {}
        self.texts: set[etree._Element] = set()
        self.whole: set[etree._Element] = set()


_HEADER = "/*/*[not(self::v3:component)]/descendant-or-self::*"
_COUNTS = etree.XPath(
    f"concat(count({_HEADER}), ' ', count(/*/@* | {_HEADER}/@*), ' ', count({_HEADER}[normalize-space(text()[1])]))",
    namespaces={"v3": m.V3},
)


def collect(root: etree._Element, consumed: Consumed) -> dict[str, str]:
    """Every header part the reader did not take, keyed by its place (document order)."""
    if not consumed.whole and _all_taken(root, consumed):
        return {}  # what sosmeta writes, and most documents: counted in C instead of walked in Python
    extras: dict[str, str] = {}
    _visit(root, ROOT_REF, consumed, extras)
    return extras


def _all_taken(root: etree._Element, consumed: Consumed) -> bool:
    """Whether the reader took every header element, attribute and text (the taken ones are among them, so equal
    counts mean all)."""
    elements, attributes, texts = (int(n) for n in str(_COUNTS(root)).split())
    taken_texts = sum(1 for e in consumed.texts if (e.text or "").strip())
    taken_attributes = sum(len(names) for names in consumed.attrs.values())
    return (elements, attributes, texts) == (len(consumed.refs) - 1, taken_attributes, taken_texts)


def _visit(element: etree._Element, ref: str, consumed: Consumed, extras: dict[str, str]) -> None:
    taken = consumed.attrs.get(element, ())
    for name, value in element.items():
        if name not in taken:
            extras[f"{ref}/@{attribute_name(name)}"] = value
    if (element.text or "").strip() and element not in consumed.texts:
        extras[f"{ref}/text()"] = element.text or ""
    anchor: str | None = None
    pending: list[etree._Element] = []

    def flush() -> None:
        if pending:
            extras[f"after {anchor}" if anchor else f"first in {ref}"] = canonical(pending)
            pending.clear()

    for child in element:
        if not isinstance(child.tag, str) or (element is consumed.claimed[ROOT_REF] and child.tag in _BODY):
            continue  # comments (a caller's own tree) and the body, which is not header
        child_ref = consumed.refs.get(child)
        if child_ref is None:
            pending.append(child)
            continue
        flush()
        anchor = child_ref
        if child not in consumed.whole:
            _visit(child, child_ref, consumed, extras)
    flush()


# ---- writing ----------------------------------------------------------------------------------------------------
PLACEHOLDER = "sosmeta-kept"


class Kept:
    """XML text to be written verbatim: in the tree, a processing instruction stands in its place, and the
    serialized document gets the text there (so that neither the serializer's namespace clean-up nor its
    indentation touches it: XML signatures inside stay valid)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def placeholder(self, text: str) -> etree._Element:
        self.texts.append(text)
        return etree.ProcessingInstruction(PLACEHOLDER, str(len(self.texts) - 1))

    def substitute(self, data: bytes) -> bytes:
        """The serialized document with every placeholder replaced by its text (which is a serialization of
        parsed, checked elements, so it is well-formed and declares every namespace it uses)."""
        for number, text in enumerate(self.texts):
            data = data.replace(f"<?{PLACEHOLDER} {number}?>".encode("ascii"), text.encode("utf-8"), 1)
        return data


def put_back(
    extras: dict[str, str],
    lookup: Callable[[str], etree._Element | None],
    kept: Kept,
    fail: Callable[[str, str], Exception],
) -> None:
    """Put every kept part at its place in a written header; `lookup(ref)` is the written element of a ref,
    `fail(key, message)` the error for a place the written header does not have."""
    for key, value in extras.items():
        place = parse_key(key)
        if place is None:
            raise fail(key, "not a place")
        kind, ref, attribute = place
        try:
            text = checked_xml(value) if kind in ("after", "first") else check_extra(key, value)
        except ValueError as exc:  # again, as our own serialization: the envelope may not have been validated
            raise fail(key, str(exc)) from None
        target = lookup(ref)
        if kind == "after":
            if target is not None:
                target.addnext(kept.placeholder(text))
                continue
            parent = lookup(ref.rpartition("/")[0]) if ref != ROOT_REF else None
            if parent is None:
                raise fail(key, "the header written from this envelope has no such element")
            parent.append(kept.placeholder(text))
            continue
        if target is None:
            raise fail(key, "the header written from this envelope has no such element")
        if kind == "first":
            target.insert(0, kept.placeholder(text))
        elif kind == "attr":
            assert attribute is not None
            if target.get(attribute) is not None:
                raise fail(key, "the envelope's own fields already write this attribute")
            target.set(attribute, text)
        else:
            if (target.text or "").strip():
                raise fail(key, "the envelope's own fields already write this text")
            target.text = text
