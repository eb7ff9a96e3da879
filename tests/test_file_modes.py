"""Files sosmeta writes follow the umask, as `build` output does: a service account of the same group (or any
reader, under umask 022) can read the catalog, archive documents and reports."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.generators.output import atomic_write
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from tests.cda_support import example_documents, example_envelope
from tests.conftest import EXAMPLE

SOURCE = EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json"
OID = "1.2.246.537.6.1506.99001"


@pytest.fixture(params=[0o022, 0o077, 0o002])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_atomic_write_follows_umask_and_replaces(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "f.txt"
    assert atomic_write(target, b"one")
    assert mode(target) == 0o666 & ~umask
    assert atomic_write(target, b"two") and target.read_bytes() == b"two"
    assert not atomic_write(target, b"two")
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]  # no temporary left behind


def test_command_outputs_follow_umask(tmp_path: Path, umask: int) -> None:
    expected = 0o666 & ~umask
    catalog = tmp_path / "catalog"
    run("import", SOURCE, "--catalog", catalog)
    stored = catalog / OID / "2025-01-15.json"
    assert mode(stored) == expected

    run("org", "new", OID, "--catalog", catalog, "-o", tmp_path / "org.toml")
    assert mode(tmp_path / "org.toml") == expected

    run("diff", SOURCE, SOURCE, "--no-proof", "-o", tmp_path / "report.txt")
    assert mode(tmp_path / "report.txt") == expected

    structure = load_structure(SOURCE)
    (tmp_path / "doc.json").write_text(json.dumps(example_documents(structure, 1)[0]), encoding="utf-8")
    (tmp_path / "env.json").write_text(example_envelope(structure).model_dump_json(exclude_none=True), "utf-8")
    doc, env = tmp_path / "doc.json", tmp_path / "env.json"
    run("cda", "encode", doc, "--envelope", env, "--catalog", catalog, "--out", tmp_path / "doc.xml")
    run("cda", "frame", tmp_path / "doc.xml", "--out", tmp_path / "frame.xml", "--package", tmp_path / "m.mime")
    run("cda", "decode", tmp_path / "doc.xml", "--catalog", catalog, "--out", tmp_path / "decoded")
    written = [tmp_path / n for n in ("doc.xml", "frame.xml", "m.mime")]
    written += sorted((tmp_path / "decoded").iterdir())
    assert len(written) >= 5
    assert {p.name: mode(p) for p in written} == {p.name: expected for p in written}


def test_catalog_add_follows_umask(tmp_path: Path, umask: int) -> None:
    catalog = Catalog(tmp_path / "c")
    catalog.add(load_structure(SOURCE))
    (stored,) = (tmp_path / "c").rglob("*.json")
    assert mode(stored) == 0o666 & ~umask


def test_bulk_archive_files_follow_umask(tmp_path: Path, umask: int) -> None:
    from sosmeta.generators.cda.publish import Published, publish, replace_file

    assert publish(tmp_path / "a.xml", b"<a/>") is Published.WRITTEN
    replace_file(tmp_path / "b.xml", b"<b/>")
    assert {mode(tmp_path / "a.xml"), mode(tmp_path / "b.xml")} == {0o666 & ~umask}
