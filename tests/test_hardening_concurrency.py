"""Two sosmeta runs at once on one folder: real processes, several trials. The result is always complete, or
one of the runs was refused (`--no-wait`); a version is never overwritten silently."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from filelock import FileLock

from sosmeta.catalog import Catalog
from sosmeta.safeio.locks import LOCK_FILE
from tests.fs_support import (
    EXAMPLE_SOURCE,
    errors,
    export,
    leftovers,
    run,
    snapshot,
    sosmeta,
    sosmeta_process,
    write_export,
)

TRIALS = 3
BUSY = "is in use by another sosmeta run"
WAITING = "waiting for the lock on"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory, corpus: list[Path]) -> Path:
    folder = tmp_path_factory.mktemp("concurrency") / "catalog"
    assert run("import", *corpus[:5], "--catalog", folder).exit_code == 0
    return folder


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, catalog: Path) -> dict[str, bytes | str]:
    out = tmp_path_factory.mktemp("reference") / "out"
    assert run("build", "--catalog", catalog, "--out", out, "--target", "excel").exit_code == 0
    return snapshot(out / "excel")


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of a run, once it has ended."""
    stdout, stderr = process.communicate()
    return process.returncode, stdout, stderr


@pytest.mark.parametrize("no_wait", [False, True])
def test_two_builds_at_once_leave_complete_output(
    tmp_path: Path, catalog: Path, reference: dict[str, bytes | str], no_wait: bool
) -> None:
    """sosmeta 0.x: both exited 0 and left 2-23 of 62 workbooks (they shared `.excel.staging`)."""
    flags = ["--no-wait"] if no_wait else []
    for trial in range(TRIALS):
        out = tmp_path / f"out{trial}"
        if trial % 2:  # with and without a previous output to replace
            assert run("build", "--catalog", catalog, "--out", out, "--target", "excel").exit_code == 0
        runs = [
            sosmeta_process("build", "--catalog", catalog, "--out", out, "--target", "excel", *flags) for _ in range(2)
        ]
        results = [_finish(p) for p in runs]
        for code, stdout, stderr in results:
            assert "Traceback" not in stderr
            if code != 0:  # only --no-wait may refuse, and only because the other run holds the lock
                assert no_wait and code == 2 and BUSY in stderr and len(errors(stderr)) == 1, stderr
            else:
                assert "excel: " in stdout
        assert any(code == 0 for code, _, _ in results)
        assert snapshot(out / "excel") == reference, f"trial {trial}"
        assert leftovers(out) == []


def test_a_build_waits_for_the_lock_and_says_so(tmp_path: Path, catalog: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with FileLock(out / LOCK_FILE):  # another run holding the output folder
        process = sosmeta_process("build", "--catalog", catalog, "--out", out, "--target", "sosmeta-json")
        assert process.stderr is not None
        line = process.stderr.readline()  # blocks until the run reports that it waits (or ends)
        assert line.strip() == f"{WAITING} {out} held by another sosmeta run", line
        assert not (out / "sosmeta-json").exists()
    assert process.wait() == 0
    assert len(list((out / "sosmeta-json").iterdir())) == 5


@pytest.mark.parametrize("command", ["build", "import"])
def test_no_wait_refuses_at_once_when_the_folder_is_locked(tmp_path: Path, catalog: Path, command: str) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    if command == "build":
        args = ["build", "--catalog", catalog, "--out", folder, "--target", "sosmeta-json", "--no-wait"]
    else:
        args = ["import", EXAMPLE_SOURCE, "--catalog", folder, "--no-wait"]
    with FileLock(folder / LOCK_FILE):
        done = sosmeta(*args)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    (line,) = errors(done.stderr)
    assert line == f"error: {folder}: {BUSY} (it holds {LOCK_FILE}); try again when that run has finished, " + (
        "or leave out --no-wait to wait for it [lock.busy]"
    )
    assert sorted(p.name for p in folder.iterdir()) == [LOCK_FILE]


VERSIONS = 15
_OUTCOME = re.compile(r"^(new structure|new version)\s+(\S+)\s", re.MULTILINE)


def _variants(folder: Path, subject: str) -> Path:
    """VERSIONS versions of the example structure, all with the documentSubject `subject`."""
    folder.mkdir()
    for day in range(1, VERSIONS + 1):
        data = export(
            oid=f"1.2.246.537.6.1506.99001.2025.1.{day}",
            documentDefinitionVersion=f"2025-01-{day:02d}",
            documentSubject=subject,
        )
        write_export(folder / f"v{day:02d}.json", data)
    return folder


def test_two_imports_of_the_same_versions_never_overwrite_silently(tmp_path: Path) -> None:
    """sosmeta 0.x: one silently overwrote the other without --replace (7 of 15 trials)."""
    sources = {subject: _variants(tmp_path / subject, subject) for subject in ("A", "B")}
    for trial in range(TRIALS):
        catalog = tmp_path / f"catalog{trial}"
        runs = {s: sosmeta_process("import", folder, "--catalog", catalog) for s, folder in sources.items()}
        results = {s: _finish(p) for s, p in runs.items()}
        stored = {
            entry.version: json.loads(entry.path.read_text(encoding="utf-8"))["sosmeta"]["documentSubject"]
            for entry in Catalog(catalog).entries()
        }
        assert len(stored) == VERSIONS
        for subject, (code, stdout, stderr) in results.items():
            assert "Traceback" not in stderr
            claimed = {m.group(2) for m in _OUTCOME.finditer(stdout)}
            mine = {v for v, s in stored.items() if s == subject}
            assert {_version(oid) for oid in claimed} == mine, f"trial {trial}: {subject} claims what it did not store"
            refused = [line for line in errors(stderr) if "already holds version" in line]
            assert len(refused) == VERSIONS - len(mine)
            assert code == (2 if refused else 0)


def _version(version_oid: str) -> str:
    year, month, day = version_oid.split(".")[-3:]
    return f"{year}-{int(month):02d}-{int(day):02d}"
