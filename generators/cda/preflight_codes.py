"""`cda check`: the header's codes against the catalog's stored code lists (docs/code-lists.md).

Every coded place of `codesystems.DOCUMENT_CODES` and `FRAME_CODES` whose code system is a stored list is
checked: the code must be in the list (`check.code_unknown`) and valid on the document's date
(`effectiveTime`, else today; `check.code_not_valid`), its displayName should be one of the code's names
(`check.code_display`, a warning). A code system names a classification and its version as one OID
(`1.2.246.537.6.1221.201601`: list 1.2.246.537.6.1221, version 201601); a version not stored is a warning
(`check.code_list_version`) and the newest stored one is checked. Where no list is stored, nothing is said.
Messages name the list, never a value.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from sosmeta.generators.cda import codesystems as cs
from sosmeta.generators.cda.localnames import find, find_all, place_of
from sosmeta.generators.cda.preflight import Findings
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.model import CodeList


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def document_day(doc: etree._Element) -> dt.date | None:
    """The day of the document's effectiveTime (`YYYYMMDD...`), or None."""
    element = find(doc, "effectiveTime")
    value = element.get("value") if element is not None else None
    if value is None or len(value) < 8 or not value[:8].isdigit():
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def list_of(system: str, lists: CodeLists) -> tuple[CodeList | None, list[CodeList]]:
    """The stored version a code system names, and every stored version of its classification."""
    versions = lists.versions(system)
    if versions:  # the code system is a classification itself, without a version arc
        return versions[-1], versions
    classification, _, version = system.rpartition(".")
    versions = lists.versions(classification)
    return lists.version(classification, version), versions


def header_code_findings(
    root: etree._Element,
    source: str,
    table: tuple[tuple[str, cs.CodeSystem], ...],
    lists: CodeLists,
    day: dt.date,
    out: Findings,
) -> None:
    """The findings of every coded place of `table` in `root` against the stored lists."""
    for path, _ in table:
        for element in find_all(root, path):
            code, system = element.get("code"), element.get("codeSystem")
            if code is None or system is None:
                continue
            chosen, versions = list_of(system, lists)
            if not versions:
                continue
            place = place_of(element)
            if chosen is None:
                out.add(
                    source, place + "/@codeSystem", "check.code_list_version", ", ".join(v.version for v in versions)
                )
                chosen = versions[-1]
            listed = chosen.get(code)
            if listed is None:
                out.add(source, place + "/@code", "check.code_unknown", chosen.ref)
            elif not listed.valid_on(day):
                out.add(source, place + "/@code", "check.code_not_valid", chosen.ref)
            else:
                display = element.get("displayName")
                if display is not None and listed.names and not any(_same(display, n) for n in listed.names.values()):
                    out.add(source, place + "/@displayName", "check.code_display", chosen.ref)
