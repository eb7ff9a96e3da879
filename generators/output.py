"""Writing build results safely: atomic files, and whole target folders swapped in only when complete."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file and rename, so readers never see half a file.

    Returns False (and writes nothing) when the file already holds exactly `data`.
    """
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


class StagedDirectory:
    """A folder built aside (`.NAME.staging`) and put in place of `final` only by `commit()`.

    If the build fails, `discard()` removes the staging folder and the previous `final` stays untouched.
    """

    def __init__(self, final: Path) -> None:
        self.final = Path(final)
        self.staging = self.final.with_name(f".{self.final.name}.staging")
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)

    def commit(self) -> None:
        old = self.final.with_name(f".{self.final.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if self.final.exists():
            os.replace(self.final, old)
        os.replace(self.staging, self.final)
        if old.exists():
            shutil.rmtree(old)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
