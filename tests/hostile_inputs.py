"""Hostile and faulty inputs for the error-contract tests, and how to run the command line against them.

Every maker writes a real file (or FIFO, symlink, sparse file) built from the embedded example structure; the
runners run `sosmeta` in a child process (bounded in time and memory, so a regression ends in a failed test,
not a hung suite or an exhausted machine) or in-process with click's runner where the fault is in content.
"""

from __future__ import annotations

import copy
import io
import json
import os
import resource
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from sosmeta.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_EXPORT = ROOT / "example" / "sources" / "perhetyon-seurantamerkinta.json"
EXAMPLE_ORG = ROOT / "example" / "orgs" / "jarvimaa-lastensuojelu.toml"
BASE_OID = "1.2.246.537.6.1506.99001"
MEMORY_LIMIT = 3 * 1024**3
"""Address space of a child `sosmeta`: reading /dev/zero into memory ends in MemoryError, not in swap."""


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    crashed: str = ""
    """In-process runs: the exception that escaped the command (a traceback in a real process)."""

    @property
    def error_lines(self) -> list[str]:
        """`error: ...` lines, and validate's per-document `SOURCE: error: ...` lines."""
        return [line for line in self.stderr.splitlines() if line.startswith("error:") or ": error: " in line]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def sosmeta(
    *args: str, cwd: Path, stdin: Any = subprocess.DEVNULL, stdout: Any = subprocess.PIPE, timeout: float = 120
) -> Run:
    """`sosmeta ARGS` in a child process of this worktree's code (a hang fails the test at `timeout`)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "sosmeta", *args],
        cwd=cwd,
        env=env,
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=timeout,
        preexec_fn=_limits,
        check=False,
    )
    out = (proc.stdout or b"").decode("utf-8", "replace")
    return Run(proc.returncode, out, proc.stderr.decode("utf-8", "replace"))


def sosmeta_here(*args: str) -> Run:
    """`sosmeta ARGS` in-process (click's runner): for faults in content, where no hang or device is involved."""
    result = CliRunner().invoke(main, list(args))
    crashed = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crashed = f"{type(result.exception).__name__}: {result.exception}"[:500]
    return Run(result.exit_code, result.stdout, result.stderr, crashed)


def assert_one_error(run: Run, *needles: str) -> str:
    """Exit 2, no traceback, exactly one error line, holding every needle; the line is returned."""
    shown = f"exit {run.returncode}\n--- stdout\n{run.stdout[-3000:]}\n--- stderr\n{run.stderr[-3000:]}\n{run.crashed}"
    assert not run.crashed, shown
    assert "Traceback" not in run.stdout + run.stderr, shown
    assert run.returncode == 2, shown
    assert len(run.error_lines) == 1, shown
    for needle in needles:
        assert needle in run.error_lines[0], shown
    return run.error_lines[0]


# ---- structures ---------------------------------------------------------------------------------------------
def example_data() -> dict[str, Any]:
    return json.loads(EXAMPLE_EXPORT.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _document_node(data: dict[str, Any]) -> dict[str, Any]:
    return next(iter(data["properties"].values()))  # type: ignore[no-any-return]


def deep_structure(levels: int, arrays: bool = False) -> str:
    """The example export with a chain of `levels` nested groups below the document element (repeatable ones
    with `arrays`); the leaf of the chain is at element level `levels + 2`."""
    data = example_data()
    doc = _document_node(data)
    group = doc["properties"]["asiakas"]
    leaf = copy.deepcopy(group["properties"]["sukunimi"])
    leaf["sosmeta"]["rowNumber"] = 5000
    node: dict[str, Any] = {"sukunimi": leaf}

    def wrap(members: dict[str, Any], row: int) -> dict[str, Any]:
        meta = {**copy.deepcopy(group["sosmeta"]), "rowNumber": row, "required": False}
        element = {"type": "object", "additionalProperties": False, "sosmeta": meta, "properties": members}
        if not arrays:
            return element
        meta["repeatable"] = True
        return {"type": "array", "items": element}

    for i in range(levels - 1):
        node = {f"taso{i}": wrap(node, 1000 + i)}
    doc["properties"]["syva"] = wrap(node, 999)
    return json.dumps(data, ensure_ascii=False)


def export_with(raw: str, where: str = "maxProperties") -> str:
    """The example export with the document element's keyword `where` set to `raw` JSON text (`1e999`, ...)."""
    data = example_data()
    _document_node(data)[where] = "@@RAW@@"
    return json.dumps(data, ensure_ascii=False).replace('"@@RAW@@"', raw)


def deep_json(levels: int) -> str:
    return '{"a": ' + "[" * levels + "]" * levels + "}"


HUGE_INT = "9" * 5000
LONE_SURROGATE = '"\\ud800 surrogate"'


# ---- files that are not what they are named -----------------------------------------------------------------
def zero_link(path: Path) -> Path:
    """`path` as a symlink to /dev/zero: endless bytes."""
    path.symlink_to("/dev/zero")
    return path


def fifo(path: Path) -> Path:
    """`path` as a FIFO nobody writes to: a plain open() waits forever."""
    os.mkfifo(path)
    return path


def eio_link(path: Path) -> Path:
    """`path` as a symlink to /proc/self/mem: a regular file whose read fails (EIO), even for root."""
    path.symlink_to("/proc/self/mem")
    return path


def sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk space (over-size inputs)."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


# ---- workbooks ----------------------------------------------------------------------------------------------
def example_workbook() -> bytes:
    from sosmeta.generators.excel import structure_workbook
    from sosmeta.sosmeta_import.sosmeta_json import load_structure

    return structure_workbook(load_structure(EXAMPLE_EXPORT))


def rewrite_part(workbook: bytes, part: str, content: bytes) -> bytes:
    """`workbook` with the zip entry `part` replaced by `content` (deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == part else source.read(info.filename))
    return out.getvalue()


def with_doctype(workbook: bytes, declaration: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        xml = archive.read(part)
    return rewrite_part(workbook, part, declaration + xml)


def bomb_workbook(workbook: bytes) -> bytes:
    """A real workbook whose first sheet inflates about 1,000-fold (8 MiB of zeros in a few KB)."""
    return rewrite_part(workbook, "xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
