"""Size and shape bounds of the CDA commands: every read is bounded, encode never writes what decode refuses,
libxml2's own bounds are reported for what they are, and non-finite numbers never reach document.json."""

from __future__ import annotations

import base64
import errno
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.generators.cda.codec import CdaInputError, Limits, decode, encode
from sosmeta.generators.cda.frame import frame
from sosmeta.generators.cda.package import package, unpack
from sosmeta.structures.model import Structure
from tests.cda_support import example_documents, example_envelope
from tests.conftest import CORPUS, ROOT, load_corpus_structure, require_corpus

NAME = "1.2.246.537.6.1506.15007.2024.11.28"
MiB = 1024 * 1024


@pytest.fixture(scope="module")
def structure() -> Structure:
    path = CORPUS / f"{NAME}.json"
    if not path.is_file():
        require_corpus()
    return load_corpus_structure(path)


@pytest.fixture(scope="module")
def good(structure: Structure) -> bytes:
    return encode(structure, example_documents(structure, 1)[0], example_envelope(structure))


@pytest.fixture
def workspace(tmp_path: Path, structure: Structure) -> Path:
    Catalog(tmp_path / "catalog").add(structure)
    return tmp_path


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def with_json(good: bytes, payload: bytes) -> bytes:
    start = good.index(b"<hl7fi:json>") + len(b"<hl7fi:json>")
    return good[:start] + payload + good[good.index(b"</hl7fi:json>") :]


def refused_code(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(CdaInputError) as caught:
        decode(data, "x.xml", limits or Limits())
    (problem,) = caught.value.problems
    return problem.code


def _limited_memory() -> None:  # for the child: 2 GB of address space, so a runaway read fails fast
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def command(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process with bounded memory (a regression fails instead of exhausting the machine)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", "import cli; cli.main()", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        preexec_fn=_limited_memory,
        timeout=300,  # only keeps a regression from hanging the suite
        check=False,
    )


# ---- reads are bounded -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("verb", ["decode", "frame"])
def test_a_link_to_dev_zero_is_refused(workspace: Path, verb: str) -> None:
    link = workspace / "zero.xml"
    link.symlink_to("/dev/zero")
    extra = ["--catalog", str(workspace / "catalog")] if verb == "decode" else []
    done = command("cda", verb, str(link), *extra, "--out", str(workspace / "out"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "not a regular file" in done.stderr


def test_an_oversize_document_file_is_refused_before_reading(workspace: Path, structure: Structure) -> None:
    document = example_documents(structure, 1)[0]
    padded = workspace / "doc.json"
    padded.write_text(json.dumps(document) + " " * (Limits().max_input_bytes + 1), encoding="utf-8")
    env = workspace / "env.json"
    env.write_text(example_envelope(structure).model_dump_json(exclude_none=True), encoding="utf-8")
    result = run(
        "cda", "encode", str(padded), "--envelope", str(env), "--catalog", str(workspace / "catalog"),
        "--out", str(workspace / "doc.xml"),
    )  # fmt: skip
    assert result.exit_code == 2 and "file.too_large" in result.output, result.output
    assert not (workspace / "doc.xml").exists()


def test_an_oversize_envelope_file_is_refused(workspace: Path, structure: Structure) -> None:
    (workspace / "doc.json").write_text(json.dumps(example_documents(structure, 1)[0]), encoding="utf-8")
    data = json.loads(example_envelope(structure).model_dump_json(exclude_none=True))
    data["title"] = "x" * (2 * MiB)
    (workspace / "env.json").write_text(json.dumps(data), encoding="utf-8")
    result = run(
        "cda", "encode", str(workspace / "doc.json"), "--envelope", str(workspace / "env.json"),
        "--catalog", str(workspace / "catalog"), "--out", str(workspace / "doc.xml"),
    )  # fmt: skip
    assert result.exit_code == 2 and "file.too_large" in result.output, result.output


# ---- encode never writes what decode refuses -------------------------------------------------------------------
def _with_text(structure: Structure, size: int) -> dict[str, Any]:
    """The example document with its longest text replaced by `size` characters (shown in the display form
    and carried in the JSON, so both body forms grow)."""
    document = example_documents(structure, 1)[0]
    root = document[structure.document.key]
    key = max((k for k, v in root.items() if isinstance(v, str)), key=lambda k: len(root[k]))
    root[key] = "Lorem ipsum dolor sit amet. " * (size // 28 + 1)
    return document


@pytest.mark.parametrize("size", [1 * MiB, 2 * MiB, 3 * MiB, 8 * MiB])
def test_encode_never_writes_what_decode_refuses(structure: Structure, size: int) -> None:
    document = _with_text(structure, size)
    envelope = example_envelope(structure)
    try:
        data = encode(structure, document, envelope, allow_invalid=True)
    except CdaInputError as exc:
        assert [p.code for p in exc.problems] == ["cda.too_large"]
        assert size > 2 * MiB  # the display form and the JSON both hold the text: about 2.5 MiB fits
        return
    assert decode(data).document == document
    message = package(frame(data), data)
    assert decode(unpack(message).document).document == document


def test_a_document_too_large_for_its_json_is_refused_before_rendering(structure: Structure) -> None:
    document = _with_text(structure, 8 * MiB)
    with pytest.raises(CdaInputError) as caught:
        encode(structure, document, example_envelope(structure), allow_invalid=True)
    assert "JSON would be" in str(caught.value) and str(Limits().max_json_bytes) in str(caught.value)


def test_encode_refuses_json_deeper_than_decode_reads(structure: Structure) -> None:
    document = example_documents(structure, 1)[0]
    deep: Any = "x"
    for _ in range(Limits().max_json_depth + 1):
        deep = [deep]
    document["extra"] = deep
    with pytest.raises(CdaInputError) as caught:
        encode(structure, document, example_envelope(structure), allow_invalid=True)
    assert [p.code for p in caught.value.problems] == ["cda.too_deep"]


def test_the_limits_agree_with_libxml2_and_each_other() -> None:
    from sosmeta.generators.cda.limits import LIBXML2_TEXT_BYTES, base64_size

    limits = Limits()
    assert limits.message_fits()
    for size in (limits.max_document_bytes, limits.max_json_bytes, limits.max_display_bytes):
        assert base64_size(size) <= LIBXML2_TEXT_BYTES
    with pytest.raises(ValueError):
        Limits(max_json_bytes=8 * MiB)


# ---- the JSON carrier: one number ------------------------------------------------------------------------------
def _json_of_size(size: int) -> bytes:
    head = b'{"a":"'
    return head + b"b" * (size - len(head) - 2) + b'"}'


def test_the_json_carrier_holds_what_limits_says(good: bytes) -> None:
    limit = Limits().max_json_bytes
    at_limit = _json_of_size(limit)
    assert len(decode(with_json(good, base64.b64encode(at_limit))).document["a"]) == limit - 8
    with pytest.raises(CdaInputError) as caught:
        decode(with_json(good, base64.b64encode(_json_of_size(limit + 1))))
    assert "cda.too_large" in str(caught.value) and str(limit) in str(caught.value)


# ---- XML shape -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [41, 300, 3000, 20_000, 100_000])
def test_deep_xml_is_refused_as_too_deep(depth: int) -> None:
    deep = b'<ClinicalDocument xmlns="urn:hl7-org:v3">' + b"<a>" * depth + b"</a>" * depth + b"</ClinicalDocument>"
    with pytest.raises(CdaInputError) as caught:
        decode(deep, "deep.xml")
    (problem,) = caught.value.problems
    if 2 * depth > Limits().max_nodes:  # refused before parsing, by the node count
        assert problem.code == "cda.too_many_nodes"
    else:
        assert problem.code == "cda.too_deep" and "nested deeper than 40 levels" in problem.message


def test_a_text_node_over_libxml2s_bound_is_named_as_such(good: bytes) -> None:
    huge = good.replace(b"<title>", b"<title>" + b"x" * 10_000_001, 1)
    with pytest.raises(CdaInputError) as caught:
        decode(huge, "x.xml")
    assert [p.code for p in caught.value.problems] == ["cda.too_large"]
    assert "10000000" in str(caught.value)


@pytest.mark.parametrize("markup", [b"<a/>", b'<a b="" c=""/>'])
def test_too_many_nodes_are_refused_before_parsing(markup: bytes) -> None:
    data = b'<ClinicalDocument xmlns="urn:hl7-org:v3">' + markup * 60_000 + b"</ClinicalDocument>"
    assert refused_code(data) == "cda.too_many_nodes"


def test_a_real_document_is_far_below_the_node_bound(good: bytes) -> None:
    assert good.count(b"<") + good.count(b"=") < Limits().max_nodes // 50


# ---- numbers and duplicate keys --------------------------------------------------------------------------------
@pytest.mark.parametrize("number", [b"1e999", b"-1e999", b"NaN", b"Infinity", b"1" * 5000])
def test_non_finite_and_huge_numbers_never_reach_document_json(workspace: Path, good: bytes, number: bytes) -> None:
    file = workspace / "inf.xml"
    file.write_bytes(with_json(good, base64.b64encode(b'{"a": ' + number + b"}")))
    out = workspace / "out"
    result = run("cda", "decode", str(file), "--catalog", str(workspace / "catalog"), "--out", str(out))
    assert result.exit_code == 2 and "cda.json_number" in result.output, result.output
    assert not (out / "document.json").exists()


def test_duplicate_keys_are_refused_on_both_sides(workspace: Path, good: bytes, structure: Structure) -> None:
    assert refused_code(with_json(good, base64.b64encode(b'{"a": 1, "a": 2}'))) == "cda.json_duplicate_key"
    (workspace / "doc.json").write_text('{"a": 1, "a": 2}', encoding="utf-8")
    (workspace / "env.json").write_text(example_envelope(structure).model_dump_json(exclude_none=True), "utf-8")
    result = run(
        "cda", "encode", str(workspace / "doc.json"), "--envelope", str(workspace / "env.json"),
        "--catalog", str(workspace / "catalog"), "--out", str(workspace / "doc.xml"),
    )  # fmt: skip
    assert result.exit_code == 2 and "cda.json_duplicate_key" in result.output


def test_encode_refuses_1e999_in_a_document_file(workspace: Path, structure: Structure) -> None:
    document = example_documents(structure, 1)[0]
    text = json.dumps({**document, "x": 1}).replace('"x": 1', '"x": 1e999')
    (workspace / "doc.json").write_text(text, encoding="utf-8")
    (workspace / "env.json").write_text(example_envelope(structure).model_dump_json(exclude_none=True), "utf-8")
    result = run(
        "cda", "encode", str(workspace / "doc.json"), "--envelope", str(workspace / "env.json"),
        "--catalog", str(workspace / "catalog"), "--out", str(workspace / "doc.xml"), "--allow-invalid",
    )  # fmt: skip
    assert result.exit_code == 2 and "cda.json_number" in result.output, result.output


# ---- output places ---------------------------------------------------------------------------------------------
def test_decode_never_writes_through_a_link(workspace: Path, good: bytes) -> None:
    (workspace / "doc.xml").write_bytes(good)
    out = workspace / "out"
    out.mkdir()
    victim = workspace / "victim.json"
    victim.write_text("keep", encoding="utf-8")
    (out / "document.json").symlink_to(victim)
    result = run(
        "cda", "decode", str(workspace / "doc.xml"), "--catalog", str(workspace / "catalog"), "--out", str(out)
    )
    assert result.exit_code == 2 and "symbolic link" in result.output, result.output
    assert victim.read_text(encoding="utf-8") == "keep"


def test_build_for_an_oid_with_a_newline_is_one_error_line(tmp_path: Path) -> None:
    export = json.loads((CORPUS / f"{NAME}.json").read_text(encoding="utf-8"))
    export["sosmeta"]["oid"] = NAME + "\nx"
    (tmp_path / "nl.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    catalog = str(tmp_path / "catalog")
    imported = run("import", str(tmp_path / "nl.json"), "--catalog", catalog)
    if imported.exit_code == 2:  # refused where it enters: nothing left to build
        return
    result = run("build", "--catalog", catalog, "--out", str(tmp_path / "out"), "--target", "cda")
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")


def test_frame_refuses_a_bad_use_situation(workspace: Path, good: bytes) -> None:
    (workspace / "doc.xml").write_bytes(good)
    result = run(
        "cda", "frame", str(workspace / "doc.xml"), "--out", str(workspace / "m.xml"), "--use-situation", "a b"
    )
    assert result.exit_code == 2 and "--use-situation" in result.output


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_bulk_run_that_cannot_write_is_one_error(
    workspace: Path, structure: Structure, monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    from sosmeta.generators.cda import publish

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(error, os.strerror(error), "/somewhere/1.2.3.xml")

    monkeypatch.setattr(publish, "write_temporary", fail)
    docs, envs = workspace / "docs.jsonl", workspace / "envs.jsonl"
    docs.write_text(json.dumps(example_documents(structure, 1)[0]) + "\n", encoding="utf-8")
    envs.write_text(example_envelope(structure).model_dump_json(exclude_none=True) + "\n", encoding="utf-8")
    result = run(
        "cda", "encode", "--jsonl", str(docs), "--envelopes", str(envs), "--catalog", str(workspace / "catalog"),
        "--out", str(workspace / "out"),
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.output == f"error: {workspace / 'out'}: cannot write: {os.strerror(error)} [cda.io]\n"


def test_encode_refuses_what_it_could_not_read_back(structure: Structure) -> None:
    import datetime as dt

    from pydantic import ValidationError

    document = {**example_documents(structure, 1)[0], "when": dt.date(2024, 1, 1)}
    with pytest.raises(CdaInputError) as caught:
        encode(structure, document, example_envelope(structure), allow_invalid=True)
    assert [p.code for p in caught.value.problems] == ["cda.json"]
    with pytest.raises(ValidationError) as refused:
        example_envelope(structure, title="Otsikko \ud800")
    assert [e["type"] for e in refused.value.errors()] == ["string_unicode"]
