"""Property tests on the real exports: an unchanged structure gives an empty report, and a random single
mutation of a current structure is reported once, with the rule and categories the mutation calls for, and
with verified counterexamples for its DOCUMENT_* categories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta.generators.compat.proof import prove_all
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.compat import Category, compare
from sosmeta.structures.model import Located, Structure
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.texts import LangText
from tests.compat_support import add, edit, rebuilt, remove, text_element
from tests.conftest import corpus_files, load_corpus_structure, require_corpus

B, F = Category.DOCUMENT_BACKWARD, Category.DOCUMENT_FORWARD
C, FM, T = Category.CODEGEN, Category.FORM, Category.TEXT
Mutation = tuple[str, Callable[[Structure, Located], Structure], Callable[[Located], frozenset[Category]]]


def test_unchanged_structure_gives_empty_report(corpus_path: Path) -> None:
    structure = load_corpus_structure(corpus_path)
    assert compare(structure, structure) == []
    assert compare(structure, load_structure(corpus_path)) == []
    assert compare(structure, rebuilt(structure)) == []


def _toggle_required(s: Structure, loc: Located) -> Structure:
    return edit(s, loc.key_path, required=not loc.element.is_required)


def _changed_fi(texts: tuple[LangText, ...] | None) -> tuple[LangText, ...]:
    texts = texts or (LangText(lang="fi", value="-"),)
    index = next((i for i, t in enumerate(texts) if t.lang == "fi"), None)
    if index is None:
        return (*texts, LangText(lang="fi", value="Muutettu kuvaus"))
    changed = texts[index].model_copy(update={"value": texts[index].value + " (muutettu)"})
    return (*texts[:index], changed, *texts[index + 1 :])


MUTATIONS: list[Mutation] = [
    (
        "REQUIRED_ADDED|REQUIRED_REMOVED",
        _toggle_required,
        lambda loc: frozenset({F, C, FM}) if loc.element.is_required else frozenset({B, C, FM}),
    ),
    (
        "REPEATABLE_ADDED|REPEATABLE_REMOVED",
        lambda s, loc: edit(s, loc.key_path, repeatable=not loc.element.is_repeatable),
        lambda loc: frozenset({B, F, C, FM}),
    ),
    (
        "ELEMENT_REMOVED",
        lambda s, loc: remove(s, loc.key_path),
        lambda loc: frozenset({B, C, FM} | ({F} if loc.element.is_required else set())),
    ),
    (
        "DESCRIPTION_CHANGED",
        lambda s, loc: edit(s, loc.key_path, description=_changed_fi(loc.element.description)),
        lambda loc: frozenset({T}),
    ),
    (
        "HIDDEN_FIELD_CHANGED",
        lambda s, loc: edit(s, loc.key_path, hidden_field=not loc.element.hidden_field),
        lambda loc: frozenset({FM}),
    ),
    (
        "NATIONALLY_RECORDED_CHANGED",
        lambda s, loc: edit(s, loc.key_path, nationally_recorded=not loc.element.nationally_recorded),
        lambda loc: frozenset({FM}),
    ),
]


def current_structures() -> list[Path]:
    """The current ("Valmis") exports: they follow the format rules exactly, so edits re-derive nothing else."""
    return [p for p in corpus_files() if load_corpus_structure(p).status == "Valmis"]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_single_mutation_is_reported_with_its_rule_and_categories(data: st.DataObject) -> None:
    files = current_structures()
    if not files:
        require_corpus()
        pytest.skip("no current exports")
    structure = load_corpus_structure(data.draw(st.sampled_from(files), label="structure"))
    loc = data.draw(st.sampled_from(list(structure.rows())), label="element")
    rules, mutate, categories = data.draw(st.sampled_from(MUTATIONS), label="mutation")
    expected = categories(loc)
    mutated = mutate(structure, loc)
    findings = compare(structure, mutated)
    assert len(findings) == 1, [(f.rule, f.path) for f in findings]
    (finding,) = findings
    assert finding.rule in rules.split("|")
    assert finding.path == loc.key_path
    assert finding.categories == expected
    if finding.document_categories and data.draw(st.integers(0, 5), label="prove") == 0:
        # Compiling two validators per mutated structure is slow: prove a sample of the mutations.
        (proved,) = prove_all(findings, structure, mutated)
        assert all(e.verified for e in proved.counterexamples), [e.note for e in proved.counterexamples]


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_added_optional_element_and_narrowed_codes(data: st.DataObject) -> None:
    files = current_structures()
    if not files:
        require_corpus()
        pytest.skip("no current exports")
    structure = load_corpus_structure(data.draw(st.sampled_from(files), label="structure"))
    containers = [loc for loc in structure.walk() if loc.element.representation in (R.GROUP, R.OTSIKKO)]
    coded = [loc for loc in structure.rows() if len(set(loc.element.code_values)) >= 2]
    if data.draw(st.booleans(), label="add") or not coded:
        parent = data.draw(st.sampled_from(containers), label="container")
        mutated = add(structure, parent.key_path, text_element("lisatieto_testi", "Lisätieto testi", "Tillägg test"))
        path, rule, expected = f"{parent.key_path}/lisatieto_testi", "ELEMENT_ADDED_OPTIONAL", {F, C, FM}
    else:
        loc = data.draw(st.sampled_from(coded), label="coded")
        codes = loc.element.accepted_values or ()
        kept = tuple(c for c in codes if c.value != codes[-1].value)
        mutated = edit(structure, loc.key_path, accepted_values=kept)
        path, rule, expected = loc.key_path, "CODES_NARROWED", {B, C, FM}
    findings = prove_all(compare(structure, mutated), structure, mutated)
    assert [(f.rule, f.path, f.categories) for f in findings] == [(rule, path, frozenset(expected))]
    assert all(e.verified for e in findings[0].counterexamples)
