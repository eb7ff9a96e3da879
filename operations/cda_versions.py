"""CDA replace and nullify: the next version of an archive document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sosmeta.catalog import Catalog


@dataclass(frozen=True)
class NextVersionRequest:
    kind: Literal["replace", "nullify"]
    old: Path
    out: Path
    reason: str
    reason_system: str | None = None
    reason_display: str | None = None
    document: Path | None = None
    """The new content (replace); None keeps the old content (nullify)."""
    document_id: str | None = None
    when: str | None = None
    changes: Path | None = None
    """Envelope fields that replace the old ones."""
    organisation: Path | None = None
    templates: Path | None = None
    allow_invalid: bool = False


@dataclass(frozen=True)
class NextVersion:
    size: int = 0
    refused: list[Any] = field(default_factory=list)
    """The findings the new content was refused for; empty when it was written."""


def next_version(
    catalog: Callable[[], Catalog], request: NextVersionRequest, signing: Callable[[], Any] = lambda: None
) -> NextVersion:
    """Read the old version, build the next one (`lifecycle.next_version`) and write it (atomically).

    The change is checked before `catalog` and `signing` are called (so its errors come first).
    """
    from sosmeta.generators.cda import inputs, lifecycle
    from sosmeta.generators.cda.codec import DocumentRefused
    from sosmeta.generators.cda.envelope import load_organisation
    from sosmeta.generators.cda.limits import DEFAULT_LIMITS
    from sosmeta.generators.output import atomic_write

    old = request.old
    changes = inputs.read_envelope(request.changes) if request.changes else {}
    reason = (request.reason, request.reason_system, request.reason_display)
    change = lifecycle.change(request.kind, reason, request.when, request.document_id, changes)
    store, signed_with = catalog(), signing()
    try:
        data = lifecycle.next_version(
            inputs.read_bytes(old, DEFAULT_LIMITS.max_bytes),
            change,
            lambda oid: inputs.named_structure(
                store, {"content_specification_id": oid}, str(old), "contentSpecificationId"
            ),
            inputs.read_document(request.document) if request.document else None,
            profile=load_organisation(request.organisation) if request.organisation else None,
            templates=request.templates,
            allow_invalid=request.allow_invalid,
            signing=signed_with,
            source=str(request.document or old),
            old_source=str(old),
        )
    except DocumentRefused as exc:
        return NextVersion(refused=list(exc.problems))
    atomic_write(request.out, data)
    return NextVersion(len(data))
