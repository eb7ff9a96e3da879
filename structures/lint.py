"""Irregularities of a structure, reported as coded warnings (`sosmeta lint`). Nothing here changes the model.

Real exports contain missing translations, Swedish text tagged `fi`, conditional rules without the note that
states the condition, unknown keys and JSON keywords that depart from the format rules. Importers keep all of
it; lint says where it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from sosmeta.messages import Lang, localized
from sosmeta.structures.lint_texts import meanings, say
from sosmeta.structures.model import LANGUAGE_KEYS, SOSMETA_FIELDS, Located, Structure
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.shape import expected_node, expected_sub_properties, expected_wrapper, slug
from sosmeta.structures.texts import first, values

KNOWN_KEYWORDS = frozenset(
    {
        "$schema",
        "title",
        "type",
        "additionalProperties",
        "required",
        "properties",
        "items",
        "minItems",
        "minLength",
        "pattern",
        "enum",
        "sosmeta",
    }
)
_CONDITION_WORDS = "ehdollisesti pakollinen"


@dataclass(frozen=True)
class LintWarning:
    code: str
    path: str
    row: int | None
    name: str
    message: str
    """English as a string; a `messages.Localized` text (`lint_texts.say`) knows its Finnish and Swedish."""

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: Lang) -> str:
        """The warning as one line in `lang` (codes, paths and names as they are)."""
        row = localized(say("row", row=self.row), lang) if self.row is not None else ""
        return f"{row}{self.path} ({self.name}): {localized(self.message, lang)} [{self.code}]"


CODES: dict[str, str] = meanings(
    (
        "lang.missing_sv",
        "lang.duplicate_tag",
        "lang.odd_order",
        "lang.unknown_tag",
        "cond.without_note",
        "cond.note_without_flag",
        "code.no_classification_oid",
        "code.duplicate_values",
        "representation.unknown",
        "rows.numbering",
        "key.not_slug",
        "unknown.sosmeta_key",
        "unknown.keyword",
        "unknown.meta_key",
        "shape.differs",
        "identity.version_mismatch",
    )
)
"""What each code means (`messages.Localized`: English as a string, `localized` gives the run's language)."""


def _warn(code: str, loc: Located, message: str) -> LintWarning:
    return LintWarning(code, loc.path, loc.element.row_number, loc.element.fi_name, message)


def _bilingual(structure: Structure) -> bool:
    return any(t.lang == "sv" for t in structure.document.name or ())


def _text_checks(loc: Located, bilingual: bool) -> Iterator[LintWarning]:
    element = loc.element
    for key, field in SOSMETA_FIELDS:
        if key not in LANGUAGE_KEYS:
            continue
        texts = getattr(element, field)
        if not texts:
            continue
        langs = [t.lang for t in texts]
        if any(lang not in ("fi", "sv") for lang in langs):
            yield _warn("lang.unknown_tag", loc, say("tags", key=key, langs=langs))
        if len(set(langs)) != len(langs):
            yield _warn("lang.duplicate_tag", loc, say("tags", key=key, langs=langs))
        elif langs not in (["fi"], ["fi", "sv"], ["sv"]):
            yield _warn("lang.odd_order", loc, say("tags", key=key, langs=langs))
        if bilingual and "sv" not in langs and key != "representation":
            yield _warn("lang.missing_sv", loc, say("missing_sv", key=key))


def _rule_checks(loc: Located) -> Iterator[LintWarning]:
    element = loc.element
    note = (first(element.implementation_note, "fi") or "").lower()
    if element.conditional_required and not element.implementation_note:
        yield _warn("cond.without_note", loc, say("without_note"))
    if not element.conditional_required and not element.required and _CONDITION_WORDS in note:
        yield _warn("cond.note_without_flag", loc, say("note_without_flag"))
    rep = element.representation
    if rep is None:
        yield _warn(
            "representation.unknown",
            loc,
            say("unknown_representation", label=repr(first(element.representation_texts, "fi"))),
        )
    if rep is R.KOODI and element.classification_oid is None:
        yield _warn("code.no_classification_oid", loc, say("no_classification_oid"))
    codes = Counter(values(element.accepted_values))
    doubled = sorted(code for code, n in codes.items() if n > 1)
    if doubled:
        yield _warn("code.duplicate_values", loc, say("duplicate_values", codes=", ".join(doubled)))
    fi_name = first(element.name, "fi")
    if loc.depth > 1 and fi_name is not None and slug(fi_name) != element.key:
        yield _warn("key.not_slug", loc, say("not_slug", key=repr(element.key), slug=repr(slug(fi_name))))


def _unknown_checks(loc: Located) -> Iterator[LintWarning]:
    element = loc.element
    for key, _ in element.sosmeta_extra:
        yield _warn("unknown.sosmeta_key", loc, say("sosmeta_key", key=repr(key)))
    for key, _ in element.node + (element.wrapper or ()):
        if key not in KNOWN_KEYWORDS:
            yield _warn("unknown.keyword", loc, say("keyword", key=repr(key)))
    if loc.depth > 1:
        differs = element.node != expected_node(element) or element.wrapper != expected_wrapper(element)
        subs = expected_sub_properties(element)
        if differs or (subs and subs != element.sub_properties):
            yield _warn("shape.differs", loc, say("shape_differs"))


def _identity_checks(structure: Structure) -> Iterator[LintWarning]:
    version = structure.definition_version
    if version is None or structure.base_oid == structure.version_oid:
        return
    if structure.oid_date is None or structure.oid_date.isoformat() != version:
        arcs = structure.version_oid[len(structure.base_oid) + 1 :]
        yield LintWarning(
            "identity.version_mismatch",
            "$.sosmeta.oid",
            None,
            structure.fi_title,
            say("version_mismatch", arcs=arcs, version=version),
        )


def lint(structure: Structure) -> list[LintWarning]:
    """All irregularities of `structure`, in document order."""
    out: list[LintWarning] = list(_identity_checks(structure))
    bilingual = _bilingual(structure)
    for key, _ in structure.meta_extra:
        out.append(
            LintWarning("unknown.meta_key", "$.sosmeta", None, structure.fi_title, say("meta_key", key=repr(key)))
        )
    expected_row = 1
    numbering_ok = True
    for loc in structure.walk():
        if loc.depth > 1:
            numbering_ok &= loc.element.row_number == expected_row
            expected_row += 1
        out.extend(_text_checks(loc, bilingual))
        out.extend(_rule_checks(loc))
        out.extend(_unknown_checks(loc))
    if not numbering_ok:
        out.append(LintWarning("rows.numbering", "$", None, structure.fi_title, say("rows_numbering")))
    return out
