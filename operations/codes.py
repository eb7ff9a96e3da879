"""Code lists: import files into the store, list, show and compare stored lists, pull from the code server.

Typed inputs and results, no printing: `commands/codes.py` renders them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sosmeta.catalog import Catalog
from sosmeta.codestore import CodeStore, Outcome
from sosmeta.safeio.parsing import read_json
from sosmeta.safeio.reading import MAX_STRUCTURE_BYTES
from sosmeta.sosmeta_import.codelists import load_code_lists
from sosmeta.sosmeta_import.codelists.server import DEFAULT_SERVER, PullSettings, pull
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.conflicts import code_list_conflicts
from sosmeta.structures.codelists.diff import CodeListDiff, diff_lists
from sosmeta.structures.codelists.embedded import EMBEDDED_VERSION, embedded_lists
from sosmeta.structures.codelists.model import FORMAT, CodeList, code_list_from_data, natural_key
from sosmeta.structures.identifiers import is_oid
from sosmeta.structures.lint import LintWarning
from sosmeta.structures.model import Structure

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Stored:
    ref: str
    name: str | None
    codes: int
    outcome: Outcome


@dataclass(frozen=True)
class ImportResult:
    stored: tuple[Stored, ...]


def _stored(results: list[tuple[CodeList, Outcome]]) -> tuple[Stored, ...]:
    return tuple(Stored(c.ref, c.name, len(c.codes), o) for c, o in results)


def import_files(catalog: Path, files: Sequence[Path], sheet: str | None = None, wait: bool = True) -> ImportResult:
    """Read every file, then store every list they hold, all or nothing (InputError names every problem)."""
    lists = load_code_lists(files, sheet)
    if not lists:
        raise InputError([Problem(str(f), "", say("codes.no_concepts"), "codes.empty") for f in files])
    return ImportResult(_stored(CodeStore(catalog).write(lists, wait)))


@dataclass(frozen=True)
class ListedVersion:
    ref: str
    name: str | None
    version_name: str | None
    codes: int
    source: str
    retrieved: str


def list_lists(catalog: Path, embedded: bool = False) -> list[ListedVersion]:
    """The stored lists; with `embedded`, also the lists the catalog's structures state themselves."""
    lists = CodeStore(catalog).lists()
    if embedded:
        lists += embedded_lists(Catalog(catalog).structures())
    return [
        ListedVersion(c.ref, c.name, c.version_name, len(c.codes), c.provenance.source, c.provenance.retrieved)
        for c in lists
    ]


def show_list(catalog: Path, ref: str) -> CodeList:
    """A stored list (`OID`, `OID@VERSION`), or `OID@embedded`: the codes the structures state."""
    classification, _, version = ref.partition("@")
    if version == EMBEDDED_VERSION or (not version and not CodeStore(catalog).versions(classification)):
        for code_list in embedded_lists(Catalog(catalog).structures()):
            if code_list.classification == classification:
                return code_list
    return CodeStore(catalog).resolve(ref)


def bound_lists(catalog: Path) -> CodeLists:
    """Every list of the catalog by precedence: stored (pulled or imported) first, else embedded."""
    return CodeLists(CodeStore(catalog).lists(), embedded_lists(Catalog(catalog).structures()))


def stored_lists(catalog: Path) -> CodeLists:
    """The stored (pulled or imported) lists alone: what validation and lint check against. Cheaper than
    `bound_lists`, which reads every structure for the embedded lists (3.4 s for the 62 shared exports);
    embedded codes are already checked by the compiled validators and stated by the structures."""
    return CodeLists(CodeStore(catalog).lists())


def build_code_lists(catalog: Path, structures: Sequence[Structure]) -> CodeLists:
    """The lists a build uses: the catalog's stored lists, else the codes the built structures state."""
    return CodeLists(CodeStore(catalog).lists(), embedded_lists(structures))


@dataclass(frozen=True)
class LintResult:
    structures: int
    warnings: tuple[tuple[str, str, tuple[LintWarning, ...]], ...]
    """Per structure with warnings: version OID, title, warnings."""


def lint_lists(catalog: Path, today: dt.date | None = None) -> LintResult:
    """Where the codes the structures state disagree with the stored lists."""
    lists = bound_lists(catalog)
    structures = Catalog(catalog).structures()
    found = []
    for structure in structures:
        warnings = code_list_conflicts(structure, lists, today)
        if warnings:
            found.append((structure.version_oid, structure.fi_title, tuple(warnings)))
    return LintResult(len(structures), tuple(found))


def diff_refs(catalog: Path, old: str, new: str) -> CodeListDiff:
    """Compare two stored versions (`OID@V`), or two list files (csapi pages, CSV, workbook, store files)."""
    return diff_lists(_list_of(catalog, old), _list_of(catalog, new))


def _list_of(catalog: Path, ref: str) -> CodeList:
    path = Path(ref)
    if path.suffix.lower() in (".json", ".csv", ".xlsx", ".xlsm") and path.is_file():
        store_file = _store_file(path)
        if store_file is not None:
            return store_file
        lists = load_code_lists([path])
        if len(lists) != 1:
            raise InputError.one(ref, "", say("codes.not_one_list", n=len(lists)), "codes.not_one_list")
        return lists[0]
    return CodeStore(catalog).resolve(ref)


def _store_file(path: Path) -> CodeList | None:
    """A store file given by path (a copy kept from before a pull, say), else None."""
    if path.suffix.lower() != ".json":
        return None
    data = read_json(path, MAX_STRUCTURE_BYTES, str(path))
    if not (isinstance(data, dict) and data.get("format") == FORMAT):
        return None
    try:
        return code_list_from_data(data)
    except ValueError:
        raise InputError.one(str(path), "", say("codes.bad_store_file"), "codes.bad_store_file") from None


@dataclass
class PullResult:
    stored: tuple[Stored, ...] = ()
    failed: list[Problem] = field(default_factory=list)
    """One problem per list that was not pulled (its store files are as they were)."""


def catalog_classifications(catalog: Path) -> list[str]:
    """Every classification OID the catalog's structures bind a Koodi element to (internal names left out)."""
    found = set()
    for structure in Catalog(catalog).structures():
        for located in structure.walk():
            oid = located.element.classification_oid_value
            if oid is not None and is_oid(oid):
                found.add(oid)
    return sorted(found, key=natural_key)


def pull_lists(
    catalog: Path,
    classifications: Sequence[str],
    server: str = DEFAULT_SERVER,
    version: str | None = None,
    valid_on: dt.date | None = None,
    settings: PullSettings | None = None,
    progress: Progress | None = None,
    wait: bool = True,
) -> PullResult:
    """Pull each list; store every one that came in whole (each stored on its own), one problem per failure."""
    result = PullResult()
    store = CodeStore(catalog)
    stored: list[Stored] = []
    for classification in classifications:
        if progress is not None:
            progress(classification)
        try:
            if not is_oid(classification):
                raise InputError.one(classification, "", say("codes.bad_classification"), "codes.bad_classification")
            lists = pull(server, classification, version, valid_on, settings)
            if not lists:
                raise InputError.one(classification, "", say("codes.server_empty"), "codes.empty")
            stored.extend(_stored(store.write(lists, wait)))
        except InputError as exc:
            first = exc.problems[0]
            place = f"{first.source}: {first.location}" if first.location else first.source
            more = say("codes.more_problems", n=len(exc.problems) - 1) if len(exc.problems) > 1 else ""
            why = say("codes.not_pulled", place=place, why=first.message, more=more)
            result.failed.append(Problem(classification, "", why, first.code))
    result.stored = tuple(stored)
    return result
