"""The JSONL reader (safeio.jsonl): line ends, line numbers, every kind of unreadable line, streams and devices,
paired files, and the fast path on real documents (the properties: test_jsonl_properties.py)."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from sosmeta.safeio import jsonl
from sosmeta.safeio.jsonl import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    JsonlRecord,
    iter_jsonl,
    iter_jsonl_pairs,
    iter_line_pairs,
    parse_line,
    read_lines,
)
from sosmeta.sosmeta_import.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
# Test identity code (individual number 900-999) and a name: what must never appear in a problem.
CANARY_HETU = "010190-900P"
CANARY_NAME = "Kanariainen"


def _write(tmp_path: Path, data: bytes, name: str = "docs.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _records(data: bytes, **options: Any) -> list[JsonlRecord]:
    return list(iter_jsonl(io.BytesIO(data), "docs.jsonl", **options))


def _both(data: bytes) -> list[JsonlRecord]:
    """The records, checked to be the same from the fast and the strict path."""
    fast, strict = _records(data), _records(data, fast=False)
    assert fast == strict
    return fast


def _one(line: bytes) -> JsonlRecord:
    (record,) = _both(line + b"\n")
    return record


def _code(line: bytes) -> str | None:
    record = _one(line)
    return record.problem.code if record.problem else None


def _editor_line(data: bytes, needle: bytes) -> int:
    """The line an editor shows `needle` on: one plus the "\\n" before it (as vim, less and grep -n count)."""
    return data[: data.index(needle)].count(b"\n") + 1


# ---- line ends and line numbers ------------------------------------------------------------------------------
@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_unicode_line_separators_inside_strings_stay_in_the_string(separator: str) -> None:
    doc = {"teksti": f"ennen{separator}jälkeen", "avain": 1}
    data = (json.dumps(doc, ensure_ascii=False) + "\n" + json.dumps({"seuraava": 2}) + "\n").encode()
    assert len(data.decode().splitlines()) == 3  # str.splitlines() splits there: the old reader's bug
    records = _both(data)
    assert [(r.line, r.value) for r in records] == [(1, doc), (2, {"seuraava": 2})]


def test_u2028_and_friends_keep_later_line_numbers_right() -> None:
    lines = [{"n": i, "t": "a\u2028b\u2029c\x85d"} for i in range(5)]
    data = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in lines).encode()
    assert len(data.decode().splitlines()) == 20  # what the old reader saw: four pieces per line
    records = _both(data)
    assert [(r.line, r.value) for r in records] == [(i + 1, d) for i, d in enumerate(lines)]


def test_a_raw_carriage_return_inside_a_string_is_a_syntax_error_not_a_line_end() -> None:
    records = _both(b'{"a": "x\ry"}\n{"b": 1}\n')
    assert [r.line for r in records] == [1, 2]
    assert records[0].problem is not None and records[0].problem.code == "jsonl.syntax"
    assert records[1].value == {"b": 1}


def test_crlf_line_ends_are_accepted() -> None:
    records = _both(b'{"a": 1}\r\n{"b": 2}\r\n\r\n{"c": 3}\r\n')
    assert [(r.line, r.value) for r in records] == [(1, {"a": 1}), (2, {"b": 2}), (4, {"c": 3})]


def test_a_lone_carriage_return_between_values_is_whitespace() -> None:
    assert _one(b'{"a":\r1}\r\r').value == {"a": 1}


def test_a_bom_at_the_start_is_skipped_and_elsewhere_is_an_error() -> None:
    records = _both(b'\xef\xbb\xbf{"a": 1}\n\xef\xbb\xbf{"b": 2}\n')
    assert records[0].value == {"a": 1}
    assert records[1].problem is not None and records[1].problem.code == "jsonl.syntax"
    assert records[1].problem.location == "line 2 column 1"


def test_a_bom_alone_or_only_blank_lines_give_no_records() -> None:
    assert _both(b"\xef\xbb\xbf") == []
    assert _both(b"\xef\xbb\xbf\n\n \t\r\n") == []


def test_blank_lines_are_skipped_and_counted() -> None:
    data = b'\n  \n\t\n{"a": 1}\n\r\n\n{"b": 2}\n   '
    records = _both(data)
    assert [r.line for r in records] == [_editor_line(data, b'{"a"'), _editor_line(data, b'{"b"')] == [4, 7]


def test_a_form_feed_line_is_not_blank_json_whitespace_is() -> None:
    records = _both(b"\x0c\n")
    assert records[0].problem is not None and records[0].problem.code == "jsonl.syntax"


def test_empty_input_gives_no_records() -> None:
    assert _both(b"") == []


def test_the_last_line_needs_no_newline() -> None:
    assert [(r.line, r.value) for r in _both(b'{"a": 1}\n{"b": 2}')] == [(1, {"a": 1}), (2, {"b": 2})]


def test_line_numbers_are_what_grep_and_editors_show(tmp_path: Path) -> None:
    parts = [
        b"\xef\xbb\xbf",
        b'{"m": "m-1", "t": "a\xe2\x80\xa8b"}\r\n',
        b"\n",
        b'{"m": "m-2", "t": "\xc2\x85\xe2\x80\xa9"}\n',
        '{"m": "m-3", "t": "Päätös"}\n'.encode("latin-1"),
        b"   \r\n",
        b'{"m": "m-4", "t": "a\\nb"}\n',
        b'["m-5"]\n',
        b'{"m": "m-6", "m": "m-6"}\n',
        b'{"m": "m-7"',
    ]
    path = _write(tmp_path, b"".join(parts))
    found = subprocess.run(["grep", "-n", "-a", "-o", "m-[0-9]", str(path)], capture_output=True, check=True, text=True)
    grep_line = {marker: int(number) for number, marker in (row.split(":") for row in found.stdout.split())}
    records = list(iter_jsonl(path))
    assert len(records) == 7
    for index, record in enumerate(records, start=1):
        assert record.line == grep_line[f"m-{index}"]
        if record.problem is not None:
            assert record.problem.location.startswith(f"line {record.line}")
    assert [r.problem.code for r in records if r.problem] == [
        "jsonl.encoding",
        "jsonl.not_object",
        "jsonl.duplicate_key",
        "jsonl.syntax",
    ]


# ---- unreadable lines: each located, none stopping the rest ------------------------------------------------------
def test_a_latin1_line_in_the_middle_is_located_and_the_next_line_is_read() -> None:
    data = b'{"a": 1}\n' + '{"nimi": "Päätös"}\n'.encode("latin-1") + b'{"c": 3}\n'
    first, bad, last = _both(data)
    assert first.value == {"a": 1} and last.value == {"c": 3} and last.line == 3
    assert bad.problem is not None
    assert (bad.line, bad.problem.code, bad.problem.location) == (2, "jsonl.encoding", "line 2 column 12")
    assert str(bad.problem).startswith("docs.jsonl: line 2 column 12: not UTF-8 text")


@pytest.mark.parametrize(
    "raw",
    [
        b"\xed\xa0\x80",  # an encoded surrogate
        b"\xc0\x80",  # an overlong NUL
        b"\xf4\x90\x80\x80",  # beyond U+10FFFF
        b"\xff",
        b"\xe2\x82",  # truncated
    ],
)
def test_bytes_that_are_not_utf8_are_an_encoding_problem(raw: bytes) -> None:
    assert _code(b'{"a": "' + raw + b'"}') == "jsonl.encoding"


@pytest.mark.parametrize(
    ("line", "column"),
    [
        (b'{"a": 1', 8),
        (b'{"a" 1}', 6),
        (b"{'a': 1}", 2),
        (b'{"a": 1,}', 9),
        (b'{"a": tru}', 7),
        (b'{"a": 1} {"b": 2}', 10),
        (b'{"a": "\\x"}', 8),
        (b'{"a": 01}', 8),
        (b'{"a": "\x01"}', 8),
        (b"\x00", 1),
    ],
)
def test_bad_json_is_a_syntax_problem_with_its_column(line: bytes, column: int) -> None:
    record = _one(line)
    assert record.problem is not None and record.problem.code == "jsonl.syntax"
    assert record.problem.location == f"line 1 column {column}"


@pytest.mark.parametrize(
    ("line", "kind"),
    [(b"[1, 2]", "an array"), (b'"x"', "a string"), (b"12", "a number"), (b"null", "true, false or null")],
)
def test_a_value_that_is_not_an_object_is_refused(line: bytes, kind: str) -> None:
    record = _one(line)
    assert record.problem is not None and record.problem.code == "jsonl.not_object"
    assert record.problem.message == f"is {kind}, not a JSON object"


@pytest.mark.parametrize(
    "line",
    [
        b'{"a": 1, "a": 2}',
        b'{"x": {"b": 1, "c": 2, "b": 3}}',
        b'{"a": 1, "\\u0061": 2}',
        b'{"x": [{"k": 1}, {"k": 2, "k": 3}]}',
    ],
)
def test_duplicate_keys_are_refused(line: bytes) -> None:
    assert _code(line) == "jsonl.duplicate_key"


def test_the_same_key_in_sibling_objects_is_no_duplicate() -> None:
    assert _one(b'{"x": [{"k": 1}, {"k": 2}], "k": 3}').value == {"x": [{"k": 1}, {"k": 2}], "k": 3}


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_nan_and_infinity_are_not_json(constant: bytes) -> None:
    assert _code(b'{"a": [1, ' + constant + b"]}") == "jsonl.syntax"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (b"1e999", "jsonl.non_finite"),
        (b"-1E+400", "jsonl.non_finite"),
        (b"1.7976931348623159e308", "jsonl.non_finite"),
        (b"1" * 400 + b".5", "jsonl.non_finite"),
        (b"9" * 210 + b"e99", "jsonl.non_finite"),
        (b"1.7976931348623157e308", None),
        (b"1e-999", None),
        (b"0e999999", None),
        (b"9" * 209 + b"e99", None),
        (b"9" * MAX_INT_DIGITS, None),
        (b"-" + b"9" * MAX_INT_DIGITS, None),
        (b"9" * (MAX_INT_DIGITS + 1), "jsonl.huge_number"),
        (b"-" + b"9" * 5000, "jsonl.huge_number"),
        (b"18446744073709551616", None),
    ],
)
def test_numbers_beyond_a_double_or_pythons_int_limit_are_refused(number: bytes, code: str | None) -> None:
    record = _one(b'{"a": {"b": ' + number + b"}}")
    assert (record.problem.code if record.problem else None) == code
    if code is not None:
        assert record.problem is not None and record.problem.location == "line 1 column 13"
    else:
        assert record.value == {"a": {"b": json.loads(number)}}


def test_big_integers_keep_every_digit() -> None:
    big = 10**299 + 7  # MAX_INT_DIGITS digits, the longest accepted
    assert _one(f'{{"a": {big}, "b": {-big}}}'.encode()).value == {"a": big, "b": -big}


@pytest.mark.parametrize(
    "escape",
    [b"\\ud800", b"\\uDFFF", b"\\udc00\\ud800", b"x\\ud800y", b"\\ud800\\u0041"],
)
def test_a_lone_surrogate_escape_is_refused_in_values_and_keys(escape: bytes) -> None:
    assert _code(b'{"a": ["' + escape + b'"]}') == "jsonl.surrogate"
    assert _code(b'{"' + escape + b'": 1}') == "jsonl.surrogate"


def test_a_surrogate_pair_escape_is_one_character() -> None:
    assert _one(b'{"a": "\\ud83d\\ude00", "b": "\\\\ud800"}').value == {"a": "\U0001f600", "b": "\\ud800"}


def _nested(depth: int, kind: str, innermost: bytes) -> bytes:
    opens = {"array": b"[", "object": b'{"k": '}[kind]
    closes = {"array": b"]", "object": b"}"}[kind]
    return b'{"d": ' + opens * (depth - 1) + innermost + closes * (depth - 1) + b"}"


@pytest.mark.parametrize("kind", ["array", "object"])
@pytest.mark.parametrize("innermost", [b"1", b"[]", b"{}"])
def test_nesting_deeper_than_max_depth_is_refused(kind: str, innermost: bytes) -> None:
    levels = MAX_DEPTH - (innermost != b"1")  # the innermost empty container is a level too
    assert _code(_nested(levels, kind, innermost)) is None
    assert _code(_nested(levels + 1, kind, innermost)) == "jsonl.too_deep"


def test_very_deep_nesting_is_refused_without_recursing() -> None:
    record = _one(b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    assert record.problem is not None and record.problem.code == "jsonl.too_deep"
    assert record.problem.location == f"line 1 column {6 + MAX_DEPTH}"  # the bracket that opens level 129


def test_a_line_over_the_limit_is_skipped_and_the_next_is_read() -> None:
    data = b'{"a": 1}\n{"b": "' + b"x" * 5000 + b'"}\n{"c": 3}\n'
    first, long, last = _both_limited(data, 1000)
    assert first.value == {"a": 1} and last == JsonlRecord(3, {"c": 3})
    assert long.problem is not None and (long.line, long.problem.code) == (2, "jsonl.too_long")
    assert str(long.problem) == "docs.jsonl: line 2: line is over the 1000 byte limit (skipped) [jsonl.too_long]"


def _both_limited(data: bytes, limit: int) -> list[JsonlRecord]:
    fast = _records(data, max_line_bytes=limit)
    assert fast == _records(data, max_line_bytes=limit, fast=False)
    return fast


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b""])
def test_the_limit_counts_the_line_without_its_line_end(ending: bytes) -> None:
    exact = b'{"a": "' + b"x" * 91 + b'"}'
    assert len(exact) == 100
    assert _both_limited(exact + ending, 100)[0].value is not None
    assert _both_limited(exact + b" " + ending, 100)[0].problem is not None


class _Recording:
    """A binary stream over bytes that records the longest piece it ever handed out."""

    def __init__(self, data: bytes) -> None:
        self.stream, self.largest = io.BytesIO(data), 0

    def readline(self, size: int = -1) -> bytes:
        chunk = self.stream.readline(size)
        self.largest = max(self.largest, len(chunk))
        return chunk


def test_a_too_long_line_is_not_held_in_memory() -> None:
    limit = 1024 * 1024
    recording = _Recording(b'{"a": "' + b"x" * (16 * limit) + b'"}\n{"b": 2}\n')
    lines = list(read_lines(recording, "big.jsonl", max_line_bytes=limit))  # type: ignore[arg-type]
    assert [(raw.line, raw.problem.code if raw.problem else None) for raw in lines] == [
        (1, "jsonl.too_long"),
        (2, None),
    ]
    assert recording.largest <= limit + 2  # never more than the limit (and its "\r\n") at once


# ---- nothing of the line in a problem ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        f'{{"hetu": "{CANARY_HETU}", "nimi": "{CANARY_NAME}"'.encode(),
        f'{{"hetu": "{CANARY_HETU}", "hetu": "{CANARY_NAME}"}}'.encode(),
        f'{{"{CANARY_HETU}": 1, "{CANARY_HETU}": 2}}'.encode(),
        f'{{"nimi": "{CANARY_NAME}ä"}}'.encode("latin-1"),
        f'["{CANARY_HETU}", "{CANARY_NAME}"]'.encode(),
        f'"{CANARY_HETU} {CANARY_NAME}"'.encode(),
        f'{{"nimi": "{CANARY_NAME}", "x": NaN}}'.encode(),
        f'{{"nimi": "{CANARY_NAME}\\ud800"}}'.encode(),
        f'{{"{CANARY_NAME}": 1e999}}'.encode(),
        f'{{"{CANARY_NAME}": {"[" * 200}{"]" * 200}}}'.encode(),
        f'{{"{CANARY_NAME}": {CANARY_HETU}}}'.encode(),
    ],
)
def test_a_problem_never_quotes_the_line(line: bytes) -> None:
    record = _one(line)
    assert record.problem is not None
    text = str(record.problem)
    assert CANARY_HETU not in text and CANARY_NAME not in text and "900P" not in text


# ---- files, pipes and devices ---------------------------------------------------------------------------------
def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_path_is_read_and_closed(tmp_path: Path) -> None:
    path = _write(tmp_path, b'{"a": 1}\n{"b": 2}\n')
    before = _open_files()
    assert [r.value for r in iter_jsonl(path)] == [{"a": 1}, {"b": 2}]
    assert [r.value for r in iter_jsonl(str(path), "nimi")] == [{"a": 1}, {"b": 2}]
    assert [(a.value, b.value) for a, b in iter_jsonl_pairs(path, path)] == [({"a": 1},) * 2, ({"b": 2},) * 2]
    assert _open_files() == before


def test_dev_zero_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        iter_jsonl(Path("/dev/zero"))
    assert [(p.code, str(p)) for p in caught.value.problems] == [
        ("file.not_regular", "/dev/zero: is not a regular file or a pipe (a device or socket) [file.not_regular]")
    ]


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "docs.jsonl"
    link.symlink_to("/dev/urandom")
    with pytest.raises(InputError) as caught:
        iter_jsonl(link)
    assert caught.value.problems[0].code == "file.not_regular"


def test_a_folder_a_missing_file_and_a_socket_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as folder:
        iter_jsonl(tmp_path)
    with pytest.raises(InputError) as missing:
        iter_jsonl(tmp_path / "missing.jsonl")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.jsonl"))
    try:
        with pytest.raises(InputError) as sock:
            iter_jsonl(tmp_path / "sock.jsonl")
    finally:
        server.close()
    assert [e.value.problems[0].code for e in (folder, missing, sock)] == [
        "file.not_regular",
        "file.unreadable",
        "file.unreadable",  # a socket cannot even be opened as a file
    ]


def test_a_fifo_streams_records_as_they_are_written(tmp_path: Path) -> None:
    fifo = tmp_path / "docs.jsonl"
    os.mkfifo(fifo)
    first_read = threading.Event()
    written_after_first: list[bool] = []

    def writer() -> None:
        with open(fifo, "wb", buffering=0) as pipe:
            pipe.write(b'{"a": 1}\n')
            # The rest comes only once the reader has the first record (or after 60 s, so a broken reader
            # fails the test instead of hanging it): a reader that waits for the end sees the order break.
            written_after_first.append(first_read.wait(60))
            pipe.write(b"\n" + '{"b": "Päätös"}\n'.encode("latin-1") + b'{"c": 3}')

    thread = threading.Thread(target=writer)
    thread.start()
    records = []
    for record in iter_jsonl(fifo):
        records.append(record)
        first_read.set()
    thread.join()
    assert written_after_first == [True]
    assert [(r.line, r.value, r.problem.code if r.problem else None) for r in records] == [
        (1, {"a": 1}, None),
        (3, None, "jsonl.encoding"),
        (4, {"c": 3}, None),
    ]


def test_a_pipe_named_by_dev_fd_is_read_like_process_substitution() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b'{"a": 1}\n{"b": 2}\n')
    os.close(write_end)
    try:
        assert [r.value for r in iter_jsonl(f"/dev/fd/{read_end}")] == [{"a": 1}, {"b": 2}]
    finally:
        os.close(read_end)


_STDIN_READER = (
    "import sys; from safeio.jsonl import iter_jsonl\n"
    "for r in iter_jsonl('-'): print(r.line, r.value, r.problem or '', flush=True)\n"
)


def test_standard_input_is_read_as_a_stream() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _STDIN_READER],
        input=b'\xef\xbb\xbf{"a": 1}\r\n\n[2]\n',
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    assert result.stdout.decode().splitlines() == [
        "1 {'a': 1} ",
        "3 None <stdin>: line 3: is an array, not a JSON object [jsonl.not_object]",
    ]


def test_dev_zero_as_standard_input_is_refused() -> None:
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [sys.executable, "-c", _STDIN_READER],
            stdin=zero,
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=False,
            timeout=120,
        )
    assert result.returncode == 1
    assert b"<stdin>: is a device, not a file or a pipe [file.not_regular]" in result.stderr


def test_dev_null_as_standard_input_is_empty() -> None:
    with open(os.devnull, "rb") as null:
        result = subprocess.run(
            [sys.executable, "-c", _STDIN_READER],
            stdin=null,
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
        )
    assert result.stdout == b""


class _FailingDisk:
    """A stream whose disk fails after two lines."""

    def __init__(self) -> None:
        self.lines = [b'{"a": 1}\n', b'{"b": 2}\n']

    def readline(self, size: int = -1) -> bytes:
        if not self.lines:
            raise OSError(5, "Input/output error")
        return self.lines.pop(0)


def test_a_read_that_fails_is_one_located_error_after_the_lines_read() -> None:
    records = iter_jsonl(_FailingDisk(), "docs.jsonl")  # type: ignore[arg-type]
    assert next(records).value == {"a": 1} and next(records).value == {"b": 2}
    with pytest.raises(InputError) as caught:
        next(records)
    assert str(caught.value) == "docs.jsonl: line 3: cannot read: Input/output error [file.unreadable]"


def test_read_lines_then_parse_line_gives_what_iter_jsonl_gives() -> None:
    data = b'{"a": 1}\n\n[1]\n{"b": "\xe4"}\n{"c": {"d": [1, 2.5, null, true]}}\n'
    parsed = [parse_line(raw, "docs.jsonl") for raw in read_lines(io.BytesIO(data), "docs.jsonl")]
    assert parsed == _both(data)


# ---- two files in step ----------------------------------------------------------------------------------------
def _pairs(first: bytes, second: bytes) -> list[tuple[Any, Any]]:
    pairs = list(iter_jsonl_pairs(io.BytesIO(first), io.BytesIO(second), ("docs.jsonl", "envs.jsonl")))
    return [tuple(r.value if r.problem is None else (r.line, r.problem.code) for r in pair) for pair in pairs]


def test_pairs_line_up_by_line_number() -> None:
    assert _pairs(b'{"d": 1}\n\n{"d": 3}\n', b'{"e": 1}\n \n{"e": 3}') == [({"d": 1}, {"e": 1}), ({"d": 3}, {"e": 3})]


def test_a_line_blank_on_one_side_only_is_unpaired() -> None:
    assert _pairs(b'{"d": 1}\n\n{"d": 3}\n', b'{"e": 1}\n{"e": 2}\n{"e": 3}\n') == [
        ({"d": 1}, {"e": 1}),
        ((2, "jsonl.unpaired"), {"e": 2}),
        ({"d": 3}, {"e": 3}),
    ]


def test_a_shorter_file_is_a_length_mismatch_on_the_line_where_it_ended() -> None:
    assert _pairs(b'{"d": 1}\n{"d": 2}\n{"d": 3}\n{"d": 4}\n', b'{"e": 1}\n{"e": 2}\n') == [
        ({"d": 1}, {"e": 1}),
        ({"d": 2}, {"e": 2}),
        ({"d": 3}, (3, "jsonl.length_mismatch")),
    ]
    pairs = list(iter_line_pairs(io.BytesIO(b"{}\n"), io.BytesIO(b"{}\n\n{}\n"), ("docs.jsonl", "envs.jsonl")))
    assert str(pairs[-1][0].problem) == (
        "docs.jsonl: line 3: the file ends at line 1, but envs.jsonl goes on [jsonl.length_mismatch]"
    )


def test_trailing_blank_lines_are_no_length_mismatch() -> None:
    assert _pairs(b'{"d": 1}\n\n\n  \n', b'{"e": 1}') == [({"d": 1}, {"e": 1})]
    assert _pairs(b"", b"\n\n") == []


def test_an_unreadable_line_on_one_side_keeps_the_pairs_in_step(tmp_path: Path) -> None:
    docs = _write(tmp_path, b'{"d": 1}\n{"d": \n{"d": 3}\n', "docs.jsonl")
    envs = _write(tmp_path, b'{"e": 1}\n{"e": 2}\n{"e": 3}\n' + b"x" * 100 + b"\n", "envs.jsonl")
    pairs = list(iter_jsonl_pairs(docs, envs, max_line_bytes=(1000, 50)))
    assert [(a.line, b.line) for a, b in pairs] == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert [(a.problem.code if a.problem else None, b.problem.code if b.problem else None) for a, b in pairs] == [
        (None, None),
        ("jsonl.syntax", None),
        (None, None),
        ("jsonl.length_mismatch", "jsonl.too_long"),
    ]


def test_pairs_refuse_a_device_and_close_the_other_file(tmp_path: Path) -> None:
    docs = _write(tmp_path, b"{}\n")
    before = _open_files()
    with pytest.raises(InputError) as caught:
        iter_line_pairs(docs, Path("/dev/zero"))
    assert caught.value.problems[0].code == "file.not_regular"
    assert _open_files() == before


# ---- the fast path ------------------------------------------------------------------------------------------------
@pytest.mark.shared
def test_real_documents_never_need_the_strict_path(corpus_structures: list[Any], monkeypatch: Any) -> None:
    from sosmeta.generators.examples import example_documents, maximal_document

    documents = [maximal_document(s) for s in corpus_structures[::6]]
    documents += [d for s in corpus_structures[::12] for d in example_documents(s, 3, seed=2)]
    data = "".join(json.dumps(d, ensure_ascii=ascii_only) + "\n" for d in documents for ascii_only in (False, True))

    def refuse(*args: Any) -> Any:
        raise AssertionError("the strict path was used for a valid document")

    monkeypatch.setattr(jsonl, "_strict", refuse)
    values = [r.value for r in iter_jsonl(io.BytesIO(data.encode()), "docs.jsonl")]
    assert values == [d for d in documents for _ in (0, 1)]
