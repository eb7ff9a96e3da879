"""`cda decode` of what arrives (generators.cda.incoming): a frame, a document, both in either order, or a
package; frame.json, document.json and envelope.json; disagreements between the two; `--verify` naming the
signature that failed; inputs that cannot go together refused with one line."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from lxml import etree

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.frame import frame
from sosmeta.generators.cda.package import package
from sosmeta.generators.cda.signing import sign
from tests.cda_frame_support import (
    CLIENT_RELATIONSHIP,
    PLAN,
    SAMPLE_DOCUMENT,
    SAMPLE_FRAME,
    SAMPLE_OPTIONS,
    SAMPLES,
    encoded,
    make_catalog,
    make_signer,
    run,
    sample_bytes,
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    make_catalog(tmp_path / "catalog")
    document = encoded(PLAN)
    framed = frame(document)
    out = {"catalog": tmp_path / "catalog"}
    for name, data in (("doc.xml", document), ("frame.xml", framed), ("msg.mime", package(framed, document))):
        out[name] = tmp_path / name
        out[name].write_bytes(data)
    return out


def decode(files: dict[str, Path], out: Path, *names: str, extra: tuple[str, ...] = ()) -> tuple[int, str]:
    args = [str(files[n]) if n in files else n for n in names]
    result = run("cda", "decode", *args, "--catalog", str(files["catalog"]), "--out", str(out), *extra)
    return result.exit_code, result.output


def written(out: Path) -> set[str]:
    return {p.name for p in out.iterdir()} if out.exists() else set()


def test_a_frame_alone_gives_frame_json_and_needs_no_catalog(files: dict[str, Path], tmp_path: Path) -> None:
    result = run("cda", "decode", str(files["frame.xml"]), "--out", str(tmp_path / "f"))
    assert result.exit_code == 0, result.output
    assert written(tmp_path / "f") == {"frame.json"}
    fields = json.loads((tmp_path / "f" / "frame.json").read_text(encoding="utf-8"))
    assert fields["document"]["ids"] == [{"root": "1.2.246.10.1234567.95.2024.1"}]
    assert fields["service_request"]["code"] == "SP17"


@pytest.mark.parametrize("names", [("doc.xml",), ("frame.xml", "doc.xml"), ("doc.xml", "frame.xml"), ("msg.mime",)])
def test_documents_frames_and_packages_decode(files: dict[str, Path], tmp_path: Path, names: tuple[str, ...]) -> None:
    code, output = decode(files, tmp_path / "out", *names)
    assert code == 0, output
    expected = {"document.json", "envelope.json"} | (
        {"frame.json"} if len(names) == 2 or "msg.mime" in names else set()
    )
    assert written(tmp_path / "out") == expected
    alone = tmp_path / "alone"
    assert decode(files, alone, "doc.xml")[0] == 0
    for name in ("document.json", "envelope.json"):
        assert (tmp_path / "out" / name).read_bytes() == (alone / name).read_bytes()


def test_a_frame_of_another_document_is_a_finding(files: dict[str, Path], tmp_path: Path) -> None:
    other = tmp_path / "other-frame.xml"
    other.write_bytes(frame(encoded(PLAN, 2)))
    code, output = decode(files, tmp_path / "out", str(other), "doc.xml")
    assert code == 1
    assert "[check.frame_mismatch]" in output and "/ClinicalDocument/id" in output
    assert "1.2.246.10.1234567.95.2024" not in output  # the ids are values: never shown


@pytest.mark.parametrize(
    ("names", "says"),
    [
        (("doc.xml", "doc.xml"), "two documents"),
        (("frame.xml", "frame.xml"), "two frames"),
        (("msg.mime", "doc.xml"), "alone"),
    ],
)  # fmt: skip
def test_inputs_that_cannot_go_together_are_refused(
    files: dict[str, Path], tmp_path: Path, names: tuple[str, ...], says: str
) -> None:
    code, output = decode(files, tmp_path / "out", *names)
    assert code == 2 and says in output and output.count("\n") == 1, output
    assert not (tmp_path / "out").exists()


def test_three_files_are_refused(files: dict[str, Path], tmp_path: Path) -> None:
    code, output = decode(files, tmp_path / "out", "doc.xml", "frame.xml", "doc.xml")
    assert code == 2 and "[cda.inputs]" in output


def test_a_file_neither_frame_nor_document_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_bytes(b"<html xmlns='http://www.w3.org/1999/xhtml'><p>131052-308T</p></html>")
    code, output = decode(files, tmp_path / "out", str(other))
    assert code == 2 and "[cda.root]" in output and "131052" not in output


def test_a_hostile_frame_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.xml"
    hostile.write_bytes(b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + files["frame.xml"].read_bytes())
    code, output = decode(files, tmp_path / "out", str(hostile), "doc.xml")
    assert code == 2 and "[cda.doctype]" in output


# ---- --verify --------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def signed() -> bytes:
    signer = make_signer()
    return sign(encoded(PLAN), signer.key, signer.cert, "system", dt.datetime.now(dt.UTC))


def _tampered_json(data: bytes) -> bytes:
    """One byte of the embedded JSON changed, the base64 re-encoded (the XML stays well-formed)."""
    root = etree.fromstring(data)
    carrier = root.find(f".//{{{m.HL7FI}}}{m.JSON_ELEMENT}")
    assert carrier is not None and carrier.text
    raw = bytearray(base64.b64decode(carrier.text))
    at = raw.index(b'":"') + 3  # the first character of the first string value
    raw[at] = ord("A") if raw[at] != ord("A") else ord("B")
    carrier.text = base64.b64encode(bytes(raw)).decode("ascii")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_verify_checks_every_signature(files: dict[str, Path], tmp_path: Path, signed: bytes) -> None:
    files["doc.xml"].write_bytes(signed)
    code, output = decode(files, tmp_path / "out", "doc.xml", extra=("--verify",))
    assert code == 0, output
    assert "1 signature checked" in output


def test_verify_names_the_signature_that_failed(files: dict[str, Path], tmp_path: Path, signed: bytes) -> None:
    files["doc.xml"].write_bytes(_tampered_json(signed))
    code, output = decode(files, tmp_path / "out", "doc.xml", extra=("--verify",))
    assert code == 1
    (line,) = [line for line in output.splitlines() if line.startswith("error: ")]
    assert "hl7fi:signatureCollection/hl7fi:signature/ds:Signature" in line and "signature 1" in line
    assert "[cda.signature.digest_mismatch]" in line


def test_verify_of_an_unsigned_document_checks_none(files: dict[str, Path], tmp_path: Path) -> None:
    code, output = decode(files, tmp_path / "out", "msg.mime", extra=("--verify",))
    assert code == 0 and "0 signatures checked" in output


# ---- the real samples ------------------------------------------------------------------------------------------------
def test_the_sample_frame_decodes(tmp_path: Path) -> None:
    result = run("cda", "decode", str(SAMPLE_FRAME), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    fields = json.loads((tmp_path / "out" / "frame.json").read_text(encoding="utf-8"))
    assert fields["id"] == {"root": "1.2.246.10.27489432.10.0", "extension": "10037140046"}


def test_the_sample_pair_and_its_package_decode(tmp_path: Path) -> None:
    catalog = make_catalog(tmp_path / "catalog", CLIENT_RELATIONSHIP)
    document = sample_bytes(SAMPLE_DOCUMENT)
    mime = tmp_path / "sample.mime"
    mime.write_bytes(package(frame(document, SAMPLE_OPTIONS), document))
    expected = json.loads((SAMPLES / "asiakkuusasiakirja-document.json").read_bytes())
    for label, names in (("pair", (str(SAMPLE_FRAME), str(SAMPLE_DOCUMENT))), ("package", (str(mime),))):
        out = tmp_path / label
        result = run("cda", "decode", *names, "--catalog", str(catalog), "--out", str(out))
        assert result.exit_code in (0, 1), result.output  # 1: the validator's findings of the vendor's JSON
        assert json.loads((out / "document.json").read_bytes()) == expected
        assert written(out) == {"document.json", "envelope.json", "frame.json"}
