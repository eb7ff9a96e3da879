"""Generate the Python source of a validator for one structure.

The generated module has two functions, both straight-line code with every check inlined (no calls per
element, regexes precompiled, sets and tuples built once at import):

* `findings(doc, out)` appends `(JSON pointer, message index)` for every finding; pointers are only built when
  something is wrong, so a valid document allocates nothing but the warnings it gets;
* `is_valid(doc)` returns False at the first error (warnings do not count).

`MESSAGES[index]` is `(code, severity, message, row, name)`: every message is fixed per element and rule, which
is also why no message can repeat a document value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from sosmeta.generators.validator.ecma import compile_ecma
from sosmeta.generators.validator.findings import RULES, render
from sosmeta.generators.validator.pysource import Lines, indent, negate, returning, when
from sosmeta.generators.validator.schema_tree import Node, UnsupportedSchema, schema_tree
from sosmeta.structures import identifiers, pointers
from sosmeta.structures.identifiers import (
    HETU_CHECKSUM,
    HETU_DATE,
    HETU_FORMAT,
    HETU_INDIVIDUAL,
    HETU_OID,
    HETU_OK,
    HETU_SYSTEM,
    HETU_TEMPORARY,
)
from sosmeta.structures.model import Element, Structure
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.shape import DATE_PATTERN, DATETIME_PATTERN, internal_system, system_pattern
from sosmeta.structures.texts import first, meaningful
from sosmeta.structures.value_sets import parse_code_labels

Mode = Literal["full", "schema"]
RUNTIME_NAMES = (
    "COMMON_DATES",
    "MISSING",
    "all_unique",
    "date_problem",
    "datetime_problem",
    "hetu_problem",
    "in_enum",
    "is_integer",
    "is_multiple",
    "is_number",
    "is_oid",
    "is_oid_or_urn",
    "normalize_label",
    "pointer_part",
    "system_matches",
)
Flavour = Literal["report", "check"]
Ptr = tuple[tuple[str, str], ...]
"""A JSON pointer as parts: ("s", static key) or ("i", index variable) or ("k", key variable)."""

_TYPE_NAMES = {
    "string": ("merkkijono", "sträng", "string"),
    "number": ("luku", "tal", "number"),
    "integer": ("kokonaisluku", "heltal", "integer"),
    "boolean": ("totuusarvo", "sanningsvärde", "boolean"),
    "object": ("objekti", "objekt", "object"),
    "array": ("taulukko", "lista", "array"),
    "null": ("null", "null", "null"),
}
_CONDITION_MARKERS = ("ehdollisesti pakollinen", "villkorligt obligatorisk")


def _pointer(ptr: Ptr) -> str:
    """A Python expression for the JSON pointer `ptr`."""
    pieces: list[str] = []
    static = ""
    for kind, value in ptr:
        if kind == "s":
            static += "/" + pointers.escape(value)
        else:
            pieces.append(repr(static + "/"))
            static = ""
            pieces.append(f"str({value})" if kind == "i" else f"pointer_part({value})")
    if static or not pieces:
        pieces.append(repr(static))
    return " + ".join(pieces)


def parse_value_set(texts: list[str]) -> dict[str, set[str]]:
    """Labels per code (raw and normalized) from every valueSet entry, whatever its language."""
    labels: dict[str, set[str]] = {}
    for text in texts:
        for code, label in parse_code_labels(text).items():
            labels.setdefault(code, set()).update({label, " ".join(label.split()).casefold()})
    return labels


def _label_table(labels: dict[str, set[str]]) -> str:
    """Source of `{code: frozenset({label, ...})}` written in sorted order: the repr of a set follows string
    hashing, which changes from run to run, and generated modules must be the same on every build."""
    items = []
    for code, names in sorted(labels.items()):
        items.append(f"{code!r}: frozenset({{{', '.join(map(repr, sorted(names)))}}})")
    return "{" + ", ".join(items) + "}"


def system_prefix(pattern: Any) -> str | None:
    """`urn:oid:<oid>` when `pattern` is the standard code-system pattern of a numeric OID, else None."""
    if not isinstance(pattern, str) or not pattern.startswith("^urn:oid:") or not pattern.endswith("(\\.\\d+)*$"):
        return None
    oid = pattern[len("^urn:oid:") : -len("(\\.\\d+)*$")].replace("\\.", ".")
    return "urn:oid:" + oid if identifiers.is_oid(oid) and system_pattern(oid) == pattern else None


def condition_text(note: str | None) -> str | None:
    """The sentences of an implementation note that state the condition (the whole note when none says so)."""
    note = meaningful(note)
    if note is None:
        return None
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", note) if s.strip()]
    stating = [s for s in sentences if any(m in s.casefold() for m in _CONDITION_MARKERS)]
    return " ".join(stating) if stating else " ".join(note.split())


def is_oid_named(element: Element) -> bool:
    """A Tunnus whose value is an OID: its Finnish name or description says `OID`."""
    text = (first(element.name, "fi") or "") + " " + (first(element.description, "fi") or "")
    return re.search(r"\bOID\b", text) is not None


@dataclass
class _Module:
    """What the two functions share: constants, messages and imported helpers."""

    mode: Mode
    constants: dict[str, str] = field(default_factory=dict)
    """Python expression -> constant name."""
    messages: list[tuple[str, str, dict[str, str], int | None, str]] = field(default_factory=list)
    message_index: dict[tuple[Any, ...], int] = field(default_factory=dict)
    helpers: set[str] = field(default_factory=set)

    def const(self, expression: str, prefix: str) -> str:
        if expression not in self.constants:
            self.constants[expression] = f"{prefix}{len(self.constants)}"
        return self.constants[expression]

    def helper(self, name: str) -> str:
        self.helpers.add(name)
        return name

    functions: list[Lines] = field(default_factory=list)
    predicates: dict[int, str] = field(default_factory=dict)

    def predicate(self, node: Node) -> str:
        """The name of a module-level function telling whether a value is valid against `node` (for anyOf,
        oneOf, not, if and contains, which need a verdict, not findings)."""
        if id(node) not in self.predicates:
            name = f"_valid_{len(self.predicates)}"
            self.predicates[id(node)] = name
            body = _Emitter(self, "check").node(node, "x", ())
            self.functions.append([f"def {name}(x: Any) -> bool:", *indent(returning(body))])
        return self.predicates[id(node)]

    def message(
        self,
        code: str,
        node: Node | None,
        element: Element | None = None,
        params: dict[str, str] | None = None,
        sub_key: str | None = None,
    ) -> int:
        element = element if element is not None else (node.element if node is not None else None)
        sub_key = sub_key if sub_key is not None else (node.sub_key if node is not None else None)
        key = (code, id(element), sub_key, tuple(sorted((params or {}).items())))
        if key in self.message_index:
            return self.message_index[key]
        fi = element.fi_name if element is not None else "Asiakirja"
        sv = (element.sv_name or fi) if element is not None else "Dokument"
        en = fi if element is not None else "Document"
        names = {"fi": fi, "sv": sv, "en": en}
        if sub_key is not None:
            names = {lang: f"{name} ({sub_key})" for lang, name in names.items()}
        row = element.row_number if element is not None else None
        entry = (code, RULES[code].severity, render(code, names, params), row, fi)
        self.messages.append(entry)
        self.message_index[key] = len(self.messages) - 1
        return len(self.messages) - 1


def _bound(limit: Any, code: str) -> bool:
    """A numeric length or size limit that can fail: `minItems: 0` (common in the exports) holds for every
    list, so no check is written for it."""
    if not isinstance(limit, int | float) or isinstance(limit, bool):
        return False
    return not (code.startswith("min") and limit <= 0)


# JSON types whose Python class is tested directly (exact class first: the common case, and fast).
_PYTHON_CLASS = {"string": "str", "object": "dict", "array": "list"}


class _Emitter:
    """Writes the body of one of the two functions."""

    def __init__(self, module: _Module, flavour: Flavour) -> None:
        self.m = module
        self.flavour = flavour
        self.full = module.mode == "full"
        self.counter = 0
        self.member_vars: dict[tuple[int, str], str] = {}
        """(id of an object node, key) -> the variable holding that member's value (or MISSING)."""

    def var(self, prefix: str = "v") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    # ---- reporting ------------------------------------------------------------------------------------
    def error(self, index: int, ptr: Ptr) -> Lines:
        if self.flavour == "check":
            return ["return False"]
        return [f"out.append(({self.pointer(ptr)}, {index}))"]

    def warning(self, index: int, ptr: Ptr) -> Lines:
        return [] if self.flavour == "check" else [f"out.append(({self.pointer(ptr)}, {index}))"]

    def pointer(self, ptr: Ptr) -> str:
        if any(kind == "k" for kind, _ in ptr):
            self.m.helper("pointer_part")
        return _pointer(ptr)

    @staticmethod
    def when(condition: str, body: Lines, otherwise: Lines | None = None) -> Lines:
        return when(condition, body, otherwise)

    # ---- nodes ------------------------------------------------------------------------------------------
    def node(self, node: Node, v: str, ptr: Ptr) -> Lines:
        if node.boolean is not None:
            return [] if node.boolean else self.error(self.m.message("schema.false", node), ptr)
        kw = node.kw
        out: Lines = []
        if "const" in kw:
            name = self.m.const(repr((kw["const"],)), "C")
            out += self.when(
                f"not {self.m.helper('in_enum')}({v}, {name})", self.error(self.m.message("schema.const", node), ptr)
            )
        if "enum" in kw and isinstance(kw["enum"], list):
            out += self.enum(node, kw["enum"], v, ptr)
        groups = {
            "string": self.string_checks(node, v, ptr),
            "number": self.number_checks(node, v, ptr),
            "object": self.object_checks(node, v, ptr),
            "array": self.array_checks(node, v, ptr),
        }
        declared = kw.get("type")
        types = [declared] if isinstance(declared, str) else declared if isinstance(declared, list) else None
        if types is not None and len(types) == 1:
            only = types[0]
            group = "number" if only == "integer" else only
            body = groups.get(group, [])
            out += self.when(self.type_test(only, v), body, self.error(self.type_message(node, types), ptr))
            return out + self.applicators(node, v, ptr)
        if types is not None:
            test = " or ".join(self.type_test(t, v) for t in types) or "False"
            out += self.when(negate(test), self.error(self.type_message(node, types), ptr))
        for group, body in groups.items():
            out += self.when(self.type_test(group, v), body)
        return out + self.applicators(node, v, ptr)

    def applicators(self, node: Node, v: str, ptr: Ptr) -> Lines:
        """allOf (inlined: its findings are ours), anyOf, oneOf, not and if/then/else (else inlined)."""
        out: Lines = []
        for sub in node.all_of:
            out += self.node(sub, v, ptr)
        if node.any_of is not None:
            test = " or ".join(f"{self.m.predicate(sub)}({v})" for sub in node.any_of) or "False"
            out += self.when(negate(test), self.error(self.m.message("schema.anyOf", node), ptr))
        if node.one_of is not None:
            count = " + ".join(f"{self.m.predicate(sub)}({v})" for sub in node.one_of) or "0"
            out += self.when(f"{count} != 1", self.error(self.m.message("schema.oneOf", node), ptr))
        if node.not_ is not None:
            out += self.when(f"{self.m.predicate(node.not_)}({v})", self.error(self.m.message("schema.not", node), ptr))
        if node.if_ is not None and (node.then is not None or node.else_ is not None):
            then = self.node(node.then, v, ptr) if node.then is not None else []
            otherwise = self.node(node.else_, v, ptr) if node.else_ is not None else []
            out += self.when(f"{self.m.predicate(node.if_)}({v})", then, otherwise)
        return out

    def type_test(self, json_type: str, v: str) -> str:
        # The exact-class test is several times faster; isinstance keeps subclasses right.
        python_class = _PYTHON_CLASS.get(json_type)
        if python_class is not None:
            return f"({v}.__class__ is {python_class} or isinstance({v}, {python_class}))"
        if json_type == "boolean":
            return f"({v} is True or {v} is False)"
        if json_type == "null":
            return f"{v} is None"
        if json_type == "number":
            return f"({v}.__class__ in {self.m.helper('NUMBER')} or {self.m.helper('is_number')}({v}))"
        if json_type == "integer":
            return f"({v}.__class__ is int or {self.m.helper('is_integer')}({v}))"
        return "False"  # an unknown type name matches nothing (as in the reference validators)

    def type_message(self, node: Node, types: list[Any]) -> int:
        names = [_TYPE_NAMES.get(t, (str(t),) * 3) for t in types]
        params = {lang: " / ".join(n[i] for n in names) for i, lang in enumerate(("fi", "sv", "en"))}
        return self.m.message("schema.type", node, params=params)

    def enum(self, node: Node, options: list[Any], v: str, ptr: Ptr) -> Lines:
        index = self.m.message("schema.enum", node)
        if options and all(isinstance(o, str) for o in options):
            name = self.m.const(f"frozenset({sorted(set(options))!r})", "E")
            return self.when(f"not (isinstance({v}, str) and {v} in {name})", self.error(index, ptr))
        name = self.m.const(repr(tuple(options)), "E")
        return self.when(f"not {self.m.helper('in_enum')}({v}, {name})", self.error(index, ptr))

    def number_param(self, code: str, node: Node, value: Any) -> int:
        return self.m.message(code, node, params=dict.fromkeys(("fi", "sv", "en"), str(value)))

    def limit(self, test: str, code: str, node: Node, value: Any, ptr: Ptr) -> Lines:
        """`schema.<code>` when `test` holds (min/max lengths, sizes and bounds)."""
        return self.when(test, self.error(self.number_param(f"schema.{code}", node, value), ptr))

    # ---- strings ----------------------------------------------------------------------------------------
    def string_checks(self, node: Node, v: str, ptr: Ptr) -> Lines:
        kw = node.kw
        out: Lines = []
        for code, op in (("minLength", "<"), ("maxLength", ">")):
            limit = kw.get(code)
            if _bound(limit, code):
                out += self.limit(f"len({v}) {op} {limit!r}", code, node, limit, ptr)
        pattern = kw.get("pattern")
        checks: Lines = []
        if isinstance(pattern, str):
            regex = self.regex(pattern, node)
            params = {lang: self.pattern_hint(pattern, lang) for lang in ("fi", "sv", "en")}
            index = self.m.message("schema.pattern", node, params=params)
            checks = self.when(f"{regex}.search({v}) is None", self.error(index, ptr))
        if self.full and node.role == "element" and node.element is not None:
            checks += self.full_string(node, node.element, v, ptr)
        # Fast paths for the common values of the standard patterns; the regex decides everything else.
        system = system_prefix(pattern)
        if pattern == DATE_PATTERN and checks:
            return out + self.when(
                f"{v} not in {self.m.helper('COMMON_DATES')}", checks
            )  # real dates: pattern and calendar hold
        if system is not None and checks:
            return out + self.when(f"{v} != {system!r}", checks)
        return out + checks

    @staticmethod
    def pattern_hint(pattern: str, lang: str) -> str:
        if pattern == DATE_PATTERN:
            return {"fi": "VVVV-KK-PP", "sv": "ÅÅÅÅ-MM-DD", "en": "YYYY-MM-DD"}[lang]
        if pattern == DATETIME_PATTERN:
            return {
                "fi": "VVVV-KK-PPTtt:mm:ss+hh:mm",
                "sv": "ÅÅÅÅ-MM-DDTtt:mm:ss+hh:mm",
                "en": "YYYY-MM-DDThh:mm:ss+hh:mm",
            }[lang]
        if pattern.startswith("^urn:oid:"):
            return pattern[1:].replace("\\.", ".").replace("(.\\d+)*$", "[.N…]")
        return pattern

    # ---- numbers ----------------------------------------------------------------------------------------
    def number_checks(self, node: Node, v: str, ptr: Ptr) -> Lines:
        kw = node.kw
        out: Lines = []
        for code, op in (("minimum", "<"), ("maximum", ">"), ("exclusiveMinimum", "<="), ("exclusiveMaximum", ">=")):
            limit = kw.get(code)
            if isinstance(limit, int | float) and not isinstance(limit, bool):
                out += self.limit(f"{v} {op} {limit!r}", code, node, limit, ptr)
        divisor = kw.get("multipleOf")
        if isinstance(divisor, int | float) and not isinstance(divisor, bool) and divisor > 0:
            out += self.when(
                f"not {self.m.helper('is_multiple')}({v}, {divisor!r})",
                self.error(self.number_param("schema.multipleOf", node, divisor), ptr),
            )
        return out

    # ---- objects ----------------------------------------------------------------------------------------
    def object_checks(self, node: Node, v: str, ptr: Ptr) -> Lines:
        kw = node.kw
        out: Lines = []
        listed = kw.get("required")
        required = [k for k in listed if isinstance(k, str)] if isinstance(listed, list) else []
        props = node.properties or {}
        # With additionalProperties false, counting the known keys present is cheaper than a set comparison.
        counter = (
            self.var("n")
            if props
            and node.additional is not None
            and node.additional.boolean is False
            and not node.pattern_properties
            else None
        )
        if counter is not None:
            # Required members are counted up front and taken off when missing (rare), so a valid document
            # pays the increment only for the optional members it has.
            out.append(f"{counter} = {sum(1 for key in props if key in required)}")
        for key, child in props.items():
            out += self.property(node, key, child, key in required, v, ptr, counter)
        for key in dict.fromkeys(required):
            if key not in props:
                index = self.m.message("schema.required", None, element=node.element, sub_key=key)
                out += self.when(f"{key!r} not in {v}", self.error(index, (*ptr, ("s", key))))
        out += self.object_applicators(node, v, ptr)
        out += self.additional(node, props, v, ptr, counter)
        for code, op in (("minProperties", "<"), ("maxProperties", ">")):
            limit = kw.get(code)
            if isinstance(limit, int) and _bound(limit, code):
                out += self.limit(f"len({v}) {op} {limit}", code, node, limit, ptr)
        if self.full and node.role == "element" and node.element is not None:
            out += self.full_object(node, node.element, v, ptr)
        return out

    def property(
        self, parent: Node, key: str, child: Node, required: bool, v: str, ptr: Ptr, counter: str | None
    ) -> Lines:
        """The checks of member `key` of object `v`, headed by a comment naming the element."""
        lines = self._property(parent, key, child, required, v, ptr, counter)
        element = child.element
        if lines and child.role in ("element", "wrapper") and element is not None:
            name = " ".join(element.fi_name.split())
            if element.row_number is None:
                return [f"# document element: {name}", *lines]
            rep = element.representation
            kind = "ryhmä" if rep is R.GROUP else rep.fi if rep is not None else "?"
            return [f"# row {element.row_number}: {name} ({kind}, {element.cardinality})", *lines]
        return lines

    def _property(
        self, parent: Node, key: str, child: Node, required: bool, v: str, ptr: Ptr, counter: str | None
    ) -> Lines:
        cv = self.var()
        child_ptr = (*ptr, ("s", key))
        if required:
            index = self.m.message(
                "schema.required", child if child.role != "sub" else None, element=child.element, sub_key=child.sub_key
            )
            missing = self.error(index, child_ptr)
            if counter is not None and self.flavour == "report":  # in `check` the error has returned
                missing = [*missing, f"{counter} -= 1"]
            body = self.node(child, cv, child_ptr)
            if not body:
                return self.when(f"{key!r} not in {v}", missing)
            return self.fetch(parent, key, cv, v, body, missing)
        count = [f"{counter} += 1"] if counter is not None else []
        body = count + self.node(child, cv, child_ptr)
        absent: Lines = []
        element = child.element
        if (
            self.full
            and child.role in ("element", "wrapper")
            and element is not None
            and element.conditional_required
            and not element.required
        ):
            absent = self.warning(self.conditional_message(element), child_ptr)
            if absent and element.wrapper is not None:
                body = body + self.when(f"{cv} == []", absent)  # an empty list is as good as absent
        if not body and not absent:
            return []
        if body == count and not absent:
            return self.when(f"{key!r} in {v}", count)
        return self.fetch(parent, key, cv, v, body, absent)

    def fetch(self, parent: Node, key: str, cv: str, v: str, present: Lines, absent: Lines) -> Lines:
        """`present` with member `key` of `v` in `cv`, or `absent` without it. `key in v` then `v[key]` costs
        less than `v.get(key, MISSING)` and a comparison, for a present key and even more for an absent one.
        When the full-mode checks of a Koodi or Tunnus read the member later, an absent one is set to MISSING
        (in a loop the variable would otherwise still hold the previous item's member)."""
        self.member_vars[(id(parent), key)] = cv
        otherwise = list(absent)
        reads_later = (
            self.full
            and parent.role == "element"
            and parent.element is not None
            and parent.element.representation in (R.KOODI, R.TUNNUS)
        )
        if reads_later and not (otherwise and otherwise[-1].startswith("return ")):
            otherwise.append(f"{cv} = {self.m.helper('MISSING')}")
        return self.when(f"{key!r} in {v}", [f"{cv} = {v}[{key!r}]", *present], otherwise)

    def conditional_message(self, element: Element) -> int:
        fi = condition_text(first(element.implementation_note, "fi")) or "-"
        sv = condition_text(first(element.implementation_note, "sv")) or fi
        return self.m.message("conditional.missing", None, element=element, params={"fi": fi, "sv": sv, "en": fi})

    def object_applicators(self, node: Node, v: str, ptr: Ptr) -> Lines:
        """propertyNames, patternProperties and dependencies."""
        out: Lines = []
        if node.property_names is not None:
            k = self.var("k")
            body = self.node(node.property_names, k, (*ptr, ("k", k)))
            out += [f"for {k} in {v}:", *indent(body)] if body else []
        for pattern, sub in node.pattern_properties.items():
            k, x = self.var("k"), self.var("x")
            body = self.node(sub, x, (*ptr, ("k", k)))
            if body:
                regex = self.regex(pattern, node)
                out += [f"for {k}, {x} in {v}.items():", *indent(self.when(f"{regex}.search({k}) is not None", body))]
        for key, dependency in node.dependencies.items():
            if isinstance(dependency, Node):
                out += self.when(f"{key!r} in {v}", self.node(dependency, v, ptr))
                continue
            index = self.m.message("schema.dependencies", node, params=dict.fromkeys(("fi", "sv", "en"), key))
            for needed in dependency:
                out += self.when(f"{key!r} in {v} and {needed!r} not in {v}", self.error(index, (*ptr, ("s", needed))))
        return out

    def regex(self, pattern: str, node: Node) -> str:
        """The module constant holding `pattern` compiled with ECMA-262 semantics."""
        try:
            compile_ecma(pattern)
        except re.error as exc:
            message = f"{node.where}: pattern {pattern!r} is not a regular expression this compiler can use"
            raise UnsupportedSchema(message) from exc
        self.m.helper("compile_ecma")
        return self.m.const(f"compile_ecma({pattern!r})", "P")

    def additional(self, node: Node, props: dict[str, Node], v: str, ptr: Ptr, counter: str | None) -> Lines:
        extra = node.additional
        if extra is None or extra.boolean is True:
            return []
        known = self.m.const(f"frozenset({sorted(props)!r})", "K") if props else None
        k, x = self.var("k"), self.var("x")
        if node.pattern_properties:
            unmatched = [f"{k} not in {known}"] if known else []
            unmatched += [f"{self.regex(p, node)}.search({k}) is None" for p in node.pattern_properties]
            if extra.boolean is False:
                index = self.m.message("schema.additional", None, element=node.element, sub_key=node.sub_key)
                body, loop = self.error(index, (*ptr, ("k", k))), f"for {k} in {v}:"
            else:
                body, loop = self.node(extra, x, (*ptr, ("k", k))), f"for {k}, {x} in {v}.items():"
            return [loop, *indent(self.when(" and ".join(unmatched), body))] if body else []
        if extra.boolean is False:
            index = self.m.message("schema.additional", None, element=node.element, sub_key=node.sub_key)
            test = f"len({v}) != {counter}" if counter else f"not {v}.keys() <= {known}" if known else v
            if self.flavour == "check":
                return self.when(test, ["return False"])
            report = self.error(index, (*ptr, ("k", k)))
            each_key = [f"for {k} in {v}:", *indent(self.when(f"{k} not in {known}", report) if known else report)]
            return self.when(test, each_key)
        body = self.node(extra, x, (*ptr, ("k", k)))
        if not body:
            return []
        return [f"for {k}, {x} in {v}.items():", *indent(self.when(f"{k} not in {known}", body) if known else body)]

    # ---- arrays -----------------------------------------------------------------------------------------
    def array_checks(self, node: Node, v: str, ptr: Ptr) -> Lines:
        kw = node.kw
        out: Lines = []
        for code, op in (("minItems", "<"), ("maxItems", ">")):
            limit = kw.get(code)
            if _bound(limit, code):
                out += self.limit(f"len({v}) {op} {limit!r}", code, node, limit, ptr)
        if kw.get("uniqueItems") is True:
            out += self.when(
                f"not {self.m.helper('all_unique')}({v})", self.error(self.m.message("schema.uniqueItems", node), ptr)
            )
        if node.contains is not None:
            x = self.var("x")
            test = f"not any({self.m.predicate(node.contains)}({x}) for {x} in {v})"
            out += self.when(test, self.error(self.m.message("schema.contains", node), ptr))
        items = node.items
        if isinstance(items, Node):
            out += self.each(items, v, ptr, start=0)
        elif isinstance(items, list):
            for position, item in enumerate(items):
                x = self.var("x")
                body = self.node(item, x, (*ptr, ("s", str(position))))
                if body:
                    out += [f"if len({v}) > {position}:", *indent([f"{x} = {v}[{position}]", *body])]
            if node.additional_items is not None:
                out += self.each(node.additional_items, v, ptr, start=len(items))
        return out

    def each(self, item: Node, v: str, ptr: Ptr, start: int) -> Lines:
        i, x = self.var("i"), self.var("x")
        if item.boolean is False:  # no item allowed from `start` on
            if self.flavour == "check":
                return self.when(f"len({v}) > {start}", ["return False"])
            return [
                f"for {i} in range({start}, len({v})):",
                *indent(self.error(self.m.message("schema.false", item), (*ptr, ("i", i)))),
            ]
        body = self.node(item, x, (*ptr, ("i", i)))
        if not body:
            return []
        source = f"{v}[{start}:]" if start else v
        if self.flavour == "check":
            return [f"for {x} in {source}:", *indent(body)]
        offset = f", {start}" if start else ""
        return [f"for {i}, {x} in enumerate({source}{offset}):", *indent(body)]

    # ---- full mode: what the schema cannot say ------------------------------------------------------------
    def full_string(self, node: Node, element: Element, v: str, ptr: Ptr) -> Lines:
        rep = element.representation
        pattern = node.kw.get("pattern")
        if rep is R.PVM:
            return self.calendar(node, v, ptr, "date", pattern == DATE_PATTERN)
        if rep is R.HETKI:
            return self.calendar(node, v, ptr, "datetime", pattern == DATETIME_PATTERN)
        if rep is R.FRAASI:
            phrase = first(element.phrase, "fi")
            if phrase is None or node.kw.get("enum") == [phrase]:
                return []
            return self.when(f"{v} != {phrase!r}", self.error(self.m.message("phrase.text", node), ptr))
        return []

    def calendar(self, node: Node, v: str, ptr: Ptr, kind: str, standard: bool) -> Lines:
        """Real dates: with the standard pattern only the calendar can still be wrong, else also the form."""
        problem = self.m.helper(f"{kind}_problem")
        calendar = self.m.message(f"{kind}.calendar", node)
        if standard and kind == "date":
            # The pattern fixed the form and the month; only a day 00 or past the 28th can be wrong.
            test = f"({v}[-2:] > '28' or {v}[-2:] == '00') and {problem}({v}) == 2"
            return self.when(test, self.error(calendar, ptr))
        if standard:
            return self.when(f"{problem}({v}) == 2", self.error(calendar, ptr))
        p = self.var("p")
        form = self.m.message(f"{kind}.format", node)
        return [
            f"{p} = {problem}({v})",
            *self.when(f"{p} == 1", self.error(form, ptr)),
            *self.when(f"{p} == 2", self.error(calendar, ptr)),
        ]

    def full_object(self, node: Node, element: Element, v: str, ptr: Ptr) -> Lines:
        rep = element.representation
        if rep is R.KOODI:
            return self.koodi(node, element, v, ptr)
        if rep is R.TUNNUS:
            return self.tunnus(node, element, v, ptr)
        return []

    def member(self, node: Node, v: str, key: str, out: Lines) -> str:
        """The variable with member `key` of object `v` (MISSING when absent), fetching it if not yet done."""
        known = self.member_vars.get((id(node), key))
        if known is not None:
            return known
        var = self.var("m")
        out.append(f"{var} = {v}.get({key!r}, {self.m.helper('MISSING')})")
        self.member_vars[(id(node), key)] = var
        return var

    def koodi(self, node: Node, element: Element, v: str, ptr: Ptr) -> Lines:
        out: Lines = []
        props = node.properties or {}
        sys_ptr, code_ptr, disp_ptr = (*ptr, ("s", "system")), (*ptr, ("s", "code")), (*ptr, ("s", "display"))
        sys_node = props.get("system")
        raw_oid = element.classification_oid_value  # None also for THL's "-" placeholder
        oid = raw_oid.strip().removeprefix("urn:oid:") if raw_oid is not None else None
        s = self.member(node, v, "system", out)
        oid_error = self.error(self.m.message("oid.syntax", None, element=element, sub_key="system"), sys_ptr)
        is_oid = self.m.helper("is_oid")
        if oid is not None and identifiers.is_oid(oid):
            covered = sys_node is not None and sys_node.kw.get("pattern") == system_pattern(oid)
            leading_zero = f"'.0' in {s} and not {is_oid}({s}[8:])"
            if covered:  # the pattern fixed the prefix and ASCII digits; arcs may still have leading zeros
                out += self.when(f"isinstance({s}, str) and {leading_zero}", oid_error)
            else:
                params = dict.fromkeys(("fi", "sv", "en"), f"urn:oid:{oid}")
                index = self.m.message("code.system", None, element=element, sub_key="system", params=params)
                wrong = self.error(index, sys_ptr)
                matches = self.m.helper("system_matches")
                out += self.when(
                    f"isinstance({s}, str)",
                    [
                        *self.when(
                            f"not {matches}({s}, {oid!r})",
                            wrong,
                            self.when(f"{s}.startswith('urn:oid:') and not {is_oid}({s}[8:])", oid_error),
                        )
                    ],
                )
        elif raw_oid is not None:
            # The format's own derivation, from the text as written; an export that already fixes `system`
            # with an enum has the last word (full mode never contradicts the schema).
            expected = internal_system(raw_oid)
            if sys_node is None or "enum" not in sys_node.kw:
                params = dict.fromkeys(("fi", "sv", "en"), expected)
                index = self.m.message("code.system", None, element=element, sub_key="system", params=params)
                wrong = self.error(index, sys_ptr)
                out += self.when(f"isinstance({s}, str) and {s} != {expected!r}", wrong)
        else:
            out += self.when(
                f"isinstance({s}, str) and {s}.startswith('urn:oid:') and not {is_oid}({s}[8:])", oid_error
            )
        codes = list(element.code_values)
        code_node = props.get("code")
        labels = parse_value_set([t.value for t in element.value_set or ()])
        check_code = bool(codes) and (code_node is None or code_node.kw.get("enum") != codes)
        if not check_code and not (labels and self.flavour == "report"):
            return out
        c = self.member(node, v, "code", out)
        if check_code:
            accepted = self.m.const(f"frozenset({sorted(set(codes))!r})", "A")
            shown = ", ".join(dict.fromkeys(codes))
            params = dict.fromkeys(("fi", "sv", "en"), shown if len(shown) <= 80 else shown[:77] + "...")
            index = self.m.message("code.value", None, element=element, sub_key="code", params=params)
            out += self.when(f"isinstance({c}, str) and {c} not in {accepted}", self.error(index, code_ptr))
        if labels and self.flavour == "report":
            table = self.m.const(_label_table(labels), "V")
            norm = self.m.helper("normalize_label")
            index = self.m.message("code.display", None, element=element, sub_key="display")
            d = self.member(node, v, "display", out)
            out += [
                *self.when(
                    f"isinstance({d}, str) and isinstance({c}, str) and {c} in {table} "
                    f"and {d} not in {table}[{c}] and {norm}({d}) not in {table}[{c}]",
                    self.warning(index, disp_ptr),
                ),
            ]
        return out

    def tunnus(self, node: Node, element: Element, v: str, ptr: Ptr) -> Lines:
        out: Lines = []
        h = self.var("h")
        sys_ptr, val_ptr = (*ptr, ("s", "system")), (*ptr, ("s", "value"))
        system_uri = element.system_uri_value
        hetu_element = system_uri is not None and system_uri.removeprefix("urn:oid:") == HETU_OID
        s, t = self.member(node, v, "system", out), self.member(node, v, "value", out)
        problem = self.m.helper("hetu_problem")
        # hetu_problem's answer -> message index of its rule
        codes = {
            HETU_FORMAT: "hetu.format",
            HETU_DATE: "hetu.date",
            HETU_INDIVIDUAL: "hetu.individual",
            HETU_CHECKSUM: "hetu.checksum",
            HETU_TEMPORARY: "hetu.temporary",
        }
        indexes = [
            self.m.message(codes[i], None, element=element, sub_key="value") if i in codes else None
            for i in range(max(codes) + 1)
        ]
        table = self.m.const(repr(tuple(indexes)), "H")
        if self.flavour == "check":  # a temporary code is only a warning
            hetu_check = self.when(f"{problem}({t}) not in ({HETU_OK}, {HETU_TEMPORARY})", ["return False"])
        else:
            hetu_check = [
                f"{h} = {problem}({t})",
                *self.when(h, [f"out.append(({self.pointer(val_ptr)}, {table}[{h}]))"]),
            ]
        oid_error = self.error(self.m.message("oid.syntax", None, element=element, sub_key="system"), sys_ptr)
        oid_like = f"isinstance({s}, str) and {s}.startswith('urn:oid:') and not {self.m.helper('is_oid')}({s}[8:])"
        if hetu_element:
            params = dict.fromkeys(("fi", "sv", "en"), HETU_SYSTEM)
            wrong = self.m.message("identifier.system", None, element=element, sub_key="system", params=params)
            out += self.when(f"isinstance({s}, str) and {s} != {HETU_SYSTEM!r}", self.error(wrong, sys_ptr))
            out += self.when(f"isinstance({t}, str)", hetu_check)
        else:
            out += self.when(
                f"{s} == {HETU_SYSTEM!r} and isinstance({t}, str)", hetu_check, self.when(oid_like, oid_error)
            )
        if is_oid_named(element):
            index = self.m.message("oid.syntax", None, element=element, sub_key="value")
            out += self.when(
                f"isinstance({t}, str) and not {self.m.helper('is_oid_or_urn')}({t})", self.error(index, val_ptr)
            )
        return out


def _subnodes(node: Node) -> list[Node]:
    found: list[Node] = [*(node.properties or {}).values(), *node.all_of, *(node.any_of or []), *(node.one_of or [])]
    found += [
        n
        for n in (
            node.additional,
            node.additional_items,
            node.not_,
            node.if_,
            node.then,
            node.else_,
            node.contains,
            node.property_names,
        )
        if n is not None
    ]
    found += node.items if isinstance(node.items, list) else [node.items] if node.items is not None else []
    found += [*node.pattern_properties.values(), *(d for d in node.dependencies.values() if isinstance(d, Node))]
    return found


def _check_patterns(tree: Node) -> None:
    """Refuse, when the validator is created, a pattern that cannot be used (rather than on first use)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        for pattern in [node.kw.get("pattern"), *node.pattern_properties]:
            if isinstance(pattern, str):
                try:
                    compile_ecma(pattern)
                except re.error as exc:
                    message = f"{node.where}: pattern {pattern!r} is not a regular expression this compiler can use"
                    raise UnsupportedSchema(message) from exc
        stack.extend(_subnodes(node))


class ValidatorSource:
    """The generated code of one structure's validator, emitted one function at a time.

    `text()` is the whole module (what `--target validators` writes); `piece()` gives just what a namespace
    still lacks to define one function, so that an in-memory validator compiles only the functions it uses.
    """

    def __init__(self, structure: Structure, mode: Mode = "full") -> None:
        if mode not in ("full", "schema"):
            raise ValueError(f"mode must be 'full' or 'schema', not {mode!r}")
        self.structure = structure
        self.mode = mode
        self.tree = schema_tree(structure)
        _check_patterns(self.tree)
        self.module = _Module(mode)
        self._bodies: dict[str, Lines] = {}

    def function(self, flavour: Flavour) -> Lines:
        """`findings(doc, out)` (report) or `is_valid(doc)` (check), emitted on first request."""
        if flavour not in self._bodies:
            body = _Emitter(self.module, flavour).node(self.tree, "doc", ())
            self._bodies[flavour] = body if flavour == "report" else returning(body)
        if flavour == "report":
            head = [
                "def findings(doc: Any, out: list[tuple[str, int]]) -> None:",
                '    """Append (JSON pointer, index into MESSAGES) for every finding in `doc`."""',
            ]
        else:
            head = [
                "def is_valid(doc: Any) -> bool:",
                '    """True when `doc` has no error (warnings do not count)."""',
            ]
        return [*head, *indent(self._bodies[flavour])]

    def _imports(self, names: list[str]) -> Lines:
        lines = ["from sosmeta.generators.validator.ecma import compile_ecma"] if "compile_ecma" in names else []
        runtime = [n for n in RUNTIME_NAMES if n in names]
        if runtime:
            imports = f"from sosmeta.generators.validator.runtime import {', '.join(runtime)}"
            if len(imports) > 120:
                imports = (
                    "from sosmeta.generators.validator.runtime import (\n"
                    + "".join(f"    {n},\n" for n in runtime)
                    + ")"
                )
            lines.append(imports)
        return lines

    def _definitions(self, constants_from: int = 0, number: bool = False) -> Lines:
        lines = ["NUMBER = frozenset((int, float))"] if number or "NUMBER" in self.module.helpers else []
        items = list(self.module.constants.items())[constants_from:]
        return lines + [f"{name} = {expression}" for expression, name in items]

    def _messages(self) -> Lines:
        return ["MESSAGES = (", *(f"    {entry!r}," for entry in self.module.messages), ")"]

    def text(self) -> str:
        """The whole module, both functions."""
        report, check = self.function("report"), self.function("check")
        structure = self.structure
        lines = [
            f'"""Validator for {structure.fi_title} ({structure.version_oid}), mode {self.mode}.',
            "",
            "Generated by sosmeta from the structure; do not edit. See generators/validator/codegen.py.",
            '"""',
            "# ruff: noqa: E501",
            "",
            "from __future__ import annotations",
            "",
            "from typing import Any",
            "",
            *self._imports(sorted(self.module.helpers)),
            "",
            f"STRUCTURE = {structure.version_oid!r}",
            f"MODE = {self.mode!r}",
            *self._messages(),
            *self._definitions(),
            "",
            "",
            *report,
            "",
            "",
            *check,
            "",
        ]
        for function in self.module.functions:
            lines += ["", *function, ""]
        return "\n".join(lines)

    def piece(self, flavour: Flavour, constants_done: int, functions_done: int) -> tuple[str, int, int]:
        """Source defining `flavour`'s function (and the constants and predicates it needs beyond the first
        `constants_done` and `functions_done`); returns it with the new counts."""
        function = self.function(flavour)
        lines = [
            "from typing import Any",
            *self._imports(sorted(self.module.helpers | {"MISSING"})),
            *self._definitions(constants_done, number=True),
            *(self._messages() if flavour == "report" else []),
            *function,
        ]
        for predicate in self.module.functions[functions_done:]:
            lines += predicate
        return "\n".join(lines) + "\n", len(self.module.constants), len(self.module.functions)


def generate(structure: Structure, mode: Mode = "full") -> str:
    """The Python source of the validator module for `structure` in `mode`."""
    return ValidatorSource(structure, mode).text()
