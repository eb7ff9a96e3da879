"""The on-disk cache of compiled validators (generators/validator/cache.py): hits, misses on every change,
entries that fail their check, two processes filling one entry, a folder others can write to, and off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from sosmeta.generators.validator import Validator, cache, codegen
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import Structure
from tests.conftest import ROOT, load_corpus_structure
from tests.docgen import corpus_documents

pytestmark = pytest.mark.shared
CANARY = "Kanarialintu-900-Testi"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    here = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(here))
    return here


@pytest.fixture(scope="module")
def structure(corpus: list[Path]) -> Structure:
    """A mid-sized real export (quick to compile, with Koodi, Tunnus and date rows)."""
    return load_corpus_structure(corpus[len(corpus) // 2])


@pytest.fixture(scope="module")
def documents(structure: Structure) -> list[Any]:
    good, bad = corpus_documents(structure, 4, 16, seed=5)
    return good + bad


def _results(validator: Validator, documents: list[Any]) -> list[Any]:
    return [(validator.validate(d), validator.is_valid(d)) for d in documents]


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.bin"))


class _NoGeneration:
    """Stands in for ValidatorSource: a cache hit must not generate code."""

    def __init__(self, *args: Any) -> None:
        raise AssertionError("code was generated although the cache holds it")


def test_a_second_validator_loads_what_the_first_compiled(
    folder: Path, structure: Structure, documents: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _results(Validator(structure, "full"), documents)
    assert len(_entries(folder)) == 2  # findings and is_valid
    monkeypatch.setattr(codegen, "ValidatorSource", _NoGeneration)
    assert _results(Validator(structure, "full"), documents) == expected


def test_each_mode_and_flavour_has_its_own_entry(folder: Path, structure: Structure, documents: list[Any]) -> None:
    Validator(structure, "full").is_valid(documents[0])
    assert len(_entries(folder)) == 1
    Validator(structure, "schema").is_valid(documents[0])
    Validator(structure, "schema").validate(documents[0])
    assert len(_entries(folder)) == 3


def test_a_changed_structure_is_compiled_again(
    folder: Path, structure: Structure, corpus: list[Path], tmp_path: Path
) -> None:
    Validator(structure, "schema").is_valid({})
    data = json.loads(corpus[len(corpus) // 2].read_text(encoding="utf-8"))
    data["title"] = str(data.get("title", "")) + " (muutettu)"
    changed_file = tmp_path / "changed.json"
    changed_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    changed = load_structure(changed_file)
    Validator(changed, "schema").is_valid({})
    assert len(_entries(folder)) == 2


def test_a_new_generator_version_is_a_miss(
    folder: Path, structure: Structure, documents: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    Validator(structure, "schema").is_valid(documents[0])
    monkeypatch.setattr(cache, "generator_version", lambda: "0" * 64)
    Validator(structure, "schema").is_valid(documents[0])
    assert len(_entries(folder)) == 2


def _other_code() -> Any:
    """A valid compiled module that answers every document 'valid' (what a tampered entry might hold)."""
    return compile("def is_valid(doc):\n    return True\n", "<tampered>", "exec")


@pytest.mark.parametrize(
    "damage",
    ["truncated", "flipped byte", "empty", "foreign payload", "foreign payload resealed under another name", "junk"],
)
def test_an_entry_that_fails_its_check_is_rebuilt_never_run(
    folder: Path, structure: Structure, documents: list[Any], damage: str
) -> None:
    bad = documents[-1]
    assert not Validator(structure, "schema").is_valid(bad)
    (entry,) = _entries(folder)
    original = entry.read_bytes()
    import marshal

    if damage == "truncated":
        entry.write_bytes(original[: len(original) // 2])
    elif damage == "flipped byte":
        entry.write_bytes(original[:-10] + bytes([original[-10] ^ 1]) + original[-9:])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "foreign payload":  # the header of the original, another program after it
        entry.write_bytes(original[:58] + marshal.dumps(_other_code()))
    elif damage == "foreign payload resealed under another name":
        cache.store("f" * 64, _other_code())
        entry.write_bytes((folder / f"{'f' * 64}.bin").read_bytes())
    else:
        entry.write_bytes(os.urandom(4000))
    assert cache.load(entry.stem) is None
    assert not Validator(structure, "schema").is_valid(bad), "a damaged entry was run"
    assert entry.read_bytes() == original, "the entry was not rebuilt"


def test_an_entry_that_is_not_a_regular_file_is_not_read(
    folder: Path, structure: Structure, documents: list[Any]
) -> None:
    Validator(structure, "schema").is_valid(documents[0])
    (entry,) = _entries(folder)
    entry.unlink()
    os.mkfifo(entry)  # a reader that waited for a writer would hang here
    assert cache.load(entry.stem) is None
    assert Validator(structure, "schema").is_valid(documents[0])
    assert cache.load(entry.stem) is not None, "the FIFO was not replaced by the entry"
    entry.unlink()
    entry.mkdir()
    assert Validator(structure, "schema").is_valid(documents[0])  # a folder in the way: no cache, no error
    entry.rmdir()
    entry.symlink_to(entry.parent / "elsewhere.bin")
    assert Validator(structure, "schema").is_valid(documents[0])
    assert not entry.is_symlink() and cache.load(entry.stem) is not None


def test_a_folder_others_can_write_to_is_not_used(folder: Path, structure: Structure, documents: list[Any]) -> None:
    Validator(structure, "schema").is_valid(documents[0])
    (entry,) = _entries(folder)
    folder.chmod(0o777)
    assert cache.load(entry.stem) is None
    entry.unlink()
    Validator(structure, "schema").is_valid(documents[0])
    assert not _entries(folder), "an entry was written into a world-writable folder"


def test_a_cache_folder_that_cannot_be_made_leaves_validation_working(
    tmp_path: Path, structure: Structure, documents: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))
    expected = [(f.pointer, f.code) for f in Validator(structure, "full").validate(documents[-1])]
    assert expected
    assert not cache.store("a" * 64, _other_code())


def test_off_writes_nothing_anywhere(
    tmp_path: Path, structure: Structure, documents: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for spelling in ("off", "OFF"):
        monkeypatch.setenv(cache.ENV, spelling)
        assert cache.cache_dir() is None
        _results(Validator(structure, "full"), documents[:3])
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_the_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "sosmeta" / "validators"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/not/allowed")  # the XDG spec: ignore a relative path
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "sosmeta" / "validators"


def _marked(value: Any) -> Any:
    """`value` with every string replaced by the canary."""
    if isinstance(value, dict):
        return {k: _marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_marked(v) for v in value]
    return CANARY if isinstance(value, str) else value


def test_entries_hold_no_document_value(folder: Path, structure: Structure, documents: list[Any]) -> None:
    v = Validator(structure, "full")
    for doc in documents[:5]:
        v.validate(_marked(doc))
        v.is_valid(_marked(doc))
    assert _entries(folder)
    for entry in _entries(folder):
        assert CANARY.encode() not in entry.read_bytes()


_FILLER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sosmeta.generators.validator import Validator
    from sosmeta.sosmeta_import.sosmeta_json import load_structure
    from tests.docgen import corpus_documents
    structure = load_structure(Path(sys.argv[1]))
    good, bad = corpus_documents(structure, 3, 9, seed=5)
    go = Path(sys.argv[2])
    while not go.exists():  # both processes start compiling at the same moment
        time.sleep(0.005)
    v = Validator(structure, "full")
    print([(len(v.validate(d)), v.is_valid(d)) for d in good + bad])
    """
)


def test_two_processes_filling_the_same_entries(folder: Path, corpus: list[Path], tmp_path: Path) -> None:
    path = corpus[-1]
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", _FILLER, str(path), str(go)]
    fillers = [subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    go.touch()
    outputs = [p.communicate(timeout=300)[0] for p in fillers]
    assert [p.returncode for p in fillers] == [0, 0]
    assert outputs[0] == outputs[1]
    entries = _entries(folder)
    assert len(entries) == 2, entries
    assert not list(folder.glob(".*.tmp")), "a temporary file was left behind"
    assert all(cache.load(e.stem) is not None for e in entries)
    again = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True, input="")
    assert again.stdout == outputs[0]


def test_prepare_fills_both_entries_and_clear_empties_the_folder(
    folder: Path, structure: Structure, documents: list[Any]
) -> None:
    validator = Validator(structure, "full").prepare()
    assert len(_entries(folder)) == 2
    (folder / "kept.txt").write_text("not an entry")
    (folder / ".0123.bin.abc.tmp").write_bytes(b"left by a killed writer")
    assert cache.clear() == 3
    assert not _entries(folder) and (folder / "kept.txt").exists()
    assert validator.is_valid(documents[0])  # a prepared validator does not need the cache any more


# ---- the root-key index: validate loads only the structures documents name ------------------------------------
def test_the_root_key_index_spares_loading_unnamed_structures(folder: Path, corpus: list[Path], tmp_path: Path) -> None:
    from sosmeta.catalog import Catalog
    from sosmeta.operations.validate import StructureChooser

    structures = [load_corpus_structure(p) for p in corpus[:4]]
    catalog = Catalog(tmp_path / "catalog")
    for one in structures:
        catalog.add(one)
    wanted = structures[2]
    doc = corpus_documents(wanted, 1, 0, seed=1)[0][0]
    first = StructureChooser(Catalog(catalog.root), None).choose(doc)
    assert isinstance(first, Structure) and first.version_oid == wanted.version_oid
    assert (folder / "root-keys.json").is_file()

    again = Catalog(catalog.root)
    chosen = StructureChooser(again, None).choose(doc)
    assert isinstance(chosen, Structure) and chosen.version_oid == wanted.version_oid
    assert [p.name for p in again._cache] == [f"{wanted.version}.json"]  # the others were not loaded

    (folder / "root-keys.json").write_text('{"not": "an index"', encoding="utf-8")  # corrupt: ignored, rewritten
    assert StructureChooser(Catalog(catalog.root), None).by_version(wanted.version_oid) == wanted
    assert json.loads((folder / "root-keys.json").read_text(encoding="utf-8"))
