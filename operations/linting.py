"""Lint: coded warnings about irregularities of structures (files, folders of files or catalog versions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sosmeta.catalog import Catalog
from sosmeta.messages import Lang
from sosmeta.operations.catalog_view import resolve
from sosmeta.operations.importing import structure_files
from sosmeta.sosmeta_import import InputError, load_any
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.conflicts import CONFLICT_CODES, code_list_conflicts
from sosmeta.structures.lint import CODES, LintWarning, lint
from sosmeta.structures.model import Structure


@dataclass(frozen=True)
class LintedStructure:
    structure: Structure
    warnings: list[LintWarning]


@dataclass(frozen=True)
class LintResult:
    structures: list[LintedStructure]
    errors: list[str] = field(default_factory=list)
    """One located line per problem of a file that could not be read (every file is tried; `messages.Localized`)."""
    unreadable: int = 0
    """How many files could not be read."""

    @property
    def total(self) -> int:
        return sum(len(s.warnings) for s in self.structures)


def warning_codes() -> dict[str, str]:
    """Every warning code and what it means."""
    return {**CODES, **CONFLICT_CODES}


def lint_refs(
    refs: tuple[str, ...], catalog: Callable[[], Catalog], lang: Lang = "en", lists: CodeLists | None = None
) -> LintResult:
    """Lint the files, folders (every structure file in them) or catalog references `refs`, or with none every
    version in the catalog. Every file is read even when an earlier one cannot be; its problems are collected.

    `catalog` is called only when a catalog is needed (files alone need none). `lists`: the catalog's stored code
    lists, whose conflicts with the structures' own codes are reported too (`codes lint`).
    """
    structures: list[Structure] = []
    errors: list[str] = []
    unreadable = 0
    for ref in refs:
        path = Path(ref)
        if not path.exists():
            structures.append(resolve(catalog(), ref, lang))
            continue
        for file in structure_files([path]):  # a FIFO or device too: the reader refuses it by name
            try:
                structures.extend(load_any(file))
            except InputError as exc:
                errors.extend(p.localized() for p in exc.problems)
                unreadable += 1
    if not refs:
        structures = catalog().structures()
    lists = lists or CodeLists()
    linted = [LintedStructure(s, lint(s) + code_list_conflicts(s, lists)) for s in structures]
    return LintResult(linted, errors, unreadable)
