"""The archiving message: a CDA document wrapped in the HL7 v3 RCMR_IN200002FI01 frame, and unwrapped.

The message's `subject/clinicalDocument` repeats the document's metadata (id, setId, versionNumber,
recordTarget, author, custodian, componentOf are copied from the document itself, so they cannot disagree)
and carries the document as base64. Which codes go into statusCode, completionCode and storageCode is not
published; the defaults are in `mapping` and every one can be given.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
from dataclasses import dataclass

from lxml import etree

from generators.cda import mapping as m
from generators.cda.codec import CLINICAL_DOCUMENT, _b64, _fail, decode, parse_safely
from generators.cda.envelope import Code
from generators.cda.header import format_ts
from generators.cda.limits import DEFAULT_LIMITS, Limits

MESSAGE = f"{{{m.V3}}}{m.MESSAGE_ROOT}"
_V = f"{{{m.V3}}}"


@dataclass(frozen=True)
class FrameOptions:
    processing_mode: str = "T"
    """T = test, P = production."""
    message_id: str | None = None
    """Root OID of the message id; default: the document id (with extension RCMR_IN200002FI01)."""
    created: dt.datetime | None = None
    """Message creation time; default: the document's creation time (so output is deterministic)."""
    sender: str | None = None
    """Sending system's OID; default: the register keeper."""
    receiver: str | None = None
    use_situation: Code | None = None
    status_code: str = m.DEFAULT_STATUS_CODE
    completion_code: str = m.DEFAULT_COMPLETION_CODE
    storage_code: str = m.DEFAULT_STORAGE_CODE


def _sub(parent: etree._Element, name: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, _V + name, attrs)


def _device(parent: etree._Element, role: str, type_code: str, oid: str) -> None:
    device = _sub(_sub(parent, role, typeCode=type_code), "device", classCode="DEV", determinerCode="INSTANCE")
    _sub(device, "id", root=oid)


def frame(
    cda: bytes, options: FrameOptions | None = None, source: str = "document", limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """The archiving message carrying `cda` (which is read safely and must decode). A document larger than
    encode writes is refused, and so is a message decode would refuse."""
    options = options or FrameOptions()
    if options.processing_mode not in ("T", "P"):
        raise _fail(source, "processingModeCode", "processing mode must be T (test) or P (production)", "cda.frame")
    if len(cda) > limits.max_document_bytes:
        raise _fail(
            source,
            "",
            f"document larger than {limits.max_document_bytes} bytes, the most a message carries",
            "cda.too_large",
        )
    envelope = decode(cda, source, limits).envelope
    document = parse_safely(cda, source, limits)
    root = etree.Element(MESSAGE, {"ITSVersion": "XML_1.0"}, nsmap={None: m.V3})
    if options.message_id:
        _sub(root, "id", root=options.message_id)
    else:
        _sub(root, "id", root=envelope.document_id, extension=m.MESSAGE_ROOT)
    _sub(root, "creationTime", value=format_ts(options.created or envelope.creation_time))
    _sub(root, "interactionId", root=m.MESSAGE_INTERACTION_ROOT, extension=m.MESSAGE_ROOT)
    _sub(root, "processingCode", code="D")
    _sub(root, "processingModeCode", code=options.processing_mode)
    _sub(root, "acceptAckCode", code="AL")
    if options.receiver:
        _device(root, "receiver", "RCV", options.receiver)
    _device(root, "sender", "SND", options.sender or envelope.register_keeper.oid)
    act = _sub(root, "controlActProcess", classCode="CACT", moodCode="EVN")
    _sub(act, "reasonCode", code=m.SERVICE_REQUEST_ARCHIVE, codeSystem=m.SERVICE_REQUEST_SYSTEM)
    if options.use_situation is not None:
        use = _sub(act, "reasonCode", code=options.use_situation.code, codeSystem=m.USE_SITUATION_SYSTEM)
        if options.use_situation.display:
            use.set("displayName", options.use_situation.display)
    subject = _sub(_sub(act, "subject", typeCode="SUBJ"), "clinicalDocument", classCode="DOCCLIN", moodCode="EVN")
    _sub(subject, "id", root=envelope.document_id)
    _sub(subject, "code", code=envelope.registry.code, codeSystem=m.REGISTRY_TYPE_SYSTEM)
    text = _sub(subject, "text", mediaType="text/xml", representation="B64")
    text.text = base64.b64encode(cda).decode("ascii")
    _sub(subject, "statusCode", code=options.status_code)
    _sub(subject, "setId", root=envelope.set_id or envelope.document_id)
    _sub(subject, "versionNumber", value=str(envelope.version_number))
    _sub(subject, "completionCode", code=options.completion_code, codeSystem=m.COMPLETION_SYSTEM)
    _sub(subject, "storageCode", code=options.storage_code, codeSystem=m.STORAGE_SYSTEM)
    for part in m.MESSAGE_COPIED_PARTS:
        for element in document.findall(_V + part):
            subject.append(_bare(element))
    message: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    if len(message) > limits.max_bytes:
        raise _fail(source, "", f"the message would be larger than {limits.max_bytes} bytes", "cda.too_large")
    return message


def _bare(element: etree._Element) -> etree._Element:
    """A copy without layout whitespace (so the message can be indented afresh and compared)."""
    out = copy.deepcopy(element)
    for node in out.iter():
        if node.text is not None and not node.text.strip() and len(node):
            node.text = None
        if node.tail is not None and not node.tail.strip():
            node.tail = None
    return out


def _canonical(element: etree._Element) -> bytes:
    return etree.tostring(_bare(element), method="c14n", exclusive=True, with_tail=False)


def is_message(root: etree._Element) -> bool:
    return root.tag == MESSAGE


def unwrap(message: bytes, source: str = "message", limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The CDA document an archiving message carries (a plain CDA document is returned as it is)."""
    root = parse_safely(message, source, limits)
    if root.tag == CLINICAL_DOCUMENT:
        return message
    if not is_message(root):
        raise _fail(source, "/", f"the root element is neither ClinicalDocument nor {m.MESSAGE_ROOT}", "cda.root")
    text = root.find(f"{_V}controlActProcess/{_V}subject/{_V}clinicalDocument/{_V}text")
    location = "controlActProcess/subject/clinicalDocument/text"
    if text is None:
        raise _fail(source, location, "the message carries no document", "cda.frame")
    return _b64(text.text, source, location, limits.max_bytes)


def inconsistencies(message: bytes, source: str = "message") -> list[str]:
    """Places where the message's metadata differs from the document it carries (empty when consistent)."""
    root = parse_safely(message, source)
    document = parse_safely(unwrap(message, source), source)
    subject = root.find(f"{_V}controlActProcess/{_V}subject/{_V}clinicalDocument")
    if subject is None:
        return ["controlActProcess/subject/clinicalDocument missing"]
    out = []
    for name in ("id", "setId", "versionNumber", *m.MESSAGE_COPIED_PARTS):
        mine, theirs = subject.find(_V + name), document.find(_V + name)
        if mine is None or theirs is None or _canonical(mine) != _canonical(theirs):
            out.append(name)
    return out
