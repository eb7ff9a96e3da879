"""The run on Dask distributed: a local cluster (`--workers N`) or a scheduler's address (`--scheduler`).

The source is split into partitions by record-id range (integer ids); each task reads its range from the
source itself, skips what the ledger's rows (sent with the task) say is unchanged, and archives the rest. The
packages come back as bytes, so a worker needs no access to the output folder; the client publishes them and
writes the ledger, one partition at a time, as results arrive. Every record is in exactly one range, and the
reconciliation at the end of the run checks that each was recorded once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sosmeta.migration.ledger import Ledger
from sosmeta.migration.sources import Source, open_source
from sosmeta.migration.worker import Job, Prior, Result, worker_for
from sosmeta.sosmeta_import.errors import InputError

PARTITION = 2000
"""Record ids per partition (about as many records when ids are dense)."""


def partitions(low: int, high: int, size: int = PARTITION) -> list[tuple[int, int]]:
    """[low, high] as half-open ranges of `size` ids, covering every id exactly once."""
    return [(start, min(start + size, high + 1)) for start in range(low, high + 1, size)]


def archive_partition(job: Job, low: int, high: int, priors: dict[str, Prior]) -> list[Result]:
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
) -> None:
    from distributed import Client, LocalCluster, as_completed

    from sosmeta.migration.run import commit

    bounds = source.id_range()
    if bounds is None:
        if total == 0:
            return
        raise InputError.one(
            job.source.name,
            "migration.source.columns.record_id",
            "a Dask run splits the source by record id: the ids must be integers",
            "migrate.source",
        )
    remote = replace(job, out=None)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with Client(cluster if cluster is not None else scheduler) as client:
            futures = [
                client.submit(archive_partition, remote, low, high, ledger.priors_between(low, high), pure=False)
                for low, high in partitions(*bounds)
            ]
            for future in as_completed(futures):
                results = future.result()
                commit(job, ledger, summary, results)
                tell(len(results), total)
    finally:
        if cluster is not None:
            cluster.close()
