"""Bulk encoding: a JSON Lines file of documents and one of envelopes (paired by line) into a folder of CDA files.

Streams (bounded memory: lines are read in batches), runs on N processes, writes every file atomically
(temporary file + rename, so a file that exists is complete), reports failures per document without stopping,
and resumes: a document whose output file already exists is skipped. Output: DIR/<document id>.xml; failures
also go to DIR/failures.jsonl (line, location, message, code; never values).
"""

from __future__ import annotations

import gc
import itertools
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog import Catalog, CatalogError
from generators.cda.codec import encode
from generators.cda.envelope import build_envelope, load_organisation
from sosmeta_import.errors import InputError
from structures.identifiers import check_oid
from structures.model import Structure
from structures.organisation import Organisation

BATCH = 2048
CHUNK = 32
FAILURES = "failures.jsonl"

Task = tuple[int, bytes, bytes]
"""(line number, document line, envelope line): raw bytes, decoded by the worker (the reader only splits)."""


@dataclass(frozen=True)
class Settings:
    out: Path
    catalog: Path
    organisation: Path | None = None
    templates: Path | None = None
    allow_invalid: bool = False
    durable: bool = False
    """fsync every file before the rename (slower; survives power loss, not only crashes)."""


@dataclass(frozen=True)
class Outcome:
    line: int
    status: str  # "written" | "skipped" | "failed"
    problems: tuple[str, ...] = ()
    size: int = 0


@dataclass
class Summary:
    written: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[Outcome] = field(default_factory=list)


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
        from generators.cda.display import plan
        from generators.validator import compile_validator

        for oid in {_named_structure(env) for _, _, env in tasks} - {None}:
            try:
                structure = self.structure(str(oid))
            except CatalogError:
                continue
            compile_validator(structure, mode="full")
            plan(structure)

    def __call__(self, task: Task) -> Outcome:
        line, doc_text, env_text = task
        where = f"line {line}"
        try:
            envelope_data = json.loads(env_text)
            if not isinstance(envelope_data, dict):
                return Outcome(line, "failed", (f"{where}: envelope is not a JSON object",))
            document_id = check_oid(str(envelope_data.get("document_id", "")))
            target = self.settings.out / f"{document_id}.xml"
            if target.exists():
                return Outcome(line, "skipped")
            oid = envelope_data.get("content_specification_id")
            if not isinstance(oid, str):
                return Outcome(line, "failed", (f"{where}: envelope names no content_specification_id",))
            structure = self.structure(oid)
            envelope = build_envelope(envelope_data, structure, self.profile)
            document = json.loads(doc_text)
            data = encode(
                structure,
                document,
                envelope,
                profile=self.profile,
                templates=self.settings.templates,
                allow_invalid=self.settings.allow_invalid,
                source=where,
            )
            write_atomic(target, data, self.settings.durable)
            return Outcome(line, "written", size=len(data))
        except InputError as exc:
            return Outcome(line, "failed", tuple(str(p) for p in exc.problems))
        except CatalogError as exc:
            return Outcome(line, "failed", (f"{where}: {exc}",))
        except ValueError as exc:  # JSON syntax, pydantic validation (messages name fields, not values)
            return Outcome(line, "failed", (f"{where}: {_describe(exc)}",))
        except RecursionError:
            return Outcome(line, "failed", (f"{where}: JSON nested too deeply",))


def _named_structure(envelope_line: bytes) -> str | None:
    try:
        data = json.loads(envelope_line)
    except ValueError:
        return None
    oid = data.get("content_specification_id") if isinstance(data, dict) else None
    return oid if isinstance(oid, str) else None


def _describe(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        parts = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors(include_input=False)]
        return "envelope: " + "; ".join(parts)
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON (column {exc.colno})"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return "invalid value: " + str(exc).split("\n")[0][:200]


_WORKER: _Worker | None = None


def _init(settings: Settings) -> None:
    global _WORKER
    _WORKER = _Worker(settings)


def _run(task: Task) -> Outcome:
    assert _WORKER is not None
    return _WORKER(task)


def write_atomic(path: Path, data: bytes, durable: bool = False) -> None:
    """Write via a temporary file in the same folder and rename, so the file appears complete or not at all.
    The temporary name is fixed per process (one writer per name), which saves mkstemp's retries."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---- driver ----------------------------------------------------------------------------------------------------------
def _tasks(documents: Path, envelopes: Path, advance: Callable[[int], None]) -> Iterator[Task]:
    with documents.open("rb") as docs, envelopes.open("rb") as envs:
        for number, (doc, env) in enumerate(itertools.zip_longest(docs, envs), start=1):
            if doc is None or env is None:
                shorter = documents if doc is None else envelopes
                raise InputError.one(str(shorter), f"line {number}", "fewer lines than the other file", "cda.bulk")
            advance(len(doc))
            if doc.strip() or env.strip():
                yield number, doc, env


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
    for stale in settings.out.glob(".*.xml.*.tmp"):  # left by an interrupted run; never a finished file
        stale.unlink(missing_ok=True)
    summary = Summary()
    tasks = _tasks(documents, envelopes, advance)
    first = list(itertools.islice(tasks, BATCH))
    _init(settings)
    assert _WORKER is not None
    if jobs > 1:  # compile what the first batch needs once, here; the forked workers inherit it
        _WORKER.warm(first)
        gc.freeze()  # workers' collections then neither scan the inherited objects nor copy their pages
    pool: Any = multiprocessing.get_context("fork").Pool(jobs) if jobs > 1 else None
    try:
        batch = first
        while batch:
            results = pool.imap(_run, batch, chunksize=CHUNK) if pool is not None else map(_run, batch)
            for outcome in results:
                _count(summary, outcome)
                report(outcome)
            batch = list(itertools.islice(tasks, BATCH))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
            gc.unfreeze()
    write_atomic(
        settings.out / FAILURES,
        b"".join(
            json.dumps({"line": o.line, "problems": list(o.problems)}, ensure_ascii=False).encode() + b"\n"
            for o in summary.failures
        ),
    )
    return summary


def _count(summary: Summary, outcome: Outcome) -> None:
    if outcome.status == "written":
        summary.written += 1
    elif outcome.status == "skipped":
        summary.skipped += 1
    else:
        summary.failed += 1
        summary.failures.append(outcome)
