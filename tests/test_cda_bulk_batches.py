"""Batch mode's division of work: the parent cuts both files into blocks of lines by counting line ends, each
worker reads, encodes and writes whole batches, and the parent publishes them in line order.

The blocks read back exactly what the whole files give (hypothesis, against `iter_line_pairs`); the parent
encodes no document; outcomes come in line order; an id an earlier batch took in the same run is one
document; files of different lengths stop the run at the line where one ended, with the batches before it
whole and no temporary left."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sosmeta.generators.cda import bulk, bulk_worker
from sosmeta.safeio import jsonl
from sosmeta.safeio.jsonl import Block, iter_block_pairs, iter_line_pairs, line_blocks
from sosmeta.structures.model import Structure
from tests import test_cda_bulk_jsonl as bulk_support
from tests.cda_support import example_documents
from tests.test_cda_bulk_jsonl import archived, document_id, envelope_line, failures, structure, workspace, write_run

__all__ = ["structure", "workspace"]  # fixtures

LINES = [
    b'{"a": 1}',
    b"",
    b" \t",
    b'{"b": "x\xe2\x80\xa8y\xc2\x85z"}',
    b"[1]",
    b"\xef\xbb\xbf{}",
    b'{"c": 2}\r',
    b"{bad",
]


def _file(lines: list[bytes], bom: bool, end: bytes) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + b"\n".join(lines) + (end if lines else b"")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(LINES), max_size=14),
    st.lists(st.sampled_from(LINES), max_size=14),
    st.booleans(),
    st.sampled_from([b"", b"\n", b"\n\n \n"]),
    st.integers(1, 6),
    st.sampled_from([1, 2, 5, 1 << 20]),
)
def test_blocks_read_back_what_the_whole_files_give(
    first: list[bytes], second: list[bytes], bom: bool, end: bytes, size: int, buffer: int
) -> None:
    a, b = _file(first, bom, end), _file(second, False, end)
    whole = list(iter_line_pairs(io.BytesIO(a), io.BytesIO(b), ("a", "b")))
    with mock.patch.object(jsonl, "_BUFFER", buffer), tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a").write_bytes(a)
        (Path(tmp) / "b").write_bytes(b)
        with open(Path(tmp) / "a", "rb") as fa, open(Path(tmp) / "b", "rb") as fb:
            jobs = list(bulk._batch_jobs(fa, fb, size))
            blocks = [job.blocks[0] for job in jobs]
            assert b"".join(a[block.start : block.end] for block in blocks) == a  # every byte in one block
            assert sum(block.lines for block in blocks) == a.count(b"\n") + (not a.endswith(b"\n") and a != b"")
            read: list[Any] = []
            for index, job in enumerate(jobs):
                assert job.blocks[0].first == job.blocks[1].first == 1 + index * size
                pairs = list(iter_block_pairs(job.fds, job.blocks, ("a", "b"), both_had=job.both_had))
                read += pairs
                if any(s.problem and s.problem.code == "jsonl.length_mismatch" for pair in pairs for s in pair):
                    break
    assert read == whole


def test_a_block_is_size_lines_and_the_last_may_be_short() -> None:
    data = b"1\n2\n3\n4\n5"
    assert list(line_blocks(io.BytesIO(data), 2)) == [Block(1, 0, 4, 2), Block(3, 4, 8, 2), Block(5, 8, 9, 1)]
    assert list(line_blocks(io.BytesIO(b"1\n2\n"), 2)) == [Block(1, 0, 4, 2)]
    assert list(line_blocks(io.BytesIO(b""), 2)) == []
    with pytest.raises(ValueError):
        list(line_blocks(io.BytesIO(data), 0))


def test_the_parent_encodes_no_document_and_outcomes_come_in_line_order(
    workspace: Path, structure: Structure, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs, envs = write_run(workspace, structure, 23, broken=(4, 17))
    calls = workspace / "calls"
    encoded = bulk_worker.Worker.encoded

    def counted(self: bulk_worker.Worker, task: bulk_worker.Task) -> Any:
        with open(calls, "a", encoding="ascii") as handle:  # one short append per call: whole lines
            handle.write(f"{os.getpid()} {task.line}\n")
        return encoded(self, task)

    monkeypatch.setattr(bulk_worker.Worker, "encoded", counted)  # the forked workers inherit it
    lines: list[int] = []
    out_settings = bulk.Settings(out=workspace / "out", catalog=workspace / "catalog", batch=3)
    summary = bulk.encode_jsonl(docs, envs, out_settings, jobs=2, report=lambda o: lines.append(o.line))
    assert (summary.written, summary.failed) == (21, 2)
    assert lines == list(range(1, 24))  # every line once, in line order
    pids_lines = [row.split() for row in calls.read_text(encoding="ascii").splitlines()]
    assert sorted(int(line) for _, line in pids_lines) == list(range(1, 24))
    assert str(os.getpid()) not in {pid for pid, _ in pids_lines}
    assert sorted(failures(workspace / "out")) == [4, 17]
    assert not [p for p in (workspace / "out").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_id_an_earlier_batch_of_the_run_took_is_one_document(
    workspace: Path, structure: Structure, jobs: str
) -> None:
    a, b, c = (json.dumps(d, ensure_ascii=False) for d in example_documents(structure, 3, seed=21))
    # batches of 2: line 3 repeats line 1 (same bytes), line 4 gives its id other bytes; line 5 too, and line 6
    # repeats line 5 inside its batch while an earlier batch holds the id
    docs = [a, c, a, b, b, b, c]
    envs = [envelope_line(structure, n) for n in (1, 2, 1, 1, 1, 1, 7)]
    (workspace / "docs.jsonl").write_text("\n".join(docs) + "\n", encoding="utf-8")
    (workspace / "envs.jsonl").write_text("\n".join(envs) + "\n", encoding="utf-8")
    paths = (workspace / "docs.jsonl", workspace / "envs.jsonl")
    batched = bulk_support.bulk(workspace, *paths, workspace / "batches", "--batch", "2", "--jobs", jobs)
    bulk_support.bulk(workspace, *paths, workspace / "files", "--jobs", jobs)
    assert "3 written, 1 already there, 3 failed" in batched.output, batched.output
    assert (
        failures(workspace / "batches")
        == failures(workspace / "files")
        == {
            4: ["cda.duplicate_id"],
            5: ["cda.duplicate_id"],
            6: ["cda.duplicate_id"],
        }
    )
    assert archived(workspace / "batches") == archived(workspace / "files")


@pytest.mark.parametrize("shorter", ["docs", "envs"])
def test_files_of_different_lengths_stop_at_the_line_with_the_batches_before_whole(
    workspace: Path, structure: Structure, shorter: str
) -> None:
    docs, envs = write_run(workspace, structure, 8)
    short = docs if shorter == "docs" else envs
    short.write_text("\n".join(short.read_text(encoding="utf-8").splitlines()[:5]) + "\n", encoding="utf-8")
    result = bulk_support.bulk(workspace, docs, envs, workspace / "out", "--batch", "3", "--jobs", "2")
    assert result.exit_code == 2 and "line 6" in result.output and "[cda.bulk]" in result.output, result.output
    assert sorted(p.name for p in (workspace / "out").iterdir()) == ["lines-0000000001-0000000003.tar"]
    assert len(archived(workspace / "out")) == 3


def test_a_batch_whose_name_holds_other_bytes_is_compared_member_by_member(
    workspace: Path, structure: Structure
) -> None:
    docs, envs = write_run(workspace, structure, 4)
    out = workspace / "out"
    assert bulk_support.bulk(workspace, docs, envs, out, "--batch", "2").exit_code == 0
    # line 2 now another document: batch 1-2 differs as a whole, line 1 is still the same member
    lines = docs.read_text(encoding="utf-8").splitlines()
    lines[1] = json.dumps(example_documents(structure, 1, seed=99)[0], ensure_ascii=False)
    docs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = bulk_support.bulk(workspace, docs, envs, out, "--batch", "2", "--jobs", "2")
    assert "0 written, 3 already there, 1 failed" in result.output, result.output
    assert failures(out) == {2: ["cda.duplicate_id"]}
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_that_cannot_be_written_leaves_no_temporary(
    workspace: Path, structure: Structure, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """A disk that fills while a worker writes its batch: one `cda.io` error, exit 2, and neither the half-written
    batch nor the batches other workers wrote and nobody published are left behind."""
    import errno

    from sosmeta.generators.cda import publish

    real = publish.write_temporary

    def half(tmp: str | Path, data: bytes, durable: bool) -> None:
        if "lines-0000000001-" not in str(tmp):  # the others are written whole
            return real(tmp, data, durable)
        Path(tmp).write_bytes(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))

    monkeypatch.setattr(publish, "write_temporary", half)  # the forked workers inherit it
    docs, envs = write_run(workspace, structure, 30)
    result = bulk_support.bulk(workspace, docs, envs, workspace / "out", "--batch", "3", "--jobs", jobs)
    assert result.exit_code == 2 and "[cda.io]" in result.output, result.output
    assert sorted(p.name for p in (workspace / "out").iterdir() if not p.name.endswith(".tar")) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_outcomes_of_a_rebuilt_batch_come_in_line_order(workspace: Path, structure: Structure, jobs: int) -> None:
    """Line 4 repeats line 1's document, whose id the batch of lines 1-2 holds: its batch (lines 3-4) is rebuilt,
    and its lines are still reported in order."""
    a, b, c, d = (json.dumps(x, ensure_ascii=False) for x in example_documents(structure, 4, seed=31))
    docs, envs = [a, b, c, a, d], [envelope_line(structure, n) for n in (1, 2, 3, 1, 5)]
    (workspace / "docs.jsonl").write_text("\n".join(docs) + "\n", encoding="utf-8")
    (workspace / "envs.jsonl").write_text("\n".join(envs) + "\n", encoding="utf-8")
    lines: list[int] = []
    out_settings = bulk.Settings(out=workspace / "out", catalog=workspace / "catalog", batch=2)
    summary = bulk.encode_jsonl(
        workspace / "docs.jsonl",
        workspace / "envs.jsonl",
        out_settings,
        jobs=jobs,
        report=lambda o: lines.append(o.line),
    )
    assert lines == [1, 2, 3, 4, 5]
    assert (summary.written, summary.skipped, summary.failed) == (4, 1, 0)


def test_one_file_each_the_first_line_of_an_id_wins_whatever_the_workers(
    workspace: Path, structure: Structure, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines 2 and 11 give one id other documents, in blocks two workers encode at once (blocks of 3 lines): the
    files are linked in line order, so line 2 always wins and line 11 fails."""
    monkeypatch.setattr(bulk, "FILES", 3)
    documents = [json.dumps(d, ensure_ascii=False) for d in example_documents(structure, 12, seed=41)]
    envs = [envelope_line(structure, 2 if n == 11 else n) for n in range(1, 13)]
    (workspace / "docs.jsonl").write_text("\n".join(documents) + "\n", encoding="utf-8")
    (workspace / "envs.jsonl").write_text("\n".join(envs) + "\n", encoding="utf-8")
    for run in range(3):
        out = workspace / f"out{run}"
        lines: list[int] = []
        summary = bulk.encode_jsonl(
            workspace / "docs.jsonl",
            workspace / "envs.jsonl",
            bulk.Settings(out=out, catalog=workspace / "catalog"),
            jobs=2,
            report=lambda o, seen=lines: seen.append(o.line),
        )
        assert (summary.written, summary.failed) == (11, 1) and lines == list(range(1, 13))
        assert failures(out) == {11: ["cda.duplicate_id"]}
        kept = archived(out)[f"{document_id(2)}.xml"]
        assert json.dumps(bulk_support.decode(kept).document, ensure_ascii=False) == documents[1]
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_file_each_a_disk_that_fills_leaves_no_temporary(
    workspace: Path, structure: Structure, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    import errno

    from sosmeta.generators.cda import publish

    real = publish.write_temporary

    def full(tmp: str | Path, data: bytes, durable: bool) -> None:
        if ".line7." not in str(tmp):
            return real(tmp, data, durable)
        Path(tmp).write_bytes(data[:100])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))

    monkeypatch.setattr(publish, "write_temporary", full)
    docs, envs = write_run(workspace, structure, 700)
    result = bulk_support.bulk(workspace, docs, envs, workspace / "out", "--jobs", jobs)
    assert result.exit_code == 2 and "[cda.io]" in result.output, result.output
    assert not [p for p in (workspace / "out").iterdir() if p.name.endswith(".tmp")]


def test_a_leftover_temporary_is_never_written_into(workspace: Path, structure: Structure) -> None:
    """A kill between the link and the unlink leaves the temporary as a second name of the published file; a
    later run of a process with that pid writing that name must not change the published file through it."""
    docs, envs = write_run(workspace, structure, 1)
    out = workspace / "out"
    settings = bulk.Settings(out=out, catalog=workspace / "catalog")
    bulk.encode_jsonl(docs, envs, settings)
    (published,) = out.glob("*.xml")
    before = published.read_bytes()
    os.link(published, out / f".{published.name}.line1.{os.getpid()}.tmp")  # what the kill left, by this pid
    other = json.dumps(example_documents(structure, 1, seed=77)[0], ensure_ascii=False)
    docs.write_text(other + "\n", encoding="utf-8")  # another document under the same id
    summary = bulk.encode_jsonl(docs, envs, settings)
    assert (summary.written, summary.skipped, summary.failed) == (0, 0, 1)
    assert published.read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
