"""The conformance check: an organisation template may only *restrict* a national structure.

`check_organisation(org, structures)` returns coded findings located by file and TOML key path (or by
workbook row for rules read from a workbook). Codes (docs/organisation-templates.md lists them):

errors   org.structure_unknown, org.template_duplicate, org.path_unknown, org.omit_required,
         org.omit_document, org.default_invalid, org.default_not_in_codes, org.codes_not_code_list,
         org.code_unknown, org.repeat_limit_looser, org.repeat_limit_below_minimum, org.order_not_section,
         org.order_unknown_child, org.order_duplicate
warnings org.omit_conditional, org.rule_on_omitted, org.codes_unchecked, org.missing_sv, org.default_on_group
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sosmeta.generators.forms.codes import code_options
from sosmeta.generators.forms.conformance_texts import did_you_mean, say
from sosmeta.generators.forms.definition import effective_default
from sosmeta.messages import Lang, Localized, composed, localized
from sosmeta.structures.model import Element, Located, Structure
from sosmeta.structures.organisation import (
    Bilingual,
    ElementRule,
    Organisation,
    Template,
    resolve_path,
    template_path,
    template_structure,
    template_structure_names,
    toml_key,
)
from sosmeta.structures.representation import Representation as R


@dataclass(frozen=True)
class OrgFinding:
    source: str
    location: str
    code: str
    severity: str
    """"error" or "warning"."""
    message: str
    """English as a string; a `messages.Localized` text (`conformance_texts.say`) knows its Finnish and Swedish."""

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: Lang) -> str:
        """The finding as one line in `lang` (severity prefix, location and code as they are)."""
        return f"{self.severity}: {self.source}: {self.location}: {localized(self.message, lang)} [{self.code}]"


def check_organisation(org: Organisation, structures: Iterable[Structure]) -> list[OrgFinding]:
    """Every finding for `org` against the structures available (a catalog's or a build's)."""
    structures = list(structures)
    findings = list(_missing_swedish_header(org))
    seen: dict[str, int] = {}
    for index, template in enumerate(org.templates):
        where = f"template[{index}]"
        if template.structure in seen:
            findings.append(
                OrgFinding(
                    org.source,
                    f"{where}.structure",
                    "org.template_duplicate",
                    "error",
                    say("template_duplicate", structure=template.structure, first=seen[template.structure]),
                )
            )
            continue
        seen[template.structure] = index
        structure = template_structure(template, structures)
        if structure is None:
            names = template_structure_names(structures)
            known = difflib.get_close_matches(template.structure, names, n=1, cutoff=0.8)
            hint = did_you_mean(known[0] if known else None)
            findings.append(
                OrgFinding(
                    org.source,
                    f"{where}.structure",
                    "org.structure_unknown",
                    "error",
                    say("structure_unknown", structure=template.structure, hint=hint),
                )
            )
            continue
        findings.extend(TemplateCheck(org, template, where, structure).run())
    return findings


def _missing_swedish_header(org: Organisation) -> Iterator[OrgFinding]:
    if not org.bilingual:
        return
    texts: list[tuple[str, Bilingual | None]] = [
        ("organisation.name", org.name),
        ("organisation.letterhead", org.letterhead),
    ]
    if org.service_organiser is not None:
        texts.append(("organisation.service_organiser.name", org.service_organiser.name))
    texts.extend((f"organisation.service_units[{i}].name", u.name) for i, u in enumerate(org.service_units))
    for where, text in texts:
        if text is not None and not text.sv:
            yield _missing_sv(org.source, where)


def _missing_sv(source: str, where: str) -> OrgFinding:
    return OrgFinding(source, f"{where}.sv", "org.missing_sv", "warning", say("missing_sv"))


class TemplateCheck:
    """The checks of one template against the structure version it applies to."""

    def __init__(self, org: Organisation, template: Template, where: str, structure: Structure) -> None:
        self.org, self.template, self.where, self.structure = org, template, where, structure
        self.findings: list[OrgFinding] = []
        self.all_paths = [template_path(structure, loc) for loc in structure.rows()]

    def run(self) -> list[OrgFinding]:
        omitted = self._check_omit()
        self._check_order()
        for path, rule in self.template.elements.items():
            self._check_rule(path, rule, omitted)
        return self.findings

    # ---- helpers ---------------------------------------------------------------------------------------
    def _add(self, location: str, code: str, message: str, severity: str = "error", origin: str | None = None) -> None:
        source = self.org.source
        if origin is not None:  # a rule read from a workbook: point at the workbook row
            source, location = self.template.origin or source, origin
        self.findings.append(OrgFinding(source, location, code, severity, message))

    def _resolve(self, path: str, location: str, origin: str | None = None) -> Located | None:
        located = resolve_path(self.structure, path)
        if located is None:
            close = difflib.get_close_matches(path, self.all_paths, n=1, cutoff=0.6)
            hint = did_you_mean(f"'{close[0]}'" if close else None)
            self._add(
                location,
                "org.path_unknown",
                say(
                    "path_unknown", path=path, oid=self.structure.version_oid, title=self.structure.fi_title, hint=hint
                ),
                origin=origin,
            )
        return located

    # ---- omit ------------------------------------------------------------------------------------------
    def _check_omit(self) -> set[tuple[str, ...]]:
        omitted: set[tuple[str, ...]] = set()
        for i, path in enumerate(self.template.omit):
            located = self._resolve(path, f"{self.where}.omit[{i}]")
            if located is None:
                continue
            if located.depth == 1:
                self._add(f"{self.where}.omit[{i}]", "org.omit_document", say("omit_document"))
                continue
            omitted.add(located.keys)
        for i, path in enumerate(self.template.omit):
            located = resolve_path(self.structure, path)
            if located is None or located.keys not in omitted or _inside(located.keys[:-1], omitted):
                continue  # unknown, or gone with an omitted ancestor anyway
            e = located.element
            if e.is_required:
                self._add(
                    f"{self.where}.omit[{i}]",
                    "org.omit_required",
                    say("omit_required", name=e.fi_name, row=e.row_number),
                )
            elif e.conditional_required:
                self._add(
                    f"{self.where}.omit[{i}]",
                    "org.omit_conditional",
                    say("omit_conditional", name=e.fi_name, row=e.row_number),
                    "warning",
                )
        return omitted

    # ---- order -----------------------------------------------------------------------------------------
    def _check_order(self) -> None:
        for parent, children in self.template.order.items():
            where = f"{self.where}.order.{toml_key(parent)}"
            located = self._resolve(parent, where)
            if located is None:
                continue
            keys = [c.key for c in located.element.children]
            if not keys:
                self._add(where, "org.order_not_section", say("order_not_section", name=located.element.fi_name))
                continue
            seen: set[str] = set()
            for i, child in enumerate(children):
                if child in seen:
                    self._add(f"{where}[{i}]", "org.order_duplicate", say("order_duplicate", child=child))
                seen.add(child)
                if child not in keys:
                    close = difflib.get_close_matches(child, keys, n=1, cutoff=0.6)
                    hint = did_you_mean(f"'{close[0]}'" if close else None)
                    self._add(
                        f"{where}[{i}]",
                        "org.order_unknown_child",
                        say("order_unknown_child", name=located.element.fi_name, child=child, hint=hint),
                    )

    # ---- element rules ---------------------------------------------------------------------------------
    def _check_rule(self, path: str, rule: ElementRule, omitted: set[tuple[str, ...]]) -> None:
        where = f"{self.where}.elements.{toml_key(path)}"
        located = self._resolve(path, where, rule.origin)
        if located is None:
            return
        e = located.element
        if _inside(located.keys, omitted):
            self._add(
                where,
                "org.rule_on_omitted",
                say("rule_on_omitted", name=e.fi_name),
                "warning",
                rule.origin,
            )
        if self.org.bilingual and rule.instructions is not None and not rule.instructions.sv:
            self._add(
                f"{where}.instructions",
                "org.missing_sv",
                say("missing_sv_instructions"),
                "warning",
                rule.origin,
            )
        if rule.codes is not None:
            self._check_codes(where, e, rule)
        if rule.max_items is not None:
            self._check_repeats(where, e, rule)
        if rule.default is not None and (e.children or e.representation in (R.GROUP, R.OTSIKKO)):
            self._add(
                f"{where}.default",
                "org.default_on_group",
                say("default_on_group", name=e.fi_name),
                "warning",
                rule.origin,
            )
        elif rule.default is not None:
            self._check_default(where, located, rule)

    def _check_codes(self, where: str, e: Element, rule: ElementRule) -> None:
        assert rule.codes is not None
        if e.representation is not R.KOODI:
            self._add(
                f"{where}.codes",
                "org.codes_not_code_list",
                say("codes_not_code_list", name=e.fi_name),
                origin=rule.origin,
            )
            return
        national = [o["code"] for o in code_options(e)]
        if not national:
            oid = e.classification_oid_value or "?"
            self._add(
                f"{where}.codes",
                "org.codes_unchecked",
                say("codes_unchecked", name=e.fi_name, oid=oid),
                "warning",
                rule.origin,
            )
            return
        for i, code in enumerate(rule.codes):
            if code not in national:
                self._add(
                    f"{where}.codes[{i}]",
                    "org.code_unknown",
                    say("code_unknown", code=code, name=e.fi_name, national=", ".join(national)),
                    origin=rule.origin,
                )

    def _check_repeats(self, where: str, e: Element, rule: ElementRule) -> None:
        assert rule.max_items is not None
        if not e.is_repeatable:
            if rule.max_items > 1:
                self._add(
                    f"{where}.max_items",
                    "org.repeat_limit_looser",
                    say("repeat_limit_looser", name=e.fi_name),
                    origin=rule.origin,
                )
            return
        minimum = e.min_items if e.min_items is not None else int(e.is_required)
        if rule.max_items == 0 and minimum == 0:
            self._add(
                f"{where}.max_items",
                "org.repeat_limit_below_minimum",
                say("max_items_zero", name=e.fi_name),
                origin=rule.origin,
            )
        elif rule.max_items < max(minimum, 1):
            self._add(
                f"{where}.max_items",
                "org.repeat_limit_below_minimum",
                say("repeat_limit_below_minimum", name=e.fi_name, minimum=max(minimum, 1), max_items=rule.max_items),
                origin=rule.origin,
            )

    def _check_default(self, where: str, located: Located, rule: ElementRule) -> None:
        e = located.element
        value = effective_default(e, rule.default)
        for pointer, message in default_problems(self.structure, located, value):
            at = say("default_at", pointer=pointer) if pointer else ""
            self._add(
                f"{where}.default",
                "org.default_invalid",
                say("default_invalid", name=e.fi_name, why=message, at=at),
                origin=rule.origin,
            )
        koodi = e.representation is R.KOODI and isinstance(value, dict)
        if koodi and rule.codes is not None and value.get("code") not in rule.codes:
            self._add(
                f"{where}.default",
                "org.default_not_in_codes",
                say("default_not_in_codes"),
                origin=rule.origin,
            )


def _inside(keys: tuple[str, ...], omitted: set[tuple[str, ...]]) -> bool:
    return any(keys[: len(o)] == o for o in omitted)


def default_problems(structure: Structure, located: Located, value: Any) -> list[tuple[str, str]]:
    """What the validator says about `value` placed at the element (pointer relative to it, message).

    The value is put into an otherwise empty document along the element's path (repeats as one-item
    arrays); only findings at or below the element count, so missing siblings elsewhere do not matter.
    """
    pointer = ""
    doc: Any = value
    node: Located | None = located
    trail: list[str] = []
    while node is not None:
        if node.element.is_repeatable:
            doc = [doc]
            trail.append("0")
        doc = {node.element.key: doc}
        trail.append(node.element.key)
        node = node.parent
    pointer = "/" + "/".join(reversed(trail))
    out = []
    for found_at, message in validate_document(structure, doc):
        if found_at == pointer or found_at.startswith(pointer + "/"):
            out.append((found_at[len(pointer) :], message))
    return out


def validate_document(structure: Structure, document: Any) -> list[tuple[str, str]]:
    """(JSON pointer, message) of every error-severity finding of the project's validator (full mode).

    Messages (`messages.Localized`, in every language the validator says them) name the element and the rule,
    never the value."""
    from sosmeta.generators.validator import compile_validator

    return [
        (f.pointer, _finding_text(f.message, f.code))
        for f in compile_validator(structure).validate(document)
        if f.severity == "error"
    ]


def _finding_text(message: Mapping[str, str], code: str) -> Localized:
    return composed(lambda lang: f"{message.get(lang) or message.get('en', code)} [{code}]")
