"""The on-disk cache folder shared by compiled validators and loaded structures: where it is, who may write to
it, and sealed entries read and written whole.

Where: `$SOSMETA_CACHE_DIR`, else `$XDG_CACHE_HOME/sosmeta/validators`, else `~/.cache/sosmeta/validators`;
`SOSMETA_CACHE_DIR=off` turns the cache off. A folder that others may write to (group or world writable, or
owned by another user) is not used: its entries would be code or structures this process trusts.

An entry `<key>.bin` is a header naming its kind, the sha256 of the entry's name and payload, and the payload.
An entry that fails the check (another kind, truncated, corrupt, edited by hand, copied under another name) is
not returned: the caller rebuilds it. Entries are written whole (`atomic_write`: a temporary file, then a
rename), so two processes filling the same entry both write the same bytes and readers see either no file or
a whole one. Nothing here knows what an entry holds.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from sosmeta.safeio.reading import MiB, read_bounded
from sosmeta.sosmeta_import.errors import InputError

ENV = "SOSMETA_CACHE_DIR"
OFF = "off"
DIGEST = 32
MAX_ENTRY_BYTES = 64 * MiB
"""Far above any entry (the largest structure's is about 0.5 MiB): a bound, not a budget."""


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


def private(folder: Path) -> bool:
    """`folder` is a real folder (not a link) that only this user can write to."""
    try:
        info = os.stat(folder, follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def usable(folder: Path) -> bool:
    """The folder exists (made private if new) and only this user can write to it."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    return private(folder)


def seal(key: str, payload: bytes) -> bytes:
    """The check of an entry: sha256 of its name and payload."""
    return hashlib.sha256(key.encode("ascii") + b"\0" + payload).digest()


def read_sealed(key: str, magic: bytes) -> bytes | None:
    """The payload of entry `key` of the kind `magic`, or None (no cache, no entry, or one failing its check)."""
    folder = cache_dir()
    if folder is None or not private(folder):
        return None
    try:
        data = read_bounded(folder / f"{key}.bin", MAX_ENTRY_BYTES)
    except InputError:  # no entry yet, or not a regular file
        return None
    head = len(magic)
    payload = data[head + DIGEST :]
    if data[:head] != magic or data[head : head + DIGEST] != seal(key, payload):
        return None
    return payload


def write_sealed(key: str, magic: bytes, payload: bytes) -> bool:
    """Write `payload` as entry `key` of the kind `magic`; False when the cache is off or cannot be written
    (never an error: everything works without it)."""
    folder = cache_dir()
    if folder is None or not usable(folder):
        return False
    from sosmeta.generators.output import atomic_write  # only a process that writes needs it

    entry = folder / f"{key}.bin"
    try:
        clear_odd(entry)
        atomic_write(entry, magic + seal(key, payload) + payload)
    except OSError:
        return False
    return True


def clear_odd(entry: Path) -> None:
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
    if folder is None or not private(folder):
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


def sources_digest(*folders: Path) -> hashlib._Hash:
    """A sha256 over the Python sources of `folders` (name and bytes of each, sorted): a code version, so an
    upgrade names other entries and never reads an old one."""
    digest = hashlib.sha256()
    for folder in folders:
        for source in sorted(folder.glob("*.py")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest
