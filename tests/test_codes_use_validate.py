"""`sosmeta validate` (full mode) and `sosmeta lint` with the catalog's stored code lists, on a real export:
a list with validity dates (service task) and a hierarchical one (social services), imported through the
real `codes import` from csapi pages and a CSV file."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.codestore import CodeStore
from sosmeta.generators.examples import maximal_document
from sosmeta.generators.validator import compile_validator
from sosmeta.generators.validator.document_date import DATE_KEYS, date_element, document_date
from sosmeta.generators.validator.with_lists import ListedValidation
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.model import Structure
from tests.codes_support import SERVICE_TASK, SOCIAL_SERVICES, dated_list, hierarchical_list, write_csv, write_pages

pytestmark = pytest.mark.shared
FILE = "1.2.246.537.6.1506.9001.2023.5.31"
ROOT = "/sosiaalihuollon_maksusitoumus"


@pytest.fixture(scope="module")
def structure(corpus_structures: list[Structure]) -> Structure:
    (found,) = [s for s in corpus_structures if s.version_oid == FILE]
    return found


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory, structure: Structure) -> Path:
    """A catalog with the export and both lists, stored by `codes import`."""
    root = tmp_path_factory.mktemp("codes-use")
    Catalog(root / "catalog").add(structure)
    files = root / "files"
    files.mkdir()
    pages = write_pages(dated_list("201601"), files)
    table = write_csv(hierarchical_list(), files / "sosiaalipalvelut.csv", delimiter=";")
    args = ["codes", "import", *map(str, pages), str(table), "--catalog", str(root / "catalog")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return root / "catalog"


def document(structure: Structure, task: tuple[str, str], service: tuple[str, str], day: str | None) -> dict[str, Any]:
    doc = copy.deepcopy(maximal_document(structure, 0))
    body = doc["sosiaalihuollon_maksusitoumus"]
    body["palvelutehtava"] = {"system": f"urn:oid:{SERVICE_TASK}", "code": task[0], "display": task[1]}
    body["sosiaalipalvelu"] = {"system": f"urn:oid:{SOCIAL_SERVICES}", "code": service[0], "display": service[1]}
    if day is None:
        body.pop("paivamaara", None)
    else:
        body["paivamaara"] = day
    return doc


def validate(catalog: Path, tmp_path: Path, doc: Any, *extra: str) -> tuple[int, list[tuple[str, str]]]:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--catalog", str(catalog), "--format", "json", *extra, str(path)])
    assert result.exit_code in (0, 1), result.output
    (record,) = json.loads(result.output)
    # the example's test identity codes (individual number 900-999) are warned about: not what is tested here
    return result.exit_code, [(f["pointer"], f["code"]) for f in record["findings"] if f["code"] != "hetu.temporary"]


def test_the_document_date_rule_on_the_shared_structures(corpus_structures: list[Structure]) -> None:
    dated = [s for s in corpus_structures if date_element(s) is not None]
    assert len(dated) == 56 and len(corpus_structures) == 62
    for structure in dated:
        keys = date_element(structure)
        assert keys is not None and keys[-1] in DATE_KEYS and structure.by_path("/".join(keys)) is not None
    decision = next(s for s in corpus_structures if s.version_oid == "1.2.246.537.6.1506.11024.2023.5.31")
    assert date_element(decision) == ("paatos_lapsen_huostassapidosta", "paatospaivamaara")


def test_the_document_date_is_read_only_when_it_is_a_real_date(structure: Structure) -> None:
    keys = date_element(structure)
    assert keys == ("sosiaalihuollon_maksusitoumus", "paivamaara")
    good = document(structure, ("10", "Lastensuojelu"), ("1.1", "Tukiasuminen"), "2019-12-31")
    assert document_date(good, keys) == dt.date(2019, 12, 31)
    for day in ("2019-02-30", "31.12.2019", "2019-12-31T10:00", None):
        assert document_date(document(structure, ("10", "x"), ("1", "x"), day), keys) is None
    assert document_date([], keys) is None and document_date(good, None) is None


def test_validate_checks_codes_on_the_documents_date(catalog: Path, tmp_path: Path, structure: Structure) -> None:
    ok = document(structure, ("20", "Aikuissosiaalityö"), ("1.1", "Stödboende"), "2019-12-31")
    assert validate(catalog, tmp_path, ok) == (0, [])
    late = document(structure, ("20", "Aikuissosiaalityö"), ("1.1", "Stödboende"), "2020-01-01")
    assert validate(catalog, tmp_path, late) == (1, [(f"{ROOT}/palvelutehtava/code", "codelist.not_valid")])
    undated = document(structure, ("20", "Aikuissosiaalityö"), ("1.1", "Stödboende"), None)  # today: expired
    assert validate(catalog, tmp_path, undated) == (1, [(f"{ROOT}/palvelutehtava/code", "codelist.not_valid")])
    # a date that is no date is reported by the validator itself, and codes are checked on today
    broken = document(structure, ("30", "Perhesosiaalityö"), ("2.1", "Kotipalvelun tukipalvelut"), "2019-02-30")
    code, found = validate(catalog, tmp_path, broken)
    assert code == 1 and (f"{ROOT}/paivamaara", "date.calendar") in found
    assert not any(c.startswith("codelist.") for _, c in found)


def test_validate_reports_unknown_codes_of_both_lists_in_document_order(
    catalog: Path, tmp_path: Path, structure: Structure
) -> None:
    doc = document(structure, ("99", "Lastensuojelu"), ("1.3", "Asumispalvelut"), "2018-01-01")
    doc[ROOT[1:]]["paivamaara"] = 7  # a schema finding after both code findings
    code, found = validate(catalog, tmp_path, doc)
    assert code == 1
    assert found == [
        (f"{ROOT}/palvelutehtava/code", "codelist.unknown"),
        (f"{ROOT}/sosiaalipalvelu/code", "codelist.unknown"),
        (f"{ROOT}/paivamaara", "schema.type"),
    ]
    # a parent code of the hierarchy is a code of the list; a wrong display is a warning only
    doc = document(structure, ("10", "Barnskydd"), ("1", "Boendetjänster x"), "2018-01-01")
    assert validate(catalog, tmp_path, doc) == (0, [(f"{ROOT}/sosiaalipalvelu/display", "codelist.display")])


def test_schema_mode_and_a_catalog_without_lists_check_no_codes(
    catalog: Path, tmp_path: Path, structure: Structure
) -> None:
    doc = document(structure, ("99", "x"), ("99", "x"), "2018-01-01")
    assert validate(catalog, tmp_path, doc, "--mode", "schema") == (0, [])
    bare = tmp_path / "bare"
    Catalog(bare).add(structure)
    assert validate(bare, tmp_path, doc) == (0, [])


def test_listed_validation_merges_in_document_order(structure: Structure) -> None:
    lists = CodeLists([dated_list(), hierarchical_list()])
    checks = ListedValidation("full", lists, today=dt.date(2018, 1, 1))
    doc = document(structure, ("99", "x"), ("2", "Hemservice"), None)
    doc[ROOT[1:]]["vastaanottajan_nimi"] = 5  # row 1: before the codes
    doc[ROOT[1:]]["lisatiedot"] = 5  # row 34: after them
    assert [(f.pointer, f.code) for f in checks.validate(structure, doc) if f.code != "hetu.temporary"] == [
        (f"{ROOT}/vastaanottajan_nimi", "schema.type"),
        (f"{ROOT}/palvelutehtava/code", "codelist.unknown"),
        (f"{ROOT}/lisatiedot", "schema.type"),
    ]
    assert ListedValidation("schema", lists).validate(structure, doc) == compile_validator(
        structure, "schema"
    ).validate(doc)


def test_lint_reports_the_conflicts_codes_lint_finds(tmp_path: Path, corpus_structures: list[Structure]) -> None:
    """The decision structure states codes 1 and 2 of 1.2.246.537.6.1248 (Ratkaisun laji); a stored list without 2
    and with another name for 1 conflicts with it twice."""
    (decision,) = [s for s in corpus_structures if s.version_oid == "1.2.246.537.6.1506.11024.2023.5.31"]
    Catalog(tmp_path / "catalog").add(decision)
    one = dated_list().codes[0].model_copy(update={"code": "1"})
    solution = dated_list().model_copy(update={"classification": "1.2.246.537.6.1248", "codes": (one,)})
    CodeStore(tmp_path / "catalog").write([solution, hierarchical_list()])
    run = CliRunner().invoke
    expected = run(main, ["codes", "lint", "--catalog", str(tmp_path / "catalog")])
    result = run(main, ["lint", "--catalog", str(tmp_path / "catalog")])
    assert result.exit_code == 0, result.output
    conflicts = [line.strip() for line in result.output.splitlines() if "[codes." in line]
    assert conflicts == [line.strip() for line in expected.output.splitlines() if "[codes." in line]
    assert sorted(line.rsplit("[", 1)[1] for line in conflicts) == [
        "codes.label_differs]",
        "codes.label_differs]",
        "codes.not_in_list]",
    ]
    assert run(main, ["lint", "--catalog", str(tmp_path / "catalog"), "--strict"]).exit_code == 1
    assert "codes.not_in_list" in run(main, ["lint", "--codes"]).output


def test_a_damaged_or_moved_store_file_ends_validate_with_one_located_line(
    tmp_path: Path, structure: Structure
) -> None:
    catalog = tmp_path / "catalog"
    Catalog(catalog).add(structure)
    CodeStore(catalog).write([dated_list("201601")])
    store_file = catalog / "codes" / SERVICE_TASK / "201601.json"
    doc = document(structure, ("10", "Lastensuojelu"), ("1", "Asumispalvelut"), "2018-01-01")
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    moved = catalog / "codes" / SERVICE_TASK / "202001.json"
    store_file.rename(moved)  # holds version 201601 at the place of 202001
    for broken in (moved, store_file):
        result = CliRunner().invoke(main, ["validate", "--catalog", str(catalog), str(path)])
        assert result.exit_code == 2, result.output
        (line,) = result.output.strip().splitlines()
        assert line.startswith(f"error: {broken}: ") and "Traceback" not in result.output
        if broken is moved:
            moved.rename(store_file)
            store_file.write_text("[1, 2", encoding="utf-8")  # not JSON at all
    result = CliRunner().invoke(main, ["validate", "--catalog", str(catalog), "--mode", "schema", str(path)])
    assert result.exit_code == 2  # the store is read in either mode: a damaged catalog is never passed over


def test_a_copy_of_a_list_looks_codes_up_in_its_own_codes() -> None:
    """Lookups use an index made once per list; a copy with other codes must not see the original's."""
    original = dated_list()
    assert original.get("20") is not None
    fewer = original.model_copy(update={"codes": original.codes[:1]})
    assert fewer.get("20") is None and fewer.get("10") is not None and original.get("20") is not None
