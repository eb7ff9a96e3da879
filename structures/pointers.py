"""JSON pointers (RFC 6901): how a key is written inside a pointer, and back.

Findings, importer errors and the workbook's key paths all name places this way (`~` is written `~0` and `/`
is written `~1` inside a key), so they share these functions.
"""

from __future__ import annotations

from collections.abc import Iterable


def escape(key: str) -> str:
    """A key as one reference token of a JSON pointer."""
    return key.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """The key one reference token stands for."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer(parts: Iterable[str | int]) -> str:
    """The JSON pointer of `parts` (keys and array indexes); "" for the whole document."""
    return "".join("/" + escape(str(p)) for p in parts)


def parts(text: str) -> list[str]:
    """The keys and indexes (as text) a JSON pointer names; [] for the whole document."""
    return [unescape(p) for p in text.split("/")[1:]]
