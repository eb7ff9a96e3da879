"""Strict JSON reading for imports: order-preserving, duplicate keys and NaN refused, errors located."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sosmeta_import.errors import InputError


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line} column {col}"


def loads_strict(text: str, source: str) -> Any:
    """Parse JSON text keeping key order. Duplicate keys, NaN and Infinity are errors naming the place."""
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constants)
    except _DuplicateKey as dup:
        # The hook cannot see where it is, so locate the duplicate in the text for the message.
        needle = json.dumps(dup.key)
        first = text.find(needle)
        second = text.find(needle, first + 1) if first >= 0 else -1
        where = _line_col(text, second) if second >= 0 else ""
        raise InputError.one(source, where, f"duplicate key {needle} in one object", "json.duplicate_key") from None
    except json.JSONDecodeError as exc:
        raise InputError.one(source, _line_col(text, exc.pos), f"not valid JSON: {exc.msg}", "json.syntax") from None
    except (ValueError, RecursionError) as exc:
        raise InputError.one(source, "", f"not valid JSON: {exc}", "json.syntax") from None


def read_text(path: Path, source: str | None = None, max_bytes: int = 64 * 1024 * 1024) -> str:
    """Read a UTF-8 file (a BOM is tolerated), refusing files too large to be a structure."""
    name = source or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError.one(name, "", f"file is {size} bytes, over the {max_bytes} byte limit", "file.too_large")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.one(name, "", f"cannot read file: {exc.strerror}", "file.unreadable") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.one(name, f"byte {exc.start}", "not UTF-8 text", "file.encoding") from None
