"""Code lists of Koodi elements: the options a form offers and the `system` value a document carries.

Codes come from `acceptedValues` (the national list; duplicates dropped, order kept). Labels come from the
`valueSet` text (`1 = Label, 2 = Label` or one per line), else from an internal classification text
(`Sisäinen luokitus: 1 = ..., 2 = ...`); a code without a label is shown as itself.
"""

from __future__ import annotations

import re
from typing import Any

from structures.identifiers import is_oid
from structures.model import Element
from structures.texts import Texts

# A `code =` at the start of the text or after a comma / line break.
_ITEM = re.compile(r"(?:^|(?<=[,\n]))[ \t]*([A-Za-z0-9][A-Za-z0-9._-]*)[ \t]*=[ \t]*")
_PREFIX = re.compile(r"^\s*(Sisäinen luokitus|Internt kodsystem|Intern klassificering)\s*:\s*", re.I | re.M)


def parse_labels(text: str) -> dict[str, str]:
    """`{"1": "Label", ...}` from a `code = label` listing; labels lose trailing commas and whitespace."""
    text = _PREFIX.sub("\n", text)  # a fi entry may hold the sv listing too, after its own prefix
    matches = list(_ITEM.finditer(text))
    labels: dict[str, str] = {}
    for here, after in zip(matches, [*matches[1:], None], strict=False):
        end = after.start() if after is not None else len(text)
        label = text[here.end() : end].strip().rstrip(",").strip()
        labels.setdefault(here.group(1), label)
    return labels


def _labels(texts: Texts | None, lang: str) -> dict[str, str]:
    """Labels from every entry tagged `lang` (a valueSet may be split into one entry per code)."""
    joined = "\n".join(t.value for t in texts or () if t.lang == lang)
    return parse_labels(joined) if joined else {}


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
        for code, text in _labels(texts, "fi").items():
            fi.setdefault(code, text)
        for code, text in _labels(texts, "sv").items():
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
