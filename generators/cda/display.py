"""The display form: the document as XHTML 1.1 for people, in Kanta's `soc-*` vocabulary, rendered with jinja2.

The archive's viewers style the display form by Kanta's class names, so the page follows the layout real
traffic has (`div.soc-document` > `div.soc-header`, `div.soc-main-wrapper`, `div.soc-footer`; see
docs/cda.md). A view (a flat list of rows, see `Row`) is built from the structure and the document: every
element in structure order with its Finnish (or Swedish) name, values written for people (dates d.m.yyyy,
codes as their display text, booleans Kyllä/Ei or Ja/Nej, quantities with their unit), hidden grouping
levels (`hiddenField`) flattened, hidden titles (`hiddenTitle`) left out and personal identity codes masked.
The templates then lay it out; an organisation may override any template by putting a file of the same name
in its own template folder, which is searched first. No style is put in the archived XHTML: the stylesheet
for previewing it locally is `generators/html/assets/soc-preview.css` (`preview_page`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import markupsafe

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.envelope import Envelope
from sosmeta.structures.identifiers import (
    CENTURY_SIGNS,
    HETU_CHECK_CHARACTERS,
    HETU_FORMAT,
    HETU_OID,
    HETU_SYSTEM,
    hetu_problem,
)
from sosmeta.structures.model import Element, Structure
from sosmeta.structures.organisation import Organisation
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.texts import first, pick

TEMPLATE = "display.xhtml.j2"
BLOCKS = "display_blocks.xhtml.j2"
PREVIEW_STYLESHEET = Path(__file__).resolve().parent.parent / "html" / "assets" / "soc-preview.css"
"""The stylesheet for previewing a display form locally; never part of the archived XHTML."""
LOCAL_ZONE = ZoneInfo("Europe/Helsinki")
MASK = "*****"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_not_xml = _NOT_XML.search
_DATE = re.compile(r"^(-?)([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_HETU_SYSTEMS = frozenset({HETU_SYSTEM, HETU_OID})
_CENTURY_SIGNS = frozenset("".join(CENTURY_SIGNS.values()))  # records carry the OID with and without `urn:oid:`

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


def hetu_shaped(value: str) -> bool:
    """`hetu_problem(value) != HETU_FORMAT` (DDMMYY, a century sign, three digits and a check character),
    without the date and check character `hetu_problem` goes on to look at."""
    if len(value) != 11 or value[6] not in _CENTURY_SIGNS or value[10] not in HETU_CHECK_CHARACTERS:
        return False
    digits = value[:6] + value[7:10]
    return digits.isascii() and digits.isdigit()


def mask_identity_code(value: str) -> str:
    """`180418A903L` -> `180418*****`, as the archive shows it: the birth date stays, the century sign,
    individual number and check character are hidden. A value not shaped like an identity code is hidden
    whole (it may be one written wrongly)."""
    return value[:6] + MASK if hetu_shaped(value) else MASK


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


def format_date(value: str) -> str:
    """`2024-03-05` -> `5.3.2024`, `2024-03` -> `3.2024`, `2024` -> `2024`."""
    if len(value) == 10 and value[4] == value[7] == "-":  # a whole date, the common case: read by the C parser
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            pass  # e.g. 2024-02-30: shown by its parts, as written
        else:
            return f"{date.day}.{date.month}.{value[:4]}"  # the year as written (0999 stays 0999)
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
    line: bool
    """A single value (not a group, not repeatable): inside a block, always one `value` row."""
    plain: bool
    """Its string values are shown as they are (no date, time or phrase to rewrite, nothing to mask)."""

    @classmethod
    def of(cls, element: Element) -> Plan:
        rep = element.representation
        group = rep in (R.GROUP, R.OTSIKKO) or bool(element.children)
        identity = element.system_uri_value in _HETU_SYSTEMS or element.key == "henkilotunnus"
        titles = {lang: None if element.hidden_title else (pick(element.name, lang) or element.key) for lang in LABELS}
        return cls(
            key=element.key,
            titles=titles,
            rep=rep,
            group=group,
            hidden_field=bool(element.hidden_field),
            repeatable=element.is_repeatable,
            identity=identity,
            phrase={lang: pick(element.phrase, lang) for lang in LABELS} | {"": first(element.phrase, "fi")},
            children=tuple(cls.of(child) for child in element.children),
            line=not group and not element.is_repeatable,
            plain=rep not in (R.PVM, R.HETKI, R.FRAASI, R.TUNNUS) and not identity,
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
    if isinstance(value, str):  # the most common value: texts, names, dates
        rep = element.rep
        if element.identity or (rep is R.TUNNUS and hetu_problem(value) != HETU_FORMAT):
            return [mask_identity_code(value)]  # an identity code written as a bare string (an invalid document)
        if rep is R.PVM:
            text = format_date(value)
        elif rep is R.HETKI:
            text = format_datetime(value, lang)
        elif rep is R.FRAASI and value == element.phrase[""]:
            text = element.phrase[lang] or value
        else:
            text = value
        if "\n" in text:
            return [_clean(line) for line in text.split("\n")]
        return [_NOT_XML.sub("\ufffd", text) if _not_xml(text) else text]
    if isinstance(value, bool):
        return [LABELS[lang]["yes" if value else "no"]]
    if isinstance(value, dict):
        rep = element.rep
        if rep is R.KOODI or ({"code", "display"} & value.keys() and "value" not in value):
            shown = value.get("display") or value.get("code")
            return [_clean(str(shown))] if shown is not None else []
        if rep is R.TUNNUS or ("value" in value and isinstance(value.get("value"), str)):
            return [_identifier(element, value)]
        if "value" in value:
            unit = value.get("code")
            return [format_number(value["value"]) + (f" {_clean(str(unit))}" if unit else "")]
    if isinstance(value, int | float):
        return [format_number(value)]
    return [_clean(json.dumps(value, ensure_ascii=False))]


def _identifier(element: Plan, value: dict[str, Any]) -> str:
    """A Tunnus for people; masked when it is an identity code by its element or system, and also when it is
    merely shaped like one (temporary identifiers are made in that shape)."""
    text = str(value.get("value", ""))
    if element.identity or value.get("system") in _HETU_SYSTEMS or hetu_problem(text) != HETU_FORMAT:
        return mask_identity_code(text)
    return _clean(text)


Row = tuple[str, int, str | None, list[str]]
"""(event, heading level, title, lines). Events: `list` (`item` ... `end_item`)* `end_list` is an element
block (Kanta's `soc-list`, one `soc-item` per occurrence, headed by the title at the level: h1 for the
document's own elements, h2 and h3 below them); `value` is one value's lines (with the title before them
when the value is a member of a block). The document is handed to the templates as this flat list, so that
they lay it out in one loop (recursive macros cost jinja2 several times more)."""

_NONE: list[str] = []  # shared, never modified: rows without value lines
_LIST: Row = ("list", 0, None, _NONE)
_END_ITEM: Row = ("end_item", 0, None, _NONE)
_END_LIST: Row = ("end_list", 0, None, _NONE)
_HEADING = (1, 1, 2) + (3,) * 64  # heading level by block depth (1 = the document's own elements): h1..h3


def element_rows(element: Plan, value: Any, lang: str, depth: int, rows: list[Row]) -> None:
    """Append the rows of one element at block depth `depth` (1: a child of the document element, or of a
    hidden level there): nothing without a value. A group is a block with one item per occurrence, its
    members inside; a value is a block of its own at depth 1 and a titled line inside a block below it;
    a hidden level (`hiddenField`) adds no block, its members stand where it would."""
    many = element.repeatable and isinstance(value, list)
    if element.group:
        items = value if many else (value,)
        if element.hidden_field:
            for item in items:
                _members(element, item, lang, depth, rows)
            return
        start = len(rows)
        rows.append(_LIST)
        title = element.titles[lang]
        heading = _HEADING[depth]
        for item in items:
            mark = len(rows)
            rows.append(("item", heading, title, _NONE))
            _members(element, item, lang, depth + 1, rows)
            if len(rows) == mark + 1:
                del rows[mark:]  # an empty occurrence is not shown
            else:
                rows.append(_END_ITEM)
        if len(rows) == start + 1:
            del rows[start:]
        else:
            rows.append(_END_LIST)
        return
    values = value if many else (value,)
    if not values:
        return
    if depth > 1:
        title = element.titles[lang]
        for one in values:
            rows.append(("value", 0, title, format_value(element, one, lang)))
        return
    rows.append(_LIST)
    rows.append(("item", 1, element.titles[lang], _NONE))
    for one in values:
        rows.append(("value", 0, None, format_value(element, one, lang)))
    rows.append(_END_ITEM)
    rows.append(_END_LIST)


def _members(element: Plan, value: Any, lang: str, depth: int, rows: list[Row]) -> None:
    if isinstance(value, dict):
        for child in element.children:
            if child.key in value:
                member = value[child.key]
                if depth > 1 and child.line:  # a single value inside a block, the most common row
                    if child.plain and member.__class__ is str and "\n" not in member and not _not_xml(member):
                        lines = [member]  # the commonest value of all, a plain one-line text
                    else:
                        lines = format_value(child, member, lang)
                    rows.append(("value", 0, child.titles[lang], lines))
                else:
                    element_rows(child, member, lang, depth, rows)
    elif value is not None:  # a group holding a plain value: only an invalid document, shown as it is
        rows.append(("value", 0, None, format_value(element, value, lang)))


def document_rows(structure: Structure, document: dict[str, Any], lang: str) -> list[Row]:
    """The rows below the title: the document element's children in structure order."""
    root = plan(structure)
    body = document.get(root.key)
    rows: list[Row] = []
    if isinstance(body, dict):
        for child in root.children:
            if child.key in body:
                element_rows(child, body[child.key], lang, 1, rows)
    return rows


Key = tuple[str, int, str | None]


class Blocks:
    """The element markup of one template set, rendered by the `open`/`close` macros of BLOCKS once per
    distinct (event, level, title) and then reused: per document only the values are escaped and joined."""

    def __init__(self, env: jinja2.Environment) -> None:
        module = env.get_template(BLOCKS).module
        self._open = module.open  # type: ignore[attr-defined]
        self._close = module.close  # type: ignore[attr-defined]
        self._cache: dict[Key, tuple[str, str]] = {}
        self._between: dict[tuple[Key | None, Key], str] = {}

    def markup(self, key: Key) -> tuple[str, str]:
        """The (open, close) markup of rows with this (event, level, title)."""
        markup = self._cache.get(key)
        if markup is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
                self._between.clear()
            event, level, title = key
            markup = (str(self._open(event, level, title)), str(self._close(event)))
            self._cache[key] = markup
        return markup

    def body(self, rows: list[Row]) -> markupsafe.Markup:
        """The document's blocks as one safe string: the markup rendered by the blocks template's macros (the
        markup between two values, the close of one row and the open of the next, cached as one string)
        joined with the values, each escaped for element content (`&`, `<`, `>`; values never go into an
        attribute) by the standard library, which costs half of markupsafe's escape here."""
        between = self._between
        out: list[str] = []
        append = out.append
        previous: Key | None = None
        for event, level, title, lines in rows:
            key = (event, level, title)
            markup = between.get((previous, key))
            if markup is None:
                if len(between) > 200_000:  # bounded; real documents reuse a few thousand pairs
                    between.clear()
                opening = self.markup(key)[0]
                markup = opening if previous is None else self.markup(previous)[1] + opening
                between[(previous, key)] = markup
            append(markup)
            if len(lines) == 1:
                append(escape_text(lines[0], False))
            elif lines:
                append("<br />".join([escape_text(line, False) for line in lines]))
            previous = key
        if previous is not None:
            append(self.markup(previous)[1])
        return markupsafe.Markup("".join(out))  # every part is markup from the macros or an escaped value


escape = markupsafe.escape
escape_text = html.escape


@lru_cache(maxsize=16)
def blocks(override: str | None = None) -> Blocks:
    return Blocks(environment(override))


@lru_cache(maxsize=16)
def environment(override: str | None = None) -> jinja2.Environment:
    """A jinja2 environment whose loader looks in `override` (an organisation's template folder) first. The
    built-in templates are also reachable as `builtin/<name>`, so that an organisation's page can extend the
    built-in one and replace a single block (`{% extends "builtin/display.xhtml.j2" %}`)."""
    builtin = jinja2.PackageLoader("sosmeta.generators.cda", "templates")
    loaders: list[jinja2.BaseLoader] = []
    if override:
        loaders.append(jinja2.FileSystemLoader(override))
    loaders += [builtin, jinja2.PrefixLoader({"builtin": builtin})]
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


PAGE_FIELDS = (
    "body_id",
    "organisation",
    "letterhead",
    "unit",
    "document_type",
    "date",
    "title",
    "client_name",
    "identity",
    "author_name",
    "document_id",
    "version",
)
"""The page template's values beside `lang`, `labels`, `rows` and `body`, in the order `page_values` gives them."""

_NAMES: dict[int, tuple[Structure, dict[str, str]]] = {}


def _structure_title(structure: Structure, lang: str) -> str:
    """The structure's name in `lang` (else its Finnish title), kept per structure object: the model's views
    are derived on every access."""
    hit = _NAMES.get(id(structure))
    if hit is None or hit[0] is not structure:
        hit = _NAMES[id(structure)] = (structure, {})
    title = hit[1].get(lang)
    if title is None:
        title = hit[1][lang] = pick(structure.document.name, lang) or structure.fi_title
    return title


def _person(given: str | None, family: str | None, family_first: bool) -> str | None:
    """The parts there are, joined with a space (None without either)."""
    first_part, second = (family, given) if family_first else (given, family)
    if first_part:
        return f"{first_part} {second}" if second else first_part
    return second or None


def page_values(structure: Structure, envelope: Envelope, profile: Organisation | None, lang: str) -> tuple[Any, ...]:
    """What the page template gets beside the elements (header, client and footer texts; values only), in the
    order of `PAGE_FIELDS`."""
    client = envelope.client
    author = getattr(envelope, "author", None)  # may be absent or without a person (client-relationship document)
    general = envelope.general_type
    unit = envelope.service_unit
    local = envelope.drafting_time.astimezone(LOCAL_ZONE)
    return (
        m.BODY_ID_PREFIX + envelope.document_id,
        (profile.name.get(lang) if profile else None) or envelope.register_keeper.name,
        profile.letterhead.get(lang) if profile and profile.letterhead else None,
        unit.name if unit else None,
        (general.display if general else None) or structure.document_type,
        f"{local.day}.{local.month}.{local.year}",
        # an envelope may leave the title out (it is optional in CDA): the structure's name stands for it
        getattr(envelope, "title", None) or _structure_title(structure, lang),
        _person(client.given, client.family, family_first=True),
        mask_identity_code(client.id) if client.id_root == m.HETU_OID else None,
        _person(getattr(author, "given", None), getattr(author, "family", None), family_first=False),
        envelope.document_id,
        envelope.version_number,
    )


def page_context(structure: Structure, envelope: Envelope, profile: Organisation | None, lang: str) -> dict[str, Any]:
    """What the page template gets beside the elements, by name, with the language and its labels."""
    return {
        "lang": lang,
        "labels": LABELS[lang],
        **dict(zip(PAGE_FIELDS, page_values(structure, envelope, profile, lang), strict=True)),
    }


def render_display(
    structure: Structure,
    document: dict[str, Any],
    envelope: Envelope,
    profile: Organisation | None = None,
    templates: Path | None = None,
) -> str:
    """The XHTML display form of `document` (a `div.soc-document` whose id is `OID` + the document id). With the
    built-in templates the markup comes from their precomputed forms (the elements' generated code,
    `display_code`, and the page's parts, `display_text`), else from the templates."""
    if not templates:
        body, page = _fast or _fast_paths()
        lang = envelope.language
        text = page(lang, page_values(structure, envelope, profile, lang), body(plan(structure), lang)(document))
        if text is not None:
            return text
    return render_templates(structure, document, envelope, profile, templates)


_fast: tuple[Any, Any] | None = None


def _fast_paths() -> tuple[Any, Any]:
    """(`display_code.body`, `display_text.page_of`), imported when first needed (they import this module)."""
    global _fast
    from sosmeta.generators.cda import display_code, display_text

    _fast = (display_code.body, display_text.page_of)
    return _fast


def render_templates(
    structure: Structure,
    document: dict[str, Any],
    envelope: Envelope,
    profile: Organisation | None = None,
    templates: Path | None = None,
) -> str:
    """The display form rendered by the templates from the rows (an organisation's templates, and the built-in
    ones where their precomputed forms do not apply)."""
    lang = envelope.language
    context = page_context(structure, envelope, profile, lang)
    override = str(templates) if templates else None
    rows = document_rows(structure, document, lang)
    context["rows"] = rows
    context["body"] = blocks(override).body(rows)
    return environment(override).get_template(TEMPLATE).render(context)


PREVIEW_PAGE = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="{lang}"><head><title>{title}</title>
<link rel="stylesheet" type="text/css" href="{stylesheet}" /></head>
<body>
{display}</body></html>
"""


def preview_page(display: str, stylesheet: str = "soc-preview.css", title: str = "", lang: str = "fi") -> str:
    """A whole XHTML page around a display form that links the local preview stylesheet (`stylesheet` is the
    href), to look at a display form in a browser much as the archive's viewers show it. The display form
    goes in unchanged: the archived XHTML itself never carries a style."""
    return PREVIEW_PAGE.format(lang=escape(lang), title=escape(title), stylesheet=escape(stylesheet), display=display)
