"""Generate the Python source of a validator for one structure.

The generated module has two functions, both straight-line code with every check inlined (no calls per
element, regexes precompiled, sets and tuples built once at import):

* `findings(doc, out)` appends `(JSON pointer, message index)` for every finding; pointers are only built when
  something is wrong, so a valid document allocates nothing but the warnings it gets;
* `is_valid(doc)` returns False at the first error (warnings do not count).

`MESSAGES[index]` is `(code, severity, message, row, name)`: every message is fixed per element and rule, which
is also why no message can repeat a document value.

The pieces: this module assembles the generated module (constants, messages, imports, the two functions and
the predicates they call); keyword_checks.py emits the JSON Schema keyword checks; full_rules.py the full-mode
rules the schema cannot express.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from sosmeta.generators.validator.ecma import compile_ecma
from sosmeta.generators.validator.findings import RULES, render
from sosmeta.generators.validator.keyword_checks import Emitter
from sosmeta.generators.validator.pysource import Lines, indent, returning
from sosmeta.generators.validator.schema_tree import Node, UnsupportedSchema, schema_tree
from sosmeta.structures.model import Element, Structure

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


@dataclass
class GeneratedModule:
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
            body = Emitter(self, "check").node(node, "x", ())
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
        self.module = GeneratedModule(mode)
        self._bodies: dict[str, Lines] = {}

    def function(self, flavour: Flavour) -> Lines:
        """`findings(doc, out)` (report) or `is_valid(doc)` (check), emitted on first request."""
        if flavour not in self._bodies:
            body = Emitter(self.module, flavour).node(self.tree, "doc", ())
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
