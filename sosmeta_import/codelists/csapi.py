"""csapi v6 `conceptcodes` pages (THL's code server, Koodistopalvelu) as concept records.

A page is `{conceptCodes: [...], pageSize, page, totalItems, totalPages}`; a file holds one page or a JSON
array of pages. Every concept code becomes a `Concept` located by its JSON pointer. `check_pages` says when
the pages of a list are not all there (a page missing, fewer codes than `totalItems`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sosmeta.safeio.parsing import loads_json
from sosmeta.sosmeta_import.codelists.concepts import FIELDS, Concept
from sosmeta.sosmeta_import.errors import Problem
from sosmeta.sosmeta_import.problem_texts import say


@dataclass(frozen=True)
class Page:
    """One page's counters, for the completeness check."""

    source: str
    place: str
    page: int | None
    total_pages: int | None
    total_items: int | None
    keys: frozenset[tuple[str, str]]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _esc(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def page_concepts(
    data: Any, source: str, base: str = "", problems: list[Problem] | None = None
) -> tuple[list[Concept], Page]:
    """The concepts of one page (a parsed JSON object) and its counters; shape problems are appended."""
    problems = problems if problems is not None else []
    concepts: list[Concept] = []
    if not isinstance(data, dict) or not isinstance(data.get("conceptCodes"), list):
        problems.append(Problem(source, base or "/", say("codes.not_page"), "codes.not_page"))
        return concepts, Page(source, base, None, None, None, frozenset())
    for i, item in enumerate(data["conceptCodes"]):
        place = f"{base}/conceptCodes/{i}"
        if not isinstance(item, dict):
            problems.append(Problem(source, place, say("codes.not_object"), "codes.not_object"))
            continue
        fields = {k: item.get(k) for k in FIELDS if k in item}
        places = {k: f"{place}/{_esc(k)}" for k in FIELDS}
        attributes: list[tuple[str, list[Any]]] = []
        raw = item.get("attributes", [])
        if not isinstance(raw, list):
            problems.append(Problem(source, f"{place}/attributes", say("codes.not_array"), "codes.not_array"))
            raw = []
        for j, attribute in enumerate(raw):
            at = f"{place}/attributes/{j}"
            name = attribute.get("attributeName") if isinstance(attribute, dict) else None
            if not isinstance(name, str) or not name.strip():
                problems.append(Problem(source, at, say("codes.bad_attribute"), "codes.bad_attribute"))
                continue
            values = attribute.get("attributeValue", [])
            values = values if isinstance(values, list) else [values]
            attributes.append((name.strip(), values))
            places.setdefault(name.strip(), f"{at}/attributeValue")
        concepts.append(Concept(source, place, fields, attributes, places))
    keys = frozenset((str(c.fields.get("classificationId")), str(c.fields.get("versionId"))) for c in concepts)
    page = Page(
        source, base or "/", _int(data.get("page")), _int(data.get("totalPages")), _int(data.get("totalItems")), keys
    )
    return concepts, page


def file_concepts(text: str, source: str, problems: list[Problem]) -> tuple[list[Concept], list[Page]]:
    """Every concept of a file holding one page or an array of pages."""
    data = loads_json(text, source)
    pages_data = data if isinstance(data, list) else [data]
    concepts: list[Concept] = []
    pages: list[Page] = []
    for i, page_data in enumerate(pages_data):
        found, page = page_concepts(page_data, source, f"/{i}" if isinstance(data, list) else "", problems)
        concepts.extend(found)
        pages.append(page)
    return concepts, pages


def check_pages(pages: list[Page], concepts: list[Concept]) -> list[Problem]:
    """Lists whose pages are not all given: fewer distinct pages than `totalPages`, or fewer codes than
    `totalItems` once all pages are there."""
    problems = []
    by_list: dict[tuple[str, str], list[Page]] = {}
    for page in pages:
        for key in page.keys:
            by_list.setdefault(key, []).append(page)
    for key, group in by_list.items():
        totals = {p.total_pages for p in group if p.total_pages is not None}
        seen = {p.page for p in group if p.page is not None}
        where = group[-1]
        if totals and len(seen) < max(totals):
            problems.append(
                Problem(
                    where.source,
                    where.place,
                    say("codes.missing_page", ref=f"{key[0]}@{key[1]}", n=len(seen), total=max(totals)),
                    "codes.missing_page",
                )
            )
            continue
        items = {p.total_items for p in group if p.total_items is not None}
        codes = {
            str(c.fields.get("conceptCodeId"))
            for c in concepts
            if (str(c.fields.get("classificationId")), str(c.fields.get("versionId"))) == key
        }
        if items and len(codes) < max(items):
            problems.append(
                Problem(
                    where.source,
                    where.place,
                    say("codes.items_mismatch", ref=f"{key[0]}@{key[1]}", n=len(codes), total=max(items)),
                    "codes.count_mismatch",
                )
            )
    return problems
