"""Generator and codec: Kanta CDA R2 archive documents of Sosmeta client documents.

`encode(structure, document, envelope)` gives the archive document (header from the envelope, body with the
XHTML display form and the JSON, both base64); `decode(data)` reads one back safely; `frame.frame` writes the
RCMR_IN200002FI01 transfer frame beside a document, `package` the two in one MIME message, `preflight` checks
them before sending. `sosmeta build --target cda` writes OUT/cda/<version OID>.xml, an example archive document
for every structure (an example document in an example envelope), and OUT/cda/soc-preview.css, the stylesheet
for previewing display forms locally (`display.preview_page`).
"""

from __future__ import annotations

from typing import Any

from sosmeta.generators.cda.codec import Decoded, check, decode, encode
from sosmeta.generators.cda.envelope import Envelope, build_envelope, load_organisation
from sosmeta.generators.cda.limits import Limits
from sosmeta.generators.cda.samples import example_envelope
from sosmeta.generators.registry import BuildContext, Target
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.structures.identifiers import is_oid
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation


def _example_document(structure: Structure, seed: int) -> dict[str, Any]:
    from sosmeta.generators.examples import example_documents

    document: dict[str, Any] = example_documents(structure, 1, seed=seed)[0]
    return document


def _build(ctx: BuildContext) -> None:
    """OUT/cda/<version OID>.xml for every structure, and OUT/cda/<organisation id>/<version OID>.xml for every
    structure an organisation of the workspace has a template for (its names, units and letterhead), and the
    local preview stylesheet of display forms beside them (never inside an archived document)."""
    from sosmeta.generators.cda.display import PREVIEW_STYLESHEET
    from sosmeta.generators.forms.variants import organisations

    seed = ctx.options.get("seed", 0)
    seed = seed if isinstance(seed, int) else 0
    for structure in ctx.structures:
        _check_oid(structure)
    numbers = {s.version_oid: n for n, s in enumerate(ctx.structures, start=1)}
    for structure in ctx.progress(ctx.structures, "cda"):
        _write_example(ctx, structure, numbers[structure.version_oid], seed, None, "")
    for org in organisations(ctx.options):
        for structure in ctx.structures:
            if org.templates_for(structure):
                _write_example(ctx, structure, numbers[structure.version_oid], seed, org, f"{org.id}/")
    ctx.write(PREVIEW_STYLESHEET.name, PREVIEW_STYLESHEET.read_bytes())


def _check_oid(structure: Structure) -> None:
    """An archive document names its structure by OID (contentSpecificationId) and is written as
    `<version OID>.xml`: a version OID that is not a dotted OID can have neither."""
    if not is_oid(structure.version_oid):
        raise InputError.one(
            f"structure {structure.version_oid!r}",
            "sosmeta/oid",
            "the version OID is not a dotted OID, so no archive document can name it",
            "cda.structure_oid",
        )


def _write_example(
    ctx: BuildContext, structure: Structure, number: int, seed: int, profile: Organisation | None, folder: str
) -> None:
    document = _example_document(structure, seed)
    envelope = example_envelope(structure, number, profile)
    try:
        data = encode(structure, document, envelope, profile=profile, source=structure.version_oid)
    except InputError as exc:
        if any(p.code == "cda.too_large" for p in exc.problems):
            # A structure with many nested repeatable elements can make an example over the archive's size
            # limit; the minimal example of the same structure is still an archive document.
            from sosmeta.generators.examples import minimal_document

            ctx.warn(f"{structure.version_oid}: the example is over the archive size limit; the minimal one is written")
            minimal, name = minimal_document(structure), structure.version_oid
            data = encode(structure, minimal, envelope, profile=profile, allow_invalid=True, source=name)
            ctx.write(f"{folder}{structure.version_oid}.xml", data)
            return
        ctx.warn(
            f"{structure.version_oid}: example document refused ({len(exc.problems)} findings); "
            "written with --allow-invalid"
        )
        data = encode(structure, document, envelope, profile=profile, allow_invalid=True, source=structure.version_oid)
    ctx.write(f"{folder}{structure.version_oid}.xml", data)


TARGET = Target(
    name="cda",
    description="Kanta CDA R2 archive documents: an example per structure (OUT/cda/<version OID>.xml) and the "
    "display forms' local preview stylesheet (OUT/cda/soc-preview.css)",
    build=_build,
)

__all__ = [
    "TARGET",
    "Decoded",
    "Envelope",
    "Limits",
    "build_envelope",
    "check",
    "decode",
    "encode",
    "example_envelope",
    "load_organisation",
]
