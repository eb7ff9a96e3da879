"""The generator registry: every module in `generators/` that defines `TARGET` is an output kind.

Adding an output kind is adding a module (or package) with a `TARGET = Target(...)`; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from structures.model import Structure

T = TypeVar("T")
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

    def write(self, relative: str, data: bytes) -> Path:
        path = self.out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)  # the whole folder is staged and swapped in atomically by the build
        self.written.append(path)
        return path

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
