"""From concept-code records to code lists: the one conversion every code-list importer ends in.

Each reader (csapi v6 pages, CSV rows, workbook rows, the code server) turns its input into `Concept`
records shaped like the code server's `conceptCodes` items, each with the place it came from; `build_lists`
checks them and groups them into one `CodeList` per classification version. So the same list gives the same
model whatever format it came in.

How attributes become fields (docs/code-lists.md): `LongName` (or `LongName_fi`) is the Finnish name,
`LongName_sv` and `LongName_en` the Swedish and English ones (an attribute value may also be an object with
`lang` and `value`); `ParentId` (also `ParentCode`, `Parent`) is the parent code. Without any parent
attribute in a list, a `HierarchyLevel` attribute gives the parents from the order of the codes (the nearest
code above on the level before). Every other attribute is kept as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.sosmeta_import.problem_texts import identifier_problem, say
from sosmeta.structures.codelists.model import STATUSES, Code, CodeList, Provenance
from sosmeta.structures.identifiers import oid_problem

FIELDS = (
    "classificationId",
    "classificationName",
    "versionId",
    "versionName",
    "conceptCodeId",
    "status",
    "beginDate",
    "expirationDate",
    "lastModifiedDate",
    "createDate",
)
NAME_ATTRIBUTE = "LongName"
PARENT_ATTRIBUTES = ("parentid", "parentcode", "parent", "parentconceptcodeid")
LEVEL_ATTRIBUTE = "hierarchylevel"
_NAME_VARIANT = re.compile(r"^longname(?:[ _-]?\(?(fi|sv|en)\)?)?$", re.I)
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:$|[T ])")
_HELSINKI = ZoneInfo("Europe/Helsinki")


@dataclass
class Concept:
    """One concept-code record and where it came from; `places` locate single fields (else `place`)."""

    source: str
    place: str
    fields: dict[str, Any]
    attributes: list[tuple[str, list[Any]]] = field(default_factory=list)
    places: dict[str, str] = field(default_factory=dict)

    def where(self, name: str) -> str:
        return self.places.get(name, self.place)


def now_utc() -> str:
    """The current time as the store records it (UTC, whole seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _text(value: Any) -> str | None:
    """A field value as text: strings as they are, integers as digits; None for absent or empty."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value.strip() or None
    return None


def day_of(value: Any) -> str | None:
    """A date field as YYYY-MM-DD: an ISO date or date-time (its date part), or epoch milliseconds (the day in
    Finland). Raises ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("not a date")
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value / 1000, _HELSINKI).date().isoformat()
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        match = _DAY.match(value.strip())
        if match:
            return dt.date.fromisoformat(match.group(1)).isoformat()
    raise ValueError("not a date")


def _stamp(value: Any) -> str | None:
    """A created/modified field kept as text (epoch milliseconds as an ISO date-time in Finland)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value / 1000, _HELSINKI).isoformat()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return _text(value)


def _problem(concept: Concept, name: str, message: str, code: str) -> Problem:
    return Problem(concept.source, concept.where(name), message, code)


@dataclass
class _Parts:
    names: dict[str, str]
    parent: str | None
    level: int | None
    attributes: dict[str, tuple[str, ...]]


def _split_attributes(concept: Concept, problems: list[Problem]) -> _Parts:
    names: dict[str, str] = {}
    parent: str | None = None
    level: int | None = None
    kept: dict[str, list[str]] = {}
    for name, raw_values in concept.attributes:
        variant = _NAME_VARIANT.match(name)
        for raw in raw_values:
            lang = (variant.group(1) or "fi").lower() if variant else None
            value: str | None
            if isinstance(raw, dict):
                lang = (_text(raw.get("lang") or raw.get("language")) or lang or "").lower() or None
                value = _text(raw.get("value"))
            else:
                value = _text(raw)
            if value is None:
                continue
            if variant and lang in ("fi", "sv", "en"):
                names.setdefault(lang, value)
            elif name.lower() in PARENT_ATTRIBUTES:
                parent = parent or value
            else:
                kept.setdefault(name, []).append(value if lang is None or variant is None else f"{lang}:{value}")
                if name.lower() == LEVEL_ATTRIBUTE:
                    if not value.isdigit():
                        problems.append(_problem(concept, name, say("codes.bad_level"), "codes.bad_level"))
                    elif level is None:
                        level = int(value)
    return _Parts(names, parent, level, {k: tuple(v) for k, v in kept.items()})


def _code(concept: Concept, problems: list[Problem]) -> tuple[Code, int | None, bool] | None:
    f = concept.fields
    code = _text(f.get("conceptCodeId"))
    if code is None:
        problems.append(_problem(concept, "conceptCodeId", say("codes.no_code"), "codes.no_code"))
        return None
    status = _text(f.get("status"))
    if status is not None and status not in STATUSES:
        problems.append(
            _problem(concept, "status", say("codes.bad_status", statuses=", ".join(STATUSES)), "codes.bad_status")
        )
    dates: dict[str, str | None] = {}
    for key, name in (("begin", "beginDate"), ("expires", "expirationDate")):
        try:
            dates[key] = day_of(f.get(name))
        except ValueError:
            problems.append(_problem(concept, name, say("codes.bad_date", name=name), "codes.bad_date"))
            dates[key] = None
    if dates["begin"] and dates["expires"] and dates["expires"] < dates["begin"]:
        problems.append(_problem(concept, "expirationDate", say("codes.bad_dates"), "codes.bad_dates"))
    parts = _split_attributes(concept, problems)
    made = Code(
        code=code,
        names=parts.names,
        status=status,
        begin=dates["begin"],
        expires=dates["expires"],
        parent=parts.parent,
        created=_stamp(f.get("createDate")),
        modified=_stamp(f.get("lastModifiedDate")),
        attributes=parts.attributes,
    )
    return made, parts.level, parts.parent is not None


def _parents_from_levels(ordered: list[tuple[Code, int | None]]) -> list[Code]:
    """Parents of a list that gives only HierarchyLevel: the nearest code above on the level before."""
    stack: list[tuple[int, str]] = []
    out = []
    for code, level in ordered:
        if level is None:
            out.append(code)
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack and stack[-1][0] == level - 1 else None
        out.append(code.model_copy(update={"parent": parent}) if parent else code)
        stack.append((level, code.code))
    return out


def _key(concept: Concept, problems: list[Problem]) -> tuple[str, str] | None:
    classification = _text(concept.fields.get("classificationId"))
    version = _text(concept.fields.get("versionId"))
    ok = True
    if classification is None or oid_problem(classification) is not None:
        why = say("codes.missing") if classification is None else identifier_problem(oid_problem(classification) or "")
        field = "classificationId"
        problems.append(_problem(concept, field, say("codes.field", field=field, why=why), "codes.bad_classification"))
        ok = False
    if version is None or not _VERSION.match(version):
        why = say("codes.is_missing" if version is None else "codes.version_form")
        problems.append(
            _problem(concept, "versionId", say("codes.field", field="versionId", why=why), "codes.bad_version")
        )
        ok = False
    return (classification, version) if ok and classification and version else None


def build_lists(concepts: Iterable[Concept], provenance: Provenance) -> list[CodeList]:
    """One list per classification version, in order of first appearance; InputError with every problem."""
    problems: list[Problem] = []
    groups: dict[tuple[str, str], list[Concept]] = {}
    for concept in concepts:
        key = _key(concept, problems)
        if key is not None:
            groups.setdefault(key, []).append(concept)
    lists = []
    for (classification, version), members in groups.items():
        made: dict[str, tuple[Code, Concept]] = {}
        ordered: list[tuple[Code, int | None]] = []
        any_parent = False
        for concept in members:
            result = _code(concept, problems)
            if result is None:
                continue
            code, level, has_parent = result
            any_parent = any_parent or has_parent
            if code.code in made:
                if made[code.code][0] != code:
                    first = made[code.code][1]
                    problems.append(
                        _problem(
                            concept,
                            "conceptCodeId",
                            say("codes.duplicate_code", first=f"{first.source}: {first.place}"),
                            "codes.duplicate_code",
                        )
                    )
                continue
            made[code.code] = (code, concept)
            ordered.append((code, level))
        codes = [c for c, _ in ordered] if any_parent else _parents_from_levels(ordered)
        head = members[0].fields
        made_from = provenance
        if provenance.source == "file":  # each list names the files it came from
            made_from = provenance.model_copy(update={"files": tuple(dict.fromkeys(c.source for c in members))})
        lists.append(
            CodeList(
                classification=classification,
                version=version,
                name=_text(head.get("classificationName")),
                version_name=_text(head.get("versionName")),
                provenance=made_from,
                codes=tuple(codes),
            )
        )
    if problems:
        raise InputError(problems)
    return lists
