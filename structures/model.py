"""The typed, immutable, lossless model of one Sosmeta document structure version.

Every importer produces a `Structure`; every generator reads one. Lossless means that whatever an export
says is kept, including what looks like a mistake: texts are ordered (lang, value) lists, sosmeta keys keep
their order when it is not the canonical one, unknown keys are kept verbatim, and the JSON-Schema keywords
of every node are kept exactly as found (older exports do not follow the rules newer ones do).

JSON-level keywords are stored as ordered `(name, value)` pairs. In an element's `node`, the entries named
`sosmeta` and `properties` hold `None`: they mark where the typed sosmeta block and the element's members
go when the node is written back. In `wrapper` (the array node around a repeatable element) the entry
`items` marks where the element node goes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, JsonValue, model_validator

from sosmeta.structures.representation import Representation
from sosmeta.structures.texts import Texts, first, meaningful, values

Keywords = tuple[tuple[str, JsonValue], ...]

# The canonical order of keys in an element's sosmeta block (sosmeta-format.md §1.4) with the model field
# each one is kept in.
SOSMETA_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("title", "title"),
    ("description", "description"),
    ("example", "example"),
    ("implementationNote", "implementation_note"),
    ("classification", "classification"),
    ("classificationLink", "classification_link"),
    ("classificationOid", "classification_oid"),
    ("phrase", "phrase"),
    ("valueSet", "value_set"),
    ("representation", "representation_texts"),
    ("systemUri", "system_uri"),
    ("repeatable", "repeatable"),
    ("required", "required"),
    ("conditionalRequired", "conditional_required"),
    ("nationwideRecordedInformation", "nationally_recorded"),
    ("hiddenField", "hidden_field"),
    ("hiddenTitle", "hidden_title"),
    ("acceptedValues", "accepted_values"),
    ("rowNumber", "row_number"),
)
SOSMETA_KEY_ORDER = tuple(k for k, _ in SOSMETA_FIELDS)
FIELD_OF_KEY = dict(SOSMETA_FIELDS)
# Language lists whose entries carry fi/sv tags, and those whose entries carry the empty tag.
LANGUAGE_KEYS = frozenset(
    {
        "name",
        "title",
        "description",
        "example",
        "implementationNote",
        "classification",
        "phrase",
        "valueSet",
        "representation",
    }
)
NEUTRAL_KEYS = frozenset({"classificationLink", "classificationOid", "systemUri", "acceptedValues"})
FLAG_KEYS = frozenset(
    {"repeatable", "required", "conditionalRequired", "nationwideRecordedInformation", "hiddenField", "hiddenTitle"}
)

# Top-level sosmeta block: key and field, canonical order (sosmeta-format.md §1.2).
META_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "title"),
    ("status", "status"),
    ("documentDefinitionVersion", "definition_version"),
    ("dataComponentLibraryVersion", "library_version"),
    ("oid", "oid"),
    ("documentType", "document_type"),
    ("documentAuthor", "document_author"),
    ("documentSubject", "document_subject"),
)
META_KEY_ORDER = tuple(k for k, _ in META_FIELDS)

SOSMETA = "sosmeta"
PROPERTIES = "properties"
ITEMS = "items"

_FROZEN = ConfigDict(frozen=True, extra="forbid", strict=True)


def keyword(keywords: Keywords | None, name: str) -> JsonValue:
    """The value of keyword `name`, or None when absent."""
    for key, value in keywords or ():
        if key == name:
            return value
    return None


def has_keyword(keywords: Keywords | None, name: str) -> bool:
    return any(key == name for key, _ in keywords or ())


class SubProperty(BaseModel):
    """A property without a sosmeta block (Koodi `system`/`code`/`display`, Tunnus `system`/`value`, quantity
    `value`/`code`), kept as the raw schema node."""

    model_config = _FROZEN

    kind: Literal["sub"] = "sub"
    key: str
    node: dict[str, JsonValue]

    @property
    def type(self) -> JsonValue:
        return self.node.get("type")

    @property
    def pattern(self) -> str | None:
        value = self.node.get("pattern")
        return value if isinstance(value, str) else None

    @property
    def enum(self) -> tuple[JsonValue, ...] | None:
        value = self.node.get("enum")
        return tuple(value) if isinstance(value, list) else None


class Element(BaseModel):
    """One element of the structure: the document element, a container, a heading or a value row."""

    model_config = _FROZEN

    kind: Literal["element"] = "element"
    key: str

    # The sosmeta block. None means the key is absent in the export.
    name: Texts | None = None
    title: Texts | None = None
    description: Texts | None = None
    example: Texts | None = None
    implementation_note: Texts | None = None
    classification: Texts | None = None
    classification_link: Texts | None = None
    classification_oid: Texts | None = None
    phrase: Texts | None = None
    value_set: Texts | None = None
    representation_texts: Texts | None = None
    system_uri: Texts | None = None
    repeatable: bool | None = None
    required: bool | None = None
    conditional_required: bool | None = None
    nationally_recorded: bool | None = None
    hidden_field: bool | None = None
    hidden_title: bool | None = None
    accepted_values: Texts | None = None
    row_number: int | None = None
    sosmeta_extra: Keywords = ()
    """Unknown sosmeta keys, verbatim, in file order."""
    sosmeta_order: tuple[str, ...] | None = None
    """Order of the sosmeta keys when it is not the canonical one (unknown keys appended); None = canonical."""

    # The JSON-Schema level.
    node: Keywords = ()
    wrapper: Keywords | None = None
    """The array node around a repeatable element (its `items` entry marks the element node), or None."""
    members: tuple[Element | SubProperty, ...] = ()
    """The node's `properties` in file order: child elements and sub-properties."""

    # ---- derived views -------------------------------------------------------------------------
    @property
    def representation(self) -> Representation | None:
        """GROUP for a container (no representation), None for a label the format does not define."""
        if self.representation_texts is None:
            return Representation.GROUP
        label = first(self.representation_texts, "fi")
        return Representation.from_fi(label) if label is not None else None

    @property
    def fi_name(self) -> str:
        return first(self.name, "fi") or self.key

    @property
    def sv_name(self) -> str | None:
        return first(self.name, "sv")

    @property
    def is_required(self) -> bool:
        return bool(self.required)

    @property
    def is_repeatable(self) -> bool:
        return bool(self.repeatable)

    @property
    def cardinality(self) -> str:
        """`1`, `0..1`, `0..*` or `1..*`, from the sosmeta flags."""
        low = "1" if self.required else "0"
        if self.repeatable:
            return f"{low}..*"
        return "1" if self.required else "0..1"

    @property
    def children(self) -> tuple[Element, ...]:
        return tuple(m for m in self.members if isinstance(m, Element))

    @property
    def sub_properties(self) -> tuple[SubProperty, ...]:
        return tuple(m for m in self.members if isinstance(m, SubProperty))

    def sub(self, key: str) -> SubProperty | None:
        for member in self.members:
            if isinstance(member, SubProperty) and member.key == key:
                return member
        return None

    def child(self, key: str) -> Element | None:
        for member in self.members:
            if isinstance(member, Element) and member.key == key:
                return member
        return None

    @property
    def json_type(self) -> JsonValue:
        return keyword(self.node, "type")

    @property
    def is_json_object(self) -> bool:
        """An object node in documents: typed `object` (alone or among types), or untyped with members."""
        json_type = self.json_type
        if json_type is None:
            return bool(self.members)
        return json_type == "object" or (isinstance(json_type, list) and "object" in json_type)

    @property
    def pattern(self) -> str | None:
        value = keyword(self.node, "pattern")
        return value if isinstance(value, str) else None

    @property
    def enum(self) -> tuple[JsonValue, ...] | None:
        value = keyword(self.node, "enum")
        return tuple(value) if isinstance(value, list) else None

    @property
    def min_length(self) -> int | None:
        value = keyword(self.node, "minLength")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def min_items(self) -> int | None:
        value = keyword(self.wrapper, "minItems")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def additional_properties(self) -> JsonValue:
        return keyword(self.node, "additionalProperties")

    @property
    def required_keys(self) -> tuple[str, ...]:
        """The node's JSON `required` list (for containers, the required children's keys)."""
        value = keyword(self.node, "required")
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    @property
    def code_values(self) -> tuple[str, ...]:
        """acceptedValues in file order, duplicates kept."""
        return values(self.accepted_values)

    @property
    def classification_oid_value(self) -> str | None:
        """The code system's OID or internal list name; None when absent or THL's "-" placeholder for none."""
        return meaningful(self.classification_oid[0].value) if self.classification_oid else None

    @property
    def system_uri_value(self) -> str | None:
        return self.system_uri[0].value if self.system_uri else None

    def sosmeta_keys(self) -> tuple[str, ...]:
        """The sosmeta keys present, in the order they are written."""
        return self.sosmeta_order if self.sosmeta_order is not None else self._canonical_keys()

    def _canonical_keys(self) -> tuple[str, ...]:
        present = tuple(k for k, f in SOSMETA_FIELDS if getattr(self, f) is not None)
        return present + tuple(k for k, _ in self.sosmeta_extra)

    @model_validator(mode="after")
    def _order_is_none_when_canonical(self) -> Element:
        # One content, one model: a canonical order is recorded as None, so equal exports give equal models.
        if self.sosmeta_order is not None and self.sosmeta_order == self._canonical_keys():
            object.__setattr__(self, "sosmeta_order", None)
        return self


@dataclass(frozen=True, slots=True)
class Located:
    """An element with its place in the tree, as `Structure.walk()` yields it."""

    element: Element
    path: str
    """JSON path in the schema file, e.g. `$.properties.doc.properties.asiakas.items`."""
    keys: tuple[str, ...]
    """Key path from the document element (inclusive), e.g. `("doc", "asiakas", "sukunimi")`."""
    depth: int
    """1 for the document element."""
    parent: Located | None

    @property
    def key_path(self) -> str:
        return "/".join(self.keys)

    @property
    def repeated_ancestors(self) -> int:
        """How many elements on the way down (this one included) are repeatable."""
        count = 0
        node: Located | None = self
        while node is not None:
            count += node.element.is_repeatable
            node = node.parent
        return count


# cached_property names of Structure; model_copy must not carry them over to a changed tree.
_CACHED = ("_index", "_by_path", "_by_keys", "_by_row")
_OID_DATE = re.compile(r"^(?P<base>.+)\.(?P<y>\d{4})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})$")


class Structure(BaseModel):
    """One version of a national document structure."""

    model_config = _FROZEN

    title: str | None = None
    status: str | None = None
    definition_version: str | None = None
    library_version: str | None = None
    oid: str | None = None
    document_type: str | None = None
    document_author: str | None = None
    document_subject: str | None = None
    meta_extra: Keywords = ()
    meta_order: tuple[str, ...] | None = None
    root: Keywords = ()
    """The root node's keywords; `sosmeta` and `properties` entries are placeholders."""
    document: Element

    # ---- derived views -------------------------------------------------------------------------
    @property
    def version_oid(self) -> str:
        return self.oid or ""

    @property
    def base_oid(self) -> str:
        """The structure's OID without the version date arcs (`...1506.15007.2024.11.28` -> `...1506.15007`)."""
        match = _OID_DATE.match(self.version_oid)
        return match["base"] if match else self.version_oid

    @property
    def oid_date(self) -> dt.date | None:
        """The date written in the version OID's last three arcs (`...1506.15007.2024.11.28` -> 2024-11-28);
        None without them or when they are no real date."""
        match = _OID_DATE.match(self.version_oid)
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
        return None

    @property
    def version_date(self) -> dt.date | None:
        """documentDefinitionVersion as a date, else the date at the end of the OID."""
        if self.definition_version:
            try:
                return dt.date.fromisoformat(self.definition_version[:10])
            except ValueError:
                pass
        return self.oid_date

    @property
    def version(self) -> str:
        """The version as `YYYY-MM-DD` (the catalog file name), or the raw definition version."""
        date = self.version_date
        return date.isoformat() if date else (self.definition_version or "unknown")

    @property
    def fi_title(self) -> str:
        return self.document.fi_name

    def meta_keys(self) -> tuple[str, ...]:
        """The top-level sosmeta keys present, in the order they are written."""
        return self.meta_order if self.meta_order is not None else self._canonical_meta_keys()

    def _canonical_meta_keys(self) -> tuple[str, ...]:
        present = tuple(k for k, f in META_FIELDS if getattr(self, f) is not None)
        return present + tuple(k for k, _ in self.meta_extra)

    @model_validator(mode="after")
    def _order_is_none_when_canonical(self) -> Structure:
        if self.meta_order is not None and self.meta_order == self._canonical_meta_keys():
            object.__setattr__(self, "meta_order", None)
        return self

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Structure:
        """A copy with `update` applied; the cached element index is dropped so lookups see the copy's tree."""
        copy = super().model_copy(update=update, deep=deep)
        for name in _CACHED:
            copy.__dict__.pop(name, None)
        return copy

    def walk(self) -> Iterator[Located]:
        """Every element in document order (depth-first pre-order), the document element first."""
        return iter(self._index)

    def rows(self) -> Iterator[Located]:
        """The elements below the document element (the rows of THL's spreadsheet)."""
        return iter(self._index[1:])

    def by_path(self, path: str) -> Located | None:
        """Look an element up by JSON path (`$.properties...`) or by key path (`doc/asiakas/sukunimi`)."""
        return self._by_path.get(path) or self._by_keys.get(path)

    def by_row(self, row_number: int) -> Located | None:
        return self._by_row.get(row_number)

    @property
    def element_count(self) -> int:
        """Number of rows (elements below the document element)."""
        return len(self._index) - 1

    @cached_property
    def _index(self) -> tuple[Located, ...]:
        out: list[Located] = []
        doc = self.document
        start = Located(
            doc, f"$.properties.{doc.key}" + (".items" if doc.wrapper is not None else ""), (doc.key,), 1, None
        )
        stack = [start]
        while stack:
            here = stack.pop()
            out.append(here)
            below = []
            for child in here.element.children:
                path = f"{here.path}.properties.{child.key}" + (".items" if child.wrapper is not None else "")
                below.append(Located(child, path, (*here.keys, child.key), here.depth + 1, here))
            stack.extend(reversed(below))
        return tuple(out)

    @cached_property
    def _by_path(self) -> dict[str, Located]:
        return {loc.path: loc for loc in self._index}

    @cached_property
    def _by_keys(self) -> dict[str, Located]:
        return {loc.key_path: loc for loc in self._index}

    @cached_property
    def _by_row(self) -> dict[int, Located]:
        return {loc.element.row_number: loc for loc in self._index if loc.element.row_number is not None}


def newest_versions(structures: Iterable[Structure]) -> dict[str, Structure]:
    """The newest version of each structure, by base OID (the first one given wins a tie)."""
    newest: dict[str, Structure] = {}
    for s in structures:
        if s.base_oid not in newest or s.version > newest[s.base_oid].version:
            newest[s.base_oid] = s
    return newest
