"""Bounded reads: regular files only, at most a given size, read in chunks.

A symlink to /dev/zero, a FIFO named `x.json` or a 23 GB file must be refused before memory runs out or the
command hangs, with the same located error whatever the command.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sosmeta_import.errors import InputError

MiB = 1024 * 1024
_CHUNK = 1 * MiB


def read_bounded(path: Path, max_bytes: int, source: str | None = None) -> bytes:
    """The bytes of the regular file `path`, refusing devices, FIFOs, folders and files over `max_bytes`."""
    name = source or str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise InputError.one(name, "", "is a folder, not a file", "file.not_regular") from None
    except OSError as exc:
        raise InputError.one(name, "", f"cannot read file: {exc.strerror}", "file.unreadable") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError.one(name, "", "is not a regular file (a device, FIFO or socket)", "file.not_regular")
        if info.st_size > max_bytes:
            raise InputError.one(
                name, "", f"file is {info.st_size} bytes, over the {max_bytes} byte limit", "file.too_large"
            )
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:  # the file grew while being read
                raise InputError.one(name, "", f"file is over the {max_bytes} byte limit", "file.too_large")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError.one(name, "", f"cannot read file: {exc.strerror}", "file.unreadable") from None
    finally:
        os.close(fd)
