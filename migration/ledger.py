"""The ledger: one row per legacy record, kept in a database (SQLAlchemy: SQLite beside the output, or
PostgreSQL), so that every run knows what was archived, refused or skipped, and a killed run loses nothing.

Row: source, record id, legacy type, year, state (archived | refused: what holds now), outcome and run of the
last run that read it (archived | replaced | refused | skipped), reason code, place and message (never a
value of the record), content hash, document id, set id, version and the package's file name and sha256.
Rows are written in one transaction per chunk, after the chunk's packages are on disk: a kill between the two
leaves packages the ledger does not name yet, and the next run finds them with the same bytes and records them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from sosmeta.migration.worker import Prior, Result
from sosmeta.sosmeta_import.errors import InputError

LEDGER_FILE = "ledger.sqlite"
metadata = sa.MetaData()

records = sa.Table(
    "migration_records",
    metadata,
    sa.Column("source", sa.String(200), primary_key=True),
    sa.Column("record_id", sa.String(200), primary_key=True),
    # the record id as an integer, when it is one (Dask partitions are ranges of it)
    sa.Column("record_key", sa.BigInteger, index=True),
    sa.Column("legacy_type", sa.String(200), nullable=False, index=True),
    sa.Column("year", sa.Integer),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("run", sa.Integer, nullable=False, index=True),
    sa.Column("reason", sa.String(100)),
    sa.Column("location", sa.String(500)),
    sa.Column("message", sa.String(1000)),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("document_id", sa.String(200)),
    sa.Column("set_id", sa.String(200)),
    sa.Column("version", sa.Integer),
    sa.Column("file", sa.String(300)),
    sa.Column("file_sha256", sa.String(64)),
)

runs = sa.Table(
    "migration_runs",
    metadata,
    sa.Column("run", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("started", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished", sa.DateTime(timezone=True)),
    sa.Column("status", sa.String(16), nullable=False),
)

COLUMNS = tuple(c.name for c in records.columns)
KEPT_WHEN_REFUSED = ("document_id", "set_id", "version", "file", "file_sha256")


def default_url(out: Path) -> str:
    return f"sqlite:///{(out / LEDGER_FILE).resolve()}"


@dataclass
class Ledger:
    url: str
    source: str

    def __post_init__(self) -> None:
        try:
            self.engine = sa.create_engine(self.url, **_engine_options(self.url))
            if self.engine.dialect.name == "sqlite":
                sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            metadata.create_all(self.engine)
        except sa.exc.SQLAlchemyError:  # the URL may hold a password: never repeated
            raise InputError.one(
                "ledger", "migration.ledger", "cannot open or create the ledger database", "migrate.ledger"
            ) from None
        if self.engine.dialect.name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            self._insert: Any = sqlite_insert
        else:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            self._insert = pg_insert
        self._statements: dict[tuple[str, ...], Any] = {}

    def start_run(self) -> int:
        with self.engine.begin() as connection:
            result = connection.execute(
                runs.insert().values(source=self.source, started=dt.datetime.now(dt.UTC), status="running")
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def finish_run(self, run: int, status: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                runs.update().where(runs.c.run == run).values(finished=dt.datetime.now(dt.UTC), status=status)
            )

    def priors(self, record_ids: Iterable[str]) -> dict[str, Prior]:
        ids = list(record_ids)
        out: dict[str, Prior] = {}
        cols = (
            records.c.record_id,
            records.c.content_hash,
            records.c.state,
            records.c.document_id,
            records.c.set_id,
            records.c.version,
        )
        with self.engine.connect() as connection:
            for start in range(0, len(ids), 500):
                query = sa.select(*cols).where(
                    records.c.source == self.source, records.c.record_id.in_(ids[start : start + 500])
                )
                for row in connection.execute(query):
                    out[row[0]] = Prior(row[1], row[2], row[3], row[4], row[5])
        return out

    def priors_between(self, low: int, high: int) -> dict[str, Prior]:
        """The priors of records whose integer id is in [low, high) (a Dask partition)."""
        cols = (
            records.c.record_id,
            records.c.content_hash,
            records.c.state,
            records.c.document_id,
            records.c.set_id,
            records.c.version,
        )
        query = sa.select(*cols).where(
            records.c.source == self.source, records.c.record_key >= low, records.c.record_key < high
        )
        with self.engine.connect() as connection:
            return {row[0]: Prior(row[1], row[2], row[3], row[4], row[5]) for row in connection.execute(query)}

    def record(self, run: int, results: list[Result]) -> None:
        """Write the results of one chunk in one transaction: archived and replaced records in full, refused
        ones without touching the ids and file of their last archived version, skipped ones by run only."""
        if not results:
            return
        archived = [_row(self.source, run, r) for r in results if r.outcome in ("archived", "replaced")]
        refused = [_row(self.source, run, r) for r in results if r.outcome == "refused"]
        skipped = [r.record_id for r in results if r.outcome == "skipped"]
        with self.engine.begin() as connection:
            for rows, keep in ((archived, ()), (refused, KEPT_WHEN_REFUSED)):
                if rows:
                    self._upsert(connection, rows, keep)
            for start in range(0, len(skipped), 500):
                connection.execute(
                    records.update()
                    .where(records.c.source == self.source, records.c.record_id.in_(skipped[start : start + 500]))
                    .values(outcome="skipped", run=run)
                )

    def _upsert(self, connection: Any, rows: list[tuple[Any, ...]], keep: tuple[str, ...]) -> None:
        """Insert or update rows (values in COLUMNS' order). SQLite: the statement's text, compiled once, and
        the rows as they are to the driver's executemany (SQLAlchemy's per-row parameter processing is most of
        the ledger's cost, and no column of the table needs a conversion); PostgreSQL: SQLAlchemy's batched
        insert (one statement per page of rows, not one round trip per row)."""
        statement = self._statements.get(keep)
        if statement is None:
            insert = self._insert(records)
            update = {name: insert.excluded[name] for name in COLUMNS if name not in ("source", "record_id", *keep)}
            statement = insert.on_conflict_do_update(index_elements=["source", "record_id"], set_=update)
            if self.engine.dialect.name == "sqlite":
                compiled = statement.compile(dialect=self.engine.dialect)
                assert compiled.positiontup is not None and list(compiled.positiontup) == list(COLUMNS)
                statement = str(compiled)
            self._statements[keep] = statement
        if isinstance(statement, str):
            connection.exec_driver_sql(statement, rows)
        else:
            connection.execute(statement, [dict(zip(COLUMNS, row, strict=True)) for row in rows])

    def touched(self, run: int) -> dict[tuple[str, str], int]:
        """(legacy type, outcome) -> rows this run read (the reconciliation's other side)."""
        query = (
            sa.select(records.c.legacy_type, records.c.outcome, sa.func.count())
            .where(records.c.source == self.source, records.c.run == run)
            .group_by(records.c.legacy_type, records.c.outcome)
        )
        with self.engine.connect() as connection:
            return {(t, o): int(n) for t, o, n in connection.execute(query)}

    def rows(self) -> Iterator[dict[str, Any]]:
        """Every row of this source, in record id order (streamed)."""
        query = (
            sa.select(records)
            .where(records.c.source == self.source)
            .order_by(records.c.record_key, records.c.record_id)
        )
        with self.engine.connect() as connection:
            for row in connection.execution_options(stream_results=True, yield_per=2000).execute(query).mappings():
                yield dict(row)

    def last_run(self) -> dict[str, Any] | None:
        query = sa.select(runs).where(runs.c.source == self.source).order_by(runs.c.run.desc()).limit(1)
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
            return dict(row) if row else None

    def dispose(self) -> None:
        self.engine.dispose()


def _engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 60}}
    return {"pool_pre_ping": True}


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """Write-ahead logging: a chunk's commit appends to the log instead of rewriting a journal, and readers (a
    report while a run goes on) do not block the writer. `synchronous = NORMAL` is safe against kill -9 (the log
    is in the operating system's hands at commit); a power cut may lose the last commits, which the next run
    redoes, finding their packages on disk."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _row(source: str, run: int, result: Result) -> tuple[Any, ...]:
    """A result's ledger row, its values in COLUMNS' order."""
    record_id = result.record_id
    key = int(record_id) if record_id.isdigit() and len(record_id) < 19 else None
    outcome = result.outcome
    return (
        source,
        record_id,
        key,
        result.legacy_type,
        result.year,
        "refused" if outcome == "refused" else "archived",
        outcome,
        run,
        result.reason,
        result.location,
        result.message,
        result.content_hash,
        result.document_id,
        result.set_id,
        result.version,
        result.file,
        result.file_sha256,
    )
