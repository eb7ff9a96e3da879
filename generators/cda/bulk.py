"""Bulk encoding: a JSON Lines file of documents and one of envelopes (paired by line) into a folder of CDA files.

The files are cut into blocks of lines here (`safeio.jsonl.line_blocks`: only line ends are counted) and each
block is read by a worker process (`iter_block_pairs`: streaming, lines end at "\\n" only, a BOM and blank
lines skipped, line numbers as an editor shows them), each line parsed there by `parse_line`: an unreadable
line (bad JSON, not UTF-8, not an object, too long) fails that document, with its line number, and the run
goes on. Files of different lengths are bad input (exit 2). Runs on N processes, writes every file atomically
and never over another, reports failures per document without stopping, and resumes: a document whose file is
already there with the same bytes is counted as already there. A document id names one document: a line whose
id is taken by other content fails (`cda.duplicate_id`); the first line of an id wins.

Output: DIR/<document id>.xml, or with `Settings.batch` N, DIR/lines-<first>-<last>.tar of N documents each
(`bulk_files`); failures also go to DIR/failures.jsonl (line, and per problem the place, message and code;
never a value).

A worker writes what it encodes under temporary names (a block's documents, one file each, or a batch's tar)
and this process, taking the results in line order, links them to their names (`bulk_files.publish_written`,
`Batches.settle`): the outcomes come in line order and all the per-document work is in the workers. Each batch
is one worker's job: J workers are busy only when the input has at least J batches.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import itertools
import json
import multiprocessing
import os
import stat
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sosmeta.generators.cda import bulk_worker
from sosmeta.generators.cda.bulk_files import Batches, batch_name, publish_written
from sosmeta.generators.cda.bulk_worker import BatchJob, BatchResult, Outcome, Settings, Task, Written
from sosmeta.generators.cda.limits import MiB
from sosmeta.generators.cda.publish import replace_file, stale_temporaries
from sosmeta.safeio.jsonl import Block, JsonlLine, line_blocks, span_lines
from sosmeta.safeio.paths import inside
from sosmeta.safeio.reading import open_nonblocking
from sosmeta.sosmeta_import.errors import InputError

__all__ = ["FAILURES", "Outcome", "Settings", "Summary", "encode_jsonl", "failure_line"]

FILES = 64
"""Lines per block in one-file mode (each block one worker's job)."""
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


def _mismatch(names: tuple[str, str], documents_ended: bool, line: int) -> InputError:
    """Files of different lengths: bad input, named at the line where the shorter one ended."""
    short, long = names if documents_ended else names[::-1]
    return InputError.one(
        short, f"line {line}", f"the file has fewer lines than {long}, which goes on at line {line}", "cda.bulk"
    )


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
    try:
        with contextlib.closing(_outcomes(documents, envelopes, settings, jobs, advance)) as outcomes:
            for outcome in outcomes:
                _count(summary, outcome)
                report(outcome)
    except OSError as exc:  # the output folder cannot be written (read-only, full): no document can be
        raise InputError.one(str(settings.out), "", f"cannot write: {exc.strerror}", "cda.io") from None
    replace_file(failures_file, b"".join(failure_line(o) for o in summary.failures))
    return summary


def _named(settings: Settings, documents: Path, envelopes: Path) -> Settings:
    from dataclasses import replace

    return replace(settings, documents_name=str(documents), envelopes_name=str(envelopes))


@contextlib.contextmanager
def _pool(settings: Settings, jobs: int, warm: Callable[[], list[Task]]) -> Iterator[Any]:
    """The worker processes (None for one job), forked once this process has compiled what the tasks `warm()`
    gives need (asked for only when there are workers, and not kept)."""
    bulk_worker.init(settings)
    worker = bulk_worker.WORKER
    assert worker is not None
    if jobs <= 1:
        yield None
        return
    worker.warm(warm())  # compiled once, here; the forked workers inherit it
    gc.freeze()  # workers' collections then neither scan the inherited objects nor copy their pages
    pool = multiprocessing.get_context("fork").Pool(jobs)
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()
        gc.unfreeze()


# ---- the run: the parent cuts the files into blocks, a worker reads, encodes and writes each -----------------------
def _outcomes(
    documents: Path, envelopes: Path, settings: Settings, jobs: int, advance: Callable[[int], None]
) -> Generator[Outcome, None, None]:
    """The parent only counts line ends (`line_blocks`) to cut the files into blocks (a batch each, or `FILES`
    lines in one-file mode), hands each block to a worker, and takes the results in line order, linking what the
    worker wrote: a batch (`Batches.settle`) or each document of the block (`publish_written`). So the outcomes
    come in line order."""
    batches = Batches(settings) if settings.batch else None
    names = (settings.documents_name, settings.envelopes_name)
    function = bulk_worker.run_batch if settings.batch else bulk_worker.run_files
    with _open_regular(documents) as docs, _open_regular(envelopes) as envs:
        batch_jobs = _batch_jobs(docs, envs, settings.batch or FILES)
        first = next(batch_jobs, None)
        if first is None:
            return
        try:
            with _pool(settings, jobs, lambda: _warm_tasks(envs.fileno(), settings)) as pool:
                results = _batch_results(itertools.chain([first], batch_jobs), function, pool, 2 * jobs + 2)
                for job, result in results:
                    try:
                        if batches is None:  # one file each: linked here in line order, up to a length mismatch
                            yield from _published(settings, result)
                        if result.mismatch is not None:
                            raise _mismatch(names, *result.mismatch)
                        if batches is not None:
                            yield from batches.settle(result)
                        advance(job.blocks[0].end - job.blocks[0].start)
                    finally:  # settled (then already gone), or interrupted
                        for temporary in _temporaries(result):
                            Path(temporary).unlink(missing_ok=True)
        finally:  # the workers are gone: batches they wrote that nobody published (an error, an interrupt)
            for stale in stale_temporaries(settings.out):
                stale.unlink(missing_ok=True)


def _published(settings: Settings, result: BatchResult) -> Iterator[Outcome]:
    """One-file mode: the outcomes of a block's lines, each document a worker wrote linked to its name."""
    for item in result.items:
        if isinstance(item, Written):
            yield publish_written(settings, item)
        elif isinstance(item, Outcome):
            yield item


def _temporaries(result: BatchResult) -> list[str]:
    """The temporary files of a worker's result (a batch's tar, or a block's documents)."""
    found = [item.temporary for item in result.items if isinstance(item, Written)]
    return [result.temporary, *found] if result.temporary is not None else found


WARM_LINES = 2048
"""Envelope lines read by the parent before the workers fork, to compile the structures they name."""


def _warm_tasks(envelopes: int, settings: Settings) -> list[Task]:
    """The first `WARM_LINES` envelope lines (read by offset from the open file), as tasks without documents:
    what `Worker.warm` needs to compile the structures they name before the workers fork."""
    lines = span_lines(
        envelopes, 0, os.fstat(envelopes).st_size, settings.envelopes_name, settings.limits.max_envelope_bytes
    )
    empty = b""
    return [Task(line.line, JsonlLine(line.line, empty), line) for line in itertools.islice(lines, WARM_LINES)]


def _batch_jobs(docs: BinaryIO, envs: BinaryIO, size: int) -> Iterator[BatchJob]:
    """Batch k: lines k*size+1 .. (k+1)*size of both files; a file that ended gives empty blocks at its end."""
    fds = (docs.fileno(), envs.fileno())
    sides = (_Side(line_blocks(docs, size)), _Side(line_blocks(envs, size)))
    for first in itertools.count(1, size):
        doc, env = sides[0].next(), sides[1].next()
        if doc is None and env is None:
            return
        ended = [side.lines for side in sides if side.ended]  # both had the lines of a file that ended
        yield BatchJob(
            batch_name(first, size), fds, (sides[0].at(first, doc), sides[1].at(first, env)), min([first - 1, *ended])
        )


class _Side:
    """One file's blocks as `_batch_jobs` takes them: where they end so far, how many lines they hold, and
    whether the file has ended."""

    def __init__(self, blocks: Iterator[Block]) -> None:
        self.blocks, self.end, self.lines, self.ended = blocks, 0, 0, False

    def next(self) -> Block | None:
        """The file's next block, None once it has ended."""
        block = next(self.blocks, None) if not self.ended else None
        if block is None:
            self.ended = True
        else:
            self.end, self.lines = block.end, self.lines + block.lines
        return block

    def at(self, first: int, block: Block | None) -> Block:
        """`block`, or the empty block at the file's end when it has ended."""
        return block if block is not None else Block(first, self.end, self.end, 0)


def _batch_results(
    jobs: Iterable[BatchJob], function: Callable[[BatchJob], BatchResult], pool: Any, in_flight: int
) -> Iterator[tuple[BatchJob, BatchResult]]:
    """Each job with `function` of it, in order; with a pool at most `in_flight` jobs are handed out ahead."""
    if pool is None:
        for job in jobs:
            yield job, function(job)
        return
    running: collections.deque[tuple[BatchJob, Any]] = collections.deque()
    for job in jobs:
        running.append((job, pool.apply_async(function, (job,))))
        if len(running) >= in_flight:
            done, pending = running.popleft()
            yield done, pending.get()
    while running:
        done, pending = running.popleft()
        yield done, pending.get()


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
