"""CDA decode and check: what arrives (a document, its frame, both, or a package) read back or checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sosmeta.catalog import Catalog


class NoDocument(ValueError):
    """The files hold a frame but no document (a usage error for commands that need one)."""


def decode(files: tuple[Path, ...], out: Path, catalog: Callable[[], Catalog], *, verify: bool = False) -> Any:
    """Write OUT/document.json, OUT/envelope.json and OUT/frame.json of what `files` hold.

    Returns the `generators.cda.incoming.DecodeOutcome` (files written, findings, signatures checked).
    `catalog` is called only when there is a document to check.
    """
    from sosmeta.generators.cda.incoming import decode_incoming, read_incoming

    incoming = read_incoming(files)
    return decode_incoming(incoming, out, catalog() if incoming.document is not None else None, verify=verify)


def preflight(
    files: tuple[Path, ...],
    catalog: Callable[[], Catalog],
    *,
    mode: str | None = None,
    signatures: bool = True,
    unstructured: bool | None = None,
) -> tuple[Any, str]:
    """The pre-flight report of [FRAME] DOCUMENT (or a package), and the document's source name (`unstructured`:
    see `preflight.check`)."""
    from sosmeta.generators.cda.incoming import read_incoming
    from sosmeta.generators.cda.preflight import Message, check

    incoming = read_incoming(files)
    if incoming.document is None:
        raise NoDocument("give the document (and its frame), or a package")
    message = Message(
        incoming.document, incoming.document_source, incoming.frame, incoming.frame_source, incoming.document_cid
    )
    report = check(message, catalog(), mode=mode, signatures=signatures, unstructured=unstructured)
    return report, incoming.document_source
