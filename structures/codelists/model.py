"""The code-list model: one version of a national classification (THL's code server) and its codes.

Every importer (csapi v6 pages, CSV, workbook sheets, the code server itself) and the embedded lists made
from the structures produce it; the store writes it as one canonical JSON file, and the validator, forms,
examples and diff read it. Codes are kept in a natural sort order (`2` before `10`, `1.2` before `1.10`), so
the same list gives the same file whatever order it came in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

FORMAT = "sosmeta-codelist 1"
LANGS = ("fi", "sv", "en")
STATUSES = ("PROPOSAL", "ACTIVE", "DELETED")
Source = Literal["server", "file", "embedded"]

_FROZEN = ConfigDict(frozen=True, extra="forbid", strict=True)
_RUN = re.compile(r"(\d+)")


def natural_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts `2` before `10` and `1.2` before `1.10`; digits sort before letters."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _RUN.split(code) if part)


class Code(BaseModel):
    """One concept code of a classification version."""

    model_config = _FROZEN

    code: str
    names: dict[str, str] = {}
    """`fi`, `sv`, `en` names, where the source gives them (LongName and its language variants)."""
    status: str | None = None
    """PROPOSAL, ACTIVE or DELETED, as the code server says (None when the source does not say)."""
    begin: str | None = None
    """First day of validity, YYYY-MM-DD."""
    expires: str | None = None
    """Last day of validity, YYYY-MM-DD (inclusive)."""
    parent: str | None = None
    """The code above this one in a hierarchical list."""
    created: str | None = None
    modified: str | None = None
    attributes: dict[str, tuple[str, ...]] = {}
    """Every other attribute of the source (ShortName, Abbreviation, HierarchyLevel, ...), values in order."""

    def name(self, lang: str = "fi") -> str | None:
        """The name in `lang`, falling back to Finnish."""
        return self.names.get(lang) or self.names.get("fi")

    def valid_on(self, day: dt.date) -> bool:
        """In force on `day`: begun, not expired, and not deleted without an end date."""
        if self.begin is not None and day < dt.date.fromisoformat(self.begin):
            return False
        if self.expires is not None:
            return day <= dt.date.fromisoformat(self.expires)
        return self.status != "DELETED"


class Provenance(BaseModel):
    """Where a list came from and when: a server and its query, files, or the structures themselves."""

    model_config = _FROZEN

    source: Source
    retrieved: str
    """When the content was first obtained (UTC, ISO 8601); an unchanged re-import keeps the first time."""
    server: str | None = None
    query: str | None = None
    files: tuple[str, ...] = ()
    """Files of an import (their names as given), or `<version OID>#<key path>` places for embedded lists."""


class CodeList(BaseModel):
    """One version of one classification."""

    model_config = _FROZEN

    classification: str
    """The classification's OID (or a structure's internal list name, for embedded lists)."""
    version: str
    """The version: the code server's versionId, which is also the OID suffix documents put in `system`."""
    name: str | None = None
    version_name: str | None = None
    provenance: Provenance
    codes: tuple[Code, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.classification}@{self.version}"

    @property
    def embedded(self) -> bool:
        return self.provenance.source == "embedded"

    def by_code(self) -> dict[str, Code]:
        return {c.code: c for c in self.codes}

    @cached_property
    def code_index(self) -> dict[str, Code]:
        """Codes by code, made once per list (validation looks a code up per coded value; a register of
        20 000 codes took 16 ms to index, every time)."""
        return self.by_code()

    def get(self, code: str) -> Code | None:
        return self.code_index.get(code)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> CodeList:
        """A copy with `update` applied; the code index is dropped so lookups see the copy's codes."""
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("code_index", None)
        return copy

    def content(self) -> dict[str, Any]:
        """Everything but the provenance: what two imports of the same list agree on."""
        data = canonical_data(self)
        data.pop("provenance")
        return data


def sorted_codes(codes: Iterable[Code]) -> tuple[Code, ...]:
    return tuple(sorted(codes, key=lambda c: (natural_key(c.code), c.code)))


def _drop_empty(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, {}, (), [])}


def canonical_data(code_list: CodeList) -> dict[str, Any]:
    """The list as JSON data: empty fields left out, codes in natural order (keys are sorted on writing)."""
    codes = [_drop_empty(c.model_dump(mode="json")) for c in sorted_codes(code_list.codes)]
    head = _drop_empty(code_list.model_dump(mode="json", exclude={"codes", "provenance"}))
    return {
        "format": FORMAT,
        **head,
        "provenance": _drop_empty(code_list.provenance.model_dump(mode="json")),
        "codes": codes,
    }


def dump_code_list(code_list: CodeList) -> str:
    """The canonical store file: sorted keys, 2-space indent, UTF-8 text, one final newline."""
    return json.dumps(canonical_data(code_list), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def code_list_from_data(data: Any) -> CodeList:
    """A list from canonical data (a store file); raises ValueError (pydantic's) when it is not one."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file")
    body = {k: v for k, v in data.items() if k != "format"}
    items = body.pop("codes", [])
    if not isinstance(items, list):  # a damaged file (iterating it would fail with a TypeError)
        raise ValueError("codes is not a list")
    codes = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("attributes"), dict):
            attributes = item["attributes"]
            item = {**item, "attributes": {k: tuple(v) if isinstance(v, list) else v for k, v in attributes.items()}}
        codes.append(item)
    provenance = body.pop("provenance", None)
    if isinstance(provenance, dict) and isinstance(provenance.get("files"), list):
        provenance = {**provenance, "files": tuple(provenance["files"])}
    return CodeList.model_validate(
        {
            **body,
            "provenance": Provenance.model_validate(provenance),
            "codes": tuple(Code.model_validate(c) for c in codes),
        }
    )
