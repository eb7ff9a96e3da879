"""`sosmeta org new`: the starting template passes the check as written, and still passes (no errors) with
every commented rule and omission switched on, for every shared structure and for random ones."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from sosmeta.generators.forms.conformance import check_organisation
from sosmeta.generators.forms.scaffold import organisation_template
from sosmeta.sosmeta_import.organisation import load_organisation
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import resolve_path
from tests.conftest import load_corpus_structure
from tests.model_strategies import structures

_SWITCHES = re.compile(r"^(\s*)# (\[template\.elements\.|instructions = |codes = |default = |max_items = |\")", re.M)


def switched_on(text: str) -> str:
    """The template with every commented omission and element rule uncommented."""
    return _SWITCHES.sub(r"\1\2", text)


def check(structure: Structure, tmp_path: Path) -> None:
    text = organisation_template(structure)
    for name, body in (("as-written.toml", text), ("everything.toml", switched_on(text))):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        org = load_organisation(path)
        errors = [f for f in check_organisation(org, [structure]) if f.severity == "error"]
        assert errors == [], (name, errors[:3])
    (template,) = org.templates
    optional = [loc for loc in structure.rows() if not loc.element.is_required]
    assert len(template.omit) == len(optional)  # every optional element offered, nothing required
    assert all(resolve_path(structure, p) is not None for p in template.paths())


def test_shared_structures(corpus_path: Path, tmp_path: Path) -> None:
    check(load_corpus_structure(corpus_path), tmp_path)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(structures())
def test_random_structures(tmp_path: Path, structure: Structure) -> None:
    check(structure, tmp_path)
