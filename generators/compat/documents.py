"""Values for counterexample documents: minimal values of elements (from the example generator, which follows
the JSON-level keywords of the version at hand), the way down to one element, and values to try where two
versions' keywords differ."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

from pydantic import JsonValue

from sosmeta.generators.examples import Plan, element_value, single_value
from sosmeta.structures.model import Element, Located, Structure, SubProperty

_OID_IN_PATTERN = re.compile(r"^\^urn:oid:((?:\d+\\\.)*\d+)")
UNKNOWN_MEMBER = "lisatieto_jota_ei_ole_rakenteessa"
"""A member no structure defines (for changes of additionalProperties)."""
_STRING_PROBES = ("2024-01-31", "2024-01-31T12:00:00Z", "2024", "x", "1", "2024-01-31T12:00:00", "")


def pattern_matches(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return False


def pattern_witnesses(pattern: str) -> list[str]:
    """Strings that match `pattern` (the format uses three kinds: dates, date-times, urn:oid systems)."""
    probes = list(_STRING_PROBES)
    oid = _OID_IN_PATTERN.match(pattern)
    if oid:
        probes.insert(0, "urn:oid:" + oid.group(1).replace("\\.", "."))
    return [p for p in probes if pattern_matches(pattern, p)]


def scalar_value(node: dict[str, JsonValue]) -> JsonValue:
    """A value satisfying a leaf node (type, enum, pattern, minLength)."""
    enum = node.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    kind = node.get("type")
    if kind in ("number", "integer"):
        return 1
    if kind == "boolean":
        return True
    pattern = node.get("pattern")
    if isinstance(pattern, str):
        found = pattern_witnesses(pattern)
        return found[0] if found else "x"
    length = node.get("minLength")
    return "x" * max(1, length if isinstance(length, int) else 1)


def string_probes(*nodes: dict[str, JsonValue]) -> list[JsonValue]:
    """Values to try where a string leaf differs between versions: enums, pattern witnesses, edge cases."""
    out: list[JsonValue] = []
    for node in nodes:
        enum = node.get("enum")
        if isinstance(enum, list):
            out += enum
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            out += pattern_witnesses(pattern)
    out += [*_STRING_PROBES, True, 1]
    return list({repr(v): v for v in out}.values())


def _plan(element: Element) -> Plan:
    # Deterministic per element, so reports do not change from run to run.
    return Plan("minimal", random.Random(f"compat/{element.key}/{element.row_number}"))


def node_value(element: Element) -> JsonValue:
    """The minimal value of the element node itself (for a repeatable element: one item)."""
    return single_value(element, _plan(element))


def member_value(member: Element | SubProperty, at_least_one: bool = False) -> JsonValue:
    """The minimal value of a member as it sits in its parent (a list of minItems items when repeatable)."""
    if isinstance(member, SubProperty):
        return scalar_value(member.node)
    value = element_value(member, _plan(member))
    if isinstance(value, list) and member.wrapper is not None and not value and at_least_one:
        return [node_value(member)]
    return value


def _steps(structure: Structure, key_path: str) -> list[Located]:
    loc = structure.by_path(key_path)
    if loc is None:
        raise KeyError(key_path)
    chain = []
    here: Located | None = loc
    while here is not None:
        chain.append(here)
        here = here.parent
    return chain[::-1]


def reach(document: dict[str, Any], structure: Structure, key_path: str) -> tuple[dict[str, Any], Located]:
    """The object holding the element at `key_path`, creating minimal ancestors (and one item of each list on
    the way) as needed; returns (holder, located element)."""
    chain = _steps(structure, key_path)
    holder: dict[str, Any] = document
    for loc in chain[:-1]:
        e = loc.element
        if e.key not in holder or holder[e.key] is None:
            holder[e.key] = member_value(e, at_least_one=True)
        value = holder[e.key]
        if isinstance(value, list):
            if not value:
                value.append(node_value(e))
            value = value[0]
        if not isinstance(value, dict):
            raise KeyError(key_path)
        holder = value
    return holder, chain[-1]


def element_values(element: Element, other: Element | None) -> Iterator[JsonValue]:
    """Values to try for `element` where it differs from `other` (its partner in the other version), in the
    shape `element` has in its parent (lists for repeatable elements)."""

    def shaped(value: JsonValue) -> JsonValue:
        return [value] if element.wrapper is not None else value

    base = node_value(element)
    yield shaped(base)
    if element.wrapper is not None:
        yield []
        yield [base, base]
    if isinstance(base, dict):
        for sub in element.sub_properties:
            partner = other.sub(sub.key) if other is not None else None
            for probe in string_probes(sub.node, partner.node if partner else {}):
                yield shaped({**base, sub.key: probe})
        for sub in element.sub_properties:
            if sub.key not in base:
                yield shaped({**base, sub.key: scalar_value(sub.node)})
        yield shaped({**base, UNKNOWN_MEMBER: "x"})
        return
    nodes = [{k: v for k, v in element.node if k not in ("sosmeta", "properties")}]
    if other is not None:
        nodes.append({k: v for k, v in other.node if k not in ("sosmeta", "properties")})
    for probe in string_probes(*nodes):
        yield shaped(probe)
