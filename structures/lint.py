"""Irregularities of a structure, reported as coded warnings (`sosmeta lint`). Nothing here changes the model.

Real exports contain missing translations, Swedish text tagged `fi`, conditional rules without the note that
states the condition, unknown keys and JSON keywords that depart from the format rules. Importers keep all of
it; lint says where it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

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

    def __str__(self) -> str:
        row = f"row {self.row} " if self.row is not None else ""
        return f"{row}{self.path} ({self.name}): {self.message} [{self.code}]"


CODES: dict[str, str] = {
    "lang.missing_sv": "a text has a Finnish entry but no Swedish one in a bilingual structure",
    "lang.duplicate_tag": "a text list repeats a language tag (often Swedish text tagged fi)",
    "lang.odd_order": "a text list is not in fi, sv order",
    "lang.unknown_tag": "a language tag other than fi, sv (or empty on language-neutral fields)",
    "cond.without_note": "conditionally required, but no implementation note states the condition",
    "cond.note_without_flag": "the implementation note says 'Ehdollisesti pakollinen' but the flag is false",
    "code.no_classification_oid": "a Koodi row without classificationOid: any code system is accepted",
    "code.duplicate_values": "acceptedValues lists a code twice",
    "representation.unknown": "a representation label the format does not define",
    "rows.numbering": "row numbers are not 1..N in document order",
    "key.not_slug": "the key is not derived from the first Finnish name by THL's rule",
    "unknown.sosmeta_key": "a sosmeta key the format does not define (kept verbatim)",
    "unknown.keyword": "a JSON Schema keyword the format does not use (kept verbatim)",
    "unknown.meta_key": "a top-level sosmeta key the format does not define (kept verbatim)",
    "shape.differs": "JSON keywords differ from what the format rules derive (older exports do this; kept as is)",
    "identity.version_mismatch": "the version OID's date arcs name another day than documentDefinitionVersion "
    "(import refuses this; a catalog file holding it was stored before that check or edited by hand)",
}


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
            yield _warn("lang.unknown_tag", loc, f"{key}: tags {langs}")
        if len(set(langs)) != len(langs):
            yield _warn("lang.duplicate_tag", loc, f"{key}: tags {langs}")
        elif langs not in (["fi"], ["fi", "sv"], ["sv"]):
            yield _warn("lang.odd_order", loc, f"{key}: tags {langs}")
        if bilingual and "sv" not in langs and key != "representation":
            yield _warn("lang.missing_sv", loc, f"{key} has no Swedish text")


def _rule_checks(loc: Located) -> Iterator[LintWarning]:
    element = loc.element
    note = (first(element.implementation_note, "fi") or "").lower()
    if element.conditional_required and not element.implementation_note:
        yield _warn("cond.without_note", loc, "conditionalRequired is true but there is no implementationNote")
    if not element.conditional_required and not element.required and _CONDITION_WORDS in note:
        yield _warn("cond.note_without_flag", loc, "the note says 'Ehdollisesti pakollinen', the flag is false")
    rep = element.representation
    if rep is None:
        yield _warn(
            "representation.unknown", loc, f"unknown representation {first(element.representation_texts, 'fi')!r}"
        )
    if rep is R.KOODI and element.classification_oid is None:
        yield _warn("code.no_classification_oid", loc, "no classificationOid: the code system is unconstrained")
    codes = Counter(values(element.accepted_values))
    doubled = sorted(code for code, n in codes.items() if n > 1)
    if doubled:
        yield _warn("code.duplicate_values", loc, f"acceptedValues repeats {', '.join(doubled)}")
    fi_name = first(element.name, "fi")
    if loc.depth > 1 and fi_name is not None and slug(fi_name) != element.key:
        yield _warn("key.not_slug", loc, f"key {element.key!r}, the rule gives {slug(fi_name)!r}")


def _unknown_checks(loc: Located) -> Iterator[LintWarning]:
    element = loc.element
    for key, _ in element.sosmeta_extra:
        yield _warn("unknown.sosmeta_key", loc, f"sosmeta key {key!r}")
    for key, _ in element.node + (element.wrapper or ()):
        if key not in KNOWN_KEYWORDS:
            yield _warn("unknown.keyword", loc, f"keyword {key!r}")
    if loc.depth > 1:
        differs = element.node != expected_node(element) or element.wrapper != expected_wrapper(element)
        subs = expected_sub_properties(element)
        if differs or (subs and subs != element.sub_properties):
            yield _warn("shape.differs", loc, "JSON keywords differ from the format rules")


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
            f"the OID ends in the date {arcs}, documentDefinitionVersion is {version}: the version has two names "
            "for two days (correct the one that is wrong and import again with --replace)",
        )


def lint(structure: Structure) -> list[LintWarning]:
    """All irregularities of `structure`, in document order."""
    out: list[LintWarning] = list(_identity_checks(structure))
    bilingual = _bilingual(structure)
    for key, _ in structure.meta_extra:
        out.append(LintWarning("unknown.meta_key", "$.sosmeta", None, structure.fi_title, f"key {key!r}"))
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
        out.append(LintWarning("rows.numbering", "$", None, structure.fi_title, CODES["rows.numbering"]))
    return out
