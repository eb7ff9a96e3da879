"""The run on Dask distributed: a local cluster (`--workers N`) or a scheduler's address (`--scheduler`).

The source is split into partitions by record-id range: integer ids in ranges of PARTITION ids; text ids between
every PARTITION-th id as the source sorts them (numbered in SQL by a window function, so only the boundaries
travel), compared by the source itself, so the ranges hold under any collation. Each task reads its range from the
source itself, skips what the ledger's rows (sent with the task) say is unchanged, and archives the rest. By
default the packages come back as bytes, so a worker needs no access to the output folder; the client publishes
them and writes the ledger, one partition at a time, as results arrive. With `shared_output` (the output folder
at the same path on every worker: a shared file system) each worker publishes its packages itself, as the
processes of `--jobs` do, and only the ledger's rows come back. Every record is in exactly one range, and the
reconciliation at the end of the run checks that each was recorded once.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from sosmeta.migration.ledger import Ledger
from sosmeta.migration.sources import Bound, Source, open_source
from sosmeta.migration.worker import Job, Prior, Result, worker_for

PARTITION = 2000
"""Record ids per partition (about as many records when ids are dense)."""


def partitions(low: int, high: int, size: int = PARTITION) -> list[tuple[int, int]]:
    """[low, high] as half-open ranges of `size` ids, covering every id exactly once."""
    return [(start, min(start + size, high + 1)) for start in range(low, high + 1, size)]


def text_partitions(boundaries: list[str]) -> list[tuple[str | None, str | None]]:
    """Half-open ranges between sorted text ids (every PARTITION-th id of the source, from the first), open at
    both ends: every id is in exactly one, whatever the source's collation, as the source compares them too."""
    if not boundaries:
        return []
    ends: list[str | None] = [None, *boundaries[1:], None]
    return list(itertools.pairwise(ends))


def archive_partition(job: Job, low: Bound, high: Bound, priors: dict[str, Prior]) -> list[Result]:
    """Runs on a worker: every record with low <= id < high, archived or skipped."""
    from sosmeta.migration.run import skip_or_task

    worker = worker_for(job)
    source = open_source(job.source)
    out: list[Result] = []
    for chunk in source.chunks(low, high):
        for record in chunk:
            decided = skip_or_task(worker, record, priors.get(record.record_id))
            out.append(decided if isinstance(decided, Result) else worker(*decided))
    return out


def run_distributed(
    job: Job,
    source: Source,
    ledger: Ledger,
    summary: Any,
    tell: Any,
    total: int,
    scheduler: str | None,
    workers: int | None,
    shared_output: bool = False,
) -> None:
    from distributed import Client, LocalCluster, as_completed

    from sosmeta.migration.run import commit

    if total == 0:
        return
    bounds = source.id_range()
    ranges: list[tuple[Bound, Bound]]
    if bounds is not None:  # integer ids: ranges of PARTITION ids; the priors by the ledger's integer key
        ranges = list(partitions(*bounds, size=PARTITION))
    else:  # text ids: between every PARTITION-th id as the source sorts them; the priors by the ids in each
        ranges = list(text_partitions(source.boundaries(PARTITION)))

    def priors_of(low: Bound, high: Bound) -> dict[str, Prior]:
        if isinstance(low, int) and isinstance(high, int):
            return ledger.priors_between(low, high)
        return ledger.priors(source.ids(low, high))

    remote = job if shared_output else replace(job, out=None)  # without a folder, packages come back as bytes
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with Client(cluster if cluster is not None else scheduler) as client:
            futures = [
                client.submit(archive_partition, remote, low, high, priors_of(low, high), pure=False)
                for low, high in ranges
            ]
            for future in as_completed(futures):
                results = future.result()
                commit(job, ledger, summary, results)
                tell(len(results), total)
    finally:
        if cluster is not None:
            cluster.close()
