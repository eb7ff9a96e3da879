"""OSErrors of writing (read-only folder, disk full, no permission) as one located error line.

The project's commands end with `error: PATH: cannot write: <reason> [file.unwritable]` and exit code 2,
whatever the call that failed; the reason is the system's, never a value of the data being written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sosmeta.sosmeta_import.errors import InputError


def write_failure(exc: OSError, path: Path | str) -> InputError:
    """The located error for `exc`, raised while writing `path` (or the file the OSError names)."""
    where = exc.filename if isinstance(exc.filename, (str, Path)) else path
    reason = exc.strerror or type(exc).__name__
    return InputError.one(str(where), "", f"cannot write: {reason}", "file.unwritable")


@contextmanager
def located_write_errors(path: Path | str) -> Iterator[None]:
    """Turn an OSError raised in the block into `write_failure` (naming `path` when the error names no file)."""
    try:
        yield
    except OSError as exc:
        raise write_failure(exc, path) from None
