"""The versions of an archived document: the next version that replaces it, and the version that nullifies it.

Kanta keeps every version. A replacement is a new document (its own id) in the same set (`setId`), with the next
`versionNumber`, `relatedDocument typeCode="RPLC"` naming the replaced version and the reason of correction; a
nullification (mitätöinti) is such a version too, carrying the old content and the nullification reason. Both
keep every header field of the old version unless told otherwise, except what belongs to the old version alone:
its id, its times and its signatures (`mapping.OWN_TO_A_VERSION`). Where each goes in the XML is in
`mapping.HEADER` (replaces, replacement_reason, nullification); what is published and what is our choice:
docs/cda.md (Versions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.codec import Signing, decode, encode
from sosmeta.generators.cda.envelope import MAX_VERSION, Code, Envelope, envelope_problems
from sosmeta.generators.cda.limits import DEFAULT_LIMITS, Limits
from sosmeta.generators.cda.safexml import CdaInputError, fail
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation

Kind = Literal["replace", "nullify"]


@dataclass(frozen=True)
class Change:
    """What makes the next version: replace (a new document) or nullify, its reason and time, and what is told
    otherwise (`document_id`: default `mapping.NEXT_VERSION_ID`; `fields`: envelope fields that replace the old
    version's)."""

    kind: Kind
    reason: Code
    when: dt.datetime
    """The new version's creation and drafting time (aware, whole seconds); not before the old version's."""
    document_id: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)


def change(
    kind: str,
    reason: tuple[str, str | None, str | None],
    when: str | None = None,
    document_id: str | None = None,
    fields: Mapping[str, Any] | None = None,
) -> Change:
    """A Change from command-line texts: the reason's code, system and display; `when` ISO 8601 with a zone
    offset (default: now, whole seconds). Errors name the option, never its value."""
    if kind not in ("replace", "nullify"):
        raise ValueError("kind is replace or nullify")
    code, system, display = reason
    try:
        reason_code = Code(code=code, system=system, display=display)
    except ValidationError:
        raise fail(
            "--reason", "", "not a code (an OID system, no spaces or control characters)", "cda.lifecycle"
        ) from None
    try:
        moment = dt.datetime.fromisoformat(when) if when else dt.datetime.now().astimezone()
    except ValueError:
        raise fail("--time", "", "not an ISO 8601 time", "cda.lifecycle") from None
    if moment.utcoffset() is None:
        raise fail("--time", "", "needs a zone offset (e.g. +02:00)", "cda.lifecycle")
    return Change(kind, reason_code, moment.replace(microsecond=0), document_id, dict(fields or {}))  # type: ignore[arg-type]


def next_id(old: Envelope) -> str:
    return m.NEXT_VERSION_ID.format(set_id=old.set_id or old.document_id, version_number=old.version_number + 1)


def next_envelope(old: Envelope, change: Change, source: str = "document") -> Envelope:
    """The envelope of the version after `old`: every field kept unless `change` says otherwise."""
    if old.version_number >= MAX_VERSION:
        raise fail(source, "versionNumber@value", f"no version after {MAX_VERSION}", "cda.lifecycle")
    if change.when.utcoffset() is None:
        raise fail(source, "time", "a version's time needs a time zone", "cda.lifecycle")
    if change.when < old.creation_time:
        raise fail(source, "fi:localSocialHeader/fi:creationTime", "the new version would be older", "cda.lifecycle")
    data = old.model_dump(exclude=set(m.OWN_TO_A_VERSION))
    data.update(
        document_id=change.document_id or next_id(old),
        set_id=old.set_id or old.document_id,
        version_number=old.version_number + 1,
        replaces=old.document_id,
        creation_time=change.when,
        drafting_time=change.when,
        replacement_reason=change.reason if change.kind == "replace" else None,
        nullification={"reason": change.reason, "time": change.when} if change.kind == "nullify" else None,
    )
    data.update(change.fields)
    if data["document_id"] in (old.document_id, data["set_id"]):
        raise fail(source, "/document_id", "a new version needs an id of its own", "cda.lifecycle")
    try:
        return Envelope.model_validate(data)
    except ValidationError as exc:
        raise CdaInputError(envelope_problems(exc, source)) from None


def next_version(
    old_xml: bytes,
    change: Change,
    structure_for: Callable[[str], Structure],
    document: dict[str, Any] | None = None,
    *,
    profile: Organisation | None = None,
    templates: Path | None = None,
    allow_invalid: bool = False,
    signing: Signing | None = None,
    source: str = "document",
    old_source: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """The archive document of the version after `old_xml` (read as decode reads untrusted input): `document` is
    the new content of a replacement; a nullification keeps the old content. `structure_for` gives the structure
    of a version OID (the new envelope's content_specification_id); the content is checked against it. Errors
    name `source` (the new content) or `old_source` (the old version)."""
    old = decode(old_xml, old_source or source, limits)
    if change.kind == "replace" and document is None:
        raise ValueError("a replacement needs its new document")
    content = old.document if change.kind == "nullify" else document
    assert content is not None
    envelope = next_envelope(old.envelope, change, old_source or source)
    return encode(
        structure_for(envelope.content_specification_id),
        content,
        envelope,
        profile=profile,
        templates=templates,
        allow_invalid=allow_invalid,
        source=source,
        signing=signing,
        limits=limits,
    )
