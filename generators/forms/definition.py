"""Form definitions: a structure (optionally narrowed by an organisation template) as sections and fields.

The format is versioned (`FORMAT`, `FORMAT_VERSION`) and published as a JSON Schema next to this module
(`form-definition.schema.json`); docs/forms.md describes it. A form definition is plain JSON data so that
record systems, the HTML preview and tests read it without this code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sosmeta.generators.forms.codes import koodi_system, list_options
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.model import Element, Located, Structure
from sosmeta.structures.organisation import Bilingual, ElementRule, Organisation, Template, resolve_path
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.texts import Texts, first, meaningful

FORMAT = "sosmeta-form"
FORMAT_VERSION = "1.0"

Json = dict[str, Any]

WIDGETS: dict[R, str] = {
    R.TEKSTI: "long-text",
    R.NIMI: "short-text",
    R.ALLEKIRJOITUS: "signature",
    R.PVM: "partial-date",
    R.HETKI: "date-time",
    R.FRAASI: "phrase",
    R.KYTKIN: "yes-no",
    R.NUMERO: "number",
    R.LKM: "count",
    R.KOODI: "code",
    R.TUNNUS: "identifier",
    R.MAARA: "quantity",
    R.MITTA: "quantity",
    R.PROSENTTI: "quantity",
}
_FALLBACK_WIDGET = {"string": "short-text", "number": "number", "integer": "number", "boolean": "yes-no"}


def bilingual(texts: Texts | None) -> Json | None:
    """`{"fi": ..., "sv": ...}` from a language list, `-` placeholders dropped; None when no text at all."""
    fi, sv = meaningful(first(texts, "fi")), meaningful(first(texts, "sv"))
    if fi is None and sv is None:
        return None
    out: Json = {"fi": fi if fi is not None else sv}
    if sv is not None:
        out["sv"] = sv
    return out


def _pair(fi: str, sv: str | None) -> Json:
    return {"fi": fi, "sv": sv} if sv else {"fi": fi}


@dataclass
class Narrowing:
    """A template resolved against one structure: what to leave out, reorder and add, keyed by key tuple."""

    omitted: set[tuple[str, ...]] = field(default_factory=set)
    order: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    rules: dict[tuple[str, ...], ElementRule] = field(default_factory=dict)
    lists: CodeLists | None = None
    """The build's code lists (options and labels of Koodi fields)."""

    @classmethod
    def of(cls, structure: Structure, template: Template | None, lists: CodeLists | None = None) -> Narrowing:
        """Entries that do not resolve are ignored here; the conformance check reports them."""
        out = cls(lists=lists)
        if template is None:
            return out
        for path in template.omit:
            located = resolve_path(structure, path)
            if located is not None and located.depth > 1:
                out.omitted.add(located.keys)
        for parent, children in template.order.items():
            located = resolve_path(structure, parent)
            if located is not None:
                out.order[located.keys] = list(children)
        for path, rule in template.elements.items():
            located = resolve_path(structure, path)
            if located is not None:
                out.rules[located.keys] = rule
        return out


def build_form(
    structure: Structure,
    organisation: Organisation | None = None,
    template: Template | None = None,
    generator: str = "sosmeta",
    lists: CodeLists | None = None,
) -> Json:
    """The form definition of `structure`, narrowed by `template` of `organisation` when given; Koodi fields
    offer the codes of `lists` where one is known (generators/code_choices.py)."""
    narrowing = Narrowing.of(structure, template, lists)
    doc = next(structure.walk())
    form: Json = {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "generator": generator,
        "structure": _structure_info(structure),
    }
    if organisation is not None:
        form["organisation"] = organisation_info(organisation)
    form["languages"] = ["fi", "sv"] if _has_swedish(structure) else ["fi"]
    form["root"] = _section(doc, narrowing)
    return form


def _has_swedish(structure: Structure) -> bool:
    return structure.document.sv_name is not None or any(e.element.sv_name for e in structure.rows())


def _structure_info(s: Structure) -> Json:
    info: Json = {
        "oid": s.version_oid,
        "baseOid": s.base_oid,
        "version": s.version,
        "title": _pair(s.document.fi_name, s.document.sv_name),
        "documentKey": s.document.key,
    }
    for key, value in (
        ("status", s.status),
        ("documentType", s.document_type),
        ("documentSubject", s.document_subject),
        ("documentAuthor", s.document_author),
    ):
        if value is not None:
            info[key] = value
    return info


def text_of(text: Bilingual) -> Json:
    """An organisation's text in the format's `{"fi", "sv"?}` shape (an empty Swedish text is no text)."""
    return _pair(text.fi, text.sv)


def organisation_info(org: Organisation) -> Json:
    info: Json = {"id": org.id, "name": text_of(org.name), "oid": org.oid, "bilingual": org.bilingual}
    if org.service_organiser is not None:
        info["serviceOrganiser"] = {"oid": org.service_organiser.oid, "name": text_of(org.service_organiser.name)}
    if org.service_units:
        info["serviceUnits"] = [{"oid": u.oid, "name": text_of(u.name)} for u in org.service_units]
    if org.letterhead is not None:
        info["letterhead"] = text_of(org.letterhead)
    return info


def _ordered(located: Located, narrowing: Narrowing) -> list[Located]:
    """The element's children (not omitted), in template order first, then national order."""
    children = [
        Located(
            c,
            f"{located.path}.properties.{c.key}" + (".items" if c.wrapper is not None else ""),
            (*located.keys, c.key),
            located.depth + 1,
            located,
        )
        for c in located.element.children
    ]
    children = [c for c in children if c.keys not in narrowing.omitted]
    wanted = narrowing.order.get(located.keys)
    if wanted:
        rank = {key: i for i, key in enumerate(wanted)}
        children.sort(key=lambda c: rank.get(c.element.key, len(rank)))  # stable: unlisted keep their order
    return children


def _common(located: Located, narrowing: Narrowing) -> Json:
    e = located.element
    node: Json = {"key": e.key, "label": _pair(e.fi_name, e.sv_name)}
    title = bilingual(e.title)
    if title is not None:
        node["title"] = title
    help_texts = {
        name: text
        for name, text in (
            ("description", bilingual(e.description)),
            ("example", bilingual(e.example)),
            ("implementationNote", bilingual(e.implementation_note)),
        )
        if text is not None
    }
    rule = narrowing.rules.get(located.keys)
    if rule is not None and rule.instructions is not None:
        help_texts["instructions"] = text_of(rule.instructions)
    if help_texts:
        node["help"] = help_texts
    node["required"] = e.is_required
    node["conditionallyRequired"] = bool(e.conditional_required)
    if e.conditional_required:
        condition = bilingual(e.implementation_note)
        if condition is not None:
            node["condition"] = condition
    node["repeatable"] = e.is_repeatable
    if e.is_repeatable:
        node["minItems"] = e.min_items if e.min_items is not None else int(e.is_required)
        if rule is not None and rule.max_items is not None:
            node["maxItems"] = rule.max_items
    node["hiddenField"] = bool(e.hidden_field)
    node["hiddenTitle"] = bool(e.hidden_title)
    node["nationallyRecorded"] = bool(e.nationally_recorded)
    if e.representation_texts is not None:
        node["representation"] = first(e.representation_texts, "fi")
    node["source"] = {"row": e.row_number, "jsonPath": located.path, "keyPath": located.key_path}
    return node


def _section(located: Located, narrowing: Narrowing) -> Json:
    node = {"kind": "section", **_common(located, narrowing)}
    node["widget"] = "heading" if located.element.representation is R.OTSIKKO else "group"
    node["constraints"] = _constraints(located.element)
    node["children"] = [
        _section(c, narrowing) if _is_section(c.element) else _field(c, narrowing) for c in _ordered(located, narrowing)
    ]
    return node


def _is_section(e: Element) -> bool:
    return e.representation in (R.GROUP, R.OTSIKKO) or (e.representation is None and bool(e.children))


def _field(located: Located, narrowing: Narrowing) -> Json:
    e = located.element
    node = {"kind": "field", **_common(located, narrowing)}
    rep = e.representation
    node["widget"] = (
        WIDGETS[rep] if rep is not None and rep in WIDGETS else _FALLBACK_WIDGET.get(str(e.json_type), "short-text")
    )
    node["constraints"] = _constraints(e)
    rule = narrowing.rules.get(located.keys)
    if rep is R.KOODI:
        node.update(_code_parts(e, rule, narrowing.lists))
    elif rep is R.TUNNUS:
        system = e.system_uri_value
        if system is not None:
            node["identifierSystem"] = system
    elif rep is R.FRAASI:
        phrase = bilingual(e.phrase)
        if phrase is not None:
            node["phrase"] = phrase
    elif rep in (R.PVM, R.HETKI):
        node["precision"] = ["year", "month", "day"] + (["time"] if rep is R.HETKI else [])
    elif rep is R.PROSENTTI:
        node["unit"] = "%"
    if rule is not None and rule.default is not None:
        node["default"] = effective_default(e, rule.default, narrowing.lists)
    return node


def _constraints(e: Element) -> Json:
    """The JSON-level constraints exactly as the structure has them (client checks use these)."""
    out: Json = {}
    if e.json_type is not None:
        out["type"] = e.json_type
    for name, value in (("pattern", e.pattern), ("minLength", e.min_length)):
        if value is not None:
            out[name] = value
    if e.enum is not None:
        out["enum"] = list(e.enum)
    if e.representation in (R.PVM, R.HETKI):
        out["calendarDate"] = True  # the patterns let 2024-02-31 through; the validator checks real dates
    subs: Json = {}
    for sub in e.sub_properties:
        subs[sub.key] = dict(sub.node)
    if subs:
        out["properties"] = subs
        out["required"] = list(e.required_keys)
    return out


def _code_parts(e: Element, rule: ElementRule | None, lists: CodeLists | None) -> Json:
    out: Json = {}
    offered = list_options(e, lists)
    system = {
        "oid": e.classification_oid_value,
        "name": bilingual(e.classification),
        "link": e.classification_link[0].value if e.classification_link else None,
        "system": koodi_system(e),
        "list": offered.ref,
    }
    out["codeSystem"] = {k: v for k, v in system.items() if v is not None}
    for name, options in (("options", offered.options), ("suggestions", offered.suggestions)):
        if options and rule is not None and rule.codes is not None:
            by_code = {o["code"]: o for o in options}
            options = [by_code[c] for c in rule.codes if c in by_code]
        if options:
            out[name] = options
    return out


_YES = {"k", "kyllä", "kylla", "true", "1", "ja", "yes"}
_NO = {"e", "ei", "false", "0", "nej", "no"}


def effective_default(e: Element, value: Any, lists: CodeLists | None = None) -> Any:
    """A template default in the document's JSON shape: a Koodi code becomes `{system, code, display}`,
    yes/no words become booleans for Kytkin, numeric text a number for numbers; anything else is kept."""
    rep = e.representation
    if rep is R.KOODI and isinstance(value, str | int):
        code = str(value)
        offered = list_options(e, lists)
        label = next((o["label"]["fi"] for o in offered.options + offered.suggestions if o["code"] == code), code)
        out: Json = {"code": code, "display": label}
        system = koodi_system(e)
        return {"system": system, **out} if system is not None else {"system": "", **out}
    if rep is R.KYTKIN and isinstance(value, str):
        word = value.strip().lower()
        return True if word in _YES else False if word in _NO else value
    if rep in (R.NUMERO, R.LKM) and isinstance(value, str) and re.fullmatch(r"-?\d+([.,]\d+)?", value.strip()):
        number = float(value.strip().replace(",", "."))
        return int(number) if number.is_integer() else number
    return value
