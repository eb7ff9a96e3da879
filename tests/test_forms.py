"""Form definitions: every real structure's form validates against the published format schema, and the form
says what the structure says (widgets, flags, code lists, source pointers)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator

from sosmeta.generators.forms import SCHEMA_FILE
from sosmeta.generators.forms.definition import build_form
from sosmeta.sosmeta_import.organisation import load_organisation
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Bilingual
from sosmeta.structures.texts import first, meaningful
from sosmeta.structures.value_sets import parse_code_labels
from tests.awkward import awkward_structure
from tests.conftest import load_corpus_structure
from tests.model_strategies import structures

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_STRUCTURE = ROOT / "example" / "sources" / "perhetyon-seurantamerkinta.json"
EXAMPLE_ORG = ROOT / "example" / "orgs" / "jarvimaa-lastensuojelu.toml"
FORMAT = Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children", []):
        yield from nodes(child)


def test_format_schema_is_a_valid_schema() -> None:
    Draft202012Validator.check_schema(FORMAT.schema)


def assert_form_matches(structure: Structure, form: dict[str, Any]) -> None:
    errors = sorted(FORMAT.iter_errors(form), key=lambda e: list(e.absolute_path))
    assert not errors, f"{errors[0].message} at {list(errors[0].absolute_path)}"
    seen = list(nodes(form["root"]))
    assert len(seen) == structure.element_count + 1  # every element, once
    for node in seen:
        located = structure.by_path(node["source"]["jsonPath"])
        assert located is not None and located.key_path == node["source"]["keyPath"]
        e = located.element
        assert node["source"]["row"] == e.row_number
        assert (node["required"], node["repeatable"]) == (e.is_required, e.is_repeatable)
        assert node["label"]["fi"] == e.fi_name
        is_section = e.children or e.representation_texts is None or first(e.representation_texts, "fi") == "Otsikko"
        assert node["kind"] == ("section" if is_section else "field")
        fi, sv = meaningful(first(e.description, "fi")), meaningful(first(e.description, "sv"))  # "-" = no text
        assert node.get("help", {}).get("description") == (
            {"fi": fi or sv, **({"sv": sv} if sv else {})} if fi or sv else None
        )
        if e.code_values:
            assert [o["code"] for o in node["options"]] == list(dict.fromkeys(e.code_values))


def test_every_shared_structure_has_a_valid_form(corpus_path: Path) -> None:
    structure = load_corpus_structure(corpus_path)
    assert_form_matches(structure, build_form(structure))


def test_example_form_and_organisation_variant() -> None:
    structure = load_structure(EXAMPLE_STRUCTURE)
    assert_form_matches(structure, build_form(structure))
    org = load_organisation(EXAMPLE_ORG)
    (template,) = org.templates_for(structure)
    form = build_form(structure, org, template)
    assert not list(FORMAT.iter_errors(form))
    paths = {n["source"]["keyPath"].split("/", 1)[-1]: n for n in nodes(form["root"])}
    for omitted in template.omit:
        assert omitted not in paths
    assert [c["key"] for c in form["root"]["children"]][:2] == ["asiakas", "laatija"]
    place = paths["tapaamiset/tapaamispaikka"]
    assert [o["code"] for o in place["options"]] == ["1", "2"]
    assert place["default"]["code"] == "1" and place["help"]["instructions"]["sv"]
    assert paths["tapaamiset"]["maxItems"] == 10
    assert org.letterhead is not None and form["organisation"]["letterhead"]["fi"] == org.letterhead.fi
    unsigned = org.model_copy(update={"letterhead": Bilingual(fi="Kirjelomake", sv="")})  # sv left empty
    form = build_form(structure, unsigned, template)
    assert not list(FORMAT.iter_errors(form)) and form["organisation"]["letterhead"] == {"fi": "Kirjelomake"}


def test_widgets_cover_every_representation() -> None:
    structure = load_structure(EXAMPLE_STRUCTURE)
    widgets = {n["representation"]: n["widget"] for n in nodes(build_form(structure)["root"]) if "representation" in n}
    assert widgets == {
        "Otsikko": "heading",
        "Teksti": "long-text",
        "Nimi": "short-text",
        "Allekirjoitus": "signature",
        "Pvm": "partial-date",
        "Hetki": "date-time",
        "Fraasi": "phrase",
        "Kytkin": "yes-no",
        "Numero": "number",
        "Lkm": "count",
        "Koodi": "code",
        "Tunnus": "identifier",
        "Määrä": "quantity",
        "Mitta": "quantity",
        "Prosentti": "quantity",
    }


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("FI = Suomi, \nSV = Ruotsi", {"FI": "Suomi", "SV": "Ruotsi"}),
        ("Sisäinen luokitus: 1 = mahdollista isää, 2 = toista äitiä", {"1": "mahdollista isää", "2": "toista äitiä"}),
        ("1 = Kyllä, jos ehto täyttyy\n2 = Ei", {"1": "Kyllä, jos ehto täyttyy", "2": "Ei"}),
        ("Luokan 5 alaluokat", {}),
        (
            "Sisäinen luokitus: 1 = Kyllä, 5 = Ei tietoa\nInternt kodsystem: 1 = Ja, 5 = Ingen uppgift",
            {"1": "Kyllä", "5": "Ei tietoa"},
        ),
    ],
)
def test_code_labels(text: str, labels: dict[str, str]) -> None:
    assert parse_code_labels(text) == labels


@settings(max_examples=40, deadline=None)
@given(structures())
def test_any_structure_the_format_allows_has_a_valid_form(structure: Structure) -> None:
    """Random structures, irregularities included (odd language lists, unknown representation labels, keywords
    that depart from the rules), give forms that validate against the format schema and cover every element."""
    form = build_form(structure)
    errors = list(FORMAT.iter_errors(form))
    assert not errors, errors[0].message
    assert len(list(nodes(form["root"]))) == structure.element_count + 1


def test_awkward_structure_has_a_valid_form() -> None:
    structure = awkward_structure()
    assert_form_matches(structure, build_form(structure))
