"""Import: store structure versions from files or folders in a catalog."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sosmeta.catalog import Catalog, CatalogError, Outcome
from sosmeta.messages import error_message
from sosmeta.operations.progress import Progress, no_progress
from sosmeta.sosmeta_import import InputError, load_any, supported_suffixes
from sosmeta.structures.model import Structure


@dataclass(frozen=True)
class Stored:
    """One structure version and what storing it did."""

    outcome: Outcome
    structure: Structure


@dataclass
class ImportResult:
    catalog: Path
    counts: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    """Versions per outcome, in `Outcome` order."""
    stored: list[Stored] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """One located line per file or version that could not be stored (a `messages.Localized` text when the
    importer's message is one)."""


def structure_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: each file as given, and every structure file under each folder (sorted)."""
    suffixes = supported_suffixes()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith((".", "~$"))
                )
            )
        else:
            files.append(path)
    return files


def import_structures(
    catalog: Catalog,
    paths: Iterable[Path],
    *,
    replace: bool = False,
    wait: bool = True,
    progress: Progress = no_progress,
    on_stored: Callable[[Stored], None] | None = None,
) -> ImportResult:
    """Store every structure of `paths` in `catalog`; every file is tried, its errors collected.

    The catalog is locked throughout; a failed write (disk full, read-only) ends the import at once.
    `on_stored` hears of each version as it is stored.
    """
    result = ImportResult(catalog.root)
    with catalog.locked(wait=wait):
        for file in progress(structure_files(paths), "importing"):
            try:
                structures = load_any(file)
            except InputError as exc:
                result.errors.extend(p.localized() for p in exc.problems)
                continue
            for structure in structures:
                try:
                    outcome = catalog.add(structure, replace=replace)
                except CatalogError as exc:
                    result.errors.append(error_message(exc))  # a Localized text: the command prints it in its language
                    continue
                result.counts[outcome.value] += 1
                stored = Stored(outcome, structure)
                result.stored.append(stored)
                if on_stored is not None:
                    on_stored(stored)
    return result
