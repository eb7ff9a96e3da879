"""The package (generators.cda.package): frame and document in one MIME multipart/related message, made and
read back exactly; packages written by other tools read; broken and hostile packages refused with one located
line (exit 2), never a traceback."""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sosmeta.generators.cda.codec import CdaInputError
from sosmeta.generators.cda.frame import frame
from sosmeta.generators.cda.incoming import gather
from sosmeta.generators.cda.package import document_content_id, looks_like_package, package, unpack
from tests.cda_frame_support import SAMPLE_DOCUMENT, SAMPLE_FRAME, SAMPLE_OPTIONS, run, sample_bytes

DOCUMENT_ID = "1.2.246.10.32213561.95777.2026.688883.2809773"


@pytest.fixture(scope="module")
def parts() -> tuple[bytes, bytes]:
    document = sample_bytes(SAMPLE_DOCUMENT)
    return frame(document, SAMPLE_OPTIONS), document


def test_a_package_reads_back_to_the_same_frame_and_document(parts: tuple[bytes, bytes]) -> None:
    framed, document = parts
    data = package(framed, document)
    back = unpack(data)
    assert (back.frame, back.document) == parts
    assert back.document_cid == document_content_id(DOCUMENT_ID)
    assert f'<reference value="cid:{back.document_cid}"/>'.encode() in framed
    assert data == package(framed, document)  # deterministic
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # CRLF line ends only
    assert data.startswith(b"MIME-Version: 1.0\r\nContent-Type: multipart/related;")
    assert looks_like_package(data) and not looks_like_package(document)


@settings(max_examples=30, deadline=None)
@given(document=st.binary(min_size=1, max_size=3000))
def test_any_document_bytes_travel_unchanged(parts: tuple[bytes, bytes], document: bytes) -> None:
    back = unpack(package(parts[0], document))
    assert back.document == document and back.frame == parts[0]


def test_a_frame_without_our_reference_gets_the_content_id_of_its_document_id() -> None:
    data = package(sample_bytes(SAMPLE_FRAME), sample_bytes(SAMPLE_DOCUMENT))  # the vendor's mimeEncode reference
    assert unpack(data).document_cid == document_content_id(DOCUMENT_ID)


def _mime(*parts: tuple[str, bytes], header: str = "", boundary: str = "b0und", close: bool = True) -> bytes:
    """A package written by hand, as another tool might (each part: its headers and its body)."""
    lines = [
        "MIME-Version: 1.0",
        header or f'Content-Type: multipart/related; boundary="{boundary}"; type="application/xml"',
        "",
    ]
    out = "\r\n".join(lines).encode()
    for headers, body in parts:
        out += f"\r\n--{boundary}\r\n{headers}\r\n\r\n".encode() + body
    return out + (f"\r\n--{boundary}--\r\n".encode() if close else b"")


def _b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


XML_B64 = "Content-Type: application/xml\r\nContent-Transfer-Encoding: base64"


@pytest.mark.parametrize("encoding", ["8bit", "binary", "quoted-printable", "base64"])
def test_packages_of_other_writers_are_read(parts: tuple[bytes, bytes], encoding: str) -> None:
    def body(data: bytes) -> bytes:
        if encoding == "base64":
            return _b64(data)
        if encoding == "quoted-printable":
            return quopri.encodestring(data)
        return data.replace(b"\n", b"\r\n")

    headers = f"Content-Type: text/xml; charset=utf-8\r\nContent-Transfer-Encoding: {encoding}"
    data = _mime(
        (headers + "\r\nContent-ID: <f@x>", body(parts[0])), (headers + "\r\nContent-ID: <d@x>", body(parts[1]))
    )
    back = unpack(data)
    normal = (parts[0], parts[1]) if encoding in ("base64", "quoted-printable") else None
    if normal:
        assert (back.frame, back.document) == normal
    assert back.document_cid == "d@x"
    incoming = gather([(data, "p.mime")])
    assert incoming.frame is not None and incoming.document is not None


def test_the_start_parameter_names_the_frame_even_when_it_comes_second(parts: tuple[bytes, bytes]) -> None:
    header = 'Content-Type: multipart/related; boundary="b0und"; start="<f@x>"'
    data = _mime(
        (f"{XML_B64}\r\nContent-ID: <d@x>", _b64(parts[1])),
        (f"{XML_B64}\r\nContent-ID: <f@x>", _b64(parts[0])),
        header=header,
    )
    back = unpack(data)
    assert (back.frame, back.document) == parts


HOSTILE = {
    "three parts": lambda f, d: _mime((XML_B64, _b64(f)), (XML_B64, _b64(d)), (XML_B64, _b64(d))),
    "one part": lambda f, d: _mime((XML_B64, _b64(f))),
    "nested multipart": lambda f, d: _mime(
        (XML_B64, _b64(f)),
        (
            'Content-Type: multipart/related; boundary="inner"',
            b"--inner\r\n" + XML_B64.encode() + b"\r\n\r\n" + _b64(d) + b"\r\n--inner--",
        ),
    ),
    "not closed (truncated)": lambda f, d: _mime((XML_B64, _b64(f)), (XML_B64, _b64(d)[:-40]), close=False),
    "no boundary found": lambda f, d: _mime((XML_B64, _b64(f)), (XML_B64, _b64(d))).replace(b"--b0und", b"--other"),
    "bad base64": lambda f, d: _mime((XML_B64, _b64(f)), (XML_B64, b"!!!not base64 at all***\r\n")),
    "start names no part": lambda f, d: _mime(
        (XML_B64, _b64(f)),
        (XML_B64, _b64(d)),
        header='Content-Type: multipart/related; boundary="b0und"; start="<nobody@x>"',
    ),
    "not multipart/related": lambda f, d: b"Content-Type: text/plain\r\n\r\n" + d,
    "no MIME at all": lambda f, d: b"just some text, 131052-308T\r\n",
    "an empty part": lambda f, d: _mime((XML_B64, _b64(f)), (XML_B64, b"")),
    "two frames": lambda f, d: _mime((XML_B64, _b64(f)), (XML_B64, _b64(f))),
    "two documents": lambda f, d: _mime((XML_B64, _b64(d)), (XML_B64, _b64(d))),
    "frame part not XML": lambda f, d: _mime((XML_B64, _b64(b"hello 131052-308T")), (XML_B64, _b64(d))),
    "a DOCTYPE in the document part": lambda f, d: _mime(
        (XML_B64, _b64(f)), (XML_B64, _b64(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + d))
    ),
    "a header line without a colon": lambda f, d: _mime(
        (XML_B64 + "\r\nnot a header 131052", _b64(f)), (XML_B64, _b64(d))
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_broken_or_hostile_package_is_refused_with_one_line(
    tmp_path: Path, parts: tuple[bytes, bytes], case: str
) -> None:
    data = HOSTILE[case](*parts)
    with pytest.raises(CdaInputError):
        gather([(data, "p.mime")])
    path = tmp_path / "p.mime"
    path.write_bytes(data)
    result = run("cda", "decode", str(path), "--catalog", str(tmp_path / "nocat"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: "), result.output
    assert "131052" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_package_is_given_alone(tmp_path: Path, parts: tuple[bytes, bytes]) -> None:
    with pytest.raises(CdaInputError, match="give it alone"):
        gather([(package(*parts), "p.mime"), (parts[1], "doc.xml")])


def test_a_package_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.mime"
    with big.open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)
    result = run("cda", "decode", str(big), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "file.too_large" in result.output


def test_a_document_larger_than_encode_writes_is_not_packaged(parts: tuple[bytes, bytes]) -> None:
    from sosmeta.generators.cda.limits import Limits

    with pytest.raises(CdaInputError, match="larger than"):
        package(parts[0], parts[1], limits=Limits(max_document_bytes=1000))
