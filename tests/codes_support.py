"""Code lists for tests: writers of csapi v6 pages, CSV files and workbook sheets from the model (the reverse
of the importers), hypothesis strategies of lists, and two hand-made lists (one with validity dates, one
hierarchical)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from openpyxl import Workbook

from sosmeta.structures.codelists.model import Code, CodeList, Provenance

PROVENANCE = Provenance(source="file", retrieved="2025-01-01T00:00:00Z", files=("test",))
SERVICE_TASK = "1.2.246.537.6.1221"
SOCIAL_SERVICES = "1.2.246.537.6.1222"


def dated_list(version: str = "201601") -> CodeList:
    """A flat list whose codes begin and expire: `10` always valid, `20` until 2019, `30` from 2021, `40`
    deleted."""
    return CodeList(
        classification=SERVICE_TASK,
        version=version,
        name="Sosiaalihuolto - Palvelutehtävä",
        version_name="2016",
        provenance=PROVENANCE,
        codes=(
            Code(code="10", names={"fi": "Lastensuojelu", "sv": "Barnskydd"}, status="ACTIVE", begin="2016-01-01"),
            Code(
                code="20",
                names={"fi": "Aikuissosiaalityö", "sv": "Socialt arbete för vuxna"},
                status="ACTIVE",
                begin="2016-01-01",
                expires="2019-12-31",
            ),
            Code(code="30", names={"fi": "Perhesosiaalityö"}, status="ACTIVE", begin="2021-01-01"),
            Code(code="40", names={"fi": "Poistettu tehtävä"}, status="DELETED"),
        ),
    )


def hierarchical_list(version: str = "2018") -> CodeList:
    """A two-level list: `1` with children `1.1`, `1.2`; `2` with child `2.1`."""

    def code(c: str, fi: str, sv: str, parent: str | None, level: str) -> Code:
        return Code(
            code=c, names={"fi": fi, "sv": sv}, status="ACTIVE", parent=parent, attributes={"HierarchyLevel": (level,)}
        )

    return CodeList(
        classification=SOCIAL_SERVICES,
        version=version,
        name="Sosiaalihuolto - Sosiaalipalvelut",
        provenance=PROVENANCE,
        codes=(
            code("1", "Asumispalvelut", "Boendetjänster", None, "1"),
            code("1.1", "Tukiasuminen", "Stödboende", "1", "2"),
            code("1.2", "Palveluasuminen", "Serviceboende", "1", "2"),
            code("2", "Kotipalvelu", "Hemservice", None, "1"),
            code("2.1", "Kotipalvelun tukipalvelut", "Stödtjänster", "2", "2"),
        ),
    )


# ---- writers -----------------------------------------------------------------------------------------------
def concept(code_list: CodeList, code: Code) -> dict[str, Any]:
    """A csapi v6 concept code for `code`."""
    attributes = [
        {"attributeName": {"fi": "LongName", "sv": "LongName_sv", "en": "LongName_en"}[lang], "attributeValue": [name]}
        for lang, name in sorted(code.names.items())
    ]
    if code.parent is not None:
        attributes.append({"attributeName": "ParentId", "attributeValue": [code.parent]})
    attributes += [{"attributeName": k, "attributeValue": list(v)} for k, v in code.attributes.items()]
    item: dict[str, Any] = {
        "classificationId": code_list.classification,
        "classificationName": code_list.name,
        "versionId": code_list.version,
        "versionName": code_list.version_name,
        "conceptCodeId": code.code,
        "status": code.status,
        "beginDate": code.begin,
        "expirationDate": code.expires,
        "lastModifiedDate": code.modified,
        "createDate": code.created,
        "attributes": attributes,
    }
    return item


def pages(code_list: CodeList, size: int = 2) -> list[dict[str, Any]]:
    """The list as csapi v6 pages of `size` codes (numbered from 1)."""
    items = [concept(code_list, c) for c in code_list.codes]
    chunks = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    return [
        {"conceptCodes": chunk, "pageSize": size, "page": n, "totalItems": len(items), "totalPages": len(chunks)}
        for n, chunk in enumerate(chunks, start=1)
    ]


def rows(code_list: CodeList) -> Iterator[list[Any]]:
    """The list as table rows, the header first (attributes with several values as repeated columns)."""
    width: dict[str, int] = {}
    for code in code_list.codes:
        for name, values in code.attributes.items():
            width[name] = max(width.get(name, 0), len(values))
    fixed = [
        "classificationId",
        "classificationName",
        "versionId",
        "versionName",
        "code",
        "fi",
        "sv",
        "en",
        "status",
        "beginDate",
        "expirationDate",
        "parent",
        "created",
        "modified",
    ]
    extra = [name for name, n in sorted(width.items()) for _ in range(n)]
    yield fixed + extra
    for code in code_list.codes:
        row = [
            code_list.classification,
            code_list.name,
            code_list.version,
            code_list.version_name,
            code.code,
            code.names.get("fi"),
            code.names.get("sv"),
            code.names.get("en"),
            code.status,
            code.begin,
            code.expires,
            code.parent,
            code.created,
            code.modified,
        ]
        for name, n in sorted(width.items()):
            values = list(code.attributes.get(name, ()))
            row += values + [None] * (n - len(values))
        yield row


def write_pages(code_list: CodeList, folder: Path, size: int = 2) -> list[Path]:
    """One file per page."""
    out = []
    for page in pages(code_list, size):
        path = folder / f"page-{page['page']}.json"
        path.write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")
        out.append(path)
    return out


def write_csv(code_list: CodeList, path: Path, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        for row in rows(code_list):
            writer.writerow(["" if v is None else v for v in row])
    return path


def write_workbook(code_list: CodeList, path: Path, sheet: str = "Koodit") -> Path:
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = "Ohje"
    first["A1"] = "Koodisto"
    ws = wb.create_sheet(sheet)
    for row in rows(code_list):
        ws.append(row)
    wb.save(path)
    return path


# ---- strategies --------------------------------------------------------------------------------------------
_TEXT = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöABCÅÄÖ0123456789 -,.()", min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
_DAY = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))
_RESERVED = {
    "longname",
    "parentid",
    "parent",
    "parentcode",
    "hierarchylevel",
    "code",
    "koodi",
    "fi",
    "sv",
    "en",
    "name",
    "status",
    "begin",
    "expires",
    "expiration",
    "created",
    "modified",
    "version",
    "classification",
}
_ATTRIBUTE = st.from_regex(r"[A-Z][a-zA-Z]{2,12}", fullmatch=True).filter(
    lambda n: (
        n.lower() not in _RESERVED
        and not n.lower().startswith(("longname", "parent", "classification", "version", "concept", "name"))
        and n.lower() not in {"begindate", "expirationdate", "lastmodifieddate", "createdate"}
    )
)


@st.composite
def code_lists(draw: st.DrawFn) -> CodeList:
    codes_text = draw(
        st.lists(st.from_regex(r"[0-9A-Z]{1,4}(\.[0-9]{1,2})?", fullmatch=True), min_size=1, max_size=8, unique=True)
    )
    codes = []
    for i, text in enumerate(codes_text):
        begin = draw(st.none() | _DAY)
        expires = draw(st.none() | _DAY)
        if begin and expires and expires < begin:
            begin, expires = expires, begin
        parent = draw(st.none() | st.sampled_from(codes_text[:i])) if i else None
        codes.append(
            Code(
                code=text,
                names=draw(st.dictionaries(st.sampled_from(["fi", "sv", "en"]), _TEXT, max_size=3)),
                status=draw(st.none() | st.sampled_from(["ACTIVE", "PROPOSAL", "DELETED"])),
                begin=begin.isoformat() if begin else None,
                expires=expires.isoformat() if expires else None,
                parent=parent,
                attributes=draw(
                    st.dictionaries(_ATTRIBUTE, st.lists(_TEXT, min_size=1, max_size=2).map(tuple), max_size=2)
                ),
            )
        )
    return CodeList(
        classification=draw(st.sampled_from([SERVICE_TASK, SOCIAL_SERVICES, "1.2.246.537.6.21"])),
        version=draw(st.from_regex(r"[0-9]{4,6}", fullmatch=True)),
        name=draw(st.none() | _TEXT),
        version_name=draw(st.none() | _TEXT),
        provenance=PROVENANCE,
        codes=tuple(codes),
    )
