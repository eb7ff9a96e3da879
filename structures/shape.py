"""The JSON-Schema shape that the format rules derive from the sosmeta fields (sosmeta-format.md §1.2-1.13).

Current exports follow these rules exactly; older ones do not always (e.g. `minLength` on optional rows, no
`pattern` on Koodi `system`). The model keeps what a file says; these functions say what the rules would
give, so that lint can report departures, the Excel writer can keep only the departures in its technical
columns, and new models (tests, editors) can be given the standard shape.
"""

from __future__ import annotations

from typing import Any

from pydantic import JsonValue

from sosmeta.structures.identifiers import is_oid
from sosmeta.structures.model import ITEMS, PROPERTIES, SOSMETA, Element, Keywords, Structure, SubProperty
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.texts import first

SCHEMA_URI = "http://json-schema.org/draft-07/schema#"
DATE_PATTERN = "^-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1]))?)?$"
DATETIME_PATTERN = (
    "^-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    "(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$"
)

_DIGITS = {
    "0": "nolla",
    "1": "yksi",
    "2": "kaksi",
    "3": "kolme",
    "4": "nelja",
    "5": "viisi",
    "6": "kuusi",
    "7": "seitseman",
    "8": "kahdeksan",
    "9": "yhdeksan",
}


def slug(fi_name: str) -> str:
    """THL's key for a Finnish name: lower case, digits spelled out, ä/ö/å folded, space and - as _."""
    out = []
    for c in fi_name.lower():
        c = _DIGITS.get(c, c)
        c = c.replace("ä", "a").replace("ö", "o").replace("å", "a")
        for ch in c:
            if ch in " -":
                out.append("_")
            elif "a" <= ch <= "z" or ch == "_":
                out.append(ch)
    return "".join(out)


def system_pattern(oid: str) -> str:
    return "^urn:oid:" + oid.replace(".", "\\.") + "(\\.\\d+)*$"


def internal_system(oid_text: str) -> str:
    """`Structure name/Field name` -> `structure_name/field_name` (the Koodi `system` enum of internal lists)."""
    return "/".join(slug(part) for part in oid_text.split("/"))


def _sub(key: str, **constraints: Any) -> SubProperty:
    return SubProperty(key=key, node={"type": constraints.pop("type", "string"), **constraints})


def expected_sub_properties(element: Element) -> tuple[SubProperty, ...]:
    """The fixed helper properties of Koodi, Tunnus and quantity rows."""
    rep = element.representation
    if rep is R.KOODI:
        oid = element.classification_oid_value
        if oid is None:
            system = _sub("system")
        elif is_oid(oid):
            system = _sub("system", pattern=system_pattern(oid))
        else:
            system = _sub("system", enum=[internal_system(oid)])
        code = _sub("code", enum=list(element.code_values)) if element.accepted_values else _sub("code")
        return (system, code, _sub("display"))
    if rep is R.TUNNUS:
        return (_sub("system"), _sub("value"))
    if rep is not None and rep.is_quantity:
        return (_sub("value", type="number"), _sub("code"))
    return ()


def expected_node(element: Element) -> Keywords:
    """The element node's keywords as the rules give them (placeholders for sosmeta and properties)."""
    rep = element.representation
    if rep is None or rep.is_object:
        members = element.members if rep in (R.GROUP, R.OTSIKKO) else expected_sub_properties(element)
        required: list[JsonValue] = [m.key for m in members if isinstance(m, Element) and m.required]
        if rep is R.KOODI:
            required = ["system", "code", "display"]
        elif rep is R.TUNNUS:
            required = ["value"]
        elif rep is not None and rep.is_quantity:
            required = ["value", "code"]
        return (
            ("type", "object"),
            ("additionalProperties", False),
            (SOSMETA, None),
            ("required", required),
            (PROPERTIES, None),
        )
    if rep is R.KYTKIN:
        return (("type", "boolean"), (SOSMETA, None))
    if rep in (R.NUMERO, R.LKM):
        return (("type", "number"), (SOSMETA, None))
    if rep is R.PVM:
        return (("type", "string"), ("pattern", DATE_PATTERN), (SOSMETA, None))
    if rep is R.HETKI:
        return (("type", "string"), ("pattern", DATETIME_PATTERN), (SOSMETA, None))
    if rep is R.FRAASI:
        phrase = first(element.phrase, "fi")
        return (("type", "string"), ("enum", [phrase] if phrase is not None else []), (SOSMETA, None))
    if rep in (R.TEKSTI, R.NIMI) and element.required:
        return (("type", "string"), ("minLength", 1), (SOSMETA, None))
    return (("type", "string"), (SOSMETA, None))


def expected_wrapper(element: Element) -> Keywords | None:
    if not element.repeatable:
        return None
    return (("type", "array"), ("minItems", 1 if element.required else 0), (ITEMS, None))


def expected_root(structure: Structure) -> Keywords:
    return (
        ("$schema", SCHEMA_URI),
        ("title", structure.title),
        ("type", "object"),
        ("additionalProperties", False),
        (SOSMETA, None),
        ("required", [structure.document.key]),
        (PROPERTIES, None),
    )


def expected_members(element: Element) -> tuple[Element | SubProperty, ...]:
    """Children as they are, sub-properties as the rules give them."""
    subs = expected_sub_properties(element)
    return element.children + subs if subs else element.members


def with_standard_shape(element: Element) -> Element:
    """`element` (and its subtree) with every JSON-level keyword set by the rules."""
    children = tuple(with_standard_shape(c) for c in element.children)
    shaped = element.model_copy(update={"members": children})
    members = expected_members(shaped)
    shaped = shaped.model_copy(update={"members": members})
    return shaped.model_copy(update={"node": expected_node(shaped), "wrapper": expected_wrapper(shaped)})


def document_title(fi_name: str) -> str:
    return f"'{fi_name}' JSON schema"
