"""The package (`generators.cda.package.package`) of a frame and document, byte for byte, without building an
email message per document.

Making a MIME message with Python's email package costs about 20 times what encoding the document does, and a
migration writes millions of them. Everything of a package but the two base64 bodies, the boundary and the
document id is the same for every document whose id has the same shape, so the email package makes it once per
shape (digits stand for digits: the header folding depends on lengths only) and the bodies are put in between.
`tests/test_migrate_fastpackage.py` checks that the bytes equal `package.package`'s.
"""

from __future__ import annotations

import base64
import hashlib
import re
from email.message import EmailMessage
from functools import lru_cache

from sosmeta.generators.cda import package as pkg
from sosmeta.generators.cda.limits import DEFAULT_LIMITS, Limits
from sosmeta.generators.cda.safexml import CdaInputError
from sosmeta.sosmeta_import.errors import Problem

_BOUNDARY = "sosmeta-" + "a" * 40
_FRAME_MARK, _DOCUMENT_MARK = b"\x01", b"\x02"
_DIGIT = re.compile(r"[0-9]")


def _placeholder(document_id: str) -> str:
    return _DIGIT.sub("7", document_id)


@lru_cache(maxsize=256)
def _template(shape: str) -> tuple[bytes, bytes, bytes] | None:
    """The package's bytes around the two bodies, for a document id of this shape (as `package` makes it); None
    when the id is so long that the header splits it (RFC 2231 continuations): `package` itself is used then."""
    message = EmailMessage(policy=pkg.POLICY)
    message["MIME-Version"] = "1.0"
    message.make_related()
    message.set_boundary(_BOUNDARY)
    message.set_param("type", "/".join(pkg.PART_TYPE))
    message.set_param("start", f"<{pkg.frame_content_id(shape)}>")
    message.attach(pkg._part(_FRAME_MARK, pkg.frame_content_id(shape)))
    message.attach(pkg._part(_DOCUMENT_MARK, pkg.document_content_id(shape)))
    data = message.as_bytes()
    head, rest = data.split(base64.b64encode(_FRAME_MARK) + b"\r\n")
    middle, tail = rest.split(base64.b64encode(_DOCUMENT_MARK) + b"\r\n")
    if b"".join((head, middle, tail)).count(shape.encode("ascii")) != 3:  # start, and the two Content-IDs
        return None
    return head, middle, tail


def _body(data: bytes) -> bytes:
    """`base64.encodebytes(data)` with CRLF line ends: 76 characters (57 bytes) a line, as email.contentmanager
    writes base64 (max_line_length 78), the last line ended too; encoded whole, then cut (a third faster)."""
    text = base64.b64encode(data)
    return b"".join([text[start : start + 76] + b"\r\n" for start in range(0, len(text), 76)])


def fast_package(
    frame_xml: bytes, document_xml: bytes, document_id: str, source: str = "frame", limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """`package.package(frame_xml, document_xml)` for a frame made by `frame.frame` of the document whose id is
    `document_id` (its text refers to the document's part by `package.document_content_id`)."""
    if len(document_xml) > limits.max_document_bytes:
        raise CdaInputError(
            [Problem(source, "", f"document larger than {limits.max_document_bytes} bytes", "cda.too_large")]
        )
    shape = _placeholder(document_id)
    template = _template(shape)
    if template is None:
        return pkg.package(frame_xml, document_xml, source, limits)
    head, middle, tail = template
    digest = hashlib.sha256(frame_xml)  # of frame, NUL, document, as `package` names the boundary
    digest.update(b"\0")
    digest.update(document_xml)
    boundary = ("sosmeta-" + digest.hexdigest()[:40]).encode("ascii")
    real, fake = document_id.encode("ascii"), shape.encode("ascii")
    parts = [p.replace(_BOUNDARY.encode("ascii"), boundary).replace(fake, real) for p in (head, middle, tail)]
    data = b"".join((parts[0], _body(frame_xml), parts[1], _body(document_xml), parts[2]))
    if len(data) > limits.max_bytes:
        raise CdaInputError(
            [Problem(source, "", f"the package would be larger than {limits.max_bytes} bytes", "cda.too_large")]
        )
    return data
