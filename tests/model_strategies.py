"""Hypothesis strategies for random structure models, irregularities included.

They draw what real exports contain (odd language lists, unknown keys, non-canonical key order, JSON keywords
that depart from the rules, text with characters the writer must escape) so that round-trip properties are
tested on more than the well-formed case.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from sosmeta.structures.model import FIELD_OF_KEY, FLAG_KEYS, LANGUAGE_KEYS, NEUTRAL_KEYS, Element, Structure
from sosmeta.structures.representation import Representation
from sosmeta.structures.shape import document_title, expected_root, slug, with_standard_shape
from sosmeta.structures.texts import LangText

# Text with the characters the export format escapes or must keep raw.
_ALPHABET = st.sampled_from(list("abcåäöÅÄÖ -_=<>&'\"\\\n\t§”–\u00a0\u2011\u2028\u2029€0123456789"))
text = st.text(_ALPHABET, min_size=1, max_size=20)
fi_name = st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyzäöå ")), min_size=1, max_size=15).filter(
    lambda s: slug(s) != "" and s.strip() == s
)


def lang_list(neutral: bool = False) -> st.SearchStrategy[tuple[LangText, ...]]:
    if neutral:
        return st.lists(text.map(lambda v: LangText(lang="", value=v)), min_size=1, max_size=3).map(tuple)
    regular = st.tuples(text, text).map(lambda p: (LangText(lang="fi", value=p[0]), LangText(lang="sv", value=p[1])))
    odd = st.lists(
        st.builds(LangText, lang=st.sampled_from(["fi", "sv", "fi", "en"]), value=text), min_size=1, max_size=4
    ).map(tuple)
    return st.one_of(regular, regular, odd)


json_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10, 10), text)
json_value: st.SearchStrategy[Any] = st.recursive(
    json_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)),
    max_leaves=5,
)
_REPS = [r for r in Representation if r is not Representation.GROUP]


@st.composite
def leaf_element(draw: st.DrawFn, row: int) -> Element:
    rep = draw(st.sampled_from(_REPS))
    fields: dict[str, Any] = {"representation_texts": (LangText(lang="fi", value=rep.fi),)}
    for key in draw(st.sets(st.sampled_from(sorted(LANGUAGE_KEYS - {"name", "representation"})), max_size=4)):
        fields[FIELD_OF_KEY[key]] = draw(lang_list())
    for key in draw(st.sets(st.sampled_from(sorted(NEUTRAL_KEYS)), max_size=2)):
        fields[FIELD_OF_KEY[key]] = draw(lang_list(neutral=True))
    for key in FLAG_KEYS:
        fields[FIELD_OF_KEY[key]] = draw(st.booleans())
    name = draw(fi_name)
    return Element(key=slug(name), name=(LangText(lang="fi", value=name),), row_number=row, **fields)


@st.composite
def irregular(draw: st.DrawFn, element: Element) -> Element:
    """Sometimes add unknown sosmeta keys, a shuffled key order, or an extra JSON keyword."""
    update: dict[str, Any] = {}
    if draw(st.booleans()):
        update["sosmeta_extra"] = (("zz" + draw(text), draw(json_value)),)
    if draw(st.booleans()):
        keys = element.model_copy(update=update).sosmeta_keys()
        order = tuple(draw(st.permutations(keys)))
        # The model keeps an order only when it is not the canonical one (None means canonical).
        update["sosmeta_order"] = order if order != keys else None
    if draw(st.booleans()):
        update["node"] = (*element.node, ("x-extra", draw(json_value)))
    return element.model_copy(update=update)


@st.composite
def structures(draw: st.DrawFn) -> Structure:
    """A random, possibly irregular, structure of one to three levels."""
    row = 0
    groups = []
    for _ in range(draw(st.integers(1, 3))):
        row += 1
        group_row = row
        leaves = []
        for _ in range(draw(st.integers(0, 4))):
            row += 1
            leaves.append(draw(leaf_element(row)))
        name = draw(fi_name)
        group = Element(
            key=slug(name),
            name=draw(lang_list()).__class__((LangText(lang="fi", value=name),)),
            required=draw(st.booleans()),
            repeatable=draw(st.booleans()),
            row_number=group_row,
            members=_unique(leaves),
        )
        groups.append(group)
    name = draw(fi_name)
    document = with_standard_shape(
        Element(key=slug(name), name=(LangText(lang="fi", value=name),), members=_unique(groups))
    )
    document = document.model_copy(update={"members": tuple(draw(_irregular_tree(c)) for c in document.children)})
    structure = Structure(
        title=document_title(name),
        status=draw(st.sampled_from(["Valmis", "Vanhentunut", "Luonnos"])),
        definition_version="2024-11-28",
        oid="1.2.246.537.6.1506.99999.2024.11.28",
        document_type=draw(st.one_of(st.none(), text)),
        document_subject=draw(st.one_of(st.none(), text)),
        meta_extra=draw(st.lists(st.tuples(st.just("zzExtra"), json_value), max_size=1).map(tuple)),
        document=document,
    )
    return structure.model_copy(update={"root": expected_root(structure)})


def _irregular_tree(element: Element) -> st.SearchStrategy[Element]:
    @st.composite
    def build(draw: st.DrawFn) -> Element:
        kids = tuple(draw(irregular(c)) for c in element.children)
        return draw(irregular(element.model_copy(update={"members": kids + element.sub_properties})))

    return build()


def _unique(elements: list[Element]) -> tuple[Element, ...]:
    """Drop elements whose key repeats a sibling's (JSON objects cannot hold duplicate keys)."""
    seen: set[str] = set()
    out = []
    for element in elements:
        if element.key not in seen:
            seen.add(element.key)
            out.append(element)
    return tuple(out)
