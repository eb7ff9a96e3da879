"""Writing build results safely: atomic files, and whole target folders swapped in only when complete.

A target folder `OUT/NAME` is built in a staging folder of its own (`OUT/.NAME.staging-<random>`) and swapped
in. On Linux the two names are exchanged in one step (renameat2 RENAME_EXCHANGE), so `OUT/NAME` is always
there, old or new. Elsewhere two renames are used: the previous folder becomes `OUT/.NAME.old-<random>`,
then the staging folder becomes `OUT/NAME`; a kill between them leaves no `OUT/NAME` but a complete
`.NAME.old-*`. Either way the folder no longer needed is renamed to `OUT/.NAME.trash-<random>` and removed.
`recover()`, run under the output folder's lock at the start of every build, puts back a missing target from
its old folder and removes the other leftovers.
Links are never followed: a symlink where a target folder should be is refused, and a symlink named like a
leftover is not sosmeta's and is left alone.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any

from sosmeta.safeio.paths import UnsafePath, refuse_link
from sosmeta.sosmeta_import.errors import InputError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to `fd` (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_new(path: Path, data: bytes) -> None:
    """Write `path` in a folder sosmeta made itself, never through a symlink planted at its name."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o666)
    try:
        write_all(fd, data)
    finally:
        os.close(fd)


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new, empty temporary file beside `path`, created with mode 0666 so the umask decides its mode as it
    does for every other file sosmeta writes (tempfile.mkstemp makes 0600, which a reader under another
    account cannot read). O_EXCL: never an existing file or a link planted at the name."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
    while True:
        tmp = str(path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp"))
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def atomic_write(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file and rename, so readers never see half a file.

    Returns False (and writes nothing) when the file already holds exactly `data`. On any failure the
    temporary file is removed and the previous `path` is as it was.
    """
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(path)
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


# ---- exchanging two names in one step ---------------------------------------------------------------------

_AT_FDCWD, _RENAME_EXCHANGE = -100, 2
_UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV})


@cache
def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (glibc < 2.28, some others)
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(a: Path, b: Path) -> bool:
    """Swap the names `a` and `b` atomically; False (nothing done) where the system or file system cannot."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(b))


# ---- staged target folders -------------------------------------------------------------------------------

STAGING, OLD, TRASH = "staging", "old", "trash"
# `.NAME.KIND-<16 hex>`; also `.NAME.staging` and `.NAME.old` as sosmeta 0.x left them.
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?:(?P<kind>staging|old|trash)-[0-9a-f]{16}|(?P<legacy>staging|old))$")


def _aside(final: Path, kind: str) -> Path:
    return final.with_name(f".{final.name}.{kind}-{secrets.token_hex(8)}")


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def _check_target_folder(final: Path) -> None:
    refuse_link(final)
    if os.path.lexists(final) and not _is_real_dir(final):
        raise InputError.one(
            str(final), "", "is not a folder; each target is written into a folder of its own", "output.not_folder"
        )


class StagedDirectory:
    """A folder built aside (a unique `.NAME.staging-<random>`) and put in place of `final` only by `commit()`.

    If the build fails, `discard()` removes the staging folder and the previous `final` stays untouched.
    """

    def __init__(self, final: Path) -> None:
        self.final = Path(final)
        _check_target_folder(self.final)
        self.final.parent.mkdir(parents=True, exist_ok=True)
        while True:
            self.staging = _aside(self.final, STAGING)
            try:
                os.mkdir(self.staging)  # never an existing folder or link: two builds never share one
                break
            except FileExistsError:
                continue

    @property
    def previous(self) -> Path | None:
        """The complete folder of the last build (read only, for reuse), or None."""
        return self.final if _is_real_dir(self.final) else None

    def commit(self) -> None:
        """Swap the staging folder in; on failure the previous folder is put back and the error raised.

        Where the system can exchange two names in one step (Linux renameat2), `final` is never missing, not
        even for a moment; elsewhere two renames are used, and `recover()` mends a kill between them.
        """
        _check_target_folder(self.final)
        if os.path.lexists(self.final) and exchange(self.staging, self.final):
            _discard_quietly(self.staging, self.final)  # the staging name now holds the previous output
            return
        old = None
        if os.path.lexists(self.final):
            old = _aside(self.final, OLD)
            os.rename(self.final, old)
        try:
            os.rename(self.staging, self.final)
        except BaseException:
            if old is not None:
                os.rename(old, self.final)
            raise
        if old is not None:
            _discard_quietly(old, self.final)

    def discard(self) -> None:
        if _is_real_dir(self.staging):
            _remove(self.staging, self.final)


def _remove(folder: Path, final: Path) -> None:
    """Remove a leftover folder of `final`: first renamed to a trash name, so that a folder only partly removed
    (the run killed meanwhile) is never taken for a complete old one."""
    trash = _aside(final, TRASH)
    os.rename(folder, trash)
    shutil.rmtree(trash)


def _discard_quietly(folder: Path, final: Path) -> None:
    """Remove the previous output once the new one is in place; if that fails, the swap still stands and the
    next build's `recover()` removes what is left."""
    with suppress(OSError):
        _remove(folder, final)


@contextmanager
def staged(final: Path) -> Iterator[StagedDirectory]:
    """Build into a staging folder; swapped in when the block ends normally, discarded when it raises."""
    folder = StagedDirectory(final)
    try:
        yield folder
        folder.commit()
    except BaseException:
        with suppress(OSError):  # the build's own error is the one to report; recover() tidies up later
            folder.discard()
        raise


def recover(out: Path, targets: Iterable[str]) -> list[str]:
    """Undo what killed builds left in `out` (call it holding the folder's lock): a target folder missing after
    a swap was interrupted is put back from its complete old folder, and every other staging, old and trash
    folder of the named `targets` is removed. Only those folders are sosmeta's: anything else, and symlinks,
    are left alone and never followed.

    Returns one note per target folder put back.
    """
    if not _is_real_dir(out):
        return []
    ours = set(targets)
    found: dict[str, list[tuple[str, Path]]] = {}
    for entry in sorted(os.scandir(out), key=lambda e: e.name):
        match = _LEFTOVER.match(entry.name)
        if match and match["name"] in ours and entry.is_dir(follow_symlinks=False):
            found.setdefault(match["name"], []).append((match["kind"] or match["legacy"], Path(entry.path)))
    notes = []
    for name, leftovers in found.items():
        final = out / name
        olds = [path for kind, path in leftovers if kind == OLD]
        if olds and not os.path.lexists(final):
            newest = max(olds, key=lambda p: os.lstat(p).st_ctime)  # a rename sets ctime: the last swap's
            os.rename(newest, final)
            notes.append(f"{final}: put back the previous output of an interrupted build")
        for _, path in leftovers:
            if _is_real_dir(path):
                _remove(path, final)
    return notes


__all__ = ["StagedDirectory", "UnsafePath", "atomic_write", "recover", "staged", "write_all", "write_new"]
