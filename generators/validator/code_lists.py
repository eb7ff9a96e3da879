"""Full-mode checks of Koodi values against stored code lists (pulled or imported; docs/code-lists.md).

Where a classification has a stored list: the code must be in it (`codelist.unknown`) and valid on the
document's date, or today (`codelist.not_valid`); `display` should be one of the code's names
(`codelist.display`, a warning); a version suffix in `system` (`urn:oid:<OID>.<version>`) should name a
stored version (`codelist.version`, a warning), and when it does, that version is the one checked. Where no
list is stored nothing is reported here: the codes a structure states itself are already checked by the
compiled validator (`code.value`, `code.display`). Messages name the element and the list, never a value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sosmeta.generators.validator.findings import RULES, Finding, render
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.embedded import is_coded
from sosmeta.structures.codelists.model import CodeList
from sosmeta.structures.model import Element, Structure


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _finding(code: str, element: Element, pointer: str, sub_key: str, param: str) -> Finding:
    fi = element.fi_name
    names = {lang: f"{name} ({sub_key})" for lang, name in (("fi", fi), ("sv", element.sv_name or fi), ("en", fi))}
    message = render(code, names, {"fi": param, "sv": param, "en": param})
    return Finding(f"{pointer}/{sub_key}", code, RULES[code].severity, message, element.row_number, fi)


def _chosen(element: Element, system: Any, versions: list[CodeList], pointer: str, out: list[Finding]) -> CodeList:
    oid = element.classification_oid_value
    prefix = f"urn:oid:{oid}."
    if isinstance(system, str) and system.startswith(prefix):
        suffix = system[len(prefix) :]
        for code_list in versions:
            if code_list.version == suffix:
                return code_list
        out.append(_finding("codelist.version", element, pointer, "system", ", ".join(c.version for c in versions)))
    return versions[-1]


def _check(
    element: Element, value: dict[str, Any], pointer: str, lists: CodeLists, day: dt.date, out: list[Finding]
) -> None:
    versions = lists.versions(element.classification_oid_value or "")
    if not versions:
        return
    chosen = _chosen(element, value.get("system"), versions, pointer, out)
    code = value.get("code")
    if not isinstance(code, str):
        return
    listed = chosen.get(code)
    if listed is None:
        out.append(_finding("codelist.unknown", element, pointer, "code", chosen.ref))
    elif not listed.valid_on(day):
        out.append(_finding("codelist.not_valid", element, pointer, "code", chosen.ref))
    else:
        display = value.get("display")
        if isinstance(display, str) and listed.names and not any(_same(display, n) for n in listed.names.values()):
            out.append(_finding("codelist.display", element, pointer, "display", chosen.ref))


# The plan of one structure against one set of lists: only the branches that lead to a coded element whose
# classification has stored versions (everything else can report nothing here), as plain tuples, so a document
# of a structure without stored lists costs one lookup. A step is (key, escaped key, repeatable, what):
# `what` is the coded element (its value is checked) or the steps below it.
Step = tuple[str, str, bool, "Element | tuple[Step, ...]"]
_plans: dict[tuple[int, int], tuple[Structure, CodeLists, tuple[Step, ...]]] = {}
_PLANS = 256


def _step(element: Element, lists: CodeLists) -> Step | None:
    """The step into `element`, or None when nothing below it can be reported."""
    if is_coded(element):
        if not lists.versions(element.classification_oid_value or ""):
            return None
        return (element.key, _escape(element.key), element.is_repeatable, element)
    below = tuple(step for step in (_step(child, lists) for child in element.children) if step is not None)
    return (element.key, _escape(element.key), element.is_repeatable, below) if below else None


def _plan(structure: Structure, lists: CodeLists) -> tuple[Step, ...]:
    key = (id(structure), id(lists))
    hit = _plans.get(key)
    if hit is None or hit[0] is not structure or hit[1] is not lists:
        if len(_plans) >= _PLANS:
            _plans.clear()
        step = _step(structure.document, lists)
        hit = _plans[key] = (structure, lists, (step,) if step is not None else ())  # both held: ids not reused
    return hit[2]


def _walk(
    steps: tuple[Step, ...], value: Any, pointer: str, lists: CodeLists, day: dt.date, out: list[Finding]
) -> None:
    for key, escaped, repeatable, what in steps:
        if key not in value:
            continue
        child, place = value[key], f"{pointer}/{escaped}"
        if repeatable and isinstance(child, list):
            for i, item in enumerate(child):
                _visit(what, item, f"{place}/{i}", lists, day, out)
        else:
            _visit(what, child, place, lists, day, out)


def _visit(
    what: Element | tuple[Step, ...], value: Any, pointer: str, lists: CodeLists, day: dt.date, out: list[Finding]
) -> None:
    if not isinstance(value, dict):
        return
    if isinstance(what, Element):
        _check(what, value, pointer, lists, day, out)
    else:
        _walk(what, value, pointer, lists, day, out)


def code_list_findings(structure: Structure, doc: Any, lists: CodeLists, on: dt.date | None = None) -> list[Finding]:
    """The code-list findings of `doc`, in document order; `on` is the document's date (default today)."""
    out: list[Finding] = []
    plan = _plan(structure, lists)
    if plan and isinstance(doc, dict):
        _walk(plan, doc, "", lists, on or dt.date.today(), out)
    return out
