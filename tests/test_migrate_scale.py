"""The run on Dask (a LocalCluster of two workers) equals the single-process run record by record; the ledger
and the source on a real PostgreSQL server (SOSMETA_TEST_PG_URL, set by .ci/run; skipped without it)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from sosmeta.migration import dask as migrate_dask
from sosmeta.migration.dask import partitions, text_partitions
from sosmeta.migration.sources import open_source
from sosmeta.operations import migrate as op
from tests import migrate_support as ms

COMPARED = (
    "record_id",
    "legacy_type",
    "year",
    "state",
    "outcome",
    "reason",
    "location",
    "message",
    "content_hash",
    "document_id",
    "set_id",
    "version",
    "file",
    "file_sha256",
)


def _by_record(setup: op.Setup) -> dict[str, tuple[Any, ...]]:
    return {r["record_id"]: tuple(r[c] for c in COMPARED) for r in ms.ledger_rows(setup)}


def test_partitions_cover_every_id_once() -> None:
    for low, high, size in ((1, 1, 10), (1, 10, 3), (5, 4004, 2000), (0, 1999, 2000)):
        ranges = partitions(low, high, size)
        covered = [i for start, end in ranges for i in range(start, end)]
        assert covered == list(range(low, high + 1))


def test_text_partitions_cover_every_id_once() -> None:
    ids = sorted(f"{p}{n}" for p in ("a-", "B-", "ä-", "10-", "") for n in range(37))
    for size in (1, 5, 36, 1000):
        ranges = text_partitions(ids[::size])
        assert len(ranges) == -(-len(ids) // size)
        for record_id in [*ids, "", "0", "zzz"]:  # ids below the first and above the last boundary too
            inside = [
                (low, high)
                for low, high in ranges
                if (low is None or low <= record_id) and (high is None or record_id < high)
            ]
            assert len(inside) == 1, (record_id, size)
    assert text_partitions([]) == []


TEXT_PREFIXES = ("LS-", "ls-", "ä-", "10-", "Z")
"""Text ids whose order is neither numeric nor the same under every collation."""


def text_id_copy(db: Path) -> list[dict[str, Any]]:
    """The legacy table with text record ids (the example's integer id n becomes PREFIX + n), in place; returns
    the rows."""
    with sqlite3.connect(db) as lite:
        cursor = lite.execute("SELECT * FROM asiakirjat ORDER BY id")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor]
        for row in rows:
            row["id"] = f"{TEXT_PREFIXES[row['id'] % len(TEXT_PREFIXES)]}{row['id']}"
        lite.execute("DROP TABLE asiakirjat")
        lite.execute(
            f"CREATE TABLE asiakirjat ({', '.join(['id TEXT PRIMARY KEY'] + [f'{n} TEXT' for n in names[1:]])})"
        )
        lite.executemany(
            f"INSERT INTO asiakirjat VALUES ({', '.join('?' * len(names))})", [tuple(r.values()) for r in rows]
        )
    return rows


def _runs_agree(single: op.Setup, distributed: op.Setup, records: int, shared_output: bool = False) -> None:
    one = op.run(single)
    two = op.run(distributed, workers=2, shared_output=shared_output)
    assert one.outcomes == two.outcomes and one.records == two.records == records
    assert _by_record(single) == _by_record(distributed)
    assert single.job.out is not None and distributed.job.out is not None
    names = sorted(p.name for p in (single.job.out / "packages").iterdir())
    assert names == sorted(p.name for p in (distributed.job.out / "packages").iterdir())
    for name in names:
        assert (single.job.out / "packages" / name).read_bytes() == (
            distributed.job.out / "packages" / name
        ).read_bytes()
    again = op.run(distributed, workers=2, shared_output=shared_output)  # a rerun skips what is archived
    assert again.total("skipped") == one.total("archived")
    ms.files_match_ledger(distributed)


def test_dask_with_text_record_ids_equals_the_single_process_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(migrate_dask, "PARTITION", 170)  # several partitions of 600 records
    for name in ("single", "dask"):
        (tmp_path / name).mkdir()
        ms.legacy_db(tmp_path / name / "legacy.sqlite", 600)
        text_id_copy(tmp_path / name / "legacy.sqlite")
    single, distributed = ms.prepared(tmp_path / "single", 600), ms.prepared(tmp_path / "dask", 600)
    assert len(migrate_dask.text_partitions(open_source(distributed.job.source).boundaries(170))) == 4
    _runs_agree(single, distributed, 600)
    assert all(not r["record_id"].isdigit() for r in ms.ledger_rows(distributed))


def test_dask_local_cluster_equals_the_single_process_run(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    single = ms.prepared(tmp_path / "single", 2500)
    (tmp_path / "dask").mkdir()
    (tmp_path / "dask" / "legacy.sqlite").write_bytes((tmp_path / "single" / "legacy.sqlite").read_bytes())
    distributed = ms.prepared(tmp_path / "dask", 2500)
    _runs_agree(single, distributed, 2500)


def test_dask_workers_writing_the_shared_output_equal_the_single_process_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--shared-output`: the workers publish the packages themselves and only ledger rows come back; the same
    ledger and the same package bytes as one process."""
    pytest.importorskip("distributed")
    monkeypatch.setattr(migrate_dask, "PARTITION", 300)  # several partitions of 900 records
    single = ms.prepared(tmp_path / "single", 900)
    (tmp_path / "dask").mkdir()
    (tmp_path / "dask" / "legacy.sqlite").write_bytes((tmp_path / "single" / "legacy.sqlite").read_bytes())
    distributed = ms.prepared(tmp_path / "dask", 900)
    from sosmeta.migration import run as migrate_run

    came_back: list[bool] = []  # per result the client got: whether its package came as bytes
    commit = migrate_run.commit

    def counting(job: Any, ledger: Any, summary: Any, results: list[Any]) -> None:
        came_back.extend(r.data is not None for r in results)
        commit(job, ledger, summary, results)

    monkeypatch.setattr(migrate_run, "commit", counting)
    _runs_agree(single, distributed, 900, shared_output=True)
    assert len(came_back) == 3 * 900 and not any(came_back)  # three runs: no package came back as bytes


def test_shared_output_without_a_cluster_is_a_usage_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sosmeta.cli import main

    result = CliRunner().invoke(main, ["migrate", "run", "--shared-output", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "--shared-output needs --workers or --scheduler" in result.output


PG_URL = os.environ.get("SOSMETA_TEST_PG_URL")
needs_pg = pytest.mark.skipif(not PG_URL, reason="SOSMETA_TEST_PG_URL is not set (.ci/run sets it)")


@needs_pg
def test_postgresql_source_and_ledger(tmp_path: Path) -> None:
    import sqlalchemy as sa

    assert PG_URL is not None
    db = ms.legacy_db(tmp_path / "legacy.sqlite", 400)
    table = f"asiakirjat_{uuid.uuid4().hex[:8]}"
    source_name = f"pg-{table}"
    engine = sa.create_engine(PG_URL)
    with sqlite3.connect(db) as lite:
        cursor = lite.execute("SELECT * FROM asiakirjat ORDER BY id")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor]
    columns = [sa.Column("id", sa.Integer, primary_key=True)] + [sa.Column(n, sa.Text) for n in names[1:]]
    legacy = sa.Table(table, sa.MetaData(), *columns)
    legacy.create(engine)
    try:
        with engine.begin() as connection:
            connection.execute(legacy.insert(), rows)
        sec = ms.section(PG_URL, tmp_path / "out", table=ms.TABLE)
        sec["source"] = {**sec["source"], "table": table, "name": source_name, "chunk": 150}
        sec["ledger"] = PG_URL
        setup = op.setup(sec, tmp_path, ms.catalog(tmp_path / "catalog"), "sosmeta.toml", op.Overrides())
        first = op.run(setup)
        assert first.records == 400
        second = op.run(setup, jobs=2)
        assert second.total("skipped") == first.total("archived")
        ms.files_match_ledger(setup)
        lite_setup = ms.prepared(tmp_path / "lite", 400)  # the same records in SQLite, ledger in SQLite
        op.run(lite_setup)
        op.run(lite_setup)
        assert _by_record(setup) == _by_record(lite_setup)
        made = op.report(setup)
        assert made.data["totals"]["source_records"] == 400
    finally:
        legacy.drop(engine)
        from sosmeta.migration.ledger import records, runs

        with engine.begin() as connection:
            connection.execute(records.delete().where(records.c.source == source_name))
            connection.execute(runs.delete().where(runs.c.source == source_name))
        engine.dispose()


@needs_pg
def test_dask_with_text_record_ids_on_postgresql_equals_the_single_process_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text ids ordered and compared by PostgreSQL's collation (not Python's): the partitions still hold."""
    pytest.importorskip("distributed")
    import sqlalchemy as sa

    assert PG_URL is not None
    monkeypatch.setattr(migrate_dask, "PARTITION", 130)
    rows = text_id_copy(ms.legacy_db(tmp_path / "legacy.sqlite", 400))
    table = f"asiakirjat_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(PG_URL)
    legacy = sa.Table(
        table,
        sa.MetaData(),
        sa.Column("id", sa.Text, primary_key=True),
        *[sa.Column(n, sa.Text) for n in list(rows[0])[1:]],
    )
    legacy.create(engine)
    try:
        with engine.begin() as connection:
            connection.execute(legacy.insert(), rows)
        setups = []
        for name in ("single", "dask"):
            sec = ms.section(PG_URL, tmp_path / name / "out")
            sec["source"] = {**sec["source"], "table": table, "name": f"pg-{table}-{name}"}
            setups.append(
                op.setup(sec, tmp_path, ms.catalog(tmp_path / name / "catalog"), "sosmeta.toml", op.Overrides())
            )
        assert len(migrate_dask.text_partitions(open_source(setups[1].job.source).boundaries(130))) == 4
        _runs_agree(setups[0], setups[1], 400)
    finally:
        legacy.drop(engine)
        engine.dispose()


def test_a_file_conflict_and_reruns_give_the_same_ledger_on_every_path(tmp_path: Path) -> None:
    """Another file at a record's package name, then removed, then a record changed: one process, Dask with the
    packages sent back, and Dask with --shared-output record the same rows (a refused record keeps only the ids
    of a version that was archived, so the rerun archives version 1)."""
    import shutil
    import sqlite3

    pytest.importorskip("distributed")
    probe = ms.prepared(tmp_path / "probe", 40)
    op.run(probe)
    rows = sorted(ms.ledger_rows(probe), key=lambda r: int(r["record_id"]))
    victim = next(r for r in rows if r["file"])
    ledgers: dict[str, list[dict[str, tuple[Any, ...]]]] = {}
    for mode in ("local", "default", "shared"):
        (tmp_path / mode).mkdir()
        shutil.copy(tmp_path / "probe" / "legacy.sqlite", tmp_path / mode / "legacy.sqlite")
        setup = ms.prepared(tmp_path / mode, 40)
        assert setup.job.out is not None
        (setup.job.out / "packages").mkdir(parents=True, exist_ok=True)
        (setup.job.out / victim["file"]).write_bytes(b"another package")

        def run(setup: op.Setup = setup, mode: str = mode) -> None:
            if mode == "local":
                op.run(setup)
            else:
                op.run(setup, workers=2, shared_output=mode == "shared")

        steps = []
        run()
        steps.append(_by_record(setup))
        (setup.job.out / victim["file"]).unlink()
        run()
        steps.append(_by_record(setup))
        with sqlite3.connect(tmp_path / mode / "legacy.sqlite") as db:
            db.execute("UPDATE asiakirjat SET teksti = teksti || ' muutettu' WHERE id = ?", (rows[-1]["record_id"],))
        run()
        steps.append(_by_record(setup))
        ledgers[mode] = steps
    assert ledgers["default"] == ledgers["local"] == ledgers["shared"]
    refused, archived = ledgers["local"][0][victim["record_id"]], ledgers["local"][1][victim["record_id"]]
    assert refused[COMPARED.index("reason")] == "migrate.file_conflict"
    assert refused[COMPARED.index("document_id")] is None
    assert archived[COMPARED.index("version")] == 1


def test_a_symbolic_link_for_the_packages_folder_stops_the_run(tmp_path: Path) -> None:
    from sosmeta.sosmeta_import.errors import InputError

    setup = ms.prepared(tmp_path / "run", 40)
    assert setup.job.out is not None
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    setup.job.out.mkdir(parents=True, exist_ok=True)
    (setup.job.out / "packages").symlink_to(elsewhere)
    with pytest.raises(InputError) as caught:
        op.run(setup)
    assert [p.code for p in caught.value.problems] == ["migrate.unsafe_path"]
    assert list(elsewhere.iterdir()) == []
