"""Validating the lines of a JSON Lines file in worker processes (`sosmeta validate --jobs N`).

The parent reads the lines (numbered as an editor shows them) and hands them out in batches of `BATCH`; each
worker parses and validates a batch exactly as the parent would (the same reader, chooser and checks: the
workers are forked from the parent and inherit the structures and validators it has loaded), and the parent
yields the verdicts in input order. At most `2 * jobs + 1` batches are out at a time, so memory stays bounded however
long the file is. Where processes cannot be forked (no `fork` start method) the lines are validated here.
"""

from __future__ import annotations

import itertools
import multiprocessing
import signal
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sosmeta.safeio.jsonl import JsonlLine, parse_line

if TYPE_CHECKING:
    from sosmeta.operations.validate import Checker, Verdict

BATCH = 128
"""Lines per batch: big enough that handing out costs little per line, small enough to keep workers busy."""

_checker: Checker | None = None
"""What a worker validates with: set in the parent just before the workers fork from it."""


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _quiet_worker() -> None:
    # Ctrl-C stops the parent, which ends the workers; they print nothing of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _validate_batch(name: str, lines: list[JsonlLine]) -> list[tuple[str, str | None, list[Any], str | None]]:
    """In a worker: (source, structure version OID, findings, error) of each line, the structure by its OID
    (the parent has the same structures: sending them back would cost more than validating)."""
    assert _checker is not None
    out = []
    for raw in lines:
        verdict = _checker.line_verdict(name, parse_line(raw, name))
        oid = verdict.structure.version_oid if verdict.structure is not None else None
        out.append((verdict.source, oid, verdict.findings, verdict.error))
    return out


def parallel_verdicts(checker: Checker, name: str, lines: Iterable[JsonlLine], jobs: int) -> Iterator[Verdict]:
    """The verdict of each of `lines` (of the file `name`), in order, validated by `jobs` worker processes."""
    global _checker
    _checker = checker
    batches = iter(lambda: list(itertools.islice(lines, BATCH)), [])
    with warnings.catch_warnings():
        # Python 3.12+ warns of fork while a thread runs (a progress bar's): the workers never touch it.
        warnings.simplefilter("ignore", DeprecationWarning)
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_quiet_worker)
    with pool:
        pending: deque[Any] = deque()
        for batch in batches:
            pending.append(pool.apply_async(_validate_batch, (name, batch)))
            while len(pending) > 2 * jobs or (pending and pending[0].ready()):
                yield from _restored(checker, pending.popleft().get())
        while pending:
            yield from _restored(checker, pending.popleft().get())


def _restored(checker: Checker, rows: list[tuple[str, str | None, list[Any], str | None]]) -> Iterator[Verdict]:
    from sosmeta.operations.validate import Verdict

    for source, oid, found, error in rows:
        yield Verdict(source, checker.chooser.by_version(oid), found, error)
