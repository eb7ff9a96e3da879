"""The CDA header, written and read by the table in `mapping.HEADER` (one direction each, same paths)."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from lxml import etree

from generators.cda import mapping as m
from generators.cda.envelope import Code, Envelope

_STEP = re.compile(r"^(?:(?P<prefix>fi):)?(?P<name>[A-Za-z]+)(?P<preds>(?:\[@[A-Za-z]+='[^']*'\])*)$")
_PRED = re.compile(r"\[@(?P<attr>[A-Za-z]+)='(?P<value>[^']*)'\]")
_TS = re.compile(r"^(?P<stamp>[0-9]{14})(?:\.[0-9]+)?(?P<zone>[+-][0-9]{4})$")
_DAY = re.compile(r"^[0-9]{8}$")

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
    match = _TS.match(text)
    if not match:
        raise ValueError("not a time stamp YYYYMMDDhhmmss+zzzz")
    return dt.datetime.strptime(match["stamp"] + match["zone"], "%Y%m%d%H%M%S%z")


def parse_day(text: str) -> dt.date:
    if not _DAY.match(text):
        raise ValueError("not a date YYYYMMDD")
    return dt.datetime.strptime(text, "%Y%m%d").date()


def field_value(envelope: Envelope, field: str) -> Any:
    value: Any = envelope
    for part in field.split("."):
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
def _place(root: etree._Element, path: str, attr: str | None) -> etree._Element:
    """The element for one item: earlier elements on the path are reused when they are the last child of their
    parent (the table is in document order); the leaf is reused only to add another attribute to it."""
    node = root
    path_steps = steps(path)
    for index, (tag, fixed) in enumerate(path_steps):
        last = node[-1] if len(node) else None
        is_leaf = index == len(path_steps) - 1
        if (
            last is not None
            and last.tag == tag
            and all(last.get(k) == v for k, v in fixed)
            and (not is_leaf or (attr is not None and last.get(attr) is None))
        ):
            node = last
        else:
            node = etree.SubElement(node, tag, dict(fixed))
    return node


def _write_code(element: etree._Element, code: Code, item: m.Item) -> None:
    element.set("code", code.code)
    system = item.system or code.system
    if system:
        element.set("codeSystem", system)
    if code.display is not None:
        element.set("displayName", code.display)


def _write(root: etree._Element, item: m.Item, value: Any) -> None:
    if item.conv in ("code", "code_or_na"):
        _write_code(_place(root, item.path, None), value, item)
        return
    if item.conv == "ke":
        element = _place(root, item.path, None)
        element.set("code", "K" if value else "E")
        if item.system:
            element.set("codeSystem", item.system)
        return
    text = {"ts": format_ts, "date": lambda d: d.strftime("%Y%m%d")}.get(item.conv, str)(value)
    element = _place(root, item.path, item.attr)
    if item.attr is None:
        element.text = text
    else:
        element.set(item.attr, text)


def write_header(root: etree._Element, envelope: Envelope) -> None:
    """Append the header elements of `envelope` to an empty ClinicalDocument, in document order."""
    for item in m.HEADER:
        if item.conv == "fixed":
            if _applies(envelope, item.when):
                _place(root, item.path, None)
            continue
        value = field_value(envelope, item.field or "")
        if item.conv == "code_or_na" and value is None:
            _place(root, item.path, None).set("nullFlavor", "NA")
        elif item.repeat:
            for entry in value or ():
                _write(root, item, entry)
        elif value is not None:
            _write(root, item, value)


# ---- reading ---------------------------------------------------------------------------------------------------
class HeaderError(ValueError):
    """A header item that cannot be read; `location` names the item's path."""

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
        raise HeaderError(item.path, f"code system {system} where {item.system} is expected")
    if element.get("displayName") is not None:
        code["display"] = element.get("displayName")
    return code


def _read(element: etree._Element, item: m.Item) -> Any:
    if item.conv in ("code", "code_or_na"):
        return _read_code(element, item)
    raw = element.text if item.attr is None else element.get(item.attr)
    if raw is None:
        return None
    try:
        if item.conv == "ke":
            return {"K": True, "E": False}[raw]
        if item.conv == "ts":
            return parse_ts(raw)
        if item.conv == "date":
            return parse_day(raw)
        if item.conv == "int":
            return int(raw)
        if item.conv == "lang":
            return raw.lower()
    except (ValueError, KeyError) as exc:
        raise HeaderError(item.path + (f"@{item.attr}" if item.attr else ""), str(exc) or "unreadable value") from None
    return raw


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
