"""The generator registry: every module in `generators/` that defines `TARGET` is an output kind.

Adding an output kind is adding a module (or package) with a `TARGET = Target(...)`; nothing else changes.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from structures.model import Structure

T = TypeVar("T")
REUSE_MANIFEST = ".reuse.json"
"""File in a target folder mapping each reusable output file to the key it was made from."""
ProgressFn = Callable[[Iterable[Any], str], Iterator[Any]]


def _no_progress(items: Iterable[T], label: str) -> Iterator[T]:
    return iter(items)


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
    _old_keys: dict[str, str] | None = None

    def write(self, relative: str, data: bytes) -> Path:
        path = self.out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)  # the whole folder is staged and swapped in atomically by the build
        self.written.append(path)
        return path

    def reuse(self, key: str, relatives: Iterable[str]) -> bool:
        """Take the files `relatives` from the previous build when it made them from the same `key`.

        `key` is the generator's hash of everything the files depend on (input bytes, options, generator
        version). Returns True when every file was taken (hard-linked, else copied) into the new folder; False
        means the generator writes them itself. Either way the key is recorded in the folder's manifest
        (`REUSE_MANIFEST`, saved by `finish()`) for the next build.
        """
        names = list(relatives)
        self._keys.update(dict.fromkeys(names, key))
        if self.previous is None or not names:
            return False
        if self._old_keys is None:
            try:
                self._old_keys = json.loads((self.previous / REUSE_MANIFEST).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._old_keys = {}
        old = self._old_keys
        if not isinstance(old, dict) or any(old.get(n) != key or not (self.previous / n).is_file() for n in names):
            return False
        for name in names:
            target = self.out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.previous / name, target)
            except OSError:
                shutil.copy2(self.previous / name, target)
            self.written.append(target)
            self.reused.append(target)
        return True

    def finish(self) -> None:
        """Save the reuse manifest (called by the build after the generator succeeded)."""
        if self._keys:
            data = json.dumps(dict(sorted(self._keys.items())), indent=0, ensure_ascii=False)
            (self.out_dir / REUSE_MANIFEST).write_text(data, encoding="utf-8")

    def warn(self, message: str) -> None:
        self.warnings.append(message)


@dataclass(frozen=True)
class Target:
    name: str
    description: str
    build: Callable[[BuildContext], None]


def discover() -> dict[str, Target]:
    """All registered targets by name, found by importing every module of the `generators` package."""
    import generators

    targets: dict[str, Target] = {}
    for info in sorted(pkgutil.iter_modules(generators.__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in ("registry", "output", "strategies"):
            continue
        module = importlib.import_module(f"generators.{info.name}")
        target = getattr(module, "TARGET", None)
        if isinstance(target, Target):
            targets[target.name] = target
    return targets
