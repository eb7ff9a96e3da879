"""`header_entries`: the header items an envelope writes, with their values, compiled once from `mapping.HEADER`.

It runs for every document of a bulk run, and walking the 64 items of the table (a loop, a dotted-field
lookup and a kind test per item) cost about as much as filling the values in. So the table is turned, once, into
one straight function: an attribute access per field, each parent looked up once, the conditions (`when`)
inlined. tests/test_cda_header_plan.py compares it with the table walk over arbitrary envelopes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sosmeta.generators.cda import mapping as m

if TYPE_CHECKING:
    from sosmeta.generators.cda.envelope import Envelope

NA = object()
"""Marks an item without a value that is written as nullFlavor="NA"."""

Entries = tuple[list[tuple[m.Item, Any]], tuple[int, ...]]


def _value(field: str) -> str:
    """An expression for a dotted field of the envelope `e`: None when a parent is None."""

    def chain(owner: str, parts: list[str]) -> str:
        if len(parts) == 1:
            return f"{owner}.{parts[0]}"
        return f"(None if (p := {owner}.{parts[0]}) is None else {chain('p', parts[1:])})"

    return chain("e", field.split("."))


def _condition(when: tuple[str, ...]) -> str:
    """Whether any condition holds (`!field`: the field is not set), as `header._applies` decides it."""
    tests = []
    for condition in when:
        field, negated = condition.lstrip("!"), condition.startswith("!")
        tests.append(f"({_value(field)} {'in' if negated else 'not in'} _EMPTY)")
    return " or ".join(tests) or "True"


def _item_lines(number: int, item: m.Item) -> list[str]:
    """The statements of one item: append its entries and its shape figure."""
    it = f"_ITEMS[{number}]"
    if item.conv == "fixed":
        return [f"if {_condition(item.when)}:", f"    add(({it}, None)); mark(1)", "else:", "    mark(0)"]
    value = "e.language_code or e.language" if item.conv == "lang" else _value(item.field or "")
    lines = [f"v = {value}"]
    if item.repeat:
        return [*lines, "v = v or ()", f"entries.extend([({it}, x) for x in v])", "mark(len(v))"]
    lines += ["if v is not None:", f"    add(({it}, v)); mark(1)"]
    if item.na:
        lines += [f"elif {_condition(item.when)}:", f"    add(({it}, _NA)); mark(-1)"]
    return [*lines, "else:", "    mark(0)"]


def _source(items: tuple[m.Item, ...]) -> str:
    body = ["entries = []", "add = entries.append", "figures = []", "mark = figures.append"]
    for number, item in enumerate(items):
        body += [f"# {item.field or item.path}", *_item_lines(number, item)]
    body.append("return entries, tuple(figures)")
    return "def header_entries(e):\n" + "".join(f"    {line}\n" for line in body)


def compile_entries(items: tuple[m.Item, ...]) -> Callable[[Any], Entries]:
    """The entries function of a header table (`header_entries` is that of `mapping.HEADER`)."""
    namespace: dict[str, Any] = {"_ITEMS": items, "_NA": NA, "_EMPTY": (None, (), [])}
    exec(compile(_source(items), "<sosmeta header entries>", "exec"), namespace)
    function: Callable[[Any], Entries] = namespace["header_entries"]
    return function


_ENTRIES = compile_entries(tuple(m.HEADER))


def header_entries(envelope: Envelope) -> Entries:
    """The items to write with their values, in table order, and the envelope's shape (what is present)."""
    return _ENTRIES(envelope)
