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

from generators.validator.findings import RULES, render
from generators.validator.schema_tree import Node, schema_tree
from structures.model import Element, Structure
from structures.representation import Representation as R
from structures.shape import DATE_PATTERN, DATETIME_PATTERN, internal_system, system_pattern
from structures.texts import first, meaningful

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
Lines = list[str]
Ptr = tuple[tuple[str, str], ...]
"""A JSON pointer as parts: ("s", static key) or ("i", index variable) or ("k", key variable)."""

_NUMERIC_OID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$", re.ASCII)
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
_VALUE_SET_ITEM = re.compile(r"^\s*([^=]+?)\s*=\s*(.+?)\s*$")


def _indent(lines: Lines) -> Lines:
    return ["    " + line for line in lines]


def _pointer(ptr: Ptr) -> str:
    """A Python expression for the JSON pointer `ptr`."""
    pieces: list[str] = []
    static = ""
    for kind, value in ptr:
        if kind == "s":
            static += "/" + value.replace("~", "~0").replace("/", "~1")
        else:
            pieces.append(repr(static + "/"))
            static = ""
            pieces.append(f"str({value})" if kind == "i" else f"pointer_part({value})")
    if static or not pieces:
        pieces.append(repr(static))
    return " + ".join(pieces)


def parse_value_set(texts: list[str]) -> dict[str, set[str]]:
    """`code = label` items separated by commas and/or newlines -> labels (raw and normalized) per code."""
    labels: dict[str, set[str]] = {}
    for text in texts:
        for item in re.split(r",\s*(?=[^,=]+=)|\n", text):
            match = _VALUE_SET_ITEM.match(item)
            if match:
                code, label = match.groups()
                labels.setdefault(code, set()).update({label, " ".join(label.split()).casefold()})
    return labels


def system_prefix(pattern: Any) -> str | None:
    """`urn:oid:<oid>` when `pattern` is the standard code-system pattern of a numeric OID, else None."""
    if not isinstance(pattern, str) or not pattern.startswith("^urn:oid:") or not pattern.endswith("(\\.\\d+)*$"):
        return None
    oid = pattern[len("^urn:oid:") : -len("(\\.\\d+)*$")].replace("\\.", ".")
    return "urn:oid:" + oid if _NUMERIC_OID.match(oid) and system_pattern(oid) == pattern else None


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


class _Emitter:
    """Writes the body of one of the two functions."""

    def __init__(self, module: _Module, flavour: Flavour) -> None:
        self.m = module
        self.flavour = flavour
        self.full = module.mode == "full"
        self.counter = 0

    def var(self, prefix: str = "v") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    # ---- reporting ------------------------------------------------------------------------------------
    def error(self, index: int, ptr: Ptr) -> Lines:
        if self.flavour == "check":
            return ["return False"]
        return [f"out.append(({_pointer(ptr)}, {index}))"]

    def warning(self, index: int, ptr: Ptr) -> Lines:
        return [] if self.flavour == "check" else [f"out.append(({_pointer(ptr)}, {index}))"]

    def report(self, index: int, ptr: Ptr) -> Lines:
        severity = self.m.messages[index][1]
        return self.error(index, ptr) if severity == "error" else self.warning(index, ptr)

    @staticmethod
    def when(condition: str, body: Lines, otherwise: Lines | None = None) -> Lines:
        if not body and not otherwise:
            return []
        if not body:
            return [f"if not ({condition}):", *_indent(otherwise or [])]
        out = [f"if {condition}:", *_indent(body)]
        if otherwise:
            out += ["else:", *_indent(otherwise)]
        return out

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
            return out
        if types is not None:
            test = " or ".join(self.type_test(t, v) for t in types) or "False"
            out += self.when(f"not ({test})", self.error(self.type_message(node, types), ptr))
        for group, body in groups.items():
            out += self.when(self.type_test(group, v), body)
        return out

    def type_test(self, json_type: str, v: str) -> str:
        # The exact-class test is several times faster; isinstance keeps subclasses right.
        if json_type == "string":
            return f"({v}.__class__ is str or isinstance({v}, str))"
        if json_type == "object":
            return f"({v}.__class__ is dict or isinstance({v}, dict))"
        if json_type == "array":
            return f"({v}.__class__ is list or isinstance({v}, list))"
        if json_type == "boolean":
            return f"({v} is True or {v} is False)"
        if json_type == "null":
            return f"{v} is None"
        if json_type == "number":
            return f"({v}.__class__ in NUMBER or {self.m.helper('is_number')}({v}))"
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
            if isinstance(limit, int | float) and not isinstance(limit, bool):
                out += self.limit(f"len({v}) {op} {limit!r}", code, node, limit, ptr)
        pattern = kw.get("pattern")
        checks: Lines = []
        if isinstance(pattern, str):
            regex = self.m.const(f"compile_ecma({pattern!r})", "P")
            self.m.helper("compile_ecma")
            params = {lang: self.pattern_hint(pattern, lang) for lang in ("fi", "sv", "en")}
            index = self.m.message("schema.pattern", node, params=params)
            checks = self.when(f"{regex}.search({v}) is None", self.error(index, ptr))
        if self.full and node.role == "element" and node.element is not None:
            checks += self.full_string(node, node.element, v, ptr)
        # Fast paths for the common values of the standard patterns; the regex decides everything else.
        system = system_prefix(pattern)
        if pattern == DATE_PATTERN and checks:
            return out + self.when(f"{v} not in COMMON_DATES", checks)  # real dates: pattern and calendar hold
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
        counter = self.var("n") if props and node.additional is not None and node.additional.boolean is False else None
        if counter is not None:
            out.append(f"{counter} = 0")
        for key, child in props.items():
            out += self.property(node, key, child, key in required, v, ptr, counter)
        for key in dict.fromkeys(required):
            if key not in props:
                index = self.m.message("schema.required", None, element=node.element, sub_key=key)
                out += self.when(f"{key!r} not in {v}", self.error(index, (*ptr, ("s", key))))
        out += self.additional(node, props, v, ptr, counter)
        for code, op in (("minProperties", "<"), ("maxProperties", ">")):
            limit = kw.get(code)
            if isinstance(limit, int) and not isinstance(limit, bool):
                out += self.limit(f"len({v}) {op} {limit}", code, node, limit, ptr)
        if self.full and node.role == "element" and node.element is not None:
            out += self.full_object(node, node.element, v, ptr)
        return out

    def property(
        self, parent: Node, key: str, child: Node, required: bool, v: str, ptr: Ptr, counter: str | None
    ) -> Lines:
        cv = self.var()
        child_ptr = (*ptr, ("s", key))
        count = [f"{counter} += 1"] if counter is not None else []
        body = count + self.node(child, cv, child_ptr)
        if required:
            index = self.m.message(
                "schema.required", child if child.role != "sub" else None, element=child.element, sub_key=child.sub_key
            )
            missing = self.error(index, child_ptr)
            if body == count:
                return self.when(f"{key!r} not in {v}", missing, count)
            return [f"{cv} = {v}.get({key!r}, MISSING)", *self.when(f"{cv} is MISSING", missing, body)]
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
        return [f"{cv} = {v}.get({key!r}, MISSING)", *self.when(f"{cv} is not MISSING", body, absent)]

    def conditional_message(self, element: Element) -> int:
        fi = condition_text(first(element.implementation_note, "fi")) or "-"
        sv = condition_text(first(element.implementation_note, "sv")) or fi
        return self.m.message("conditional.missing", None, element=element, params={"fi": fi, "sv": sv, "en": fi})

    def additional(self, node: Node, props: dict[str, Node], v: str, ptr: Ptr, counter: str | None) -> Lines:
        extra = node.additional
        if extra is None or extra.boolean is True:
            return []
        known = self.m.const(f"frozenset({sorted(props)!r})", "K") if props else None
        k, x = self.var("k"), self.var("x")
        if extra.boolean is False:
            index = self.m.message("schema.additional", None, element=node.element, sub_key=node.sub_key)
            test = f"len({v}) != {counter}" if counter else f"not {v}.keys() <= {known}" if known else v
            if self.flavour == "check":
                return self.when(test, ["return False"])
            loop = [
                f"for {k} in {v}:",
                *_indent(self.when(f"{k} not in {known}" if known else "True", self.error(index, (*ptr, ("k", k))))),
            ]
            return self.when(test, loop)
        body = self.node(extra, x, (*ptr, ("k", k)))
        if not body:
            return []
        test = f"{k} not in {known}" if known else "True"
        return [f"for {k}, {x} in {v}.items():", *_indent(self.when(test, body))]

    # ---- arrays -----------------------------------------------------------------------------------------
    def array_checks(self, node: Node, v: str, ptr: Ptr) -> Lines:
        kw = node.kw
        out: Lines = []
        for code, op in (("minItems", "<"), ("maxItems", ">")):
            limit = kw.get(code)
            if isinstance(limit, int | float) and not isinstance(limit, bool):
                out += self.limit(f"len({v}) {op} {limit!r}", code, node, limit, ptr)
        if kw.get("uniqueItems") is True:
            out += self.when(
                f"not {self.m.helper('all_unique')}({v})", self.error(self.m.message("schema.uniqueItems", node), ptr)
            )
        items = node.items
        if isinstance(items, Node):
            out += self.each(items, v, ptr, start=0)
        elif isinstance(items, list):
            for position, item in enumerate(items):
                x = self.var("x")
                body = self.node(item, x, (*ptr, ("s", str(position))))
                if body:
                    out += [f"if len({v}) > {position}:", *_indent([f"{x} = {v}[{position}]", *body])]
            if node.additional_items is not None:
                out += self.each(node.additional_items, v, ptr, start=len(items))
        return out

    def each(self, item: Node, v: str, ptr: Ptr, start: int) -> Lines:
        i, x = self.var("i"), self.var("x")
        body = self.node(item, x, (*ptr, ("i", i)))
        if not body:
            return []
        source = f"{v}[{start}:]" if start else v
        if self.flavour == "check":
            return [f"for {x} in {source}:", *_indent(body)]
        offset = f", {start}" if start else ""
        return [f"for {i}, {x} in enumerate({source}{offset}):", *_indent(body)]

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

    def koodi(self, node: Node, element: Element, v: str, ptr: Ptr) -> Lines:
        out: Lines = []
        props = node.properties or {}
        s, c, d = self.var("s"), self.var("c"), self.var("d")
        sys_ptr, code_ptr, disp_ptr = (*ptr, ("s", "system")), (*ptr, ("s", "code")), (*ptr, ("s", "display"))
        sys_node = props.get("system")
        oid = meaningful(element.classification_oid_value)  # "-" is THL's placeholder for "none"
        out.append(f"{s} = {v}.get('system')")
        oid_error = self.error(self.m.message("oid.syntax", None, element=element, sub_key="system"), sys_ptr)
        is_oid = self.m.helper("is_oid")
        if oid is not None and _NUMERIC_OID.match(oid):
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
        elif oid is not None:
            expected = internal_system(oid)
            if sys_node is None or sys_node.kw.get("enum") != [expected]:
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
        out.append(f"{c} = {v}.get('code')")
        if codes and (code_node is None or code_node.kw.get("enum") != codes):
            accepted = self.m.const(f"frozenset({sorted(set(codes))!r})", "A")
            shown = ", ".join(dict.fromkeys(codes))
            params = dict.fromkeys(("fi", "sv", "en"), shown if len(shown) <= 80 else shown[:77] + "...")
            index = self.m.message("code.value", None, element=element, sub_key="code", params=params)
            out += self.when(f"isinstance({c}, str) and {c} not in {accepted}", self.error(index, code_ptr))
        labels = parse_value_set([t.value for t in element.value_set or ()])
        if labels and self.flavour == "report":
            table = self.m.const(repr({code: frozenset(sorted(names)) for code, names in sorted(labels.items())}), "V")
            norm = self.m.helper("normalize_label")
            index = self.m.message("code.display", None, element=element, sub_key="display")
            out += [
                f"{d} = {v}.get('display')",
                *self.when(
                    f"isinstance({d}, str) and isinstance({c}, str) and {c} in {table} "
                    f"and {d} not in {table}[{c}] and {norm}({d}) not in {table}[{c}]",
                    self.warning(index, disp_ptr),
                ),
            ]
        return out

    def tunnus(self, node: Node, element: Element, v: str, ptr: Ptr) -> Lines:
        out: Lines = []
        s, t, h = self.var("s"), self.var("t"), self.var("h")
        sys_ptr, val_ptr = (*ptr, ("s", "system")), (*ptr, ("s", "value"))
        system_uri = element.system_uri_value
        hetu_element = system_uri is not None and system_uri.removeprefix("urn:oid:") == "1.2.246.21"
        out += [f"{s} = {v}.get('system')", f"{t} = {v}.get('value')"]
        problem = self.m.helper("hetu_problem")
        codes = ("hetu.format", "hetu.date", "hetu.individual", "hetu.checksum", "hetu.temporary")
        indexes = [self.m.message(code, None, element=element, sub_key="value") for code in codes]
        table = self.m.const(repr((None, *indexes)), "H")
        if self.flavour == "check":
            hetu_check = self.when(f"{problem}({t}) not in (0, 5)", ["return False"])
        else:
            hetu_check = [f"{h} = {problem}({t})", *self.when(h, [f"out.append(({_pointer(val_ptr)}, {table}[{h}]))"])]
        oid_error = self.error(self.m.message("oid.syntax", None, element=element, sub_key="system"), sys_ptr)
        oid_like = f"isinstance({s}, str) and {s}.startswith('urn:oid:') and not {self.m.helper('is_oid')}({s}[8:])"
        if hetu_element:
            params = dict.fromkeys(("fi", "sv", "en"), "urn:oid:1.2.246.21")
            wrong = self.m.message("identifier.system", None, element=element, sub_key="system", params=params)
            out += self.when(f"isinstance({s}, str) and {s} != 'urn:oid:1.2.246.21'", self.error(wrong, sys_ptr))
            out += self.when(f"isinstance({t}, str)", hetu_check)
        else:
            out += self.when(
                f"{s} == 'urn:oid:1.2.246.21' and isinstance({t}, str)", hetu_check, self.when(oid_like, oid_error)
            )
        if is_oid_named(element):
            index = self.m.message("oid.syntax", None, element=element, sub_key="value")
            out += self.when(
                f"isinstance({t}, str) and not {self.m.helper('is_oid_or_urn')}({t})", self.error(index, val_ptr)
            )
        return out


def generate(structure: Structure, mode: Mode = "full") -> str:
    """The Python source of the validator module for `structure` in `mode`."""
    if mode not in ("full", "schema"):
        raise ValueError(f"mode must be 'full' or 'schema', not {mode!r}")
    tree = schema_tree(structure)
    module = _Module(mode)
    report = _Emitter(module, "report").node(tree, "doc", ())
    check = _Emitter(module, "check").node(tree, "doc", ())
    constants = [f"{name} = {expression}" for expression, name in module.constants.items()]
    used = "\n".join(report + check + constants)
    runtime_names = [n for n in RUNTIME_NAMES if re.search(rf"\b{n}\b", used)]
    lines = [
        f'"""Validator for {structure.fi_title} ({structure.version_oid}), mode {mode}.',
        "",
        "Generated by sosmeta from the structure; do not edit. See generators/validator/codegen.py.",
        '"""',
        "# ruff: noqa: E501",
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any",
        "",
    ]
    if "compile_ecma" in used:
        lines.append("from generators.validator.ecma import compile_ecma")
    if runtime_names:
        lines.append(f"from generators.validator.runtime import {', '.join(runtime_names)}")
    lines += ["", f"STRUCTURE = {structure.version_oid!r}", f"MODE = {mode!r}"]
    if re.search(r"\bNUMBER\b", used):
        lines.append("NUMBER = frozenset((int, float))")
    lines += ["MESSAGES = (", *(f"    {entry!r}," for entry in module.messages), ")", *constants]
    lines += [
        "",
        "",
        "def findings(doc: Any, out: list[tuple[str, int]]) -> None:",
        '    """Append (JSON pointer, index into MESSAGES) for every finding in `doc`."""',
    ]
    lines += _indent(report)
    lines += [
        "",
        "",
        "def is_valid(doc: Any) -> bool:",
        '    """True when `doc` has no error (warnings do not count)."""',
    ]
    lines += _indent(check)
    lines += ["    return True", ""]
    source = "\n".join(lines)
    return source
