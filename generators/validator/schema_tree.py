"""The JSON Schema of a structure as a tree of `Node`s, each tied to the element whose findings it reports.

The tree is built from the model's JSON-level keywords exactly as the export has them (`Structure.root`,
`Element.node`, `Element.wrapper`, sub-property nodes), not from the format's derivation rules: old exports
differ from the rules, and `schema` mode validates what the file says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sosmeta.structures.model import ITEMS, PROPERTIES, SOSMETA, Element, Keywords, Structure, SubProperty, has_keyword

# Keywords that only annotate (draft-07 ignores them for validation, as do unknown keywords such as sosmeta).
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "format",
        "readOnly",
        "writeOnly",
        "contentMediaType",
        "contentEncoding",
        "definitions",
        SOSMETA,
    }
)
# Keywords compiled into checks.
ASSERTIONS = frozenset(
    {
        "type",
        "enum",
        "const",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "required",
        "minProperties",
        "maxProperties",
        "minItems",
        "maxItems",
        "uniqueItems",
    }
)
SUBSCHEMAS = frozenset(
    {
        "properties",
        "additionalProperties",
        "items",
        "additionalItems",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "patternProperties",
        "dependencies",
    }
)
# Draft-07 keywords this compiler does not handle: a schema using them is refused rather than misjudged.
UNSUPPORTED = frozenset({"$ref"})


class UnsupportedSchema(ValueError):
    """The structure's schema uses a draft-07 keyword that the validator compiler does not implement."""


@dataclass
class Node:
    """One schema node: its assertion keywords and subschemas, and the element its findings name."""

    kw: dict[str, Any]
    element: Element | None
    role: str
    """"root", "element" (an element's own node), "wrapper" (array around a repeatable element) or "sub"."""
    sub_key: str | None = None
    boolean: bool | None = None
    """For the boolean schemas `true` / `false`."""
    properties: dict[str, Node] | None = None
    additional: Node | None = None
    items: Node | list[Node] | None = None
    additional_items: Node | None = None
    all_of: list[Node] = field(default_factory=list)
    any_of: list[Node] | None = None
    one_of: list[Node] | None = None
    not_: Node | None = None
    if_: Node | None = None
    then: Node | None = None
    else_: Node | None = None
    contains: Node | None = None
    property_names: Node | None = None
    pattern_properties: dict[str, Node] = field(default_factory=dict)
    dependencies: dict[str, list[str] | Node] = field(default_factory=dict)
    where: str = "$"
    """JSON path of the node in the export (for errors about the schema itself)."""


def _check_keywords(keys: list[str], where: str) -> None:
    bad = sorted(set(keys) & UNSUPPORTED)
    if bad:
        raise UnsupportedSchema(f"{where}: keyword(s) {', '.join(bad)} are not supported by the validator compiler")


def _plain(kw: dict[str, Any], element: Element | None, role: str, where: str, sub_key: str | None = None) -> Node:
    """A node from a plain JSON Schema dict (sub-properties and anything nested in them)."""
    _check_keywords(list(kw), where)
    node = Node({k: v for k, v in kw.items() if k in ASSERTIONS}, element, role, sub_key, where=where)
    props = kw.get("properties")
    if isinstance(props, dict):
        node.properties = {k: raw_node(v, element, "sub", f"{where}.properties.{k}", k) for k, v in props.items()}
    _subschemas(node, kw, where)
    return node


def _subschemas(node: Node, kw: dict[str, Any], where: str) -> None:
    additional = kw.get("additionalProperties")
    if isinstance(additional, bool | dict):
        node.additional = raw_node(additional, node.element, "sub", f"{where}.additionalProperties", node.sub_key)
    items = kw.get("items")
    if isinstance(items, bool | dict):
        node.items = raw_node(items, node.element, "sub", f"{where}.items", node.sub_key)
    elif isinstance(items, list):
        node.items = [
            raw_node(s, node.element, "sub", f"{where}.items[{i}]", node.sub_key) for i, s in enumerate(items)
        ]
        more = kw.get("additionalItems")
        if isinstance(more, bool | dict):
            node.additional_items = raw_node(more, node.element, "sub", f"{where}.additionalItems", node.sub_key)
    _applicators(node, kw, where)


def _applicators(node: Node, kw: dict[str, Any], where: str) -> None:
    """allOf, anyOf, oneOf, not, if/then/else, contains, propertyNames, patternProperties, dependencies."""

    def sub(schema: Any, path: str) -> Node:
        return raw_node(schema, node.element, "sub", f"{where}.{path}", node.sub_key)

    def many(name: str) -> list[Node] | None:
        value = kw.get(name)
        return [sub(s, f"{name}[{i}]") for i, s in enumerate(value)] if isinstance(value, list) else None

    node.all_of = many("allOf") or []
    node.any_of, node.one_of = many("anyOf"), many("oneOf")
    for name, attribute in (
        ("not", "not_"),
        ("if", "if_"),
        ("then", "then"),
        ("else", "else_"),
        ("contains", "contains"),
        ("propertyNames", "property_names"),
    ):
        if isinstance(kw.get(name), bool | dict):
            setattr(node, attribute, sub(kw[name], name))
    patterns = kw.get("patternProperties")
    if isinstance(patterns, dict):
        node.pattern_properties = {p: sub(s, f"patternProperties.{p}") for p, s in patterns.items()}
    dependencies = kw.get("dependencies")
    if isinstance(dependencies, dict):
        for key, dependency in dependencies.items():
            if isinstance(dependency, list):
                node.dependencies[key] = [d for d in dependency if isinstance(d, str)]
            elif isinstance(dependency, bool | dict):
                node.dependencies[key] = sub(dependency, f"dependencies.{key}")


def raw_node(schema: Any, element: Element | None, role: str, where: str, sub_key: str | None = None) -> Node:
    if isinstance(schema, bool):
        return Node({}, element, role, sub_key, boolean=schema, where=where)
    if not isinstance(schema, dict):
        raise UnsupportedSchema(f"{where}: a schema must be an object or a boolean")
    return _plain(schema, element, role, where, sub_key)


def _keywords(keywords: Keywords, *placeholders: str) -> dict[str, Any]:
    return {k: v for k, v in keywords if k not in placeholders}


def element_node(element: Element, where: str) -> Node:
    """The node of `element` (its array wrapper, when repeatable, with the element node as `items`)."""
    kw = _keywords(element.node, SOSMETA, PROPERTIES)
    here = f"{where}.properties.{element.key}"
    inner_path = here + (".items" if element.wrapper is not None else "")
    inner = _plain(kw, element, "element", inner_path)
    if has_keyword(element.node, PROPERTIES):
        inner.properties = {}
        for member in element.members:
            if isinstance(member, SubProperty):
                path = f"{inner_path}.properties.{member.key}"
                inner.properties[member.key] = raw_node(member.node, element, "sub", path, member.key)
            else:
                inner.properties[member.key] = element_node(member, inner_path)
    if element.wrapper is None:
        return inner
    wrapper = _plain(_keywords(element.wrapper, ITEMS), element, "wrapper", here)
    if has_keyword(element.wrapper, ITEMS):
        wrapper.items = inner
    return wrapper


def schema_tree(structure: Structure) -> Node:
    """The root node of `structure`'s schema."""
    root = _plain(_keywords(structure.root, SOSMETA, PROPERTIES), None, "root", "$")
    if has_keyword(structure.root, PROPERTIES):
        root.properties = {structure.document.key: element_node(structure.document, "$")}
    return root
