"""Crash-safe swap and one error line for every OSError: a build killed at any step leaves output the next
build recovers by itself, and a build or import that cannot write (read-only, disk full) ends with one located
line, exit code 2, the previous output intact and nothing left behind."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import sosmeta.generators.output as output
from sosmeta.catalog import Catalog
from tests.faults import KILLED
from tests.fs_support import (
    EXAMPLE_SOURCE,
    errors,
    export,
    leftovers,
    read_only,
    run,
    snapshot,
    sosmeta,
    tmpfs,
    writable_folder,
    write_export,
)

TARGET = "sosmeta-json"


@pytest.fixture(scope="module")
def small_catalog(tmp_path_factory: pytest.TempPathFactory, corpus: list[Path]) -> Path:
    catalog = tmp_path_factory.mktemp("swap") / "catalog"
    assert run("import", EXAMPLE_SOURCE, *corpus[:3], "--catalog", catalog).exit_code == 0
    return catalog


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, small_catalog: Path) -> dict[str, bytes | str]:
    out = tmp_path_factory.mktemp("reference") / "out"
    assert run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET).exit_code == 0
    return snapshot(out / TARGET)


def _build(catalog: Path, out: Path, faults: str = "none") -> tuple[int, str]:
    done = sosmeta("build", "--catalog", catalog, "--out", out, "--target", TARGET, faults=faults)
    return done.returncode, done.stdout + done.stderr


def _assert_recovers(catalog: Path, out: Path, reference: dict[str, bytes | str]) -> str:
    """The next plain build ends with exit 0, the full output and no leftovers; returns its output."""
    result = run("build", "--catalog", catalog, "--out", out, "--target", TARGET)
    assert result.exit_code == 0, result.output
    assert snapshot(out / TARGET) == reference
    assert leftovers(out) == []
    return result.output


# ---- a kill at each step ----------------------------------------------------------------------------------------

# (faults, whether OUT/<target> is there after the kill, leftover kinds after the kill)
KILLS = [
    ("kill-write=2", True, {"staging"}),  # while generating: the previous output is untouched
    ("kill-exchange", True, {"staging"}),  # right after the one-step exchange: new output in place
    ("kill-rename=1", True, {"staging"}),  # same, before the previous output is moved to the trash name
    ("kill-rmtree", True, {"trash"}),  # half-way through removing the previous output
    ("no-exchange,kill-write=2", True, {"staging"}),
    ("no-exchange,kill-rename=1", True, {"staging"}),  # before the previous output is moved aside
    ("no-exchange,kill-rename=2", False, {"staging", "old"}),  # between the two renames: the target is missing
    ("no-exchange,kill-rename=3", True, {"old"}),  # new output in place, before the old one goes to the trash
    ("no-exchange,kill-rmtree", True, {"trash"}),
]


@pytest.mark.parametrize(("faults", "target_there", "kinds"), KILLS)
def test_a_build_killed_at_any_step_is_recovered_by_the_next_build(
    tmp_path: Path,
    small_catalog: Path,
    reference: dict[str, bytes | str],
    faults: str,
    target_there: bool,
    kinds: set[str],
) -> None:
    out = tmp_path / "out"
    assert run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET).exit_code == 0
    code, text = _build(small_catalog, out, faults)
    assert code == KILLED, text
    assert (out / TARGET).is_dir() == target_there
    if target_there:
        assert snapshot(out / TARGET) == reference  # complete: the previous or the new output, never a mix
    assert {name.split(".")[2].split("-")[0] for name in leftovers(out)} == kinds
    notes = _assert_recovers(small_catalog, out, reference)
    assert ("put back the previous output" in notes) == (not target_there)


@pytest.mark.parametrize("faults", ["no-exchange,kill-rename=1", "kill-rename=2", "kill-rmtree"])
def test_a_kill_during_recovery_is_recovered_too(
    tmp_path: Path, small_catalog: Path, reference: dict[str, bytes | str], faults: str
) -> None:
    out = tmp_path / "out"
    assert run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET).exit_code == 0
    assert _build(small_catalog, out, "no-exchange,kill-rename=2")[0] == KILLED  # target missing
    code, text = _build(small_catalog, out, faults)  # killed while putting it back, or while tidying up
    assert code == KILLED, text
    _assert_recovers(small_catalog, out, reference)


def test_leftovers_of_older_sosmeta_versions_are_recovered(
    tmp_path: Path, small_catalog: Path, reference: dict[str, bytes | str]
) -> None:
    """sosmeta 0.x used the fixed names `.NAME.staging` and `.NAME.old`; a kill between its renames left the
    target missing and only `.NAME.old` complete."""
    out = tmp_path / "out"
    assert run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET).exit_code == 0
    (out / TARGET).rename(out / f".{TARGET}.old")
    (out / f".{TARGET}.staging").mkdir()
    (out / f".{TARGET}.staging" / "half.json").write_bytes(b"{")
    assert "put back" in _assert_recovers(small_catalog, out, reference)


@pytest.mark.parametrize("names", [["staging"], ["old"], ["staging", "old"], ["old-0123456789abcdef"]])
def test_symlinks_named_like_leftovers_are_never_followed(
    tmp_path: Path, small_catalog: Path, reference: dict[str, bytes | str], names: list[str]
) -> None:
    """A link where sosmeta keeps its leftovers is not sosmeta's: it is neither followed, emptied, restored
    nor renamed, and the build still ends with exit 0 and full output (sosmeta 0.x failed with a traceback on
    every build until the link was removed by hand)."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.json").write_bytes(b"kept")
    out.mkdir()
    for name in names:
        (out / f".{TARGET}.{name}").symlink_to(elsewhere, target_is_directory=True)
    for _ in range(2):
        result = run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET)
        assert result.exit_code == 0, result.output
        assert snapshot(out / TARGET) == reference
    assert snapshot(elsewhere) == {"precious.json": b"kept"}
    assert all((out / f".{TARGET}.{name}").is_symlink() for name in names)


def test_folders_of_ones_own_named_like_leftovers_are_kept(tmp_path: Path, small_catalog: Path) -> None:
    """Only leftovers of sosmeta's targets are removed: `.notes.old` is a person's, not a target's."""
    out = tmp_path / "out"
    for name in (".notes.old", ".notes.staging", ".backup.old-0123456789abcdef"):
        (out / name).mkdir(parents=True)
        (out / name / "keep.txt").write_text("mine", encoding="utf-8")
    assert run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET).exit_code == 0
    assert leftovers(out) == [".backup.old-0123456789abcdef", ".notes.old", ".notes.staging"]


# ---- a failing swap puts the previous output back -----------------------------------------------------------------


def _fail(call: int, code: int = errno.EIO) -> object:
    real, calls = os.rename, [0]

    def rename(*args: object, **kwargs: object) -> None:
        calls[0] += 1
        if calls[0] == call:
            raise OSError(code, os.strerror(code))
        real(*args, **kwargs)  # type: ignore[arg-type]

    return rename


@pytest.mark.parametrize("exchange", ["fails", "unsupported"])
def test_a_failing_swap_keeps_the_previous_output(
    tmp_path: Path,
    small_catalog: Path,
    reference: dict[str, bytes | str],
    monkeypatch: pytest.MonkeyPatch,
    exchange: str,
) -> None:
    out = tmp_path / "out"
    assert run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET).exit_code == 0
    before = snapshot(out / TARGET)
    if exchange == "fails":

        def broken(a: Path, b: Path) -> bool:
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(b))

        monkeypatch.setattr(output, "exchange", broken)
    else:  # two renames; the second (staging -> target) fails, so the first is undone
        monkeypatch.setattr(output, "exchange", lambda a, b: False)
        monkeypatch.setattr(os, "rename", _fail(2))
    result = run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET)
    monkeypatch.undo()
    assert result.exit_code == 2 and "Traceback" not in result.output
    (line,) = errors(result.output)
    assert "cannot write: Input/output error [file.unwritable]" in line and str(out) in line
    assert snapshot(out / TARGET) == before and leftovers(out) == []
    _assert_recovers(small_catalog, out, reference)


# ---- OSError: disk full, read-only -----------------------------------------------------------------------------------


def _enospc_after(monkeypatch: pytest.MonkeyPatch, writes: int) -> None:
    """os.write fails with ENOSPC (disk full) from its `writes`th call on a file (not on stdout/stderr)."""
    real, calls = os.write, [0]

    def write(fd: int, data: object) -> int:
        if fd > 2:
            calls[0] += 1
            if calls[0] >= writes:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize("writes", [1, 3])
def test_disk_full_during_a_build_is_one_error_line(
    tmp_path: Path,
    small_catalog: Path,
    reference: dict[str, bytes | str],
    monkeypatch: pytest.MonkeyPatch,
    writes: int,
) -> None:
    out = tmp_path / "out"
    assert run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET).exit_code == 0
    _enospc_after(monkeypatch, writes)
    result = run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET)
    monkeypatch.undo()
    assert result.exit_code == 2 and "Traceback" not in result.output
    (line,) = errors(result.output)
    assert line.startswith(f"error: {out}") and "cannot write: No space left on device [file.unwritable]" in line
    assert snapshot(out / TARGET) == reference and leftovers(out) == []


def test_a_file_that_cannot_be_made_while_building_is_named_where_it_belongs(
    tmp_path: Path, small_catalog: Path, reference: dict[str, bytes | str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The OSError names a file in the staging folder (`.NAME.staging-<hex>/...`); the error line names it in
    `OUT/NAME/`, where the user looks, and the staging folder is gone."""
    out = tmp_path / "out"
    assert run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET).exit_code == 0
    real = os.open

    def refuse(path: str | Path, flags: int, *args: int, **kwargs: int) -> int:
        if ".staging-" in str(path) and flags & os.O_CREAT:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET)
    monkeypatch.undo()
    assert result.exit_code == 2 and "Traceback" not in result.output
    (line,) = errors(result.output)
    assert line.startswith(f"error: {out / TARGET}{os.sep}") and ".staging-" not in line, line
    assert "cannot write: No space left on device [file.unwritable]" in line
    assert snapshot(out / TARGET) == reference and leftovers(out) == []


@pytest.mark.parametrize("replace", [False, True])
def test_disk_full_during_an_import_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replace: bool
) -> None:
    catalog = tmp_path / "catalog"
    stored = catalog / "1.2.246.537.6.1506.99001" / "2025-01-15.json"
    if replace:
        assert run("import", EXAMPLE_SOURCE, "--catalog", catalog).exit_code == 0
    changed = write_export(tmp_path / "changed.json", export(documentSubject="Muutettu"))
    before = snapshot(catalog) if catalog.exists() else {}
    _enospc_after(monkeypatch, 1)
    result = run("import", changed, "--catalog", catalog, *(["--replace"] if replace else []))
    monkeypatch.undo()
    assert result.exit_code == 2 and "Traceback" not in result.output
    (line,) = errors(result.output)
    assert line.startswith(f"error: {catalog}") and "No space left on device [file.unwritable]" in line
    assert {k: v for k, v in snapshot(catalog).items() if k != ".sosmeta.lock"} == {
        k: v for k, v in before.items() if k != ".sosmeta.lock"
    }
    assert not list(catalog.rglob("*.tmp"))
    if replace:
        assert stored.read_bytes() == EXAMPLE_SOURCE.read_bytes()


def test_a_full_tmpfs_during_a_build_keeps_the_previous_output(tmp_path: Path, corpus: list[Path]) -> None:
    """A real small file system: one copy of the output fits, the second (staged beside it) does not."""
    catalog = tmp_path / "catalog"
    assert run("import", *corpus, "--catalog", catalog).exit_code == 0
    size = sum(p.stat().st_size for p in corpus)
    with tmpfs(tmp_path / "out", f"{size * 3 // 2 // 1024}k") as out:
        assert run("build", "--catalog", catalog, "--out", out, "--target", TARGET).exit_code == 0
        before = snapshot(out / TARGET)
        result = run("build", "--catalog", catalog, "--out", out, "--target", TARGET)
        assert result.exit_code == 2 and "Traceback" not in result.output
        (line,) = errors(result.output)
        assert line.startswith(f"error: {out}") and "No space left on device" in line
        assert snapshot(out / TARGET) == before and leftovers(out) == []


def test_a_full_tmpfs_during_an_import_stores_whole_files_only(tmp_path: Path, corpus: list[Path]) -> None:
    with tmpfs(tmp_path / "catalog", "1m") as catalog:
        result = run("import", *corpus, "--catalog", catalog)
        assert result.exit_code == 2 and "Traceback" not in result.output
        (line,) = errors(result.output)
        assert line.startswith(f"error: {catalog}") and "No space left on device" in line
        assert not list(catalog.rglob("*.tmp")) and not list(catalog.rglob(".*.json.*"))
        stored = Catalog(catalog).structures()  # every stored file is whole and loads
        assert 0 < len(stored) < len(corpus)


def test_a_read_only_output_folder_is_one_error_line(
    tmp_path: Path, small_catalog: Path, reference: dict[str, bytes | str]
) -> None:
    with writable_folder(tmp_path / "out") as out:
        assert run("build", "--catalog", small_catalog, "--out", out, "--target", TARGET).exit_code == 0
        with read_only(out):
            for target in (TARGET, "excel"):  # the folder exists, and a new one
                result = run("build", "--catalog", small_catalog, "--out", out, "--target", target)
                assert result.exit_code == 2 and "Traceback" not in result.output
                (line,) = errors(result.output)
                assert line.startswith(f"error: {out}") and "[file.unwritable]" in line
                assert snapshot(out / TARGET) == reference and leftovers(out) == []


def test_a_read_only_catalog_is_one_error_line(tmp_path: Path) -> None:
    with writable_folder(tmp_path / "catalog") as catalog:
        assert run("import", EXAMPLE_SOURCE, "--catalog", catalog).exit_code == 0
        before = snapshot(catalog)
        changed = write_export(tmp_path / "changed.json", export(documentSubject="Muutettu"))
        with read_only(catalog):
            result = run("import", changed, "--catalog", catalog, "--replace")
        assert result.exit_code == 2 and "Traceback" not in result.output
        (line,) = errors(result.output)
        assert line.startswith(f"error: {catalog}") and "[file.unwritable]" in line
        assert snapshot(catalog) == before


def test_a_missing_output_parent_that_cannot_be_made_is_one_error_line(tmp_path: Path, small_catalog: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("build", "--catalog", small_catalog, "--out", blocker / "out", "--target", TARGET)
    assert result.exit_code == 2 and "Traceback" not in result.output
    (line,) = errors(result.output)
    assert str(blocker) in line and "[file.unwritable]" in line
