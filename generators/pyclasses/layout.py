"""The plan of one generated module: which classes, fields, literal aliases and patterns, with their names.

Every object node of the structure (the document element, containers, headings, Koodi, Tunnus, quantities)
becomes a class; every member of it a field typed from the member's own JSON keywords (type, enum, pattern,
minLength; the array wrapper's minItems). The root node becomes `Document`. Classes are listed children
first, so each class is defined before it is used and no forward references are needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from pydantic import JsonValue
from pydantic_core import CoreConfig, SchemaError, SchemaValidator, core_schema

from sosmeta.generators.pyclasses.naming import (
    MODULE_NAMES,
    Namespace,
    camel,
    class_base,
    field_names,
    module_name,
    words,
)
from sosmeta.structures.model import Element, Keywords, Structure, SubProperty, keyword
from sosmeta.structures.texts import first, meaningful

Getter = Callable[[str], JsonValue]
_SCALARS = {
    "string": "StrictStr",
    "boolean": "StrictBool",
    "integer": "StrictInt",
    "number": "StrictInt | StrictFloat",
    "null": "None",
}


class Code(str):
    """Python source to be written as it is (a constant's name, a number), not as a string literal."""

    __slots__ = ()


_LITERAL_TYPES = (str, int, bool)


@dataclass
class FieldPlan:
    name: str
    key: str
    type: str
    """The value's type (`| None` when optional)."""
    options: list[tuple[str, str]]
    """`Field(...)` arguments as (name, value): the alias (a string) and constraints (`Code`)."""
    required: bool
    doc: str


@dataclass
class ClassPlan:
    name: str
    doc: str
    fields: list[FieldPlan] = field(default_factory=list)
    python_regex: bool = False
    """A field's pattern needs Python's `re` (look-arounds, back-references): pydantic's default engine lacks them."""


@dataclass
class ModulePlan:
    module: str
    version_oid: str
    title: str
    name: str
    """The document's Finnish name."""
    doc: str
    literals: list[tuple[str, list[JsonValue]]] = field(default_factory=list)
    """(alias name, values) for `Name: TypeAlias = Literal[...]`."""
    patterns: list[tuple[str, str]] = field(default_factory=list)
    """(constant name, pattern) for the regular expressions the fields use."""
    classes: list[ClassPlan] = field(default_factory=list)
    """Children first; the last one is `Document`."""
    warnings: list[str] = field(default_factory=list)
    """What the classes cannot enforce (patterns no regular-expression engine of pydantic compiles)."""


def ecma_pattern(pattern: str) -> str:
    """The pattern with ECMA-262 class semantics in pydantic's engine (`\\d` is 0-9 only)."""
    return re.sub(r"(?<!\\)((?:\\\\)*)\\d", r"\1[0-9]", pattern)


@cache
def regex_engine(pattern: str) -> str | None:
    """`rust-regex` (pydantic's default) or `python-re`, whichever compiles `pattern` first; None if neither."""
    for engine in ("rust-regex", "python-re"):
        try:
            SchemaValidator(core_schema.str_schema(pattern=pattern), config=CoreConfig(regex_engine=engine))
        except SchemaError:
            continue
        return engine
    return None


def _getter(node: Keywords | dict[str, JsonValue]) -> Getter:
    if isinstance(node, dict):
        return node.get
    return lambda name: keyword(node, name)


def element_doc(element: Element, key_path: str) -> str:
    """fi / sv name, descriptions, the condition of a conditionally required element, row and shape."""
    lines = [" / ".join(n for n in (element.fi_name, element.sv_name) if n)]
    for lang in ("fi", "sv"):
        text = meaningful(first(element.description, lang))
        if text and text not in lines:
            lines += ["", text]
    note = meaningful(first(element.implementation_note, "fi"))
    if element.conditional_required and note:
        lines += ["", note]
    rep = element.representation
    shape = rep.fi if rep is not None and rep.fi else "Ryhmä"
    row = f"Rivi {element.row_number}" if element.row_number is not None else "Asiakirja"
    lines += ["", f"{row} · {shape} · {element.cardinality} · {key_path}"]
    return "\n".join(lines)


_SUB_DOCS = {
    "system": "Koodisto tai tunnisteen myöntäjä / Kodsystem eller utfärdare",
    "code": "Koodi / Kod",
    "display": "Koodin selite / Kodens förklaring",
    "value": "Arvo / Värde",
}
_UNIT_DOC = "Yksikkö / Enhet"


def field_doc(member: Element | SubProperty, owner: Element | None = None) -> str:
    if isinstance(member, SubProperty):
        is_quantity = owner is not None and owner.representation is not None and owner.representation.is_quantity
        text = _UNIT_DOC if is_quantity and member.key == "code" else _SUB_DOCS.get(member.key, member.key)
        return f"{text} ({member.key})"
    rep = member.representation
    names = " / ".join(n for n in (member.fi_name, member.sv_name) if n)
    row = f"rivi {member.row_number}, " if member.row_number is not None else ""
    return f"{names} ({row}{rep.fi if rep is not None and rep.fi else 'ryhmä'}, {member.cardinality})"


class _Builder:
    def __init__(self, structure: Structure, arcs: int) -> None:
        self.structure = structure
        doc = structure.document
        self.plan = ModulePlan(
            module=module_name(doc.key, structure.version_oid, arcs),
            version_oid=structure.version_oid,
            title=structure.title or doc.fi_name,
            name=doc.fi_name,
            doc=element_doc(doc, doc.key),
        )
        self.names = Namespace(MODULE_NAMES)
        self.class_of: dict[int, str] = {}
        self.patterns: dict[str, str] = {}
        self.engines: dict[str, str] = {}
        self.python_regex = False
        self.where = doc.key

    # ---- names ---------------------------------------------------------------------------------------------
    def name_classes(self, element: Element, lineage: list[str]) -> None:
        """Pre-order: upper elements get the plain names, deeper ones are qualified by their parents."""
        if element.is_json_object:  # a class, typed object or untyped with members
            own = class_base(element.key, element.fi_name)
            candidates = [own]
            for depth in range(1, len(lineage) + 1):
                candidates.append(class_base("_".join([*lineage[-depth:], element.key])))
            self.class_of[id(element)] = self.names.claim(candidates)
        for child in element.children:
            self.name_classes(child, [*lineage, element.key])

    def literal(self, owner: str, suffix: str, values: list[JsonValue]) -> str:
        unique: list[JsonValue] = []
        for value in values:
            if value not in unique:  # duplicated enum values (allowed by draft-07) name one literal
                unique.append(value)
        name = self.names.claim([owner + suffix])
        self.plan.literals.append((name, unique))
        return name

    def pattern(self, pattern: str) -> str | None:
        """The constant holding `pattern`, or None when no engine of pydantic compiles it (then not enforced)."""
        if pattern not in self.patterns:
            translated = ecma_pattern(pattern)
            engine = regex_engine(translated)
            if engine is None:
                self.plan.warnings.append(f"{self.where}: pattern {pattern!r} cannot be compiled; not enforced")
                return None
            name = self.names.claim([f"PATTERN_{len(self.patterns) + 1}"])
            self.patterns[pattern] = name
            self.engines[name] = engine
            self.plan.patterns.append((name, translated))
        name = self.patterns[pattern]
        self.python_regex = self.python_regex or self.engines[name] == "python-re"
        return name

    # ---- types ---------------------------------------------------------------------------------------------
    def leaf_type(self, get: Getter, owner: str, suffix: str) -> tuple[str, list[tuple[str, Code]]]:
        """The Python type of a leaf node and its `Field` constraints, from type, enum, pattern, minLength."""
        enum = get("enum")
        if isinstance(enum, list) and enum and all(isinstance(v, _LITERAL_TYPES) for v in enum):
            return self.literal(owner, suffix, list(enum)), []
        json_type = get("type")
        types = json_type if isinstance(json_type, list) else [json_type]
        rendered = [_SCALARS.get(str(t)) for t in types]
        if any(r is None for r in rendered):
            return "JsonValue", []
        type_ = " | ".join(r for r in rendered if r is not None)
        constraints: list[tuple[str, Code]] = []
        if "string" in types:
            pattern = get("pattern")
            if isinstance(pattern, str) and (constant := self.pattern(pattern)) is not None:
                constraints.append(("pattern", Code(constant)))
            min_length = get("minLength")
            if isinstance(min_length, int) and not isinstance(min_length, bool) and min_length > 0:
                constraints.append(("min_length", Code(str(min_length))))
        if constraints and len(types) > 1:  # string constraints cannot sit on a union: put them on the str part
            inner = f"Annotated[StrictStr, Field({', '.join(f'{k}={v}' for k, v in constraints)})]"
            return type_.replace("StrictStr", inner), []
        return type_, constraints

    def member_type(self, member: Element | SubProperty, owner: str) -> tuple[str, list[tuple[str, Code]]]:
        """The member's type and the constraints for its `Field` (an array's items carry theirs inside)."""
        if isinstance(member, SubProperty):
            return self.leaf_type(member.node.get, owner, camel(words(member.key)))
        cls = self.class_of.get(id(member))
        single, constraints = (
            (cls, []) if cls else self.leaf_type(_getter(member.node), class_base(member.key, member.fi_name), "Value")
        )
        if member.wrapper is None:
            return single, constraints
        if constraints:
            single = f"Annotated[{single}, Field({', '.join(f'{k}={v}' for k, v in constraints)})]"
        items: list[tuple[str, Code]] = [("min_length", Code(str(member.min_items)))] if member.min_items else []
        return f"list[{single}]", items

    # ---- classes -------------------------------------------------------------------------------------------
    def build_classes(self, element: Element, keys: list[str]) -> None:
        """Post-order: a class after the classes of its members."""
        for child in element.children:
            self.build_classes(child, [*keys, child.key])
        if not element.is_json_object:
            return
        name = self.class_of[id(element)]
        plan = ClassPlan(name, element_doc(element, "/".join(keys)))
        required = set(element.required_keys)
        members = list(element.members)
        python_names = field_names([m.key for m in members], self.names.taken)
        self.python_regex = False
        for member, python_name in zip(members, python_names, strict=True):
            self.where = "/".join([*keys, member.key])
            plan.fields.append(self.field(member, python_name, member.key in required, element))
        plan.python_regex = self.python_regex
        self.plan.classes.append(plan)

    def field(self, member: Element | SubProperty, python_name: str, required: bool, owner: Element) -> FieldPlan:
        type_, constraints = self.member_type(member, self.class_of.get(id(owner), "Document"))
        options: list[tuple[str, str]] = [("alias", member.key), *constraints]
        type_ = type_ if required else f"{type_} | None"
        return FieldPlan(python_name, member.key, type_, options, required, field_doc(member, owner))

    def build(self) -> ModulePlan:
        doc = self.structure.document
        self.name_classes(doc, [])
        self.build_classes(doc, [doc.key])
        root_required = keyword(self.structure.root, "required")
        required = isinstance(root_required, list) and doc.key in root_required
        names = " / ".join(n for n in (doc.fi_name, doc.sv_name) if n)
        root = ClassPlan("Document", f"Koko asiakirja / Hela dokumentet: {names}")
        self.python_regex = False
        root.fields.append(self.field(doc, field_names([doc.key], self.names.taken)[0], required, doc))
        self.plan.classes.append(root)
        return self.plan


def module_plan(structure: Structure, arcs: int = 5) -> ModulePlan:
    """The names and types of the module for `structure` (`arcs`: version OID arcs in the module name)."""
    return _Builder(structure, arcs).build()
