"""Strict JSON reading for imports: order kept, duplicate keys, NaN, non-finite numbers, lone surrogates and
deep nesting refused, errors with line and column (the rules: `safeio.parsing`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sosmeta.safeio.parsing import MAX_DEPTH, loads_json
from sosmeta.safeio.reading import MAX_STRUCTURE_BYTES
from sosmeta.safeio.reading import read_text as _read_text


def loads_strict(text: str, source: str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text keeping key order; whatever `safeio.parsing` refuses is an error naming the place."""
    return loads_json(text, source, max_depth)


def read_text(path: Path, source: str | None = None, max_bytes: int = MAX_STRUCTURE_BYTES) -> str:
    """Read a UTF-8 file (a BOM is tolerated): a regular file only, refusing files too large to be a structure."""
    return _read_text(path, max_bytes, source)
