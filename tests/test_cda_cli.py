"""The `sosmeta cda` commands end to end: encode, decode, frame, bulk with failures and resume, build."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.generators.cda.codec import decode, encode
from sosmeta.generators.cda.envelope import Envelope
from sosmeta.structures.model import Structure
from tests.cda_support import example_documents, example_envelope

NAME = "1.2.246.537.6.1506.15007.2024.11.28"


@pytest.fixture
def workspace(tmp_path: Path, corpus_structures: list[Structure]) -> tuple[Path, Structure]:
    catalog = Catalog(tmp_path / "catalog")
    chosen = [s for s in corpus_structures if s.version_oid in (NAME, "1.2.246.537.6.1505.1.2023.6.1")]
    for structure in chosen:
        catalog.add(structure)
    return tmp_path, next(s for s in chosen if s.version_oid == NAME)


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def envelope_json(envelope: Envelope) -> str:
    return envelope.model_dump_json(exclude_none=True)


def test_encode_decode_frame(workspace: tuple[Path, Structure]) -> None:
    tmp, structure = workspace
    document = example_documents(structure, 1)[0]
    envelope = example_envelope(structure)
    (tmp / "doc.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    partial = json.loads(envelope_json(envelope))
    for derived in ("specific_type", "general_type"):  # the structure fills these in
        partial.pop(derived)
    (tmp / "env.json").write_text(json.dumps(partial), encoding="utf-8")
    cat = str(tmp / "catalog")
    result = run(
        "cda",
        "encode",
        str(tmp / "doc.json"),
        "--envelope",
        str(tmp / "env.json"),
        "--catalog",
        cat,
        "--out",
        str(tmp / "doc.xml"),
    )
    assert result.exit_code == 0, result.output
    decoded = decode((tmp / "doc.xml").read_bytes())
    assert decoded.document == document and decoded.envelope == envelope

    frame = ("--out", str(tmp / "frame.xml"), "--package", str(tmp / "msg.mime"), "--mode", "P")
    result = run("cda", "frame", str(tmp / "doc.xml"), *frame)
    assert result.exit_code == 0, result.output
    checked = run("cda", "check", str(tmp / "frame.xml"), str(tmp / "doc.xml"), "--catalog", cat, "--format", "json")
    assert checked.exit_code == 0 and '"errors": 0' in checked.output, checked.output

    for source in ("doc.xml", "msg.mime"):
        out = tmp / f"decoded-{source}"
        result = run("cda", "decode", str(tmp / source), "--catalog", cat, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert json.loads((out / "document.json").read_text(encoding="utf-8")) == document
        again = Envelope.model_validate_json((out / "envelope.json").read_text(encoding="utf-8"))
        assert again == envelope


def test_invalid_document_is_refused_unless_allowed(workspace: tuple[Path, Structure]) -> None:
    tmp, structure = workspace
    (tmp / "doc.json").write_text(json.dumps({structure.document.key: {"unknown": "Aino"}}), encoding="utf-8")
    (tmp / "env.json").write_text(envelope_json(example_envelope(structure)), encoding="utf-8")
    args = [
        "cda",
        "encode",
        str(tmp / "doc.json"),
        "--envelope",
        str(tmp / "env.json"),
        "--catalog",
        str(tmp / "catalog"),
        "--out",
        str(tmp / "doc.xml"),
    ]
    result = run(*args)
    assert result.exit_code == 1 and "refused" in result.output and "Aino" not in result.output
    assert not (tmp / "doc.xml").exists()
    assert run(*args, "--allow-invalid").exit_code == 0
    result = run("cda", "decode", str(tmp / "doc.xml"), "--catalog", str(tmp / "catalog"), "--out", str(tmp / "d"))
    assert result.exit_code == 1 and "error:" in result.output  # written, but the findings are reported


def test_bad_envelope_is_one_line_exit_2(workspace: tuple[Path, Structure]) -> None:
    tmp, structure = workspace
    (tmp / "doc.json").write_text(json.dumps(example_documents(structure, 1)[0]), encoding="utf-8")
    data = json.loads(envelope_json(example_envelope(structure)))
    data["client"]["id"] = "131052-308U"
    (tmp / "env.json").write_text(json.dumps(data), encoding="utf-8")
    result = run(
        "cda",
        "encode",
        str(tmp / "doc.json"),
        "--envelope",
        str(tmp / "env.json"),
        "--catalog",
        str(tmp / "catalog"),
        "--out",
        str(tmp / "doc.xml"),
    )
    assert result.exit_code == 2 and "/client/id" in result.output and "308U" not in result.output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bulk_reports_failures_and_resumes(workspace: tuple[Path, Structure], jobs: str) -> None:
    tmp, structure = workspace
    documents = example_documents(structure, 6, seed=1)
    envelopes = [example_envelope(structure, n) for n in range(1, 7)]
    doc_lines = [json.dumps(d, ensure_ascii=False) for d in documents]
    env_lines = [envelope_json(e) for e in envelopes]
    doc_lines[2] = json.dumps({structure.document.key: {"unknown": 1}})  # invalid document
    env_lines[4] = env_lines[4].replace('"010101A900R"', '"010101A900S"')  # bad identity code
    doc_lines.append('{"a": "\xe4"}')  # written as Latin-1 below: not UTF-8
    env_lines.append(envelope_json(example_envelope(structure, 7)))
    (tmp / "docs.jsonl").write_bytes(
        ("\n".join(doc_lines[:6]) + "\n").encode() + (doc_lines[6] + "\n").encode("latin-1")
    )
    (tmp / "envs.jsonl").write_text("\n".join(env_lines) + "\n", encoding="utf-8")
    args = [
        "cda",
        "encode",
        "--jsonl",
        str(tmp / "docs.jsonl"),
        "--envelopes",
        str(tmp / "envs.jsonl"),
        "--catalog",
        str(tmp / "catalog"),
        "--out",
        str(tmp / "out"),
        "--jobs",
        jobs,
    ]
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "4 written, 0 already there, 3 failed" in result.output
    failures = [json.loads(line) for line in (tmp / "out" / "failures.jsonl").read_text().splitlines()]
    assert [f["line"] for f in failures] == [3, 5, 7]
    assert [p["code"] for f in failures for p in f["problems"]][-1] == "cda.json_encoding"
    assert "not UTF-8" in failures[2]["problems"][0]["message"]
    assert "010101A900" not in (tmp / "out" / "failures.jsonl").read_text()
    for number in (1, 2, 4, 6):
        file = tmp / "out" / f"{envelopes[number - 1].document_id}.xml"
        assert decode(file.read_bytes()).document == documents[number - 1]
    written = tmp / "out" / f"{envelopes[0].document_id}.xml"
    stamp = written.stat().st_mtime_ns
    result = run(*args)
    assert "0 written, 4 already there, 3 failed" in result.output
    assert written.stat().st_mtime_ns == stamp


def test_build_writes_an_example_per_structure(workspace: tuple[Path, Structure]) -> None:
    pytest.importorskip("sosmeta.generators.examples")
    tmp, _ = workspace
    result = run("build", "--catalog", str(tmp / "catalog"), "--out", str(tmp / "out"), "--target", "cda")
    assert result.exit_code == 0, result.output
    files = sorted((tmp / "out" / "cda").glob("*.xml"))
    assert [f.stem for f in files] == sorted(s.version_oid for s in Catalog(tmp / "catalog").structures())
    for file in files:
        assert decode(file.read_bytes()).envelope.content_specification_id == file.stem


def test_build_writes_organisation_variants_of_the_example_workspace(tmp_path: Path) -> None:
    import shutil

    from sosmeta.sosmeta_import.organisation import load_organisation

    workspace = tmp_path / "example"
    shutil.copytree(
        Path(__file__).resolve().parent.parent / "example", workspace, ignore=shutil.ignore_patterns("catalog")
    )
    assert run("--workspace", str(workspace), "import").exit_code == 0
    result = run("--workspace", str(workspace), "build", "--target", "cda", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    org = load_organisation(workspace / "orgs" / "jarvimaa-lastensuojelu.toml")
    variants = sorted((tmp_path / "out" / "cda" / org.id).glob("*.xml"))
    assert variants
    for file in variants:
        decoded = decode(file.read_bytes(), with_display=True)
        assert decoded.envelope.register_keeper.oid == org.oid
        assert decoded.envelope.register_keeper.name == org.name.fi
        assert org.letterhead is not None and org.letterhead.fi in (decoded.display or b"").decode()


# ---- signing --------------------------------------------------------------------------------------------------
def encode_args(tmp: Path, *extra: str) -> list[str]:
    return [
        "cda", "encode", str(tmp / "doc.json"), "--envelope", str(tmp / "env.json"),
        "--catalog", str(tmp / "catalog"), "--out", str(tmp / "doc.xml"), *extra,
    ]  # fmt: skip


@pytest.fixture
def signing_workspace(workspace: tuple[Path, Structure]) -> tuple[Path, Structure, Path, Path]:
    from tests.cda_support import signing_files

    tmp, structure = workspace
    (tmp / "doc.json").write_text(json.dumps(example_documents(structure, 1)[0], ensure_ascii=False), "utf-8")
    (tmp / "env.json").write_text(envelope_json(example_envelope(structure)), encoding="utf-8")
    return (tmp, structure, *signing_files(tmp))


def test_encode_signs_the_finished_document(signing_workspace: tuple[Path, Structure, Path, Path]) -> None:
    from sosmeta.generators.cda.signing import verify

    tmp, _, key, cert = signing_workspace
    result = run(*encode_args(tmp, "--sign-key", str(key), "--sign-cert", str(cert)))
    assert result.exit_code == 0, result.output
    signed = (tmp / "doc.xml").read_bytes()
    (check,) = verify(signed)
    assert check.ok and check.signature_type == "system"
    decoded = decode(signed)
    assert decoded.envelope.signature_collection is not None
    stamp = decoded.envelope.creation_time.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    assert f">{stamp}</signatureTimestamp>".encode() in signed  # the envelope's creation time: deterministic
    assert run(*encode_args(tmp, "--sign-key", str(key), "--sign-cert", str(cert))).exit_code == 0
    assert (tmp / "doc.xml").read_bytes() == signed
    result = run(
        *encode_args(tmp, "--sign-key", str(key), "--sign-cert", str(cert), "--signature-type", "professional")
    )
    assert [c.signature_type for c in verify((tmp / "doc.xml").read_bytes())] == ["professional"]


def test_a_decoded_signed_document_re_encodes_with_its_signature_still_valid(
    signing_workspace: tuple[Path, Structure, Path, Path],
) -> None:
    """The writer keeps signatureCollection verbatim: our own signed document, decoded and encoded again, still
    verifies, and can be signed a second time."""
    from sosmeta.generators.cda.codec import load_signing
    from sosmeta.generators.cda.signing import verify

    tmp, structure, key, cert = signing_workspace
    assert run(*encode_args(tmp, "--sign-key", str(key), "--sign-cert", str(cert))).exit_code == 0
    decoded = decode((tmp / "doc.xml").read_bytes())
    again = encode(structure, decoded.document, decoded.envelope)
    assert [c.code for c in verify(again)] == [None]
    twice = encode(structure, decoded.document, decoded.envelope, signing=load_signing(key, cert, "professional"))
    assert [(c.code, c.signature_type) for c in verify(twice)] == [(None, "system"), (None, "professional")]


def test_signing_options_fail_cleanly(signing_workspace: tuple[Path, Structure, Path, Path]) -> None:
    from tests.cda_support import signing_files

    tmp, _, key, _cert = signing_workspace
    assert run(*encode_args(tmp, "--sign-key", str(key))).exit_code == 2  # no certificate
    assert run(*encode_args(tmp, "--sign-passphrase-file", str(key))).exit_code == 2  # no key
    locked = tmp / "locked"
    locked.mkdir()
    locked_key, locked_cert = signing_files(locked, b"salasana")
    (tmp / "right.txt").write_bytes(b"salasana\n")
    (tmp / "wrong.txt").write_bytes(b"KANARIA\n")
    sign = ["--sign-key", str(locked_key), "--sign-cert", str(locked_cert)]
    assert run(*encode_args(tmp, *sign, "--sign-passphrase-file", str(tmp / "right.txt"))).exit_code == 0
    result = run(*encode_args(tmp, *sign, "--sign-passphrase-file", str(tmp / "wrong.txt")))
    assert result.exit_code == 2 and "cda.sign_key" in result.output and str(locked_key) in result.output
    assert "KANARIA" not in result.output and "Traceback" not in result.output
    result = run(*encode_args(tmp, "--sign-key", str(key), "--sign-cert", str(locked_cert)))
    assert result.exit_code == 2 and "cda.sign_cert" in result.output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bulk_signs_every_document_with_a_key_loaded_once(
    signing_workspace: tuple[Path, Structure, Path, Path], jobs: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sosmeta.generators.cda import signing
    from sosmeta.generators.cda.signing import verify

    tmp, structure, key, cert = signing_workspace
    loads = []
    original = signing.load_signing_key
    monkeypatch.setattr(signing, "load_signing_key", lambda *a, **k: loads.append(1) or original(*a, **k))
    documents = example_documents(structure, 5, seed=3)
    envelopes = [example_envelope(structure, n) for n in range(1, 6)]
    (tmp / "docs.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), "utf-8")
    (tmp / "envs.jsonl").write_text("".join(envelope_json(e) + "\n" for e in envelopes), "utf-8")
    result = run(
        "cda", "encode", "--jsonl", str(tmp / "docs.jsonl"), "--envelopes", str(tmp / "envs.jsonl"),
        "--catalog", str(tmp / "catalog"), "--out", str(tmp / "out"), "--jobs", jobs,
        "--sign-key", str(key), "--sign-cert", str(cert),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert loads == [1]
    for envelope, document in zip(envelopes, documents, strict=True):
        signed = (tmp / "out" / f"{envelope.document_id}.xml").read_bytes()
        assert [c.code for c in verify(signed)] == [None] and decode(signed).document == document
