"""Examples with real codes: the catalog's lists (a dated one and a hierarchical one) give the codes and labels
of coded elements; codes another structure states fill elements that state none; where no list is known the
examples are as before (a placeholder label, nothing pretending to be real)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.codestore import CodeStore
from sosmeta.generators.code_choices import element_choices
from sosmeta.generators.examples import example_documents, maximal_document, minimal_document
from sosmeta.generators.validator.with_lists import ListedValidation
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.embedded import embedded_lists
from sosmeta.structures.model import Structure
from tests.codes_support import dated_list, hierarchical_list

pytestmark = pytest.mark.shared
FILE = "1.2.246.537.6.1506.9001.2023.5.31"
LISTS = CodeLists([dated_list(), hierarchical_list()])


@pytest.fixture(scope="module")
def structure(corpus_structures: list[Structure]) -> Structure:
    (found,) = [s for s in corpus_structures if s.version_oid == FILE]
    return found


def test_examples_draw_lasting_codes_and_their_names(structure: Structure) -> None:
    docs = [maximal_document(structure, 0, LISTS), *example_documents(structure, 30, 0, LISTS)]
    tasks = {(d["sosiaalihuollon_maksusitoumus"].get("palvelutehtava") or {}).get("code") for d in docs} - {None}
    assert tasks == {"10"}  # 20 expired in 2019, 30 begins in 2021, 40 is deleted: only 10 lasts 2018-2025
    services = [d["sosiaalihuollon_maksusitoumus"].get("sosiaalipalvelu") for d in docs]
    leaves = {"1.1": "Tukiasuminen", "1.2": "Palveluasuminen", "2.1": "Kotipalvelun tukipalvelut"}
    seen = {(s["code"], s["display"]) for s in services if s}
    assert seen and seen <= set(leaves.items())  # leaves of the hierarchy, with the list's Finnish names
    checks = ListedValidation("full", LISTS)
    for doc in docs:
        for day in (dt.date(2018, 1, 1), dt.date(2025, 12, 31)):
            checks.today = day
            assert not [f for f in checks.validate(structure, doc) if f.code.startswith("codelist.")]


def test_codes_another_structure_states_fill_an_element_stating_none(corpus_structures: list[Structure]) -> None:
    """Decision 11035's Ratkaisun laji (1.2.246.537.6.1248) states no codes; decision 11024's does."""
    (target,) = [s for s in corpus_structures if s.version_oid == "1.2.246.537.6.1506.11035.2023.5.31"]
    lists = CodeLists(embedded=embedded_lists(corpus_structures))
    located = target.by_path("paatos_oikeudesta_lastensuojelun_jalkihuoltoon/paatos/ratkaisun_laji")
    assert located is not None
    found = element_choices(located.element, lists)
    assert found is not None and found.source == "embedded"
    assert [(c.code, c.label("fi"), c.label("sv")) for c in found.choices] == [
        ("1", "Myönteinen ratkaisu", "Positivt beslut"),
        ("2", "Kielteinen ratkaisu", "Negativt beslut"),
    ]
    value = maximal_document(target, 0, lists)["paatos_oikeudesta_lastensuojelun_jalkihuoltoon"]["paatos"]
    assert (value["ratkaisun_laji"]["code"], value["ratkaisun_laji"]["display"]) in {
        ("1", "Myönteinen ratkaisu"),
        ("2", "Kielteinen ratkaisu"),
    }
    assert element_choices(located.element, None) is None


def test_without_a_known_list_examples_are_as_before(structure: Structure, corpus_structures: list[Structure]) -> None:
    empty = CodeLists(embedded=embedded_lists(corpus_structures))
    for s in corpus_structures[:20]:
        assert minimal_document(s, CodeLists()) == minimal_document(s)
        assert example_documents(s, 2, 1, CodeLists()) == example_documents(s, 2, 1)
    doc = maximal_document(structure, 0, empty)["sosiaalihuollon_maksusitoumus"]
    assert doc["palvelutehtava"]["display"] == f"Palvelutehtävä {doc['palvelutehtava']['code']}"  # a placeholder
    assert doc == maximal_document(structure, 0)["sosiaalihuollon_maksusitoumus"]


def test_a_stored_list_is_narrowed_to_the_elements_accepted_values(corpus_structures: list[Structure]) -> None:
    """11024's Ratkaisun laji accepts 1 and 2; a stored list of 1.2.246.537.6.1248 with more codes gives only
    those two, named as the list names them."""
    (decision,) = [s for s in corpus_structures if s.version_oid == "1.2.246.537.6.1506.11024.2023.5.31"]
    stored = hierarchical_list().model_copy(update={"classification": "1.2.246.537.6.1248"})
    located = decision.by_path("paatos_lapsen_huostassapidosta/ratkaisun_laji")
    assert located is not None and located.element.code_values
    found = element_choices(located.element, CodeLists([stored]))
    assert found is not None and found.source == "stored"
    assert [(c.code, c.label("sv")) for c in found.choices] == [("1", "Boendetjänster"), ("2", "Hemservice")]


def test_build_and_example_command_use_the_catalogs_lists(tmp_path: Path, structure: Structure) -> None:
    catalog = tmp_path / "catalog"
    Catalog(catalog).add(structure)
    CodeStore(catalog).write([dated_list(), hierarchical_list()])
    args = ["build", "--catalog", str(catalog), "--out", str(tmp_path / "out"), "--target", "examples"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    maximal = json.loads((tmp_path / "out" / "examples" / FILE / "maximal.json").read_text(encoding="utf-8"))
    assert maximal == maximal_document(structure, 0, LISTS)
    assert maximal["sosiaalihuollon_maksusitoumus"]["palvelutehtava"]["display"] == "Lastensuojelu"
    result = CliRunner().invoke(main, ["example", "--catalog", str(catalog), "--structure", FILE, "--kind", "maximal"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == maximal
