"""Helpers of the file-system hardening tests: hostile exports, real sosmeta processes, folder snapshots, and
small or read-only file systems (a tmpfs where one can be mounted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sosmeta.cli import main
from sosmeta.safeio.locks import LOCK_FILE
from tests.conftest import EXAMPLE, ROOT

EXAMPLE_SOURCE = EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json"
EXAMPLE_OID = "1.2.246.537.6.1506.99001.2025.1.15"


def run(*args: str | Path) -> Result:
    """sosmeta in this process."""
    return CliRunner().invoke(main, [str(a) for a in args])


def errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error:")]


def sosmeta_process(*args: str | Path, faults: str = "none") -> subprocess.Popen[str]:
    """sosmeta as a process of its own (started, not waited for), with `faults` (see tests/faults.py)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.faults", faults, "--", *map(str, args)]
    return subprocess.Popen(command, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def sosmeta(*args: str | Path, faults: str = "none") -> subprocess.CompletedProcess[str]:
    """sosmeta as a process of its own, run to its end."""
    process = sosmeta_process(*args, faults=faults)
    out, err = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def export(**sosmeta: Any) -> dict[str, Any]:
    """The example export with the given top-level sosmeta fields changed (None removes one)."""
    data = json.loads(EXAMPLE_SOURCE.read_text(encoding="utf-8"))
    for key, value in sosmeta.items():
        if value is None:
            data["sosmeta"].pop(key, None)
        else:
            data["sosmeta"][key] = value
    return data


def write_export(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=True, indent=2), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry below `folder`: file bytes, `link -> target` for symlinks, `dir` for folders."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[name] = f"link -> {os.readlink(path)}"
        elif path.is_dir():
            out[name] = "dir"
        else:
            out[name] = path.read_bytes()
    return out


def leftovers(folder: Path) -> list[str]:
    """Hidden entries sosmeta may have left in a folder it writes (its lock file is meant to stay)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != LOCK_FILE)


def mount_tmpfs(path: Path, size: str) -> None:
    """Mount a tmpfs of `size` on `path`, or skip the test where that is not allowed (not root, containers)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the injected-fault tests cover the same paths")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()})")


def unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    mount_tmpfs(path, size)
    try:
        yield path
    finally:
        unmount(path)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make the folder `path` read-only for the block: as root a tmpfs mounted on it is remounted read-only
    (root ignores permission bits); otherwise its permission bits are cleared."""
    if os.geteuid() == 0:
        done = subprocess.run(["mount", "-o", "remount,ro", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot remount {path} read-only ({done.stderr.strip()})")
        try:
            yield
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(path)], capture_output=True, check=False)
        return
    modes = {p: p.stat().st_mode for p in (path, *path.rglob("*")) if p.is_dir()}
    for folder in modes:
        folder.chmod(0o555)
    try:
        yield
    finally:
        for folder, mode in modes.items():
            folder.chmod(mode)


@contextmanager
def writable_folder(path: Path, size: str = "64m") -> Iterator[Path]:
    """A folder that `read_only()` can make read-only: a tmpfs as root, a plain folder otherwise."""
    if os.geteuid() == 0:
        with tmpfs(path, size):
            yield path
    else:
        path.mkdir(parents=True, exist_ok=True)
        yield path
