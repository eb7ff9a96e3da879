"""`cda check` checks header codes against the catalog's stored lists, and `sosmeta diff` reports what a change
of a bound list's version does to documents: on real exports, a list with validity dates (service task) and
a hierarchical one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.codestore import CodeStore
from sosmeta.generators.cda import codesystems as cs
from sosmeta.generators.cda.envelope import Code
from sosmeta.generators.cda.preflight import Message, check
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.model import Code as ListCode
from sosmeta.structures.compat.categories import B, F
from sosmeta.structures.compat.code_lists import list_version_findings, split_version
from tests.cda_frame_support import PLAN, encoded, make_catalog
from tests.codes_support import SERVICE_TASK, dated_list, hierarchical_list
from tests.conftest import CORPUS

pytestmark = pytest.mark.shared
FILE_FORMAT = cs.FILE_FORMAT.oid.rpartition(".")[0]  # 1.2.246.537.6.1502, version 201601


def formats() -> object:
    """The hierarchical list as the display form's file-format list (codes 1, 1.1, 1.2, 2, 2.1)."""
    return hierarchical_list().model_copy(update={"classification": FILE_FORMAT, "version": "201601"})


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    root = make_catalog(tmp_path_factory.mktemp("cda-codes") / "catalog")
    CodeStore(root).write([dated_list("201601"), formats()])  # type: ignore[list-item]
    return Catalog(root)


def found(catalog: Catalog, document: bytes) -> list[tuple[str, str, str]]:
    report = check(Message(document, "doc.xml"), catalog, signatures=False)
    return [(f.location, f.code, f.severity) for f in report.findings if f.code.startswith("check.code_")]


LSH = "/ClinicalDocument/hl7fi:localHeader"


def test_header_codes_are_checked_against_the_stored_lists(catalog: Catalog) -> None:
    # the example envelope's document is dated 2024-11-28: code 20 ended in 2019, 30 began in 2021
    assert found(catalog, encoded(PLAN, service_task=Code(code="30", display="Perhesosiaalityö"))) == []
    ended = found(catalog, encoded(PLAN, service_task=Code(code="20", display="Aikuissosiaalityö")))
    assert [(code, severity) for _, code, severity in ended] == [("check.code_not_valid", "error")]
    assert ended[0][0].endswith("functionCode/@code")
    unknown = found(catalog, encoded(PLAN, service_task=Code(code="99")))
    assert [c for _, c, _ in unknown] == ["check.code_unknown"]
    renamed = found(catalog, encoded(PLAN, service_task=Code(code="10", display="Barnskydd ")))
    assert renamed == []  # the Swedish name counts, spacing aside
    renamed = found(catalog, encoded(PLAN, service_task=Code(code="10", display="Lastensuojeluilmoitus")))
    assert [(c, s) for _, c, s in renamed] == [("check.code_display", "warning")]
    # the file format (hierarchical list): code 2 is a top-level code of the stored list
    assert not [f for f in found(catalog, encoded(PLAN)) if "fileFormat" in f[0]]


def test_a_code_system_version_not_stored_is_a_warning_and_the_newest_is_checked(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog")
    CodeStore(root).write([dated_list("202001")])
    got = found(Catalog(root), encoded(PLAN, service_task=Code(code="99")))
    assert [c for _, c, _ in got] == ["check.code_list_version", "check.code_unknown"]
    report = check(Message(encoded(PLAN, service_task=Code(code="99")), "doc.xml"), Catalog(root), signatures=False)
    (message,) = [f.message for f in report.findings if f.code == "check.code_list_version"]
    assert message["en"].endswith("(known: 202001); checked against the newest.") and "99" not in message["en"]


def test_no_list_stored_no_code_findings(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog")
    assert found(Catalog(root), encoded(PLAN, service_task=Code(code="99"))) == []


def test_cda_check_command_reports_them(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "doc.xml"
    path.write_bytes(encoded(PLAN, service_task=Code(code="20")))
    result = CliRunner().invoke(main, ["cda", "check", str(path), "--catalog", str(catalog.root), "--skip-signatures"])
    assert result.exit_code == 1
    assert "[check.code_not_valid]" in result.output and "1.2.246.537.6.1221@201601" in result.output


# ---- sosmeta diff ---------------------------------------------------------------------------------------------------
EXPORT = CORPUS / "1.2.246.537.6.1506.9001.2023.5.31.json"


def bound_to(folder: Path, version: str) -> Path:
    """The real export with its service task bound to one version of the list (the classificationOid's suffix)."""
    text = EXPORT.read_text(encoding="utf-8")
    place = f'"value": "{SERVICE_TASK}"\n'
    assert text.count(place) == 1
    path = folder / f"maksusitoumus-{version}.json"
    path.write_text(text.replace(place, f'"value": "{SERVICE_TASK}.{version}"\n'), encoding="utf-8")
    return path


def newer() -> object:
    """Version 202001 of the dated list: 20 gone, 30 deleted, 50 added."""
    old = dated_list("202001")
    kept = tuple(c for c in old.codes if c.code in ("10", "30", "40"))
    kept = tuple(
        c.model_copy(update={"status": "DELETED", "expires": "2022-12-31"}) if c.code == "30" else c for c in kept
    )
    return old.model_copy(update={"codes": (*kept, ListCode(code="50", names={"fi": "Uusi tehtävä"}, status="ACTIVE"))})


def test_split_version_only_where_the_store_knows_the_list() -> None:
    lists = CodeLists([dated_list(), hierarchical_list()])
    assert split_version(f"{SERVICE_TASK}.201601", lists) == (SERVICE_TASK, "201601")
    assert split_version(SERVICE_TASK, lists) == (SERVICE_TASK, None)
    assert split_version("1.2.246.537.6.1223", lists) is None  # a neighbour of 1.2.246.537.6.1222, not a version


def test_diff_reports_what_a_list_version_change_does(tmp_path: Path) -> None:
    old, new = (load_structure(bound_to(tmp_path, v)) for v in ("201601", "202001"))
    lists = CodeLists([dated_list("201601"), newer()])  # type: ignore[list-item]
    (finding,) = list_version_findings(old, new, lists)
    assert finding.rule == "CODE_LIST_VERSION_CHANGED" and finding.path.endswith("/palvelutehtava")
    assert finding.categories == {B, F}
    assert finding.message("en") == (
        f"Palvelutehtävä: code list version {SERVICE_TASK}.201601 -> {SERVICE_TASK}.202001 "
        f"({SERVICE_TASK}@201601 -> {SERVICE_TASK}@202001: removed 20; expired 30; added 50)"
    )
    assert [(c.category, c.note) for c in finding.counterexamples] == [
        (B, "old documents with code 20, 30 are refused in full mode"),
        (F, "documents with code 50 are refused by the old list"),
    ]
    assert list_version_findings(old, old, lists) == []
    unstored = list_version_findings(old, new, CodeLists([dated_list("201601")]))
    assert [f.detail for f in unstored] == [f" ({SERVICE_TASK}: version 202001 not stored; codes not compared)"]
    assert unstored[0].categories == frozenset()
    assert list_version_findings(old, new, CodeLists([hierarchical_list()])) == []  # the list is not stored


def test_diff_command_uses_the_catalogs_lists(tmp_path: Path) -> None:
    old_file, new_file = bound_to(tmp_path, "201601"), bound_to(tmp_path, "202001")
    catalog = tmp_path / "catalog"
    Catalog(catalog).add(load_structure(old_file))
    CodeStore(catalog).write([dated_list("201601"), newer()])  # type: ignore[list-item]
    args = ["diff", str(old_file), str(new_file), "--format", "json", "--no-proof"]
    plain = CliRunner().invoke(main, args)
    assert "CODE_LIST_VERSION_CHANGED" not in plain.output  # no catalog, no lists
    result = CliRunner().invoke(main, [*args, "--catalog", str(catalog)])
    assert "CODE_LIST_VERSION_CHANGED" in result.output, result.output
    report = json.loads(result.output)
    rules = [f["rule"] for c in report["comparisons"] for f in c["findings"]]
    assert "CODE_SYSTEM_CHANGED" in rules and "CODE_LIST_VERSION_CHANGED" in rules


def test_no_header_code_or_display_reaches_the_report(catalog: Catalog, tmp_path: Path) -> None:
    secret = "KANARIA-912"
    path = tmp_path / "doc.xml"
    path.write_bytes(encoded(PLAN, service_task=Code(code=secret, display=secret)))
    for fmt in ("text", "json", "junit"):
        args = ["cda", "check", str(path), "--catalog", str(catalog.root), "--skip-signatures", "--format", fmt]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1 and "check.code_unknown" in result.output
        assert secret not in result.output


def test_a_damaged_store_file_ends_cda_check_with_one_located_line(tmp_path: Path) -> None:
    """A store file whose codes are not a list used to end in a TypeError traceback."""
    root = make_catalog(tmp_path / "catalog")
    CodeStore(root).write([dated_list("201601")])
    store_file = root / "codes" / SERVICE_TASK / "201601.json"
    store_file.write_text('{"format": "sosmeta-codelist 1", "codes": 5}', encoding="utf-8")
    path = tmp_path / "doc.xml"
    path.write_bytes(encoded(PLAN))
    result = CliRunner().invoke(main, ["cda", "check", str(path), "--catalog", str(root), "--skip-signatures"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: {store_file}: not a stored code list (codes is not a list)"]
    assert "Traceback" not in result.output
