"""The on-disk cache of loaded structures (structure_cache.py, structure_codec.py): what it gives back is the
structure parsed from the file, for every real export and random ones; entries that fail their check, decode
to something else or belong to other bytes or another loader are ignored and rebuilt; the validators' keys
follow the structure's content."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta import cache_folder, structure_cache, structure_codec
from sosmeta.catalog import Catalog
from sosmeta.generators.sosmeta_json import dump_structure
from sosmeta.generators.validator import Validator, cache
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import Structure
from tests.conftest import ROOT
from tests.model_strategies import structures

_SUPPRESS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    here = tmp_path / "cache"
    monkeypatch.setenv(cache_folder.ENV, str(here))
    return here


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.bin"))


def _no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache hit must not parse the export."""

    def refuse(*args: Any) -> Any:
        raise AssertionError("the export was parsed although the cache holds it")

    monkeypatch.setattr(structure_cache, "parse_structure", refuse)


def _same(loaded: Structure, parsed: Structure) -> None:
    assert loaded == parsed
    assert loaded.model_dump_json() == parsed.model_dump_json()
    assert [loc.path for loc in loaded.walk()] == [loc.path for loc in parsed.walk()]


@pytest.mark.shared
def test_every_real_export_comes_back_as_parsed(
    corpus: list[Path], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = [load_structure(path) for path in corpus]
    first = [structure_cache.load_file(path) for path in corpus]
    assert len(_entries(folder)) == len(corpus), "one entry per export"
    _no_parse(monkeypatch)
    for path, expected, miss in zip(corpus, parsed, first, strict=True):
        _same(miss, expected)
        _same(structure_cache.load_file(path), expected)


@pytest.mark.shared
def test_a_catalog_reads_through_the_cache(corpus: list[Path], folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog_dir = folder.parent / "catalog"
    for path in corpus[:5]:
        Catalog(catalog_dir).add(load_structure(path))
    expected = Catalog(catalog_dir).structures()
    _no_parse(monkeypatch)
    for loaded, parsed in zip(Catalog(catalog_dir).structures(), expected, strict=True):
        _same(loaded, parsed)


@settings(max_examples=40, deadline=None, suppress_health_check=_SUPPRESS)
@given(structure=structures())
def test_random_structures_come_back_as_parsed(structure: Structure, tmp_path: Path) -> None:
    os.environ[cache_folder.ENV] = str(tmp_path / "cache")
    try:
        export = tmp_path / "export.json"
        export.write_text(dump_structure(structure), encoding="utf-8")
        parsed = load_structure(export)
        _same(structure_cache.load_file(export), parsed)  # a miss: parsed, stored
        _same(structure_cache.load_file(export), parsed)  # a hit
    finally:
        del os.environ[cache_folder.ENV]


_number = st.one_of(
    st.integers(),  # beyond 64 bits too: orjson refuses them, so such a structure is not cached
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=60, deadline=None, suppress_health_check=_SUPPRESS)
@given(structure=structures(), numbers=st.lists(_number, min_size=1, max_size=4))
def test_numbers_in_keywords_come_back_exactly_or_are_not_cached(
    structure: Structure, numbers: list[Any], tmp_path: Path
) -> None:
    structure = structure.model_copy(update={"root": (*structure.root, ("x-numbers", numbers))})
    os.environ[cache_folder.ENV] = str(tmp_path / "cache")
    try:
        export = tmp_path / "export.json"
        export.write_text(dump_structure(structure), encoding="utf-8")
        parsed = load_structure(export)
        _same(structure_cache.load_file(export), parsed)
        _same(structure_cache.load_file(export), parsed)
    finally:
        del os.environ[cache_folder.ENV]


def _export(tmp_path: Path, corpus: list[Path]) -> Path:
    export = tmp_path / "export.json"
    export.write_bytes(corpus[len(corpus) // 2].read_bytes())
    return export


def _damage_all(folder: Path, change: Any) -> None:
    for entry in _entries(folder):
        entry.write_bytes(change(entry.read_bytes()))


@pytest.mark.shared
@pytest.mark.parametrize(
    "change",
    [
        lambda data: data[:-10],  # truncated
        lambda data: data[:-5] + bytes([data[-5] ^ 1]) + data[-4:],  # one bit flipped
        lambda data: b"sosmeta-validator-cache 1\n" + data[len(b"sosmeta-structure-cache 1\n") :],  # another kind
        lambda data: b"",
    ],
    ids=["truncated", "bit-flipped", "other-kind", "empty"],
)
def test_an_entry_that_fails_its_check_is_ignored_and_rebuilt(
    corpus: list[Path], folder: Path, tmp_path: Path, change: Any
) -> None:
    export = _export(tmp_path, corpus)
    expected = load_structure(export)
    structure_cache.load_file(export)
    (entry,) = _entries(folder)
    good = entry.read_bytes()
    _damage_all(folder, change)
    _same(structure_cache.load_file(export), expected)
    assert entry.read_bytes() == good, "the damaged entry was not rebuilt"


def _sealed(key: str, payload: bytes) -> bytes:
    magic = b"sosmeta-structure-cache 1\n"
    return magic + cache_folder.seal(key, payload) + payload


@pytest.mark.shared
@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[1, 2, 3]",
        b'[[], {}, ["doc", {"required": "yes"}, []]]',  # a flag that is not a boolean
        b'[[["fi", 5]], {}, ["doc", {"name": [0]}, []]]',  # a text that is not a string
        b'[[], {"oid": 1}, ["doc", {}, []]]',
        b'[[], {}, ["doc", {"unknown_field": 1}, []]]',
        b'[[], {}, ["doc", {}, [["sub", [1]]]]]',  # a sub-property node that is not an object
        b'[[], {}, ["doc", {"name": [7]}, []]]',  # a text index outside the table
    ],
)
def test_a_sealed_entry_that_holds_no_structure_is_ignored(
    corpus: list[Path], folder: Path, tmp_path: Path, payload: bytes
) -> None:
    export = _export(tmp_path, corpus)
    expected = load_structure(export)
    key = structure_cache.entry_key(export.read_bytes())
    folder.mkdir(mode=0o700)
    (folder / f"{key}.bin").write_bytes(_sealed(key, payload))
    with pytest.raises(structure_codec.Malformed):
        structure_codec.decode(payload)
    _same(structure_cache.load_file(export), expected)


@pytest.mark.shared
def test_an_entry_copied_under_another_name_is_not_read(corpus: list[Path], folder: Path, tmp_path: Path) -> None:
    one, other = tmp_path / "one.json", tmp_path / "other.json"
    one.write_bytes(corpus[0].read_bytes())
    other.write_bytes(corpus[-1].read_bytes())
    structure_cache.load_file(one)
    (entry,) = _entries(folder)
    (folder / f"{structure_cache.entry_key(other.read_bytes())}.bin").write_bytes(entry.read_bytes())
    _same(structure_cache.load_file(other), load_structure(other))


@pytest.mark.shared
def test_other_bytes_or_another_loader_name_another_entry(
    corpus: list[Path], folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = _export(tmp_path, corpus)
    structure_cache.load_file(export)
    data = export.read_bytes()
    export.write_bytes(data + b"\n")  # the same structure, other bytes
    structure_cache.load_file(export)
    assert len(_entries(folder)) == 2
    monkeypatch.setattr(structure_cache, "loader_version", lambda: "another loader")
    assert structure_cache.entry_key(data) not in {e.stem for e in _entries(folder)}
    structure_cache.load_file(export)
    assert len(_entries(folder)) == 3


@pytest.mark.shared
def test_an_edited_file_is_read_again(corpus: list[Path], folder: Path, tmp_path: Path) -> None:
    export = _export(tmp_path, corpus)
    before = structure_cache.load_file(export)
    data = json.loads(export.read_text(encoding="utf-8"))
    data["sosmeta"]["status"] = before.status + " (muokattu)"
    export.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    after = structure_cache.load_file(export)
    assert after.status == data["sosmeta"]["status"]
    _same(after, load_structure(export))


@pytest.mark.shared
def test_errors_are_the_parsers_and_nothing_is_cached(folder: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"sosmeta": {}, "properties": {', encoding="utf-8")
    with pytest.raises(InputError) as parsed:
        load_structure(broken)
    with pytest.raises(InputError) as loaded:
        structure_cache.load_file(broken)
    assert str(loaded.value) == str(parsed.value)
    assert not _entries(folder)


@pytest.mark.shared
def test_a_folder_others_can_write_to_is_not_used(corpus: list[Path], folder: Path, tmp_path: Path) -> None:
    folder.mkdir()
    folder.chmod(0o777)
    export = _export(tmp_path, corpus)
    _same(structure_cache.load_file(export), load_structure(export))
    assert not _entries(folder)


@pytest.mark.shared
def test_off_writes_nothing(corpus: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache_folder.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    export = _export(tmp_path, corpus)
    _same(structure_cache.load_file(export), load_structure(export))
    assert not (tmp_path / "xdg").exists()


# ---- the validators' keys ---------------------------------------------------------------------------------
@pytest.mark.shared
def test_a_loaded_structure_is_named_by_its_file_and_a_changed_one_by_its_content(
    corpus: list[Path], folder: Path
) -> None:
    loaded = structure_cache.load_file(corpus[0])
    again = structure_cache.load_file(corpus[0])
    assert structure_cache.content_id(loaded) == structure_cache.content_id(again)
    assert structure_cache.content_id(loaded).startswith("file ")
    assert structure_cache.content_id(loaded) != structure_cache.content_id(structure_cache.load_file(corpus[1]))
    changed = loaded.model_copy(update={"status": f"{loaded.status} (muutettu)"})
    parsed = load_structure(corpus[0])
    assert structure_cache.content_id(changed).startswith("model ")
    assert structure_cache.content_id(parsed) != structure_cache.content_id(changed)
    assert structure_cache.content_id(parsed) == structure_cache.content_id(loaded.model_copy())


@pytest.mark.shared
def test_a_validator_of_a_changed_structure_is_not_the_cached_one(corpus: list[Path], folder: Path) -> None:
    loaded = structure_cache.load_file(corpus[0])
    Validator(loaded, "full").is_valid({})
    before = set(_entries(folder))
    document = loaded.document
    stricter = document.model_copy(update={"node": (*document.node, ("maxProperties", 0))})
    changed = loaded.model_copy(update={"document": stricter})
    Validator(changed, "full").is_valid({})
    assert set(_entries(folder)) - before, "the changed structure found the loaded one's entry"
    assert cache.entry_key(structure_cache.content_id(changed), "full", "check") != cache.entry_key(
        structure_cache.content_id(loaded), "full", "check"
    )


@pytest.mark.shared
def test_a_structure_the_compact_form_cannot_hold_is_parsed_each_time(
    corpus: list[Path], folder: Path, tmp_path: Path
) -> None:
    export = _export(tmp_path, corpus)
    data = json.loads(export.read_text(encoding="utf-8"))
    data["x-big"] = 2**70  # beyond what orjson writes
    export.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _same(structure_cache.load_file(export), load_structure(export))
    assert not _entries(folder)
    _same(structure_cache.load_file(export), load_structure(export))


# ---- what a bulk run starts with --------------------------------------------------------------------------
_NOT_AT_START = ("sosmeta.generators.validator.codegen", "filelock", "difflib", "rich.progress")


@pytest.mark.shared
def test_a_warm_bulk_run_builds_no_validator_and_imports_no_writer(corpus: list[Path], tmp_path: Path) -> None:
    """With the cache warm, `cda encode --jsonl` on a pipe compiles no validator and imports neither the
    catalog's lock nor a progress bar; every structure still comes back as parsed (the documents encode)."""
    from bench.startup_bench import bulk_inputs  # the benchmark's input: one document of each structure

    structures = [load_structure(path) for path in corpus[:4]]
    catalog_root, docs, envs = bulk_inputs(tmp_path, structures)
    probe = (
        "import atexit, json, sys\n"
        f"atexit.register(lambda: print(json.dumps([m for m in {list(_NOT_AT_START)!r} if m in sys.modules])))\n"
        "from sosmeta import cli\ncli.main()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), cache_folder.ENV: str(tmp_path / "cache")}
    outcomes = []
    for run in ("cold", "warm"):
        args = ["cda", "encode", "--jsonl", str(docs), "--envelopes", str(envs), "--catalog", str(catalog_root)]
        args += ["--out", str(tmp_path / f"out-{run}")]
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=True
        )
        written = sorted(p.name for p in (tmp_path / f"out-{run}").glob("*.xml"))
        outcomes.append((json.loads(done.stdout.splitlines()[-1]), written))
    (cold, cold_files), (warm, warm_files) = outcomes
    assert "sosmeta.generators.validator.codegen" in cold, "the probe sees nothing"
    assert warm == [], f"a warm bulk run imported {warm}"
    assert warm_files == cold_files and len(warm_files) == len(structures)
