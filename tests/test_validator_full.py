"""Every `full`-mode rule, both sides: a document that keeps the rule passes, one that breaks it gets the finding.

Elements are taken from the real exports; the rules that matter for old exports (no pattern, no enum) are tested
on a copy of a real export with that keyword removed, loaded through the importer like any other file.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sosmeta.generators.examples import maximal_document
from sosmeta.generators.sosmeta_json import dump_structure
from sosmeta.generators.validator import Finding, compile_validator
from sosmeta.generators.validator.runtime import date_problem
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.identifiers import HETU_CHECKSUM, HETU_OK, HETU_TEMPORARY, hetu_problem, is_oid
from sosmeta.structures.model import Element, Located, Structure
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.shape import internal_system, with_standard_shape
from sosmeta.structures.texts import LangText
from tests.conftest import EXAMPLE, load_corpus_structure
from tests.docgen import DocumentGenerator, hetu, value_set_labels

pytestmark = pytest.mark.shared

Pick = Callable[[Element], bool]


def find(corpus: list[Path], pick: Pick, newest: bool = True) -> tuple[Structure, Located]:
    """The first element that `pick` accepts, searching the newest exports first."""
    for path in sorted(corpus, reverse=newest):
        structure = load_corpus_structure(path)
        for located in structure.rows():
            if pick(located.element):
                return structure, located
    pytest.fail("no element in the corpus for this rule")


def full_document(structure: Structure, seed: int = 1) -> Any:
    generator = DocumentGenerator(structure, optional=1.0, max_items=1, min_items=1)
    return generator.document(random.Random(seed))[0]


def place(doc: Any, located: Located) -> tuple[dict[str, Any], str, str]:
    """The object holding `located`'s value in `doc`, its key and its JSON pointer (first array item)."""
    holder, pointer = doc, ""
    for key in located.keys[:-1]:
        holder = holder[key]
        pointer += "/" + key
        if isinstance(holder, list):
            holder, pointer = holder[0], pointer + "/0"
    return holder, located.keys[-1], pointer + "/" + located.keys[-1]


def set_value(doc: Any, located: Located, value: Any, sub: str | None = None) -> str:
    holder, key, pointer = place(doc, located)
    if located.element.wrapper is not None:
        holder[key] = [value] if sub is None else holder[key]
        target, pointer = holder[key][0] if sub is not None else None, pointer + "/0"
    else:
        target = holder[key] if sub is not None else None
    if sub is None:
        if located.element.wrapper is None:
            holder[key] = value
        return pointer
    assert isinstance(target, dict)
    target[sub] = value
    return pointer + "/" + sub


def findings(structure: Structure, doc: Any, mode: str = "full") -> list[Finding]:
    return compile_validator(structure, mode).validate(doc)  # type: ignore[arg-type]


def codes_at(found: list[Finding], pointer: str) -> set[str]:
    return {f.code for f in found if f.pointer == pointer}


def without_keyword(structure: Structure, located: Located, sub: str | None, keyword: str, tmp_path: Path) -> Structure:
    """`structure` as an old export would have it: `keyword` removed from the element's (or sub-property's) node."""
    data = json.loads(dump_structure(structure))
    node = data["properties"][located.keys[0]]
    for key in located.keys[1:]:
        node = node["properties"][key]
        node = node.get("items", node) if node.get("type") == "array" else node
    if sub is not None:
        node = node["properties"][sub]
    del node[keyword]
    path = tmp_path / f"{structure.version_oid}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_structure(path)


# ---- dates and times -----------------------------------------------------------------------------------
def is_pvm(e: Element) -> bool:
    return e.representation is R.PVM and e.wrapper is None and e.pattern is not None


@pytest.mark.parametrize("value", ["2024-02-29", "2023-12-31", "2024", "2024-05", "-0044-03-15", "2000-02-29"])
def test_real_dates_pass(corpus: list[Path], value: str) -> None:
    structure, located = find(corpus, is_pvm)
    doc = full_document(structure)
    pointer = set_value(doc, located, value)
    assert not codes_at(findings(structure, doc), pointer)


@pytest.mark.parametrize("value", ["2023-02-29", "2024-02-31", "2024-01-00", "2024-04-31", "1900-02-29"])
def test_impossible_dates_fail_only_in_full_mode(corpus: list[Path], value: str) -> None:
    structure, located = find(corpus, is_pvm)
    doc = full_document(structure)
    pointer = set_value(doc, located, value)
    assert codes_at(findings(structure, doc), pointer) == {"date.calendar"}
    assert compile_validator(structure, "schema").is_valid(doc), "the export's pattern accepts it"
    assert not compile_validator(structure, "full").is_valid(doc)


def test_date_form_is_checked_when_the_export_has_no_pattern(corpus: list[Path], tmp_path: Path) -> None:
    structure, located = find(corpus, is_pvm)
    old = without_keyword(structure, located, None, "pattern", tmp_path)
    doc = full_document(old)
    pointer = set_value(doc, old.by_path(located.key_path) or located, "1.1.2019")
    assert codes_at(findings(old, doc), pointer) == {"date.format"}
    assert compile_validator(old, "schema").is_valid(doc)
    set_value(doc, located, "2019-01-01")
    assert not codes_at(findings(old, doc), pointer)


def test_datetime_calendar(corpus: list[Path]) -> None:
    structure, located = find(corpus, lambda e: e.representation is R.HETKI and e.wrapper is None)
    doc = full_document(structure)
    pointer = set_value(doc, located, "2024-02-29T23:59:59+03:00")
    assert not codes_at(findings(structure, doc), pointer)
    set_value(doc, located, "2023-02-29T10:00:00Z")
    assert codes_at(findings(structure, doc), pointer) == {"datetime.calendar"}


def test_datetime_form_is_checked_when_the_export_has_no_pattern(corpus: list[Path], tmp_path: Path) -> None:
    structure, located = find(corpus, lambda e: e.representation is R.HETKI and e.wrapper is None)
    old = without_keyword(structure, located, None, "pattern", tmp_path)
    doc = full_document(old)
    pointer = set_value(doc, located, "2024-01-01T10:00:00+03:00")
    assert not codes_at(findings(old, doc), pointer)
    for wrong in ("2024-01-01T10:00:00", "1.1.2024 klo 10", "2024-01-01T25:00:00Z"):
        set_value(doc, located, wrong)
        expected = "datetime.calendar" if "25:" in wrong else "datetime.format"
        assert codes_at(findings(old, doc), pointer) == {expected}, wrong
        assert compile_validator(old, "schema").is_valid(doc)


def test_date_problem_agrees_with_the_calendar() -> None:
    import datetime as dt

    day = dt.date(1899, 12, 25)
    while day.year < 2101:
        assert date_problem(day.isoformat()) == 0
        day += dt.timedelta(days=1)
    for year in (1900, 2023, 2100):
        assert date_problem(f"{year}-02-29") == 2
    assert date_problem("2024-13") == 2 and date_problem("2024-1-1") == 1


# ---- henkilötunnus -------------------------------------------------------------------------------------
def is_hetu(e: Element) -> bool:
    return e.representation is R.TUNNUS and e.system_uri_value == "urn:oid:1.2.246.21" and e.wrapper is None


def test_valid_identity_codes_pass(corpus: list[Path]) -> None:
    structure, located = find(corpus, is_hetu)
    rng = random.Random(5)
    for _ in range(200):
        doc = full_document(structure)
        pointer = set_value(doc, located, hetu(rng), "value")
        assert not codes_at(findings(structure, doc), pointer)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("131052-308U", "hetu.checksum"),  # check character of 131052-308T changed
        ("310223A0029", "hetu.date"),  # 31 February
        ("131052-000T", "hetu.individual"),
        ("131052/308T", "hetu.format"),  # not a century sign
        ("131052-3O8T", "hetu.format"),
        ("13105２-308T", "hetu.format"),  # full-width digit
        ("131052-308T ", "hetu.format"),
    ],
)
def test_broken_identity_codes_fail(corpus: list[Path], value: str, code: str) -> None:
    structure, located = find(corpus, is_hetu)
    doc = full_document(structure)
    pointer = set_value(doc, located, value, "value")
    found = [f for f in findings(structure, doc) if f.pointer == pointer]
    assert {f.code for f in found} == {code}
    assert all(value.strip() not in text for f in found for text in f.message.values()), "never repeat the value"
    assert compile_validator(structure, "schema").is_valid(doc)


def test_identity_code_rules_against_known_codes() -> None:
    # Published examples of the check character rule (DVV): 131052-308T; new century signs from 2023.
    assert hetu_problem("131052-308T") == HETU_OK
    assert hetu_problem("131052Y308T") == HETU_OK
    assert hetu_problem("010594Y9032") == HETU_TEMPORARY
    assert hetu_problem("010594Y9021") == HETU_TEMPORARY  # DVV example of the new signs
    assert hetu_problem("010594Y9022") == HETU_CHECKSUM


def test_temporary_identity_code_is_a_warning(corpus: list[Path]) -> None:
    structure, located = find(corpus, is_hetu)
    doc = full_document(structure)
    pointer = set_value(doc, located, "010594Y9032", "value")
    found = [f for f in findings(structure, doc) if f.pointer == pointer]
    assert [(f.code, f.severity) for f in found] == [("hetu.temporary", "warning")]
    assert compile_validator(structure).is_valid(doc)


def test_identity_code_system(corpus: list[Path]) -> None:
    structure, located = find(corpus, is_hetu)
    doc = full_document(structure)
    pointer = set_value(doc, located, "urn:oid:1.2.246.21", "system")
    assert not codes_at(findings(structure, doc), pointer)
    set_value(doc, located, "urn:oid:1.2.246.537.5.40", "system")
    assert codes_at(findings(structure, doc), pointer) == {"identifier.system"}


def test_identity_code_checked_where_the_document_names_the_system(corpus: list[Path]) -> None:
    structure, located = find(
        corpus,
        lambda e: (
            e.representation is R.TUNNUS and e.system_uri is None and e.sub("system") is not None and e.wrapper is None
        ),
    )
    doc = full_document(structure)
    set_value(doc, located, "urn:oid:1.2.246.21", "system")
    pointer = set_value(doc, located, "131052-308U", "value")
    assert codes_at(findings(structure, doc), pointer) == {"hetu.checksum"}
    set_value(doc, located, "131052-308T", "value")
    assert not codes_at(findings(structure, doc), pointer)


# ---- OIDs ----------------------------------------------------------------------------------------------
def test_oid_syntax_helper() -> None:
    assert is_oid("1.2.246.537.6.126") and is_oid("0.0") and is_oid("2.999")
    for bad in ("1", "3.1", "1.02", "1..2", "1.2.", "1.2.٣", "1.2.３", " 1.2", "1.2\n"):
        assert not is_oid(bad)


def is_oid_tunnus(e: Element) -> bool:
    return e.representation is R.TUNNUS and "OID" in e.fi_name and e.wrapper is None


@pytest.mark.parametrize("value", ["1.2.246.10.2048198.11.2002.3567", "urn:oid:1.2.246.10.1"])
def test_oid_valued_identifier_accepts_oids(corpus: list[Path], value: str) -> None:
    structure, located = find(corpus, is_oid_tunnus)
    doc = full_document(structure)
    pointer = set_value(doc, located, value, "value")
    assert not codes_at(findings(structure, doc), pointer)


@pytest.mark.parametrize("value", ["1.2.246.010", "OID 1.2.3", "1.2.246.١٠"])
def test_oid_valued_identifier_rejects_others(corpus: list[Path], value: str) -> None:
    structure, located = find(corpus, is_oid_tunnus)
    doc = full_document(structure)
    pointer = set_value(doc, located, value, "value")
    assert codes_at(findings(structure, doc), pointer) == {"oid.syntax"}


def is_coded(e: Element) -> bool:
    oid = e.classification_oid_value or ""
    return e.representation is R.KOODI and oid[:1].isdigit() and e.wrapper is None and not e.accepted_values


def test_code_system_with_leading_zero_arc(corpus: list[Path]) -> None:
    structure, located = find(corpus, lambda e: is_coded(e) and e.sub("system").pattern is not None)  # type: ignore[union-attr]
    oid = located.element.classification_oid_value
    doc = full_document(structure)
    pointer = set_value(doc, located, f"urn:oid:{oid}.12", "system")
    assert not codes_at(findings(structure, doc), pointer)
    set_value(doc, located, f"urn:oid:{oid}.012", "system")
    assert codes_at(findings(structure, doc), pointer) == {"oid.syntax"}
    assert compile_validator(structure, "schema").is_valid(doc)


def test_code_system_must_match_classification_in_old_exports(corpus: list[Path], tmp_path: Path) -> None:
    structure, located = find(corpus, lambda e: is_coded(e) and e.sub("system").pattern is not None)  # type: ignore[union-attr]
    old = without_keyword(structure, located, "system", "pattern", tmp_path)
    oid = located.element.classification_oid_value
    doc = full_document(old)
    pointer = set_value(doc, located, f"urn:oid:{oid}.3", "system")
    assert not codes_at(findings(old, doc), pointer)
    for wrong in (f"urn:oid:{oid}9", "urn:oid:1.2.246.537.6.1", f"{oid}"):
        set_value(doc, located, wrong, "system")
        assert codes_at(findings(old, doc), pointer) == {"code.system"}
        assert compile_validator(old, "schema").is_valid(doc)


def test_code_among_accepted_values_in_old_exports(corpus: list[Path], tmp_path: Path) -> None:
    structure, located = find(corpus, lambda e: bool(e.accepted_values) and e.wrapper is None)
    old = without_keyword(structure, located, "code", "enum", tmp_path)
    doc = full_document(old)
    pointer = set_value(doc, located, located.element.code_values[-1], "code")
    assert not codes_at(findings(old, doc), pointer)
    set_value(doc, located, "ZZZ", "code")
    assert codes_at(findings(old, doc), pointer) == {"code.value"}
    assert compile_validator(old, "schema").is_valid(doc)


def test_display_consistent_with_value_set(corpus: list[Path]) -> None:
    structure, located = find(
        corpus, lambda e: bool(value_set_labels(e)) and bool(e.accepted_values) and e.wrapper is None
    )
    labels = value_set_labels(located.element)
    code = next(c for c in located.element.code_values if c in labels)
    doc = full_document(structure)
    set_value(doc, located, code, "code")
    pointer = set_value(doc, located, labels[code], "display")
    assert not codes_at(findings(structure, doc), pointer)
    set_value(doc, located, "  " + labels[code].upper() + " ", "display")  # spacing and case do not matter
    assert not codes_at(findings(structure, doc), pointer)
    set_value(doc, located, "jotain muuta", "display")
    found = [f for f in findings(structure, doc) if f.pointer == pointer]
    assert [(f.code, f.severity) for f in found] == [("code.display", "warning")]
    assert compile_validator(structure).is_valid(doc)


# ---- phrases and conditions ------------------------------------------------------------------------------
def test_fixed_phrase_in_old_exports(corpus: list[Path], tmp_path: Path) -> None:
    structure, located = find(corpus, lambda e: e.representation is R.FRAASI and e.wrapper is None)
    old = without_keyword(structure, located, None, "enum", tmp_path)
    phrase = located.element.phrase
    assert phrase is not None
    doc = full_document(old)
    pointer = set_value(doc, located, phrase[0].value)
    assert not codes_at(findings(old, doc), pointer)
    sv = next((t.value for t in phrase if t.lang == "sv"), "annan text")
    set_value(doc, located, sv)
    assert codes_at(findings(old, doc), pointer) == {"phrase.text"}
    assert compile_validator(old, "schema").is_valid(doc)


def test_conditionally_required_missing_is_a_warning_with_the_condition(corpus: list[Path]) -> None:
    structure, located = find(corpus, lambda e: bool(e.conditional_required) and e.implementation_note is not None)
    doc = full_document(structure)
    holder, key, pointer = place(doc, located)
    assert not codes_at(findings(structure, doc), pointer)
    del holder[key]
    found = [f for f in findings(structure, doc) if f.pointer == pointer]
    assert [(f.code, f.severity, f.row) for f in found] == [
        ("conditional.missing", "warning", located.element.row_number)
    ]
    note = located.element.implementation_note
    assert note is not None
    condition = found[0].message["fi"].split("Ehto: ", 1)[1]
    assert condition and condition in " ".join(note[0].value.split()), "the condition is quoted from the note"
    assert ("Ehdollisesti pakollinen" in condition) == ("Ehdollisesti pakollinen" in note[0].value)
    assert found[0].name == located.element.fi_name
    assert compile_validator(structure).is_valid(doc)
    assert not findings(structure, doc, "schema")


# ---- the identity-code rule against python-stdnum ------------------------------------------------------
_HETU_ALPHABET = "0123456789"


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.builds(
            lambda body, sign, tail, check: body + sign + tail + check,
            st.text(alphabet=_HETU_ALPHABET, min_size=6, max_size=6),
            st.sampled_from("-+ABCDEFUVWXYZ/"),
            st.text(alphabet=_HETU_ALPHABET, min_size=3, max_size=3),
            st.sampled_from("0123456789ABCDEFHJKLMNPRSTUVWXYGIOQZ"),
        ),
        st.builds(lambda seed: hetu(random.Random(seed)), st.integers(0, 10**6)),
        st.text(alphabet="0123456789-+ABCFHXY", max_size=12),
    )
)
def test_identity_code_rule_agrees_with_stdnum(value: str) -> None:
    from stdnum.fi import hetu as reference

    problem = hetu_problem(value)
    assert (problem == HETU_OK) == reference.is_valid(value), value
    assert (problem in (HETU_OK, HETU_TEMPORARY)) == reference.is_valid(value, allow_temporary=True), value


def test_internal_code_system_follows_the_text_as_written_and_never_contradicts_the_schema() -> None:
    """An internal list whose classificationOid has odd spacing ("0 ") derives `system` from the text as
    written ("nolla_"), as the export's enum does; full mode must accept what the schema accepts."""
    structure = load_structure(EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json")
    located = structure.by_path("perhetyon_seurantamerkinta_esimerkki/tapaamiset/tapaamispaikka")
    assert located is not None and located.parent is not None

    def edit(element: Element) -> Element:
        if element is located.element:
            odd = element.model_copy(update={"classification_oid": (LangText(lang="", value="0 "),)})
            return with_standard_shape(odd)
        return element.model_copy(
            update={"members": tuple(edit(c) if isinstance(c, Element) else c for c in element.members)}
        )

    odd_structure = structure.model_copy(update={"document": edit(structure.document)})
    system = odd_structure.by_path(located.key_path).element.sub("system")  # type: ignore[union-attr]
    assert system is not None and system.enum == (internal_system("0 "),) == ("nolla_",)
    document = maximal_document(odd_structure)
    assert compile_validator(odd_structure, mode="schema").is_valid(document)
    assert compile_validator(odd_structure, mode="full").is_valid(document)
