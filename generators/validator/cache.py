"""The on-disk cache of compiled validators: what one process compiled, the next one loads instead.

An entry is the compiled code (marshal) of one validator function of one structure version in one mode, named
by the sha256 of everything it is made from: the structure's canonical JSON (`model_dump_json`), the mode, the
flavour and the generator itself (the source of this package and of `structures/`, pydantic's version and the
Python bytecode magic). A change to any of them names another entry, so nothing stale is ever found; old entries
are only left behind.

Besides the code, one small index (`root-keys.json`, `root_keys`) names the root key and version OID of each
structure file by the sha256 of its bytes. The cache holds code generated from structures and names of
structures, never anything from a document. Each entry starts with a
header and the sha256 of the entry's name and payload; an entry that fails the check (truncated, corrupt,
edited by hand, copied under another name) is ignored and rebuilt, never executed. Entries are written whole
(`generators.output.atomic_write`: a temporary file, then a rename), so two processes filling the same entry
both write the same bytes and readers see either no file or a whole one.

Where: `$SOSMETA_CACHE_DIR`, else `$XDG_CACHE_HOME/sosmeta/validators`, else `~/.cache/sosmeta/validators`;
`SOSMETA_CACHE_DIR=off` turns the cache off. A folder that others may write to (group or world writable, or
owned by another user) is not used: its entries would be code this process runs.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import marshal
import os
import stat
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import CodeType

import pydantic

from sosmeta.generators.output import atomic_write
from sosmeta.safeio.reading import MAX_STRUCTURE_BYTES, MiB, read_bounded
from sosmeta.sosmeta_import.errors import InputError

ENV = "SOSMETA_CACHE_DIR"
OFF = "off"
_MAGIC = b"sosmeta-validator-cache 1\n"
_DIGEST = 32
MAX_ENTRY_BYTES = 64 * MiB
"""Far above any entry (the largest structure's is about 0.2 MiB): a bound, not a budget."""


def cache_dir() -> Path | None:
    """The cache folder from the environment, or None when the cache is off."""
    chosen = os.environ.get(ENV)
    if chosen is not None and chosen.strip().lower() == OFF:
        return None
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "sosmeta" / "validators"


@cache
def generator_version() -> str:
    """sha256 of what the generated code depends on besides the structure (computed once per process)."""
    digest = hashlib.sha256()
    digest.update(importlib.util.MAGIC_NUMBER)
    digest.update(f"{sys.implementation.cache_tag} pydantic {pydantic.VERSION}\n".encode())
    here = Path(__file__).resolve().parent
    for folder in (here, here.parent.parent / "structures"):
        for source in sorted(folder.glob("*.py")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()


def entry_key(structure_json: str, mode: str, flavour: str) -> str:
    """The name of the entry of one validator function: sha256 of all it is made from."""
    digest = hashlib.sha256()
    digest.update(f"{generator_version()}\n{mode}\n{flavour}\n".encode())
    digest.update(structure_json.encode("utf-8"))
    return digest.hexdigest()


def _private(folder: Path) -> bool:
    """`folder` is a real folder (not a link) that only this user can write to."""
    try:
        info = os.stat(folder, follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _usable(folder: Path) -> bool:
    """The folder exists (made private if new) and only this user can write to it."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    return _private(folder)


def _seal(key: str, payload: bytes) -> bytes:
    return hashlib.sha256(key.encode("ascii") + b"\0" + payload).digest()


def load(key: str) -> CodeType | None:
    """The cached code named `key`, or None (no cache, no entry, or an entry that fails its check)."""
    folder = cache_dir()
    if folder is None or not _private(folder):
        return None
    try:
        data = read_bounded(folder / f"{key}.bin", MAX_ENTRY_BYTES)
    except InputError:  # no entry yet, or not a regular file
        return None
    head = len(_MAGIC)
    payload = data[head + _DIGEST :]
    if data[:head] != _MAGIC or data[head : head + _DIGEST] != _seal(key, payload):
        return None
    try:
        code = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def store(key: str, code: CodeType) -> bool:
    """Write `code` as the entry `key`; False when the cache is off or cannot be written (never an error:
    the validator works without it)."""
    folder = cache_dir()
    if folder is None or not _usable(folder):
        return False
    payload = marshal.dumps(code)
    entry = folder / f"{key}.bin"
    try:
        _clear_odd(entry)
        atomic_write(entry, _MAGIC + _seal(key, payload) + payload)
    except OSError:
        return False
    return True


def _clear_odd(entry: Path) -> None:
    """Remove whatever stands at `entry` that is not a regular file (a FIFO, a link, a device): atomic_write
    first reads the old file to compare, which would wait forever on a FIFO. A folder stays (OSError)."""
    try:
        info = os.lstat(entry)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(str(entry))
    if not stat.S_ISREG(info.st_mode):
        entry.unlink()


def clear() -> int:
    """Remove every entry (and temporary file left by a killed writer) from the cache folder; returns how
    many files were removed. Nothing else in the folder is touched."""
    folder = cache_dir()
    if folder is None or not _private(folder):
        return 0
    removed = 0
    for path in [*folder.glob("*.bin"), *folder.glob(".*.bin.*.tmp")]:
        try:
            if not path.is_dir():
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


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
    usable = folder is not None and _private(folder)
    known: dict[str, list[str]] = {}
    if usable:
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
    if changed and folder is not None and _usable(folder):
        try:
            _clear_odd(folder / _KEYS_FILE)
            atomic_write(folder / _KEYS_FILE, json.dumps(known, sort_keys=True).encode("utf-8"))
        except OSError:
            pass  # the index is only a shortcut
    return out
