"""Bulk encoding: a JSON Lines file of documents and one of envelopes (paired by line) into a folder of CDA files.

Streams (bounded memory: lines are read in batches bounded in count and bytes, and a line longer than the
limits is skipped in chunks and reported), runs on N processes, writes every file atomically and never over
another (`publish`), reports failures per document without stopping, and resumes: a document whose file is
already there with the same bytes is counted as already there. A document id names one document: a line whose
id is taken by a file with other content fails (`cda.duplicate_id`). Output: DIR/<document id>.xml; failures
also go to DIR/failures.jsonl (line, and per problem the place, message and code; never a value).
"""

from __future__ import annotations

import gc
import itertools
import json
import multiprocessing
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from sosmeta.catalog import Catalog, CatalogError
from sosmeta.generators.cda.codec import Signing, encode
from sosmeta.generators.cda.envelope import build_envelope, envelope_problems, load_organisation, pointer
from sosmeta.generators.cda.jsontext import load_object
from sosmeta.generators.cda.limits import DEFAULT_LIMITS, Limits, MiB
from sosmeta.generators.cda.publish import Published, publish, replace_file, stale_temporaries
from sosmeta.safeio.paths import UnsafePath, inside
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.structures.identifiers import is_oid
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation

BATCH = 2048
BATCH_BYTES = 64 * MiB
CHUNK = 32
FAILURES = "failures.jsonl"

Task = tuple[int, bytes | None, bytes | None]
"""(line number, document line, envelope line): raw bytes, decoded by the worker (the reader only splits);
None stands for a line longer than its limit."""


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


@dataclass(frozen=True)
class Outcome:
    line: int
    status: str  # "written" | "skipped" | "failed"
    problems: tuple[Problem, ...] = ()
    size: int = 0


@dataclass
class Summary:
    written: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[Outcome] = field(default_factory=list)


class _Failed(Exception):
    def __init__(self, location: str, message: str, code: str) -> None:
        self.location, self.message, self.code = location, message, code


# ---- worker side (one per process) ----------------------------------------------------------------------------
class _Worker:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = Catalog(settings.catalog)
        self.profile: Organisation | None = load_organisation(settings.organisation) if settings.organisation else None
        self.structures: dict[str, Structure] = {}

    def structure(self, oid: str) -> Structure:
        if oid not in self.structures:
            self.structures[oid] = self.catalog.resolve(oid)
        return self.structures[oid]

    def warm(self, tasks: list[Task]) -> None:
        """Load and compile (validator, display plan) the structures these tasks name; failures are left for
        the tasks themselves to report."""
        from sosmeta.generators.cda.display import plan
        from sosmeta.generators.validator import compile_validator

        for oid in {_named_structure(env) for _, _, env in tasks} - {None}:
            try:
                structure = self.structure(str(oid))
            except CatalogError:
                continue
            compile_validator(structure, mode="full")
            plan(structure)

    def __call__(self, task: Task) -> Outcome:
        line = task[0]
        where = f"line {line}"
        try:
            return self._encode(task, where)
        except _Failed as exc:
            return Outcome(line, "failed", (Problem(where, exc.location, exc.message, exc.code),))
        except InputError as exc:
            return Outcome(line, "failed", tuple(exc.problems))
        except RecursionError:
            return Outcome(line, "failed", (Problem(where, "document", "nested too deeply", "cda.too_deep"),))

    def _encode(self, task: Task, where: str) -> Outcome:
        line, doc_raw, env_raw = task
        limits = self.settings.limits
        if env_raw is None:
            raise _Failed("envelope", f"the line is longer than {limits.max_envelope_bytes} bytes", "cda.too_large")
        if doc_raw is None:
            raise _Failed("document", f"the line is longer than {limits.max_input_bytes} bytes", "cda.too_large")
        envelope_data = load_object(env_raw, where, "envelope", limits.max_json_depth, "envelope")
        structure = self._structure_of(envelope_data)
        try:
            envelope = build_envelope(envelope_data, structure, self.profile)
        except ValidationError as exc:
            raise InputError(envelope_problems(exc, where, _in_envelope)) from None
        try:
            target = inside(self.settings.out, f"{envelope.document_id}.xml")
        except UnsafePath:
            raise _Failed(
                "envelope /document_id",
                "the output file of this document id is a symbolic link; sosmeta never writes through links",
                "cda.unsafe_path",
            ) from None
        document = load_object(doc_raw, where, "document", limits.max_json_depth, "document")
        data = encode(
            structure,
            document,
            envelope,
            profile=self.profile,
            templates=self.settings.templates,
            allow_invalid=self.settings.allow_invalid,
            source=where,
            signing=self.settings.signing,
            limits=limits,
        )
        published = publish(target, data, self.settings.durable)
        if published is Published.DIFFERENT:
            raise _Failed(
                "envelope /document_id",
                "a file with this document id and other content is already in the output folder (a document id "
                "names one document)",
                "cda.duplicate_id",
            )
        return Outcome(line, "written" if published is Published.WRITTEN else "skipped", size=len(data))

    def _structure_of(self, envelope_data: dict[str, Any]) -> Structure:
        oid = envelope_data.get("content_specification_id")
        if not isinstance(oid, str) or not is_oid(oid):
            raise _Failed("envelope /content_specification_id", "missing or not an OID", "cda.envelope")
        try:
            return self.structure(oid)
        except CatalogError:  # its message would name the OID, a value of the envelope
            raise _Failed(
                "envelope /content_specification_id",
                "no structure version with this OID in the catalog",
                "cda.structure",
            ) from None


def _in_envelope(loc: tuple[int | str, ...]) -> str:
    return "envelope " + pointer(loc)


def _named_structure(envelope_line: bytes | None) -> str | None:
    try:
        data = json.loads(envelope_line or b"")
    except (ValueError, RecursionError):
        return None
    oid = data.get("content_specification_id") if isinstance(data, dict) else None
    return oid if isinstance(oid, str) and is_oid(oid) else None


_WORKER: _Worker | None = None


def _init(settings: Settings) -> None:
    global _WORKER
    _WORKER = _Worker(settings)


def _run(task: Task) -> Outcome:
    assert _WORKER is not None
    return _WORKER(task)


# ---- reading -------------------------------------------------------------------------------------------------------
def _open_regular(path: Path) -> IO[bytes]:
    """`path` opened for reading if it is a regular file (a FIFO or device is refused, never waited on)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError.one(str(path), "", f"cannot read file: {exc.strerror}", "file.unreadable") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError.one(str(path), "", "is not a regular file (a device, FIFO or socket)", "file.not_regular")
    return os.fdopen(fd, "rb")


def _lines(handle: IO[bytes], limit: int) -> Iterator[tuple[bytes | None, int]]:
    """(line, bytes read) for each line of `handle`; the line is None when it is longer than `limit`, whose
    rest is then skipped in chunks (never held in memory)."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if line.endswith(b"\n") or len(line) <= limit:
            yield line, len(line)
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = handle.readline(1 * MiB)
            if not line:
                break
            size += len(line)
        yield None, size


def _tasks(documents: Path, envelopes: Path, limits: Limits, advance: Callable[[int], None]) -> Iterator[Task]:
    with _open_regular(documents) as docs, _open_regular(envelopes) as envs:
        pairs = itertools.zip_longest(_lines(docs, limits.max_input_bytes), _lines(envs, limits.max_envelope_bytes))
        for number, (doc, env) in enumerate(pairs, start=1):
            if doc is None or env is None:
                shorter = documents if doc is None else envelopes
                raise InputError.one(str(shorter), f"line {number}", "fewer lines than the other file", "cda.bulk")
            (doc_line, size), (env_line, _) = doc, env
            advance(size)
            if doc_line is None or env_line is None or doc_line.strip() or env_line.strip():
                yield number, doc_line, env_line


def _batches(tasks: Iterable[Task]) -> Iterator[list[Task]]:
    """Tasks in lists of at most BATCH tasks and about BATCH_BYTES bytes."""
    batch: list[Task] = []
    size = 0
    for task in tasks:
        batch.append(task)
        size += len(task[1] or b"") + len(task[2] or b"")
        if len(batch) >= BATCH or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


# ---- driver ----------------------------------------------------------------------------------------------------------
def encode_jsonl(
    documents: Path,
    envelopes: Path,
    settings: Settings,
    jobs: int = 1,
    advance: Callable[[int], None] = lambda n: None,
    report: Callable[[Outcome], None] = lambda o: None,
) -> Summary:
    """Encode every document; returns counts and the failures (also written to OUT/failures.jsonl)."""
    settings.out.mkdir(parents=True, exist_ok=True)
    failures_file = inside(settings.out, FAILURES)
    for stale in stale_temporaries(settings.out):
        stale.unlink(missing_ok=True)
    summary = Summary()
    batches = _batches(_tasks(documents, envelopes, settings.limits, advance))
    first = next(batches, [])
    _init(settings)
    assert _WORKER is not None
    if jobs > 1:  # compile what the first batch needs once, here; the forked workers inherit it
        _WORKER.warm(first)
        gc.freeze()  # workers' collections then neither scan the inherited objects nor copy their pages
    pool: Any = multiprocessing.get_context("fork").Pool(jobs) if jobs > 1 else None
    try:
        for batch in itertools.chain([first], batches):
            results = pool.imap(_run, batch, chunksize=CHUNK) if pool is not None else map(_run, batch)
            for outcome in results:
                _count(summary, outcome)
                report(outcome)
    except OSError as exc:  # the output folder cannot be written (read-only, full): no document can be
        raise InputError.one(str(settings.out), "", f"cannot write: {exc.strerror}", "cda.io") from None
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
            gc.unfreeze()
    replace_file(failures_file, b"".join(failure_line(o) for o in summary.failures))
    return summary


def failure_line(outcome: Outcome) -> bytes:
    """One line of failures.jsonl: the line number and each problem's place, message and code."""
    problems = [{"location": p.location, "message": p.message, "code": p.code} for p in outcome.problems]
    return json.dumps({"line": outcome.line, "problems": problems}, ensure_ascii=False).encode("utf-8") + b"\n"


def _count(summary: Summary, outcome: Outcome) -> None:
    if outcome.status == "written":
        summary.written += 1
    elif outcome.status == "skipped":
        summary.skipped += 1
    else:
        summary.failed += 1
        summary.failures.append(outcome)
