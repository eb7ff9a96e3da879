"""A version's two names, its version OID and its date, must agree: an edited Versio-OID never takes another
version's place in the catalog (not even with --replace), and lint reports a stored version that disagrees."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from sosmeta.catalog import Catalog, CatalogError
from sosmeta.cli import main
from sosmeta.generators.excel import structure_workbook
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.lint import lint
from sosmeta.structures.model import Structure
from sosmeta.structures.workbook import SHEET
from tests.conftest import EXAMPLE

SOURCE = EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json"
BASE = "1.2.246.537.6.1506.99001"
EDITED_OID = f"{BASE}.2026.1.1"


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def workbook_with_oid(tmp_path: Path, structure: Structure, oid: str) -> tuple[Path, str]:
    """The structure's workbook with its Versio-OID cell edited; the path and the cell's coordinate."""
    book = load_workbook(io.BytesIO(structure_workbook(structure)))
    sheet = book[SHEET]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == structure.version_oid:
                cell.value = oid
                path = tmp_path / "muokattu.xlsx"
                book.save(path)
                return path, cell.coordinate
    raise AssertionError("no Versio-OID cell")


def edited_json(tmp_path: Path, **sosmeta: str) -> Path:
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    data["sosmeta"].update(sosmeta)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_edited_versio_oid_is_refused_at_its_cell_even_with_replace(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    assert run("import", SOURCE, "--catalog", catalog).exit_code == 0
    stored = catalog / BASE / "2025-01-15.json"
    before = stored.read_bytes()
    workbook, cell = workbook_with_oid(tmp_path, load_structure(SOURCE), EDITED_OID)
    result = run("import", workbook, "--catalog", catalog, "--replace")
    assert result.exit_code == 2, result.output
    assert f"muokattu.xlsx: {SHEET}!{cell}: " in result.output
    assert "[excel.version_mismatch]" in result.output and "2026.1.1" in result.output
    assert stored.read_bytes() == before
    assert run("show", EDITED_OID, "--catalog", catalog).exit_code == 2  # the edited name finds nothing


def test_edited_oid_in_an_export_is_refused_at_its_pointer(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    run("import", SOURCE, "--catalog", catalog)
    result = run("import", edited_json(tmp_path, oid=EDITED_OID), "--catalog", catalog, "--replace")
    assert result.exit_code == 2
    assert "edited.json: /sosmeta/oid: " in result.output and "[sosmeta.version_mismatch]" in result.output


def test_the_catalog_refuses_what_an_importer_let_through(tmp_path: Path) -> None:
    """Structures added through the API: a self-contradicting version, and a version without date arcs in its
    OID claiming a stored version's place."""
    catalog = Catalog(tmp_path / "catalog")
    original = load_structure(SOURCE)
    catalog.add(original)
    with pytest.raises(CatalogError, match=r"catalog\.version_mismatch"):
        catalog.add(original.model_copy(update={"oid": EDITED_OID}), replace=True)
    undated = original.model_copy(update={"oid": BASE, "status": "Muutettu"})
    with pytest.raises(CatalogError, match=r"holds version 2025-01-15 as .*2025\.1\.15.*version_oid_differs"):
        catalog.add(undated, replace=True)
    assert catalog.resolve(BASE).version_oid == original.version_oid


def test_lint_reports_a_stored_version_that_disagrees_and_it_can_be_mended(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    run("import", SOURCE, "--catalog", catalog)
    stored = catalog / BASE / "2025-01-15.json"
    data = json.loads(stored.read_text(encoding="utf-8"))
    data["sosmeta"]["oid"] = EDITED_OID  # an older sosmeta stored it so, or a hand edit
    stored.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    result = run("lint", "--catalog", catalog, "--strict")
    assert result.exit_code == 1 and "[identity.version_mismatch]" in result.output
    assert [w.code for w in lint(load_structure(stored))].count("identity.version_mismatch") == 1
    mended = run("import", SOURCE, "--catalog", catalog, "--replace")
    assert mended.exit_code == 0, mended.output
    assert "identity.version_mismatch" not in run("lint", "--catalog", catalog).output


def test_corpus_versions_agree(corpus_structures: list[Structure]) -> None:
    for structure in corpus_structures:
        assert not [w for w in lint(structure) if w.code == "identity.version_mismatch"], structure.version_oid
