"""The display form: the document as XHTML 1.1 for people, rendered with jinja2 from the structure.

A view (a flat list of rows, see `Row`) is built from the structure and the document: every element in structure order
with its Finnish (or Swedish) name, values written for people (dates d.m.yyyy, codes as their display text,
booleans Kyllä/Ei or Ja/Nej, quantities with their unit, repeats as lists), hidden grouping levels
(`hiddenField`) flattened, hidden titles (`hiddenTitle`) left out and personal identity codes masked. The
template then lays it out; an organisation may override any template by putting a file of the same name in
its own template folder, which is searched first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import markupsafe

from generators.cda import mapping as m
from generators.cda.envelope import Envelope
from structures.identifiers import HETU_SYSTEM
from structures.model import Element, Structure
from structures.organisation import Organisation
from structures.representation import Representation as R
from structures.texts import first, pick

TEMPLATE = "display.xhtml.j2"
LOCAL_ZONE = ZoneInfo("Europe/Helsinki")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DATE = re.compile(r"^(-?)([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")

LABELS: dict[str, dict[str, str]] = {
    "fi": {
        "yes": "Kyllä",
        "no": "Ei",
        "at": "klo",
        "client": "Asiakas",
        "identity": "Henkilötunnus",
        "author": "Laatija",
        "drafted": "Laadittu",
        "document": "Asiakirjan tunniste",
        "version": "versio",
        "organisation": "Rekisterinpitäjä",
        "unit": "Palveluyksikkö",
    },
    "sv": {
        "yes": "Ja",
        "no": "Nej",
        "at": "kl.",
        "client": "Klient",
        "identity": "Personbeteckning",
        "author": "Upprättad av",
        "drafted": "Upprättad",
        "document": "Dokumentets identifikation",
        "version": "version",
        "organisation": "Registeransvarig",
        "unit": "Serviceenhet",
    },
}


def mask_identity_code(value: str) -> str:
    """Birth date and century sign stay; the individual number and check character are hidden."""
    return value[:7] + "****" if len(value) >= 7 else "****"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


def format_date(value: str) -> str:
    """`2024-03-05` -> `5.3.2024`, `2024-03` -> `3.2024`, `2024` -> `2024`."""
    match = _DATE.match(value)
    if not match:
        return value
    sign, year, month, day = match.groups()
    parts = [str(int(p)) for p in (day, month) if p is not None] + [sign + year]
    return ".".join(parts)


def format_datetime(value: str, lang: str) -> str:
    """A Hetki value in Finnish local time: `5.3.2024 klo 13.33` (date-only values as dates)."""
    if "T" not in value:
        return format_date(value)
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    local = moment.astimezone(LOCAL_ZONE) if moment.tzinfo else moment
    return f"{local.day}.{local.month}.{local.year} {LABELS[lang]['at']} {local.hour}.{local.minute:02d}"


def format_number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return str(value).replace(".", ",")


@dataclass(frozen=True, slots=True)
class Plan:
    """What the display needs of one element, computed once per structure (the model's views are derived on
    every access, which costs more than the rendering itself)."""

    key: str
    titles: dict[str, str | None]
    """Title per language; None when the title is hidden."""
    rep: R | None
    group: bool
    hidden_field: bool
    repeatable: bool
    identity: bool
    phrase: dict[str, str | None]
    children: tuple[Plan, ...]

    @classmethod
    def of(cls, element: Element) -> Plan:
        rep = element.representation
        titles = {lang: None if element.hidden_title else (pick(element.name, lang) or element.key) for lang in LABELS}
        return cls(
            key=element.key,
            titles=titles,
            rep=rep,
            group=rep in (R.GROUP, R.OTSIKKO) or bool(element.children),
            hidden_field=bool(element.hidden_field),
            repeatable=element.is_repeatable,
            identity=element.system_uri_value == HETU_SYSTEM or element.key == "henkilotunnus",
            phrase={lang: pick(element.phrase, lang) for lang in LABELS} | {"": first(element.phrase, "fi")},
            children=tuple(cls.of(child) for child in element.children),
        )


_PLANS: dict[int, tuple[Structure, Plan]] = {}


def plan(structure: Structure) -> Plan:
    """The display plan of a structure's document element (cached per structure object)."""
    hit = _PLANS.get(id(structure))
    if hit is None or hit[0] is not structure:
        hit = (structure, Plan.of(structure.document))
        _PLANS[id(structure)] = hit
    return hit[1]


def format_value(element: Plan, value: Any, lang: str) -> list[str]:
    """The value as lines of text for people."""
    rep = element.rep
    if isinstance(value, bool):
        return [LABELS[lang]["yes" if value else "no"]]
    if isinstance(value, str):
        if rep is R.PVM:
            text = format_date(value)
        elif rep is R.HETKI:
            text = format_datetime(value, lang)
        elif rep is R.FRAASI and value == element.phrase[""]:
            text = element.phrase[lang] or value
        else:
            text = value
        if "\n" not in text:
            return [_clean(text)]
        return [_clean(line) for line in text.split("\n")]
    if isinstance(value, dict):
        if rep is R.KOODI or ({"code", "display"} & value.keys() and "value" not in value):
            shown = value.get("display") or value.get("code")
            return [_clean(str(shown))] if shown is not None else []
        if rep is R.TUNNUS or ("value" in value and isinstance(value.get("value"), str)):
            text = str(value.get("value", ""))
            identity = element.identity or value.get("system") == HETU_SYSTEM
            return [mask_identity_code(text) if identity else _clean(text)]
        if "value" in value:
            unit = value.get("code")
            return [format_number(value["value"]) + (f" {_clean(str(unit))}" if unit else "")]
    if isinstance(value, int | float):
        return [format_number(value)]
    return [_clean(json.dumps(value, ensure_ascii=False))]


Row = tuple[str, int, str | None, list[str]]
"""(event, heading level, title, lines). Events: `value`; `group` ... `end`; `list` (`item` ... `end_item`)*
`end_list`. The document is handed to the template as this flat list, so the template lays it out in a single
loop (recursive macros cost jinja2 several times more)."""


_NONE: list[str] = []  # shared, never modified: rows without value lines
_LEVEL = (2, 2, 2, 3, 4, 5) + (6,) * 64  # heading level by depth: h2..h6


def element_rows(element: Plan, value: Any, lang: str, level: int, rows: list[Row]) -> None:
    """Append the rows of one element: none without a value; only its members when its level is hidden."""
    if element.repeatable and isinstance(value, list):
        shown = _LEVEL[level]
        items: list[Row] = []
        for item in value:
            inner: list[Row] = []
            _single(element, item, None, lang, level + 1, inner)
            if inner:
                items.append(("item", shown, None, _NONE))
                items.extend(inner)
                items.append(("end_item", shown, None, _NONE))
        if items:
            rows.append(("list", shown, element.titles[lang], _NONE))
            rows.extend(items)
            rows.append(("end_list", shown, None, _NONE))
        return
    _single(element, value, element.titles[lang], lang, level, rows)


def _single(element: Plan, value: Any, title: str | None, lang: str, level: int, rows: list[Row]) -> None:
    if element.group and isinstance(value, dict):
        hidden = element.hidden_field
        if not hidden:
            rows.append(("group", _LEVEL[level], title, _NONE))
        below = level if hidden else level + 1
        for child in element.children:
            if child.key in value:
                element_rows(child, value[child.key], lang, below, rows)
        if not hidden:
            rows.append(("end", _LEVEL[level], None, _NONE))
        return
    rows.append(("value", _LEVEL[level], title, format_value(element, value, lang)))


def document_rows(structure: Structure, document: dict[str, Any], lang: str) -> list[Row]:
    """The rows below the title: the document element's children in structure order."""
    root = plan(structure)
    body = document.get(root.key)
    rows: list[Row] = []
    if isinstance(body, dict):
        for child in root.children:
            if child.key in body:
                element_rows(child, body[child.key], lang, 2, rows)
    return rows


BLOCKS = "display_blocks.xhtml.j2"


class Blocks:
    """The element markup of one template set, rendered by the `open`/`close` macros of BLOCKS once per
    distinct (event, level, title) and then reused: per document only the values are escaped and joined."""

    def __init__(self, env: jinja2.Environment) -> None:
        module = env.get_template(BLOCKS).module
        self._open = module.open  # type: ignore[attr-defined]
        self._close = module.close  # type: ignore[attr-defined]
        self._cache: dict[tuple[str, int, str | None], tuple[markupsafe.Markup, markupsafe.Markup]] = {}
        self._between: dict[tuple[tuple[str, int, str | None] | None, tuple[str, int, str | None]], markupsafe.Markup]
        self._between = {}

    def _markup(self, key: tuple[str, int, str | None]) -> tuple[markupsafe.Markup, markupsafe.Markup]:
        markup = self._cache.get(key)
        if markup is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
                self._between.clear()
            event, level, title = key
            markup = (markupsafe.Markup(self._open(event, level, title)), markupsafe.Markup(self._close(event)))
            self._cache[key] = markup
        return markup

    def body(self, rows: list[Row]) -> markupsafe.Markup:
        """The document's blocks as one safe string: the markup rendered by the blocks template's macros (the
        markup between two values, the close of one element and the open of the next, cached as one string)
        joined with the values, escaped by markupsafe exactly as the template's autoescaping would."""
        between = self._between
        out: list[str] = []
        previous: tuple[str, int, str | None] | None = None
        for event, level, title, lines in rows:
            key = (event, level, title)
            markup = between.get((previous, key))
            if markup is None:
                if len(between) > 200_000:  # bounded; real documents reuse a few thousand pairs
                    between.clear()
                opening = self._markup(key)[0]
                markup = opening if previous is None else self._markup(previous)[1] + opening
                between[(previous, key)] = markup
            out.append(markup)
            if len(lines) == 1:
                out.append(escape(lines[0]))
            elif lines:
                out.append(_BR.join(lines))  # escapes each line
            previous = key
        if previous is not None:
            out.append(self._markup(previous)[1])
        return markupsafe.Markup("".join(out))  # every part is markup from the macros or an escaped value


escape = markupsafe.escape
_BR = markupsafe.Markup("<br />")


@lru_cache(maxsize=16)
def blocks(override: str | None = None) -> Blocks:
    return Blocks(environment(override))


@lru_cache(maxsize=16)
def environment(override: str | None = None) -> jinja2.Environment:
    """A jinja2 environment whose loader looks in `override` (an organisation's template folder) first."""
    loaders: list[jinja2.BaseLoader] = []
    if override:
        loaders.append(jinja2.FileSystemLoader(override))
    loaders.append(jinja2.PackageLoader("generators.cda", "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_display(
    structure: Structure,
    document: dict[str, Any],
    envelope: Envelope,
    profile: Organisation | None = None,
    templates: Path | None = None,
) -> str:
    """The XHTML display form of `document` (a `div` whose id is `OID` + the document id)."""
    lang = envelope.language
    labels = LABELS[lang]
    client = envelope.client
    identity = mask_identity_code(client.id) if client.id_root == m.HETU_OID else None
    client_name = " ".join(p for p in (client.family, client.given) if p)
    author_name = " ".join(p for p in (envelope.author.given, envelope.author.family) if p)
    local = envelope.drafting_time.astimezone(LOCAL_ZONE)
    context: dict[str, Any] = {
        "lang": lang,
        "labels": labels,
        "body_id": m.BODY_ID_PREFIX + envelope.document_id,
        "organisation": (profile.name.get(lang) if profile else None) or envelope.register_keeper.name,
        "letterhead": profile.letterhead.get(lang) if profile and profile.letterhead else None,
        "unit": envelope.service_unit.name if envelope.service_unit else None,
        "document_type": (envelope.general_type.display if envelope.general_type else None) or structure.document_type,
        "date": f"{local.day}.{local.month}.{local.year}",
        "title": envelope.title,
        "client_name": client_name or None,
        "identity": identity,
        "author_name": author_name or None,
        "document_id": envelope.document_id,
        "version": envelope.version_number,
    }
    override = str(templates) if templates else None
    rows = document_rows(structure, document, lang)
    context["rows"] = rows
    context["body"] = blocks(override).body(rows)
    return environment(override).get_template(TEMPLATE).render(context)
