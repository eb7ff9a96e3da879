"""The display form with the built-in templates, without building rows or running jinja2 per document.

`display.render_display` lays a document out as rows (`display.Row`) and the templates turn them into markup.
With the built-in templates (no organisation template folder) the same markup comes out of two precomputed
forms, which is what bulk encoding spends its time on:

- the elements: a `Node` per element of a structure's display plan, language and block depth holds the markup
  the blocks template's macros give each of its rows (rendered by those macros, once), so the document is
  walked once and its values escaped between them, with the same rules as `display.element_rows`;
- the page: the page template rendered once per language and per pattern of empty context values with a
  marker for every other value, and cut at the markers; a page is then its parts with the values escaped as
  jinja2 escapes them. The first page of every pattern is also rendered by jinja2 and compared; a pattern that
  would differ is never used.

Memory: a few kB per structure and language (the nodes) and per pattern of empty values (the page parts).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markupsafe

from sosmeta.generators.cda import display as d
from sosmeta.generators.cda.display import Plan

_HEADING = (1, 1, 2) + (3,) * 64
_escape = html.escape
_not_xml = d._not_xml


@dataclass(slots=True)
class Node:
    """One element of the plan at one block depth, with the markup of each row it makes."""

    plan: Plan
    key: str
    children: tuple[Node, ...]
    group: bool
    hidden_field: bool
    repeatable: bool
    inline: bool
    """A single value inside a block: one titled `value` row."""
    plain: bool
    list_row: str
    """The markup of the `list` row (open and close: it has no lines)."""
    item_row: str
    end_item_row: str
    end_list_row: str
    value_open: str
    """`value` with the element's title (depth > 1), or without one (depth 1, inside its own block)."""
    value_close: str
    bare_open: str
    """`value` without a title: a group holding a plain value (an invalid document)."""


class Compiled:
    """The nodes of one structure's plan in one language, made with the built-in blocks template."""

    def __init__(self, root: Plan, lang: str) -> None:
        self.lang = lang
        self.blocks = d.blocks(None)
        self.root = root
        self.children = tuple(self._node(child, 1) for child in root.children)
        self.bare_close = self._row("value", 0, None)[1]

    def _row(self, event: str, level: int, title: str | None) -> tuple[str, str]:
        return self.blocks.markup((event, level, title))

    def _node(self, plan: Plan, depth: int) -> Node:
        title = plan.titles[self.lang]
        below = depth if plan.group and plan.hidden_field else depth + 1
        heading = _HEADING[depth] if plan.group else 1
        value_open, value_close = self._row("value", 0, title if depth > 1 else None)
        return Node(
            plan=plan,
            key=plan.key,
            children=tuple(self._node(child, below) for child in plan.children) if plan.group else (),
            group=plan.group,
            hidden_field=plan.hidden_field,
            repeatable=plan.repeatable,
            inline=depth > 1 and plan.line,
            plain=plan.plain,
            list_row="".join(self._row("list", 0, None)),
            item_row="".join(self._row("item", heading, title)),
            end_item_row="".join(self._row("end_item", 0, None)),
            end_list_row="".join(self._row("end_list", 0, None)),
            value_open=value_open,
            value_close=value_close,
            bare_open=self._row("value", 0, None)[0],
        )

    def body(self, document: dict[str, Any]) -> str:
        """The markup of the document's elements (what `Blocks.body` makes of `display.document_rows`)."""
        out: list[str] = []
        value = document.get(self.root.key)
        if isinstance(value, dict):
            for node in self.children:
                if node.key in value:
                    self._element(node, value[node.key], 1, out)
        return "".join(out)

    def _lines(self, plan: Plan, value: Any, out: list[str]) -> None:
        lines = d.format_value(plan, value, self.lang)
        if len(lines) == 1:
            out.append(_escape(lines[0], False))
        elif lines:
            out.append("<br />".join([_escape(line, False) for line in lines]))

    def _element(self, node: Node, value: Any, depth: int, out: list[str]) -> None:
        """As `display.element_rows`."""
        many = node.repeatable and isinstance(value, list)
        if node.group:
            items = value if many else (value,)
            if node.hidden_field:
                for item in items:
                    self._members(node, item, depth, out)
                return
            start = len(out)
            out.append(node.list_row)
            for item in items:
                mark = len(out)
                out.append(node.item_row)
                self._members(node, item, depth + 1, out)
                if len(out) == mark + 1:
                    del out[mark:]  # an empty occurrence is not shown
                else:
                    out.append(node.end_item_row)
            if len(out) == start + 1:
                del out[start:]
            else:
                out.append(node.end_list_row)
            return
        values = value if many else (value,)
        if not values:
            return
        if depth > 1:
            for one in values:
                out.append(node.value_open)
                self._lines(node.plan, one, out)
                out.append(node.value_close)
            return
        out.append(node.list_row)
        out.append(node.item_row)
        for one in values:
            out.append(node.value_open)
            self._lines(node.plan, one, out)
            out.append(node.value_close)
        out.append(node.end_item_row)
        out.append(node.end_list_row)

    def _members(self, node: Node, value: Any, depth: int, out: list[str]) -> None:
        """As `display._members`."""
        if isinstance(value, dict):
            not_xml = _not_xml
            for child in node.children:
                if child.key in value:
                    member = value[child.key]
                    if not child.inline:
                        self._element(child, member, depth, out)
                    elif child.plain and member.__class__ is str and "\n" not in member and not not_xml(member):
                        if "&" in member or "<" in member or ">" in member:
                            member = _escape(member, False)
                        out += (child.value_open, member, child.value_close)
                    else:
                        out.append(child.value_open)
                        self._lines(child.plan, member, out)
                        out.append(child.value_close)
        elif value is not None:
            out.append(node.bare_open)
            self._lines(node.plan, value, out)
            out.append(self.bare_close)


_COMPILED: dict[tuple[int, str], tuple[Plan, Compiled]] = {}


def compiled(root: Plan, lang: str) -> Compiled:
    """The nodes of a plan in a language (cached per plan object, which `display.plan` keeps per structure)."""
    hit = _COMPILED.get((id(root), lang))
    if hit is None or hit[0] is not root:
        if len(_COMPILED) >= 1024:
            _COMPILED.clear()
        hit = _COMPILED[(id(root), lang)] = (root, Compiled(root, lang))
    return hit[1]


# ---- the page --------------------------------------------------------------------------------------------------------
_MARK = "sosmetaslot"
_SLOT = re.compile(rf"{_MARK}(\d+)x")
_BODY = len(d.PAGE_FIELDS)
"""The slot of `body` (the elements' markup, put in as it is); the others are `display.PAGE_FIELDS` by index."""
_QUOTED = ("&", "<", ">", '"', "'")
_markupsafe_escape = markupsafe.escape


class Page:
    """The built-in page of one language and pattern of empty values: a `%` format of its literal parts whose
    `%s` are the values the page shows (escaped as jinja2 escapes them) and the body (put in as it is)."""

    def __init__(self, lang: str, values: tuple[Any, ...]) -> None:
        marked: dict[str, Any] = {"lang": lang, "labels": d.LABELS[lang], "rows": []}
        for number, (name, value) in enumerate(zip(d.PAGE_FIELDS, values, strict=True)):
            marked[name] = markupsafe.Markup(f"{_MARK}{number}x") if value else value
        marked["body"] = markupsafe.Markup(f"{_MARK}{_BODY}x")
        pieces = _SLOT.split(d.environment(None).get_template(d.TEMPLATE).render(marked))
        slots = [int(number) for number in pieces[1::2]]
        self.usable = slots.count(_BODY) == 1
        self.render: Callable[[tuple[Any, ...], str], str] = _renderer(pieces[0::2], slots)
        """The page of `values` around `body` (markup, put in as it is)."""
        self.checked = False


def _renderer(literals: list[str], slots: list[int]) -> Callable[[tuple[Any, ...], str], str]:
    """The function joining a page's literal parts with its values (escaped) and the body: written out per
    pattern, so that its strings are searched for what needs escaping at once (only when one of them has it is
    each escaped on its own) and joined with the literals in one go."""
    shown = [f"a{number}" for number, slot in enumerate(slots) if slot != _BODY]
    lines = ["def render(v, body):"]
    for number, slot in enumerate(slots):
        if slot != _BODY:
            lines += [
                f"    a{number} = v[{slot}]",
                f"    if a{number}.__class__ is not str:",
                f"        a{number} = esc(a{number})",
            ]
    if shown:
        lines += [
            f"    j = ''.join(({', '.join(shown)},))",
            "    if '&' in j or '<' in j or '>' in j or '\"' in j or \"'\" in j:",
            *[f"        a{number} = esc(v[{slot}])" for number, slot in enumerate(slots) if slot != _BODY],
        ]
    parts = [repr(literals[0])]
    for number, (slot, literal) in enumerate(zip(slots, literals[1:], strict=True)):
        parts += ["body" if slot == _BODY else f"a{number}", repr(literal)]
    lines.append(f"    return ''.join(({', '.join(parts)},))")
    namespace: dict[str, Any] = {"esc": _page_escape}
    exec(compile("\n".join(lines), "<sosmeta display page>", "exec"), namespace)
    return namespace["render"]


def _page_escape(value: Any) -> str:
    """`markupsafe.escape` (what jinja2's autoescaping writes) as a plain string: a string without `& < > " '`
    stays as it is, without the copy markupsafe makes of it."""
    if value.__class__ is int:
        return str(value)  # digits: nothing to escape
    if value.__class__ is str:
        if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
            return str(_markupsafe_escape(value))
        return value
    return str(_markupsafe_escape(value))


_PAGES: dict[tuple[Any, ...], Page] = {}


def pattern(lang: str, values: tuple[Any, ...]) -> tuple[Any, ...]:
    """What a page's parts depend on: the language and which values are empty (and how: None, "" ...)."""
    return (lang, *[True if value else value for value in values])


def _page(lang: str, values: tuple[Any, ...]) -> Page:
    """The parts of the values' pattern (made when first needed)."""
    key = pattern(lang, values)
    hit = _PAGES.get(key)
    if hit is None:
        if len(_PAGES) >= 4096:
            _PAGES.clear()
        hit = _PAGES[key] = Page(lang, values)
    return hit


def page_of(lang: str, values: tuple[Any, ...], body: str) -> str | None:
    """The built-in page of `display.page_values` around `body` (as `display.render_display` renders it), or
    None when jinja2 must. The first page of every pattern is also rendered by jinja2 and compared."""
    hit = _page(lang, values)
    if not hit.usable:
        return None
    text = hit.render(values, body)
    if not hit.checked:
        hit.checked = True
        hit.usable = text == d.environment(None).get_template(d.TEMPLATE).render(context(lang, values, body))
        if not hit.usable:
            return None
    return text


def context(lang: str, values: tuple[Any, ...], body: str) -> dict[str, Any]:
    """The page template's context of `display.page_values` and the elements' markup."""
    fields = dict(zip(d.PAGE_FIELDS, values, strict=True))
    return {"lang": lang, "labels": d.LABELS[lang], **fields, "rows": [], "body": markupsafe.Markup(body)}


def page(context: dict[str, Any]) -> str | None:
    """The built-in page of a page template context (`display.page_context` with `rows` and `body`), or None
    when jinja2 must: `page_of` by the context's values."""
    values = tuple(context[name] for name in d.PAGE_FIELDS)
    return page_of(context["lang"], values, str(context["body"]))


def page_text(context: dict[str, Any]) -> tuple[Page, str] | None:
    """The page of a context from its pattern's parts (made when first needed) and the pattern, or None when
    it is not usable: `page` without the check."""
    values = tuple(context[name] for name in d.PAGE_FIELDS)
    hit = _page(context["lang"], values)
    return (hit, hit.render(values, str(context["body"]))) if hit.usable else None
