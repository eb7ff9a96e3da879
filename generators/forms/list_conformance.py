"""Organisation templates against the catalog's stored code lists: a template that narrows a Koodi element to
some codes (`codes = [...]`) or gives it a default code must name codes of the element's list.

`check_organisation` (conformance.py) checks narrowed codes against the codes a structure states itself and
only warns (`org.codes_unchecked`) where the list is on the code server. Where the catalog stores that list,
this module checks them instead: a code not in the list is an error (`org.code_not_in_list`), a code the list
says is not valid today a warning (`org.code_ended_in_list`), and the warning that nothing was checked goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from sosmeta.generators.forms.conformance import OrgFinding, check_organisation
from sosmeta.generators.forms.conformance_texts import say
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.embedded import is_coded
from sosmeta.structures.codelists.model import CodeList
from sosmeta.structures.model import Structure, newest_versions
from sosmeta.structures.organisation import ElementRule, Organisation, Template, resolve_path, toml_key

LIST_CODES = {
    "org.code_not_in_list": "error: a narrowed or default code is not in the stored code list of the element",
    "org.code_ended_in_list": "warning: a narrowed or default code is no longer (or not yet) valid in the stored list",
}


def check_organisation_with_lists(
    org: Organisation, structures: Iterable[Structure], lists: CodeLists, today: dt.date | None = None
) -> list[OrgFinding]:
    """Every finding of `check_organisation`, with narrowed codes checked against the stored lists."""
    structures = list(structures)
    found = check_organisation(org, structures)
    listed = list(list_findings(org, structures, lists, today or dt.date.today()))
    checked = _checked_places(org, structures, lists)
    kept = [f for f in found if not (f.code == "org.codes_unchecked" and (f.source, f.location) in checked)]
    return kept + listed


def _templates(org: Organisation, structures: list[Structure]) -> Iterator[tuple[int, Template, Structure]]:
    by_version = {s.version_oid: s for s in structures}
    newest = newest_versions(structures)
    seen: set[str] = set()
    for index, template in enumerate(org.templates):
        structure = by_version.get(template.structure) or newest.get(template.structure)
        if structure is not None and template.structure not in seen:  # a duplicate is reported as such
            seen.add(template.structure)
            yield index, template, structure


def _rules(
    org: Organisation, structures: list[Structure], lists: CodeLists
) -> Iterator[tuple[str, str, Template, ElementRule, str, CodeList]]:
    """(source, location of the rule, template, rule, element name, stored list) for each rule on a Koodi
    element whose classification has a stored list."""
    for index, template, structure in _templates(org, structures):
        for path, rule in template.elements.items():
            located = resolve_path(structure, path)
            if located is None or not is_coded(located.element):
                continue
            stored = lists.stored(located.element.classification_oid_value or "")
            if stored is None:
                continue
            where = f"template[{index}].elements.{toml_key(path)}"
            source, place = org.source, where
            if rule.origin is not None:  # read from a workbook: the workbook row, as conformance.py does
                source, place = template.origin or org.source, rule.origin
            yield source, place, template, rule, located.element.fi_name, stored


def _checked_places(org: Organisation, structures: list[Structure], lists: CodeLists) -> set[tuple[str, str]]:
    out = set()
    for source, place, _, rule, _, _ in _rules(org, structures, lists):
        out.add((source, place if rule.origin is not None else f"{place}.codes"))
    return out


def _at(place: str, rule: ElementRule, suffix: str) -> str:
    return place if rule.origin is not None else f"{place}{suffix}"


def list_findings(
    org: Organisation, structures: Iterable[Structure], lists: CodeLists, today: dt.date
) -> Iterator[OrgFinding]:
    """The findings of narrowed and default codes against the stored lists."""
    structures = list(structures)
    for source, place, _, rule, name, stored in _rules(org, structures, lists):
        codes = [(f".codes[{i}]", code) for i, code in enumerate(rule.codes or ())]
        # A default must be one of the narrowed codes (conformance.py says so), so only an unnarrowed one here.
        if rule.codes is None and isinstance(rule.default, str | int) and not isinstance(rule.default, bool):
            codes.append((".default", str(rule.default)))
        known = stored.by_code()
        for suffix, code in codes:
            listed = known.get(code)
            if listed is None:
                yield OrgFinding(
                    source,
                    _at(place, rule, suffix),
                    "org.code_not_in_list",
                    "error",
                    say("code_not_in_list", code=code, ref=stored.ref, name=name),
                )
            elif not listed.valid_on(today):
                yield OrgFinding(
                    source,
                    _at(place, rule, suffix),
                    "org.code_ended_in_list",
                    "warning",
                    say("code_ended_in_list", code=code, ref=stored.ref, name=name),
                )
