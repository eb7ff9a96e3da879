"""The inputs of the `sosmeta cda` commands: files read bounded and strictly, the structure an envelope names,
the envelope built with its defaults. Every error is one located InputError that never quotes a value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sosmeta.catalog import Catalog, CatalogError
from sosmeta.generators.cda.envelope import Envelope, build_envelope, envelope_problems
from sosmeta.generators.cda.limits import DEFAULT_LIMITS
from sosmeta.safeio.reading import read_bounded
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """A regular file of at most `max_bytes` (devices, FIFOs and larger files are refused before reading)."""
    return read_bounded(path, max_bytes, str(path))


def read_object(path: Path, what: str, max_bytes: int) -> dict[str, Any]:
    """A JSON object from a file: bounded, strict (see `jsontext`), errors naming the file and the place."""
    from sosmeta.generators.cda.jsontext import load_object

    return load_object(read_bytes(path, max_bytes), str(path), what, DEFAULT_LIMITS.max_json_depth)


def read_document(path: Path) -> dict[str, Any]:
    return read_object(path, "document", DEFAULT_LIMITS.max_input_bytes)


def read_envelope(path: Path) -> dict[str, Any]:
    return read_object(path, "envelope", DEFAULT_LIMITS.max_envelope_bytes)


def named_structure(catalog: Catalog, envelope_data: dict[str, Any], source: str, location: str) -> Structure:
    """The structure version the envelope (or a decoded header) names by `content_specification_id`; unknown
    is a located error that does not repeat the OID (it is a value of the envelope)."""
    ref = envelope_data.get("content_specification_id")
    if not isinstance(ref, str):
        raise InputError.one(
            source, location, "names no content_specification_id (or pass --structure REF)", "cda.structure"
        )
    try:
        return catalog.resolve(ref)
    except CatalogError:
        raise InputError.one(
            source, location, f"no structure version with this OID in catalog {catalog.root}", "cda.structure"
        ) from None


def envelope_for(data: dict[str, Any], structure: Structure, profile: Organisation | None, source: str) -> Envelope:
    """The envelope with the structure's and the organisation's defaults; errors name the field by pointer."""
    try:
        return build_envelope(data, structure, profile)
    except ValidationError as exc:
        raise InputError(envelope_problems(exc, source)) from None
