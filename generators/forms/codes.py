"""Code lists of Koodi elements: the options a form offers and the `system` value a document carries.

Codes come from `acceptedValues` (the national list; duplicates dropped, order kept). Labels come from the
`valueSet` text (`1 = Label, 2 = Label` or one per line), else from an internal classification text
(`Sisäinen luokitus: 1 = ..., 2 = ...`), both read by `structures.value_sets`; a code without a label is shown
as itself. With the build's code lists (`list_options`), a stored list comes first and codes another
structure states for the same classification are offered as suggestions (docs/code-lists.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sosmeta.generators.code_choices import Choice, element_choices
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.identifiers import is_oid
from sosmeta.structures.model import Element
from sosmeta.structures.value_sets import code_labels


def code_options(e: Element) -> list[dict[str, Any]]:
    """The national code list as `[{"code", "label": {"fi", "sv"?}}]`; [] when the list is on a code server."""
    codes = list(dict.fromkeys(e.code_values))
    if not codes:
        sub = e.sub("code")
        enum = sub.enum if sub is not None else None
        codes = list(dict.fromkeys(str(c) for c in enum or ()))
    if not codes:
        return []
    internal = e.classification_oid_value is not None and not is_oid(e.classification_oid_value)
    sources = [e.value_set] + ([e.classification] if internal or e.value_set is None else [])
    fi: dict[str, str] = {}
    sv: dict[str, str] = {}
    for texts in sources:
        for code, text in code_labels(texts, "fi").items():
            fi.setdefault(code, text)
        for code, text in code_labels(texts, "sv").items():
            sv.setdefault(code, text)
    options = []
    for code in codes:
        label: dict[str, str] = {"fi": fi.get(code) or code}
        if sv.get(code):
            label["sv"] = sv[code]
        options.append({"code": code, "label": label})
    return options


def _option(choice: Choice) -> dict[str, Any]:
    label: dict[str, str] = {"fi": choice.label("fi") or choice.code}
    if choice.names.get("sv"):
        label["sv"] = choice.names["sv"]
    option: dict[str, Any] = {"code": choice.code, "label": label}
    for key, value in (("begin", choice.begin), ("expires", choice.expires), ("parent", choice.parent)):
        if value is not None:
            option[key] = value
    return option


MAX_OPTIONS = 1000
"""A list longer than this (the SOTE organisation register has tens of thousands of units) is not copied into
the form: its Koodi field keeps a free code input and `codeSystem.list` names the list. Municipalities (some
300) are offered, with a search box in the preview."""


@dataclass(frozen=True)
class ListOptions:
    """What a form offers for a Koodi element (generators/code_choices.py precedence)."""

    options: list[dict[str, Any]]
    """A closed list: the stored list's codes, or the codes the element states."""
    suggestions: list[dict[str, Any]]
    """Codes another structure states for the same classification: offered, but any code may be typed."""
    ref: str | None = None
    """`OID@version` of the stored list the options come from."""


def list_options(e: Element, lists: CodeLists | None) -> ListOptions:
    """The options of `e` from the build's lists; without lists, the element's own codes (`code_options`)."""
    found = element_choices(e, lists) if lists is not None else None
    if found is None or found.source == "element":
        return ListOptions(code_options(e), [])  # the element's own codes, exactly as without lists
    if len(found.choices) > MAX_OPTIONS:  # named, but not spelled out in every form and page
        return ListOptions([], [], found.ref if found.source == "stored" else None)
    made = [_option(c) for c in found.choices]
    if found.source == "embedded":
        return ListOptions([], made, found.ref)
    return ListOptions(made, [], found.ref if found.source == "stored" else None)


def koodi_system(e: Element) -> str | None:
    """The `system` value a document must carry: the schema's enum value, `urn:oid:<classificationOid>`, or
    None when the structure leaves `system` free."""
    sub = e.sub("system")
    if sub is not None and sub.enum:
        return str(sub.enum[0])
    oid = e.classification_oid_value
    if oid is not None and is_oid(oid):
        return f"urn:oid:{oid}"
    return None
