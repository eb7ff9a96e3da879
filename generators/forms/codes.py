"""Code lists of Koodi elements: the options a form offers and the `system` value a document carries.

Codes come from `acceptedValues` (the national list; duplicates dropped, order kept). Labels come from the
`valueSet` text (`1 = Label, 2 = Label` or one per line), else from an internal classification text
(`Sisäinen luokitus: 1 = ..., 2 = ...`), both read by `structures.value_sets`; a code without a label is shown
as itself.
"""

from __future__ import annotations

from typing import Any

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
