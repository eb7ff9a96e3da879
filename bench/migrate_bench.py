"""Migration benchmark: records/s from an SQLite legacy database to packaged archive messages, and the ratio to
the bulk encoder alone (`sosmeta cda encode --jsonl`) on the same documents, in the same run.

The legacy database is the example's generator (`example/migration/make_legacy_db.py`) with its structured
type only (SEUR follow-up notes: both paths then do the same documents). The migration does what the bulk
encoder does (check in full mode, encode, write one file each) and more: read the database, map each record,
frame and package it, and keep the ledger. Both run on `--jobs` processes; times are wall clock and CPU time
of the process and its children (on a shared machine CPU time is the steadier figure).

`--workers N` also runs it on a Dask LocalCluster of N worker processes (the same run as `migrate run
--workers N`, into a fresh output and ledger), timed once the cluster is up: the rate per Dask worker and the
client's CPU per record, with the packages sent back to the client and with the workers writing them
(`--shared-output`).

    python bench/migrate_bench.py [--records 4000] [--jobs 2] [--scratch DIR] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sosmeta.generators.cda.bulk import Settings as BulkSettings
from sosmeta.generators.cda.bulk import encode_jsonl
from sosmeta.migration.run import run_migration
from sosmeta.migration.sources import open_source
from sosmeta.migration.worker import worker_for
from sosmeta.operations import migrate as op
from tests import migrate_support as ms


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def structured_db(path: Path, records: int) -> int:
    ms.legacy_db(path, records)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM asiakirjat WHERE tyyppi != 'SEUR'")
        return int(db.execute("SELECT COUNT(*) FROM asiakirjat").fetchone()[0])


def bulk_inputs(setup: op.Setup, folder: Path) -> tuple[Path, Path, int]:
    """The documents and envelopes the migration makes, as the bulk encoder's two JSON Lines files."""
    worker = worker_for(setup.job)
    docs, envs, count = folder / "docs.jsonl", folder / "envs.jsonl", 0
    with docs.open("w", encoding="utf-8") as d, envs.open("w", encoding="utf-8") as e:
        for chunk in open_source(setup.job.source).chunks():
            for record in chunk:
                plan = worker.mapper.plan(record.legacy_type)
                try:
                    envelope = worker.mapper.envelope_data(record, plan)
                    envelope["content_specification_id"] = plan.structure.version_oid  # type: ignore[union-attr]
                    document = worker.mapper.document(record, plan)
                except Exception:
                    continue
                d.write(json.dumps(document, ensure_ascii=False) + "\n")
                e.write(json.dumps(envelope, ensure_ascii=False, default=lambda t: t.isoformat()) + "\n")
                count += 1
    return docs, envs, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=4000, help="legacy records generated (about 55 %% SEUR)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--scratch", type=Path, help="where outputs go (the file system is part of the figure)")
    parser.add_argument("--workers", type=int, default=0, help="also run on a Dask LocalCluster of N workers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.scratch) as scratch:
        tmp = Path(scratch)
        n = structured_db(tmp / "legacy.sqlite", args.records)
        setup = ms.prepared(tmp, args.records)
        docs, envs, encodable = bulk_inputs(setup, tmp)
        settings = BulkSettings(out=tmp / "bulk", catalog=setup.job.catalog, organisation=ms.ORG)
        wall, used = time.perf_counter(), cpu()
        bulk = encode_jsonl(docs, envs, settings, jobs=args.jobs)
        bulk_wall, bulk_cpu = time.perf_counter() - wall, cpu() - used
        if bulk.failures:
            print("bulk failures, first:", bulk.failures[0].problems[:2])
        wall, used = time.perf_counter(), cpu()
        summary = run_migration(setup.job, setup.ledger_url, jobs=args.jobs)
        run_wall, run_cpu = time.perf_counter() - wall, cpu() - used
        wall, used = time.perf_counter(), cpu()
        again = run_migration(setup.job, setup.ledger_url, jobs=args.jobs)
        rerun_wall = time.perf_counter() - wall
        distributed = [dask_run(setup, tmp, args.workers, shared) for shared in (False, True)] if args.workers else []
    load = os.getloadavg()[0]
    print(f"{n} SEUR records ({encodable} mappable), {args.jobs} processes, load average {load:.1f}")
    print(
        f"  bulk encoder alone: {bulk.written} written in {bulk_wall:.1f} s wall ({bulk.written / bulk_wall:,.0f}/s), "
        f"{bulk_cpu / max(bulk.written, 1) * 1e6:,.0f} us CPU per document"
    )
    archived = summary.total("archived")
    print(
        f"  migrate run: {summary.records} read, {archived} archived in {run_wall:.1f} s wall "
        f"({summary.records / run_wall:,.0f} records/s), {run_cpu / summary.records * 1e6:,.0f} us CPU per record"
    )
    print(
        f"  ratio migrate / bulk (CPU per record): {run_cpu / summary.records / (bulk_cpu / max(bulk.written, 1)):.2f}"
    )
    print(
        f"  rerun (all unchanged): {again.total('skipped')} skipped in {rerun_wall:.1f} s "
        f"({again.records / rerun_wall:,.0f} records/s)"
    )
    print(f"  on 2 free cores: about {2 / (run_cpu / summary.records):,.0f} records/s")
    for shared, (records, seconds, client) in zip((False, True), distributed, strict=False):
        how = "workers writing the packages (--shared-output)" if shared else "packages back to the client"
        print(
            f"  Dask LocalCluster of {args.workers} workers, {how}: {records} records in {seconds:.1f} s wall "
            f"({records / seconds:,.0f} records/s, {records / seconds / args.workers:,.0f} per worker); client and "
            f"scheduler {client / records * 1e6:,.0f} us CPU per record"
        )


def dask_run(setup: op.Setup, tmp: Path, workers: int, shared: bool) -> tuple[int, float, float]:
    """(records, wall seconds, CPU seconds of this process: the client, which publishes the packages and keeps
    the ledger, and the local scheduler) of the same migration on a Dask LocalCluster of `workers` processes,
    into a fresh output folder and ledger; the cluster is started first and its start-up not counted. `shared`:
    the workers write the packages themselves (`--shared-output`)."""
    from dataclasses import replace

    from distributed import LocalCluster

    name = "shared" if shared else "client"
    job = replace(setup.job, out=tmp / f"dask-out-{name}")
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        wall, own = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        ledger = f"sqlite:///{tmp / f'dask-ledger-{name}.sqlite'}"
        summary = run_migration(job, ledger, scheduler=cluster.scheduler_address, shared_output=shared)
        after = resource.getrusage(resource.RUSAGE_SELF)
        used = after.ru_utime - own.ru_utime + after.ru_stime - own.ru_stime
        return summary.records, time.perf_counter() - wall, used


if __name__ == "__main__":
    main()
