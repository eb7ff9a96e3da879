"""Code lists the structures state themselves: a Koodi row's `acceptedValues` (or its `code` enum), with
labels from its `valueSet` prose (`code = label`) or an internal list's classification text, or a `valueSet`
listing alone. They are marked `embedded` and used where no pulled or imported list is stored, so validators,
forms and examples work without any pull. Nothing is made up: a row stating no codes gives no list.
"""

from __future__ import annotations

from collections.abc import Iterable

from sosmeta.structures.codelists.model import Code, CodeList, Provenance
from sosmeta.structures.identifiers import is_oid
from sosmeta.structures.model import Element, Located, Structure
from sosmeta.structures.representation import Representation
from sosmeta.structures.value_sets import code_labels

EMBEDDED_VERSION = "embedded"


def element_codes(element: Element) -> list[tuple[str, dict[str, str]]]:
    """The codes a Koodi element states, in its order, with their fi/sv labels; [] when it states none."""
    codes = list(dict.fromkeys(element.code_values))
    if not codes:
        sub = element.sub("code")
        codes = list(dict.fromkeys(str(c) for c in (sub.enum if sub is not None and sub.enum else ())))
    oid = element.classification_oid_value
    internal = oid is not None and not is_oid(oid)
    sources = [element.value_set] + ([element.classification] if internal or element.value_set is None else [])
    labels: dict[str, dict[str, str]] = {}
    for texts in sources:
        for lang in ("fi", "sv"):
            for code, label in code_labels(texts, lang).items():
                labels.setdefault(code, {}).setdefault(lang, label)
    if not codes and element.value_set is not None:  # a valueSet listing without acceptedValues
        codes = list(code_labels(element.value_set, "fi"))
    return [(code, labels.get(code, {})) for code in codes]


def is_coded(element: Element) -> bool:
    """A Koodi row bound to a classification (an OID or an internal list name)."""
    return element.representation is Representation.KOODI and element.classification_oid_value is not None


def element_list(structure: Structure, located: Located) -> CodeList | None:
    """The embedded list of one coded element, or None when it states no codes."""
    element = located.element
    oid = element.classification_oid_value
    stated = element_codes(element) if is_coded(element) else []
    if oid is None or not stated:
        return None
    return CodeList(
        classification=oid,
        version=EMBEDDED_VERSION,
        name=_classification_name(element),
        provenance=Provenance(
            source="embedded",
            retrieved=structure.version,
            files=(f"{structure.version_oid}#{located.key_path}",),
        ),
        codes=tuple(Code(code=code, names=names) for code, names in stated),
    )


def _classification_name(element: Element) -> str | None:
    for text in element.classification or ():
        if text.lang == "fi":
            return text.value
    return None


def embedded_lists(structures: Iterable[Structure]) -> list[CodeList]:
    """One embedded list per classification: the codes of every element bound to it, merged (the first label
    of a code wins, newest structure versions first)."""
    merged: dict[str, CodeList] = {}
    ordered = sorted(structures, key=lambda s: (s.version, s.version_oid), reverse=True)
    for structure in ordered:
        for located in structure.walk():
            made = element_list(structure, located)
            if made is None:
                continue
            have = merged.get(made.classification)
            if have is None:
                merged[made.classification] = made
                continue
            known = have.by_code()
            codes = list(have.codes) + [c for c in made.codes if c.code not in known]
            codes = [
                c.model_copy(update={"names": {**made.by_code()[c.code].names, **c.names}})
                if c.code in made.by_code()
                else c
                for c in codes
            ]
            files = have.provenance.files + made.provenance.files
            merged[made.classification] = have.model_copy(
                update={"codes": tuple(codes), "provenance": have.provenance.model_copy(update={"files": files})}
            )
    return [merged[k] for k in sorted(merged)]
