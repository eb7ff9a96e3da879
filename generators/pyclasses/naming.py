"""Python names for the typed classes: deterministic, valid, collision-free and stable across regenerations.

Names depend only on the structure itself (keys, Finnish names, document order), never on the other
structures generated alongside, so regenerating with a different catalog gives a module the same names.

* Field names are the JSON keys where those are usable Python identifiers; otherwise letters are folded to
  ASCII (ä -> a, ö -> o, å -> a), other characters become `_`, and a name that is a Python keyword, a
  pydantic `BaseModel` attribute (`copy`, `json`, `schema`, `model_config`, ...) or a name the module's
  annotations use gets a trailing `_`. The JSON key is always kept as the field's alias.
* Class names are the CamelCase of the key (the Finnish name when the key gives nothing), made unique in the
  module by prefixing the parent's name, then by a number, in document order.
* Long names are cut at a word boundary (class names at 40, field names at 50 characters).
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable

from pydantic import BaseModel

CLASS_LIMIT = 40
FIELD_LIMIT = 50
MODULE_LIMIT = 24

# Names the generated modules bind at module level (imports, constants); fields and classes avoid them.
MODULE_NAMES = frozenset(
    {
        "Annotated",
        "Field",
        "JsonValue",
        "Literal",
        "StrictBool",
        "StrictFloat",
        "StrictInt",
        "StrictStr",
        "TypeAlias",
        "SosmetaModel",
        "Document",
        "VERSION_OID",
        "TITLE",
        "list",
        "None",
        "True",
        "False",
    }
)
BASEMODEL_NAMES = frozenset(n for n in dir(BaseModel) if not n.startswith("__"))
FIELD_RESERVED = frozenset(keyword.kwlist) | BASEMODEL_NAMES | MODULE_NAMES | {"model_config"}


def fold(text: str) -> str:
    """`text` with letters folded to ASCII (ä -> a, Ö -> O, é -> e); other non-ASCII characters dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii())


def words(key: str, fi_name: str | None = None) -> list[str]:
    """The ASCII words of a key (split at `_` and other separators), or of the Finnish name if the key has none."""
    found = re.findall(r"[A-Za-z0-9]+", fold(key))
    if not found and fi_name:
        found = re.findall(r"[A-Za-z0-9]+", fold(fi_name))
    return found or ["x"]


def cut(parts: list[str], limit: int, joiner: str = "") -> str:
    """Join `parts`, dropping trailing words (and cutting the first) to stay within `limit` characters."""
    out = parts[0][:limit]
    for part in parts[1:]:
        candidate = out + joiner + part
        if len(candidate) > limit:
            break
        out = candidate
    return out


def camel(parts: Iterable[str]) -> str:
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


def class_base(key: str, fi_name: str | None = None) -> str:
    """The CamelCase class name of a key, within CLASS_LIMIT, never starting with a digit."""
    name = cut([camel([w]) for w in words(key, fi_name)], CLASS_LIMIT)
    return name if not name[0].isdigit() else "N" + name[: CLASS_LIMIT - 1]


def field_base(key: str) -> str:
    """A snake_case identifier for a JSON key, within FIELD_LIMIT (the key itself when it is usable)."""
    if key.isidentifier() and key.isascii() and len(key) <= FIELD_LIMIT:
        name = key
    else:
        name = re.sub(r"[^A-Za-z0-9_]", "_", fold(key)) or "field"
        if len(name) > FIELD_LIMIT:
            name = cut(name.split("_"), FIELD_LIMIT, "_") or name[:FIELD_LIMIT]
    if name[0].isdigit():
        name = "n" + name
    if name.startswith("_"):
        name = "f" + name  # pydantic treats leading-underscore attributes as private, not fields
    return name


class Namespace:
    """Names already taken in one scope; `claim` returns the first free candidate (or a numbered one)."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.taken: set[str] = set(reserved)

    def claim(self, candidates: list[str], fallback_suffix: str = "") -> str:
        for candidate in candidates:
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        base = candidates[-1]
        number = 2
        while f"{base}{fallback_suffix}{number}" in self.taken:
            number += 1
        name = f"{base}{fallback_suffix}{number}"
        self.taken.add(name)
        return name


def field_names(keys: list[str], reserved: Iterable[str]) -> list[str]:
    """Python names for the keys of one class, in order: unique among siblings and clear of `reserved`."""
    scope = Namespace(FIELD_RESERVED | set(reserved))
    out = []
    for key in keys:
        base = field_base(key)
        out.append(scope.claim([base, base + "_"], "_"))
    return out


def module_name(document_key: str, version_oid: str, arcs: int = 5) -> str:
    """The module of a structure version: its document key (cut) and the last `arcs` arcs of its version OID.

    `1.2.246.537.6.1506.4018.2022.9.28` with key `yhteydenotto_sosiaalihuollosta_...` gives
    `yhteydenotto_1506_4018_2022_9_28`; a package that would hold two equal names uses more arcs for them.
    """
    head = cut([w.lower() for w in words(document_key)], MODULE_LIMIT, "_")
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", version_oid) if p]
    tail = "_".join(parts[-arcs:]) or "unknown"
    name = f"{head}_{tail}"
    return name if not name[0].isdigit() else "s" + name


def py_repr(value: object) -> str:
    """repr(), with double quotes for strings that contain none (the project's source style)."""
    text = repr(value)
    if isinstance(value, str) and text.startswith("'") and '"' not in value:
        return '"' + text[1:-1] + '"'
    return text
