"""The migration run: every record accounted for, reruns idempotent, changes become versions, kill -9 loses
nothing (a real process killed mid-run), and the ledger never holds a client's value."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from sosmeta.generators.cda.codec import decode
from sosmeta.generators.cda.package import unpack
from sosmeta.operations import migrate as op
from sosmeta.sosmeta_import.errors import InputError
from tests import migrate_support as ms


def test_first_run_accounts_for_every_record(tmp_path: Path) -> None:
    setup = ms.prepared(tmp_path, 200)
    summary = op.run(setup)
    rows = ms.ledger_rows(setup)
    assert len(rows) == 200 == summary.records
    assert {r["record_id"] for r in rows} == {str(i) for i in range(1, 201)}
    states = Counter(r["state"] for r in rows)
    assert states["archived"] == summary.total("archived") > 0
    assert states["refused"] == summary.total("refused") > 0
    ms.files_match_ledger(setup)
    reasons = {r["reason"] for r in rows if r["state"] == "refused"}
    assert "migrate.unmapped_type" in reasons  # KIRJE has no row in the example table


def test_packages_decode_to_their_record(tmp_path: Path) -> None:
    setup = ms.prepared(tmp_path, 60)
    op.run(setup)
    assert setup.job.out is not None
    with sqlite3.connect(tmp_path / "legacy.sqlite") as db:
        source = {str(r[0]): r for r in db.execute("SELECT id, tyyppi, hetu, teksti FROM asiakirjat")}
    checked = 0
    for row in ms.ledger_rows(setup):
        if row["state"] != "archived":
            continue
        parts = unpack((setup.job.out / row["file"]).read_bytes())
        _, kind, hetu, text = source[row["record_id"]]
        if kind == "SEUR":
            decoded = decode(parts.document)
            assert decoded.envelope.client.id == hetu
            assert decoded.envelope.document_id == row["document_id"]
            body = decoded.document["perhetyon_seurantamerkinta_esimerkki"]
            assert body["tapaamiset"][0]["kuvaus_tapaamisesta"].endswith(text)
            checked += 1
    assert checked > 10


def test_rerun_skips_unchanged_and_retries_refused(tmp_path: Path) -> None:
    setup = ms.prepared(tmp_path, 150)
    first = op.run(setup)
    second = op.run(setup)
    assert second.total("skipped") == first.total("archived")
    assert second.total("refused") == first.total("refused")
    assert second.total("archived") == second.total("replaced") == 0
    ms.files_match_ledger(setup)


def test_changed_record_becomes_a_replacing_version(tmp_path: Path) -> None:
    setup = ms.prepared(tmp_path, 80)
    op.run(setup)
    before = {r["record_id"]: r for r in ms.ledger_rows(setup)}
    target = next(k for k, r in before.items() if r["state"] == "archived" and r["legacy_type"] == "SEUR")
    with sqlite3.connect(tmp_path / "legacy.sqlite") as db:
        db.execute("UPDATE asiakirjat SET teksti = 'Korjattu merkintä.' WHERE id = ?", (int(target),))
    summary = op.run(setup)
    assert summary.total("replaced") == 1
    after = {r["record_id"]: r for r in ms.ledger_rows(setup)}
    row = after[target]
    assert row["version"] == 2 and row["set_id"] == before[target]["document_id"]
    assert row["document_id"] == f"{before[target]['document_id']}.2"
    assert setup.job.out is not None
    envelope = decode(unpack((setup.job.out / row["file"]).read_bytes()).document).envelope
    assert envelope.replaces == before[target]["document_id"] and envelope.version_number == 2
    assert (setup.job.out / before[target]["file"]).exists()  # the archive keeps the first version
    ms.files_match_ledger(setup)
    third = op.run(setup)  # unchanged since: skipped, still version 2
    assert third.total("replaced") == 0
    assert {r["record_id"]: r for r in ms.ledger_rows(setup)}[target]["version"] == 2


def test_fixing_the_table_archives_refused_records(tmp_path: Path) -> None:
    import shutil

    table = tmp_path / "table"
    shutil.copytree(ms.TABLE, table)
    setup = ms.prepared(tmp_path, 120, table=table)
    first = op.run(setup)
    unmapped = first.outcomes[("KIRJE", "refused")]
    assert unmapped > 0
    with (table / "types.csv").open("a", encoding="utf-8") as handle:
        handle.write("KIRJE,,unstructured,1.2.246.537.6.1506.99004.2025.1.15,99004|Kirje (vanha),,,,,,fi,Kirje,\n")
    second = op.run(setup)
    assert second.outcomes[("KIRJE", "archived")] == unmapped
    assert second.outcomes[("SEUR", "skipped")] == first.outcomes[("SEUR", "archived")]


def test_duplicate_record_ids_fail_the_reconciliation(tmp_path: Path) -> None:
    ms.legacy_db(tmp_path / "legacy.sqlite", 30)
    with sqlite3.connect(tmp_path / "legacy.sqlite") as db:
        db.execute("CREATE TABLE kopio AS SELECT * FROM asiakirjat UNION ALL SELECT * FROM asiakirjat WHERE id = 3")
    setup = op.setup(
        {
            **ms.section(f"sqlite:///{tmp_path / 'legacy.sqlite'}", tmp_path / "out"),
            "source": {
                **ms.section("", tmp_path)["source"],
                "url": f"sqlite:///{tmp_path / 'legacy.sqlite'}",
                "table": "kopio",
            },
        },
        tmp_path,
        ms.catalog(tmp_path / "catalog"),
        "sosmeta.toml",
        op.Overrides(),
    )
    with pytest.raises(InputError) as caught:
        op.run(setup)
    assert any(p.code == "migrate.reconciliation" for p in caught.value.problems)


def test_ledger_and_report_hold_no_client_value(tmp_path: Path) -> None:
    setup = ms.prepared(tmp_path, 150)
    op.run(setup)
    made = op.report(setup)
    codes = ms.identity_codes(tmp_path / "legacy.sqlite")
    with sqlite3.connect(tmp_path / "out" / "ledger.sqlite") as db:
        dump = "\n".join(db.iterdump())
    html, data = made.html.read_text(encoding="utf-8"), made.json.read_text(encoding="utf-8")
    for code in codes:
        assert code not in dump and code not in html and code not in data
    with sqlite3.connect(tmp_path / "legacy.sqlite") as db:
        texts = [r[0] for r in db.execute("SELECT teksti FROM asiakirjat") if r[0]]
    assert not any(text in dump or text in html for text in texts)


def _cli(workspace: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from sosmeta import cli; cli.main()",
        "--workspace",
        str(workspace),
        "migrate",
        *args,
    ]


def test_kill_minus_9_mid_run_loses_nothing(tmp_path: Path) -> None:
    """A real `sosmeta migrate run` killed with SIGKILL while it writes packages, then run again: every record
    is in the ledger exactly once and the packages on disk are exactly those the ledger names."""
    ms.legacy_db(tmp_path / "legacy.sqlite", 1500)
    ms.catalog(tmp_path / "catalog")
    (tmp_path / "sosmeta.toml").write_text(_workspace_toml(tmp_path), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ms.REPO)}
    packages = tmp_path / "out" / "packages"
    process = subprocess.Popen(_cli(tmp_path, "run"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if packages.is_dir() and len(list(packages.iterdir())) > 1100:  # after a chunk's commit, mid-chunk
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    setup = op.setup(_section(tmp_path), tmp_path, tmp_path / "catalog", "sosmeta.toml", op.Overrides())
    killed_rows = len(ms.ledger_rows(setup))
    assert killed_rows < 1500
    done = subprocess.run(_cli(tmp_path, "run"), env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = ms.ledger_rows(setup)
    assert sorted(int(r["record_id"]) for r in rows) == list(range(1, 1501))
    assert Counter(r["outcome"] for r in rows)["skipped"] == len([r for r in rows if r["run"] == 2]) - len(
        [r for r in rows if r["run"] == 2 and r["outcome"] != "skipped"]
    )
    ms.files_match_ledger(setup)
    assert not [p for p in packages.iterdir() if not p.name.endswith(".mime")]  # no temporary left


def _section(tmp: Path) -> dict[str, object]:
    return ms.section(f"sqlite:///{tmp / 'legacy.sqlite'}", tmp / "out")


def _workspace_toml(tmp: Path) -> str:
    sec = _section(tmp)
    source = sec["source"]
    assert isinstance(source, dict)
    lines = ["[workspace]", 'catalog = "catalog"', 'output = "out"', "", "[migration]"]
    lines += [f'{k} = "{v}"' for k, v in sec.items() if isinstance(v, str)]
    lines += ["", "[migration.source]"]
    lines += [f'{k} = "{v}"' for k, v in source.items() if isinstance(v, str)]
    lines += ["", "[migration.source.columns]"]
    lines += [f'{k} = "{v}"' for k, v in source["columns"].items()]
    return "\n".join(lines) + "\n"


def test_structured_packages_pass_the_pre_flight_check(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sosmeta import cli

    setup = ms.prepared(tmp_path, 40)
    op.run(setup)
    assert setup.job.out is not None
    seur = [r for r in ms.ledger_rows(setup) if r["state"] == "archived" and r["legacy_type"] == "SEUR"]
    assert seur
    for row in seur[:5]:
        result = CliRunner().invoke(
            cli.main, ["cda", "check", str(setup.job.out / row["file"]), "--catalog", str(tmp_path / "catalog")]
        )
        assert result.exit_code == 0, result.output
        assert "clean" in result.output
