"""JSON Lines input: the one reader of every command that reads JSONL (validate, bulk encode, migrations).

- It streams: the input is read in binary chunks a line at a time, so memory stays bounded whatever the size,
  and records come out as the input comes in. A line over `max_line_bytes` is reported and skipped without
  being held.
- A line ends at "\\n" only ("\\r\\n" too). U+0085, U+2028, U+2029 and a lone "\\r" are characters, not line
  ends, so line numbers are those an editor (vim, less, grep -n) shows: one plus the "\\n" before the line.
- A UTF-8 BOM at the start of the input is skipped; blank lines (nothing but spaces, tabs and "\\r") too.
- Every other line is one record: the JSON object it holds, or a located problem saying why it cannot be
  read; reading goes on with the next line. A problem names the line and column, never the line's content.

What a line must be is the project's strict JSON (`safeio.parsing.parse_json`, the one strict parser: no duplicate keys,
no NaN or Infinity) and an object, with three more refusals that make every accepted line a value that can be
written back as JSON: no lone surrogate (an escape such as "\\ud800": valid JSON text, but not Unicode, and
impossible to write as UTF-8), no number beyond a double (1e999) or integer of more than `MAX_INT_DIGITS`
digits, and no nesting deeper than `MAX_DEPTH` arrays and objects.

Two parsers give the same verdicts. The fast path (`safeio.parsing.fast_json`: jiter, with the checks that
prove its value is the strict parser's) answers a line that is an object it can prove; every other line goes
to the strict path, which decides and words every problem. `tests/test_jsonl_reader.py` and
`tests/test_parse_fast.py` check that both agree.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from sosmeta.safeio.parsing import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    JsonFault,
    fast_json,
    marks_of,
    may_be_out_of_range,
    strict_json,
)
from sosmeta.safeio.parsing import nesting_over as _nesting_over
from sosmeta.safeio.parsing_texts import say
from sosmeta.safeio.reading import open_nonblocking
from sosmeta.sosmeta_import.errors import InputError, Problem

MiB = 1024 * 1024
MAX_LINE_BYTES = 16 * MiB
"""Longest line read (its line end not counted); a client document is a few hundred kB at most."""

_BUFFER = 1 * MiB
_SKIP_CHUNK = 1 * MiB
_BOM = b"\xef\xbb\xbf"
_BLANK = b" \t\r"


class JsonlLine(NamedTuple):
    """One line as read, before parsing: its number and bytes (without the line end), or why it was skipped."""

    line: int
    data: bytes
    problem: Problem | None = None

    @property
    def blank(self) -> bool:
        return self.problem is None and not self.data.strip(_BLANK)


class JsonlRecord(NamedTuple):
    """One line read: its number and the object it holds, or the problem that stops it being read."""

    line: int
    value: dict[str, Any] | None = None
    problem: Problem | None = None


# ---- reading lines ---------------------------------------------------------------------------------------------
def open_jsonl(source: Path | str) -> BinaryIO:
    """A buffered binary stream of the file or pipe `source`; devices, sockets and folders are refused.

    A FIFO or a pipe (`<(zcat docs.jsonl.gz)`) is read as it comes, like standard input; a device is refused,
    since /dev/zero or /dev/urandom would be read for ever. Opening does not wait for a FIFO's writer before
    the check, so a FIFO is opened a second time, blocking, once it is known to be one.
    """
    name = str(source)
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    fd = open_nonblocking(source, name)
    try:
        info = os.fstat(fd)
        if stat.S_ISFIFO(info.st_mode):
            pipe = os.open(source, flags)  # waits for a writer, as `cat` would
            again = os.fstat(pipe)
            os.close(fd)
            fd = pipe
            if (again.st_dev, again.st_ino) != (info.st_dev, info.st_ino):
                raise InputError.one(name, "", "changed while it was opened", "file.unreadable")
        elif not stat.S_ISREG(info.st_mode):
            raise InputError.one(name, "", "is not a regular file or a pipe (a device or socket)", "file.not_regular")
        else:
            os.set_blocking(fd, True)
    except OSError as exc:
        os.close(fd)
        raise InputError.one(name, "", f"cannot read file: {exc.strerror}", "file.unreadable") from None
    except InputError:
        os.close(fd)
        raise
    return open(fd, "rb", buffering=_BUFFER)


def _check_stream(stream: BinaryIO, name: str) -> None:
    """Refuse a stream that is a device other than a terminal or /dev/null (`< /dev/zero` never ends)."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return  # not a file descriptor (BytesIO, a wrapper): nothing to check
    device = stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
    if device and not stream.isatty() and info.st_rdev != os.stat(os.devnull).st_rdev:
        raise InputError.one(name, "", "is a device, not a file or a pipe", "file.not_regular")


def _every_line(stream: BinaryIO, name: str, max_line_bytes: int, first: int = 1) -> Iterator[JsonlLine]:
    """Every line of `stream`, blank ones included, numbered by the "\\n" before it (the stream's first line is
    line `first`: a block of a file starts after `first` - 1 line ends; only line 1 may start with a BOM)."""
    readline = stream.readline
    limit = max_line_bytes + 2  # room for "\r\n"
    number = first - 1
    try:
        while True:
            chunk = readline(limit)
            if not chunk:
                return
            number += 1
            if chunk[-1:] != b"\n" and len(chunk) == limit:
                while chunk and chunk[-1:] != b"\n":  # skip the rest of the line without holding it
                    chunk = readline(_SKIP_CHUNK)
                yield JsonlLine(number, b"", _too_long(name, number, max_line_bytes))
                continue
            data = chunk[:-1] if chunk[-1:] == b"\n" else chunk
            if data[-1:] == b"\r":
                data = data[:-1]
            if number == 1 and data.startswith(_BOM):
                data = data[len(_BOM) :]
            if len(data) > max_line_bytes:
                yield JsonlLine(number, b"", _too_long(name, number, max_line_bytes))
            else:
                yield JsonlLine(number, data)
    except OSError as exc:
        raise InputError.one(name, f"line {number + 1}", f"cannot read: {exc.strerror}", "file.unreadable") from None


def _too_long(name: str, number: int, max_line_bytes: int) -> Problem:
    return Problem(name, f"line {number}", say("jsonl.too_long", limit=max_line_bytes), "jsonl.too_long")


def _label(source: Path | str | BinaryIO) -> str:
    if isinstance(source, Path | str):
        return "<stdin>" if str(source) == "-" else str(source)
    return str(getattr(source, "name", "<stream>"))


def _stream(source: Path | str | BinaryIO, name: str | None) -> tuple[BinaryIO, str, bool]:
    """The stream to read, its name for messages, and whether it is ours to close."""
    label = name or _label(source)
    if isinstance(source, Path | str):
        if str(source) != "-":
            return open_jsonl(source), label, True
        source = sys.stdin.buffer
    _check_stream(source, label)
    return source, label, False


def read_lines(
    source: Path | str | BinaryIO, name: str | None = None, *, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[JsonlLine]:
    """The non-blank lines of `source` (a path, "-" for standard input, or a binary stream), unparsed.

    For callers that parse elsewhere (bulk encode parses in its worker processes with `parse_line`). The file
    is opened, and refused if it cannot be read, when this is called; it is closed when the lines run out.
    """
    stream, label, owned = _stream(source, name)
    return _non_blank(stream, label, max_line_bytes, owned)


def _non_blank(stream: BinaryIO, name: str, max_line_bytes: int, owned: bool) -> Iterator[JsonlLine]:
    try:
        for raw in _every_line(stream, name, max_line_bytes):
            if not raw.blank:
                yield raw
    finally:
        if owned:
            stream.close()


def iter_jsonl(
    source: Path | str | BinaryIO, name: str | None = None, *, max_line_bytes: int = MAX_LINE_BYTES, fast: bool = True
) -> Iterator[JsonlRecord]:
    """A record per non-blank line of `source` (a path, "-" for standard input, or a binary stream).

    `name` is what messages call the input (default: the path, or "<stdin>"). `fast=False` parses with the
    strict path only: the same records, slower. An input that cannot be opened, or a read that fails, raises
    `InputError`; a line that cannot be read is a record with a problem.
    """
    stream, label, owned = _stream(source, name)
    return (parse_line(raw, label, fast=fast) for raw in _non_blank(stream, label, max_line_bytes, owned))


# ---- two files read in step --------------------------------------------------------------------------------------
def iter_line_pairs(
    first: Path | str | BinaryIO,
    second: Path | str | BinaryIO,
    names: tuple[str | None, str | None] = (None, None),
    *,
    max_line_bytes: tuple[int, int] = (MAX_LINE_BYTES, MAX_LINE_BYTES),
) -> Iterator[tuple[JsonlLine, JsonlLine]]:
    """Line N of `first` with line N of `second`, unparsed, for files whose lines belong together.

    A line blank in both files is skipped. A line blank in only one comes paired with a `jsonl.unpaired`
    problem on its blank side. When one file ends while the other goes on with a non-blank line, that line
    comes paired with a `jsonl.length_mismatch` problem on the side that ended, and the pairs end there.
    """
    a, a_name, a_owned = _stream(first, names[0])
    try:
        b, b_name, b_owned = _stream(second, names[1])
    except InputError:
        if a_owned:
            a.close()
        raise
    return _pairs(a, b, (a_name, b_name), max_line_bytes, (a_owned, b_owned))


def _pairs(
    a: BinaryIO,
    b: BinaryIO,
    names: tuple[str, str],
    limits: tuple[int, int],
    owned: tuple[bool, bool],
    first: int = 1,
    last: int = 0,
) -> Iterator[tuple[JsonlLine, JsonlLine]]:
    firsts, seconds = _every_line(a, names[0], limits[0], first), _every_line(b, names[1], limits[1], first)
    # last: the number of the last line both files had
    try:
        while True:
            one, two = next(firsts, None), next(seconds, None)
            if one is None or two is None:
                if one is not None:  # the second file ended
                    yield from _rest(one, firsts, names, 1, last)
                elif two is not None:
                    yield from _rest(two, seconds, names, 0, last)
                return
            last = one.line
            if one.blank and two.blank:
                continue
            if one.blank:
                yield _unpaired(names, 0, one.line), two
            elif two.blank:
                yield one, _unpaired(names, 1, two.line)
            else:
                yield one, two
    finally:
        for stream, mine in zip((a, b), owned, strict=True):
            if mine:
                stream.close()


def _rest(
    first: JsonlLine, others: Iterator[JsonlLine], names: tuple[str, str], ended: int, last: int
) -> Iterator[tuple[JsonlLine, JsonlLine]]:
    """After file `ended` ran out at line `last`: the first non-blank line of the other, paired with a
    `jsonl.length_mismatch` problem (trailing blank lines are no mismatch)."""
    for line in itertools.chain([first], others):
        if not line.blank:
            hole = _ended(names, ended, last, line.line)
            yield (hole, line) if ended == 0 else (line, hole)
            return


def _ended(names: tuple[str, str], side: int, last_line: int, line: int) -> JsonlLine:
    message = say("jsonl.length_mismatch", last=last_line, other=names[1 - side])
    return JsonlLine(line, b"", Problem(names[side], f"line {line}", message, "jsonl.length_mismatch"))


def _unpaired(names: tuple[str, str], side: int, line: int) -> JsonlLine:
    message = say("jsonl.unpaired", line=line, other=names[1 - side])
    return JsonlLine(line, b"", Problem(names[side], f"line {line}", message, "jsonl.unpaired"))


def iter_jsonl_pairs(
    first: Path | str | BinaryIO,
    second: Path | str | BinaryIO,
    names: tuple[str | None, str | None] = (None, None),
    *,
    max_line_bytes: tuple[int, int] = (MAX_LINE_BYTES, MAX_LINE_BYTES),
    fast: bool = True,
) -> Iterator[tuple[JsonlRecord, JsonlRecord]]:
    """`iter_line_pairs`, each line parsed: a pair of records, either of which may carry a problem."""
    a_name, b_name = names[0] or _label(first), names[1] or _label(second)
    pairs = iter_line_pairs(first, second, (a_name, b_name), max_line_bytes=max_line_bytes)
    return ((parse_line(one, a_name, fast=fast), parse_line(two, b_name, fast=fast)) for one, two in pairs)


# ---- blocks of lines, read by offset ----------------------------------------------------------------------------
class Block(NamedTuple):
    """Lines `first` .. `first` + `lines` - 1 of a file: the bytes from `start` to `end`."""

    first: int
    start: int
    end: int
    lines: int


def line_blocks(stream: BinaryIO, size: int) -> Iterator[Block]:
    """The file read by `stream` cut into blocks of `size` lines (the last may be shorter), found by counting
    "\\n" in 1 MiB reads: nothing is parsed or held, so the blocks can be read elsewhere (`iter_block_pairs`, in
    worker processes) with the line numbers the whole file would give."""
    if size < 1:
        raise ValueError("size must be at least 1")
    read = stream.read
    first, start, offset, seen = 1, 0, 0, 0  # seen: the line ends after `start` in earlier reads
    last_byte = b"\n"
    while chunk := read(_BUFFER):
        position = 0
        while True:
            wanted = size - seen
            if chunk.count(b"\n", position) < wanted:
                seen += chunk.count(b"\n", position)
                break
            for _ in range(wanted):
                position = chunk.index(b"\n", position) + 1
            yield Block(first, start, offset + position, size)
            first, start, seen = first + size, offset + position, 0
        offset += len(chunk)
        last_byte = chunk[-1:]
    if offset > start:  # the lines after the last full block (the last perhaps without its "\n")
        yield Block(first, start, offset, seen + (last_byte != b"\n"))


class _Span(io.RawIOBase):
    """Bytes `start` .. `end` of the open file `fd`, read with pread (the file's own offset is never moved, so
    processes that share the descriptor each read their own span)."""

    def __init__(self, fd: int, start: int, end: int) -> None:
        super().__init__()
        self.fd, self.position, self.end = fd, start, end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        wanted = min(len(buffer), self.end - self.position)
        if wanted <= 0:
            return 0
        data = os.pread(self.fd, wanted, self.position)
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)


def span_lines(fd: int, start: int, end: int, name: str, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[JsonlLine]:
    """The non-blank lines of bytes `start` .. `end` of the open file `fd` (read by pread; the span starts a line,
    which is line 1 when `start` is 0), unparsed."""
    stream = io.BufferedReader(_Span(fd, start, end), _BUFFER)
    return _non_blank(stream, name, max_line_bytes, True)


def iter_block_pairs(
    fds: tuple[int, int],
    blocks: tuple[Block, Block],
    names: tuple[str, str],
    *,
    both_had: int | None = None,
    max_line_bytes: tuple[int, int] = (MAX_LINE_BYTES, MAX_LINE_BYTES),
) -> Iterator[tuple[JsonlLine, JsonlLine]]:
    """`iter_line_pairs` over one block of each of two open files (`line_blocks` of each, the same lines): the
    pairs, numbers and problems that reading the whole files would give for these lines. A block past the end
    of its file is empty (start = end, no lines), so a file that ends early gives its `jsonl.length_mismatch`
    here; `both_had` is then the number of lines of the file that ended (default: all lines before the block)."""
    a, b = (
        io.BufferedReader(_Span(fd, block.start, block.end), _BUFFER) for fd, block in zip(fds, blocks, strict=True)
    )
    first = blocks[0].first
    assert blocks[1].first == first, "the blocks of one pair start at the same line"
    return _pairs(a, b, names, max_line_bytes, (True, True), first, first - 1 if both_had is None else both_had)


# ---- parsing a line ----------------------------------------------------------------------------------------------
def parse_line(raw: JsonlLine, name: str, *, fast: bool = True) -> JsonlRecord:
    """The record of one line read by `read_lines` or `iter_line_pairs`; `name` is the file's, for messages."""
    if raw.problem is not None:
        return JsonlRecord(raw.line, problem=raw.problem)
    if not fast:
        return _strict(raw.data, name, raw.line)
    value = fast_json(raw.data)
    if type(value) is not dict:  # undecided, or not an object: the strict path says why, in the project's words
        return _strict(raw.data, name, raw.line)
    return JsonlRecord(raw.line, value)


# ---- the strict path: decides, and words the problems ------------------------------------------------------------
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_TOKEN = re.compile(rf"{_STRING}|[\[\]{{}}]|-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_COLUMN = re.compile(r"line 1 column (\d+)")
_MESSAGES = {
    "jsonl.duplicate_key": say("jsonl.duplicate_key"),
    "jsonl.too_deep": say("jsonl.too_deep", limit=MAX_DEPTH),
    "jsonl.non_finite": say("jsonl.non_finite"),
    "jsonl.huge_number": say("json.huge_number", digits=MAX_INT_DIGITS),
    "jsonl.surrogate": say("jsonl.surrogate"),
}


def _strict(data: bytes, name: str, line: int) -> JsonlRecord:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        column = len(data[: exc.start].decode("utf-8")) + 1
        return _refused(name, line, column, say("jsonl.encoding"), "jsonl.encoding")
    if _might_break_rules(data):
        fault = _text_fault(text)
        if fault is not None:
            column, code = fault
            return _refused(name, line, column, _MESSAGES[code], code)
    try:
        value = strict_json(text)
    except JsonFault as fault:
        return JsonlRecord(line, problem=_relocated(fault, name, line))
    if not isinstance(value, dict):
        return _refused(name, line, None, say("jsonl.not_object", kind=_kind(value)), "jsonl.not_object")
    return JsonlRecord(line, value)


def _might_break_rules(data: bytes) -> bool:
    """Whether `_text_fault` must look: only an escape makes a lone surrogate, and so on."""
    marks = marks_of(data)
    if may_be_out_of_range(marks) or b"\\ud" in data or b"\\uD" in data:
        return True
    return marks.count(b"{") > MAX_DEPTH and _nesting_over(data, MAX_DEPTH) is not False


def _text_fault(text: str) -> tuple[int, str] | None:
    """The column and code of the first place in `text` that breaks a rule `loads_strict` does not check."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        head = token[0]
        if head == '"':
            if "\\u" in token and _lone_surrogate(token):
                return match.start() + 1, "jsonl.surrogate"
        elif head in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start() + 1, "jsonl.too_deep"
        elif head in "]}":
            depth -= 1
        elif any(c in token for c in ".eE"):
            if math.isinf(float(token)):
                return match.start() + 1, "jsonl.non_finite"
        elif len(token) - token.startswith("-") > MAX_INT_DIGITS:
            return match.start() + 1, "jsonl.huge_number"
    return None


def _lone_surrogate(token: str) -> bool:
    try:
        return bool(_SURROGATE.search(json.loads(token)))
    except ValueError:
        return False  # not a valid string: loads_strict reports the syntax


def _relocated(fault: JsonFault, name: str, line: int) -> Problem:
    """The parser's fault on the line's own place and code; its duplicate-key message names the key, which may
    be anything the line holds, so that one is worded here."""
    code = "jsonl." + fault.code.split(".", 1)[-1]
    found = _COLUMN.fullmatch(fault.where)
    where = f"line {line} column {found[1]}" if found else f"line {line} at {fault.where}"
    message = _MESSAGES[code] if code == "jsonl.duplicate_key" else fault.message
    return Problem(name, where if fault.where else f"line {line}", message, code)


def _refused(name: str, line: int, column: int | None, message: str, code: str) -> JsonlRecord:
    where = f"line {line} column {column}" if column is not None else f"line {line}"
    return JsonlRecord(line, problem=Problem(name, where, message, code))


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return say("jsonl.kind.array")
    if isinstance(value, str):
        return say("jsonl.kind.string")
    if isinstance(value, bool) or value is None:
        return say("jsonl.kind.constant")
    return say("jsonl.kind.number")
