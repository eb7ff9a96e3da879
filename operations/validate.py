"""Validate: client documents against their national structures, one verdict per document as it is read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sosmeta.catalog import Catalog
from sosmeta.messages import Lang, text
from sosmeta.operations.catalog_view import resolve
from sosmeta.operations.progress import Progress, no_progress
from sosmeta.safeio.documents import read_documents
from sosmeta.structures.model import Structure

OUTCOMES = ("valid", "invalid", "unreadable")


class StructureChooser:
    """The structure to validate a document against: a fixed one, or the one whose document key is its root key.

    A root key shared by several structures is ambiguous (an error); a structure with several versions that
    have the key is validated against the newest of them (name another with --structure OID@VERSION).
    """

    def __init__(self, catalog: Catalog, ref: str | None, lang: Lang = "en") -> None:
        self.catalog = catalog
        self.lang = lang
        self.fixed = resolve(catalog, ref, lang) if ref else None
        self._by_key: dict[str, list[Structure]] | None = None

    def choose(self, doc: Any) -> Structure | str:
        """The structure, or why none can be chosen."""
        if self.fixed is not None:
            return self.fixed
        if not isinstance(doc, dict) or len(doc) != 1:
            return text("validate.no_root_key", self.lang)
        if self._by_key is None:
            # Per root key, the newest version of each structure that has it (entries are sorted by version).
            newest: dict[tuple[str, str], Structure] = {}
            for structure in self.catalog.structures():
                newest[(structure.document.key, structure.base_oid)] = structure
            self._by_key = {}
            for (key, _), structure in newest.items():
                self._by_key.setdefault(key, []).append(structure)
        (key,) = doc
        found = self._by_key.get(key, [])
        if len(found) == 1:
            return found[0]
        if not found:
            return text("validate.unknown_root_key", self.lang)
        oids = ", ".join(s.base_oid for s in found)
        return text("validate.ambiguous_root_key", self.lang, oids=oids)


@dataclass
class Verdict:
    """One document: where it came from, the structure it was checked against and what was found."""

    source: str
    structure: Structure | None
    findings: list[Any] = field(default_factory=list)
    """`generators.validator.findings.Finding`s."""
    error: str | None = None
    """Why the document could not be checked (unreadable, no structure); never a value of it."""

    @property
    def valid(self) -> bool:
        return self.error is None and not any(f.severity == "error" for f in self.findings)

    @property
    def outcome(self) -> int:
        """0 valid, 1 invalid, 2 unreadable (the exit code it asks for)."""
        return 2 if self.error is not None else 0 if self.valid else 1


def validate_documents(
    catalog: Catalog,
    ref: str | None,
    documents: tuple[Path, ...],
    jsonl_file: Path | None,
    mode: str,
    progress: Progress = no_progress,
    lang: Lang = "en",
) -> Iterator[Verdict]:
    """A verdict per document of `documents` and then of `jsonl_file`, each as soon as it is read (why one
    cannot be checked in `lang`)."""
    from sosmeta.generators.validator.with_lists import ListedValidation
    from sosmeta.operations.codes import stored_lists

    chooser = StructureChooser(catalog, ref, lang)
    checks = ListedValidation(mode, stored_lists(catalog.root))  # type: ignore[arg-type]  # codes on the document's date
    for item in progress(read_documents(documents, jsonl_file), "validating"):
        structure: Structure | None = None
        found: list[Any] = []
        error = item.error
        if error is None:
            chosen = chooser.choose(item.doc)
            if isinstance(chosen, str):
                error = chosen
            else:
                structure = chosen
                found = checks.validate(structure, item.doc)
        yield Verdict(item.source, structure, found, error)
