"""Bulk encoding: a JSON Lines file of documents and one of envelopes (paired by line) into a folder of CDA files.

The files are read by `safeio.jsonl.iter_line_pairs` (streaming, lines end at "\\n" only, a BOM and blank
lines skipped, line numbers as an editor shows them) and each line is parsed in a worker process by
`parse_line`: an unreadable line (bad JSON, not UTF-8, not an object, too long) fails that document, with its
line number, and the run goes on. Files of different lengths are bad input (exit 2). Runs on N processes,
writes every file atomically and never over another, reports failures per document without stopping, and
resumes: a document whose file is already there with the same bytes is counted as already there. A document
id names one document: a line whose id is taken by other content fails (`cda.duplicate_id`).

Output: DIR/<document id>.xml, or with `Settings.batch` N, DIR/lines-<first>-<last>.tar of N documents each
(`bulk_files`); failures also go to DIR/failures.jsonl (line, and per problem the place, message and code;
never a value).
"""

from __future__ import annotations

import collections
import gc
import itertools
import json
import multiprocessing
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sosmeta.generators.cda import bulk_worker
from sosmeta.generators.cda.bulk_files import Batches, batch_name
from sosmeta.generators.cda.bulk_worker import Encoded, Outcome, Settings, Task
from sosmeta.generators.cda.limits import MiB
from sosmeta.generators.cda.publish import replace_file, stale_temporaries
from sosmeta.safeio.jsonl import iter_line_pairs
from sosmeta.safeio.paths import inside
from sosmeta.safeio.reading import open_nonblocking
from sosmeta.sosmeta_import.errors import InputError

__all__ = ["FAILURES", "Outcome", "Settings", "Summary", "encode_jsonl", "failure_line"]

BATCH = 2048
BATCH_BYTES = 64 * MiB
CHUNK = 32
FAILURES = "failures.jsonl"


@dataclass
class Summary:
    written: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[Outcome] = field(default_factory=list)


# ---- reading -------------------------------------------------------------------------------------------------------
def _open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading if it is a regular file (a FIFO or device is refused, never waited on)."""
    fd = open_nonblocking(path, str(path))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError.one(str(path), "", "is not a regular file (a device, FIFO or socket)", "file.not_regular")
    os.set_blocking(fd, True)
    return open(fd, "rb", buffering=1 * MiB)


def _tasks(documents: Path, envelopes: Path, settings: Settings, advance: Callable[[int], None]) -> Iterator[Task]:
    """Line N of both files, for every N where either is not blank; files of different lengths are bad input."""
    limits = settings.limits
    names = (settings.documents_name, settings.envelopes_name)
    with _open_regular(documents) as docs, _open_regular(envelopes) as envs:
        pairs = iter_line_pairs(docs, envs, names, max_line_bytes=(limits.max_input_bytes, limits.max_envelope_bytes))
        for doc, env in pairs:
            for side in (doc, env):
                if side.problem is not None and side.problem.code == "jsonl.length_mismatch":
                    raise _mismatch(names, side is doc, doc.line)
            advance(len(doc.data) + 1)
            yield Task(doc.line, doc, env)


def _mismatch(names: tuple[str, str], documents_ended: bool, line: int) -> InputError:
    short, long = names if documents_ended else names[::-1]
    return InputError.one(
        short, f"line {line}", f"the file has fewer lines than {long}, which goes on at line {line}", "cda.bulk"
    )


def _batches(tasks: Iterable[Task]) -> Iterator[list[Task]]:
    """Tasks in lists of at most BATCH tasks and about BATCH_BYTES bytes (a batch file may span lists: the
    parent holds its documents until its last line)."""
    batch: list[Task] = []
    count = 0
    for task in tasks:
        batch.append(task)
        count += len(task.document.data) // (BATCH_BYTES // BATCH) + 1
        if count >= BATCH:
            yield batch
            batch, count = [], 0
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
    if settings.documents_name == "documents" and settings.envelopes_name == "envelopes":
        settings = _named(settings, documents, envelopes)
    settings.out.mkdir(parents=True, exist_ok=True)
    failures_file = inside(settings.out, FAILURES)
    for stale in stale_temporaries(settings.out):
        stale.unlink(missing_ok=True)
    summary = Summary()
    batches = _batches(_tasks(documents, envelopes, settings, advance))
    first = next(batches, [])
    bulk_worker.init(settings)
    worker = bulk_worker.WORKER
    assert worker is not None
    if jobs > 1:  # compile what the first batch needs once, here; the forked workers inherit it
        worker.warm(first)
        gc.freeze()  # workers' collections then neither scan the inherited objects nor copy their pages
    pool: Any = multiprocessing.get_context("fork").Pool(jobs) if jobs > 1 else None
    try:
        outcomes = _outcomes(itertools.chain([first], batches), settings, pool)
        for outcome in outcomes:
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


def _named(settings: Settings, documents: Path, envelopes: Path) -> Settings:
    from dataclasses import replace

    return replace(settings, documents_name=str(documents), envelopes_name=str(envelopes))


def _outcomes(lists: Iterable[list[Task]], settings: Settings, pool: Any) -> Iterator[Outcome]:
    """The outcome of every task, in line order: written by the workers, or in batches by this process."""
    function = bulk_worker.run_encoded if settings.batch else bulk_worker.run_one
    results = _in_order(lists, function, pool)
    if not settings.batch:
        yield from results
        return
    batches = Batches(settings)
    name, held = "", list[Encoded | Outcome]()
    for item in results:
        line_batch = batch_name(item.line, settings.batch)
        if line_batch != name and held:
            yield from batches.write(name, held)
            held = []
        name = line_batch
        held.append(item)
    if held:
        yield from batches.write(name, held)


def _in_order(lists: Iterable[list[Task]], function: Callable[[Task], Any], pool: Any) -> Iterator[Any]:
    """`function` of every task, in order. With a pool, the next list is handed to the workers before the results
    of the one before are taken, so that they go on while this process writes (two lists at most in flight)."""
    if pool is None:
        for tasks in lists:
            yield from map(function, tasks)
        return
    running: collections.deque[Iterator[Any]] = collections.deque()
    for tasks in lists:
        running.append(pool.imap(function, tasks, chunksize=CHUNK))
        if len(running) > 1:
            yield from running.popleft()
    while running:
        yield from running.popleft()


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
