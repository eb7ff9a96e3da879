"""The outputs of bulk encoding: one file per document, or batch files of N documents each.

One file per document: OUT/<document id>.xml. A worker writes each document to a temporary file named by its
line; the parent links them to their names in line order (`publish_written`), whole and never over another
file (`publish`), so of two lines with one id the first wins however many workers run.

Batches (`--batch N`): the documents of input lines kN+1 .. (k+1)N go, in line order, into one tar file
OUT/lines-<kN+1>-<(k+1)N>.tar (10 digits each) whose members are <document id>.xml. A batch is read, encoded
and written to a temporary file by one worker (`bulk_worker.Worker.batch`); the parent takes the batches in
line order and hard-links each to its name (`Batches.settle`), so after a kill there is either the whole batch
or none of it (and the temporary is removed by the next run). The tar is
deterministic (fixed times, owners and modes, members in line order), so a resumed run rebuilds the same bytes
and compares them with the file there: the same bytes count as already there. A document id names one
document across all batches of the folder: the ids in the batch files already there are read (their headers
only) when the run starts, and a document whose id another batch holds is not written again: the same bytes
count as already there, other bytes fail (`cda.duplicate_id`), as in one-file mode.
"""

from __future__ import annotations

import io
import os
import re
import stat
import tarfile
from collections.abc import Iterator
from pathlib import Path

from sosmeta.generators.cda.bulk_worker import BatchResult, Encoded, Failed, Member, Outcome, Settings, Written
from sosmeta.generators.cda.publish import Published, publish, publish_temporary
from sosmeta.safeio.paths import UnsafePath, inside
from sosmeta.sosmeta_import.errors import InputError, Problem

BATCH_NAME = re.compile(r"lines-(\d{10})-(\d{10})\.tar")
_MEMBER_LIMIT = 64 * 1024 * 1024
"""A member of a batch read back for comparison is at most this large (an archive document is at most 16 MiB)."""

_DUPLICATE = (
    "envelope /document_id",
    "a file with this document id and other content is already in the output folder (a document id names one document)",
    "cda.duplicate_id",
)


def file_name(settings: Settings, encoded: Encoded) -> str:
    """One-file mode: the file name of a document, `<document id>.xml`, or `Failed` when that name in the
    output folder is a symbolic link (never written through)."""
    name = f"{encoded.document_id}.xml"
    try:
        inside(settings.out, name)
    except UnsafePath:
        raise Failed(*_UNSAFE_FILE) from None
    return name


def publish_written(settings: Settings, item: Written) -> Outcome:
    """One-file mode: link the document a worker wrote (`bulk_worker.Worker.files`) as OUT/<document id>.xml, in
    line order; the name taken by the same bytes counts as already there, by other bytes fails."""
    line = item.line
    try:
        target = inside(settings.out, item.name)
    except UnsafePath:
        Path(item.temporary).unlink(missing_ok=True)
        return Outcome(line, "failed", (Problem(f"line {line}", *_UNSAFE_FILE),))
    published = publish_temporary(item.temporary, target)
    if published is Published.DIFFERENT:
        Path(item.temporary).unlink(missing_ok=True)
        return Outcome(line, "failed", (Problem(f"line {line}", *_DUPLICATE),))
    return Outcome(line, "written" if published is Published.WRITTEN else "skipped", size=item.size)


_UNSAFE_FILE = (
    "envelope /document_id",
    "the output file of this document id is a symbolic link; sosmeta never writes through links",
    "cda.unsafe_path",
)


def batch_name(line: int, size: int) -> str:
    """The batch file that holds input line `line` (numbered from 1) with `size` lines per batch."""
    first = (line - 1) // size * size + 1
    return f"lines-{first:010d}-{first + size - 1:010d}.tar"


class Batches:
    """The batch files of one output folder: what they hold, and each new batch written whole."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.holder: dict[str, str] = {}
        self._read: tuple[str, dict[str, bytes]] = ("", {})
        """Document id -> the batch file holding it (for the folder's batches and those written by this run)."""
        for path in sorted(settings.out.iterdir()):
            if BATCH_NAME.fullmatch(path.name):
                for member in _member_names(path):
                    self.holder.setdefault(member, path.name)

    def write(self, name: str, items: list[Encoded | Outcome]) -> Iterator[Outcome]:
        """Write batch `name` from the worker results of its lines (in line order); the outcome of each line."""
        members: dict[str, bytes] = {}
        pending: list[tuple[Encoded, str]] = []  # each document put in this batch, with its member name
        for item in items:
            if isinstance(item, Outcome):
                yield item
                continue
            member = f"{item.document_id}.xml"
            elsewhere = self.holder.get(member)
            if member in members or (elsewhere is not None and elsewhere != name):
                known = members[member] if member in members else self._member(elsewhere or name, member)
                yield _compared(item, known)
                continue
            members[member] = item.data
            pending.append((item, member))
        if not members:
            return
        try:
            target = inside(self.settings.out, name)
        except UnsafePath:
            yield from (_failed(item, *_UNSAFE) for item, _ in pending)
            return
        published = publish(target, tar_bytes(members), self.settings.durable)
        for member in members:
            self.holder[member] = name
        if published is Published.WRITTEN:
            yield from (Outcome(item.line, "written", size=len(item.data)) for item, _ in pending)
            return
        for item, member in pending:  # the batch is there: each document compared with its member
            yield _compared(item, self._member(name, member))

    def settle(self, result: BatchResult) -> Iterator[Outcome]:
        """Publish a batch a worker wrote (`bulk_worker.Worker.batch`), in line order after the batches before it;
        the outcome of each of its lines. The common case, a new name and ids no other batch holds, only links
        the worker's file; otherwise the batch is rebuilt here from the worker's file, as `write` would."""
        if result.temporary is None:  # no document of the batch went in
            yield from (self._alone(item) for item in result.items)  # only failures and in-batch repeats
            return
        try:
            clash = any(self.holder.get(item.member, result.name) != result.name for item in _members(result))
            target = None if clash else inside(self.settings.out, result.name)
            published = None if target is None else publish_temporary(result.temporary, target)
        except UnsafePath:
            published = None
        if published is Published.WRITTEN or published is Published.SAME:  # SAME: every member is there as well
            status = "written" if published is Published.WRITTEN else "skipped"
            for item in _members(result):
                self.holder[item.member] = result.name
            yield from (self._alone(item, status) for item in result.items)
            return
        # `write` gives a batch's failures at once and its documents once the batch is written: put back in line
        # order (a batch is at most 10,000 lines)
        yield from sorted(self.write(result.name, _rebuilt(result)), key=lambda outcome: outcome.line)

    def _alone(self, item: Outcome | Member | Written, status: str = "written") -> Outcome:
        """The outcome of a line of a batch published as the worker wrote it (or found there byte for byte)."""
        assert not isinstance(item, Written), "a batch's lines are members, never files of their own"
        if isinstance(item, Outcome):
            return item
        if item.repeat:  # its id was given earlier in the batch: already there, or taken by other bytes
            return Outcome(item.line, "skipped", size=item.size) if item.other is None else _failed(item, *_DUPLICATE)
        return Outcome(item.line, status, size=item.size)

    def _member(self, name: str, member: str) -> bytes | None:
        """The content of `member` in batch file `name` (None when it is not a regular member of a readable tar).
        The members of the batch read last are kept, so that comparing a batch's documents reads it once."""
        if self._read[0] != name:
            self._read = (name, _regular_members(self.settings.out / name))
        return self._read[1].get(member)


def _members(result: BatchResult) -> Iterator[Member]:
    return (item for item in result.items if isinstance(item, Member) and not item.repeat)


def _rebuilt(result: BatchResult) -> list[Encoded | Outcome]:
    """The worker results of a batch's lines as `Batches.write` takes them, the documents read back from the
    worker's file (which is removed)."""
    assert result.temporary is not None
    path = Path(result.temporary)
    try:
        members = _regular_members(path)
    finally:
        path.unlink(missing_ok=True)
    items: list[Encoded | Outcome] = []
    for item in result.items:
        if isinstance(item, Outcome):
            items.append(item)
        elif isinstance(item, Member):
            data = members[item.member] if item.other is None else item.other
            items.append(Encoded(item.line, item.member.removesuffix(".xml"), data))
    return items


def _regular_members(path: Path) -> dict[str, bytes]:
    """The content of every member of a batch file by name, as `TarFile.getmember` finds a name (the last member
    of that name), when that member is a regular file of at most `_MEMBER_LIMIT` bytes."""
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(path, "r:") as archive:
            last = {info.name: info for info in archive.getmembers()}
            for member, info in last.items():
                if info.isreg() and info.size <= _MEMBER_LIMIT:
                    handle = archive.extractfile(info)
                    if handle is not None:
                        found[member] = handle.read()
    except (OSError, tarfile.TarError):
        pass
    return found


_UNSAFE = (
    "envelope /document_id",
    "the batch file of this line is a symbolic link; sosmeta never writes through links",
    "cda.unsafe_path",
)


def _failed(item: Encoded | Member, location: str, message: str, code: str) -> Outcome:
    return Outcome(item.line, "failed", (Problem(f"line {item.line}", location, message, code),))


def _compared(item: Encoded, known: bytes | None) -> Outcome:
    if known == item.data:
        return Outcome(item.line, "skipped", size=len(item.data))
    return _failed(item, *_DUPLICATE)


def tar_bytes(members: dict[str, bytes]) -> bytes:
    """A tar of `members` (name -> content, in this order) that is the same bytes whenever the members are: what
    `tarfile` writes in PAX format with fixed times, owners and modes. Names of ASCII characters up to 100 long
    (document ids) get their header here, without tarfile's cost; any other name goes through tarfile."""
    if not all(_plain_name(member) for member in members):
        return _tarfile_bytes(members)
    out: list[bytes] = []
    size = 0
    for member, data in members.items():
        out.append(_ustar_header(member, len(data)))
        out.append(data)
        padding = -len(data) % _BLOCK
        out.append(_NUL * padding)
        size += _BLOCK + len(data) + padding
    end = 2 * _BLOCK
    out.append(_NUL * (end + -(size + end) % _RECORD))
    return b"".join(out)


_BLOCK = tarfile.BLOCKSIZE
_RECORD = tarfile.RECORDSIZE
_NUL = b"\0"
_PLAIN = re.compile(r"[\x01-\x7f]{1,100}")
# The ustar header's fields after the name, as tarfile writes them for a regular file of mode 0644, uid and gid 0,
# mtime 0 and no owner names: mode, uid, gid | size | mtime, checksum | type, link name, magic, owner names,
# device numbers and prefix.
_AFTER_NAME = b"0000644\0" + b"0000000\0" * 2
_AFTER_SIZE = b"00000000000\0"
_AFTER_CHECKSUM = b"0" + _NUL * 100 + tarfile.POSIX_MAGIC + _NUL * (32 + 32 + 8 + 8 + 155 + 12)
_FIXED_SUM = sum(_AFTER_NAME) + sum(_AFTER_SIZE) + sum(_AFTER_CHECKSUM) + 8 * 0x20  # the checksum field: 8 spaces


def _plain_name(name: str) -> bool:
    return _PLAIN.fullmatch(name) is not None


def _ustar_header(name: str, size: int) -> bytes:
    """The 512-byte ustar header tarfile writes for a member (`tar_bytes`)."""
    name_bytes, size_field = name.encode("ascii"), b"%011o\0" % size
    head = name_bytes.ljust(100, _NUL) + _AFTER_NAME + size_field + _AFTER_SIZE
    checksum = sum(name_bytes) + sum(size_field) + _FIXED_SUM
    return head + b"%06o\0 " % checksum + _AFTER_CHECKSUM


def _tarfile_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _member_names(path: Path) -> list[str]:
    """The member names of a batch file already in the folder (headers only); a file that is not a readable
    tar is refused (it may be something else by that name, and its ids would go unchecked)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # a link, FIFO or device by that name is never opened
            raise tarfile.ReadError
        with tarfile.open(path, "r:") as archive:
            return [info.name for info in archive.getmembers() if info.isreg()]
    except (OSError, tarfile.TarError):
        raise InputError.one(
            str(path), "", "is not a batch file sosmeta can read (remove or rename it)", "cda.batch"
        ) from None
