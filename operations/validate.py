"""Validate: client documents against their national structures, one verdict per document as it is read."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sosmeta.catalog import Catalog, Entry
from sosmeta.messages import Lang, text
from sosmeta.operations.catalog_view import resolve
from sosmeta.operations.progress import Progress, no_progress
from sosmeta.safeio.documents import STDIN, Input, line_document, read_documents
from sosmeta.safeio.jsonl import JsonlLine, JsonlRecord, parse_line, read_lines
from sosmeta.safeio.reading import MAX_DOCUMENT_BYTES, display_name
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
        self._by_key: dict[str, list[Entry]] | None = None
        self._versions: dict[str, Entry] = {}

    def choose(self, doc: Any) -> Structure | str:
        """The structure, or why none can be chosen."""
        if self.fixed is not None:
            return self.fixed
        if not isinstance(doc, dict) or len(doc) != 1:
            return text("validate.no_root_key", self.lang)
        (key,) = doc
        found = self._index().get(key, [])
        if len(found) == 1:
            return self._load(found[0])
        if not found:
            return text("validate.unknown_root_key", self.lang)
        oids = ", ".join(e.base_oid for e in found)
        return text("validate.ambiguous_root_key", self.lang, oids=oids)

    def _index(self) -> dict[str, list[Entry]]:
        """Per root key, the newest version of each structure that has it (entries are sorted by version).

        The root keys come from the index in the validator cache (`cache.root_keys`), so only the structures
        documents name are loaded."""
        if self._by_key is None:
            from sosmeta.generators.validator.cache import root_keys

            entries = self.catalog.entries()
            by_path = {e.path: e for e in entries}
            keys = root_keys([e.path for e in entries], lambda path: self._read_key(by_path[path]))
            newest: dict[tuple[str, str], Entry] = {}
            for entry in entries:
                newest[(keys[entry.path][0], entry.base_oid)] = entry
            self._versions = {keys[e.path][1]: e for e in newest.values()}
            self._by_key = {}
            for (key, _), entry in newest.items():
                self._by_key.setdefault(key, []).append(entry)
        return self._by_key

    def _read_key(self, entry: Entry) -> tuple[str, str]:
        structure = self.catalog.load_entry(entry)
        return structure.document.key, structure.version_oid

    def _load(self, entry: Entry) -> Structure:
        return self.catalog.load_entry(entry)  # the catalog keeps what it loaded

    def by_version(self, version_oid: str | None) -> Structure | None:
        """The structure this chooser chose under `version_oid` (for verdicts from worker processes)."""
        if version_oid is None:
            return None
        if self.fixed is not None:
            return self.fixed
        self._index()
        return self._load(self._versions[version_oid])


@dataclass
class Verdict:
    """One document: where it came from, the structure it was checked against and what was found."""

    source: str
    structure: Structure | None
    findings: list[Any] = field(default_factory=list)
    """`generators.validator.findings.Finding`s."""
    error: str | None = None
    """Why the document could not be checked (unreadable, no structure); never a value of it."""

    @cached_property
    def valid(self) -> bool:
        """No error and no error-severity finding (asked for several times per verdict: worked out once)."""
        return self.error is None and not any(f.severity == "error" for f in self.findings)

    @property
    def outcome(self) -> int:
        """0 valid, 1 invalid, 2 unreadable (the exit code it asks for)."""
        return 2 if self.error is not None else 0 if self.valid else 1


class Checker:
    """What validates one document: the structure chooser and the checks of one mode (with the catalog's
    stored code lists); shared by the in-process path and the worker processes of `--jobs`."""

    def __init__(self, catalog: Catalog, ref: str | None, mode: str, lang: Lang, test_identities: bool = False) -> None:
        from sosmeta.codestore import CodeStore
        from sosmeta.generators.validator.with_lists import ListedValidation
        from sosmeta.structures.codelists.binding import CodeLists

        self.chooser = StructureChooser(catalog, ref, lang)
        # The stored lists alone (`operations.codes.stored_lists`, without importing the code-list commands).
        lists = CodeLists(CodeStore(catalog.root).lists())
        self.checks = ListedValidation(mode, lists, test_identities=test_identities)  # type: ignore[arg-type]

    def verdict(self, item: Input) -> Verdict:
        structure: Structure | None = None
        found: list[Any] = []
        error = item.error
        if error is None:
            chosen = self.chooser.choose(item.doc)
            if isinstance(chosen, str):
                error = chosen
            else:
                structure = chosen
                found = self.checks.validate(structure, item.doc)
        return Verdict(item.source, structure, found, error)

    def line_verdict(self, name: str, record: JsonlRecord) -> Verdict:
        return self.verdict(line_document(name, record))


AUTO_AFTER = 1000
"""With `jobs=0` (automatic), lines after this many go to worker processes: a short file is answered before
workers would have started."""


def default_jobs() -> int:
    """Workers for `jobs=0`: one per core, at most 4 (the parent reads and writes besides)."""
    return max(1, min(os.cpu_count() or 1, 4))


def validate_documents(
    catalog: Catalog,
    ref: str | None,
    documents: tuple[Path, ...],
    jsonl_file: Path | None,
    mode: str,
    progress: Progress = no_progress,
    lang: Lang = "en",
    jobs: int = 1,
    test_identities: bool = False,
) -> Iterator[Verdict]:
    """A verdict per document of `documents` and then of `jsonl_file`, each as soon as it is read (why one
    cannot be checked in `lang`), in input order.

    `jobs` > 1 validates the lines of `jsonl_file` in that many worker processes (`validate_jobs.py`); 0 does so
    with `default_jobs()` workers once a regular file has more than `AUTO_AFTER` lines (a pipe: none).
    `test_identities` accepts identity codes of the test range (individual number 900-999) without the
    `hetu.temporary` warning.
    """
    checker = Checker(catalog, ref, mode, lang, test_identities)
    lines: Iterator[JsonlLine] | None = None
    name = ""
    if jsonl_file is not None:  # opened first: a file that cannot be read fails the run before any result
        name = "<stdin>" if str(jsonl_file) == STDIN else display_name(jsonl_file)
        lines = read_lines(jsonl_file, name, max_line_bytes=MAX_DOCUMENT_BYTES)
        if jobs == 0 and (str(jsonl_file) == STDIN or not jsonl_file.is_file()):
            jobs = 1  # a pipe may trickle: workers take lines in batches, each verdict would wait for its batch
    return progress(_verdicts(checker, documents, name, lines, jobs), "validating")


def _verdicts(
    checker: Checker, documents: tuple[Path, ...], name: str, lines: Iterator[JsonlLine] | None, jobs: int
) -> Iterator[Verdict]:
    from sosmeta.operations.validate_jobs import can_fork, parallel_verdicts

    for item in read_documents(documents, None):
        yield checker.verdict(item)
    if lines is None:
        return
    if jobs == 0:
        for raw in itertools.islice(lines, AUTO_AFTER):
            yield checker.line_verdict(name, parse_line(raw, name))
        jobs = default_jobs()
    if jobs > 1 and can_fork():
        yield from parallel_verdicts(checker, name, lines, jobs)
        return
    for raw in lines:
        yield checker.line_verdict(name, parse_line(raw, name))
