"""`sosmeta validate`: exit codes, output formats, structure from the root key, and no values in the output."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.structures.model import Structure
from sosmeta.structures.representation import Representation as R
from tests.conftest import load_corpus_structure
from tests.docgen import DocumentGenerator

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, corpus: list[Path]) -> tuple[Path, Structure]:
    """A catalog with every export, and the newest structure that has a henkilötunnus."""
    root = tmp_path_factory.mktemp("validate")
    catalog = Catalog(root / "catalog")
    structures = [load_corpus_structure(p) for p in corpus[-12:]]  # enough for several root keys
    for structure in structures:
        catalog.add(structure)
    with_hetu = [
        s for s in catalog.latest() if any(loc.element.system_uri_value == "urn:oid:1.2.246.21" for loc in s.rows())
    ]
    return root / "catalog", with_hetu[0]


def document(structure: Structure, seed: int = 0) -> dict[str, Any]:
    generator = DocumentGenerator(structure, optional=1.0, max_items=1, min_items=1)
    return generator.document(random.Random(seed))[0]  # type: ignore[no-any-return]


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=input)


def write(path: Path, doc: Any) -> str:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_valid_invalid_and_exit_codes(setup: tuple[Path, Structure], tmp_path: Path) -> None:
    catalog, structure = setup
    good = document(structure)
    bad = document(structure, 1)
    del bad[structure.document.key][next(iter(structure.document.required_keys))]
    ref = f"{structure.base_oid}@{structure.version}"
    result = run("validate", "--catalog", str(catalog), "--structure", ref, write(tmp_path / "good.json", good))
    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    result = run(
        "validate",
        "--catalog",
        str(catalog),
        "--structure",
        ref,
        write(tmp_path / "good.json", good),
        write(tmp_path / "bad.json", bad),
    )
    assert result.exit_code == 1
    assert "schema.required" in result.output and "bad.json: INVALID" in result.output


def test_structure_from_the_root_key(setup: tuple[Path, Structure], tmp_path: Path) -> None:
    catalog, structure = setup
    result = run(
        "validate", "--catalog", str(catalog), "--format", "json", write(tmp_path / "d.json", document(structure))
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["structure"] == structure.version_oid
    result = run("validate", "--catalog", str(catalog), write(tmp_path / "x.json", {"tuntematon": {}}))
    assert result.exit_code == 2
    assert "root key" in result.output


def test_jsonl_in_order_with_bad_lines(setup: tuple[Path, Structure], tmp_path: Path) -> None:
    catalog, structure = setup
    docs = [document(structure, seed) for seed in range(5)]
    docs[2] = {structure.document.key: {"ylimaarainen": 1}}
    lines = [json.dumps(d, ensure_ascii=False) for d in docs] + ["{not json"]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("validate", "--catalog", str(catalog), "--jsonl", str(path), "--format", "jsonl", "--lang", "sv")
    assert result.exit_code == 2  # the unreadable line is bad input
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["source"] for r in records] == [f"{path}:{n}" for n in range(1, 7)]
    assert [r["valid"] for r in records] == [True, True, False, True, True, False]
    assert "error" in records[5] and any(f["code"] == "schema.additional" for f in records[2]["findings"])
    assert all(isinstance(f["message"], str) for r in records for f in r["findings"])


def test_values_are_never_printed(setup: tuple[Path, Structure], tmp_path: Path) -> None:
    catalog, structure = setup
    doc = document(structure)
    secret_code = "131052-308U"  # wrong check character
    secret_text = "Salainen asiakastieto 42"
    hetu_paths = [loc for loc in structure.rows() if loc.element.system_uri_value == "urn:oid:1.2.246.21"]
    holder: Any = doc
    for key in hetu_paths[0].keys[:-1]:
        holder = holder[key][0] if isinstance(holder[key], list) else holder[key]
    holder[hetu_paths[0].keys[-1]] = {"system": "urn:oid:1.2.246.21", "value": secret_code}
    text_rows = [loc for loc in structure.rows() if loc.element.representation is R.TEKSTI and loc.depth == 2]
    if text_rows:
        doc[structure.document.key][text_rows[0].element.key] = {"teksti": secret_text}
    for fmt in ("text", "json", "jsonl"):
        result = run("validate", "--catalog", str(catalog), "--format", fmt, write(tmp_path / "s.json", doc))
        assert result.exit_code == 1
        assert "hetu.checksum" in result.output
        assert secret_code not in result.output and secret_text not in result.output


def test_usage_errors(setup: tuple[Path, Structure]) -> None:
    catalog, _ = setup
    assert run("validate", "--catalog", str(catalog)).exit_code == 2
    assert run("validate", "--catalog", str(catalog), "--mode", "loose", "x.json").exit_code == 2
    result = run("validate", "--catalog", str(catalog), "--structure", "1.2.3.4", "-", input="{}")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_standard_input_and_schema_mode(setup: tuple[Path, Structure]) -> None:
    catalog, structure = setup
    doc = document(structure)
    result = run("validate", "--catalog", str(catalog), "--mode", "schema", "-", input=json.dumps(doc))
    assert result.exit_code == 0, result.output
    assert "schema mode" in result.output


def test_root_key_picks_the_newest_version(corpus: list[Path], tmp_path: Path) -> None:
    structures = [load_corpus_structure(p) for p in corpus]
    by_oid: dict[str, list[Structure]] = {}
    for s in structures:
        by_oid.setdefault(s.base_oid, []).append(s)
    versions = next(v for v in by_oid.values() if len(v) > 1 and len({s.document.key for s in v}) == 1)
    catalog = Catalog(tmp_path / "catalog")
    for structure in versions:
        catalog.add(structure)
    newest = max(versions, key=lambda s: s.version)
    result = run(
        "validate",
        "--catalog",
        str(tmp_path / "catalog"),
        "--format",
        "jsonl",
        write(tmp_path / "d.json", document(newest)),
    )
    assert json.loads(result.output)["structure"] == newest.version_oid
    older = min(versions, key=lambda s: s.version)
    result = run(
        "validate",
        "--catalog",
        str(tmp_path / "catalog"),
        "--format",
        "jsonl",
        "--structure",
        f"{older.base_oid}@{older.version}",
        write(tmp_path / "d.json", document(older)),
    )
    assert json.loads(result.output)["structure"] == older.version_oid and result.exit_code == 0
