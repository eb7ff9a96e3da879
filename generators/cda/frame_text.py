"""The transfer frame as text, from a template per frame options and header shape: the fast path of `frame.frame`.

`frame.frame_of` reads a document's header by local names and copies what it finds; it never reads the body. So
for one envelope shape (`doctext.header_text`: which entries, which attributes) and one set of frame options,
the frame is the same text but for the header's values. The template is made by framing a stand-in document:
the header's skeleton (`header.make_skeleton`) with a marker for each value, each attribute its own. The frame
of it is cut at the markers; a frame is then its literal parts joined with the record's values, escaped as
libxml2 escapes them where the marker stood (in an attribute or in text). The message number, which
`default_message_number` derives from the document id, version and time, gets a slot of its own.

What the frame decides by value rather than by shape is kept out: the document group (SP1 or SP17) is part of
the key; a value that is empty or starts or ends with white space (the frame strips names and skips empty
ids) takes the tree path. The first frame of every template is also made by `frame.frame` from the document
and compared byte for byte; a template that would differ is never used. Options with an organisation file
take the tree path too (the options compare without it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from lxml import etree

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.doctext import HeaderText, joiner
from sosmeta.generators.cda.frame import FrameOptions, creation_time, default_message_number, frame_of
from sosmeta.generators.cda.frame_lookup import Lookup
from sosmeta.generators.cda.header import make_skeleton
from sosmeta.generators.cda.safexml import CdaInputError

_OPEN, _CLOSE = "\ue000", "\ue001"
"""Around a marker: private-use characters, which no literal part of a frame holds (the check would see it)."""
_MARKER = re.compile(f"{_OPEN}(n|[0-9]+)(?:\\.([A-Za-z]+))?{_CLOSE}")
_NUMBER = -1
"""The message number's slot."""
_GROUP = next(item for item in m.HEADER if item.field == "document_group")

Slot = tuple[int, int]
"""(entry, which of its `HeaderText.escaped` texts: 2 x the attribute's position, + 1 in an attribute)."""
Ref = tuple[int, int] | str | None
"""Where the frame reads a value it computes with: (entry, attribute position), a literal, or nothing."""


def _marker(entry: int, name: str | None = None) -> str:
    return f"{_OPEN}{entry}.{name}{_CLOSE}" if name else f"{_OPEN}{entry}{_CLOSE}"


class FrameTemplate:
    """The literal parts of one frame shape and the slot of each value between them."""

    def __init__(self, header: HeaderText, options: FrameOptions, group: str | None) -> None:
        self.usable = False
        self.checked = False
        self.slots: list[Slot] = []
        self.numbered: list[int] = []
        self.join: Callable[..., str] = str
        self.number: tuple[Ref, Ref, Ref] = (None, None, None)
        document = _stand_in(header, group)
        try:
            text = frame_of(document, options).decode("utf-8")
        except CdaInputError:
            return  # the tree path reports it, placed as always
        if options.message_number is None:
            doc = Lookup(document)
            created = _ref(creation_time(doc, options, "frame"), header)
            self.number = (
                _ref(doc.attr("id", "root"), header),
                _ref(doc.attr("versionNumber", "value"), header),
                created,
            )
            number = default_message_number(*(_marker_value(ref, header) for ref in self.number))
            if text.count(f'extension="{number}"') != 1:
                return
            text = text.replace(f'extension="{number}"', f'extension="{_OPEN}n{_CLOSE}"')
        pieces = _MARKER.split(text)
        literals = pieces[0::3]
        in_attribute = False
        for literal, entry, name in zip(literals, pieces[1::3], pieces[2::3], strict=False):
            opened, closed = literal.rfind("<"), literal.rfind(">")
            if opened != closed:  # else no markup in between: as after the slot before
                in_attribute = opened > closed
            if entry == "n":
                self.slots.append((_NUMBER, 0))
                continue
            form = header.forms[int(entry)]
            position = form.index(name) if name and isinstance(form, tuple) else 0
            self.slots.append((int(entry), 2 * position + in_attribute))
        self.join = joiner(literals)
        self.numbered = [index for index, (entry, _) in enumerate(self.slots) if entry == _NUMBER]
        self.usable = not any(_OPEN in literal or _CLOSE in literal for literal in literals)

    def render(self, header: HeaderText) -> bytes:
        escaped = header.escaped
        values = [escaped[entry][which] if entry >= 0 else "" for entry, which in self.slots]
        if self.numbered:
            number = default_message_number(*(_value(ref, header) for ref in self.number))
            for index in self.numbered:
                values[index] = number
        return self.join(*values).encode("utf-8")


def _stand_in(header: HeaderText, group: str | None) -> etree._Element:
    """The header's skeleton with a marker for each value (the document group's code as it is: the frame picks
    its service request by it)."""
    root, positions, _ = make_skeleton(header.entries)
    elements = list(root.iter())
    for entry, (index, form) in enumerate(zip(positions, header.forms, strict=True)):
        element = elements[index]
        if form is True:
            element.text = _marker(entry)
        elif isinstance(form, tuple):
            for name in form:
                real = group if header.entries[entry][0] is _GROUP and name == "code" else None
                element.set(name, real or _marker(entry, name))
    return root


def _ref(found: str | None, header: HeaderText) -> Ref:
    match = _MARKER.fullmatch(found) if found else None
    if match is None:
        return found
    form = header.forms[int(match[1])]
    assert isinstance(form, tuple)
    return int(match[1]), form.index(match[2])


def _marker_value(ref: Ref, header: HeaderText) -> str:
    if isinstance(ref, tuple):
        name = header.forms[ref[0]][ref[1]]  # type: ignore[index]
        return _marker(ref[0], name)
    return ref or ""


def _value(ref: Ref, header: HeaderText) -> str:
    if isinstance(ref, tuple):
        return header.raws[ref[0]][ref[1]][1]  # type: ignore[index]
    return ref or ""


class _Key(NamedTuple):
    options: FrameOptions
    shape: tuple[int, ...]
    forms: tuple[object, ...]
    group: str | None


_TEMPLATES: dict[_Key, FrameTemplate] = {}
_GROUP_AT: dict[tuple[int, ...], int | None] = {}


def _group(header: HeaderText) -> str | None:
    """The document group's code (`frame_of` reads it to choose the service request)."""
    at = _GROUP_AT.get(header.shape, -1)
    if at == -1:
        at = next((i for i, (item, _) in enumerate(header.entries) if item is _GROUP), None)
        if len(_GROUP_AT) >= 4096:
            _GROUP_AT.clear()
        _GROUP_AT[header.shape] = at
    if at is None:
        return None
    raw = header.raws[at]
    return dict(raw).get("code") if isinstance(raw, tuple) else None


def frame_text(header: HeaderText, options: FrameOptions, reference: Callable[[], bytes]) -> bytes | None:
    """The frame of the document whose header is `header`, or None when the tree path must make it
    (`reference`: `frame.frame` of the document, called once per template to check it)."""
    if not header.plain or options.organisation is not None:
        return None
    key = _Key(options, header.shape, header.forms, _group(header))
    template = _TEMPLATES.get(key)
    if template is None:
        if len(_TEMPLATES) >= 4096:  # bounded; a run frames with one set of options and a few shapes
            _TEMPLATES.clear()
        template = _TEMPLATES[key] = FrameTemplate(header, options, key.group)
    if not template.usable:
        return None
    data = template.render(header)
    if not template.checked:
        template.usable = data == reference()
        template.checked = True
    return data if template.usable else None
