"""Reading a CDA document for its transfer frame: the paths of `localnames` (local names in any namespace,
`a/b[@x='1']`), answered by walking children instead of evaluating an XPath per lookup.

The frame makes about twenty lookups per document; with an XPath each, framing cost more than encoding the
document. These give the same elements in the same order as `localnames.find_all` (`tests/test_cda_frame.py`
compares frames of vendor samples).
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree

_PATH_STEP = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)(?P<preds>(?:\[@[A-Za-z]+='[^']*'\])*)$")
_PREDICATE = re.compile(r"\[@([A-Za-z]+)='([^']*)'\]")
_Step = tuple[str, tuple[tuple[str, str], ...]]


@cache
def _steps(path: str) -> tuple[_Step, ...]:
    """`a/b[@x='1']` (a `localnames` path) as (local name, ((attribute, value), ...)) steps."""
    steps = []
    for raw in path.split("/"):
        match = _PATH_STEP.match(raw)
        if not match:
            raise ValueError(f"bad path step {raw!r} in {path!r}")
        steps.append((match["name"], tuple(_PREDICATE.findall(match["preds"]))))
    return tuple(steps)


def _children(nodes: list[etree._Element], step: _Step) -> list[etree._Element]:
    name, predicates = step
    return [
        child
        for node in nodes
        for child in node
        if isinstance(child.tag, str)
        and child.tag.rpartition("}")[2] == name
        and all(child.get(key) == value for key, value in predicates)
    ]


class Lookup:
    """A document's paths from its root, its children indexed by local name once."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.top: dict[str, list[etree._Element]] = {}
        for child in root:
            if isinstance(child.tag, str):
                self.top.setdefault(child.tag.rpartition("}")[2], []).append(child)

    def all(self, path: str) -> list[etree._Element]:
        (name, predicates), *rest = _steps(path)
        found = [c for c in self.top.get(name, ()) if all(c.get(k) == v for k, v in predicates)]
        for step in rest:
            found = _children(found, step)
        return found

    def first(self, path: str) -> etree._Element | None:
        found = self.all(path)
        return found[0] if found else None

    def attr(self, path: str, name: str) -> str | None:
        element = self.first(path)
        return element.get(name) if element is not None else None


def below(node: etree._Element | None, path: str) -> list[etree._Element]:
    """`localnames.find_all(node, path)` by walking children (empty below None)."""
    found = [node] if node is not None else []
    for step in _steps(path):
        found = _children(found, step)
    return found


def first_below(node: etree._Element | None, path: str) -> etree._Element | None:
    found = below(node, path)
    return found[0] if found else None
