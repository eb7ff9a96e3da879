"""OSErrors of writing (read-only folder, disk full, no permission) as one located error line.

The project's commands end with `error: PATH: cannot write: <reason> [file.unwritable]` and exit code 2,
whatever the call that failed; the reason is the system's, never a value of the data being written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sosmeta.sosmeta_import.errors import InputError


def write_failure(exc: OSError, path: Path | str, aside: tuple[Path, Path] | None = None) -> InputError:
    """The located error for `exc`, raised while writing `path` (or the file the OSError names). `aside` is
    (a folder being built, the folder it becomes): a file named inside the first is named as inside the second,
    where the user will look for it."""
    where = exc.filename if isinstance(exc.filename, (str, Path)) else path
    if aside is not None:
        building, final = aside
        relative = _inside(Path(where), building)
        if relative is not None:
            where = final / relative
    reason = exc.strerror or type(exc).__name__
    return InputError.one(str(where), "", f"cannot write: {reason}", "file.unwritable")


def _inside(path: Path, folder: Path) -> Path | None:
    try:
        return path.relative_to(folder)
    except ValueError:
        return None


@contextmanager
def located_write_errors(path: Path | str, aside: tuple[Path, Path] | None = None) -> Iterator[None]:
    """Turn an OSError raised in the block into `write_failure` (naming `path` when the error names no file;
    with `aside`, a file of the folder being built by the name it will have)."""
    try:
        yield
    except OSError as exc:
        raise write_failure(exc, path, aside) from None
