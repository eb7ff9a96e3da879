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


def _walk(element: Element, value: Any, pointer: str, lists: CodeLists, day: dt.date, out: list[Finding]) -> None:
    if element.is_repeatable and isinstance(value, list):
        for i, item in enumerate(value):
            _visit(element, item, f"{pointer}/{i}", lists, day, out)
    else:
        _visit(element, value, pointer, lists, day, out)


def _visit(element: Element, value: Any, pointer: str, lists: CodeLists, day: dt.date, out: list[Finding]) -> None:
    if not isinstance(value, dict):
        return
    if is_coded(element):
        _check(element, value, pointer, lists, day, out)
        return
    for child in element.children:
        if child.key in value:
            _walk(child, value[child.key], f"{pointer}/{_escape(child.key)}", lists, day, out)


def code_list_findings(structure: Structure, doc: Any, lists: CodeLists, on: dt.date | None = None) -> list[Finding]:
    """The code-list findings of `doc`, in document order; `on` is the document's date (default today)."""
    out: list[Finding] = []
    root = structure.document
    if isinstance(doc, dict) and root.key in doc:
        _walk(root, doc[root.key], f"/{_escape(root.key)}", lists, on or dt.date.today(), out)
    return out
