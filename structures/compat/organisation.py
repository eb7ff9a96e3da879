"""Organisation impact: which entries of organisation templates stop applying to a new version.

A template written for OLD names elements by key path and narrows them (omit, codes, defaults, max_items,
order). Against NEW an entry stops applying when its element is gone (removed, or renamed: the path no longer
resolves), when an omitted element became required (the form would hide what must be filled), when codes it
uses are no longer accepted, or when max_items sits on an element that is no longer repeatable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import JsonValue

from sosmeta.structures.compat.findings import Finding
from sosmeta.structures.compat.matching import Renames, match
from sosmeta.structures.compat.rules import RULES
from sosmeta.structures.model import Element, Located, Structure
from sosmeta.structures.organisation import Organisation, Template, resolve_path, template_path


@dataclass(frozen=True)
class _Entry:
    path: str
    """The template's path as written."""
    what: str
    """Which entry: `omit`, `order`, `elements."<path>".codes` ..."""


def _entries(template: Template) -> list[_Entry]:
    out = [_Entry(p, "omit") for p in template.omit]
    for parent, children in template.order.items():
        if parent:
            out.append(_Entry(parent, f'order."{parent}"'))
        out += [_Entry(f"{parent}/{c}" if parent else c, f'order."{parent}"') for c in children]
    out += [_Entry(p, f'elements."{p}"') for p in template.elements]
    return out


def _finding(
    rule_id: str,
    org: Organisation,
    index: int,
    entry: str,
    old: Located | None,
    new: Located | None,
    old_value: JsonValue = None,
    new_value: JsonValue = None,
    detail: str = "",
) -> Finding:
    here = new or old
    element = here.element if here is not None else None
    where = f"{org.source or org.id}: template[{index}].{entry}"
    return Finding(
        rule_id,
        RULES[rule_id].categories,
        element.fi_name if element else entry,
        old.key_path if old else None,
        new.key_path if new else None,
        old.element.row_number if old else None,
        new.element.row_number if new else None,
        old=old_value,
        new=new_value,
        detail=f" [{where}]{detail}",
        source=org.source or None,
    )


def _codes_lost(element: Element, codes: Iterable[str]) -> list[str]:
    accepted = set(element.code_values)
    return [c for c in codes if accepted and c not in accepted]


def template_impact(org: Organisation, old: Structure, new: Structure, renames: Renames | None = None) -> list[Finding]:
    """Findings for every entry of `org`'s templates for OLD that does not apply to NEW as it did to OLD."""
    partner = {p.old.key_path: p.new for p in match(old, new, renames).pairs}
    out: list[Finding] = []
    for index, template in enumerate(org.templates):
        if not template.applies_to(old):
            continue
        seen: set[tuple[str, str]] = set()
        for entry in _entries(template):
            if (entry.path, entry.what) in seen:
                continue
            seen.add((entry.path, entry.what))
            before = resolve_path(old, entry.path)
            if before is None:
                continue  # the conformance check (`sosmeta org check`) reports paths that never resolved
            after = resolve_path(new, entry.path)
            moved = partner.get(before.key_path)
            if after is None:
                detail = f" -> {template_path(new, moved)}" if moved is not None else ""
                out.append(
                    _finding(
                        "ORG_ENTRY_ELEMENT_GONE",
                        org,
                        index,
                        entry.what,
                        before,
                        moved,
                        entry.path,
                        template_path(new, moved) if moved else None,
                        detail,
                    )
                )
                continue
            out += _element_checks(org, index, template, entry, before, after)
    return out


def _element_checks(
    org: Organisation, index: int, template: Template, entry: _Entry, before: Located, after: Located
) -> list[Finding]:
    out = []
    if entry.what == "omit" and after.element.is_required and not before.element.is_required:
        out.append(_finding("ORG_OMITTED_NOW_REQUIRED", org, index, entry.what, before, after, False, True))
    rule = template.elements.get(entry.path) if entry.what.startswith("elements.") else None
    if rule is None:
        return out
    lost = _codes_lost(after.element, rule.codes or ())
    default = rule.default.get("code") if isinstance(rule.default, dict) else rule.default
    if isinstance(default, str) and after.element.accepted_values and default not in after.element.code_values:
        lost.append(default)
    if lost:
        out.append(
            _finding(
                "ORG_CODES_NOT_ACCEPTED",
                org,
                index,
                entry.what,
                before,
                after,
                list(before.element.code_values),
                list(after.element.code_values),
                ": " + ", ".join(dict.fromkeys(lost)),
            )
        )
    if rule.max_items is not None and before.element.is_repeatable and not after.element.is_repeatable:
        out.append(
            _finding("ORG_MAX_ITEMS_NOT_REPEATABLE", org, index, entry.what, before, after, rule.max_items, None)
        )
    return out
