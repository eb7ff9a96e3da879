"""Generator: realistic example documents for a structure version (`sosmeta build --target examples`).

A document is built from the model only: the JSON-level keywords of every element (`node`, `wrapper`,
sub-property nodes) decide what is valid, and the sosmeta fields (representation, classification, value set,
phrase, systemUri, names) decide what is realistic. Every value is checked against the keywords the file
actually has (type, enum, pattern with ECMA-262 semantics, minLength), so documents stay valid against the
export as JSON Schema even where the export departs from the format's rules.

Three kinds of document:

* minimal: only what is required, recursively; a required array gets `minItems` items;
* maximal: every element present, every repeatable element with two items;
* examples: random documents (optional elements present with some probability), reproducible from a seed.

Personal identity codes use the individual numbers 900-999, which the Population Register reserves for
test identities, so an example never names a real person.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import JsonValue

from sosmeta.generators.code_choices import build_lists, element_choices
from sosmeta.generators.registry import BuildContext, Target
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.identifiers import CENTURY_SIGNS, HETU_SYSTEM, hetu_check_character, is_oid
from sosmeta.structures.model import Element, Keywords, Structure, SubProperty, keyword
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.shape import internal_system
from sosmeta.structures.texts import first
from sosmeta.structures.value_sets import code_labels as value_set_labels

Mode = Literal["minimal", "maximal", "random"]
Node = Keywords | dict[str, JsonValue]
"""A schema node: an element's keyword tuple or a sub-property's raw dict."""

_LOOKAROUND = re.compile(r"\(\?<?[=!](?:[^()\\]|\\.)*\)")
# ECMA-262 classes are ASCII; with re.ASCII Python's \d, \w and \s are too (close enough for candidates).
_ECMA_FLAGS = re.ASCII

FIRST_NAMES = (
    "Aino",
    "Eino",
    "Helmi",
    "Juhani",
    "Kaarina",
    "Lauri",
    "Maria",
    "Mikko",
    "Noora",
    "Oskari",
    "Pirjo",
    "Sanna",
    "Tapio",
    "Ulla",
    "Väinö",
    "Aleksi",
    "Elina",
    "Jöns",
    "Linnea",
    "Åsa",
)
LAST_NAMES = (
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Östman",
    "Lindqvist",
)
ORGANISATIONS = (
    "Pohjois-Savon hyvinvointialue",
    "Helsingin kaupunki, sosiaali- ja terveystoimiala",
    "Lapin hyvinvointialue",
    "Varsinais-Suomen hyvinvointialue",
    "Perhekeskus Kuusikko",
    "Palvelukoti Päivänsäde Oy",
    "Kotihoito Itä, tiimi 3",
)
TITLES = (
    "sosiaalityöntekijä",
    "sosiaaliohjaaja",
    "palveluohjaaja",
    "johtava sosiaalityöntekijä",
    "lähihoitaja",
    "perhetyöntekijä",
    "terveydenhoitaja",
)
STREETS = ("Koulukatu", "Puistotie", "Rantakatu", "Kirkkokatu", "Myllytie", "Satamakatu", "Koivukuja")
PLACES = ("Helsinki", "Kuopio", "Rovaniemi", "Turku", "Tampere", "Oulu", "Vaasa", "Joensuu")
SENTENCES = (
    "Asiakas on ollut yhteydessä puhelimitse ja kertonut tilanteestaan.",
    "Tilanne on pysynyt ennallaan edellisen tapaamisen jälkeen.",
    "Asiakkaan kanssa sovittiin seuraavasta tapaamisesta.",
    "Perhe toivoo tukea arjen sujumiseen.",
    "Asiakas asuu yksin kerrostaloasunnossa ja selviytyy päivittäisistä toimista.",
    "Läheiset osallistuvat asiakkaan arkeen viikoittain.",
    "Palvelutarve arvioidaan uudelleen kolmen kuukauden kuluttua.",
    "Asiakas kertoi tarvitsevansa apua asiointiin ja siivoukseen.",
    "Lapsi käy koulua ja harrastaa jalkapalloa.",
    "Huoltaja on antanut suostumuksensa tietojen luovuttamiseen.",
    "Asiakkaalle annettiin ohjeet muutoksenhakuun.",
    "Työntekijä tekee kotikäynnin ensi viikolla.",
)
_UNITS = {R.MAARA: ("€", "h", "kpl", "krt"), R.MITTA: ("m2", "cm", "kg"), R.PROSENTTI: ("%",)}


# ---- randomness and choices ----------------------------------------------------------------------------------
@dataclass
class Plan:
    """How one document is drawn: which optional parts appear and how many items arrays get."""

    mode: Mode
    rng: random.Random
    optional_share: float = 0.6
    lists: CodeLists | None = None
    """The catalog's code lists: real codes and labels where a list is known."""

    def include(self, element: Element, required: bool) -> bool:
        if required or self.mode == "maximal":
            return True
        if self.mode == "minimal":
            return False
        if element.conditional_required:
            return True  # its condition is prose the generator cannot evaluate: fill it, as a careful user would
        return self.rng.random() < self.optional_share

    def items(self, minimum: int) -> int:
        if self.mode == "minimal":
            return minimum
        if self.mode == "maximal":
            return max(2, minimum)
        return max(minimum, self.rng.randint(1, 3))


# ---- ECMA-ish pattern check and value constraints ------------------------------------------------------------
@cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, _ECMA_FLAGS)
    except re.error:
        return None


def satisfies(node: Node, value: JsonValue) -> bool:
    """Whether a leaf value meets the node's type, enum, pattern and minLength (the keywords Sosmeta uses)."""
    get = node.get if isinstance(node, dict) else (lambda name: keyword(node, name))
    enum = get("enum")
    if isinstance(enum, list) and value not in enum:
        return False
    if not _type_ok(get("type"), value):
        return False
    if isinstance(value, str):
        pattern = get("pattern")
        if isinstance(pattern, str):
            compiled = _compiled(pattern)  # None: not a pattern Python can check, so it cannot be honoured here
            if compiled is not None and compiled.search(value) is None:
                return False
        min_length = get("minLength")
        if isinstance(min_length, int) and len(value) < min_length:
            return False
    return True


def _type_ok(json_type: JsonValue, value: JsonValue) -> bool:
    if json_type is None:
        return True
    if isinstance(json_type, list):
        return any(_type_ok(t, value) for t in json_type)
    if json_type == "string":
        return isinstance(value, str)
    if json_type == "boolean":
        return isinstance(value, bool)
    if json_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if json_type == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if json_type == "null":
        return value is None
    return False


def constrained(
    node: Keywords | dict[str, JsonValue], candidates: Sequence[JsonValue], rng: random.Random
) -> JsonValue:
    """The first candidate the node accepts; else an enum value; else a string drawn from the pattern."""
    for candidate in candidates:
        if satisfies(node, candidate):
            return candidate
    get = node.get if isinstance(node, dict) else (lambda name: keyword(node, name))
    enum = get("enum")
    if isinstance(enum, list) and enum:
        typed = [v for v in enum if _type_ok(get("type"), v)] or enum
        return rng.choice(typed)
    pattern = get("pattern")
    if isinstance(pattern, str) and _compiled(pattern) is not None:
        import rstr  # only for patterns outside the format's three kinds

        # rstr cannot reverse look-arounds: draw from the pattern without them and keep what the whole accepts.
        reversible = _LOOKAROUND.sub("", pattern)
        for _ in range(50):
            try:
                drawn = rstr.Rstr(rng).xeger(reversible)
            except (ValueError, KeyError, TypeError, IndexError, re.error):
                break
            if satisfies(node, drawn):
                return drawn
    json_type = get("type")
    min_length = get("minLength")
    if json_type in ("number", "integer"):
        return rng.randint(1, 20)
    if json_type == "boolean":
        return rng.random() < 0.5
    text = str(candidates[0]) if candidates else "x"
    if isinstance(min_length, int) and len(text) < min_length:
        text = text + "x" * (min_length - len(text))
    return text


# ---- realistic leaf values -----------------------------------------------------------------------------------
EXAMPLE_DATES = (dt.date(2018, 1, 1), dt.date(2025, 12, 31))
"""The days example dates fall on (random_date's default range)."""


def random_date(rng: random.Random, start: int = 2018, end: int = 2025) -> dt.date:
    first_day = dt.date(start, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(first_day, dt.date(end, 12, 31).toordinal()))


def random_datetime(rng: random.Random) -> str:
    day = random_date(rng)
    zone = rng.choice(("+02:00", "+03:00", "Z"))
    return (
        f"{day.isoformat()}T{rng.randint(7, 18):02d}:{rng.choice((0, 15, 30, 45)):02d}:{rng.randint(0, 59):02d}{zone}"
    )


def hetu(rng: random.Random, born: dt.date | None = None) -> str:
    """A valid Finnish personal identity code with a test individual number (900-999)."""
    return hetu_from(born or random_date(rng, 1935, 2023), rng.randint(900, 999))


def hetu_from(born: dt.date, number: int, sign_index: int = 0) -> str:
    """The identity code of birth date `born` and individual number `number` (2-899 real, 900-999 test)."""
    signs = CENTURY_SIGNS[born.year // 100]
    digits = f"{born:%d%m}{born.year % 100:02d}{number:03d}"
    return f"{digits[:6]}{signs[sign_index % len(signs)]}{digits[6:]}{hetu_check_character(digits)}"


def business_id(rng: random.Random) -> str:
    """A Finnish business ID (Y-tunnus) with a correct check digit."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(7)]
        remainder = sum(d * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if remainder != 1:
            check = 0 if remainder == 0 else 11 - remainder
            return "".join(map(str, digits)) + f"-{check}"


BICS = ("NDEAFIHH", "OKOYFIHH", "DABAFIHH", "HANDFIHH", "AABAFI22", "SBANFIHH")


def finnish_iban(rng: random.Random) -> str:
    """A Finnish IBAN with correct ISO 13616 check digits (random account number)."""
    account = "".join(str(rng.randint(0, 9)) for _ in range(14))
    check = 98 - int(account + "151800") % 97  # F=15, I=18, then "00"
    return f"FI{check:02d}{account}"


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _name_for(element: Element, rng: random.Random) -> str:
    name = element.fi_name.lower()
    if "sukunimi" in name:
        return rng.choice(LAST_NAMES)
    if "etunim" in name or "kutsumanimi" in name:
        return rng.choice(FIRST_NAMES)
    if any(w in name for w in ("yksikkö", "organisaatio", "palvelunantaja", "palveluntuottaja", "yritys", "toimija")):
        return rng.choice(ORGANISATIONS)
    if "postinumero" in name:
        return f"{rng.randint(0, 99):02d}{rng.randint(1, 99) * 10:03d}"
    if "lähiosoite" in name or "katuosoite" in name:
        return f"{rng.choice(STREETS)} {rng.randint(1, 40)}"
    if "osoite" in name and "sähköposti" not in name:
        postcode = f"{rng.randint(0, 99):02d}{rng.randint(1, 99) * 10:03d}"
        return f"{rng.choice(STREETS)} {rng.randint(1, 40)}, {postcode} {rng.choice(PLACES)}"
    if "nimike" in name or "ammatti" in name:
        return rng.choice(TITLES)
    if "kunta" in name or "paikka" in name:
        return rng.choice(PLACES)
    if "puhelin" in name:
        return f"040 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    if "sähköposti" in name:
        return f"{rng.choice(FIRST_NAMES).lower()}.{rng.choice(LAST_NAMES).lower()}@example.fi"
    return person_name(rng)


def _text_for(element: Element, rng: random.Random) -> str:
    name = element.fi_name.lower()
    if any(w in name for w in ("osoite", "puhelin", "sähköposti", "kunta", "nimi", "numero", "nimike", "paikka")):
        return _name_for(element, rng)
    count = rng.randint(1, 2)
    return " ".join(rng.sample(SENTENCES, count))


def _date_for(element: Element, rng: random.Random) -> str:
    name = element.fi_name.lower()
    if "syntym" in name:
        return random_date(rng, 1935, 2023).isoformat()
    return random_date(rng).isoformat()


def code_labels(element: Element) -> dict[str, str]:
    """`code -> label` from the fi valueSet, else from an internal list's classification text."""
    for texts in (element.value_set, element.classification):
        labels = value_set_labels(texts, "fi")
        if labels:
            return labels
    return {}


def _system_candidates(element: Element) -> list[JsonValue]:
    oid = element.classification_oid_value
    candidates: list[JsonValue] = []
    if oid is not None:
        candidates.append(f"urn:oid:{oid}" if is_oid(oid) else internal_system(oid))
    link = first(element.classification_link, "")
    if link is not None and "/" in link and not link.startswith("http"):
        candidates.append(internal_system(link))  # the internal name sometimes sits in classificationLink
    candidates.append("urn:oid:1.2.246.537.6.1506")
    return candidates


def _list_codes(element: Element, lists: CodeLists | None) -> tuple[list[str], dict[str, str]] | None:
    """Codes to draw from and their Finnish labels, from a known list (docs/code-lists.md precedence): codes in
    force on every day the examples' dates fall on first, leaves of a hierarchy before their parents."""
    found = element_choices(element, lists) if lists is not None else None
    if found is None or found.source == "element" or not found.choices:
        return None  # the element's own codes are drawn as before, with the valueSet's labels
    pool = found.leaves() or found.choices
    lasting = [c for c in pool if c.valid_on(EXAMPLE_DATES[0]) and c.valid_on(EXAMPLE_DATES[1])]
    chosen = lasting or list(pool)
    return [c.code for c in chosen], {c.code: label for c in found.choices if (label := c.label("fi"))}


def koodi(element: Element, rng: random.Random, lists: CodeLists | None = None) -> dict[str, JsonValue]:
    listed = _list_codes(element, lists)
    if listed is not None:
        codes, labels = listed
    else:
        labels = code_labels(element)
        # No list known: a code the structure allows and a placeholder label; nothing pretends to be real.
        codes = list(element.code_values) or list(labels) or [str(rng.randint(1, 9))]
    out: dict[str, JsonValue] = {}
    for sub in element.sub_properties:
        if sub.key == "system":
            out["system"] = constrained(sub.node, _system_candidates(element), rng)
        elif sub.key == "code":
            preferred = rng.choice(codes)
            out["code"] = constrained(sub.node, [preferred, *codes], rng)
        elif sub.key == "display":
            code = out.get("code")
            label = labels.get(code) if isinstance(code, str) else None
            out["display"] = constrained(sub.node, [label or f"{element.fi_name} {code}"], rng)
        else:
            out[sub.key] = constrained(sub.node, [], rng)
    return out


def tunnus(element: Element, rng: random.Random) -> dict[str, JsonValue]:
    system = element.system_uri_value
    name = element.fi_name.lower()
    if system == HETU_SYSTEM or "henkilötunnus" in name:
        system, value = HETU_SYSTEM, hetu(rng)
    elif "y-tunnus" in name or "ytunnus" in name or "yritystunnus" in name:
        system, value = system or "urn:oid:1.2.246.10", business_id(rng)
    elif "iban" in name or "tilinumero" in name:
        system, value = system or "urn:iso:std:iso:13616", finnish_iban(rng)
    elif "bic" in name:
        system, value = system or "urn:iso:std:iso:9362", rng.choice(BICS)
    else:
        system = system or "urn:oid:1.2.246.10.1234567.10"
        value = f"1.2.246.10.{rng.randint(1000000, 9999999)}.10.{rng.randint(1, 99999)}"
    out: dict[str, JsonValue] = {}
    for sub in element.sub_properties:
        if sub.key == "system":
            out["system"] = constrained(sub.node, [system], rng)
        elif sub.key == "value":
            out["value"] = constrained(sub.node, [value], rng)
        else:
            out[sub.key] = constrained(sub.node, [], rng)
    return out


def _unit(element: Element, rep: R, rng: random.Random) -> str:
    name = element.fi_name.lower()
    if rep is R.MAARA:
        if any(w in name for w in ("aika", "kesto", "tunti", "tuntimäärä")):
            return "h"
        if any(w in name for w in ("kerta", "käynti", "lukumäärä")):
            return "krt"
        return "€"  # most amounts in social-welfare documents are money (income, costs, support)
    return rng.choice(_UNITS.get(rep, ("kpl",)))


def quantity(element: Element, rep: R, rng: random.Random) -> dict[str, JsonValue]:
    unit = _unit(element, rep, rng)
    amount: JsonValue = round(rng.uniform(0, 100), 1) if rep is R.PROSENTTI else rng.randint(1, 2500)
    out: dict[str, JsonValue] = {}
    for sub in element.sub_properties:
        if sub.key == "value":
            out["value"] = constrained(sub.node, [amount], rng)
        elif sub.key == "code":
            out["code"] = constrained(sub.node, [unit], rng)
        else:
            out[sub.key] = constrained(sub.node, [], rng)
    return out


def leaf(element: Element, rng: random.Random) -> JsonValue:
    """A realistic value for a value row (not an object), checked against its node."""
    rep = element.representation
    candidates: list[JsonValue]
    if rep is R.PVM:
        candidates = [_date_for(element, rng)]
    elif rep is R.HETKI:
        candidates = [random_datetime(rng)]
    elif rep is R.FRAASI:
        candidates = [v for v in (first(element.phrase, "fi"),) if v is not None]
    elif rep is R.KYTKIN:
        candidates = [rng.random() < 0.5]
    elif rep is R.LKM:
        candidates = [rng.randint(0, 12)]
    elif rep is R.NUMERO:
        candidates = [rng.randint(1, 500)]
    elif rep in (R.NIMI, R.ALLEKIRJOITUS):
        candidates = [_name_for(element, rng)]
    else:
        candidates = [_text_for(element, rng)]
    # Fallbacks by the node's own type: the file's keywords win over the representation.
    candidates += [random_date(rng).isoformat(), random_datetime(rng), rng.random() < 0.5, rng.randint(1, 20)]
    return constrained(element.node, candidates, rng)


# ---- documents -----------------------------------------------------------------------------------------------
def element_value(element: Element, plan: Plan) -> JsonValue:
    """The element's value in a document (a list when the element is repeatable)."""
    if element.wrapper is not None:
        minimum = keyword(element.wrapper, "minItems")
        count = plan.items(minimum if isinstance(minimum, int) else 0)
        return [single_value(element, plan) for _ in range(count)]
    return single_value(element, plan)


def single_value(element: Element, plan: Plan) -> JsonValue:
    if not element.is_json_object:
        return leaf(element, plan.rng)
    rep = element.representation
    if rep is R.KOODI and element.sub_properties:
        return koodi(element, plan.rng, plan.lists)
    if rep is R.TUNNUS and element.sub_properties:
        return tunnus(element, plan.rng)
    if rep is not None and rep.is_quantity and element.sub_properties:
        return quantity(element, rep, plan.rng)
    return members_value(element, plan)


def members_value(element: Element, plan: Plan) -> dict[str, JsonValue]:
    required = set(element.required_keys)
    out: dict[str, JsonValue] = {}
    for member in element.members:
        if isinstance(member, SubProperty):
            if member.key in required or plan.mode != "minimal":
                out[member.key] = constrained(member.node, [], plan.rng)
        elif plan.include(member, member.key in required):
            out[member.key] = element_value(member, plan)
    children = element.children
    if not out and children and plan.mode == "random":
        # An empty container is valid but says nothing; a realistic one has at least one element filled.
        chosen = plan.rng.choice(children)
        out[chosen.key] = element_value(chosen, plan)
        out = {m.key: out[m.key] for m in element.members if m.key in out}
    return out


def document(structure: Structure, plan: Plan) -> dict[str, Any]:
    doc = structure.document
    return {doc.key: element_value(doc, plan)}


def _rng(structure: Structure, seed: int, index: int | str) -> random.Random:
    # String seeds hash deterministically (random's version-2 seeding), unlike hash() of a str.
    return random.Random(f"{seed}/{structure.version_oid}/{index}")


def minimal_document(structure: Structure, lists: CodeLists | None = None) -> dict[str, Any]:
    """Only the required elements, recursively; required arrays get `minItems` items. Codes come from
    `lists` where one is known for an element (generators/code_choices.py)."""
    return document(structure, Plan("minimal", _rng(structure, 0, "minimal"), lists=lists))


def maximal_document(structure: Structure, seed: int = 0, lists: CodeLists | None = None) -> dict[str, Any]:
    """Every element present; repeatable elements with two items."""
    return document(structure, Plan("maximal", _rng(structure, seed, "maximal"), lists=lists))


def example_documents(
    structure: Structure, n: int, seed: int = 0, lists: CodeLists | None = None
) -> list[dict[str, Any]]:
    """`n` random realistic documents; document i is the same whatever `n` is."""
    return [document(structure, Plan("random", _rng(structure, seed, i), lists=lists)) for i in range(1, n + 1)]


def dumps(document_data: dict[str, Any]) -> bytes:
    """A document as UTF-8 JSON, 2-space indented, keys in schema order."""
    return (json.dumps(document_data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _build(ctx: BuildContext) -> None:
    options = ctx.options.get("examples", {}) if isinstance(ctx.options.get("examples"), dict) else {}
    count = int(options.get("count", ctx.options.get("count", 5)))
    seed = int(options.get("seed", ctx.options.get("seed", 0)))
    lists = build_lists(ctx.options)
    for structure in ctx.progress(ctx.structures, "examples"):
        folder = structure.version_oid
        ctx.write(f"{folder}/minimal.json", dumps(minimal_document(structure, lists)))
        ctx.write(f"{folder}/maximal.json", dumps(maximal_document(structure, seed, lists)))
        for index, doc in enumerate(example_documents(structure, count, seed, lists), start=1):
            ctx.write(f"{folder}/example-{index:03d}.json", dumps(doc))


TARGET = Target(
    name="examples",
    description="Example documents per structure version: minimal, maximal and N random realistic ones "
    "(OUT/examples/<version OID>/{minimal,maximal,example-001...}.json)",
    build=_build,
)
