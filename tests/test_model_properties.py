"""Property-based round trips of the model through the Sosmeta JSON writer and reader."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from sosmeta.generators.sosmeta_json import dump_structure
from sosmeta.sosmeta_import.sosmeta_json import parse_structure
from sosmeta.structures.model import Structure
from tests.model_strategies import structures

_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(structures())
def test_model_survives_write_and_read(structure: Structure) -> None:
    text = dump_structure(structure)
    again = parse_structure(text, "generated")
    assert again == structure
    assert dump_structure(again) == text


@_SETTINGS
@given(structures())
def test_written_text_follows_the_escaping_rule(structure: Structure) -> None:
    text = dump_structure(structure)
    for raw in "<>&='\u2028\u2029":
        assert raw not in text
    assert not text.endswith("\n")


@_SETTINGS
@given(structures())
def test_walk_visits_every_element_once_in_row_order(structure: Structure) -> None:
    located = list(structure.walk())
    assert located[0].element is structure.document
    assert len({loc.path for loc in located}) == len(located)
    for loc in located[1:]:
        assert structure.by_path(loc.path) is loc
        assert structure.by_path(loc.key_path) is loc
        assert structure.by_row(loc.element.row_number or -1) is loc
        assert loc.parent is not None and loc.element in loc.parent.element.children


def test_model_copy_does_not_keep_the_old_element_index() -> None:
    from sosmeta.sosmeta_import.sosmeta_json import load_structure
    from tests.conftest import EXAMPLE

    structure = load_structure(EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json")
    assert structure.by_row(1) is not None  # fills the cache
    changed_document = structure.document.model_copy(update={"members": structure.document.members[1:]})
    copy = structure.model_copy(update={"document": changed_document})
    assert copy.element_count < structure.element_count
    assert copy.by_row(1) is None and structure.by_row(1) is not None
