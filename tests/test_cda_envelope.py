"""The envelope: identity codes and OIDs are checked, defaults come from the structure and the organisation
file, and errors name the field, never the value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from pydantic import ValidationError

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.envelope import (
    Envelope,
    build_envelope,
    hetu_problem,
    load_organisation,
    structure_defaults,
)
from sosmeta.structures.identifiers import check_oid
from sosmeta.structures.model import Structure
from tests.cda_strategies import hetus
from tests.conftest import load_corpus_structure

T = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
BASE = {
    "document_id": "1.2.3.4",
    "title": "Otsikko",
    "drafting_time": T,
    "creation_time": T,
    "content_specification_id": "1.2.246.537.6.1506.15007.2024.11.28",
    "client": {"id": "131052-308T"},
    "author": {"time": T},
    "register_keeper": {"oid": "1.2.246.10.1234567.10.0", "name": "Kunta"},
}

ORG = """
[organisation]
name = { fi = "Esimerkkikunta", sv = "Exempelkommun" }
oid = "1.2.246.10.1234567.10.0"
[organisation.service_organiser]
oid = "1.2.246.10.1234567.10.1"
name = { fi = "Sosiaalipalvelut", sv = "Socialtjänsten" }
[[organisation.service_units]]
oid = "1.2.246.10.1234567.10.2"
name = { fi = "Perhetyö", sv = "Familjearbete" }
[[organisation.service_units]]
oid = "1.2.246.10.1234567.10.3"
name = { fi = "Lastensuojelu", sv = "Barnskydd" }
[organisation.letterhead]
fi = "Esimerkkikunnan sosiaalipalvelut"
sv = "Exempelkommunens socialtjänst"
"""


def test_identity_codes() -> None:
    # the published example 131052-308T, and the same person with each century sign of the 1900s
    assert hetu_problem("131052-308T") is None
    assert hetu_problem("131052Y308T") is None
    assert hetu_problem("131052-308U") == "personal identity code has a wrong check character"
    assert hetu_problem("311352-308T") == "personal identity code has an impossible birth date"
    assert hetu_problem("13105-308T") is not None
    assert hetu_problem("131052G308T") is not None


@given(hetus())
def test_generated_identity_codes_are_accepted(code: str) -> None:
    assert hetu_problem(code) is None
    assert hetu_problem(code[:-1] + ("A" if code[-1] != "A" else "B")) is not None


def test_errors_name_the_field_never_the_value() -> None:
    with pytest.raises(ValidationError) as caught:
        Envelope.model_validate({**BASE, "client": {"id": "131052-308U"}})
    errors = caught.value.errors(include_input=False)
    assert [e["loc"] for e in errors] == [("client", "id")]
    assert "308U" not in str(errors)


@pytest.mark.parametrize("bad", ["1.02.3", "1", "a.b", "1.2.", "3.1", "1.2.٣"])
def test_oids_are_checked(bad: str) -> None:
    with pytest.raises(ValueError):
        check_oid(bad)
    with pytest.raises(ValidationError):
        Envelope.model_validate({**BASE, "document_id": bad})


def test_times_need_a_zone_and_whole_seconds() -> None:
    for bad in (T.replace(tzinfo=None), T.replace(microsecond=5)):
        with pytest.raises(ValidationError):
            Envelope.model_validate({**BASE, "drafting_time": bad})


def test_texts_must_be_representable_in_xml() -> None:
    with pytest.raises(ValidationError):
        Envelope.model_validate({**BASE, "title": "a\x00b"})


def test_published_code_systems_are_fixed() -> None:
    same = Envelope.model_validate({**BASE, "confidentiality": {"code": "6", "system": m.CONFIDENTIALITY_SYSTEM}})
    assert same.confidentiality.system is None
    with pytest.raises(ValidationError):
        Envelope.model_validate({**BASE, "confidentiality": {"code": "6", "system": "1.2.3"}})


def test_set_id_defaults_to_the_document_id() -> None:
    assert Envelope.model_validate(BASE).set_id == "1.2.3.4"


def test_structure_defaults(corpus_path: Path) -> None:
    structure: Structure = load_corpus_structure(corpus_path)
    defaults = structure_defaults(structure)
    assert "title" not in defaults  # a title only when the envelope gives one (real traffic has none)
    assert defaults["content_specification_id"] == structure.version_oid
    arcs = structure.version_oid.split(".")
    if arcs[5] == "1506":
        assert defaults["specific_type"]["code"] == arcs[6]
        assert "document_group" not in defaults
    else:
        assert defaults["document_group"]["code"] == arcs[6]
    assert ("general_type" in defaults) == (structure.document_type in m.GENERAL_TYPES)


def test_organisation_file_defaults(tmp_path: Path, corpus_structures: list[Structure]) -> None:
    file = tmp_path / "kunta.toml"
    file.write_text(ORG, encoding="utf-8")
    profile = load_organisation(file)
    data = {k: v for k, v in BASE.items() if k not in ("register_keeper", "title", "content_specification_id")}
    structure = corpus_structures[0]
    envelope = build_envelope(
        {**data, "language": "sv", "service_unit": {"oid": "1.2.246.10.1234567.10.3"}}, structure, profile
    )
    assert envelope.register_keeper.name == "Exempelkommun"
    assert envelope.service_organiser is not None and envelope.service_organiser.name == "Socialtjänsten"
    assert envelope.service_unit is not None and envelope.service_unit.name == "Barnskydd"
    assert envelope.title is None
    given = build_envelope({**data, "title": "Oma"}, structure, profile)
    assert given.title == "Oma" and given.service_unit is None  # two units: the envelope must say which


def test_the_user_documentation_lists_every_mapping_item() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "cda.md").read_text(encoding="utf-8")
    for item in m.HEADER:
        place = item.path + (f"@{item.attr}" if item.attr and item.conv != "fixed" else "")
        assert f"`{place}`" in text, place


def test_the_documented_envelope_example_is_valid(corpus_structures: list[Structure]) -> None:
    import json
    import re

    text = (Path(__file__).resolve().parent.parent / "docs" / "cda.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", text, re.DOTALL).group(1))  # type: ignore[union-attr]
    structure = next(s for s in corpus_structures if s.version_oid == example["content_specification_id"])
    envelope = build_envelope(example, structure)
    assert envelope.title is None and envelope.specific_type is not None
