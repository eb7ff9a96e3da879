"""What arrives: a document, a frame, both (two files, in either order) or a package carrying both, told
apart by their content; and `cda decode` of it (document.json and envelope.json by `codec.decode`, frame.json
by `frame.read_frame`).

Every file is read bounded (`safeio.reading.read_bounded`, `Limits.max_bytes`) and parsed only by the
hardened parser; errors name the file and the place, never a value.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sosmeta.catalog import Catalog
from sosmeta.generators.cda import codesystems as cs
from sosmeta.generators.cda.codec import CdaInputError, parse_safely
from sosmeta.generators.cda.limits import DEFAULT_LIMITS, Limits
from sosmeta.generators.cda.localnames import local
from sosmeta.generators.cda.package import looks_like_package, unpack
from sosmeta.safeio.reading import read_bounded
from sosmeta.sosmeta_import.errors import Problem

Kind = Literal["document", "frame", "package"]


@dataclass(frozen=True)
class Incoming:
    """A document and/or a frame with the names of the files they came from (a package names both parts
    `FILE#frame` and `FILE#document`)."""

    document: bytes | None = None
    document_source: str = "document"
    frame: bytes | None = None
    frame_source: str = "frame"
    document_cid: str | None = None
    """The document part's Content-ID, when both came in one package."""


def _fail(source: str, location: str, message: str, code: str = "cda.inputs") -> CdaInputError:
    return CdaInputError([Problem(source, location, message, code)])


def kind_of(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Kind:
    """What the bytes are, by their content: XML with a ClinicalDocument or RCMR_IN200002FI01 root, or MIME."""
    if looks_like_package(data):
        return "package"
    name = local(parse_safely(data, source, limits))
    if name == "ClinicalDocument":
        return "document"
    if name == cs.MESSAGE_TYPE:
        return "frame"
    raise _fail(source, "/", f"the root element is neither ClinicalDocument nor {cs.MESSAGE_TYPE}", "cda.root")


def gather(files: Sequence[tuple[bytes, str]], limits: Limits = DEFAULT_LIMITS) -> Incoming:
    """One package, one document, one frame, or a frame and a document (either order)."""
    if not 1 <= len(files) <= 2:
        raise _fail("", "", "give a document, a frame, both, or a package")
    found: dict[str, tuple[bytes, str]] = {}
    cid = None
    for data, source in files:
        kind = kind_of(data, source, limits)
        if kind == "package":
            if len(files) != 1:
                raise _fail(source, "", "a package already carries frame and document: give it alone")
            parts = unpack(data, source, limits)
            found = {"frame": (parts.frame, f"{source}#frame"), "document": (parts.document, f"{source}#document")}
            cid = parts.document_cid
            for part, (content, name) in found.items():
                if kind_of(content, name, limits) != part:
                    raise _fail(name, "", f"the package's {part} part is not a {part}", "cda.package")
            continue
        if kind in found:
            raise _fail(source, "", f"two {kind}s given: give at most one document and one frame")
        found[kind] = (data, source)
    document, frame = found.get("document"), found.get("frame")
    return Incoming(
        document=document[0] if document else None,
        document_source=document[1] if document else "document",
        frame=frame[0] if frame else None,
        frame_source=frame[1] if frame else "frame",
        document_cid=cid,
    )


def read_incoming(paths: Sequence[Path], limits: Limits = DEFAULT_LIMITS) -> Incoming:
    return gather([(read_bounded(p, limits.max_bytes, str(p)), str(p)) for p in paths], limits)


# ---- decode ---------------------------------------------------------------------------------------------------------
@dataclass
class DecodeOutcome:
    """What `decode_incoming` wrote and found (severity, problem) in the order found."""

    written: list[Path] = field(default_factory=list)
    structure: str | None = None
    findings: list[tuple[str, Problem]] = field(default_factory=list)
    signatures: int | None = None
    """How many signatures were verified (None: not asked)."""

    @property
    def failed(self) -> bool:
        return any(severity == "error" for severity, _ in self.findings)


def _dump(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def decode_incoming(
    incoming: Incoming,
    out: Path,
    catalog: Catalog | None = None,
    *,
    verify: bool = False,
    at: dt.datetime | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> DecodeOutcome:
    """Write OUT/document.json and OUT/envelope.json (a document: `codec.decode`, then its findings against the
    structure in `catalog`) and OUT/frame.json (a frame); with both, their disagreements are findings; with
    `verify`, every signature of the document is checked (`signing.verify`)."""
    from sosmeta.generators.cda import inputs
    from sosmeta.generators.cda.codec import check, decode
    from sosmeta.generators.cda.frame import read_frame
    from sosmeta.generators.cda.header import location_of
    from sosmeta.generators.output import atomic_write
    from sosmeta.safeio.paths import inside

    outcome = DecodeOutcome()
    writes: list[tuple[str, bytes]] = []
    if incoming.frame is not None:
        frame_root = parse_safely(incoming.frame, incoming.frame_source, limits)
        writes.append(("frame.json", _dump(read_frame(frame_root))))
    if incoming.document is not None:
        decoded = decode(incoming.document, incoming.document_source, limits)
        if catalog is None:
            raise _fail(incoming.document_source, "", "decoding a document needs the catalog of its structure")
        header = {"content_specification_id": decoded.envelope.content_specification_id}
        where = location_of("content_specification_id")
        structure = inputs.named_structure(catalog, header, incoming.document_source, where)
        outcome.structure = structure.version_oid
        writes.append(("document.json", _dump(decoded.document)))
        writes.append(("envelope.json", _dump(decoded.envelope.model_dump(mode="json", exclude_none=True))))
        for issue in check(decoded, structure):
            problem = Problem(incoming.document_source, issue.pointer or "/", issue.message, issue.code)
            outcome.findings.append((issue.severity, problem))
    if incoming.frame is not None and incoming.document is not None:
        outcome.findings += _agreement(incoming, limits)
    if verify and incoming.document is not None:
        from sosmeta.generators.cda.signing import verify as verify_signatures

        results = verify_signatures(incoming.document, at, source=incoming.document_source, limits=limits)
        outcome.signatures = len(results)
        outcome.findings += [("error", r.problem(incoming.document_source)) for r in results if not r.ok]
    for name, data in writes:  # only after everything was read: a refused input writes nothing
        target = inside(out, name)
        atomic_write(target, data)
        outcome.written.append(target)
    return outcome


def _agreement(incoming: Incoming, limits: Limits) -> list[tuple[str, Problem]]:
    from sosmeta.generators.cda.preflight import Findings, agreement, parse_document, parse_frame, reference

    assert incoming.frame is not None and incoming.document is not None
    found = Findings()
    frame = parse_frame(incoming.frame, incoming.frame_source, limits)
    agreement(frame, parse_document(incoming.document, incoming.document_source, limits), incoming.frame_source, found)
    if incoming.document_cid is not None:
        reference(frame, incoming.frame_source, incoming.document_cid, found)
    return [(f.severity, f.problem("en")) for f in found.items]
