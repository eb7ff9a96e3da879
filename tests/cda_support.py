"""Helpers for the CDA tests: example documents and envelopes.

Documents come from the project's example generator (`generators.examples`) when it is installed; until then
a small stand-in builds random valid documents from the model's own keywords.
"""

from __future__ import annotations

import random
import re
from typing import Any

from generators.cda import samples
from generators.cda.envelope import Envelope
from structures.model import Element, Structure
from structures.representation import Representation as R
from structures.texts import first

_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_SYSTEM_OID = re.compile(r"^\^urn:oid:(?P<oid>[0-9\\.]+)\(")


def hetu(rng: random.Random) -> str:
    """A valid test-range personal identity code (individual number 900-999)."""
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1930, 2020)
    sign = "-" if year < 2000 else "A"
    number = rng.randint(900, 999)
    body = f"{day:02d}{month:02d}{year % 100:02d}"
    return f"{body}{sign}{number}{_CHECK[int(body + str(number)) % 31]}"


def _text(rng: random.Random, texts: list[str]) -> str:
    return rng.choice(texts) if texts else rng.choice(["Kotikäynti <tehty> & sovittu", "Åsa \"Ö\" 'x'", "rivi\ntoinen"])


def _value(element: Element, rng: random.Random, texts: list[str]) -> Any:
    rep = element.representation
    if element.enum:
        return element.enum[0]
    if rep is R.KYTKIN:
        return rng.random() < 0.5
    if rep in (R.NUMERO, R.LKM):
        return rng.choice([0, 3, 2.5, 1200])
    if rep is R.PVM:
        return rng.choice(["2024-03-05", "2024-03", "1999"])
    if rep is R.HETKI:
        return rng.choice(["2024-03-05T13:33:30+02:00", "2024-06-01T08:00:00Z", "2024-03-05"])
    if rep is R.KOODI:
        system_node = element.sub("system")
        code_node = element.sub("code")
        system = "urn:oid:1.2.246.537.6.1"
        if system_node is not None and system_node.enum:
            system = str(system_node.enum[0])
        elif system_node is not None and system_node.pattern and (match := _SYSTEM_OID.match(system_node.pattern)):
            system = "urn:oid:" + match["oid"].replace("\\", "")
        code = str(code_node.enum[0]) if code_node is not None and code_node.enum else "1"
        return {"system": system, "code": code, "display": _text(rng, texts)}
    if rep is R.TUNNUS:
        return {"system": "urn:oid:1.2.246.21", "value": hetu(rng)}
    if rep is not None and rep.is_quantity:
        return {"value": rng.choice([1, 47.3, 500]), "code": rng.choice(["€", "%", "m2"])}
    return _text(rng, texts)


def _fill(element: Element, rng: random.Random, texts: list[str], depth: int) -> Any:
    if element.representation in (R.GROUP, R.OTSIKKO) or element.children:
        out: dict[str, Any] = {}
        for child in element.children:
            if child.required or rng.random() < 0.6:
                value = _item(child, rng, texts, depth + 1)
                if value is not None:
                    out[child.key] = value
        return out
    return _value(element, rng, texts)


def _item(element: Element, rng: random.Random, texts: list[str], depth: int) -> Any:
    if element.wrapper is not None:
        count = max(element.min_items or 0, rng.randint(0, 2))
        return [_fill(element, rng, texts, depth) for _ in range(count)]
    return _fill(element, rng, texts, depth)


def stand_in_document(structure: Structure, seed: int = 0, texts: list[str] | None = None) -> dict[str, Any]:
    rng = random.Random(seed)
    return {structure.document.key: _fill(structure.document, rng, texts or [], 1)}


def example_documents(structure: Structure, n: int, seed: int = 0) -> list[dict[str, Any]]:
    try:
        from generators.examples import example_documents as project_examples  # type: ignore[import-not-found]
    except ImportError:
        return [stand_in_document(structure, seed + i) for i in range(n)]
    return project_examples(structure, n, seed=seed)


def example_envelope(structure: Structure, number: int = 1, **overrides: Any) -> Envelope:
    return samples.example_envelope(structure, number, **overrides)


__all__ = ["example_documents", "example_envelope", "first", "hetu", "stand_in_document"]


# ---- hypothesis strategies --------------------------------------------------------------------------------------
def document_strategy(structure: Structure) -> Any:
    """Documents of `structure`: the project's strategy when installed, else seeds and texts for the stand-in."""
    from hypothesis import strategies as st

    try:
        from generators.strategies import documents  # type: ignore[import-not-found]
    except ImportError:
        texts = st.lists(st.text(min_size=1, max_size=40), max_size=4)
        return st.builds(lambda seed, t: stand_in_document(structure, seed, t), st.integers(0, 10_000), texts)
    return documents(structure)
