"""`sosmeta example`: prints valid documents from a catalog; clean errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sosmeta.cli import main
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from tests.conftest import EXAMPLE
from tests.docwalk import schema_errors

SOURCE = EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json"


def _catalog(tmp_path: Path) -> tuple[CliRunner, Path, str]:
    runner = CliRunner()
    catalog = tmp_path / "catalog"
    result = runner.invoke(main, ["import", str(SOURCE), "--catalog", str(catalog)])
    assert result.exit_code == 0, result.output
    return runner, catalog, load_structure(SOURCE).base_oid


def test_prints_valid_documents_of_each_kind(tmp_path: Path) -> None:
    runner, catalog, oid = _catalog(tmp_path)
    structure = load_structure(SOURCE)
    for kind in ("example", "minimal", "maximal"):
        result = runner.invoke(main, ["example", "--catalog", str(catalog), "--structure", oid, "--kind", kind])
        assert result.exit_code == 0, result.output
        assert schema_errors(structure, json.loads(result.stdout)) == []


def test_many_documents_as_json_lines_reproducible_by_seed(tmp_path: Path) -> None:
    runner, catalog, oid = _catalog(tmp_path)
    args = ["example", "--catalog", str(catalog), "--structure", oid, "--count", "4", "--seed", "3"]
    first = runner.invoke(main, args).stdout
    assert first == runner.invoke(main, args).stdout
    lines = first.splitlines()
    assert len(lines) == 4 and len(set(lines)) == 4
    assert all(schema_errors(load_structure(SOURCE), json.loads(line)) == [] for line in lines)


def test_unknown_structure_is_a_one_line_error_with_exit_2(tmp_path: Path) -> None:
    runner, catalog, _ = _catalog(tmp_path)
    result = runner.invoke(main, ["example", "--catalog", str(catalog), "--structure", "1.2.3"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "no structure '1.2.3'" in result.stderr
