"""A migration run: read the source a chunk at a time, archive what is new or changed, record every record in
the ledger, and reconcile at the end.

Per chunk: the ledger's rows of its records are read; a record archived before with the same content hash is
skipped; the others are archived (here, on a process pool, or on Dask workers: `migration.dask`); the packages
are on disk before the chunk's ledger rows are committed. At the end, per legacy type, read = archived +
replaced + refused + skipped, both as counted by this run and as the ledger's rows of this run say; when that
does not hold, the run fails (exit 2). A rerun after a kill finds the packages it wrote with the same bytes.
"""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sosmeta.catalog import Catalog
from sosmeta.generators.cda.publish import Published, publish
from sosmeta.migration.ledger import Ledger
from sosmeta.migration.sources import Record, open_source
from sosmeta.migration.table import load_table
from sosmeta.migration.tablecheck import check_table
from sosmeta.migration.texts import say
from sosmeta.migration.worker import PACKAGES, Job, Prior, Result, archive_batch, worker_for
from sosmeta.safeio.paths import UnsafePath, inside, refuse_link
from sosmeta.sosmeta_import.errors import InputError, Problem

OUTCOMES = ("archived", "replaced", "refused", "skipped")
POOL_CHUNK = 64

Progress = Callable[[int, int], None]
"""(records done since the last call, total records)."""


@dataclass
class RunSummary:
    run: int
    read: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(legacy type, outcome) -> records."""
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    def total(self, outcome: str) -> int:
        return sum(n for (_, o), n in self.outcomes.items() if o == outcome)

    @property
    def records(self) -> int:
        return sum(self.read.values())


def stale_packages(folder: Path) -> list[Path]:
    """Temporary files (`.NAME.mime.PID.tmp`, as `publish` names them) a killed run left; never one of a
    process still running."""
    from sosmeta.generators.cda.publish import stale_temporaries

    return stale_temporaries(folder, (".*.mime.*.tmp",))


def check_for_run(job: Job) -> None:
    """The table must pass its check (without the source's coverage: records of a type without a row are
    refused as unmapped and listed by the report)."""
    table = load_table(job.table)
    problems = check_table(table, Catalog(job.catalog))
    if problems:
        raise InputError(problems)


def skip_or_task(worker: Any, record: Record, prior: Prior | None) -> Result | tuple[Record, Prior | None, str]:
    hashed = worker.hash_of(record)
    if prior is not None and prior.state == "archived" and prior.content_hash == hashed:
        return Result(record.record_id, record.legacy_type, "skipped", hashed)
    return record, prior, hashed


def _split(tasks: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(tasks), size):
        yield tasks[start : start + size]


def run_migration(
    job: Job,
    ledger_url: str,
    jobs: int = 1,
    progress: Progress | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    shared_output: bool = False,
) -> RunSummary:
    """Run (or resume) the migration; returns the counts. Raises InputError when the table is unusable, the
    source cannot be read or the reconciliation does not hold. `shared_output`: on Dask, the workers write the
    packages into the output folder themselves (it is at the same path on every worker)."""
    check_for_run(job)
    assert job.out is not None
    packages = job.out / PACKAGES
    try:
        refuse_link(packages)
        packages.mkdir(parents=True, exist_ok=True)
    except UnsafePath as exc:
        raise InputError.one(str(packages), "", say("packages_link"), "migrate.unsafe_path") from exc
    for stale in stale_packages(packages):
        stale.unlink(missing_ok=True)
    source = open_source(job.source)
    total = sum(source.type_counts().values())
    ledger = Ledger(ledger_url, job.source.name)
    run = ledger.start_run()
    summary = RunSummary(run)
    started = time.perf_counter()
    tell = progress or (lambda n, t: None)
    try:
        if scheduler is not None or workers is not None:
            from sosmeta.migration.dask import run_distributed

            run_distributed(job, source, ledger, summary, tell, total, scheduler, workers, shared_output)
        else:
            _run_local(job, source.chunks(), ledger, summary, jobs, tell, total)
        summary.seconds = time.perf_counter() - started
        summary.problems = reconcile(summary, ledger, total)
    except BaseException:
        ledger.finish_run(run, "failed")
        ledger.dispose()
        raise
    ledger.finish_run(run, "unreconciled" if summary.problems else "done")
    ledger.dispose()
    if summary.problems:
        raise InputError(summary.problems)
    return summary


def _run_local(
    job: Job,
    chunks: Iterable[list[Record]],
    ledger: Ledger,
    summary: RunSummary,
    jobs: int,
    tell: Progress,
    total: int,
) -> None:
    """Chunk by chunk; with a pool, the next chunk is read, hashed and sent while the workers archive the one
    before (each chunk's rows are still committed only after all of its packages are on disk)."""
    worker = worker_for(job)  # loaded (and validators compiled) here; forked workers inherit it
    pool: Any = None
    pending: _Pending | None = None
    try:
        for chunk in chunks:
            priors = ledger.priors(r.record_id for r in chunk)
            decided = [skip_or_task(worker, r, priors.get(r.record_id)) for r in chunk]
            tasks = [d for d in decided if isinstance(d, tuple)]
            if jobs > 1 and pool is None and tasks:
                pool = _start_pool(worker, jobs)
            if pool is None:
                _finish(job, ledger, summary, tell, total, _Pending(decided, archive_batch(job, tasks)))
                continue
            parts = [(job, part) for part in _split(tasks, POOL_CHUNK)]
            sent = _Pending(decided, pool.map_async(_archive_part, parts, chunksize=1))
            if pending is not None:
                _finish(job, ledger, summary, tell, total, pending)
            pending = sent
        if pending is not None:
            _finish(job, ledger, summary, tell, total, pending)
            pending = None
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
            gc.unfreeze()


@dataclass
class _Pending:
    """A chunk sent to be archived: its records' decisions (a skip, or a task) and the archived results, in
    order (a list, or the pool's handle of a list of parts)."""

    decided: list[Any]
    archived: Any


def _finish(job: Job, ledger: Ledger, summary: RunSummary, tell: Progress, total: int, pending: _Pending) -> None:
    archived = pending.archived
    done = iter(archived if isinstance(archived, list) else [r for part in archived.get() for r in part])
    results = [d if isinstance(d, Result) else next(done) for d in pending.decided]
    commit(job, ledger, summary, results)
    tell(len(results), total)


def _start_pool(worker: Any, jobs: int) -> Any:
    for structure in worker.structures.values():
        _warm(structure)
    gc.freeze()
    return multiprocessing.get_context("fork").Pool(jobs)


def _warm(structure: Any) -> None:
    from sosmeta.generators.cda.display import plan
    from sosmeta.generators.validator import compile_validator

    compile_validator(structure, mode="full")
    plan(structure)


def _archive_part(item: tuple[Job, list[Any]]) -> list[Result]:
    job, tasks = item
    return archive_batch(job, tasks)


def commit(job: Job, ledger: Ledger, summary: RunSummary, results: list[Result]) -> None:
    """Publish packages that came back as bytes (Dask workers without the folder), then record the chunk."""
    assert job.out is not None
    written: list[Result] = []
    for result in results:
        if result.data is not None and result.file is not None:
            if not _published(job, result.file, result.data):
                kept = ledger.priors([result.record_id]).get(result.record_id)
                kept = kept if kept is not None and kept.document_id else None  # the last archived version's ids
                result = replace(
                    result,
                    outcome="refused",
                    reason="migrate.file_conflict",
                    location=result.file,
                    message="another file with this document id is in the output folder",
                    document_id=kept.document_id if kept else None,
                    set_id=kept.set_id if kept else None,
                    version=kept.version if kept else None,
                    file=None,
                    file_sha256=None,
                )
            result = replace(result, data=None)
        written.append(result)
        summary.read[result.legacy_type] += 1
        summary.outcomes[(result.legacy_type, result.outcome)] += 1
    ledger.record(summary.run, written)


def _published(job: Job, file: str, data: bytes) -> bool:
    """Publish a package that came back as bytes; False when its name is taken by other bytes or is a symbolic
    link (refused as a conflict, as a worker that publishes itself refuses it)."""
    assert job.out is not None
    try:
        target = inside(job.out, *file.split("/"))
    except UnsafePath:
        return False
    return publish(target, data, job.durable) is not Published.DIFFERENT


def reconcile(summary: RunSummary, ledger: Ledger, in_source: int | None = None) -> list[Problem]:
    """read = archived + replaced + refused + skipped for every legacy type, as counted and as the ledger has it;
    and every record the source held when the run started was read."""
    problems: list[Problem] = []
    if in_source is not None and summary.records != in_source:
        problems.append(
            Problem(
                "ledger",
                "source",
                say("reconcile_source", in_source=in_source, read=summary.records),
                "migrate.reconciliation",
            )
        )
    touched = ledger.touched(summary.run)
    for legacy in sorted(summary.read):
        read = summary.read[legacy]
        counted = sum(summary.outcomes[(legacy, o)] for o in OUTCOMES)
        in_ledger = sum(touched.get((legacy, o), 0) for o in OUTCOMES)
        if read != counted or read != in_ledger:
            problems.append(
                Problem(
                    "ledger",
                    f"legacy type {legacy}",
                    say("reconcile_type", read=read, counted=counted, in_ledger=in_ledger),
                    "migrate.reconciliation",
                )
            )
    return problems
