"""Bulk identity: a document id names one document. Nothing is lost as "already there", nothing is written
over another file or outside --out, and a resumed run compares what is on disk with what it would write."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sosmeta.catalog import Catalog
from sosmeta.cli import main
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


def envelope_line(structure: Structure, number: int, **overrides: object) -> str:
    data = json.loads(example_envelope(structure, number).model_dump_json(exclude_none=True))
    data.update(overrides)
    return json.dumps(data)


def write_inputs(tmp: Path, documents: list[dict], envelopes: list[str], name: str = "") -> tuple[Path, Path]:
    docs, envs = tmp / f"docs{name}.jsonl", tmp / f"envs{name}.jsonl"
    docs.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    envs.write_text("".join(e + "\n" for e in envelopes), encoding="utf-8")
    return docs, envs


def bulk(tmp: Path, docs: Path, envs: Path, out: Path, *extra: str) -> Result:
    args = ["cda", "encode", "--jsonl", str(docs), "--envelopes", str(envs), "--catalog", str(tmp / "catalog")]
    result = CliRunner().invoke(main, [*args, "--out", str(out), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def failures(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()]


def codes(out: Path) -> dict[int, list[str]]:
    return {f["line"]: [p["code"] for p in f["problems"]] for f in failures(out)}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ten_documents_under_one_id_are_one_written_and_nine_failures(
    workspace: Path, structure: Structure, jobs: str
) -> None:
    documents = example_documents(structure, 10, seed=3)
    assert len({json.dumps(d) for d in documents}) == 10
    docs, envs = write_inputs(workspace, documents, [envelope_line(structure, 1)] * 10)
    out = workspace / "out"
    result = bulk(workspace, docs, envs, out, "--jobs", jobs)
    assert result.exit_code == 1, result.output
    assert "1 written, 0 already there, 9 failed" in result.output
    found = codes(out)
    assert len(found) == 9 and all(c == ["cda.duplicate_id"] for c in found.values())
    if jobs == "1":
        assert sorted(found) == list(range(2, 11))  # the first line wins when one process reads in order
    (archived,) = out.glob("*.xml")
    winner = next(n for n in range(1, 11) if n not in found)
    assert decode(archived.read_bytes()).document == documents[winner - 1]
    report = (out / "failures.jsonl").read_text(encoding="utf-8") + result.output
    assert "1.2.246.10.1234567.95" not in report  # the document id is a value of the envelope
    assert all(f["problems"][0]["location"] == "envelope /document_id" for f in failures(out))


def test_resume_compares_the_bytes_on_disk(workspace: Path, structure: Structure) -> None:
    documents = example_documents(structure, 3, seed=5)
    docs, envs = write_inputs(workspace, documents, [envelope_line(structure, n) for n in (1, 2, 3)])
    out = workspace / "out"
    assert bulk(workspace, docs, envs, out).exit_code == 0
    files = {n: out / f"1.2.246.10.1234567.95.2024.{n}.xml" for n in (1, 2, 3)}
    stamps = {n: f.stat().st_mtime_ns for n, f in files.items()}
    result = bulk(workspace, docs, envs, out)
    assert result.exit_code == 0 and "0 written, 3 already there, 0 failed" in result.output
    assert {n: f.stat().st_mtime_ns for n, f in files.items()} == stamps

    files[2].write_bytes(files[2].read_bytes().replace(b"<title>", b"<title>muokattu "))  # edited by hand
    files[3].unlink()
    result = bulk(workspace, docs, envs, out)
    assert result.exit_code == 1 and "1 written, 1 already there, 1 failed" in result.output
    assert codes(out) == {2: ["cda.duplicate_id"]}
    assert b"muokattu" in files[2].read_bytes()  # never overwritten
    assert decode(files[3].read_bytes()).document == documents[2]


def test_the_same_line_twice_is_already_there_not_a_failure(workspace: Path, structure: Structure) -> None:
    document = example_documents(structure, 1, seed=2)[0]
    docs, envs = write_inputs(workspace, [document, document], [envelope_line(structure, 1)] * 2)
    result = bulk(workspace, docs, envs, workspace / "out")
    assert result.exit_code == 0 and "1 written, 1 already there, 0 failed" in result.output


def test_the_same_document_in_another_envelope_under_one_id_fails(workspace: Path, structure: Structure) -> None:
    document = example_documents(structure, 1, seed=2)[0]
    envelopes = [envelope_line(structure, 1), envelope_line(structure, 1, title="Toinen otsikko")]
    docs, envs = write_inputs(workspace, [document, document], envelopes)
    result = bulk(workspace, docs, envs, workspace / "out")
    assert result.exit_code == 1 and codes(workspace / "out") == {2: ["cda.duplicate_id"]}


def test_a_symlink_in_the_output_folder_is_never_written_through(workspace: Path, structure: Structure) -> None:
    documents = example_documents(structure, 2, seed=4)
    docs, envs = write_inputs(workspace, documents, [envelope_line(structure, n) for n in (1, 2)])
    out = workspace / "out"
    out.mkdir()
    victim = workspace / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (out / "1.2.246.10.1234567.95.2024.1.xml").symlink_to(victim)
    (out / "1.2.246.10.1234567.95.2024.2.xml").symlink_to(workspace / "dangling.xml")
    result = bulk(workspace, docs, envs, out)
    assert result.exit_code == 1 and "0 written, 0 already there, 2 failed" in result.output
    assert codes(out) == {1: ["cda.unsafe_path"], 2: ["cda.unsafe_path"]}
    assert victim.read_text(encoding="utf-8") == "keep" and not (workspace / "dangling.xml").exists()


@pytest.mark.parametrize("document_id", ["../x", "/tmp/x", "1.2.3/../../x", "1.2.3\n", ".", "", 123, None])
def test_a_document_id_never_becomes_a_path(workspace: Path, structure: Structure, document_id: object) -> None:
    document = example_documents(structure, 1)[0]
    docs, envs = write_inputs(workspace, [document], [envelope_line(structure, 1, document_id=document_id)])
    out = workspace / "sub" / "out"
    result = bulk(workspace, docs, envs, out)
    assert result.exit_code == 1, result.output
    assert [p["location"] for p in failures(out)[0]["problems"]] == ["envelope /document_id"]
    assert sorted(p.name for p in out.iterdir()) == ["failures.jsonl"]
    assert sorted(p.name for p in (workspace / "sub").iterdir()) == ["out"]


def test_a_line_longer_than_the_limit_is_one_failure(workspace: Path, structure: Structure) -> None:
    from sosmeta.generators.cda.bulk import Settings, encode_jsonl
    from sosmeta.generators.cda.limits import Limits

    documents = example_documents(structure, 3, seed=6)
    documents[1] = {**documents[1], "x": "a" * 20_000}
    docs, envs = write_inputs(workspace, documents, [envelope_line(structure, n) for n in (1, 2, 3)])
    settings = Settings(out=workspace / "out", catalog=workspace / "catalog", limits=Limits(max_input_bytes=16_000))
    summary = encode_jsonl(docs, envs, settings)
    assert (summary.written, summary.failed) == (2, 1)
    assert codes(workspace / "out") == {2: ["cda.too_large"]}


def test_a_fifo_is_refused_not_waited_on(workspace: Path, structure: Structure) -> None:
    fifo = workspace / "docs.jsonl"
    os.mkfifo(fifo)
    envs = workspace / "envs.jsonl"
    envs.write_text(envelope_line(structure, 1) + "\n", encoding="utf-8")
    command = [sys.executable, "-c", "import cli; cli.main()", "cda", "encode", "--jsonl", str(fifo)]
    command += ["--envelopes", str(envs), "--catalog", str(workspace / "catalog"), "--out", str(workspace / "out")]
    # the timeout only keeps a regression from hanging the suite
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT, env=_env(), check=False)
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def counts(report: str) -> tuple[int, int, int]:
    """(written, already there, failed) from a bulk run's summary line."""
    match = re.search(r"(\d+) written, (\d+) already there, (\d+) failed", report)
    assert match, report
    return int(match[1]), int(match[2]), int(match[3])


def test_two_runs_at_once_lose_nothing(workspace: Path, structure: Structure) -> None:
    """Two processes archive different documents under the same 12 ids into one folder at the same time: every
    id ends with exactly one complete file holding one of the two documents, and the other document of that id
    is a failure of its run (never 'already there', never an overwrite)."""
    ids = range(1, 13)
    envelopes = [envelope_line(structure, n) for n in ids]
    runs = [example_documents(structure, len(ids), seed=seed) for seed in (11, 12)]
    assert all(a != b for a, b in zip(*runs, strict=True))
    out = workspace / "out"
    processes = []
    for name, documents in zip("ab", runs, strict=True):
        docs, envs = write_inputs(workspace, documents, envelopes, name)
        command = [sys.executable, "-c", "import cli; cli.main()", "cda", "encode", "--jsonl", str(docs)]
        command += ["--envelopes", str(envs), "--catalog", str(workspace / "catalog"), "--out", str(out)]
        processes.append(
            subprocess.Popen(
                [*command, "--jobs", "2"], cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        )
    totals = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)  # only keeps a regression from hanging the suite
        assert process.returncode in (0, 1) and b"Traceback" not in stderr, stderr.decode()
        totals.append(counts(stdout.decode()))
    assert sum(t[0] for t in totals) == len(ids) and sum(t[2] for t in totals) == len(ids)
    assert all(t[1] == 0 for t in totals)
    for n in ids:
        document = decode((out / f"1.2.246.10.1234567.95.2024.{n}.xml").read_bytes()).document
        assert document in (runs[0][n - 1], runs[1][n - 1])
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temporaries left
