"""One before/after pair per rule, built from the example structure: the rule fires with the categories that
follow the JSON encoding, and every DOCUMENT_* category is proved by a counterexample that jsonschema (the
reference oracle) confirms: valid under one version's schema, invalid under the other's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from jsonschema import Draft7Validator

from sosmeta.generators.compat.check import compare_sets
from sosmeta.generators.compat.proof import adapt, adaptation, prove_all
from sosmeta.generators.sosmeta_json import structure_data
from sosmeta.structures.compat import RULES, Category, compare
from sosmeta.structures.compat.matching import Renames
from sosmeta.structures.model import Structure
from sosmeta.structures.shape import DATETIME_PATTERN
from tests.compat_support import (
    D,
    add,
    edit,
    example,
    rebuilt,
    remove,
    replace_at,
    replace_element,
    set_node_keyword,
    text_element,
    texts,
)
from tests.test_compat_org import ORG_CASES

B, F = Category.DOCUMENT_BACKWARD, Category.DOCUMENT_FORWARD
C, FM, T = Category.CODEGEN, Category.FORM, Category.TEXT
LAATIJA = f"{D}/laatija"
AMMATTI = f"{LAATIJA}/ammattinimike"
JATKO = f"{D}/arvio/jatkotoimet"


@dataclass(frozen=True)
class Case:
    rule: str
    make: Callable[[Structure], Structure]
    path: str
    categories: frozenset[Category]
    renames: Renames | None = None


def _swap_laatija_children(s: Structure) -> Structure:
    def change(element):  # type: ignore[no-untyped-def]
        members = list(element.members)
        members[1], members[2] = members[2], members[1]
        return element.model_copy(update={"members": tuple(members)})

    return replace_at(s, LAATIJA, change)


def _renamed(s: Structure) -> Structure:
    return replace_element(s, AMMATTI, text_element("tehtavanimike", "Tehtävänimike", "Uppgift"))


CASES = [
    Case(
        "ELEMENT_ADDED_OPTIONAL",
        lambda s: add(s, LAATIJA, text_element("lisatieto", "Lisätieto", "Tillägg")),
        f"{LAATIJA}/lisatieto",
        frozenset({F, C, FM}),
    ),
    Case(
        "ELEMENT_ADDED_REQUIRED",
        lambda s: add(s, LAATIJA, text_element("lisatieto", "Lisätieto", "Tillägg", required=True)),
        f"{LAATIJA}/lisatieto",
        frozenset({B, F, C, FM}),
    ),
    Case("ELEMENT_REMOVED", lambda s: remove(s, AMMATTI), AMMATTI, frozenset({B, C, FM})),
    Case(
        "ELEMENT_RENAMED",
        _renamed,
        f"{LAATIJA}/tehtavanimike",
        frozenset({B, F, C, FM}),
        Renames({AMMATTI: f"{LAATIJA}/tehtavanimike"}),
    ),
    Case(
        "ELEMENT_RENAME_SUSPECTED",
        lambda s: replace_element(
            s, AMMATTI, text_element("ammattinimikkeet", "Ammattinimikkeet", "Yrkesbeteckningar")
        ),
        f"{LAATIJA}/ammattinimikkeet",
        frozenset({B, F, C, FM}),
    ),
    Case("REQUIRED_ADDED", lambda s: edit(s, AMMATTI, required=True), AMMATTI, frozenset({B, C, FM})),
    Case(
        "REQUIRED_REMOVED",
        lambda s: edit(s, f"{D}/asiakas/sukunimi", required=False),
        f"{D}/asiakas/sukunimi",
        frozenset({F, C, FM}),
    ),
    Case(
        "REPEATABLE_ADDED",
        lambda s: edit(s, f"{D}/asiakas/syntymaaika", repeatable=True),
        f"{D}/asiakas/syntymaaika",
        frozenset({B, F, C, FM}),
    ),
    Case(
        "REPEATABLE_REMOVED",
        lambda s: edit(s, f"{D}/tapaamiset", repeatable=False),
        f"{D}/tapaamiset",
        frozenset({B, F, C, FM}),
    ),
    Case(
        "REPRESENTATION_CHANGED",
        lambda s: edit(s, f"{D}/arvio/pisteet", representation_texts=texts("Teksti", "Text")),
        f"{D}/arvio/pisteet",
        frozenset({B, F, C, FM}),
    ),
    Case(
        "CODE_SYSTEM_CHANGED",
        lambda s: edit(
            s,
            f"{D}/arvio/palvelutehtava",
            classification_oid=(texts("1.2.246.537.6.1222")[0].model_copy(update={"lang": ""}),),
        ),
        f"{D}/arvio/palvelutehtava",
        frozenset({B, F, FM}),
    ),
    Case(
        "CODES_NARROWED",
        lambda s: edit(s, JATKO, accepted_values=(s.by_path(JATKO).element.accepted_values or ())[:1]),
        JATKO,
        frozenset({B, C, FM}),
    ),
    Case(
        "CODES_WIDENED",
        lambda s: edit(
            s,
            JATKO,
            accepted_values=(s.by_path(JATKO).element.accepted_values or ())
            + (texts("X")[0].model_copy(update={"lang": ""}),),
        ),
        JATKO,
        frozenset({F, C, FM}),
    ),
    Case(
        "CODES_REORDERED",
        lambda s: edit(s, JATKO, accepted_values=(s.by_path(JATKO).element.accepted_values or ())[::-1]),
        JATKO,
        frozenset({FM}),
    ),
    Case(
        "PHRASE_CHANGED",
        lambda s: edit(s, f"{D}/tietosuoja", phrase=texts("Salassa pidettävä.", "Sekretessbelagd.")),
        f"{D}/tietosuoja",
        frozenset({B, F, FM, T}),
    ),
    Case(
        "CONDITIONAL_REQUIRED_CHANGED", lambda s: edit(s, AMMATTI, conditional_required=True), AMMATTI, frozenset({FM})
    ),
    Case("HIDDEN_FIELD_CHANGED", lambda s: edit(s, LAATIJA, hidden_field=False), LAATIJA, frozenset({FM})),
    Case(
        "HIDDEN_TITLE_CHANGED",
        lambda s: edit(s, f"{D}/tietosuoja", hidden_title=False),
        f"{D}/tietosuoja",
        frozenset({FM}),
    ),
    Case("NATIONALLY_RECORDED_CHANGED", lambda s: edit(s, AMMATTI, nationally_recorded=True), AMMATTI, frozenset({FM})),
    Case("ROW_ORDER_CHANGED", _swap_laatija_children, f"{LAATIJA}/allekirjoitus", frozenset({FM})),
    Case(
        "NAME_CHANGED", lambda s: edit(s, AMMATTI, name=texts("Ammattinimike", "Yrkestitel")), AMMATTI, frozenset({T})
    ),
    Case("TITLE_CHANGED", lambda s: edit(s, AMMATTI, title=texts("Otsikko", "Rubrik")), AMMATTI, frozenset({T})),
    Case(
        "DESCRIPTION_CHANGED",
        lambda s: edit(s, f"{D}/asiakas", description=texts("Uusi kuvaus", "Ny")),
        f"{D}/asiakas",
        frozenset({T}),
    ),
    Case(
        "EXAMPLE_CHANGED",
        lambda s: edit(s, f"{D}/asiakas/sukunimi", example=texts("Meikäläinen", "Meikäläinen")),
        f"{D}/asiakas/sukunimi",
        frozenset({T}),
    ),
    Case(
        "IMPLEMENTATION_NOTE_CHANGED",
        lambda s: edit(s, f"{D}/asiakas/henkilotunnus", implementation_note=texts("Uusi ohje", "Ny anvisning")),
        f"{D}/asiakas/henkilotunnus",
        frozenset({T}),
    ),
    Case(
        "CLASSIFICATION_TEXT_CHANGED",
        lambda s: edit(s, f"{D}/tapaamiset/tapaamispaikka", classification=texts("Sisäinen luokitus: 1 = Koti")),
        f"{D}/tapaamiset/tapaamispaikka",
        frozenset({T}),
    ),
    Case(
        "VALUE_SET_CHANGED",
        lambda s: edit(s, f"{D}/tapaamiset/tapaamispaikka", value_set=texts("1 = Koti", "1 = Hem")),
        f"{D}/tapaamiset/tapaamispaikka",
        frozenset({T}),
    ),
    Case(
        "CLASSIFICATION_LINK_CHANGED",
        lambda s: edit(
            s,
            f"{D}/arvio/palvelutehtava",
            classification_link=(texts("https://example.org/x")[0].model_copy(update={"lang": ""}),),
        ),
        f"{D}/arvio/palvelutehtava",
        frozenset({T}),
    ),
    Case(
        "SYSTEM_URI_CHANGED",
        lambda s: edit(
            s,
            f"{D}/asiakas/henkilotunnus",
            system_uri=(texts("urn:oid:1.2.246.537.6.1")[0].model_copy(update={"lang": ""}),),
        ),
        f"{D}/asiakas/henkilotunnus",
        frozenset({FM}),
    ),
    Case(
        "MIN_LENGTH_CHANGED",
        lambda s: set_node_keyword(s, f"{D}/asiakas/sukunimi", "minLength", None),
        f"{D}/asiakas/sukunimi",
        frozenset({F}),
    ),
    Case(
        "MIN_ITEMS_CHANGED",
        lambda s: edit(
            s, f"{D}/tapaamiset", json_only=True, wrapper=(("type", "array"), ("minItems", 1), ("items", None))
        ),
        f"{D}/tapaamiset",
        frozenset({B}),
    ),
    Case(
        "PATTERN_CHANGED",
        lambda s: set_node_keyword(s, f"{D}/asiakas/syntymaaika", "pattern", "^[a-z]+$"),
        f"{D}/asiakas/syntymaaika",
        frozenset({B, F}),
    ),
    Case(
        "ENUM_CHANGED", lambda s: set_node_keyword(s, AMMATTI, "enum", ["sosiaalityöntekijä"]), AMMATTI, frozenset({B})
    ),
    Case("JSON_TYPE_CHANGED", lambda s: set_node_keyword(s, AMMATTI, "type", "number"), AMMATTI, frozenset({B, F, C})),
    Case(
        "JSON_CONSTRAINT_CHANGED",
        lambda s: set_node_keyword(s, LAATIJA, "additionalProperties", None),
        LAATIJA,
        frozenset({F}),
    ),
    Case("STATUS_CHANGED", lambda s: rebuilt(s, status="Vanhentunut"), "", frozenset({T})),
    Case("DOCUMENT_TYPE_CHANGED", lambda s: rebuilt(s, document_type="Suunnitelma"), "", frozenset({C, FM})),
    Case("DOCUMENT_SUBJECT_CHANGED", lambda s: rebuilt(s, document_subject="Muu"), "", frozenset({T})),
    Case("DOCUMENT_AUTHOR_CHANGED", lambda s: rebuilt(s, document_author="Muu"), "", frozenset({T})),
    Case("STRUCTURE_TITLE_CHANGED", lambda s: rebuilt(s, title="'Muu' JSON schema"), "", frozenset({T})),
]
CATALOG_RULES = {"STRUCTURE_ADDED": frozenset(), "STRUCTURE_REMOVED": frozenset({B, C, FM})}


def test_every_rule_has_a_fixture() -> None:
    lists = {"CODE_LIST_VERSION_CHANGED"}  # needs stored code lists: tests/test_codes_use_cda_diff.py
    assert {c.rule for c in CASES} | set(CATALOG_RULES) | set(ORG_CASES) | lists == set(RULES)


def oracle(structure: Structure) -> Draft7Validator:
    return Draft7Validator(structure_data(structure))


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule_fires_with_categories_and_proof(case: Case) -> None:
    old = example()
    new = case.make(old)
    findings = prove_all(compare(old, new, case.renames), old, new, full_mode=True)
    matching = [f for f in findings if f.rule == case.rule and f.path == case.path]
    assert matching, [(f.rule, f.path) for f in findings]
    finding = matching[0]
    assert finding.categories == case.categories
    assert {e.category for e in finding.counterexamples} == case.categories & {B, F}
    for example_doc in finding.counterexamples:
        assert example_doc.verified, example_doc.note
        assert example_doc.full_mode is not None
        source, target = (old, new) if example_doc.valid_under == "old" else (new, old)
        how = adaptation(findings, finding, example_doc.valid_under)
        assert oracle(source).is_valid(example_doc.document)
        assert not oracle(target).is_valid(adapt(example_doc.document, how))


def test_unchanged_example_gives_no_findings() -> None:
    assert compare(example(), example()) == []


def test_json_neutral_representation_change_breaks_no_document() -> None:
    old = example()
    new = edit(old, AMMATTI, representation_texts=texts("Nimi", "Namn"))
    findings = compare(old, new)
    assert [(f.rule, f.categories) for f in findings] == [("REPRESENTATION_CHANGED", frozenset({C, FM}))]


def test_pattern_widened_to_datetime_claims_only_what_it_can_prove() -> None:
    old = example()
    new = set_node_keyword(old, f"{D}/asiakas/syntymaaika", "pattern", DATETIME_PATTERN)
    (finding,) = prove_all(compare(old, new), old, new)
    verdicts = {e.category: e.verified for e in finding.counterexamples}
    # Every DATE value is a valid DATETIME, so no backward counterexample exists, and the finding says so.
    assert verdicts == {B: False, F: True}
    assert "no verified counterexample" in finding.counterexamples[0].note


def test_structures_added_and_removed_between_catalogs() -> None:
    old = example()
    other = rebuilt(old, oid="1.2.246.537.6.1506.99002.2025.1.15")
    comparisons = compare_sets([old], [other], lambda s: s.version_oid)
    rules = {c.findings[0].rule: c.findings[0] for c in comparisons}
    assert set(rules) == set(CATALOG_RULES)
    for rule_id, categories in CATALOG_RULES.items():
        assert rules[rule_id].categories == categories
    (removed_example,) = rules["STRUCTURE_REMOVED"].counterexamples
    assert not removed_example.verified and removed_example.note
