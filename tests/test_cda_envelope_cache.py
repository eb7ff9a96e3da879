"""`build_envelope` with what it keeps between envelopes (defaults and code system names per structure and
profile, parts validated once by value) makes the same envelope as building it afresh, and refuses an invalid
envelope with the same located problems, whether or not its parts were seen before. The oracle is
`build_envelope` as it was: the defaults merged anew and one `Envelope.model_validate` of the plain data."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sosmeta.generators.cda import envelope as env
from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.envelope import Envelope, build_envelope, envelope_problems
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation
from tests.cda_strategies import envelopes
from tests.test_cda_envelope import ORG

_MANY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_MEMBERS = ["code", "display", "system", "system_name", "oid", "name", "product", "moderator", "version", "x"]
bad_texts = st.sampled_from(["", " ", "a b", "\x01", "1.2.3", "0.x", "K", m.CONFIDENTIALITY_SYSTEM, "ok"])
garbage = st.one_of(
    st.none(),
    st.integers(),
    st.booleans(),
    bad_texts,
    st.lists(bad_texts, max_size=2),
    st.dictionaries(
        st.sampled_from(_MEMBERS), st.one_of(bad_texts, st.none(), st.integers(), st.lists(bad_texts)), max_size=4
    ),
)
PART_NAMES = [name for name, _ in env._PARTS]


def _old_build(data: dict[str, Any], structure: Structure | None, profile: Organisation | None) -> Envelope:
    """`build_envelope` before anything was kept between calls."""
    lang = data.get("language", "fi") if isinstance(data.get("language"), str) else "fi"
    merged: dict[str, Any] = {}
    if structure is not None:
        merged.update(env.structure_defaults(structure))
    if profile is not None:
        merged.update(env.organisation_defaults(profile, lang))
    merged.update(data)
    if profile is not None:
        env._fill_unit_name(merged, profile, lang)
    if structure is not None:
        names = env._structure_names(structure)
        for item in env._FIXED_SYSTEM_ITEMS:
            name = names.get((item.system or "").rpartition(".")[0])
            *parents, last = (item.field or "").split(".")
            owner: Any = merged
            for part in parents:
                owner = owner.get(part) if isinstance(owner, dict) else None
            if name is None or not isinstance(owner, dict) or owner.get(last) is None:
                continue
            value = owner[last]
            if item.conv == "ke" and isinstance(value, bool):
                value = {"code": "K" if value else "E"}
            if isinstance(value, dict) and "system_name" not in value:
                if parents:
                    merged[parents[0]] = owner = {**owner}
                owner[last] = {**value, "system_name": name}
    return Envelope.model_validate(merged)


def _outcome(build: Any, data: dict[str, Any], structure: Structure | None, profile: Organisation | None) -> Any:
    try:
        made = build(data, structure, profile)
    except ValidationError as exc:
        return [(p.location, p.message, p.code) for p in envelope_problems(exc, "line 1")], exc.error_count()
    return made, made.model_dump(), made.model_fields_set


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Organisation:
    file = tmp_path_factory.mktemp("org") / "kunta.toml"
    file.write_text(ORG, encoding="utf-8")
    return env.load_organisation(file)


@_MANY
@given(data=st.data())
def test_kept_parts_make_the_same_envelope_or_the_same_problems(
    data: st.DataObject, corpus_structures: list[Structure], profile: Organisation
) -> None:
    """Any envelope, with any of its parts (and a few other fields) replaced by values that are not valid, with or
    without a structure and a profile: the same envelope or the same problems, on first sight and again."""
    structure = data.draw(st.sampled_from([None, *corpus_structures[:8]]), label="structure")
    oid = structure.version_oid if structure is not None else "1.2.246.537.6.1506.15007.2024.11.28"
    raw = data.draw(envelopes(oid), label="envelope").model_dump(mode="json", exclude_none=True)
    for name in data.draw(st.lists(st.sampled_from([*PART_NAMES, "client", "language", "document_id"])), label="bad"):
        raw[name] = data.draw(garbage, label=name)
    if data.draw(st.booleans(), label="drop defaults"):
        for name in ("specific_type", "document_group", "general_type", "register_keeper", "service_unit"):
            raw.pop(name, None)
    chosen = data.draw(st.sampled_from([None, profile]), label="profile")
    expected = _outcome(_old_build, raw, structure, chosen)
    assert _outcome(build_envelope, raw, structure, chosen) == expected
    assert _outcome(build_envelope, raw, structure, chosen) == expected  # the parts now kept


def test_a_part_validated_once_is_shared_and_an_invalid_one_is_reported_every_time(
    corpus_structures: list[Structure],
) -> None:
    structure = corpus_structures[0]
    base = {
        "document_id": "1.2.3.4",
        "drafting_time": "2024-01-02T03:04:05+02:00",
        "creation_time": "2024-01-02T03:04:05+02:00",
        "client": {"id": "131052-308T"},
        "register_keeper": {"oid": "1.2.246.10.1234567.10.0", "name": "Kunta"},
        "confidentiality": {"code": "6", "system": m.CONFIDENTIALITY_SYSTEM},
    }
    first, second = build_envelope(base, structure), build_envelope({**base, "document_id": "1.2.3.5"}, structure)
    assert first.register_keeper is second.register_keeper
    assert first.confidentiality.system is None and first.confidentiality == second.confidentiality
    for _ in range(2):
        with pytest.raises(ValidationError) as caught:
            build_envelope({**base, "register_keeper": {"oid": "1.2.x", "name": "Kunta"}}, structure)
        assert [e["loc"] for e in caught.value.errors()] == [("register_keeper", "oid")]
        with pytest.raises(ValidationError) as caught:  # valid alone; the envelope fixes its code system
            build_envelope({**base, "confidentiality": {"code": "6", "system": "1.2.3"}}, structure)
        assert "confidentiality: the code system must be" in caught.value.errors()[0]["msg"]


def test_the_kept_defaults_are_never_changed_by_building(corpus_structures: list[Structure]) -> None:
    """Every structure: its kept defaults stay what `structure_defaults` gives after envelopes took them and got
    code system names filled in."""
    for structure in corpus_structures:
        data = {"document_id": "1.2.3", "drafting_time": "2024-01-02T03:04:05+02:00", "client": {"id": "131052-308T"}}
        with pytest.raises(ValidationError):
            build_envelope(data, structure)  # no creation time, no register keeper
        assert env._known(structure).defaults == env.structure_defaults(structure)
