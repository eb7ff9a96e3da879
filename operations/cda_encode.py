"""CDA encode: a client document as a Kanta CDA R2 archive document, one or many (JSON Lines)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sosmeta.catalog import Catalog
from sosmeta.structures.model import Structure


class SigningOptionsError(ValueError):
    """Signing options that do not go together (a usage error)."""


def load_signing(key: Path | None, cert: Path | None, signature_type: str, passphrase: Path | None) -> Any:
    """The signing of a key and its certificate, loaded once; None without them."""
    if key is None and cert is None:
        if passphrase is not None:
            raise SigningOptionsError("--sign-passphrase-file needs --sign-key and --sign-cert")
        return None
    if key is None or cert is None:
        raise SigningOptionsError("signing needs both --sign-key and --sign-cert")
    from sosmeta.generators.cda.codec import load_signing as load

    return load(key, cert, signature_type, passphrase)  # type: ignore[arg-type]


@dataclass(frozen=True)
class EncodeRequest:
    document: Path
    envelope: Path
    out: Path
    structure: str | None = None
    """A catalog reference; None: the envelope's content_specification_id."""
    organisation: Path | None = None
    templates: Path | None = None
    allow_invalid: bool = False
    signing: Any = None


@dataclass(frozen=True)
class Encoded:
    """What encoding one document did: the bytes written, or the findings it was refused for."""

    structure: Structure
    size: int = 0
    refused: list[Any] = field(default_factory=list)
    """The findings (located `Problem`s) a document was refused for; empty when it was written."""
    findings: int = 0
    """Error findings of a document written anyway (--allow-invalid)."""

    @property
    def written(self) -> bool:
        return not self.refused


def encode_document(catalog: Catalog, request: EncodeRequest) -> Encoded:
    """Check the document against its structure, encode it and write the file (atomically)."""
    from sosmeta.generators.cda import inputs
    from sosmeta.generators.cda.checks import document_errors
    from sosmeta.generators.cda.codec import DocumentRefused, encode
    from sosmeta.generators.cda.envelope import load_organisation
    from sosmeta.generators.output import atomic_write

    profile = load_organisation(request.organisation) if request.organisation else None
    envelope_data = inputs.read_envelope(request.envelope)
    structure = (
        catalog.resolve(request.structure)
        if request.structure
        else inputs.named_structure(catalog, envelope_data, str(request.envelope), "/content_specification_id")
    )
    envelope = inputs.envelope_for(envelope_data, structure, profile, str(request.envelope))
    document = inputs.read_document(request.document)
    try:
        data = encode(
            structure,
            document,
            envelope,
            profile=profile,
            templates=request.templates,
            allow_invalid=request.allow_invalid,
            source=str(request.document),
            signing=request.signing,
        )
    except DocumentRefused as exc:
        return Encoded(structure, refused=list(exc.problems))
    findings = len(document_errors(structure, document)) if request.allow_invalid else 0
    atomic_write(request.out, data)
    return Encoded(structure, len(data), findings=findings)


@dataclass(frozen=True)
class BulkRequest:
    documents: Path
    envelopes: Path
    out: Path
    catalog: Path
    organisation: Path | None = None
    templates: Path | None = None
    allow_invalid: bool = False
    jobs: int = 1
    durable: bool = False
    signing: Any = None
    batch: int = 0
    """Documents per tar file (OUT/lines-FIRST-LAST.tar); 0 writes one file per document."""


BulkStatus = Literal["written", "skipped", "failed"]


def encode_many(
    request: BulkRequest,
    advance: Callable[[int], None] = lambda n: None,
    report: Callable[[Any], None] = lambda outcome: None,
) -> Any:
    """Encode every line pair into OUT/<document id>.xml; `advance` hears bytes read, `report` each outcome.

    Returns the `generators.cda.bulk.Summary` (counts; failures also in OUT/failures.jsonl).
    """
    from sosmeta.generators.cda.bulk import Settings, encode_jsonl

    settings = Settings(
        out=request.out,
        catalog=request.catalog,
        organisation=request.organisation,
        templates=request.templates,
        allow_invalid=request.allow_invalid,
        durable=request.durable,
        signing=request.signing,
        batch=request.batch,
    )
    return encode_jsonl(request.documents, request.envelopes, settings, request.jobs, advance, report)
