"""Bounded reads: regular files only, at most a given size, read in chunks; standard input bounded the same way.

A symlink to /dev/zero, a FIFO named `x.json` or a 23 GB file must be refused before memory runs out or the
command hangs, with the same located error whatever the command. Every file the project reads as input goes
through `read_bounded` (bytes) or `read_text` (UTF-8 text); `read_stdin` does the same for standard input.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from sosmeta.sosmeta_import.errors import InputError

MiB = 1024 * 1024
_CHUNK = 1 * MiB

MAX_STRUCTURE_BYTES = 64 * MiB
"""A structure export or catalog entry (the largest real export is under 1 MiB)."""
MAX_DOCUMENT_BYTES = 64 * MiB
"""One client document, envelope or JSON Lines line."""
MAX_CONFIG_BYTES = 8 * MiB
"""sosmeta.toml, organisation templates, renames files."""


def display_name(path: Path | str) -> str:
    """`path` as text that can always be printed: undecodable bytes of a file name are shown escaped."""
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def read_bounded(path: Path, max_bytes: int, source: str | None = None) -> bytes:
    """The bytes of the regular file `path`, refusing devices, FIFOs, folders and files over `max_bytes`."""
    name = source or display_name(path)
    fd = open_nonblocking(path, name)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError.one(name, "", "is a folder, not a file", "file.not_regular")
        if not stat.S_ISREG(info.st_mode):
            raise InputError.one(name, "", "is not a regular file (a device, FIFO or socket)", "file.not_regular")
        if info.st_size > max_bytes:
            raise _too_large(name, max_bytes, info.st_size)
        return _read_chunks(lambda: os.read(fd, _CHUNK), max_bytes, name)
    except OSError as exc:
        raise InputError.one(name, "", f"cannot read file: {exc.strerror}", "file.unreadable") from None
    finally:
        os.close(fd)


def open_nonblocking(path: Path | str, name: str) -> int:
    """A read-only descriptor of `path`, opened without waiting (a FIFO does not block for a writer), for the
    caller to fstat and refuse what it does not read; a folder or a failure to open is one located error."""
    try:
        return os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise InputError.one(name, "", "is a folder, not a file", "file.not_regular") from None
    except OSError as exc:
        raise InputError.one(name, "", f"cannot read file: {exc.strerror}", "file.unreadable") from None


def check_regular(path: Path, max_bytes: int, source: str | None = None) -> int:
    """The size of `path` when it is a regular file of at most `max_bytes`; else the error `read_bounded`
    gives. For readers that must open the file themselves (a zip archive is read by the zip module)."""
    name = source or display_name(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError.one(name, "", f"cannot read file: {exc.strerror}", "file.unreadable") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError.one(name, "", "is a folder, not a file", "file.not_regular")
    if not stat.S_ISREG(info.st_mode):
        raise InputError.one(name, "", "is not a regular file (a device, FIFO or socket)", "file.not_regular")
    if info.st_size > max_bytes:
        raise _too_large(name, max_bytes, info.st_size)
    if not os.access(path, os.R_OK):
        raise InputError.one(name, "", "cannot read file: Permission denied", "file.unreadable")
    return info.st_size


def read_stdin(max_bytes: int, source: str = "<stdin>", stream: BinaryIO | None = None) -> bytes:
    """Standard input (or `stream`), at most `max_bytes`, read in chunks: a pipe of zeros ends in an error."""
    handle = stream if stream is not None else sys.stdin.buffer
    try:
        return _read_chunks(lambda: handle.read(_CHUNK), max_bytes, source)
    except OSError as exc:
        raise InputError.one(source, "", f"cannot read: {exc.strerror}", "file.unreadable") from None


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text (a byte order mark is tolerated); the error names the first bad byte, never the text."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.one(source, f"byte {exc.start}", "not UTF-8 text", "file.encoding") from None


def read_text(path: Path, max_bytes: int, source: str | None = None) -> str:
    """The UTF-8 text of the regular file `path`, at most `max_bytes` long."""
    name = source or display_name(path)
    return decode_text(read_bounded(path, max_bytes, name), name)


def _read_chunks(read: Callable[[], bytes], max_bytes: int, name: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = read()
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:  # the file grew while being read, or a pipe that never ends
            raise _too_large(name, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(name: str, max_bytes: int, size: int | None = None) -> InputError:
    found = f"is {size} bytes, " if size is not None else "is "
    return InputError.one(name, "", f"file {found}over the {max_bytes} byte limit", "file.too_large")
