"""Generator and codec: Kanta CDA R2 archive documents of Sosmeta client documents.

`encode(structure, document, envelope)` gives the archive document (header from the envelope, body with the
XHTML display form and the JSON, both base64); `decode(data)` reads one back safely; `frame` wraps a document
in the RCMR_IN200002FI01 archiving message. `sosmeta build --target cda` writes OUT/cda/<version OID>.xml, an
example archive document for every structure (an example document in an example envelope).
"""

from __future__ import annotations

from typing import Any

from generators.cda.codec import Decoded, Limits, check, decode, encode
from generators.cda.envelope import Envelope, OrganisationProfile, build_envelope, load_organisation
from generators.cda.samples import example_envelope
from generators.registry import BuildContext, Target
from sosmeta_import.errors import InputError
from structures.model import Structure


def _example_document(structure: Structure, seed: int) -> dict[str, Any]:
    from generators.examples import example_documents

    document: dict[str, Any] = example_documents(structure, 1, seed=seed)[0]
    return document


def _build(ctx: BuildContext) -> None:
    seed = int(ctx.options.get("seed", 0)) if isinstance(ctx.options.get("seed", 0), int) else 0
    for number, structure in enumerate(ctx.progress(ctx.structures, "cda"), start=1):
        document = _example_document(structure, seed)
        envelope = example_envelope(structure, number)
        try:
            data = encode(structure, document, envelope, source=structure.version_oid)
        except InputError as exc:
            ctx.warn(
                f"{structure.version_oid}: example document refused ({len(exc.problems)} findings); "
                "written with --allow-invalid"
            )
            data = encode(structure, document, envelope, allow_invalid=True, source=structure.version_oid)
        ctx.write(f"{structure.version_oid}.xml", data)


TARGET = Target(
    name="cda",
    description="Kanta CDA R2 archive documents: an example per structure (OUT/cda/<version OID>.xml)",
    build=_build,
)

__all__ = [
    "TARGET",
    "Decoded",
    "Envelope",
    "Limits",
    "OrganisationProfile",
    "build_envelope",
    "check",
    "decode",
    "encode",
    "example_envelope",
    "load_organisation",
]
