"""`sosmeta validate --jsonl` reads through the one JSONL reader: editor line numbers, odd line ends kept inside
strings, a BOM, a bad line among good ones, and results that stream out as the input streams in."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from sosmeta.structures.model import Structure
from tests import test_validate_cli
from tests.test_validate_cli import document, run

pytestmark = pytest.mark.shared
setup = test_validate_cli.setup  # the catalog fixture, shared with the other validate tests
ROOT = Path(__file__).resolve().parent.parent


def _put_text_in(doc: dict, text: str) -> dict:
    """`doc` with `text` appended to its first string value (a free-text field in real documents)."""

    def walk(node: object) -> bool:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and key not in ("system", "code"):
                    node[key] = value + text
                    return True
                if walk(value):
                    return True
        elif isinstance(node, list):
            return any(walk(item) for item in node)
        return False

    assert walk(doc)
    return doc


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_line_separators_inside_strings_do_not_split_documents(
    setup: tuple[Path, Structure],
    tmp_path: Path,
    separator: str,
) -> None:
    catalog, structure = setup
    docs = [_put_text_in(document(structure, seed), f"rivi{separator}toinen") for seed in range(3)]
    path = tmp_path / "office.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    result = run("validate", "--catalog", str(catalog), "--jsonl", str(path), "--format", "jsonl")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["source"] for r in records] == [f"{path}:{n}" for n in (1, 2, 3)]
    assert all("error" not in r for r in records), records


def test_bom_crlf_blank_and_latin1_lines_keep_editor_line_numbers(
    setup: tuple[Path, Structure],
    tmp_path: Path,
) -> None:
    catalog, structure = setup
    good = json.dumps(document(structure), ensure_ascii=False).encode("utf-8")
    latin1 = json.dumps({structure.document.key: {"x": "äiti"}}, ensure_ascii=False).encode("latin-1")
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + good + b"\r\n\r\n" + latin1 + b"\n" + good + b"\n")
    result = run("validate", "--catalog", str(catalog), "--jsonl", str(path), "--format", "jsonl")
    assert result.exit_code == 2  # one unreadable line is bad input; the others are still checked
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["source"] for r in records] == [f"{path}:1", f"{path}:3", f"{path}:4"]
    assert [("error" in r, r["valid"]) for r in records] == [(False, True), (True, False), (False, True)]
    assert "[jsonl.encoding]" in records[1]["error"] and "äiti" not in result.output


def test_results_stream_out_before_the_input_ends(setup: tuple[Path, Structure], tmp_path: Path) -> None:
    """The first verdict is printed while the writer still holds the FIFO open: nothing waits for the end."""
    catalog, structure = setup
    fifo = tmp_path / "stream.jsonl"
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import sys, cli; sys.argv[0] = 'sosmeta'; cli.main()"
    args = [
        sys.executable,
        "-c",
        code,
        "validate",
        "--catalog",
        str(catalog),
        "--jsonl",
        str(fifo),
        "--format",
        "jsonl",
    ]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    try:
        with open(fifo, "wb") as writer:
            writer.write(json.dumps(document(structure), ensure_ascii=False).encode() + b"\n")
            writer.flush()
            assert proc.stdout is not None
            ready, _, _ = select.select([proc.stdout], [], [], 120)  # nothing comes if validate waits for the end
            assert ready, "no verdict while the input was still open"
            first = json.loads(proc.stdout.readline())
            assert first["source"].endswith(":1") and first["valid"] is True
            writer.write(json.dumps(document(structure, 1), ensure_ascii=False).encode() + b"\n")
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert [json.loads(line)["source"].rsplit(":", 1)[1] for line in out.splitlines()] == ["2"]
