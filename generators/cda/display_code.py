"""The display form's elements as generated Python: one function per structure plan and language.

`display_text.Compiled` walks a document with the plan (`_element`, `_members`, `_lines`), asking per element what
kind it is and formatting every value through `display.format_value`. Here that walk is written out once as the
source of one function per (plan, language), the way `generators/validator/codegen.py` writes a validator: the
structure's elements become nested `if key in value:` blocks and loops in structure order, the markup around each
row (`display_text.Node`, made by the blocks template's macros) becomes literal strings, and each value is written
by code for its representation (a plain text is appended as it is when it needs no escaping, a date, date-time or
code text is formatted once and remembered, anything unexpected goes to `display.format_value`). The walker stays
the reference: the first document of every function is also walked and compared, and a function that differs (or
that could not be made) is never used again in that process.

Compiled once per process and kept (a few ms per structure and language; forked workers inherit what the parent
compiled). The compiled code is also kept in the on-disk cache folder (`cache_folder`, as the validators are),
named by the sha256 of the generated source and the Python bytecode version, so the next process skips
Python's compiler (3.4 ms per structure and language; the source itself is still made, 1 ms). Nothing of a
document ever goes into the source: it is made from the plan and the markup only.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import logging
import marshal
from collections.abc import Callable
from operator import itemgetter
from types import CodeType
from typing import Any

from sosmeta.cache_folder import read_sealed, write_sealed
from sosmeta.generators.cda import display as d
from sosmeta.generators.cda import display_text
from sosmeta.generators.cda.display import Plan
from sosmeta.generators.cda.display_text import Node
from sosmeta.structures.representation import QUANTITY_REPRESENTATIONS as QUANTITIES
from sosmeta.structures.representation import Representation as R

Body = Callable[[dict[str, Any]], str]
"""The markup of a document's elements (what `display_text.Compiled.body` makes)."""

_escape = html.escape
_MEMO_LIMIT = 20_000
"""Formatted dates, date-times and code texts remembered per module (values repeat across documents)."""
_NESTING_LIMIT = 30
"""Indentation levels after which a group's members go into a function of their own (Python's parser allows 100)."""
_LOG = logging.getLogger(__name__)
_HETU_SYSTEMS = d._HETU_SYSTEMS
_NOT_XML = d._NOT_XML
_not_xml = d._not_xml


def markup(plan: Plan, value: Any, lang: str) -> str:
    """One value's lines escaped for element content and joined with `<br />`, as the walker writes them."""
    lines = d.format_value(plan, value, lang)
    if len(lines) == 1:
        return _escape(lines[0], False)
    return "<br />".join([_escape(line, False) for line in lines])


_DATES: dict[str, str] = {}
_TIMES: dict[str, dict[str, str]] = {lang: {} for lang in d.LABELS}
_CODES: dict[str, str] = {}
_REMEMBERED = 200
"""The longest value whose markup is remembered (dates, times and code texts are short; a long one is not kept)."""


def _remembered(memo: dict[str, str], key: str, text: str) -> str:
    if len(key) <= _REMEMBERED:
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[key] = text
    return text


def dated(memo: dict[str, str], plan: Plan, value: Any, lang: str) -> str:
    """`markup` of a Pvm or Hetki value (of an element that is no identity code), remembered per text in `memo`
    (`_DATES`, or the language's `_TIMES`: a time is written with the language's word for "at")."""
    if value.__class__ is str:
        hit = memo.get(value)
        return hit if hit is not None else _remembered(memo, value, markup(plan, value, lang))
    return markup(plan, value, lang)


def code(plan: Plan, value: Any, lang: str) -> str:
    """`markup` of a Koodi value, remembered per display text (else code)."""
    if value.__class__ is dict:
        shown = value.get("display") or value.get("code")
        if shown.__class__ is str:
            hit = _CODES.get(shown)
            return hit if hit is not None else _remembered(_CODES, shown, markup(plan, value, lang))
    return markup(plan, value, lang)


def identifier(plan: Plan, value: Any, lang: str) -> str:
    """`markup` of a Tunnus value of an element that is no identity code: its text as it is when it is not
    shaped like an identity code (any other length than 11), not in the identity code's system and one
    printable line without markup characters."""
    if value.__class__ is dict and "value" in value:
        text = value["value"]
        if (
            text.__class__ is str
            and len(text) != 11
            and value.get("system") not in _HETU_SYSTEMS
            and text.isprintable()
            and not ("&" in text or "<" in text or ">" in text)
        ):
            return text
    return markup(plan, value, lang)


_CAREFUL = tuple("&<>\n\ufffe\uffff" + "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r"))
"""What a text written as it is must not hold: markup characters, line breaks and what XML cannot carry
(`display._NOT_XML`)."""


def text_markup(value: str) -> str:
    """`markup` of a string of a plain element: characters XML cannot carry replaced, escaped, line breaks as
    `<br />` (what `format_value`'s lines joined make)."""
    if _not_xml(value):
        value = _NOT_XML.sub("\ufffd", value)
    value = _escape(value, False)
    return value.replace("\n", "<br />") if "\n" in value else value


_needs_care: Callable[[str], bool] = eval("lambda text: " + " or ".join(f"{c!r} in text" for c in _CAREFUL))
"""Whether a text holds any of `_CAREFUL`: one `in` (a memchr) per character, written out (a loop over them
costs more than the searches)."""


def _finish(out: list[str], texts: list[int]) -> str:
    """The document's markup; the texts at `texts` written as they are, unless one of them needs care: then
    each of them as `text_markup` writes it. One search over all of them instead of one per text."""
    if texts:
        written = "".join(itemgetter(*texts)(out)) if len(texts) > 1 else out[texts[0]]
        if _needs_care(written):
            for at in texts:
                out[at] = text_markup(out[at])
    return "".join(out)


def masked(plan: Plan, value: Any, lang: str) -> str:
    """`markup` of a value of an identity code's element (no Koodi): a Tunnus's text masked (birth date and
    `*****`, digits only: nothing to escape)."""
    if value.__class__ is dict and "value" in value:
        text = value["value"]
        if text.__class__ is str:
            return d.mask_identity_code(text)
    return markup(plan, value, lang)


def quantity(plan: Plan, value: Any, lang: str) -> str:
    """`markup` of a Määrä, Mitta or Prosentti: the number with a decimal comma and the unit after it."""
    if value.__class__ is dict and "value" in value:
        number, unit = value["value"], value.get("code")
        if (number.__class__ is int or number.__class__ is float) and (unit is None or unit.__class__ is str):
            text = d.format_number(number)
            return _escape(f"{text} {d._clean(unit)}" if unit else text, False)
    return markup(plan, value, lang)


class _Source:
    """The generated module of one plan and language: its lines and the objects its code refers to by name."""

    def __init__(self, compiled: display_text.Compiled) -> None:
        self.compiled = compiled
        self.lang = compiled.lang
        self.functions: list[list[str]] = []
        self.names: dict[str, Any] = {
            "_markup": markup,
            "_escape": _escape,
            "_code": code,
            "_finish": _finish,
            "_dated": dated,
            "_identifier": identifier,
            "_masked": masked,
            "_quantity": quantity,
            "_DATES": _DATES,
            "_CODES": _CODES,
            "_TIMES": _TIMES[self.lang],
            "_LANG": self.lang,
        }
        self.plans: dict[int, str] = {}

    def plan(self, plan: Plan) -> str:
        """The module-level name of a plan (for the calls to `display.format_value`)."""
        name = self.plans.get(id(plan))
        if name is None:
            name = self.plans[id(plan)] = f"_P{len(self.plans)}"
            self.names[name] = plan
        return name

    def module(self) -> str:
        root = self.compiled.root
        lines = [
            "def body(document):",
            f"    root = document.get({root.key!r})",
            "    if not isinstance(root, dict):",
            "        return ''",
            "    out = []",
            "    append = out.append",
            "    texts = []",  # where in `out` the texts written as they are stand
            "    text = texts.append",
        ]
        for node in self.compiled.children:
            lines += _indent(self.member(node, "root", 1, 1, inline=False))
        lines.append("    return _finish(out, texts)")
        self.functions.append(lines)
        return "\n".join(line for function in self.functions for line in [*function, ""])

    # ---- elements (as `Compiled._element`) --------------------------------------------------------------------
    def member(self, node: Node, holder: str, depth: int, level: int, inline: bool) -> list[str]:
        """`if key in holder:` and the member's code (`level`: the indentation of the `if`, for the limit)."""
        var = f"m{level}"
        body = self.value(node, var) if inline else self.element(node, var, depth, level + 1)
        return [f"if {node.key!r} in {holder}:", f"    {var} = {holder}[{node.key!r}]", *_indent(body)]

    def element(self, node: Node, var: str, depth: int, level: int) -> list[str]:
        if node.group:
            return self.group(node, var, depth, level)
        if depth > 1:  # inside a block (only repeatable values get here: single ones are inline members)
            item = f"v{level}"
            return [f"for {item} in {self.items(node, var)}:", *_indent(self.value(node, item))]
        head, tail = node.list_row + node.item_row, node.end_item_row + node.end_list_row
        if not node.repeatable:
            return [f"append({head!r})", *self.value(node, var), f"append({tail!r})"]
        values, item = f"vs{level}", f"v{level}"
        return [
            f"{values} = {self.items(node, var)}",
            f"if {values}:",
            f"    append({head!r})",
            f"    for {item} in {values}:",
            *_indent(self.value(node, item), 2),
            f"    append({tail!r})",
        ]

    def items(self, node: Node, var: str) -> str:
        """The occurrences of an element's value: a list of a repeatable element is its items."""
        return f"({var} if isinstance({var}, list) else ({var},))" if node.repeatable else f"({var},)"

    def group(self, node: Node, var: str, depth: int, level: int) -> list[str]:
        item, mark = f"g{level}", f"k{level}"
        if node.hidden_field:  # no block: the members stand where the group would
            if not node.repeatable:
                return self.members(node, var, depth, level)
            return [f"for {item} in {self.items(node, var)}:", *_indent(self.members(node, item, depth, level + 1))]
        occurrence = [
            f"{mark} = len(out)",
            "append({})",
            "MEMBERS",
            f"if len(out) == {mark} + 1:",
            f"    del out[{mark}]",  # an empty occurrence is not shown
            "else:",
            "    append({})",
        ]
        if not node.repeatable:  # one occurrence: the block's open and close are one literal each
            lines = [line.format(repr(node.list_row + node.item_row)) for line in occurrence]
            lines[-1] = f"    append({node.end_item_row + node.end_list_row!r})"
            return _splice(lines, self.members(node, var, depth + 1, level))
        start = f"s{level}"
        loop = [line.format(repr(node.item_row)) for line in occurrence]
        loop[-1] = f"    append({node.end_item_row!r})"
        return [
            f"{start} = len(out)",
            f"append({node.list_row!r})",
            f"for {item} in {self.items(node, var)}:",
            *_indent(_splice(loop, self.members(node, item, depth + 1, level + 1))),
            f"if len(out) == {start} + 1:",
            f"    del out[{start}]",
            "else:",
            f"    append({node.end_list_row!r})",
        ]

    def members(self, node: Node, var: str, depth: int, level: int) -> list[str]:
        """As `Compiled._members`: the group's members in order, or the group's own value shown bare."""
        if level > _NESTING_LIMIT:
            return self.function(node, var, depth)
        bare = f"append({self.compiled.bare_close!r})"
        shown = [
            f"elif {var} is not None:",  # a group holding a plain value: an invalid document
            f"    append({node.bare_open!r})",
            f"    append(_markup({self.plan(node.plan)}, {var}, _LANG))",
            f"    {bare}",
        ]
        inside = [line for child in node.children for line in self.member(child, var, depth, level + 1, child.inline)]
        return [f"if isinstance({var}, dict):", *(_indent(inside) or ["    pass"]), *shown]

    def function(self, node: Node, var: str, depth: int) -> list[str]:
        """The members in a function of their own (deep structures), called with the group's value."""
        name = f"_members{len(self.functions)}"
        self.functions.append([])  # its place, so that the functions it calls come after it
        index = len(self.functions) - 1
        members = self.members(node, "value", depth, 1)
        self.functions[index] = [f"def {name}(value, out, text):", "    append = out.append", *_indent(members)]
        return [f"{name}({var}, out, text)"]

    # ---- values (as `Compiled._lines` between a row's open and close) ------------------------------------------
    def value(self, node: Node, var: str) -> list[str]:
        """Append the value row of `var`: its open, its lines (escaped) and its close. A string of a plain
        element (or a Fraasi other than its phrase) goes in as it is and its place is noted: `_finish` escapes
        the document's texts only when one of them needs it."""
        opening, closing = repr(node.value_open), repr(node.value_close)
        plan = node.plan
        general = [f"out += ({opening}, {self.lines(plan, var)}, {closing})"]
        remembered = self.remembered(plan, var)
        if remembered:  # a code text, date or time written before: its markup as it was then
            return [f"if {remembered}:", f"    out += ({opening}, c, {closing})", "else:", *_indent(general)]
        if not (plan.plain or (plan.rep is R.FRAASI and not plan.identity)) or plan.rep is R.KOODI:
            return general
        written = [f"append({opening})", "text(len(out))", f"append({var})", f"append({closing})"]
        lines = [f"if {var}.__class__ is str:", *_indent(written), "else:", *_indent(general)]
        phrase = plan.phrase[""]
        if plan.rep is not R.FRAASI or phrase is None:
            return lines
        shown = markup(plan, phrase, self.lang)  # the phrase in the document's language
        return [
            f"if {var} == {phrase!r}:",
            f"    append({node.value_open + shown + node.value_close!r})",
            "el" + lines[0],
            *lines[1:],
        ]

    def remembered(self, plan: Plan, var: str) -> str:
        """A condition that holds when the markup of `var` is remembered (in `c` then): for codes by their
        text, for dates and times (of elements that are no identity codes) by the value."""
        if plan.rep is R.KOODI:
            shown = f"(t := {var}.get('display') or {var}.get('code')).__class__ is str"
            return f"{var}.__class__ is dict and {shown} and (c := _CODES.get(t)) is not None"
        if plan.rep in (R.PVM, R.HETKI) and not plan.identity:
            memo = "_DATES" if plan.rep is R.PVM else "_TIMES"
            return f"{var}.__class__ is str and (c := {memo}.get({var})) is not None"
        return ""

    def lines(self, plan: Plan, var: str) -> str:
        """An expression for the markup of the value `var` of `plan`: written out for the value its
        representation expects, `display.format_value` (through `markup`) for anything else."""
        general = f"_markup({self.plan(plan)}, {var}, _LANG)"
        if plan.rep is R.KOODI:
            return f"_code({self.plan(plan)}, {var}, _LANG)"
        if plan.identity:
            return f"_masked({self.plan(plan)}, {var}, _LANG)"
        if plan.rep in QUANTITIES:
            return f"_quantity({self.plan(plan)}, {var}, _LANG)"
        if plan.rep is R.TUNNUS:
            return f"_identifier({self.plan(plan)}, {var}, _LANG)"
        if plan.rep in (R.PVM, R.HETKI):
            memo = "_DATES" if plan.rep is R.PVM else "_TIMES"
            return f"_dated({memo}, {self.plan(plan)}, {var}, _LANG)"
        if plan.rep is R.KYTKIN:
            yes, no = (_escape(d.LABELS[self.lang][answer], False) for answer in ("yes", "no"))
            return f"({yes!r} if {var} is True else {no!r} if {var} is False else {general})"
        if plan.rep in (R.NUMERO, R.LKM):
            return f"(str({var}) if {var}.__class__ is int else {general})"
        return general


def _indent(lines: list[str], times: int = 1) -> list[str]:
    return [" " * (4 * times) + line for line in lines]


def _splice(lines: list[str], members: list[str]) -> list[str]:
    """`lines` with the line `MEMBERS` replaced by `members`."""
    at = lines.index("MEMBERS")
    return [*lines[:at], *members, *lines[at + 1 :]]


def source(root: Plan, lang: str) -> tuple[str, dict[str, Any]]:
    """The generated module of a plan in a language: its source and the names its code refers to."""
    made = _Source(display_text.compiled(root, lang))
    return made.module(), made.names


def generate(root: Plan, lang: str) -> Body:
    """The body function of a plan in a language, compiled (no check: `compiled` checks it on first use)."""
    text, names = source(root, lang)
    namespace = dict(names)
    exec(compiled_code(text, f"<sosmeta display {root.key} {lang}>"), namespace)
    return namespace["body"]


_CACHE_MAGIC = b"sosmeta-display-cache 1\n"


def compiled_code(text: str, filename: str) -> CodeType:
    """`compile(text, filename, "exec")`, from the cache folder when this source was compiled before (by any
    process); an entry that fails its check or does not load is compiled again and rewritten."""
    digest = hashlib.sha256(importlib.util.MAGIC_NUMBER + filename.encode("utf-8") + b"\0" + text.encode("utf-8"))
    key = "display-" + digest.hexdigest()
    payload = read_sealed(key, _CACHE_MAGIC)
    if payload is not None:
        try:
            code = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            code = None
        if isinstance(code, CodeType):
            return code
    code = compile(text, filename, "exec")
    write_sealed(key, _CACHE_MAGIC, marshal.dumps(code))
    return code


class _Checked:
    """A generated body function and the walker it stands in for, compared on the first document."""

    def __init__(self, root: Plan, lang: str) -> None:
        self.walker = display_text.compiled(root, lang).body
        try:
            self.generated: Body | None = generate(root, lang)
        except (SyntaxError, RecursionError, MemoryError, ValueError):  # a plan too deep for Python's compiler
            _LOG.warning("display: the walker renders %s (%s); no function could be made", root.key, lang)
            self.generated = None
        self.body: Body = self.first if self.generated is not None else self.walker

    def first(self, document: dict[str, Any]) -> str:
        assert self.generated is not None
        text = self.walker(document)
        if self.generated(document) == text:
            self.body = self.generated
        else:
            self.body = self.walker
        return text


_BODIES: dict[tuple[int, str], tuple[Plan, _Checked]] = {}


def body(root: Plan, lang: str) -> Body:
    """The body function of a plan in a language (cached per plan object, which `display.plan` keeps per
    structure): generated, and checked against the walker on its first document."""
    hit = _BODIES.get((id(root), lang))
    if hit is None or hit[0] is not root:
        if len(_BODIES) >= 1024:
            _BODIES.clear()
        hit = _BODIES[(id(root), lang)] = (root, _Checked(root, lang))
    return hit[1].body
