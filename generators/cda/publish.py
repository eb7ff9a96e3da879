"""Publishing one archive file: written whole or not at all, never over another, compared when one is there.

A document id names one document. The file is written to a temporary name and hard-linked to its final name,
which fails when that name exists, so two processes (or two lines of one run) can never replace each other's
file, and a file that exists is complete. When the name is taken, the bytes on disk are compared with ours:
the same bytes mean the document was archived before (a resumed run), other bytes mean the id was given to
another document, which the caller reports.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV}
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class Published(StrEnum):
    WRITTEN = "written"
    SAME = "same"
    """The name was taken by the same bytes."""
    DIFFERENT = "different"
    """The name was taken by other bytes (or by something that is not a regular file)."""


def same_content(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file (not a link) holding exactly `data`; read at most len(data) + 1 bytes."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError:
        return False  # a symlink (ELOOP), or gone
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        chunks, total = [], 0
        while total <= len(data):
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks) == data
    finally:
        os.close(fd)


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def write_temporary(tmp: str | Path, data: bytes, durable: bool) -> None:
    """Write `data` to `tmp` as a new file (never through a link); `durable` fsyncs it. A file already at that
    name (a temporary a killed run left, perhaps a second name of a file it had published) is removed first,
    never written into: emptying it would change the published file too."""
    try:
        fd = os.open(tmp, _WRITE_FLAGS, 0o666)  # the umask decides, as for build output
    except FileExistsError:
        os.unlink(tmp)
        fd = os.open(tmp, _WRITE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)


def temporary_name(name: str) -> str:
    """The temporary name this process writes `name` under (`stale_temporaries` knows the pattern)."""
    head, tail = os.path.split(name)
    return os.path.join(head, f".{tail}.{os.getpid()}.tmp")


def _taken(path: str, data: bytes) -> Published:
    return Published.SAME if same_content(Path(path), data) else Published.DIFFERENT


def publish(path: str | os.PathLike[str], data: bytes, durable: bool = False) -> Published:
    """Write `data` as `path` unless the name is taken (then compare). The temporary name is fixed per process
    (one writer per name), which saves mkstemp's retries; `durable` fsyncs the file before it gets its name.
    The name is not looked up first: the link fails when it is taken, and a new name (the common case) then
    costs an open, a write, a link and an unlink."""
    name = os.fspath(path)
    tmp = temporary_name(name)
    try:
        write_temporary(tmp, data, durable)
        return _link(tmp, name, lambda: data)
    finally:
        with contextlib.suppress(FileNotFoundError):  # renamed, or never made
            os.unlink(tmp)


def publish_temporary(tmp: str | os.PathLike[str], path: str | os.PathLike[str]) -> Published:
    """Give the finished temporary file `tmp` (written by `write_temporary`, perhaps by another process) the name
    `path` unless it is taken (then compare its bytes with what is there). `tmp` is removed, except when the
    name holds other bytes (DIFFERENT): the caller may then read it back."""
    tmp, name = os.fspath(tmp), os.fspath(path)
    published = _link(tmp, name, lambda: Path(tmp).read_bytes())
    if published is not Published.DIFFERENT:
        with contextlib.suppress(FileNotFoundError):  # renamed
            os.unlink(tmp)
    return published


def _link(tmp: str, name: str, data: Callable[[], bytes]) -> Published:
    try:
        os.link(tmp, name)
    except FileExistsError:  # archived before (a resumed run), or another document's id
        return _taken(name, data())
    except OSError as exc:
        if exc.errno not in NO_LINKS:
            raise
        # a file system without hard links: rename (this loses only the race of two writers at one instant)
        if os.path.lexists(name):
            return _taken(name, data())
        os.replace(tmp, name)
    return Published.WRITTEN


def replace_file(path: Path, data: bytes) -> None:
    """Write `path` whole, replacing what is there (a symlink at `path` is replaced, never followed)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write_temporary(tmp, data, durable=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def stale_temporaries(folder: Path, patterns: tuple[str, ...] = (".*.xml.*.tmp", ".*.tar.*.tmp")) -> list[Path]:
    """Temporary files an interrupted run left in `folder` (never a finished file, nor the file of a process
    still running: the name holds the writer's process id); by default those of documents and batch files."""
    found = [tmp for pattern in patterns for tmp in folder.glob(pattern)]
    return [tmp for tmp in found if not _running(tmp.name.rsplit(".", 2)[-2])]


def _running(pid: str) -> bool:
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return not _zombie(pid)


def _zombie(pid: str) -> bool:
    # A killed worker nobody has reaped yet (its parent was killed too) still answers kill(pid, 0).
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]
