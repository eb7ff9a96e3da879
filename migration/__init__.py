"""Legacy migration: correspondence tables compiled into a resumable, accounted archive run (docs/migration.md).

`table` reads and writes the correspondence table, `tablecheck` checks it against the catalog, `codes` says
whether a code is valid in a code list, `sources` reads legacy records in chunks (SQL, CSV, JSONL), `mapping`
turns one record into a document and an envelope, `worker` archives a batch of records, `ledger` keeps one row
per legacy record, `run` drives a run (one process, a process pool or Dask: `dask`), `report` shows the outcome.
"""
