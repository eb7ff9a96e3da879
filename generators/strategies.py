"""Hypothesis strategies for the documents of a structure version, built from the model.

`documents(structure)` draws documents that are valid against the structure's export as JSON Schema and
meet the national rules the schema cannot express (real calendar dates, personal identity codes with the
right check character, codes from the accepted values). Optional elements come and go, arrays vary in
length between `minItems` and 3, and free text ranges from realistic Finnish sentences to arbitrary Unicode
(quotes, backslashes, newlines), so round-trip tests meet the awkward cases too.

Tests only: hypothesis is a development dependency.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import strategies as st
from pydantic import JsonValue

from sosmeta.generators.examples import (
    FIRST_NAMES,
    LAST_NAMES,
    SENTENCES,
    Node,
    _system_candidates,
    code_labels,
    hetu_from,
    satisfies,
)
from sosmeta.structures.identifiers import HETU_SYSTEM
from sosmeta.structures.model import Element, Structure, SubProperty, keyword
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.shape import DATE_PATTERN, DATETIME_PATTERN
from sosmeta.structures.texts import first

Strategy = st.SearchStrategy[Any]

_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
_REALISTIC = st.one_of(
    st.sampled_from(SENTENCES),
    st.builds(lambda f, s: f"{f} {s}", st.sampled_from(FIRST_NAMES), st.sampled_from(LAST_NAMES)),
)
_DATES = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31))
_ZONES = st.one_of(
    st.just("Z"),
    st.builds(
        lambda sign, h, m: f"{sign}{h:02d}:{m:02d}",
        st.sampled_from("+-"),
        st.integers(0, 13),
        st.sampled_from((0, 30, 45)),
    ),
)


def _get(node: Node, name: str) -> JsonValue:
    return node.get(name) if isinstance(node, dict) else keyword(node, name)


def ecma_pattern(pattern: str) -> str:
    """A Python pattern that matches what the ECMA-262 one does on ASCII classes (`\\d` is 0-9 only)."""
    return re.sub(r"(?<!\\)((?:\\\\)*)\\d", r"\1[0-9]", pattern)


def dates() -> Strategy:
    """Real calendar dates in every form the DATE pattern allows (YYYY, YYYY-MM, YYYY-MM-DD)."""
    return st.one_of(
        _DATES.map(dt.date.isoformat),
        _DATES.map(lambda d: f"{d:%Y-%m}"),
        _DATES.map(lambda d: f"{d:%Y}"),
    )


def datetimes() -> Strategy:
    """Real instants with a zone, as the DATETIME pattern requires once a time is given; dates alone too."""
    clock = st.builds(
        lambda h, m, s: f"{h:02d}:{m:02d}:{s:02d}", st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)
    )
    fraction = st.one_of(st.just(""), st.integers(0, 999).map(lambda f: f".{f:03d}"))
    full = st.builds(lambda d, c, f, z: f"{d.isoformat()}T{c}{f}{z}", _DATES, clock, fraction, _ZONES)
    return st.one_of(full, _DATES.map(dt.date.isoformat))


def hetus() -> Strategy:
    """Valid Finnish personal identity codes (test individual numbers 900-999)."""
    born = st.dates(dt.date(1850, 1, 1), dt.date(2099, 12, 31))
    return st.builds(hetu_from, born, st.integers(900, 999), st.integers(0, 5))


def leaf_strategy(node: Node, realistic: Strategy | None = None) -> Strategy:
    """Values of one leaf node: its enum, its pattern (ECMA semantics), its type and minLength."""
    enum = _get(node, "enum")
    json_type = _get(node, "type")
    if isinstance(enum, list):
        values = [v for v in enum if satisfies(node, v)]
        return st.sampled_from(values) if values else st.nothing()
    if json_type == "boolean":
        return st.booleans()
    if json_type == "integer":
        return st.integers(-(10**9), 10**9)
    if json_type == "number":
        return st.one_of(st.integers(-(10**9), 10**9), st.floats(allow_nan=False, allow_infinity=False, width=64))
    pattern = _get(node, "pattern")
    if isinstance(pattern, str):
        if pattern == DATE_PATTERN:
            base = dates()
        elif pattern == DATETIME_PATTERN:
            base = datetimes()
        else:
            base = st.from_regex(ecma_pattern(pattern), fullmatch=True)
        if realistic is not None:
            base = st.one_of(realistic, base)
        return base.filter(lambda v: satisfies(node, v))
    base = st.one_of(realistic, _TEXT) if realistic is not None else st.one_of(_REALISTIC, _TEXT)
    return base.filter(lambda v: satisfies(node, v))


def _element_leaf(element: Element) -> Strategy:
    rep = element.representation
    realistic: Strategy | None = None
    if rep is R.PVM:
        realistic = dates()
    elif rep is R.HETKI:
        realistic = datetimes()
    elif rep is R.FRAASI and (phrase := first(element.phrase, "fi")) is not None:
        realistic = st.just(phrase)
    return leaf_strategy(element.node, realistic)


def _sub_dict(element: Element, fixed: dict[str, Strategy]) -> Strategy:
    """An object of sub-properties: required ones always, the others sometimes, in schema order."""
    required = set(element.required_keys)
    must: dict[str, Strategy] = {}
    may: dict[str, Strategy] = {}
    for sub in element.sub_properties:
        strategy = fixed.get(sub.key, leaf_strategy(sub.node))
        (must if sub.key in required else may)[sub.key] = strategy
    order = [m.key for m in element.members]
    return st.fixed_dictionaries(must, optional=may).map(lambda d: {k: d[k] for k in order if k in d})


def koodi_strategy(element: Element) -> Strategy:
    code_node = element.sub("code")
    labels = code_labels(element)
    code_node_dict = code_node.node if code_node is not None else {}
    codes = [c for c in (*element.code_values, *labels) if satisfies(code_node_dict, c)]
    free_codes = st.integers(1, 99).map(str).filter(lambda v: satisfies(code_node_dict, v))
    code = st.sampled_from(codes) if codes else free_codes | leaf_strategy(code_node_dict)
    system_node = element.sub("system")
    candidates = [c for c in _system_candidates(element) if system_node and satisfies(system_node.node, c)]
    system = st.just(candidates[0]) if candidates else None  # the most specific system the node accepts

    def with_code(value: JsonValue) -> Strategy:
        display_node = element.sub("display")
        label = labels.get(value) if isinstance(value, str) else None
        fixed = {"code": st.just(value)}
        if display_node is not None:
            if label is not None and satisfies(display_node.node, label):
                fixed["display"] = st.just(label)
            else:
                fixed["display"] = _REALISTIC.filter(lambda v: satisfies(display_node.node, v)) | leaf_strategy(
                    display_node.node
                )
        if system is not None:
            fixed["system"] = system
        return _sub_dict(element, fixed)

    return code.flatmap(with_code)


_SYSTEMS = ("urn:oid:1.2.246.10.1234567.10", "urn:iso:std:iso:13616")


def oids() -> Strategy:
    """Object identifiers: `1.2.246.` and 1-6 further arcs without leading zeros."""
    arcs = st.lists(st.integers(0, 10**8), min_size=1, max_size=6)
    return arcs.map(lambda a: "1.2.246." + ".".join(map(str, a)))


def names_an_oid(element: Element) -> bool:
    """The element's Finnish name or description says its value is an OID."""
    text = f"{first(element.name, 'fi') or ''} {first(element.description, 'fi') or ''}"
    return re.search(r"\bOID\b", text) is not None


def tunnus_strategy(element: Element) -> Strategy:
    """Identifiers: identity codes where the system is the personal identity code's, OIDs where the element
    says so, otherwise OIDs or free text; a free `system` never claims an OID it is not."""
    value_node = element.sub("value")
    system_node = element.sub("system")
    fixed: dict[str, Strategy] = {}
    hetu_row = element.system_uri_value == HETU_SYSTEM or "henkilötunnus" in element.fi_name.lower()
    if value_node is not None:
        if hetu_row:
            value = hetus()
        elif names_an_oid(element):
            value = oids()
        else:
            value = oids() | _REALISTIC | _TEXT
        fixed["value"] = value.filter(lambda v: satisfies(value_node.node, v))
    if system_node is not None:
        if hetu_row:  # the format leaves `system` an unconstrained string, so the identity code's OID fits
            fixed["system"] = st.just(HETU_SYSTEM).filter(lambda v: satisfies(system_node.node, v))
        else:
            plain = st.sampled_from(_SYSTEMS) | _TEXT
            fixed["system"] = (plain | leaf_strategy(system_node.node)).filter(
                lambda v: satisfies(system_node.node, v) and (v in _SYSTEMS or not str(v).startswith("urn:oid:"))
            )
    return _sub_dict(element, fixed)


def single_strategy(element: Element) -> Strategy:
    """One value of an element (an item, for a repeatable element)."""
    if not element.is_json_object:
        return _element_leaf(element)
    rep = element.representation
    if element.sub_properties and not element.children:
        if rep is R.KOODI:
            return koodi_strategy(element)
        if rep is R.TUNNUS:
            return tunnus_strategy(element)
        return _sub_dict(element, {})
    return container_strategy(element)


def container_strategy(element: Element) -> Strategy:
    required = set(element.required_keys)
    must: dict[str, Strategy] = {}
    may: dict[str, Strategy] = {}
    for member in element.members:
        strategy = leaf_strategy(member.node) if isinstance(member, SubProperty) else st.deferred(_lazy(member))
        (must if member.key in required else may)[member.key] = strategy
    order = [m.key for m in element.members]
    return st.fixed_dictionaries(must, optional=may).map(lambda d: {k: d[k] for k in order if k in d})


def _lazy(element: Element) -> Any:
    return lambda: element_strategy(element)


def element_strategy(element: Element) -> Strategy:
    """The element's value in a document: a list of items when it is repeatable."""
    if element.wrapper is None:
        return single_strategy(element)
    minimum = keyword(element.wrapper, "minItems")
    low = minimum if isinstance(minimum, int) else 0
    return st.lists(single_strategy(element), min_size=low, max_size=max(low, 3))


def documents(structure: Structure) -> st.SearchStrategy[dict[str, Any]]:
    """Valid documents of `structure` (a dict with the document element's key as its only key)."""
    doc = structure.document
    return st.fixed_dictionaries({doc.key: element_strategy(doc)})
