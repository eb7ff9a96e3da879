"""The archive document as text, from a template per envelope shape: the fast path of `codec.assemble`.

The header's skeleton for one envelope shape (`header.make_skeleton`, the elements the tree path fills in) gets a
marker where each value goes and the body's elements with markers of their own, is serialized once by lxml
exactly as the tree path serializes a document, and is cut at the markers into literal parts. A document is then
its parts joined with its values, escaped as libxml2 escapes them (text: `& < >` and CR; attributes also `"`,
TAB, LF). The first document of every template is also made by the tree path and compared byte for byte; a
template that would differ is never used. Envelopes with parts kept verbatim (`extra_header`,
`signature_collection`) and values XML cannot carry take the tree path, which reports them as it always has.
"""

from __future__ import annotations

import datetime as dt
import re
from base64 import b64encode
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from lxml import etree

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.envelope import Code, Envelope
from sosmeta.generators.cda.header import header_entries, make_skeleton, value_attributes, value_text

_MARK = "sosmeta-slot-"
_SLOT = re.compile(rf' {_MARK}(\d+)=""|{_MARK}(-?\d+)')
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)
ID, DISPLAY, JSON = -1, -2, -3
"""The body's slots: nonXMLBody/@ID, the display form's and the JSON's base64."""

Kinds = tuple[bool | None, ...]
"""Per header entry: True when its value is the element's text, False when attributes, None for none (fixed)."""


def escape_text(text: str) -> str:
    """Element content as libxml2 writes it."""
    return text.translate(_TEXT)


def escape_attribute(text: str) -> str:
    """An attribute value (between double quotes) as libxml2 writes it."""
    return text.translate(_ATTR)


def joiner(literals: list[str]) -> Callable[..., str]:
    """A function of the values between `literals` (one fewer) that joins them in order: a format string, which
    joins in C (a template has some sixty parts)."""
    return "{}".join(literal.replace("{", "{{").replace("}", "}}") for literal in literals).format


def picker(slots: list[int]) -> Callable[[Sequence[str]], Sequence[str]]:
    """A function that takes the items at `slots` from a sequence, in order (`operator.itemgetter` where it
    returns a tuple)."""
    if len(slots) >= 2:
        return itemgetter(*slots)
    return lambda values: [values[slot] for slot in slots]


class Template:
    """The literal parts of one document shape and, between them, the slot each value goes to."""

    def __init__(self, entries: list[tuple[m.Item, Any]], kinds: Kinds) -> None:
        root, positions, _ = make_skeleton(entries)
        elements = list(root.iter())
        for number, (index, kind) in enumerate(zip(positions, kinds, strict=True)):
            if kind is True:
                elements[index].text = f"{_MARK}{number}"
            elif kind is False:
                elements[index].set(f"{_MARK}{number}", "")
        component = etree.SubElement(root, f"{{{m.V3}}}component")
        body = etree.SubElement(component, f"{{{m.V3}}}nonXMLBody", ID=f"{_MARK}{ID}")
        text = etree.SubElement(body, f"{{{m.V3}}}text", mediaType=m.DISPLAY_MEDIA_TYPE, representation="B64")
        text.text = f"{_MARK}{DISPLAY}"
        etree.SubElement(body, f"{{{m.HL7FI}}}{m.JSON_ELEMENT}").text = f"{_MARK}{JSON}"
        serialized = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
        pieces = _SLOT.split(serialized)
        literals = pieces[0::3]
        slots = [int(a or b) for a, b in zip(pieces[1::3], pieces[2::3], strict=True)]
        # The body's slots come last, in this order; everything before them is text, encoded once per document.
        self.usable = slots[-3:] == [ID, DISPLAY, JSON] and min(slots[:-3], default=0) >= 0
        self.head = joiner([*literals[:-3], ""])  # the header's literals, the values between, then the body's ID
        self.pick = picker(slots[:-3])
        self.tail = [literal.encode("utf-8") for literal in literals[-3:]]
        self.checked = False

    def render(self, values: Sequence[str], document_id: str, display: bytes, structured: bytes) -> bytes:
        """The document from the values of its header entries (escaped) and the body's base64."""
        head = self.head(*self.pick(values), escape_attribute(m.BODY_ID_PREFIX + document_id))
        after_id, after_display, after_json = self.tail
        return b"".join((head.encode("utf-8"), after_id, display, after_display, structured, after_json))


_TEMPLATES: dict[tuple[tuple[int, ...], Kinds], Template] = {}


Raw = str | tuple[tuple[str, str], ...] | None
"""One header entry's value before escaping: the element's text, its (attribute, value) pairs, or None (fixed)."""
Form = bool | tuple[str, ...] | None
"""One entry's form: True for text, its attribute names, None for a fixed entry (the frame's templates key on it)."""
Rendered = tuple[bool | None, str, Raw, Form, bool, tuple[str, ...]]
"""(kind, markup, raw value, form, plain, escaped) of one entry's value. plain: every text in it is neither empty
nor starts or ends with white space (what the frame's text path needs: the frame strips names). escaped: each
text (the element's, or each attribute's in order) escaped as text, then as an attribute (for the frame)."""

_MEMO: dict[tuple[int, type, Any], Rendered] = {}
"""(item, type, value) -> its rendering, for header values; a code is keyed by its field values."""
_MEMO_LIMIT = 20_000
_MEMO_TYPES = frozenset({str, int, bool, Code, dt.datetime, type(None), object})
"""Values remembered: strings, numbers, codes, times (by value and offset), none (fixed items) and `header.NA`."""


def _render(item: m.Item, value: Any) -> Rendered:
    """How one header entry's value is written (remembered by `header_text` for values that repeat)."""
    if item.conv == "fixed":
        return None, "", None, None, True, ()
    attributes = value_attributes(item, value)
    if attributes is None:
        text = value_text(item, value)
        escaped = escape_text(text)
        return True, escaped, text, True, bool(text) and text == text.strip(), (escaped, escape_attribute(text))
    pairs = tuple(attributes)
    markup = "".join(f' {name}="{escape_attribute(text)}"' for name, text in pairs)
    both = tuple(e for _, text in pairs for e in (escape_text(text), escape_attribute(text)))
    return False, markup, pairs, tuple(name for name, _ in pairs), all(text for _, text in pairs), both


class HeaderText(NamedTuple):
    """An envelope's header entries as the text path writes them (`header_text`)."""

    entries: list[tuple[m.Item, Any]]
    shape: tuple[int, ...]
    kinds: Kinds
    values: tuple[str, ...]
    """Per entry: its markup (escaped text, or the attributes with a leading space each)."""
    raws: tuple[Raw, ...]
    forms: tuple[Form, ...]
    plain: bool
    """Every value is plain (see `Rendered`)."""
    escaped: tuple[tuple[str, ...], ...]


def header_text(envelope: Envelope) -> HeaderText | None:
    """The envelope's header entries rendered for a template, or None when the tree path must write them (parts
    kept verbatim, an empty text, a character XML cannot carry)."""
    if envelope.extra_header or envelope.signature_collection is not None:
        return None
    entries, shape = header_entries(envelope)
    hits: list[Rendered] = []
    memo, limit, memo_types, code, moment = _MEMO, _MEMO_LIMIT, _MEMO_TYPES, Code, dt.datetime
    for item, value in entries:  # this runs for every entry of every document: values that repeat are remembered
        cls = value.__class__
        if cls in memo_types:
            # a code by its field values (a tuple compares in C; a model's __eq__ is Python); a time with its
            # offset (equal times with the same offset are written alike)
            if cls is code:
                key: tuple[Any, ...] = (id(item), cls, tuple(value.__dict__.values()))
            elif cls is moment:
                key = (id(item), cls, value, value.utcoffset())
            else:
                key = (id(item), cls, value)
            hit = memo.get(key)
            if hit is None:
                if len(memo) >= limit:
                    memo.clear()
                hit = memo[key] = _render(item, value)
        else:
            hit = _render(item, value)
        hits.append(hit)
    if not hits:
        return None
    kinds, values, raws, forms, plains, escaped = zip(*hits, strict=True)
    plain = all(plains)
    if not plain and any(kind is True and not text for kind, text in zip(kinds, values, strict=True)):
        return None  # an empty text: as the tree path writes it (a plain header has none)
    if _NOT_XML.search("".join(values)):
        return None  # a text XML cannot carry: as the tree path refuses it
    return HeaderText(entries, shape, kinds, values, raws, forms, plain, escaped)


def document_text(
    envelope: Envelope,
    display: bytes,
    structured: bytes,
    tree: Callable[[], bytes],
    header: HeaderText | None = None,
) -> bytes | None:
    """The archive document of `envelope` and the body's two forms, or None when the tree path must make it
    (`tree`, also called once per template to check the template against it). `header`: the envelope's
    `header_text`, when the caller has it."""
    made = template_text(envelope, display, structured, header)
    if made is None:
        return None
    template, data = made
    if not template.checked:
        template.usable = data == tree()
        template.checked = True
    return data if template.usable else None


def template_text(
    envelope: Envelope, display: bytes, structured: bytes, header: HeaderText | None = None
) -> tuple[Template, bytes] | None:
    """The document from its shape's template (made when first needed) and the template, or None when no
    template applies: `document_text` without the check."""
    header = header or header_text(envelope)
    if header is None:
        return None
    key = (header.shape, header.kinds)
    template = _TEMPLATES.get(key)
    if template is None:
        if len(_TEMPLATES) >= 4096:  # bounded, as the skeletons are; real envelopes come in a few shapes
            _TEMPLATES.clear()
        template = _TEMPLATES[key] = Template(header.entries, header.kinds)
    if not template.usable:
        return None
    return template, template.render(header.values, envelope.document_id, b64encode(display), b64encode(structured))
