"""Build: run generators over a catalog's structures, each target into its own folder, swapped in whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sosmeta.catalog import Catalog, CatalogError
from sosmeta.generators.output import recover, staged
from sosmeta.generators.registry import BuildContext, Target, discover
from sosmeta.messages import message
from sosmeta.operations.progress import Progress, no_progress
from sosmeta.safeio.errors import located_write_errors
from sosmeta.safeio.locks import FolderLock
from sosmeta.structures.model import Structure

DEFAULT_TARGETS = ("sosmeta-json",)
ALL = "all"
"""The target name that stands for every target, in registry order."""


class UnknownTarget(ValueError):
    """Names of targets no generator provides."""

    def __init__(self, unknown: list[str], known: list[str]) -> None:
        super().__init__(message("build.unknown_target", unknown=", ".join(unknown), known=", ".join(known)))
        self.unknown, self.known = unknown, known


def targets() -> dict[str, Target]:
    """Every output kind, by name."""
    return discover()


def choose_targets(requested: tuple[str, ...], registry: dict[str, Target]) -> tuple[str, ...]:
    """`requested` checked against `registry`; `all` stands for every target (each built once)."""
    unknown = [n for n in requested if n not in registry and n != ALL]
    if unknown:
        raise UnknownTarget(unknown, [*registry, ALL])
    if ALL in requested:
        return tuple(registry)
    return tuple(dict.fromkeys(requested))


def structures_to_build(catalog: Catalog, latest: bool) -> list[Structure]:
    """The catalog's structures (only the newest version of each with `latest`); an empty catalog is an error."""
    structures = catalog.latest() if latest else catalog.structures()
    if not structures:
        raise CatalogError(message("build.empty_catalog", catalog=catalog.root))
    return structures


@dataclass(frozen=True)
class TargetBuilt:
    name: str
    folder: Path
    written: int
    warnings: list[str] = field(default_factory=list)


def build(
    structures: list[Structure],
    out: Path,
    names: tuple[str, ...],
    registry: dict[str, Target],
    options: dict[str, Any],
    *,
    wait: bool = True,
    progress: Progress = no_progress,
    on_note: Callable[[str], None] = lambda note: None,
    on_target: Callable[[TargetBuilt], None] = lambda built: None,
) -> list[TargetBuilt]:
    """Build every target of `names` into OUT/<name>/ under the output folder's lock.

    What a killed build left is put back first (each note to `on_note`); each target is built aside and
    swapped in when complete, then reported to `on_target`.
    """
    done: list[TargetBuilt] = []
    with FolderLock(out).hold(wait=wait), located_write_errors(out):
        for note in recover(out, registry):
            on_note(note)
        for name in names:
            with located_write_errors(out / name), staged(out / name) as folder:
                ctx = BuildContext(structures, folder.staging, options, progress, previous=folder.previous)
                _build_target(registry[name], ctx, (folder.staging, out / name))
            built = TargetBuilt(name, out / name, len(ctx.written), list(ctx.warnings))
            done.append(built)
            on_target(built)
    return done


def _build_target(target: Any, ctx: BuildContext, aside: tuple[Path, Path]) -> None:
    """Build one target into its staging folder; a write error names the file where the output will be."""
    with located_write_errors(aside[1], aside=aside):
        target.build(ctx)
        ctx.finish()
