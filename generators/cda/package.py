"""The package: frame and document in one MIME multipart/related message (RFC 2387), made and read with
Python's email package.

How Kanta's traffic carries the two together is not published (kanta-cda.md): the sample frame's `text` has
`mediaType="multipart/related"` and a vendor-specific reference. This is our choice, documented in docs/cda.md
(Package), and only here:

* `Content-Type: multipart/related; type="application/xml"; start="<frame Content-ID>"`, the frame first (the
  root part), then the document; each part `application/xml`, base64 (so no line-length or boundary question),
  with a Content-ID: `<{document id}.frame@sosmeta>` and `<{document id}.cda@sosmeta>`.
* the frame's `subject/clinicalDocument/text` holds `<reference value="cid:{document's Content-ID}"/>`.
* CRLF line ends; the boundary is derived from the contents (deterministic output; base64 never holds `-`, so
  the boundary cannot occur in a part).

Reading accepts any Content-Transfer-Encoding the email package decodes and refuses anything but exactly two
non-multipart parts, or a message the parser found defects in (a missing boundary, a truncated message, bad
base64). Errors name the package and the part, never a value.
"""

from __future__ import annotations

import email.policy
import hashlib
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.parser import BytesParser

from sosmeta.generators.cda.codec import CdaInputError, parse_safely
from sosmeta.generators.cda.codesystems import MESSAGE_TYPE
from sosmeta.generators.cda.limits import DEFAULT_LIMITS, Limits
from sosmeta.generators.cda.localnames import attr, find, local
from sosmeta.sosmeta_import.errors import Problem

POLICY = email.policy.SMTP  # CRLF line ends, as MIME over HTTP
PART_TYPE = ("application", "xml")
CID_DOMAIN = "sosmeta"


def document_content_id(document_id: str) -> str:
    """The Content-ID (without angle brackets) of a document's part, which the frame's text refers to."""
    return f"{document_id}.cda@{CID_DOMAIN}"


def frame_content_id(document_id: str) -> str:
    return f"{document_id}.frame@{CID_DOMAIN}"


def _fail(source: str, location: str, message: str) -> CdaInputError:
    return CdaInputError([Problem(source, location, message, "cda.package")])


def _part(data: bytes, cid: str) -> EmailMessage:
    part = EmailMessage(policy=POLICY)
    part.set_content(data, maintype=PART_TYPE[0], subtype=PART_TYPE[1], cte="base64", cid=f"<{cid}>")
    del part["MIME-Version"]
    return part


def _content_ids(frame_xml: bytes, source: str, limits: Limits) -> tuple[str, str]:
    """The frame's and the document's Content-IDs: the document's is the one the frame's text refers to (so the
    two agree by construction), else made from the document id the frame names."""
    frame = parse_safely(frame_xml, source, limits)
    subject = find(frame, "controlActProcess/subject/clinicalDocument")
    document_id = attr(subject, "id", "root")
    if local(frame) != MESSAGE_TYPE or not document_id:
        raise _fail(source, "/", f"not a frame ({MESSAGE_TYPE}) naming its document's id")
    reference = attr(subject, "text/reference", "value") or ""
    cited = reference.removeprefix("cid:") if reference.startswith("cid:") else None
    return frame_content_id(document_id), cited or document_content_id(document_id)


def package(frame_xml: bytes, document_xml: bytes, source: str = "frame", limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The MIME multipart/related message carrying `frame_xml` (root part) and `document_xml`."""
    if len(document_xml) > limits.max_document_bytes:
        raise CdaInputError(
            [Problem(source, "", f"document larger than {limits.max_document_bytes} bytes", "cda.too_large")]
        )
    frame_cid, document_cid = _content_ids(frame_xml, source, limits)
    message = EmailMessage(policy=POLICY)
    message["MIME-Version"] = "1.0"
    message.make_related()
    message.set_boundary("sosmeta-" + hashlib.sha256(frame_xml + b"\0" + document_xml).hexdigest()[:40])
    message.set_param("type", "/".join(PART_TYPE))
    message.set_param("start", f"<{frame_cid}>")
    message.attach(_part(frame_xml, frame_cid))
    message.attach(_part(document_xml, document_cid))
    data = message.as_bytes()
    if len(data) > limits.max_bytes:
        message_ = f"the package would be larger than {limits.max_bytes} bytes"
        raise CdaInputError([Problem(source, "", message_, "cda.too_large")])
    return data


def looks_like_package(data: bytes) -> bool:
    """Whether `data` is a MIME message rather than XML (which starts with `<` after any BOM and whitespace)."""
    return not data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


@dataclass(frozen=True)
class Parts:
    frame: bytes
    document: bytes
    frame_cid: str | None
    document_cid: str | None


def _cid(part: Message) -> str | None:
    value = part.get("Content-ID")
    return str(value).strip().removeprefix("<").removesuffix(">") if value else None


def unpack(data: bytes, source: str = "package", limits: Limits = DEFAULT_LIMITS) -> Parts:
    """The frame (the root part: the one `start` names, else the first) and the document of a package."""
    if len(data) > limits.max_bytes:
        raise CdaInputError([Problem(source, "", f"package larger than {limits.max_bytes} bytes", "cda.too_large")])
    message = BytesParser(policy=email.policy.default).parsebytes(data)
    if message.get_content_type() != "multipart/related":
        raise _fail(source, "Content-Type", "neither XML nor a MIME multipart/related package")
    payload = message.get_payload()
    parts: list[Message] = [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []
    if len(parts) != 2:
        raise _fail(source, "", f"a package carries a frame and a document (2 parts), this one {len(parts)}")
    if any(p.is_multipart() for p in parts):
        raise _fail(source, "", "a part of the package is itself multipart")
    start = message.get_param("start")
    start_cid = str(start).strip().removeprefix("<").removesuffix(">") if isinstance(start, str) else None
    roots = [p for p in parts if start_cid is not None and _cid(p) == start_cid]
    if start_cid is not None and len(roots) != 1:
        raise _fail(source, "Content-Type@start", "the start parameter names no part of the package")
    frame_part = roots[0] if roots else parts[0]
    document_part = parts[1] if frame_part is parts[0] else parts[0]
    payloads = []
    for where, part in (("frame part", frame_part), ("document part", document_part)):
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes) or not content:
            raise _fail(source, where, "an empty part")
        payloads.append(content)
    # after decoding: bad base64 is found only then
    for where, part in (("", message), ("part 1", parts[0]), ("part 2", parts[1])):
        if part.defects:  # a missing or unclosed boundary, bad base64, a header without a colon, ...
            names = ", ".join(sorted({type(d).__name__ for d in part.defects}))
            raise _fail(source, where, f"malformed MIME ({names})")
    return Parts(payloads[0], payloads[1], _cid(frame_part), _cid(document_part))
