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


_PIECE = re.compile(re.escape(_BOUNDARY.encode("ascii")) + b"|" + _FRAME_MARK + b"|" + _DOCUMENT_MARK + b"|" + b"\x03")
_KINDS = {_BOUNDARY.encode("ascii"): 0, b"\x03": 1, _FRAME_MARK: 2, _DOCUMENT_MARK: 3}
"""What goes between a template's literal parts: the boundary, the document id, the frame's and the document's
base64 (the values in `fast_package`'s order)."""


class _Template:
    """A package's bytes for one shape of document id, as a format string (`%` joins in C) and the value each
    of its places takes."""

    def __init__(self, data: bytes, shape: str) -> None:
        marked = data.replace(base64.b64encode(_FRAME_MARK) + b"\r\n", _FRAME_MARK)
        marked = marked.replace(base64.b64encode(_DOCUMENT_MARK) + b"\r\n", _DOCUMENT_MARK)
        marked = marked.replace(shape.encode("ascii"), b"\x03")
        literals = _PIECE.split(marked)
        self.kinds = [_KINDS[found] for found in _PIECE.findall(marked)]
        self.format = b"%s".join(literal.replace(b"%", b"%%") for literal in literals)


@lru_cache(maxsize=256)
def _template(shape: str) -> _Template | None:
    """The package around the two bodies, for a document id of this shape (as `package` makes it); None when the
    id is so long that the header splits it (RFC 2231 continuations): `package` itself is used then."""
    message = EmailMessage(policy=pkg.POLICY)
    message["MIME-Version"] = "1.0"
    message.make_related()
    message.set_boundary(_BOUNDARY)
    message.set_param("type", "/".join(pkg.PART_TYPE))
    message.set_param("start", f"<{pkg.frame_content_id(shape)}>")
    message.attach(pkg._part(_FRAME_MARK, pkg.frame_content_id(shape)))
    message.attach(pkg._part(_DOCUMENT_MARK, pkg.document_content_id(shape)))
    data = message.as_bytes()
    if data.count(shape.encode("ascii")) != 3 or b"\x03" in data:
        return None  # the id is not whole in the start parameter and the two Content-IDs
    template = _Template(data, shape)
    return template if template.kinds.count(2) == template.kinds.count(3) == 1 else None


_LINE = re.compile(b".{1,76}", re.DOTALL)


def _body(data: bytes) -> bytes:
    """`base64.encodebytes(data)` with CRLF line ends: 76 characters (57 bytes) a line, as email.contentmanager
    writes base64 (max_line_length 78), the last line ended too; encoded whole, then cut (a third faster)."""
    text = base64.b64encode(data)
    return b"\r\n".join(_LINE.findall(text)) + b"\r\n" if text else b""


def fast_package(
    frame_xml: bytes, document_xml: bytes, document_id: str, source: str = "frame", limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """`package.package(frame_xml, document_xml)` for a frame made by `frame.frame` of the document whose id is
    `document_id` (its text refers to the document's part by `package.document_content_id`)."""
    if len(document_xml) > limits.max_document_bytes:
        raise CdaInputError(
            [Problem(source, "", f"document larger than {limits.max_document_bytes} bytes", "cda.too_large")]
        )
    template = _template(_placeholder(document_id))
    if template is None:
        return pkg.package(frame_xml, document_xml, source, limits)
    digest = hashlib.sha256(frame_xml)  # of frame, NUL, document, as `package` names the boundary
    digest.update(b"\0")
    digest.update(document_xml)
    values = (
        ("sosmeta-" + digest.hexdigest()[:40]).encode("ascii"),
        document_id.encode("ascii"),
        _body(frame_xml),
        _body(document_xml),
    )
    data: bytes = template.format % tuple([values[kind] for kind in template.kinds])
    if len(data) > limits.max_bytes:
        raise CdaInputError(
            [Problem(source, "", f"the package would be larger than {limits.max_bytes} bytes", "cda.too_large")]
        )
    return data
