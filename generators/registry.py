"""The generator registry: every module in `generators/` that defines `TARGET` is an output kind.

Adding an output kind is adding a module (or package) with a `TARGET = Target(...)`; nothing else changes.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pkgutil
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sosmeta.generators.output import write_new
from sosmeta.safeio.paths import UnsafePath, inside
from sosmeta.structures.model import Structure

T = TypeVar("T")
REUSE_MANIFEST = ".reuse.json"
"""File in a target folder mapping each reusable output file to the key it was made from and the sha256 of
its content (`{"forms/x.json": {"key": ..., "sha256": ...}}`)."""
MAX_REUSED_BYTES = 256 * 1024 * 1024
"""A previous file larger than this is generated again rather than read whole to check its hash."""
ProgressFn = Callable[[Iterable[Any], str], Iterator[Any]]
_NOFOLLOW = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _no_progress(items: Iterable[T], label: str) -> Iterator[T]:
    return iter(items)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_regular(path: Path) -> bytes | None:
    """The bytes of `path` when it is a regular file (not a link, FIFO or device) of a sane size, else None."""
    try:
        fd = os.open(path, _NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_REUSED_BYTES:
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


@dataclass
class BuildContext:
    """What a generator gets: the structures, its own output folder and the shared build options."""

    structures: list[Structure]
    out_dir: Path
    """The target's own folder (`OUT/<target>`); generators write relative to it with `write()`."""
    options: dict[str, Any] = field(default_factory=dict)
    """Workspace and command-line options (e.g. `seed`, `organisations`)."""
    progress: ProgressFn = _no_progress
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    previous: Path | None = None
    """The target's folder from the last complete build (read only), for `reuse()`; None = nothing to reuse."""
    reused: list[Path] = field(default_factory=list)
    _keys: dict[str, str] = field(default_factory=dict)
    _hashes: dict[str, str] = field(default_factory=dict)
    _old: dict[str, Any] | None = None

    def write(self, relative: str, data: bytes) -> Path:
        """Write `OUT/<target>/<relative>`; `relative` must stay inside the folder and pass through no link."""
        path = self._put(relative, data)
        self.written.append(path)
        return path

    def _put(self, relative: str, data: bytes) -> Path:
        path = inside(self.out_dir, relative)  # names come from data (OIDs, organisation ids): contained
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_new(path, data)  # the whole folder is staged and swapped in atomically by the build
        except OSError as exc:
            if exc.filename is None:
                exc.filename = str(path)
            raise
        self._hashes[relative] = _sha256(data)
        return path

    def reuse(self, key: str, relatives: Iterable[str]) -> bool:
        """Take the files `relatives` from the previous build when it made them from the same `key`.

        `key` is the generator's hash of everything the files depend on (input bytes, options, generator
        version). A file is taken only when what is on disk is still what the previous build wrote: a regular
        file (not a link) whose sha256 is the one in the manifest, so a file edited or replaced by hand is
        generated again. Returns True when every file was taken; False means the generator writes them
        itself. Either way the key is recorded in the folder's manifest (`REUSE_MANIFEST`, saved by
        `finish()`) for the next build.
        """
        names = list(relatives)
        self._keys.update(dict.fromkeys(names, key))
        if self.previous is None or not names:
            return False
        old = self._old_manifest()
        found: dict[str, bytes] = {}
        for name in names:
            entry = old.get(name)
            if not isinstance(entry, dict) or entry.get("key") != key:
                return False
            data = self._previous_file(name)
            if data is None or _sha256(data) != entry.get("sha256"):
                return False
            found[name] = data
        for name, data in found.items():
            path = self._put(name, data)
            self.written.append(path)
            self.reused.append(path)
        return True

    def _previous_file(self, relative: str) -> bytes | None:
        """The previous build's file, when it is a regular file reached through no link."""
        assert self.previous is not None
        try:
            return _read_regular(inside(self.previous, relative))
        except UnsafePath:
            return None

    def _old_manifest(self) -> dict[str, Any]:
        if self._old is None:
            assert self.previous is not None
            raw = _read_regular(self.previous / REUSE_MANIFEST)
            try:
                data = json.loads(raw) if raw is not None else {}
            except ValueError:
                data = {}
            self._old = data if isinstance(data, dict) else {}
        return self._old

    def finish(self) -> None:
        """Save the reuse manifest (called by the build after the generator succeeded)."""
        manifest = {
            n: {"key": k, "sha256": self._hashes[n]} for n, k in sorted(self._keys.items()) if n in self._hashes
        }
        if manifest:
            path = self.out_dir / REUSE_MANIFEST
            write_new(path, json.dumps(manifest, indent=0, ensure_ascii=False).encode("utf-8"))

    def warn(self, message: str) -> None:
        self.warnings.append(message)


@dataclass(frozen=True)
class Target:
    name: str
    description: str
    build: Callable[[BuildContext], None]


def discover() -> dict[str, Target]:
    """All registered targets by name, found by importing every module of the `generators` package."""
    from sosmeta import generators

    targets: dict[str, Target] = {}
    for info in sorted(pkgutil.iter_modules(generators.__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in ("registry", "output", "strategies"):
            continue
        module = importlib.import_module(f"{generators.__name__}.{info.name}")
        target = getattr(module, "TARGET", None)
        if isinstance(target, Target):
            targets[target.name] = target
    return targets
