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


def differences(old: object, new: object, where: tuple[str | int, ...] = ()) -> list[tuple[str, str]]:
    """Where two JSON values differ, as (pointer, what) with what one of `changed`, `added`, `removed` or
    `reordered` (the same keys in another order); never the values themselves, which may be anything."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[tuple[str, str]] = []
        for key, value in old.items():
            if key not in new:
                out.append((pointer((*where, key)), "removed"))
            else:
                out += differences(value, new[key], (*where, key))
        out += [(pointer((*where, key)), "added") for key in new if key not in old]
        if not out and list(old) != list(new):
            out.append((pointer(where), "reordered"))
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        for index in range(max(len(old), len(new))):
            if index >= len(new):
                out.append((pointer((*where, index)), "removed"))
            elif index >= len(old):
                out.append((pointer((*where, index)), "added"))
            else:
                out += differences(old[index], new[index], (*where, index))
        return out
    # Floats by their text: -0.0 == 0.0 and NaN != NaN, but an export's text is what is compared.
    same = type(old) is type(new) and (repr(old) == repr(new) if isinstance(old, float) else old == new)
    return [] if same else [(pointer(where), "changed")]
