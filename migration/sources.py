"""Legacy sources: an SQL database (SQLAlchemy: SQLite, PostgreSQL), a CSV file or a JSON Lines file, read in
chunks, never whole.

A source is described in `sosmeta.toml` (`[migration.source]`): its kind, where it is, a table or a query, and
which columns hold the record id, the legacy type, the client's identity code, the date, the author, the unit,
the text and the attachment (docs/migration.md). SQL sources stream with a server-side cursor (`stream_results`,
`yield_per`), so a table of millions of rows is never held; a partition is a range of record ids, which is how
Dask workers split the work.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sosmeta.migration.texts import say
from sosmeta.sosmeta_import.errors import InputError, Problem

ROLES = (
    "record_id",
    "legacy_type",
    "client_id",
    "client_given",
    "client_family",
    "date",
    "author",
    "unit",
    "text",
    "attachment",
)
REQUIRED_ROLES = ("record_id", "legacy_type", "client_id", "date")
DEFAULT_CHUNK = 1000


@dataclass(frozen=True)
class Record:
    """One legacy record: its id (as text), legacy type, and every column by name."""

    record_id: str
    legacy_type: str
    values: dict[str, Any]
    key: int | str
    """The id as the source orders it (an integer for ranges)."""


@dataclass(frozen=True)
class SourceConfig:
    kind: str  # sql | csv | jsonl
    location: str
    """SQLAlchemy URL, or the file's path."""
    columns: Mapping[str, str]
    """Role -> column name."""
    table: str | None = None
    query: str | None = None
    chunk: int = DEFAULT_CHUNK
    date_format: str | None = None
    """strptime format of the date column (default: ISO 8601)."""
    name: str = "source"

    def column(self, role: str) -> str | None:
        return self.columns.get(role)


Bound = int | str | None
"""A partition's end: an integer id, a text id (compared as the source orders its ids), or open."""


class Source(Protocol):
    config: SourceConfig

    def chunks(self, low: Bound = None, high: Bound = None) -> Iterator[list[Record]]:
        """Records in id order, a chunk at a time; with `low`/`high`, those with low <= id < high (integers, or
        text ids compared as the source orders them)."""
        ...

    def type_counts(self) -> dict[str, int]: ...

    def columns(self) -> tuple[str, ...]: ...

    def id_range(self) -> tuple[int, int] | None:
        """The smallest and largest integer record id (None: empty, or ids are not integers)."""
        ...

    def boundaries(self, size: int) -> list[str]:
        """Every `size`-th record id in the source's order, from the first (text ids: partitions start there)."""
        ...

    def ids(self, low: Bound = None, high: Bound = None) -> list[str]:
        """The record ids with low <= id < high, as `chunks` has them."""
        ...


def config_from(table: Mapping[str, Any], root: Path, where: str) -> SourceConfig:
    """A SourceConfig from `[migration.source]`; relative file paths and sqlite paths are taken from `root`."""
    problems: list[Problem] = []
    kind = table.get("kind", "sql")
    if kind not in ("sql", "csv", "jsonl"):
        problems.append(Problem(where, "migration.source.kind", say("source_kind"), "migrate.source"))
    location = table.get("url") if kind == "sql" else table.get("path")
    if not isinstance(location, str) or not location:
        key = "url" if kind == "sql" else "path"
        problems.append(Problem(where, f"migration.source.{key}", say("missing"), "migrate.source"))
        location = ""
    columns = table.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        problems.append(Problem(where, "migration.source.columns", say("source_columns"), "migrate.source"))
        columns = {}
    for role in columns:
        if role not in ROLES:
            problems.append(Problem(where, f"migration.source.columns.{role}", say("unknown_role"), "migrate.source"))
    for role in REQUIRED_ROLES:
        if role not in columns:
            problems.append(Problem(where, f"migration.source.columns.{role}", say("missing"), "migrate.source"))
    if kind == "sql" and not (table.get("table") or table.get("query")):
        problems.append(Problem(where, "migration.source.table", say("table_or_query"), "migrate.source"))
    chunk = table.get("chunk", DEFAULT_CHUNK)
    if not isinstance(chunk, int) or not 1 <= chunk <= 100_000:
        problems.append(Problem(where, "migration.source.chunk", say("chunk"), "migrate.source"))
        chunk = DEFAULT_CHUNK
    if problems:
        raise InputError(problems)
    assert isinstance(location, str)
    if kind == "sql":
        location = _sqlite_relative(location, root)
    elif not Path(location).is_absolute():
        location = str(root / location)
    return SourceConfig(
        kind,
        location,
        dict(columns),
        table.get("table"),
        table.get("query"),
        chunk,
        table.get("date_format"),
        str(table.get("name", "source")),
    )


def _sqlite_relative(url: str, root: Path) -> str:
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
        return prefix + str((root / url[len(prefix) :]).resolve())
    return url


def open_source(config: SourceConfig) -> Source:
    if config.kind == "sql":
        return SqlSource(config)
    if config.kind == "csv":
        return CsvSource(config)
    return JsonlSource(config)


def _record(config: SourceConfig, values: dict[str, Any], where: str) -> Record:
    id_column, type_column = config.columns["record_id"], config.columns["legacy_type"]
    if id_column not in values or type_column not in values:
        raise InputError.one(config.name, where, say("id_or_type_column"), "migrate.source")
    raw = values[id_column]
    key: int | str = raw if isinstance(raw, int) else str(raw)
    if isinstance(key, str) and key.isdigit():
        key = int(key)
    return Record(str(raw), str(values[type_column] or ""), values, key)


def _in_range(record: Record, low: Bound, high: Bound) -> bool:
    """Whether low <= the record's id < high: integer bounds compare integer ids (a text id is in no integer
    range), text bounds compare the ids as text."""
    if low is None and high is None:
        return True
    key: int | str
    if isinstance(low if low is not None else high, str):
        key = record.record_id
    elif isinstance(record.key, int):
        key = record.key
    else:
        return False
    return (low is None or key >= low) and (high is None or key < high)  # type: ignore[operator]


# ---- SQL -------------------------------------------------------------------------------------------------------
class SqlSource:
    def __init__(self, config: SourceConfig) -> None:
        import sqlalchemy as sa

        self.config = config
        self.sa = sa
        try:
            self.engine = sa.create_engine(config.location)
        except Exception:  # a bad URL: SQLAlchemy's message would repeat it, and it may carry a password
            raise InputError.one(config.name, "migration.source.url", say("bad_url"), "migrate.source") from None

    def _base(self) -> Any:
        sa = self.sa
        if self.config.query:
            return sa.text(self.config.query).columns().subquery("legacy")
        return sa.table(str(self.config.table), *[sa.column(c) for c in self.columns()]).alias("legacy")

    def _select(self, low: Bound, high: Bound) -> Any:
        sa = self.sa
        if self.config.query:
            where, params = self._range(low, high)
            statement = (
                f"SELECT * FROM ({self.config.query}) AS legacy{where} "
                f"ORDER BY {_quote(self.config.columns['record_id'])}"
            )
            return sa.text(statement).bindparams(**params)
        table = self._base()
        ident = table.c[self.config.columns["record_id"]]
        query = sa.select(table).order_by(ident)
        if low is not None:
            query = query.where(ident >= low)
        if high is not None:
            query = query.where(ident < high)
        return query

    def _range(self, low: Bound, high: Bound) -> tuple[str, dict[str, Any]]:
        """The WHERE clause (and its parameters) of low <= record id < high, in SQL text."""
        column = _quote(self.config.columns["record_id"])
        ends = [(name, op, value) for name, op, value in (("low", ">=", low), ("high", "<", high)) if value is not None]
        where = " WHERE " + " AND ".join(f"{column} {op} :{name}" for name, op, _ in ends) if ends else ""
        return where, {name: value for name, _, value in ends}

    def chunks(self, low: Bound = None, high: Bound = None) -> Iterator[list[Record]]:
        with self._connect() as connection:
            streaming = connection.execution_options(stream_results=True, yield_per=self.config.chunk)
            result = self._execute(streaming, self._select(low, high))
            yield from _sql_records(self.config, tuple(result.keys()), result.partitions(self.config.chunk))

    def type_counts(self) -> dict[str, int]:
        sa = self.sa
        column = _quote(self.config.columns["legacy_type"])
        inner = self.config.query or f"SELECT * FROM {_quote(str(self.config.table))}"
        statement = sa.text(f"SELECT {column} AS t, COUNT(*) AS n FROM ({inner}) AS legacy GROUP BY {column}")
        with self._connect() as connection:
            return {str(t): int(n) for t, n in self._execute(connection, statement)}

    def columns(self) -> tuple[str, ...]:
        sa = self.sa
        inner = self.config.query or f"SELECT * FROM {_quote(str(self.config.table))}"
        with self._connect() as connection:
            result = self._execute(connection, sa.text(f"SELECT * FROM ({inner}) AS legacy WHERE 1 = 0"))
            return tuple(result.keys())

    def id_range(self) -> tuple[int, int] | None:
        sa = self.sa
        column = _quote(self.config.columns["record_id"])
        inner = self.config.query or f"SELECT * FROM {_quote(str(self.config.table))}"
        with self._connect() as connection:
            low, high = self._execute(
                connection, sa.text(f"SELECT MIN({column}), MAX({column}) FROM ({inner}) AS legacy")
            ).one()
        return (low, high) if isinstance(low, int) and isinstance(high, int) else None

    def boundaries(self, size: int) -> list[str]:
        """Numbered in the database (a window function: SQLite 3.25+, PostgreSQL), so only every size-th id
        travels; ordered by the database's own comparison, which the partitions' WHERE then uses too."""
        column = _quote(self.config.columns["record_id"])
        inner = self.config.query or f"SELECT * FROM {_quote(str(self.config.table))}"
        statement = self.sa.text(
            f"SELECT id FROM (SELECT {column} AS id, ROW_NUMBER() OVER (ORDER BY {column}) AS n "
            f"FROM ({inner}) AS legacy) AS numbered WHERE (n - 1) % :size = 0 ORDER BY id"
        ).bindparams(size=size)
        with self._connect() as connection:
            return [str(value) for (value,) in self._execute(connection, statement)]

    def ids(self, low: Bound = None, high: Bound = None) -> list[str]:
        column = _quote(self.config.columns["record_id"])
        inner = self.config.query or f"SELECT * FROM {_quote(str(self.config.table))}"
        where, params = self._range(low, high)
        statement = self.sa.text(f"SELECT {column} FROM ({inner}) AS legacy{where}").bindparams(**params)
        with self._connect() as connection:
            return [str(value) for (value,) in self._execute(connection, statement)]

    def _connect(self) -> Any:
        try:
            return self.engine.connect()
        except self.sa.exc.SQLAlchemyError:
            raise InputError.one(
                self.config.name, "migration.source.url", say("cannot_connect"), "migrate.source"
            ) from None

    def _execute(self, connection: Any, statement: Any) -> Any:
        try:
            return connection.execute(statement)
        except self.sa.exc.SQLAlchemyError as exc:
            kind = type(getattr(exc, "orig", exc)).__name__
            raise InputError.one(
                self.config.name,
                "migration.source",
                say("query_refused", kind=kind),
                "migrate.source",
            ) from None


def _sql_records(config: SourceConfig, names: tuple[str, ...], parts: Iterator[Any]) -> Iterator[list[Record]]:
    """The rows of a result (tuples, every row of the same columns) as records: `_record`'s, without asking each
    row for its columns."""
    id_column, type_column = config.columns["record_id"], config.columns["legacy_type"]
    for rows in parts:
        if rows and (id_column not in names or type_column not in names):
            raise InputError.one(config.name, "row", say("id_or_type_column"), "migrate.source")
        chunk = []
        for row in rows:
            values = dict(zip(names, row, strict=True))
            raw = values[id_column]
            key: int | str = raw if isinstance(raw, int) else str(raw)
            if isinstance(key, str) and key.isdigit():
                key = int(key)
            chunk.append(Record(str(raw), str(values[type_column] or ""), values, key))
        yield chunk


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ---- files -----------------------------------------------------------------------------------------------------
@dataclass
class _FileSource:
    config: SourceConfig
    _columns: tuple[str, ...] = field(default=())

    def _rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        raise NotImplementedError

    def chunks(self, low: Bound = None, high: Bound = None) -> Iterator[list[Record]]:
        chunk: list[Record] = []
        for line, values in self._rows():
            record = _record(self.config, values, f"line {line}")
            if not _in_range(record, low, high):
                continue
            chunk.append(record)
            if len(chunk) >= self.config.chunk:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def type_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for chunk in self.chunks():
            for record in chunk:
                counts[record.legacy_type] = counts.get(record.legacy_type, 0) + 1
        return counts

    def columns(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for _, values in self._rows():
            seen.update(dict.fromkeys(values))
            break
        return tuple(seen)

    def id_range(self) -> tuple[int, int] | None:
        keys = [r.key for chunk in self.chunks() for r in chunk]
        ints = [k for k in keys if isinstance(k, int)]
        return (min(ints), max(ints)) if ints and len(ints) == len(keys) else None

    def boundaries(self, size: int) -> list[str]:
        return sorted(r.record_id for chunk in self.chunks() for r in chunk)[::size]

    def ids(self, low: Bound = None, high: Bound = None) -> list[str]:
        return [r.record_id for chunk in self.chunks(low, high) for r in chunk]


class CsvSource(_FileSource):
    def _rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        path = Path(self.config.location)
        try:
            handle = path.open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise InputError.one(str(path), "", say("cannot_read", why=exc.strerror), "file.unreadable") from None
        with handle:
            reader = csv.DictReader(handle)
            try:
                for values in reader:
                    yield reader.line_num, dict(values)
            except (csv.Error, UnicodeDecodeError):
                raise InputError.one(str(path), f"line {reader.line_num}", say("not_csv"), "migrate.source") from None


class JsonlSource(_FileSource):
    def _rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        from sosmeta.safeio.jsonl import iter_jsonl

        for item in iter_jsonl(Path(self.config.location)):
            if item.problem is not None:
                raise InputError([item.problem])
            assert item.value is not None
            yield item.line, item.value
