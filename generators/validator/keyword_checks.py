"""The JSON Schema keyword checks of a generated validator: `Emitter` writes the body of `findings` or
`is_valid` for a schema tree, one keyword at a time (types, const and enum, string, number, object and array
keywords, and the applicators allOf, anyOf, oneOf, not and if/then/else).

In `full` mode it also calls the rules of full_rules.py where an element's value or member is checked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sosmeta.generators.validator.ecma import compile_ecma
from sosmeta.generators.validator.full_rules import conditional_message, full_object, full_string
from sosmeta.generators.validator.pysource import Lines, indent, negate, when
from sosmeta.generators.validator.schema_tree import Node, UnsupportedSchema
from sosmeta.structures import identifiers, pointers
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.shape import DATE_PATTERN, DATETIME_PATTERN, system_pattern

if TYPE_CHECKING:
    from sosmeta.generators.validator.codegen import Flavour, GeneratedModule

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


def system_prefix(pattern: Any) -> str | None:
    """`urn:oid:<oid>` when `pattern` is the standard code-system pattern of a numeric OID, else None."""
    if not isinstance(pattern, str) or not pattern.startswith("^urn:oid:") or not pattern.endswith("(\\.\\d+)*$"):
        return None
    oid = pattern[len("^urn:oid:") : -len("(\\.\\d+)*$")].replace("\\.", ".")
    return "urn:oid:" + oid if identifiers.is_oid(oid) and system_pattern(oid) == pattern else None


def _bound(limit: Any, code: str) -> bool:
    """A numeric length or size limit that can fail: `minItems: 0` (common in the exports) holds for every
    list, so no check is written for it."""
    if not isinstance(limit, int | float) or isinstance(limit, bool):
        return False
    return not (code.startswith("min") and limit <= 0)


# JSON types whose Python class is tested directly (exact class first: the common case, and fast).
_PYTHON_CLASS = {"string": "str", "object": "dict", "array": "list"}


class Emitter:
    """Writes the body of one of the two functions."""

    def __init__(self, module: GeneratedModule, flavour: Flavour) -> None:
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
            checks += full_string(self, node, node.element, v, ptr)
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
            out += full_object(self, node, node.element, v, ptr)
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
            absent = self.warning(conditional_message(self, element), child_ptr)
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

    def member(self, node: Node, v: str, key: str, out: Lines) -> str:
        """The variable with member `key` of object `v` (MISSING when absent), fetching it if not yet done."""
        known = self.member_vars.get((id(node), key))
        if known is not None:
            return known
        var = self.var("m")
        out.append(f"{var} = {v}.get({key!r}, {self.m.helper('MISSING')})")
        self.member_vars[(id(node), key)] = var
        return var

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
