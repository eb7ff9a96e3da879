"""Bulk encode over odd JSON Lines and in batch mode: line separators inside strings, a BOM, CRLF, blank lines, a
Latin-1 line, bad envelopes, files of different lengths; batch files written whole, resumed after a kill -9
into the same result as an uninterrupted run, failures per document in every mode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.generators.cda.bulk_files import tar_bytes
from sosmeta.generators.cda.codec import decode
from sosmeta.structures.model import Structure
from tests.cda_support import example_documents, example_envelope
from tests.conftest import CORPUS, ROOT, load_corpus_structure, require_corpus

NAME = "1.2.246.537.6.1506.15007.2024.11.28"


@pytest.fixture(scope="module")
def structure() -> Structure:
    path = CORPUS / f"{NAME}.json"
    if not path.is_file():
        require_corpus()
    return load_corpus_structure(path)


@pytest.fixture
def workspace(tmp_path: Path, structure: Structure) -> Path:
    Catalog(tmp_path / "catalog").add(structure)
    return tmp_path


def envelope_line(structure: Structure, number: int) -> str:
    return example_envelope(structure, number).model_dump_json(exclude_none=True)


def document_id(number: int) -> str:
    return f"1.2.246.10.1234567.95.2024.{number}"


def bulk(tmp: Path, docs: Path, envs: Path, out: Path, *extra: str) -> Result:
    args = ["cda", "encode", "--jsonl", str(docs), "--envelopes", str(envs), "--catalog", str(tmp / "catalog")]
    result = CliRunner().invoke(main, [*args, "--out", str(out), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def failures(out: Path) -> dict[int, list[str]]:
    lines = (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()
    return {f["line"]: [p["code"] for p in f["problems"]] for f in map(json.loads, lines)}


def archived(out: Path) -> dict[str, bytes]:
    """Every archive document in `out`, by file name, whether written one file each or in batch files."""
    found: dict[str, bytes] = {}
    for path in sorted(out.iterdir()):
        if path.suffix == ".xml":
            found[path.name] = path.read_bytes()
        elif path.suffix == ".tar":
            with tarfile.open(path) as archive:
                for info in archive.getmembers():
                    handle = archive.extractfile(info)
                    assert handle is not None and info.name not in found
                    found[info.name] = handle.read()
    return found


# ---- odd lines -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", [[], ["--batch", "2"]], ids=["files", "batch"])
def test_odd_but_valid_lines_encode_and_bad_ones_fail_with_their_line(
    workspace: Path, structure: Structure, mode: list[str]
) -> None:
    documents = example_documents(structure, 4, seed=3)
    separators = "a\u2028b\u2029c\u0085d\re"  # characters inside a string, never line ends
    docs = [json.dumps(d, ensure_ascii=False).encode() for d in documents]
    envs = [envelope_line(structure, n).encode() for n in (1, 2, 3, 4)]
    # line 1: U+2028, U+2029, U+0085 and a CR (escaped, as JSON requires) inside a text of the document
    plan = documents[0][structure.document.key]["suunnitelma"]
    plan["kuvaus_asiakkaan_tilanteesta"] = separators + plan["kuvaus_asiakkaan_tilanteesta"]
    docs[0] = json.dumps(documents[0], ensure_ascii=False).encode()
    assert "\u2028".encode() in docs[0] and "\u0085".encode() in docs[0]
    # lines 2 and 3 blank in both files (one of them spaces, a tab and CR); the first line has a BOM and CRLF
    doc_bytes = b"\xef\xbb\xbf" + docs[0] + b"\r\n" + b"\n \t\r\n" + docs[1] + b"\n"
    env_bytes = envs[0] + b"\r\n" + b"\n\n" + envs[1] + b"\n"
    # line 4 is good; line 5 a Latin-1 document; line 6 bad JSON in the envelopes file; line 7 an array
    doc_bytes += '{"a": "\xe4iti"}\n'.encode("latin-1") + docs[2] + b"\n" + b"[1, 2]\n"
    env_bytes += envs[2] + b"\n" + b'{"document_id": "1.2.246.10.1234567.95.2024.9",\n' + envs[3] + b"\n"
    (workspace / "docs.jsonl").write_bytes(doc_bytes)
    (workspace / "envs.jsonl").write_bytes(env_bytes)
    out = workspace / "out"
    result = bulk(workspace, workspace / "docs.jsonl", workspace / "envs.jsonl", out, *mode)
    assert result.exit_code == 1, result.output
    assert "2 written, 0 already there, 3 failed" in result.output
    assert failures(out) == {5: ["cda.json_encoding"], 6: ["cda.json"], 7: ["cda.not_object"]}
    kept = archived(out)
    assert sorted(kept) == [f"{document_id(1)}.xml", f"{document_id(2)}.xml"]
    first = decode(kept[f"{document_id(1)}.xml"]).document  # kept whole: not split at U+2028, U+0085 or CR
    assert first == documents[0]
    assert first[structure.document.key]["suunnitelma"]["kuvaus_asiakkaan_tilanteesta"].startswith(separators)
    assert decode(kept[f"{document_id(2)}.xml"]).document == documents[1]
    report = (out / "failures.jsonl").read_text(encoding="utf-8")
    assert "iti" not in report and "1.2.246.10.1234567.95.2024.9" not in report  # no value of a line


def test_a_line_number_is_the_one_an_editor_shows(workspace: Path, structure: Structure) -> None:
    """A document with U+2028 in a string before a bad line: the bad line keeps its own number."""
    documents = example_documents(structure, 2, seed=4)
    envs = [envelope_line(structure, n) for n in (1, 2, 3)]
    plan = documents[0][structure.document.key]["suunnitelma"]
    plan["kuvaus_asiakkaan_tilanteesta"] = "x\u2028y\u0085z" + plan["kuvaus_asiakkaan_tilanteesta"]
    lines = [json.dumps(d, ensure_ascii=False) for d in documents] + ['{"a": 1, "a": 2}']
    (workspace / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (workspace / "envs.jsonl").write_text("\n".join(envs) + "\n", encoding="utf-8")
    result = bulk(workspace, workspace / "docs.jsonl", workspace / "envs.jsonl", workspace / "out")
    assert result.exit_code == 1 and "2 written" in result.output, result.output
    assert failures(workspace / "out") == {3: ["cda.json_duplicate_key"]}


@pytest.mark.parametrize("shorter", ["docs", "envs"])
def test_files_of_different_lengths_are_bad_input(workspace: Path, structure: Structure, shorter: str) -> None:
    documents = example_documents(structure, 3, seed=5)
    docs = [json.dumps(d, ensure_ascii=False) for d in documents]
    envs = [envelope_line(structure, n) for n in (1, 2, 3)]
    if shorter == "docs":
        docs = docs[:2]
    else:
        envs = envs[:2]
    (workspace / "docs.jsonl").write_text("\n".join(docs) + "\n", encoding="utf-8")
    (workspace / "envs.jsonl").write_text("\n".join(envs) + "\n", encoding="utf-8")
    result = bulk(workspace, workspace / "docs.jsonl", workspace / "envs.jsonl", workspace / "out")
    assert result.exit_code == 2, result.output
    assert "docs.jsonl" in result.output and "envs.jsonl" in result.output and "line 3" in result.output
    assert "[cda.bulk]" in result.output


def test_trailing_blank_lines_in_one_file_are_no_mismatch(workspace: Path, structure: Structure) -> None:
    docs = [json.dumps(d, ensure_ascii=False) for d in example_documents(structure, 2, seed=5)]
    (workspace / "docs.jsonl").write_text("\n".join(docs) + "\n\n \n", encoding="utf-8")
    (workspace / "envs.jsonl").write_text(envelope_line(structure, 1) + "\n" + envelope_line(structure, 2))
    result = bulk(workspace, workspace / "docs.jsonl", workspace / "envs.jsonl", workspace / "out")
    assert result.exit_code == 0 and "2 written" in result.output, result.output


def test_a_blank_line_opposite_a_document_fails_that_line(workspace: Path, structure: Structure) -> None:
    docs = [json.dumps(d, ensure_ascii=False) for d in example_documents(structure, 3, seed=5)]
    envs = [envelope_line(structure, 1), "", envelope_line(structure, 3)]
    (workspace / "docs.jsonl").write_text("\n".join(docs) + "\n", encoding="utf-8")
    (workspace / "envs.jsonl").write_text("\n".join(envs) + "\n", encoding="utf-8")
    result = bulk(workspace, workspace / "docs.jsonl", workspace / "envs.jsonl", workspace / "out")
    assert result.exit_code == 1 and "2 written" in result.output, result.output
    assert failures(workspace / "out") == {2: ["cda.bulk"]}


# ---- batch mode ----------------------------------------------------------------------------------------------------
def write_run(tmp: Path, structure: Structure, count: int, broken: tuple[int, ...] = ()) -> tuple[Path, Path]:
    documents = [example_documents(structure, 1, seed=n)[0] for n in range(count)]
    docs = [json.dumps(d, ensure_ascii=False) for d in documents]
    for number in broken:
        docs[number - 1] = json.dumps({structure.document.key: {"unknown": 1}})  # invalid: fails that line
    envs = [envelope_line(structure, n) for n in range(1, count + 1)]
    (tmp / "docs.jsonl").write_text("\n".join(docs) + "\n", encoding="utf-8")
    (tmp / "envs.jsonl").write_text("\n".join(envs) + "\n", encoding="utf-8")
    return tmp / "docs.jsonl", tmp / "envs.jsonl"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_mode_writes_the_same_documents_as_one_file_each(
    workspace: Path, structure: Structure, jobs: str
) -> None:
    docs, envs = write_run(workspace, structure, 7, broken=(3,))
    one = bulk(workspace, docs, envs, workspace / "files", "--jobs", jobs)
    batched = bulk(workspace, docs, envs, workspace / "batches", "--jobs", jobs, "--batch", "3")
    assert one.exit_code == batched.exit_code == 1
    assert "6 written, 0 already there, 1 failed" in batched.output, batched.output
    assert sorted(p.name for p in (workspace / "batches").iterdir()) == [
        "failures.jsonl",
        "lines-0000000001-0000000003.tar",
        "lines-0000000004-0000000006.tar",
        "lines-0000000007-0000000009.tar",
    ]
    assert archived(workspace / "files") == archived(workspace / "batches")
    assert failures(workspace / "batches") == failures(workspace / "files")
    assert list(failures(workspace / "batches")) == [3]
    with tarfile.open(workspace / "batches" / "lines-0000000001-0000000003.tar") as archive:
        assert archive.getnames() == [f"{document_id(1)}.xml", f"{document_id(2)}.xml"]  # line order


def test_batch_resume_compares_bytes_and_refuses_other_content(workspace: Path, structure: Structure) -> None:
    docs, envs = write_run(workspace, structure, 5)
    out = workspace / "out"
    assert bulk(workspace, docs, envs, out, "--batch", "2").exit_code == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.tar")}
    again = bulk(workspace, docs, envs, out, "--batch", "2")
    assert again.exit_code == 0 and "0 written, 5 already there, 0 failed" in again.output, again.output
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.tar")} == before  # nothing rewritten
    # the same ids with other documents: each line fails, nothing is written over
    other = [json.dumps(example_documents(structure, 1, seed=100 + n)[0], ensure_ascii=False) for n in range(5)]
    (workspace / "other.jsonl").write_text("\n".join(other) + "\n", encoding="utf-8")
    result = bulk(workspace, workspace / "other.jsonl", envs, out, "--batch", "2")
    assert result.exit_code == 1 and "0 written, 0 already there, 5 failed" in result.output, result.output
    assert failures(out) == {n: ["cda.duplicate_id"] for n in range(1, 6)}
    # another batch size over the same folder: the ids are known from the batch files already there
    result = bulk(workspace, docs, envs, out, "--batch", "3")
    assert "0 written, 5 already there, 0 failed" in result.output, result.output


def test_one_id_twice_in_batch_mode_is_one_document(workspace: Path, structure: Structure) -> None:
    documents = [example_documents(structure, 1, seed=n)[0] for n in range(4)]
    docs = [json.dumps(d, ensure_ascii=False) for d in (documents[0], documents[1], documents[0], documents[3])]
    envs = [envelope_line(structure, n) for n in (1, 2, 1, 1)]  # line 3 repeats line 1; line 4 reuses its id
    (workspace / "docs.jsonl").write_text("\n".join(docs) + "\n", encoding="utf-8")
    (workspace / "envs.jsonl").write_text("\n".join(envs) + "\n", encoding="utf-8")
    result = bulk(workspace, workspace / "docs.jsonl", workspace / "envs.jsonl", workspace / "out", "--batch", "2")
    assert "2 written, 1 already there, 1 failed" in result.output, result.output
    assert failures(workspace / "out") == {4: ["cda.duplicate_id"]}
    assert decode(archived(workspace / "out")[f"{document_id(1)}.xml"]).document == documents[0]


def test_a_foreign_file_named_like_a_batch_is_bad_input(workspace: Path, structure: Structure) -> None:
    docs, envs = write_run(workspace, structure, 2)
    out = workspace / "out"
    out.mkdir()
    (out / "lines-0000000001-0000000002.tar").write_bytes(b"not a tar")
    result = bulk(workspace, docs, envs, out, "--batch", "2")
    assert result.exit_code == 2 and "[cda.batch]" in result.output, result.output
    assert (out / "lines-0000000001-0000000002.tar").read_bytes() == b"not a tar"


def test_a_batch_is_the_same_bytes_whenever_its_members_are() -> None:
    members = {"a.xml": b"<a/>", "b.xml": b"<b/>" * 1000}
    assert tar_bytes(members) == tar_bytes(dict(members))
    assert tar_bytes(members) != tar_bytes({"b.xml": members["b.xml"], "a.xml": members["a.xml"]})


def _command(tmp: Path, docs: Path, envs: Path, out: Path) -> list[str]:
    command = [sys.executable, "-c", "import cli; cli.main()", "cda", "encode", "--jsonl", str(docs)]
    return [*command, "--envelopes", str(envs), "--catalog", str(tmp / "catalog"), "--out", str(out)]


@pytest.mark.parametrize("mode", [["--batch", "25"], []], ids=["batch", "files"])
def test_kill_9_then_resume_gives_the_uninterrupted_result(
    workspace: Path, structure: Structure, mode: list[str]
) -> None:
    count = 400
    docs, envs = write_run(workspace, structure, count, broken=(7, 130, 333))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    whole = workspace / "whole"
    done = subprocess.run(
        [*_command(workspace, docs, envs, whole), "--jobs", "2", *mode], cwd=ROOT, env=env, capture_output=True
    )
    assert done.returncode == 1, done.stderr.decode()
    killed = workspace / "killed"
    process = subprocess.Popen(
        [*_command(workspace, docs, envs, killed), "--jobs", "2", *mode],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120  # only keeps a regression from hanging the suite
    while time.monotonic() < deadline and process.poll() is None:
        finished = list(killed.glob("*.tar" if mode else "*.xml")) if killed.is_dir() else []
        if len(finished) >= (3 if mode else 60):
            break
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # the command and its workers, in the middle of the run
    process.wait()
    interrupted = archived(killed)
    assert 0 < len(interrupted) < count - 3, "the kill came too late to interrupt the run"
    resumed = subprocess.run(
        [*_command(workspace, docs, envs, killed), "--jobs", "2", *mode], cwd=ROOT, env=env, capture_output=True
    )
    assert resumed.returncode == 1, resumed.stderr.decode()
    assert f"{len(interrupted)} already there" in resumed.stdout.decode(), resumed.stdout.decode()
    assert archived(killed) == archived(whole)
    assert sorted(p.name for p in killed.iterdir()) == sorted(p.name for p in whole.iterdir())  # no temporaries
    assert (killed / "failures.jsonl").read_bytes() == (whole / "failures.jsonl").read_bytes()
    assert sorted(failures(killed)) == [7, 130, 333]


def test_the_last_batch_file_holds_the_lines_left(workspace: Path, structure: Structure) -> None:
    from sosmeta.generators.cda import bulk

    docs, envs = write_run(workspace, structure, 12)
    settings = bulk.Settings(out=workspace / "out", catalog=workspace / "catalog", batch=5)
    summary = bulk.encode_jsonl(docs, envs, settings, jobs=2)
    assert (summary.written, summary.failed) == (12, 0)
    names = {p.name: p for p in (workspace / "out").glob("*.tar")}
    assert sorted(names) == [f"lines-{a:010d}-{a + 4:010d}.tar" for a in (1, 6, 11)]
    with tarfile.open(names["lines-0000000006-0000000010.tar"]) as archive:
        assert archive.getnames() == [f"{document_id(n)}.xml" for n in range(6, 11)]
