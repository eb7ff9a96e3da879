"""Exclusive locks on the folders sosmeta writes (a catalog, an output folder), so two runs never interleave.

Each folder has one lock file, `.sosmeta.lock` (flock through the `filelock` library; the kernel releases it
when a run ends, even by kill -9, so a stale lock cannot exist). A run that finds the lock held waits for it
and says so on stderr, or, with `wait=False` (`--no-wait`), is refused at once with exit code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from sosmeta.safeio.errors import write_failure
from sosmeta.safeio.paths import refuse_link
from sosmeta.sosmeta_import.errors import InputError

LOCK_FILE = ".sosmeta.lock"


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class FolderLock:
    """The exclusive lock of one folder; re-entrant, so a command may hold it around calls that take it too."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_FILE
        self._lock = FileLock(self.path)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    @contextmanager
    def hold(self, wait: bool = True, notify: Callable[[str], None] = _to_stderr) -> Iterator[None]:
        """Hold the lock for the `with` block, creating the folder when it is missing.

        Waits for another run holding it (telling `notify` once) or, when not `wait`, raises InputError.
        """
        if not self._lock.is_locked:
            self._acquire(wait, notify)
        else:
            self._lock.acquire(blocking=False)  # held by this object: only counts up
        try:
            yield
        finally:
            self._lock.release()

    def _acquire(self, wait: bool, notify: Callable[[str], None]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            refuse_link(self.path)
            try:
                self._lock.acquire(blocking=False)
                return
            except Timeout:
                pass
            if not wait:
                raise InputError.one(
                    str(self.folder),
                    "",
                    f"is in use by another sosmeta run (it holds {LOCK_FILE}); try again when that run has "
                    "finished, or leave out --no-wait to wait for it",
                    "lock.busy",
                )
            notify(f"waiting for the lock on {self.folder} held by another sosmeta run")
            self._lock.acquire()
        except OSError as exc:
            raise write_failure(exc, self.path) from None
