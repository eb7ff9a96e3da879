"""The fast paths of `sosmeta validate` give what the plain ones give: the JSON line of a verdict built without
dicts is the text json.dumps writes, and worker processes (--jobs) give the same lines in the same order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sosmeta.commands.validate import _record, _record_line
from sosmeta.generators.validator import compile_validator
from sosmeta.generators.validator.findings import Finding
from sosmeta.operations.validate import AUTO_AFTER, Verdict
from sosmeta.structures.model import Structure
from tests import test_validate_cli
from tests.docgen import corpus_documents

setup = test_validate_cli.setup  # the catalog fixture, shared with the other validate tests
ROOT = Path(__file__).resolve().parent.parent

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


class _Shown:
    """Stands for a structure in a verdict: what the record shows of it."""

    def __init__(self, oid: str) -> None:
        self.version_oid = oid


_findings = st.lists(
    st.builds(
        Finding,
        _text,
        _text,
        st.sampled_from(["error", "warning"]),
        st.fixed_dictionaries({"fi": _text, "sv": _text, "en": _text}),
        st.none() | st.integers(min_value=0, max_value=10**6),
        _text,
    ),
    max_size=4,
)


@given(_text, st.none() | _text, st.none() | _text, _findings, st.sampled_from(["fi", "sv", "en"]))
def test_record_line_is_the_json_dumps_text(
    source: str, oid: str | None, error: str | None, findings: list[Any], lang: str
) -> None:
    verdict = Verdict(source, _Shown(oid) if oid is not None else None, findings, error)  # type: ignore[arg-type]
    assert _record_line(verdict, lang) == json.dumps(_record(verdict, lang), ensure_ascii=False)


# ---- worker processes and test data, on the real exports ------------------------------------------------------
@pytest.fixture(scope="module")
def many_lines(setup: tuple[Path, Structure], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSONL file of more than AUTO_AFTER lines: valid and broken documents, blank, unreadable, Latin-1 and
    non-object lines among them, so line numbers and every kind of verdict cross batch boundaries."""
    _, structure = setup
    good, broken = corpus_documents(structure, 4, 4, seed=3)
    lines: list[bytes] = []
    for i in range(AUTO_AFTER + 300):
        if i % 97 == 5:
            lines.append(b"")
        elif i % 131 == 7:
            lines.append(b'{"broken": ')
        elif i % 151 == 9:
            lines.append('{"nimi": "Äijä"}'.encode("latin-1"))
        elif i % 173 == 11:
            lines.append(b"[1, 2]")
        else:
            lines.append(json.dumps((good if i % 2 else broken)[i % 4], ensure_ascii=False).encode("utf-8"))
    path = tmp_path_factory.mktemp("jobs") / "many.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _validate(catalog: Path, *args: str, stdin: bytes | None = None) -> tuple[int, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "sosmeta", "validate", "--catalog", str(catalog), "--format", "jsonl", *args]
    done = subprocess.run(command, capture_output=True, input=stdin, env=env, cwd=ROOT)
    return done.returncode, done.stdout.decode("utf-8").splitlines()


@pytest.mark.shared
def test_worker_processes_give_the_same_lines_in_the_same_order(
    setup: tuple[Path, Structure], many_lines: Path
) -> None:
    catalog, _ = setup
    status, alone = _validate(catalog, "--jsonl", str(many_lines), "--jobs", "1")
    expected_numbers = [n for n, line in enumerate(many_lines.read_bytes().split(b"\n")[:-1], 1) if line.strip()]
    assert [json.loads(r)["source"] for r in alone] == [f"{many_lines}:{n}" for n in expected_numbers]
    assert status == 2 and {json.loads(r)["valid"] for r in alone} == {True, False}
    for jobs in ("2", "3", "0"):
        assert _validate(catalog, "--jsonl", str(many_lines), "--jobs", jobs) == (status, alone), jobs
    piped = [line.replace(f'"{many_lines}:', '"<stdin>:', 1) for line in alone]
    for jobs in ("0", "2"):  # a pipe: in this process by default, in workers when asked
        assert _validate(catalog, "--jsonl", "-", "--jobs", jobs, stdin=many_lines.read_bytes()) == (status, piped)


@pytest.mark.shared
def test_test_data_drops_only_the_temporary_identity_warning(setup: tuple[Path, Structure], tmp_path: Path) -> None:
    catalog, structure = setup
    from sosmeta.generators.examples import example_documents

    docs = [*example_documents(structure, 6), *corpus_documents(structure, 3, 6, seed=4)[1]]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    _, plain = _validate(catalog, "--jsonl", str(path))
    _, test = _validate(catalog, "--jsonl", str(path), "--test-data")
    plain_records, test_records = [json.loads(r) for r in plain], [json.loads(r) for r in test]
    assert any(f["code"] == "hetu.temporary" for r in plain_records for f in r["findings"])
    for before, after in zip(plain_records, test_records, strict=True):
        kept = [f for f in before["findings"] if f["code"] != "hetu.temporary"]
        assert after["findings"] == kept and after["valid"] == before["valid"]


@pytest.mark.shared
def test_examples_validate_clean_as_test_data(setup: tuple[Path, Structure]) -> None:
    from sosmeta.generators.examples import example_documents, maximal_document

    _, structure = setup
    documents = [maximal_document(structure), *example_documents(structure, 5)]
    plain = compile_validator(structure, "full")
    test = compile_validator(structure, "full", test_identities=True)
    assert any(f.code == "hetu.temporary" for d in documents for f in plain.validate(d))
    assert [test.validate(d) for d in documents] == [[] for _ in documents]
