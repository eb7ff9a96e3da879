"""The CDA header, written and read by the table in `mapping.HEADER` (one direction each, same paths)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from lxml import etree

from generators.cda import mapping as m
from generators.cda.envelope import Code, Envelope

_STEP = re.compile(r"^(?:(?P<prefix>fi):)?(?P<name>[A-Za-z]+)(?P<preds>(?:\[@[A-Za-z]+='[^']*'\])*)$")
_PRED = re.compile(r"\[@(?P<attr>[A-Za-z]+)='(?P<value>[^']*)'\]")
_TS = re.compile(r"^(?P<stamp>[0-9]{14})(?:\.[0-9]+)?(?P<zone>[+-][0-9]{4})$")
_DAY = re.compile(r"^[0-9]{8}$")
_INT = re.compile(r"^[0-9]{1,9}$")

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


# ---- values ---------------------------------------------------------------------------------------------------------
def format_ts(value: dt.datetime) -> str:
    return value.strftime("%Y%m%d%H%M%S%z")


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


def field_value(envelope: Envelope, field: str) -> Any:
    value: Any = envelope
    for part in _parts(field):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _applies(envelope: Envelope, when: tuple[str, ...]) -> bool:
    if not when:
        return True
    for condition in when:
        negated = condition.startswith("!")
        present = field_value(envelope, condition.lstrip("!")) is not None
        if present != negated:
            return True
    return False


# ---- writing ---------------------------------------------------------------------------------------------------
Made = dict[str, etree._Element]


@cache
def _prefixes(path: str) -> tuple[tuple[str, str, str, dict[str, str]], ...]:
    """(own path, parent path, tag, fixed attributes) for every step of `path`."""
    out = []
    parts = path.split("/")
    for index, (tag, fixed) in enumerate(steps(path)):
        out.append(("/".join(parts[: index + 1]), "/".join(parts[:index]), tag, dict(fixed)))
    return tuple(out)


def _place(made: Made, path: str, attr: str | None) -> etree._Element:
    """The element for one item. Elements on the way are made once per path (the table is in document order,
    so they come out in schema order); the leaf is reused only to add another attribute to it."""
    *way, (leaf_path, leaf_parent, leaf_tag, leaf_fixed) = _prefixes(path)
    for own, parent, tag, fixed in way:
        if own not in made:
            made[own] = etree.SubElement(made[parent], tag, fixed)
    existing = made.get(leaf_path)
    if existing is not None and attr is not None and existing.get(attr) is None:
        return existing
    element = made[leaf_path] = etree.SubElement(made[leaf_parent], leaf_tag, leaf_fixed)
    return element


def _write_code(element: etree._Element, code: Code, item: m.Item) -> None:
    element.set("code", code.code)
    system = item.system or code.system
    if system:
        element.set("codeSystem", system)
    if code.display is not None:
        element.set("displayName", code.display)


_NA = object()  # marks a code_or_na item without a value (written as nullFlavor="NA")


def _fill(element: etree._Element, item: m.Item, value: Any) -> None:
    """Put one item's value into its (already placed) element."""
    if item.conv == "fixed":
        return
    if value is _NA:
        element.set("nullFlavor", "NA")
    elif item.conv in ("code", "code_or_na"):
        _write_code(element, value, item)
    elif item.conv == "ke":
        element.set("code", "K" if value else "E")
        if item.system:
            element.set("codeSystem", item.system)
    else:
        if item.conv == "ts":
            text = format_ts(value)
        else:
            text = value.strftime("%Y%m%d") if item.conv == "date" else str(value)
        if item.attr is None:
            element.text = text
        else:
            element.set(item.attr, text)


def _entries(envelope: Envelope) -> tuple[list[tuple[m.Item, Any]], tuple[int, ...]]:
    """The items to write with their values, in table order, and the envelope's shape (what is present)."""
    entries: list[tuple[m.Item, Any]] = []
    shape: list[int] = []
    for item in m.HEADER:
        if item.conv == "fixed":
            present = _applies(envelope, item.when)
            shape.append(int(present))
            if present:
                entries.append((item, None))
            continue
        value = field_value(envelope, item.field or "")
        if item.conv == "code_or_na" and value is None:
            entries.append((item, _NA))
            shape.append(-1)
        elif item.repeat:
            entries.extend((item, v) for v in value or ())
            shape.append(len(value or ()))
        elif value is not None:
            entries.append((item, value))
            shape.append(1)
        else:
            shape.append(0)
    return entries, tuple(shape)


Skeleton = tuple[etree._Element, tuple[int, ...]]
_SKELETONS: dict[tuple[int, ...], Skeleton] = {}


def _skeleton(entries: list[tuple[m.Item, Any]]) -> Skeleton:
    """The header's elements without values for one envelope shape, and each entry's element position."""
    root = etree.Element(f"{{{m.V3}}}ClinicalDocument", nsmap=m.NSMAP)
    made: Made = {"": root}
    placed = [
        _place(made, item.path, item.attr if item.conv not in ("code", "code_or_na", "ke") else None)
        for item, _ in entries
    ]
    position = {id(element): index for index, element in enumerate(root.iter())}
    return root, tuple(position[id(element)] for element in placed)


def header_root(envelope: Envelope) -> etree._Element:
    """A ClinicalDocument holding the header of `envelope`, in document order. Envelopes of one shape share a
    skeleton (made once from the table, then copied), which is what makes bulk encoding fast."""
    entries, shape = _entries(envelope)
    skeleton = _SKELETONS.get(shape)
    if skeleton is None:
        if len(_SKELETONS) >= 4096:  # bound the cache; real envelopes come in a few shapes
            _SKELETONS.clear()
        skeleton = _SKELETONS[shape] = _skeleton(entries)
    template, positions = skeleton
    root = copy.deepcopy(template)
    elements = list(root.iter())
    for (item, value), index in zip(entries, positions, strict=True):
        _fill(elements[index], item, value)
    return root


# ---- reading ---------------------------------------------------------------------------------------------------
class HeaderError(ValueError):
    """A header item that cannot be read; `location` names the item's path, the message never the value."""

    def __init__(self, location: str, message: str) -> None:
        super().__init__(message)
        self.location = location


def _read_code(element: etree._Element, item: m.Item) -> dict[str, Any] | None:
    if item.conv == "code_or_na" and element.get("nullFlavor") is not None and element.get("code") is None:
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
    return code


def _read(element: etree._Element, item: m.Item) -> Any:
    if item.conv in ("code", "code_or_na"):
        return _read_code(element, item)
    raw = element.text if item.attr is None else element.get(item.attr)
    if raw is None:
        return None
    parse = _PARSERS.get(item.conv)
    if parse is None:
        return raw
    try:
        return parse(raw)
    except ValueError as exc:  # the parsers' own messages, which never quote the value
        raise HeaderError(item.path + (f"@{item.attr}" if item.attr else ""), str(exc)) from None


_PARSERS: dict[str, Callable[[str], Any]] = {
    "ke": parse_ke,
    "ts": parse_ts,
    "date": parse_day,
    "int": parse_int,
    "lang": str.lower,
}


def _put(data: dict[str, Any], field: str, value: Any) -> None:
    *parents, last = field.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def read_header(root: etree._Element) -> dict[str, Any]:
    """The envelope fields found in a ClinicalDocument, as plain data for `Envelope.model_validate`."""
    data: dict[str, Any] = {}
    for item in m.HEADER:
        if item.conv == "fixed" or item.field is None:
            continue
        found = xpath(item.path)(root)
        if item.repeat:
            values = [v for v in (_read(e, item) for e in found) if v is not None]
            if values:
                _put(data, item.field, values)
            continue
        if found:
            value = _read(found[0], item)
            if value is not None:
                _put(data, item.field, value)
    return data


def location_of(field: str) -> str:
    """The XML place of an envelope field (for error messages)."""
    for item in m.HEADER:
        if item.field == field:
            return item.path + (f"@{item.attr}" if item.attr else "")
    return field
