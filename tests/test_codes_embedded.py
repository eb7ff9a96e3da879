"""The embedded default: codes the structures state become code lists; a stored list takes precedence;
`sosmeta codes lint` reports where the two disagree. Nothing is invented where a structure states no codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from sosmeta import cli
from sosmeta.codestore import CodeStore
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.conflicts import code_list_conflicts
from sosmeta.structures.codelists.embedded import element_codes, element_list, embedded_lists, is_coded
from sosmeta.structures.codelists.model import Code, CodeList
from sosmeta.structures.model import Structure
from tests.codes_support import PROVENANCE, dated_list
from tests.conftest import CORPUS

CANCELLATION = "1.2.246.537.6.126"
CANCELLATION_FILE = "1.2.246.537.6.1506.19006.2022.9.28.json"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_coded_elements_of_the_shared_structures_with_codes_from_the_structures_alone(
    corpus_structures: list[Structure],
) -> None:
    coded = [(s, loc) for s in corpus_structures for loc in s.walk() if is_coded(loc.element)]
    stated = [(s, loc) for s, loc in coded if element_codes(loc.element)]
    print(f"{len(stated)} of {len(coded)} coded elements of {len(corpus_structures)} structures state their codes")
    assert (len(corpus_structures), len(coded), len(stated)) == (62, 366, 54)
    for structure, located in stated:  # exactly the codes the element states, in its order, marked embedded
        made = element_list(structure, located)
        assert made is not None and made.embedded and made.version == "embedded"
        assert [c.code for c in made.codes] == [code for code, _ in element_codes(located.element)]
        assert set(located.element.code_values) <= {c.code for c in made.codes}


def test_an_embedded_list_has_the_labels_of_the_value_set(corpus_structures: list[Structure]) -> None:
    (structure,) = [s for s in corpus_structures if f"{s.version_oid}.json" == CANCELLATION_FILE]
    (located,) = [loc for loc in structure.walk() if loc.element.classification_oid_value == CANCELLATION]
    made = element_list(structure, located)
    assert made is not None
    assert [(c.code, c.names) for c in made.codes] == [
        ("Y30", {"fi": "Asiakkaasta johtuva syy"}),
        ("Y32", {"fi": "Organisaatiosta johtuva syy"}),
    ]
    assert made.provenance.files == (f"{structure.version_oid}#{located.key_path}",)
    merged = {c.classification: c for c in embedded_lists(corpus_structures)}
    assert {c.code for c in merged[CANCELLATION].codes} >= {"Y30", "Y32"}


def test_nothing_is_invented_where_a_structure_states_no_codes(corpus_structures: list[Structure]) -> None:
    lists = CodeLists(embedded=embedded_lists(corpus_structures))
    assert lists.bound("1.2.246.537.6.1221") is None  # the service-task list is on the code server only
    for structure in corpus_structures:
        for located in structure.walk():
            if is_coded(located.element) and not element_codes(located.element):
                assert lists.for_element(structure, located) is None


def test_a_stored_list_takes_precedence(corpus_structures: list[Structure]) -> None:
    (structure,) = [s for s in corpus_structures if f"{s.version_oid}.json" == CANCELLATION_FILE]
    (located,) = [loc for loc in structure.walk() if loc.element.classification_oid_value == CANCELLATION]
    stored = cancellation_list()
    lists = CodeLists([stored], embedded_lists(corpus_structures))
    assert lists.for_element(structure, located) == stored
    assert lists.bound(CANCELLATION) == stored
    assert CodeLists(embedded=embedded_lists(corpus_structures)).bound(CANCELLATION).embedded  # type: ignore[union-attr]


def cancellation_list() -> CodeList:
    return CodeList(
        classification=CANCELLATION,
        version="2008",
        name="THL - Palvelutapahtuman peruuntumisen tai siirtymisen syy",
        provenance=PROVENANCE,
        codes=(
            Code(code="Y30", names={"fi": "Asiakkaasta johtuva"}, status="ACTIVE", expires="2020-12-31"),
            Code(code="Y31", names={"fi": "Muu syy"}, status="ACTIVE"),
        ),
    )


def test_lint_reports_conflicts_between_stated_and_stored_codes(corpus_structures: list[Structure]) -> None:
    (structure,) = [s for s in corpus_structures if f"{s.version_oid}.json" == CANCELLATION_FILE]
    warnings = code_list_conflicts(structure, CodeLists([cancellation_list()]), today=dt.date(2025, 1, 1))
    assert sorted(w.code for w in warnings) == ["codes.ended_in_list", "codes.label_differs", "codes.not_in_list"]
    text = "\n".join(str(w) for w in warnings)
    assert "code Y32 is not in 1.2.246.537.6.126@2008 [codes.not_in_list]" in text
    assert "(Peruuntumisen syy)" in text
    assert code_list_conflicts(structure, CodeLists(), today=dt.date(2025, 1, 1)) == []


def test_cli_lint_list_and_show_embedded(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip("no shared exports")
    catalog = tmp_path / "c"
    assert run("import", str(CORPUS / CANCELLATION_FILE), "--catalog", str(catalog))[0] == 0
    code, out, _ = run("codes", "show", CANCELLATION, "--catalog", str(catalog))
    assert code == 0 and out.startswith(f"{CANCELLATION}@embedded") and "Y30  Asiakkaasta johtuva syy" in out
    code, out, _ = run("codes", "list", "--embedded", "--catalog", str(catalog))
    assert code == 0 and "embedded" in out
    assert run("codes", "lint", "--strict", "--catalog", str(catalog))[0] == 0
    CodeStore(catalog).write([cancellation_list(), dated_list()])
    code, out, _ = run("codes", "lint", "--strict", "--catalog", str(catalog))
    assert code == 1 and "[codes.not_in_list]" in out and out.splitlines()[-1] == "1 structure, 3 warnings"
    code, out, _ = run("codes", "show", CANCELLATION, "--catalog", str(catalog))
    assert out.startswith(f"{CANCELLATION}@2008")
    code, out, _ = run("codes", "show", f"{CANCELLATION}@embedded", "--catalog", str(catalog))
    assert out.startswith(f"{CANCELLATION}@embedded")
