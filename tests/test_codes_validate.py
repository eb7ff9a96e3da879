"""Full-mode checks against stored code lists, on a real export: a list with validity dates (service task
1.2.246.537.6.1221) and a hierarchical one (social services 1.2.246.537.6.1222)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from sosmeta.generators.examples import maximal_document
from sosmeta.generators.validator import compile_validator
from sosmeta.generators.validator.code_lists import code_list_findings
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.embedded import embedded_lists
from sosmeta.structures.model import Structure
from tests.codes_support import SERVICE_TASK, SOCIAL_SERVICES, dated_list, hierarchical_list

FILE = "1.2.246.537.6.1506.9001.2023.5.31"
ROOT = "/sosiaalihuollon_maksusitoumus"
DAY = dt.date(2018, 6, 1)


@pytest.fixture(scope="module")
def structure(corpus_structures: list[Structure]) -> Structure:
    (found,) = [s for s in corpus_structures if s.version_oid == FILE]
    return found


def document(structure: Structure, task: tuple[str, str, str], service: tuple[str, str, str]) -> dict[str, Any]:
    doc = copy.deepcopy(maximal_document(structure, 0))
    body = doc["sosiaalihuollon_maksusitoumus"]
    body["palvelutehtava"] = dict(zip(("system", "code", "display"), task, strict=True))
    body["sosiaalipalvelu"] = dict(zip(("system", "code", "display"), service, strict=True))
    return doc


LISTS = CodeLists([dated_list("201601"), dated_list("202001"), hierarchical_list()])
GOOD_TASK = (f"urn:oid:{SERVICE_TASK}", "10", "Lastensuojelu")
GOOD_SERVICE = (f"urn:oid:{SOCIAL_SERVICES}", "1.1", "Stödboende")


def codes(
    structure: Structure, doc: dict[str, Any], lists: CodeLists = LISTS, on: dt.date = DAY
) -> list[tuple[str, str]]:
    return [(f.pointer, f.code) for f in code_list_findings(structure, doc, lists, on)]


def test_codes_in_the_lists_with_either_language_pass(structure: Structure) -> None:
    doc = document(structure, GOOD_TASK, GOOD_SERVICE)
    assert codes(structure, doc) == []
    assert compile_validator(structure).is_valid(doc)


def test_a_code_not_in_the_list(structure: Structure) -> None:
    doc = document(structure, (GOOD_TASK[0], "99", "Mikä tahansa"), (GOOD_SERVICE[0], "1.3", "x"))
    assert codes(structure, doc) == [
        (f"{ROOT}/palvelutehtava/code", "codelist.unknown"),
        (f"{ROOT}/sosiaalipalvelu/code", "codelist.unknown"),
    ]
    (finding, _) = code_list_findings(structure, doc, LISTS, DAY)
    assert finding.severity == "error" and finding.row is not None
    assert finding.message == {
        "fi": f"Palvelutehtävä (code): koodia ei ole koodistossa {SERVICE_TASK}@202001.",
        "sv": f"Serviceuppgift (code): koden finns inte i kodsystemet {SERVICE_TASK}@202001.",
        "en": f"Palvelutehtävä (code): the code is not in the code list {SERVICE_TASK}@202001.",
    }


def test_validity_on_the_documents_date(structure: Structure) -> None:
    expired = document(structure, (GOOD_TASK[0], "20", "Aikuissosiaalityö"), GOOD_SERVICE)
    assert codes(structure, expired, on=dt.date(2019, 12, 31)) == []
    assert codes(structure, expired, on=dt.date(2020, 1, 1)) == [(f"{ROOT}/palvelutehtava/code", "codelist.not_valid")]
    future = document(structure, (GOOD_TASK[0], "30", "Perhesosiaalityö"), GOOD_SERVICE)
    assert codes(structure, future, on=dt.date(2020, 12, 31)) == [(f"{ROOT}/palvelutehtava/code", "codelist.not_valid")]
    assert codes(structure, future, on=dt.date(2021, 1, 1)) == []
    deleted = document(structure, (GOOD_TASK[0], "40", "Poistettu tehtävä"), GOOD_SERVICE)
    assert codes(structure, deleted) == [(f"{ROOT}/palvelutehtava/code", "codelist.not_valid")]


def test_a_display_that_is_not_the_codes_name_is_a_warning(structure: Structure) -> None:
    doc = document(structure, (GOOD_TASK[0], "10", "  lastensuojelu "), (GOOD_SERVICE[0], "1", "Kotipalvelu"))
    found = code_list_findings(structure, doc, LISTS, DAY)
    assert [(f.pointer, f.code, f.severity) for f in found] == [
        (f"{ROOT}/sosiaalipalvelu/display", "codelist.display", "warning")
    ]


def test_the_version_suffix_of_system_chooses_the_version(structure: Structure) -> None:
    old_only = dated_list("201601").model_copy(
        update={"codes": (*dated_list().codes, dated_list().codes[0].model_copy(update={"code": "11"}))}
    )
    lists = CodeLists([old_only, dated_list("202001")])
    in_old = document(structure, (f"urn:oid:{SERVICE_TASK}.201601", "11", "Lastensuojelu"), GOOD_SERVICE)
    assert codes(structure, in_old, lists) == []
    assert codes(structure, document(structure, (GOOD_TASK[0], "11", "Lastensuojelu"), GOOD_SERVICE), lists) == [
        (f"{ROOT}/palvelutehtava/code", "codelist.unknown")
    ]
    unknown = document(structure, (f"urn:oid:{SERVICE_TASK}.209901", "10", "Lastensuojelu"), GOOD_SERVICE)
    found = code_list_findings(structure, unknown, lists, DAY)
    assert [(f.pointer, f.code, f.severity) for f in found] == [
        (f"{ROOT}/palvelutehtava/system", "codelist.version", "warning")
    ]
    assert (
        found[0].message["en"]
        == "Palvelutehtävä (system): the code list version is not a known one (known: 201601, 202001)."
    )


def test_nothing_is_checked_where_no_list_is_stored(structure: Structure, corpus_structures: list[Structure]) -> None:
    doc = document(structure, (GOOD_TASK[0], "99", "x"), (GOOD_SERVICE[0], "99", "x"))
    assert codes(structure, doc, CodeLists(embedded=embedded_lists(corpus_structures))) == []
    assert codes(structure, doc, CodeLists()) == []


def test_no_document_value_is_in_any_message(structure: Structure) -> None:
    secret = "SALAINEN-ARVO-912"
    doc = document(structure, (f"urn:oid:{SERVICE_TASK}.{secret}", secret, secret), (GOOD_SERVICE[0], "1", secret))
    found = code_list_findings(structure, doc, LISTS, DAY)
    assert {f.code for f in found} == {"codelist.version", "codelist.unknown", "codelist.display"}
    assert all(secret not in text for f in found for text in (*f.message.values(), f.pointer, f.name))
