"""Test documents for the validator tests: valid ones generated from an export, and mutated invalid ones.

The generator reads the export as the plain JSON Schema the file is (`structure_data`), and uses the model
only for what the schema cannot say (which string is a henkilötunnus, a date, a code from the value list), so
that valid documents are valid in `full` mode too. Mutations make systematically wrong variants: wrong type,
missing required, extra property, broken pattern, code outside the list, non-ASCII digits, null, empty.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import Any

from sosmeta.generators.sosmeta_json import structure_data
from sosmeta.structures.model import Element, Structure
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.shape import DATE_PATTERN, DATETIME_PATTERN
from sosmeta.structures.texts import first, meaningful

Path = tuple[str | int, ...]
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_WORDS = ("asiakas", "päätös", "hoito", "työntekijä", "selvitys", "tuki", "perhe", "kotikäynti", "ö", "Åland")


@dataclass
class Slot:
    """A value in a generated document, with the schema node it was made from."""

    path: Path
    schema: dict[str, Any]
    element: Element | None


def hetu(rng: random.Random) -> str:
    """A valid henkilötunnus (individual number 002-899)."""
    born = dt.date(1900, 1, 1) + dt.timedelta(days=rng.randrange(0, 45000))
    sign = {18: "+", 19: "-", 20: "A"}[born.year // 100]
    number = rng.randrange(2, 900)
    digits = f"{born:%d%m}{born.year % 100:02d}{number:03d}"
    return f"{digits[:6]}{sign}{digits[6:]}{_HETU_CHECK[int(digits) % 31]}"


def _date(rng: random.Random) -> str:
    return (dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 30000))).isoformat()


def _datetime(rng: random.Random) -> str:
    zone = rng.choice(("Z", "+02:00", "+03:00", "-05:30"))
    return f"{_date(rng)}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}{zone}"


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 4)))


def value_set_labels(element: Element) -> dict[str, str]:
    labels: dict[str, str] = {}
    text = first(element.value_set, "fi") or ""
    for item in re.split(r",\s*(?=[^,=]+=)|\n", text):
        if "=" in item:
            code, _, label = item.partition("=")
            labels.setdefault(code.strip(), label.strip())
    return labels


class DocumentGenerator:
    """Valid documents for one structure, reproducible from a seed."""

    def __init__(self, structure: Structure, optional: float = 0.6, max_items: int = 3, min_items: int = 0) -> None:
        self.structure = structure
        self.schema = structure_data(structure)
        self.optional = optional
        self.max_items = max_items
        self.min_items = min_items
        self._last_code = ""

    def document(self, rng: random.Random) -> tuple[Any, list[Slot]]:
        slots: list[Slot] = []
        return self._value(self.schema, None, None, (), rng, slots), slots

    def _element(self, schema: dict[str, Any], context: Element | None) -> Element | None:
        row = schema.get("sosmeta", {}).get("rowNumber") if isinstance(schema.get("sosmeta"), dict) else None
        if isinstance(row, int):
            found = self.structure.by_row(row)
            return found.element if found else context
        return context

    def _value(
        self, schema: Any, context: Element | None, sub: str | None, path: Path, rng: random.Random, slots: list[Slot]
    ) -> Any:
        element = self._element(schema, context)
        if element is not context:
            sub = None
        slots.append(Slot(path, schema, element))
        kind = schema.get("type")
        if kind == "object":
            out: dict[str, Any] = {}
            required = set(schema.get("required", []))
            for key, child in schema.get("properties", {}).items():
                child_sub = key if child.get("sosmeta") is None and "items" not in child else None
                if key in required or rng.random() < self.optional:
                    out[key] = self._value(child, element, child_sub, (*path, key), rng, slots)
            return out
        if kind == "array":
            low = max(schema.get("minItems", 0), self.min_items)
            count = rng.randint(low, max(low, self.max_items))
            return [self._value(schema["items"], element, sub, (*path, i), rng, slots) for i in range(count)]
        if kind == "boolean":
            return rng.random() < 0.5
        if kind in ("number", "integer"):
            return rng.choice((rng.randint(0, 500), round(rng.uniform(0, 100), 2)))
        return self._string(schema, element, sub, rng)

    def _string(self, schema: dict[str, Any], element: Element | None, sub: str | None, rng: random.Random) -> str:
        if "enum" in schema:
            return str(rng.choice(schema["enum"]))
        pattern = schema.get("pattern")
        rep = element.representation if element is not None else None
        if pattern == DATE_PATTERN or (rep is R.PVM and sub is None):
            return _date(rng)
        if pattern == DATETIME_PATTERN or (rep is R.HETKI and sub is None):
            return rng.choice((_datetime(rng), _date(rng)))
        if element is not None and rep is R.KOODI:
            return self._koodi(element, sub, rng)
        if element is not None and rep is R.TUNNUS:
            return self._tunnus(element, sub, rng)
        if isinstance(pattern, str):
            raise ValueError(f"no generator for pattern {pattern!r}")
        return _text(rng)

    def _koodi(self, element: Element, sub: str | None, rng: random.Random) -> str:
        oid = meaningful(element.classification_oid_value) or "1.2.246.537.6.1"
        codes = element.code_values or ("1", "2")
        if sub == "system":
            return "urn:oid:" + oid + rng.choice(("", "", ".1", ".2024"))
        if sub == "code":
            self._last_code = rng.choice(codes)
            return self._last_code
        # display: the label of the code just chosen (code precedes display in every export)
        return value_set_labels(element).get(self._last_code, _text(rng))

    def _tunnus(self, element: Element, sub: str | None, rng: random.Random) -> str:
        hetu_element = element.system_uri_value == "urn:oid:1.2.246.21"
        if sub == "system":
            return "urn:oid:1.2.246.21" if hetu_element else "urn:oid:1.2.246.10.1234567.10.1"
        if hetu_element:
            return hetu(rng)
        name = (first(element.name, "fi") or "") + " " + (first(element.description, "fi") or "")
        if re.search(r"\bOID\b", name):
            return f"1.2.246.10.{rng.randint(1000000, 9999999)}.10.{rng.randint(0, 99)}"
        return f"{rng.randint(1, 9999)}/{rng.randint(2000, 2030)}"


# ---- mutations -------------------------------------------------------------------------------------------
MUTATIONS = (
    "wrong_type",
    "null",
    "missing_required",
    "extra_property",
    "bad_pattern",
    "unicode_digit",
    "code_outside",
    "empty",
    "bool_for_number",
    "float_for_int",
)


def _get(doc: Any, path: Path) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _set(doc: Any, path: Path, value: Any) -> Any:
    if not path:
        return value
    _get(doc, path[:-1])[path[-1]] = value
    return doc


_WRONG = {"string": 7, "number": "7", "integer": "7", "boolean": "true", "object": "x", "array": {"a": 1}}
_UNICODE_DIGITS = ("١", "５", "٣", "߃")


def mutate(doc: Any, slots: list[Slot], kind: str, rng: random.Random) -> Any | None:
    """A mutated copy of `doc`, or None when `doc` has no place for this kind of mutation."""
    doc = copy.deepcopy(doc)
    if kind == "wrong_type":
        slot = rng.choice(slots)
        return _set(doc, slot.path, _WRONG.get(slot.schema.get("type")))
    if kind == "null":
        slot = rng.choice(slots)
        return _set(doc, slot.path, None)
    if kind == "missing_required":
        places = [s for s in slots if s.schema.get("required") and isinstance(_get(doc, s.path), dict)]
        if not places:
            return None
        slot = rng.choice(places)
        target = _get(doc, slot.path)
        target.pop(rng.choice(slot.schema["required"]), None)
        return doc
    if kind == "extra_property":
        places = [s for s in slots if s.schema.get("type") == "object"]
        slot = rng.choice(places)
        _get(doc, slot.path)[rng.choice(("ylimaarainen", "system", "value", "x"))] = rng.choice(("x", 1, {}))
        return doc
    strings = [s for s in slots if isinstance(_get(doc, s.path), str)]
    if kind == "bad_pattern":
        places = [s for s in strings if "pattern" in s.schema] or strings
        if not places:
            return None
        slot = rng.choice(places)
        value = _get(doc, slot.path)
        broken = rng.choice(
            (value + "\n", value + "x", "2024-13-01", "2024-1-1", "urn:oid:9.9", value[:-1], " " + value)
        )
        return _set(doc, slot.path, broken)
    if kind == "unicode_digit":
        places = [s for s in strings if re.search(r"[0-9]", _get(doc, s.path))]
        if not places:
            return None
        slot = rng.choice(places)
        value = _get(doc, slot.path)
        positions = [i for i, c in enumerate(value) if c.isdigit()]
        i = rng.choice(positions)
        return _set(doc, slot.path, value[:i] + rng.choice(_UNICODE_DIGITS) + value[i + 1 :])
    if kind == "code_outside":
        places = [s for s in strings if "enum" in s.schema]
        if not places:
            return None
        slot = rng.choice(places)
        return _set(doc, slot.path, rng.choice(("ZZZ", "", _get(doc, slot.path) + " ")))
    if kind == "empty":
        places = [s for s in slots if s.schema.get("type") in ("array", "string", "object")]
        slot = rng.choice(places)
        return _set(doc, slot.path, {"array": [], "string": "", "object": {}}[slot.schema["type"]])
    if kind == "bool_for_number":
        places = [s for s in slots if s.schema.get("type") in ("number", "integer")]
        if not places:
            return None
        return _set(doc, rng.choice(places).path, True)
    if kind == "float_for_int":
        places = [s for s in slots if isinstance(_get(doc, s.path), int) and not isinstance(_get(doc, s.path), bool)]
        if not places:
            return None
        slot = rng.choice(places)
        return _set(doc, slot.path, float(_get(doc, slot.path)))
    raise ValueError(kind)


def corpus_documents(structure: Structure, valid: int, mutants: int, seed: int = 0) -> tuple[list[Any], list[Any]]:
    """`valid` generated documents and up to `mutants` mutated ones (each mutation kind in turn)."""
    rng = random.Random(f"{structure.version_oid}/{seed}")
    generator = DocumentGenerator(structure)
    made = [generator.document(rng) for _ in range(valid)]
    bad: list[Any] = []
    attempts = 0
    while len(bad) < mutants and attempts < mutants * 3:
        doc, slots = made[attempts % len(made)]
        mutated = mutate(doc, slots, MUTATIONS[attempts % len(MUTATIONS)], rng)
        attempts += 1
        if mutated is not None:
            bad.append(mutated)
    return [d for d, _ in made], bad
