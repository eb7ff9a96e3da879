"""The on-disk cache of compiled validators: what one process compiled, the next one loads instead.

An entry is the compiled code (marshal) of one validator function of one structure version in one mode, named
by the sha256 of everything it is made from: the structure (`structure_cache.content_id`: the digest of the
catalog file it was loaded from and of the loader's code, else of its canonical JSON `model_dump_json`), the
mode, the flavour and the generator itself (the source of this package and of `structures/`, pydantic's
version and the Python bytecode magic). A change to any of them names another entry, so nothing stale is ever
found; old entries are only left behind.

Besides the code, one small index (`root-keys.json`, `root_keys`) names the root key and version OID of each
structure file by the sha256 of its bytes. The cache holds code generated from structures and names of
structures, never anything from a document. Entries are sealed and written whole (`cache_folder`): one that
fails the check (truncated, corrupt, edited by hand, copied under another name) is ignored and rebuilt, never
executed. The folder (`cache_folder.cache_dir`, `SOSMETA_CACHE_DIR`) is used only when no one else may write
to it: its entries are code this process runs.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import marshal
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import CodeType

import pydantic

from sosmeta.cache_folder import (
    ENV,
    MAX_ENTRY_BYTES,
    OFF,
    cache_dir,
    clear,
    clear_odd,
    private,
    read_sealed,
    sources_digest,
    usable,
    write_sealed,
)
from sosmeta.safeio.reading import MAX_STRUCTURE_BYTES, MiB, read_bounded
from sosmeta.sosmeta_import.errors import InputError

__all__ = ["ENV", "MAX_ENTRY_BYTES", "OFF", "cache_dir", "clear", "entry_key", "load", "root_keys", "store"]

_MAGIC = b"sosmeta-validator-cache 1\n"


@cache
def generator_version() -> str:
    """sha256 of what the generated code depends on besides the structure (computed once per process)."""
    here = Path(__file__).resolve().parent
    digest = sources_digest(here, here.parent.parent / "structures")
    digest.update(importlib.util.MAGIC_NUMBER)
    digest.update(f"{sys.implementation.cache_tag} pydantic {pydantic.VERSION}\n".encode())
    return digest.hexdigest()


def entry_key(structure_id: str, mode: str, flavour: str) -> str:
    """The name of the entry of one validator function: sha256 of all it is made from (`structure_id` names
    the structure's content: `structure_cache.content_id`)."""
    digest = hashlib.sha256()
    digest.update(f"{generator_version()}\n{mode}\n{flavour}\n".encode())
    digest.update(structure_id.encode("utf-8"))
    return digest.hexdigest()


def load(key: str) -> CodeType | None:
    """The cached code named `key`, or None (no cache, no entry, or an entry that fails its check)."""
    payload = read_sealed(key, _MAGIC)
    if payload is None:
        return None
    try:
        code = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def store(key: str, code: CodeType) -> bool:
    """Write `code` as the entry `key`; False when the cache is off or cannot be written (never an error:
    the validator works without it)."""
    return write_sealed(key, _MAGIC, marshal.dumps(code))


# ---- the root keys of catalog entries --------------------------------------------------------------------
_KEYS_FILE = "root-keys.json"
_KEYS_MAX = 4 * MiB
RootKey = tuple[str, str]
"""(the document element's key, the structure's version OID) of one stored structure file."""


def root_keys(files: list[Path], read_key: Callable[[Path], RootKey]) -> dict[Path, RootKey]:
    """The root key and version OID of each of `files` (structure files of a catalog), by the sha256 of the
    file's bytes: from the index in the cache folder, else from `read_key` (which loads the structure), and
    then kept there. So `validate` chooses structures by root key without loading every one of them.

    The index holds names of structures only (keys and OIDs), never anything from a document; an index that
    cannot be read or does not hold what it should is ignored and rewritten.
    """
    folder = cache_dir()
    readable = folder is not None and private(folder)
    known: dict[str, list[str]] = {}
    if readable:
        assert folder is not None
        try:
            loaded = json.loads(read_bounded(folder / _KEYS_FILE, _KEYS_MAX))
            if isinstance(loaded, dict):
                known = loaded
        except (InputError, ValueError):
            known = {}
    out: dict[Path, RootKey] = {}
    changed = False
    for path in files:
        digest = hashlib.sha256(read_bounded(path, MAX_STRUCTURE_BYTES)).hexdigest()
        hit = known.get(digest)
        if isinstance(hit, list) and len(hit) == 2 and all(isinstance(part, str) for part in hit):
            out[path] = (hit[0], hit[1])
            continue
        out[path] = read_key(path)
        known[digest] = list(out[path])
        changed = True
    if changed and folder is not None and usable(folder):
        from sosmeta.generators.output import atomic_write

        try:
            clear_odd(folder / _KEYS_FILE)
            atomic_write(folder / _KEYS_FILE, json.dumps(known, sort_keys=True).encode("utf-8"))
        except OSError:
            pass  # the index is only a shortcut
    return out
