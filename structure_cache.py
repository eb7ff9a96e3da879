"""The on-disk cache of loaded structures: a catalog file read once is built from a compact form afterwards.

Reading a Sosmeta export (the strict parse and building the model) is most of the start-up of a bulk command
over many structures. An entry holds the structure of one export file in the form of `structure_codec`, named
by the sha256 of the file's bytes and of the loader's version (`loader_version`: the source of the importer,
`safeio/`, `structures/` and these modules, pydantic's, orjson's and Python's versions), so the same bytes
read by other code name another entry and an upgrade never reads an old one. An entry is stored only after
building it back has given a structure equal to the parsed one (==, and the same `model_dump_json`).

Entries live in the validators' cache folder (`cache_folder`: `SOSMETA_CACHE_DIR`, private folders only,
sealed entries written whole); one that fails its check or does not decode is ignored and rebuilt. The cache
holds structures only, never anything from a document.

`content_id` names the content of a structure for other caches (the compiled validators): the entry's name
for a structure loaded here, else the sha256 of its canonical JSON.
"""

from __future__ import annotations

import gc
import hashlib
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import orjson
import pydantic

from sosmeta.cache_folder import cache_dir, read_sealed, sources_digest, write_sealed
from sosmeta.safeio.reading import MAX_STRUCTURE_BYTES, decode_text, read_bounded
from sosmeta.sosmeta_import.limits import check_depth
from sosmeta.sosmeta_import.sosmeta_json import parse_structure
from sosmeta.structure_codec import Malformed, decode, encode
from sosmeta.structures.model import Structure

_MAGIC = b"sosmeta-structure-cache 1\n"


@cache
def loader_version() -> str:
    """sha256 of what a loaded structure depends on besides the file's bytes (computed once per process)."""
    here = Path(__file__).resolve().parent
    digest = sources_digest(here / "sosmeta_import", here / "safeio", here / "structures")
    for module in (__file__, sys.modules[decode.__module__].__file__ or ""):
        digest.update(Path(module).read_bytes())
    digest.update(f"{sys.version} pydantic {pydantic.VERSION} orjson {orjson.__version__}\n".encode())
    return digest.hexdigest()


def entry_key(data: bytes) -> str:
    """The name of the entry of the structure read from a file holding `data`."""
    return hashlib.sha256(f"{loader_version()}\n".encode() + data).hexdigest()


def load_file(path: Path, source: str | None = None) -> Structure:
    """The structure of the Sosmeta export file `path`, as `sosmeta_json.load_structure` reads it (the same
    errors, named `source`): from the cache when it holds the file's bytes, else parsed and then cached."""
    name = source or str(path)
    data = read_bounded(path, MAX_STRUCTURE_BYTES, name)
    key = entry_key(data)
    structure = _cached(key, name)
    if structure is None:
        with _collector_paused():
            structure = parse_structure(decode_text(data, name), name)
        _store(key, structure)
    _remember(structure, key)
    return structure


def _cached(key: str, source: str) -> Structure | None:
    payload = read_sealed(key, _MAGIC)
    if payload is None:
        return None
    try:
        with _collector_paused():
            structure = decode(payload)
    except Malformed:
        return None
    return check_depth(structure, source)  # as every catalog read; it also builds the element index


def _store(key: str, structure: Structure) -> None:
    """Cache `structure` when its compact form builds it back exactly (else it is only ever parsed)."""
    if cache_dir() is None:  # the cache is off: nothing to check either
        return
    try:
        payload = encode(structure)
        back = decode(payload)  # without its element index, so == compares the fields alone (index: linear)
    except (Malformed, TypeError, ValueError):  # orjson refuses integers beyond 64 bits
        return
    if back == structure and back.model_dump_json() == structure.model_dump_json():
        write_sealed(key, _MAGIC, payload)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a tree is built: it makes no cycles, and each collection would walk
    all of the growing tree again (a third of the time of building one)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# ---- naming a structure's content ------------------------------------------------------------------------
_KNOWN: dict[int, tuple[weakref.ref[Structure], str]] = {}


def _remember(structure: Structure, key: str) -> None:
    ident = id(structure)
    _KNOWN[ident] = (weakref.ref(structure, lambda _: _KNOWN.pop(ident, None)), key)


def content_id(structure: Structure) -> str:
    """A name of `structure`'s content: `file <entry key>` when it was loaded by `load_file` (the same bytes and
    loader give the same structure), else `model <sha256 of its canonical JSON>` (a structure built or changed
    in memory)."""
    known = _KNOWN.get(id(structure))
    if known is not None and known[0]() is structure:
        return f"file {known[1]}"
    return "model " + hashlib.sha256(structure.model_dump_json().encode("utf-8")).hexdigest()
