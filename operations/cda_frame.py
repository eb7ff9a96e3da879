"""CDA frame: the transfer frame (RCMR_IN200002FI01) of an archive document, and the MIME package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Framed:
    frame_size: int
    has_performer: bool
    """Whether the frame names a sending user."""


def frame_document(file: Path, out: Path | None, package_out: Path | None, options: dict[str, Any]) -> Framed:
    """Write the frame of the document in `file` to `out` and/or the package of both to `package_out`."""
    from sosmeta.generators.cda import inputs
    from sosmeta.generators.cda.frame import frame, has_performer, options_from
    from sosmeta.generators.cda.limits import DEFAULT_LIMITS
    from sosmeta.generators.cda.package import package
    from sosmeta.generators.output import atomic_write

    document = inputs.read_bytes(file, DEFAULT_LIMITS.max_bytes)
    settings = options_from(options, source="options")
    message = frame(document, settings, str(file))
    if out is not None:
        atomic_write(out, message)
    if package_out is not None:
        atomic_write(package_out, package(message, document, str(out or package_out)))
    return Framed(len(message), has_performer(message))
