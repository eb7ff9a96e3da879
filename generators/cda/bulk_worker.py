"""The worker side of bulk encoding: one line pair (a document and its envelope, read by `safeio.jsonl`) in, an
archive document or the located problems out. One `Worker` per process; structures, validators and display
plans are loaded and compiled once per process (or once in the parent, before the workers fork).

A line is parsed here, in the worker, by `safeio.jsonl.parse_line` (the one strict JSON reader of JSON Lines),
and its problems are reported with the CDA commands' codes (`cda.json*`, `cda.too_deep`, `cda.not_object`,
`cda.too_large`), as `cda encode` reports the same text in a file; never a value.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from sosmeta.catalog import Catalog, CatalogError, Entry
from sosmeta.generators.cda.codec import Signing, encode, nests_deeper_than
from sosmeta.generators.cda.envelope import Envelope, build_envelope, envelope_problems, load_organisation, pointer
from sosmeta.generators.cda.limits import DEFAULT_LIMITS, Limits
from sosmeta.safeio.jsonl import Block, JsonlLine, iter_block_pairs, parse_line
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.structures.identifiers import is_oid
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation


@dataclass(frozen=True)
class Settings:
    out: Path
    catalog: Path
    organisation: Path | None = None
    templates: Path | None = None
    allow_invalid: bool = False
    durable: bool = False
    """fsync every file before it gets its name (slower; survives power loss, not only crashes)."""
    limits: Limits = DEFAULT_LIMITS
    signing: Signing | None = None
    """Sign every document (the key is loaded once, before the workers fork, which inherit it)."""
    batch: int = 0
    """Documents per batch file (a tar of N archive documents); 0 writes one file per document."""
    documents_name: str = "documents"
    envelopes_name: str = "envelopes"
    """The input files' names, for the problems the reader reports."""


class Task(NamedTuple):
    """Line N of both files, unparsed (the reader only splits; the worker parses)."""

    line: int
    document: JsonlLine
    envelope: JsonlLine


@dataclass(frozen=True)
class Outcome:
    line: int
    status: str  # "written" | "skipped" | "failed"
    problems: tuple[Problem, ...] = ()
    size: int = 0


@dataclass(frozen=True)
class Encoded:
    """A document encoded but not yet written (batch mode: the parent writes the batch)."""

    line: int
    document_id: str
    data: bytes


class BatchJob(NamedTuple):
    """One batch file's lines: the same block of the documents and the envelopes file (`safeio.jsonl.line_blocks`),
    read from the descriptors the parent opened and the workers inherited."""

    name: str
    fds: tuple[int, int]
    blocks: tuple[Block, Block]
    both_had: int


class Member(NamedTuple):
    """A line whose document went into the batch's tar as `member`, or (`repeat`) whose id an earlier line of the
    batch gave it: with the same bytes (`other` None) or with other bytes (held in `other`). The parent may have
    to judge a repeat again, against a batch that took the id before (`bulk_files.Batches.settle`)."""

    line: int
    member: str
    size: int
    repeat: bool = False
    other: bytes | None = None


class Written(NamedTuple):
    """One-file mode: a line whose document a worker wrote to `temporary`, for the parent to link as `name` in
    line order (so the first line of an id wins whatever the number of workers)."""

    line: int
    name: str
    size: int
    temporary: str


@dataclass(frozen=True)
class BatchResult:
    """A batch encoded and its tar written to `temporary` (None when no document of it went in), for the parent
    to publish in line order; `items` are the outcomes of its lines in line order; `mismatch` the line at which
    one input file ended while the other went on (then a batch's tar is not written; in one-file mode the lines
    before it were)."""

    name: str
    temporary: str | None
    items: Sequence[Outcome | Member | Written]
    mismatch: tuple[bool, int] | None = None
    """(the documents file ended, the line number) when the files have different lengths."""


class _BlockTasks:
    """The tasks of a block's line pairs; they stop where one file ended while the other goes on, and `ended` is
    then (the documents file ended, the line)."""

    def __init__(self, pairs: Iterator[tuple[JsonlLine, JsonlLine]]) -> None:
        self.pairs = pairs
        self.ended: tuple[bool, int] | None = None

    def __iter__(self) -> Iterator[Task]:
        for doc, env in self.pairs:
            for side in (doc, env):
                if side.problem is not None and side.problem.code == "jsonl.length_mismatch":
                    self.ended = (side is doc, doc.line)
                    return
            yield Task(doc.line, doc, env)


class Failed(Exception):
    def __init__(self, location: str, message: str, code: str) -> None:
        self.location, self.message, self.code = location, message, code

    def outcome(self, line: int) -> Outcome:
        """The failed outcome of input line `line`."""
        return Outcome(line, "failed", (Problem(f"line {line}", self.location, self.message, self.code),))


# The reader's codes, as the CDA commands name the same faults of a document or envelope file.
_CDA_CODES = {
    "jsonl.encoding": "cda.json_encoding",
    "jsonl.surrogate": "cda.json_encoding",
    "jsonl.surrogate_key": "cda.json_encoding",
    "jsonl.syntax": "cda.json",
    "jsonl.duplicate_key": "cda.json_duplicate_key",
    "jsonl.non_finite": "cda.json_number",
    "jsonl.huge_number": "cda.json_number",
    "jsonl.too_deep": "cda.too_deep",
    "jsonl.not_object": "cda.not_object",
    "jsonl.too_long": "cda.too_large",
    "jsonl.unpaired": "cda.bulk",
}


def _unreadable(problem: Problem, what: str, line: int) -> Failed:
    """The reader's problem of line `line` as the worker reports it: '<what> column C', the CDA code."""
    prefix = f"line {line}"
    rest = problem.location[len(prefix) :].strip() if problem.location.startswith(prefix) else problem.location
    return Failed(f"{what} {rest}".strip(), problem.message, _CDA_CODES.get(problem.code, problem.code))


class Worker:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = Catalog(settings.catalog)
        self.profile: Organisation | None = load_organisation(settings.organisation) if settings.organisation else None
        self.structures: dict[str, Structure] = {}
        self.entries: dict[str, Entry] | None = None
        """Catalog entries by the version OID their date would give (`_resolve`)."""

    def structure(self, oid: str) -> Structure:
        if oid not in self.structures:
            self.structures[oid] = self._resolve(oid)
        return self.structures[oid]

    def _resolve(self, oid: str) -> Structure:
        """The structure version `oid` names: the catalog entry its date arcs name when that is the one (read
        alone, with the folder listed once per run), else as `Catalog.resolve` finds it (which reads every
        version of the structure to find the one)."""
        if self.entries is None:
            self.entries = {}
            for each in self.catalog.entries():
                arcs = ".".join(str(int(part)) for part in each.version.split("-"))
                self.entries[f"{each.base_oid}.{arcs}"] = each
        entry = self.entries.get(oid)
        if entry is not None:
            structure = self.catalog.load_entry(entry)
            if structure.version_oid == oid:
                return structure
        return self.catalog.resolve(oid)

    def warm(self, tasks: list[Task]) -> None:
        """Load and compile (validator, display plan) the structures these tasks name; failures are left for
        the tasks themselves to report."""
        from sosmeta.generators.cda.display import plan
        from sosmeta.generators.validator import compile_validator

        for oid in {self._named_structure(task) for task in tasks} - {None}:
            try:
                structure = self.structure(str(oid))
            except CatalogError:
                continue
            compile_validator(structure, mode="full")
            plan(structure)

    def _named_structure(self, task: Task) -> str | None:
        record = parse_line(task.envelope, self.settings.envelopes_name)
        oid = record.value.get("content_specification_id") if record.value is not None else None
        return oid if isinstance(oid, str) and is_oid(oid) else None

    def encoded(self, task: Task) -> Encoded | Outcome:
        """The encoded document, or the failed outcome of its line."""
        where = f"line {task.line}"
        try:
            return self._encode(task, where)
        except Failed as exc:
            return exc.outcome(task.line)
        except InputError as exc:
            return Outcome(task.line, "failed", tuple(exc.problems))
        except RecursionError:
            return Outcome(task.line, "failed", (Problem(where, "document", "nested too deeply", "cda.too_deep"),))

    def batch(self, job: BatchJob) -> BatchResult:
        """Encode the lines of one batch and write its tar to a temporary file beside its final name; the parent
        gives it the name (`bulk_files.Batches.settle`). A document id twice in the batch is one document: the
        same bytes again count as already there, other bytes fail (`cda.duplicate_id`)."""
        from sosmeta.generators.cda.bulk_files import tar_bytes
        from sosmeta.generators.cda.publish import temporary_name, write_temporary

        settings = self.settings
        members: dict[str, bytes] = {}
        items: list[Outcome | Member] = []
        tasks = self._block_tasks(job)
        for task in tasks:
            result = self.encoded(task)
            if isinstance(result, Outcome):
                items.append(result)
                continue
            member = f"{result.document_id}.xml"
            known = members.get(member)
            if known is None:
                members[member] = result.data
                items.append(Member(result.line, member, len(result.data)))
            else:
                other = None if known == result.data else result.data
                items.append(Member(result.line, member, len(result.data), True, other))
        if tasks.ended is not None:
            return BatchResult(job.name, None, items, tasks.ended)
        if not members:
            return BatchResult(job.name, None, items)
        temporary = temporary_name(str(settings.out / job.name))
        try:
            write_temporary(temporary, tar_bytes(members), settings.durable)
        except BaseException:  # a full disk, a file too large, an interrupt: no half-written batch stays
            Path(temporary).unlink(missing_ok=True)
            raise
        return BatchResult(job.name, temporary, items)

    def files(self, job: BatchJob) -> BatchResult:
        """Encode the lines of one block and write each document to a temporary file of its own, named by its
        line (one-file mode); the parent links them in line order (`bulk_files.publish_written`). A document
        whose file name is a symbolic link fails here."""
        from sosmeta.generators.cda.bulk_files import file_name
        from sosmeta.generators.cda.publish import write_temporary

        tasks = self._block_tasks(job)
        items: list[Outcome | Member | Written] = []
        try:
            for task in tasks:
                result = self.encoded(task)
                if isinstance(result, Outcome):
                    items.append(result)
                    continue
                try:
                    name = file_name(self.settings, result)
                except Failed as exc:
                    items.append(exc.outcome(task.line))
                    continue
                temporary = f"{self.settings.out}/.{name}.line{task.line}.{os.getpid()}.tmp"
                items.append(Written(task.line, name, len(result.data), temporary))
                write_temporary(temporary, result.data, self.settings.durable)
        except BaseException:  # a full disk, an interrupt: none of this block's files stays behind
            for item in items:
                if isinstance(item, Written):
                    Path(item.temporary).unlink(missing_ok=True)
            raise
        return BatchResult(job.name, None, items, tasks.ended)

    def _block_tasks(self, job: BatchJob) -> _BlockTasks:
        limits = self.settings.limits
        names = (self.settings.documents_name, self.settings.envelopes_name)
        max_line_bytes = (limits.max_input_bytes, limits.max_envelope_bytes)
        return _BlockTasks(
            iter_block_pairs(job.fds, job.blocks, names, both_had=job.both_had, max_line_bytes=max_line_bytes)
        )

    def _object(self, raw: JsonlLine, name: str, what: str) -> dict[str, Any]:
        record = parse_line(raw, name)
        if record.problem is not None:
            raise _unreadable(record.problem, what, raw.line)
        assert record.value is not None
        limit = self.settings.limits.max_json_depth
        if nests_deeper_than(raw.data, record.value, limit):
            raise Failed(what, f"nests arrays and objects deeper than {limit} levels", "cda.too_deep")
        return record.value

    def _encode(self, task: Task, where: str) -> Encoded:
        settings = self.settings
        envelope_data = self._object(task.envelope, settings.envelopes_name, "envelope")
        structure = self._structure_of(envelope_data)
        envelope = self._envelope(envelope_data, structure, where)
        document = self._object(task.document, settings.documents_name, "document")
        data = encode(
            structure,
            document,
            envelope,
            profile=self.profile,
            templates=settings.templates,
            allow_invalid=settings.allow_invalid,
            source=where,
            signing=settings.signing,
            limits=settings.limits,
        )
        return Encoded(task.line, envelope.document_id, data)

    def _envelope(self, data: dict[str, Any], structure: Structure, where: str) -> Envelope:
        try:
            return build_envelope(data, structure, self.profile)
        except ValidationError as exc:
            raise InputError(envelope_problems(exc, where, _in_envelope)) from None

    def _structure_of(self, envelope_data: dict[str, Any]) -> Structure:
        oid = envelope_data.get("content_specification_id")
        if not isinstance(oid, str) or not is_oid(oid):
            raise Failed("envelope /content_specification_id", "missing or not an OID", "cda.envelope")
        try:
            return self.structure(oid)
        except CatalogError:  # its message would name the OID, a value of the envelope
            raise Failed(
                "envelope /content_specification_id",
                "no structure version with this OID in the catalog",
                "cda.structure",
            ) from None


def _in_envelope(loc: tuple[int | str, ...]) -> str:
    return "envelope " + pointer(loc)


WORKER: Worker | None = None


def init(settings: Settings) -> None:
    global WORKER
    WORKER = Worker(settings)


def run_files(job: BatchJob) -> BatchResult:
    """A block of lines, one file per document (the pool's function in one-file mode)."""
    assert WORKER is not None
    return WORKER.files(job)


def run_batch(job: BatchJob) -> BatchResult:
    """One batch encoded and its tar written (the pool's function in batch mode)."""
    assert WORKER is not None
    return WORKER.batch(job)
