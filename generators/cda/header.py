"""The CDA header, written and read by the table in `mapping.HEADER` (one direction each, same paths).

Writing: the items an envelope writes come from `header_plan.header_entries` (the table compiled into one
function); the header's elements come from a skeleton made once per envelope shape (what is present) and copied,
then filled in; the parts kept verbatim (`verbatim`) are put back at their places. Reading: every item is read
by its path, and what the items take is recorded, so that everything else of the header can be kept verbatim.
An element is taken exactly when the writer would write it again for what was read.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from lxml import etree

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda import verbatim
from sosmeta.generators.cda.envelope import Code, Envelope
from sosmeta.generators.cda.header_plan import NA, header_entries
from sosmeta.generators.cda.verbatim import Consumed

_STEP = re.compile(r"^(?:(?P<prefix>fi):)?(?P<name>[A-Za-z]+)(?P<preds>(?:\[@[A-Za-z]+='[^']*'\])*)$")
_PRED = re.compile(r"\[@(?P<attr>[A-Za-z]+)='(?P<value>[^']*)'\]")
_TS = re.compile(r"^(?P<stamp>[0-9]{14})(?:\.[0-9]+)?(?P<zone>[+-][0-9]{4})$")
_DAY = re.compile(r"^[0-9]{8}$")
_INT = re.compile(r"^[0-9]{1,9}$")
_CODE_ATTRS = ("code", "codeSystem", "codeSystemName", "displayName")

Step = tuple[str, tuple[tuple[str, str], ...]]


@cache
def steps(path: str) -> tuple[Step, ...]:
    """`a/fi:b[@x='1']` -> ((`{v3}a`, ()), (`{hl7fi}b`, (("x", "1"),)))."""
    out = []
    for raw in path.split("/"):
        match = _STEP.match(raw)
        if not match:
            raise ValueError(f"bad mapping path step {raw!r} in {path!r}")
        namespace = m.HL7FI if match["prefix"] == "fi" else m.V3
        fixed = tuple((p["attr"], p["value"]) for p in _PRED.finditer(match["preds"]))
        out.append((f"{{{namespace}}}{match['name']}", fixed))
    return tuple(out)


@cache
def xpath(path: str) -> etree.XPath:
    """The item's path as a compiled XPath relative to ClinicalDocument."""
    parts = [p if p.startswith("fi:") else f"v3:{p}" for p in path.split("/")]
    return etree.XPath("/".join(parts), namespaces=m.XPATH_NS)


@cache
def _prefixes(path: str) -> tuple[tuple[str, str, str, dict[str, str]], ...]:
    """(own path, parent path, tag, fixed attributes) for every step of `path`."""
    out = []
    parts = path.split("/")
    for index, (tag, fixed) in enumerate(steps(path)):
        out.append(("/".join(parts[: index + 1]), "/".join(parts[:index]), tag, dict(fixed)))
    return tuple(out)


# ---- values ---------------------------------------------------------------------------------------------------------
def format_ts(value: dt.datetime) -> str:
    """YYYYMMDDhhmmss+zzzz (what strftime writes, without its cost for the common case)."""
    offset = value.utcoffset()
    if offset is None or value.year < 1000 or offset.microseconds or offset.seconds % 60:
        return value.strftime("%Y%m%d%H%M%S%z")
    minutes = offset.days * 1440 + offset.seconds // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return (
        f"{value.year}{value.month:02d}{value.day:02d}{value.hour:02d}{value.minute:02d}{value.second:02d}"
        f"{sign}{hours:02d}{minutes:02d}"
    )


def parse_ts(text: str) -> dt.datetime:
    """A CDA time stamp; ValueError with our own message (strptime's would quote the text)."""
    match = _TS.match(text)
    if not match:
        raise ValueError("not a time stamp YYYYMMDDhhmmss+zzzz")
    try:
        return dt.datetime.strptime(match["stamp"] + match["zone"], "%Y%m%d%H%M%S%z")
    except ValueError:
        raise ValueError("not a real time (YYYYMMDDhhmmss+zzzz)") from None


def parse_day(text: str) -> dt.date:
    """A CDA date; ValueError with our own message (strptime's would quote the text)."""
    if not _DAY.match(text):
        raise ValueError("not a date YYYYMMDD")
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise ValueError("not a real date (YYYYMMDD)") from None


def parse_int(text: str) -> int:
    if not _INT.match(text):
        raise ValueError("not a whole number of at most 9 digits")
    return int(text)


def parse_ke(text: str) -> bool:
    if text not in ("K", "E"):
        raise ValueError("not K (yes) or E (no)")
    return text == "K"


@cache
def _parts(field: str) -> tuple[str, ...]:
    return tuple(field.split("."))


def field_value(envelope: Any, field: str) -> Any:
    """The value of a dotted field of an envelope; None when absent."""
    value: Any = envelope
    for part in _parts(field):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _data_value(data: dict[str, Any], field: str) -> Any:
    """The value of a dotted field of plain envelope data (what the reader has read so far)."""
    value: Any = data
    for part in _parts(field):
        value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return None
    return value


@cache
def _conditions(when: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    return tuple((condition.lstrip("!"), condition.startswith("!")) for condition in when)


def _applies(envelope: Any, when: tuple[str, ...], value: Callable[[Any, str], Any] = field_value) -> bool:
    """Whether any condition holds (`!field`: the field is not set); no conditions: always."""
    if not when:
        return True
    return any((value(envelope, field) not in (None, (), [])) != negated for field, negated in _conditions(when))


# ---- writing ---------------------------------------------------------------------------------------------------
def code_attributes(code: Code, item: m.Item) -> list[tuple[str, str]]:
    """The attributes a code is written as, in order (code, codeSystem, codeSystemName, displayName)."""
    out = [("code", code.code)]
    system = item.system or code.system
    if system:
        out.append(("codeSystem", system))
    if code.system_name is not None:
        out.append(("codeSystemName", code.system_name))
    if code.display is not None:
        out.append(("displayName", code.display))
    return out


def ke_attributes(value: bool | Code, item: m.Item) -> list[tuple[str, str]]:
    """The attributes of a K/E item: a code carrying texts, or K/E with the item's code system."""
    if isinstance(value, Code):
        return code_attributes(value, item)
    out = [("code", "K" if value else "E")]
    if item.system:
        out.append(("codeSystem", item.system))
    return out


def value_attributes(item: m.Item, value: Any) -> list[tuple[str, str]] | None:
    """The attributes one item's value is written as, or None when it is the element's text (`value_text`)."""
    if value is NA:
        return [("nullFlavor", "NA")]
    if item.conv == "code" or (item.conv == "text_or_code" and isinstance(value, Code)):
        return code_attributes(value, item)
    if item.conv == "ke":
        return ke_attributes(value, item)
    if item.attr is None:
        return None
    return [(item.attr, value_text(item, value))]


def value_text(item: m.Item, value: Any) -> str:
    """A value that is written as text (of the element or of the item's attribute)."""
    if item.conv == "ts":
        return format_ts(value)
    if item.conv == "date":
        return f"{value.year}{value.month:02d}{value.day:02d}" if value.year >= 1000 else value.strftime("%Y%m%d")
    return str(value)


def _fill(element: etree._Element, item: m.Item, value: Any) -> None:
    """Put one item's value into its (already placed) element."""
    if item.conv == "fixed":
        return
    attributes = value_attributes(item, value)
    if attributes is None:
        element.text = value_text(item, value)
        return
    for name, text in attributes:
        element.set(name, text)


class _Made:
    """The elements of a header being laid out: by path (the latest of each) and as refs, in creation order."""

    def __init__(self, root: etree._Element) -> None:
        self.latest: dict[str, etree._Element] = {"": root}
        self.refs: list[tuple[str, etree._Element]] = [(verbatim.ROOT_REF, root)]
        self.counts: dict[str, int] = {}

    def make(self, parent: str, path: str, tag: str, fixed: dict[str, str]) -> etree._Element:
        element = self.latest[path] = etree.SubElement(self.latest[parent], tag, fixed)
        self.counts[path] = count = self.counts.get(path, 0) + 1
        self.refs.append((verbatim.ref_of(path, count), element))
        return element


def _place(made: _Made, item: m.Item, attr: str | None) -> etree._Element:
    """The element for one item. Elements on the way are made once per path (the table is in document order,
    so they come out in schema order); the leaf is reused only to add another attribute to it."""
    *way, (leaf_path, leaf_parent, leaf_tag, leaf_fixed) = _prefixes(item.path)
    for own, parent, tag, fixed in way:
        if own not in made.latest:
            made.make(parent, own, tag, fixed)
    existing = made.latest.get(leaf_path)
    if existing is not None and attr is not None and existing.get(attr) is None:
        return existing
    element = made.make(leaf_parent, leaf_path, leaf_tag, leaf_fixed)
    if item.text is not None:
        element.text = item.text
    return element


Skeleton = tuple[etree._Element, tuple[int, ...], dict[str, int]]
_SKELETONS: dict[tuple[int, ...], Skeleton] = {}


def make_skeleton(entries: list[tuple[m.Item, Any]]) -> Skeleton:
    """The header's elements without values for one envelope shape, each entry's element position, and the
    position of every ref (for the parts kept verbatim)."""
    root = etree.Element(f"{{{m.V3}}}ClinicalDocument", nsmap=m.NSMAP)
    made = _Made(root)
    placed = [_place(made, item, item.attr if item.conv not in ("code", "ke") else None) for item, _ in entries]
    position = {element: index for index, element in enumerate(root.iter())}
    refs = {ref: position[element] for ref, element in made.refs}
    return root, tuple(position[element] for element in placed), refs


def header_root(envelope: Envelope, source: str = "envelope") -> tuple[etree._Element, verbatim.Kept]:
    """A ClinicalDocument holding the header of `envelope`, in document order, and the XML text kept verbatim
    that its placeholders stand for (`Kept.substitute` puts it into the serialized document). Envelopes of one
    shape share a skeleton (made once from the table, then copied), which is what makes bulk encoding fast."""
    entries, shape = header_entries(envelope)
    skeleton = _SKELETONS.get(shape)
    if skeleton is None:
        if len(_SKELETONS) >= 4096:  # bound the cache; real envelopes come in a few shapes
            _SKELETONS.clear()
        skeleton = _SKELETONS[shape] = make_skeleton(entries)
    template, positions, refs = skeleton
    root = copy.deepcopy(template)
    elements = list(root.iter())
    kept = verbatim.Kept()
    placeholders = []
    for (item, value), index in zip(entries, positions, strict=True):
        if item.conv == "xml":
            try:  # again, as our own serialization: the envelope may not have been validated
                text = verbatim.checked_xml(value, f"{{{m.HL7FI}}}signatureCollection")
            except ValueError as exc:
                raise _misplaced(source)(item.field or "", str(exc)) from None
            elements[index].addprevious(kept.placeholder(text))
            placeholders.append(elements[index])
        else:
            _fill(elements[index], item, value)
    if envelope.extra_header:  # after the values, so that none is overwritten unnoticed
        verbatim.put_back(envelope.extra_header, lambda ref: _at(elements, refs, ref), kept, _misplaced(source))
    for element in placeholders:  # the text's placeholder stands before it; parts after it stay after that
        parent = element.getparent()
        assert parent is not None
        parent.remove(element)
    return root, kept


def _at(elements: list[etree._Element], refs: dict[str, int], ref: str) -> etree._Element | None:
    index = refs.get(ref)
    return elements[index] if index is not None else None


def _misplaced(source: str) -> Callable[[str, str], Exception]:
    def error(key: str, message: str) -> Exception:
        from sosmeta.generators.cda.safexml import fail

        if key == "signature_collection":
            place = "/signature_collection"
        else:  # a key that is not a place could be anything: it is not repeated
            place = f"/extra_header/{key}" if verbatim.parse_key(key) else "/extra_header"
        return fail(source, place, message, "cda.envelope")

    return error


# ---- reading ---------------------------------------------------------------------------------------------------
class HeaderError(ValueError):
    """A header item that cannot be read; `location` names the item's path, the message never the value."""

    def __init__(self, location: str, message: str) -> None:
        super().__init__(message)
        self.location = location


def _read_code(element: etree._Element, item: m.Item) -> dict[str, Any] | None:
    if item.na and element.get("nullFlavor") is not None and element.get("code") is None:
        return None
    code: dict[str, Any] = {"code": element.get("code")}
    system = element.get("codeSystem")
    if item.system is None:
        if system is not None:
            code["system"] = system
    elif system is not None and system != item.system:
        raise HeaderError(item.path, f"the code system is not {item.system}")
    if element.get("displayName") is not None:
        code["display"] = element.get("displayName")
    if element.get("codeSystemName") is not None:
        code["system_name"] = element.get("codeSystemName")
    return code


def _read_ke(element: etree._Element, item: m.Item) -> Any:
    if element.get("displayName") is None and element.get("codeSystemName") is None:
        return _parse(item, element.get("code"))
    code = _read_code(element, item)
    if code is not None:
        _parse(item, code["code"])  # K or E, else the reason
    return code


def _parse(item: m.Item, raw: str | None) -> Any:
    if raw is None:
        return None
    parse = _PARSERS.get(item.conv)
    if parse is None:
        return raw
    try:
        return parse(raw)
    except ValueError as exc:  # the parsers' own messages, which never quote the value
        raise HeaderError(item.path + (f"@{item.attr}" if item.attr else ""), str(exc)) from None


def _read(element: etree._Element, item: m.Item) -> tuple[Any, tuple[str, ...]]:
    """The item's value in `element` and the attributes it took ("" for the text)."""
    if item.conv == "code" or (item.conv == "text_or_code" and element.get("code") is not None):
        return _read_code(element, item), _CODE_ATTRS
    if item.conv == "text_or_code":
        return element.text, ("",)
    if item.conv == "ke":
        return _read_ke(element, item), _CODE_ATTRS
    if item.conv == "xml":
        return verbatim.canonical([element]), ()
    if item.attr is None and element.text is None and item.read_attr is not None:
        return element.get(item.read_attr), (item.read_attr,)
    raw = element.text if item.attr is None else element.get(item.attr)
    return _parse(item, raw), ("" if item.attr is None else item.attr,)


_PARSERS: dict[str, Callable[[str], Any]] = {
    "ke": parse_ke,
    "ts": parse_ts,
    "date": parse_day,
    "int": parse_int,
}


def _put(data: dict[str, Any], field: str, value: Any) -> None:
    *parents, last = field.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


class _Finder:
    """The elements at mapping paths, in document order (what each path's XPath would select): the tree is walked
    once and indexed by the tags from the root; predicates are checked on the candidates."""

    def __init__(self, root: etree._Element) -> None:
        self.index: dict[tuple[str, ...], list[etree._Element]] = {}
        tags_of: dict[etree._Element, tuple[str, ...]] = {root: ()}
        for element in root.iterdescendants():
            parent = tags_of.get(element.getparent())
            if parent is None or not isinstance(element.tag, str):
                continue
            tags = tags_of[element] = (*parent, element.tag)
            self.index.setdefault(tags, []).append(element)

    def __call__(self, path: str) -> list[etree._Element]:
        tags, fixed = _shape(path)
        candidates = self.index.get(tags, [])
        if not fixed or not candidates:
            return candidates
        return [e for e in candidates if all(_matches(e, up, pairs) for up, pairs in fixed)]


@cache
def _shape(path: str) -> tuple[tuple[str, ...], tuple[tuple[int, tuple[tuple[str, str], ...]], ...]]:
    """The tags of a path's steps, and the fixed attributes to match (how many levels up, which)."""
    found = steps(path)
    tags = tuple(tag for tag, _ in found)
    fixed = tuple((len(found) - 1 - n, pairs) for n, (_, pairs) in enumerate(found) if pairs)
    return tags, fixed


def _matches(element: etree._Element, up: int, pairs: tuple[tuple[str, str], ...]) -> bool:
    node: etree._Element | None = element
    for _ in range(up):
        node = node.getparent() if node is not None else None
    return node is not None and all(node.get(attr) == value for attr, value in pairs)


@cache
def _chain(path: str, index: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(ref, fixed attribute names) of an item's element (the `index`-th) and of each ancestor, leaf first."""
    return tuple(
        (verbatim.ref_of(own, index if own == path else 1), tuple(fixed))
        for own, _, _, fixed in reversed(_prefixes(path))
    )


def _claim(consumed: Consumed, element: etree._Element, item: m.Item, index: int) -> bool:
    """Record `element` (the `index`-th of its item) and its ancestors as taken, with their fixed attributes;
    False when one of its places is already another element's (the writer makes one element per place)."""
    chain = []
    node: etree._Element | None = element
    for ref, fixed in _chain(item.path, index):
        if node is None:
            return False
        holder = consumed.claimed.get(ref)
        if holder is node:
            break  # taken before, and so are its ancestors
        if holder is not None:
            return False
        chain.append((node, ref, fixed))
        node = node.getparent()
    for node, ref, fixed in chain:
        consumed.claimed[ref] = node
        consumed.refs[node] = ref
        if fixed:
            consumed.attrs.setdefault(node, set()).update(fixed)
    if item.text is not None:
        consumed.texts.add(element)
    return True


def _take(consumed: Consumed, element: etree._Element, taken: tuple[str, ...], na: bool) -> None:
    attrs = consumed.attrs.setdefault(element, set())
    for attr in taken:
        if attr == "":
            consumed.texts.add(element)
        elif element.get(attr) is not None:  # only what is there: `verbatim.collect` counts them
            attrs.add(attr)
    if na:
        attrs.add("nullFlavor")


def _read_item(find: _Finder, item: m.Item, data: dict[str, Any], consumed: Consumed) -> None:
    found = find(item.path)
    values: list[Any] = []
    for element in found:
        value, taken = _read(element, item)
        na = (
            value is None
            and item.na
            and element.get("nullFlavor") is not None
            and _applies(data, item.when, _data_value)
        )
        if value is None and not na:
            continue
        if not _claim(consumed, element, item, len(values) + 1 if item.repeat else 1):
            continue
        _take(consumed, element, taken, na)
        if item.conv == "xml":
            consumed.whole.add(element)
        if value is not None:
            values.append(value)
        if not item.repeat:
            break
    if values:
        if item.conv == "lang":
            language = str(values[0])
            _put(data, "language", language.lower())
            if language != language.lower():
                _put(data, "language_code", language)
        else:
            _put(data, item.field or "", values if item.repeat else values[0])


def _read_fixed(find: _Finder, item: m.Item, data: dict[str, Any], consumed: Consumed) -> None:
    """A fixed element is taken when the writer would write it for what was read."""
    if not _applies(data, item.when, _data_value):
        return
    for element in find(item.path):
        if item.text is not None and (element.text or "") != item.text:
            continue
        if _claim(consumed, element, item, 1):
            return


def read_header(root: etree._Element) -> dict[str, Any]:
    """The envelope fields found in a ClinicalDocument, as plain data for `Envelope.model_validate`; the header
    parts no field holds are in `extra_header` (see `verbatim`)."""
    data: dict[str, Any] = {}
    consumed = Consumed(root)
    find = _Finder(root)
    for item in m.HEADER:  # values first: whether a fixed or NA element is written depends on them
        if item.conv != "fixed" and not item.na:
            _read_item(find, item, data, consumed)
    for item in m.HEADER:
        if item.na:
            _read_item(find, item, data, consumed)
        elif item.conv == "fixed":
            _read_fixed(find, item, data, consumed)
    extras = verbatim.collect(root, consumed)
    if extras:
        data["extra_header"] = extras
    return data


def location_of(field: str) -> str:
    """The XML place of an envelope field (for error messages)."""
    for item in m.HEADER:
        if item.field == field:
            return item.path + (f"@{item.attr}" if item.attr else "")
    return field
