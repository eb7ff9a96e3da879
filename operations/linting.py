"""Lint: coded warnings about irregularities of structures (files or catalog versions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from catalog import Catalog
from sosmeta_import import load_any
from structures.lint import CODES, LintWarning, lint
from structures.model import Structure


@dataclass(frozen=True)
class LintedStructure:
    structure: Structure
    warnings: list[LintWarning]


@dataclass(frozen=True)
class LintResult:
    structures: list[LintedStructure]

    @property
    def total(self) -> int:
        return sum(len(s.warnings) for s in self.structures)


def warning_codes() -> dict[str, str]:
    """Every warning code and what it means."""
    return dict(CODES)


def lint_refs(refs: tuple[str, ...], catalog: Callable[[], Catalog]) -> LintResult:
    """Lint the files or catalog references `refs`, or with none every version in the catalog.

    `catalog` is called only when a catalog is needed (a file alone needs none).
    """
    structures: list[Structure] = []
    for ref in refs:
        path = Path(ref)
        is_file = path.exists() and not path.is_dir()  # a FIFO or device too: the reader refuses it by name
        structures.extend(load_any(path) if is_file else [catalog().resolve(ref)])
    if not refs:
        structures = catalog().structures()
    return LintResult([LintedStructure(s, lint(s)) for s in structures])
