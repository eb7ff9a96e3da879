"""Importer for THL's Sosmeta JSON Schema exports (a JSON Schema with a `sosmeta` block on every element).

Reads an export into a lossless `Structure`: typed sosmeta fields, their order when it is not canonical,
unknown keys verbatim, and the JSON-Schema keywords of every node exactly as found. Input that cannot be
represented (not JSON, wrong value types, no document element) raises `InputError` naming the JSON pointer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sosmeta.sosmeta_import.errors import InputError
from sosmeta.sosmeta_import.identity import identity_problems, version_disagreement
from sosmeta.sosmeta_import.jsonload import loads_strict, read_text
from sosmeta.sosmeta_import.limits import check_depth
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures import pointers
from sosmeta.structures.model import (
    FIELD_OF_KEY,
    FLAG_KEYS,
    ITEMS,
    META_FIELDS,
    META_KEY_ORDER,
    PROPERTIES,
    SOSMETA,
    SOSMETA_KEY_ORDER,
    Element,
    Keywords,
    Structure,
    SubProperty,
)
from sosmeta.structures.texts import LangText

_META_FIELD = dict(META_FIELDS)


def _ptr(parts: tuple[str | int, ...]) -> str:
    """RFC 6901 JSON pointer."""
    return pointers.pointer(parts) or "/"


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: tuple[str | int, ...], message: str, code: str = "sosmeta.type") -> InputError:
        return InputError.one(self.source, _ptr(where), message, code)

    # ---- structure ---------------------------------------------------------------------------------
    def structure(self, data: Any) -> Structure:
        if not isinstance(data, dict):
            raise self.fail((), say("json.not_object", kind=_kind(data)), "sosmeta.not_object")
        if SOSMETA not in data:
            raise self.fail((), say("json.no_sosmeta"), "sosmeta.missing")
        meta = data[SOSMETA]
        if not isinstance(meta, dict):
            raise self.fail((SOSMETA,), say("json.must_be_object", key="sosmeta", kind=_kind(meta)))
        fields: dict[str, Any] = {}
        extra: list[tuple[str, Any]] = []
        for key, value in meta.items():
            if key in _META_FIELD:
                if not isinstance(value, str):
                    raise self.fail((SOSMETA, key), say("json.must_be_string", key=key, kind=_kind(value)))
                fields[_META_FIELD[key]] = value
            else:
                extra.append((key, value))
        order = tuple(meta)
        canonical = tuple(k for k in META_KEY_ORDER if k in meta) + tuple(k for k, _ in extra)
        props = data.get(PROPERTIES)
        if not isinstance(props, dict):
            raise self.fail((PROPERTIES,), say("json.no_properties"), "sosmeta.no_document")
        if len(props) != 1:
            raise self.fail(
                (PROPERTIES,),
                say("json.one_property", n=len(props)),
                "sosmeta.no_document",
            )
        ((doc_key, doc_node),) = props.items()
        document = self.property(doc_key, doc_node, (PROPERTIES, doc_key))
        if not isinstance(document, Element):
            raise self.fail((PROPERTIES, doc_key), say("json.document_no_sosmeta"), "sosmeta.missing")
        structure = Structure(
            **fields,
            meta_extra=tuple(extra),
            meta_order=None if order == canonical else order,
            root=_keywords(data),
            document=document,
        )
        for problem in identity_problems(structure):  # they become file names: checked before any use
            raise self.fail((SOSMETA, problem.key), problem.message, f"sosmeta.{problem.code}")
        return structure

    # ---- nodes -------------------------------------------------------------------------------------
    def property(self, key: str, node: Any, where: tuple[str | int, ...]) -> Element | SubProperty:
        """A member of some `properties`: an element (it, or its array `items`, has sosmeta) or a sub-property."""
        if not isinstance(node, dict):
            raise self.fail(where, say("json.node_not_object", kind=_kind(node)))
        if SOSMETA in node:
            return self.element(key, node, None, where)
        items = node.get(ITEMS)
        if isinstance(items, dict) and SOSMETA in items:
            return self.element(key, items, _keywords(node, _WRAPPER_MARKERS), (*where, ITEMS))
        return SubProperty(key=key, node=node)

    def element(
        self, key: str, node: dict[str, Any], wrapper: Keywords | None, where: tuple[str | int, ...]
    ) -> Element:
        block = node[SOSMETA]
        if not isinstance(block, dict):
            raise self.fail((*where, SOSMETA), say("json.must_be_object", key="sosmeta", kind=_kind(block)))
        fields: dict[str, Any] = {}
        extra: list[tuple[str, Any]] = []
        for name, value in block.items():
            field = FIELD_OF_KEY.get(name)
            at = (*where, SOSMETA, name)
            if field is None:
                extra.append((name, value))
            elif name in FLAG_KEYS:
                if not isinstance(value, bool):
                    raise self.fail(at, say("json.must_be_bool", key=name, kind=_kind(value)))
                fields[field] = value
            elif name == "rowNumber":
                if not isinstance(value, int) or isinstance(value, bool):
                    raise self.fail(at, say("json.must_be_integer", key="rowNumber", kind=_kind(value)))
                fields[field] = value
            else:
                fields[field] = self.texts(value, at)
        order = tuple(block)
        canonical = tuple(k for k in SOSMETA_KEY_ORDER if k in block) + tuple(k for k, _ in extra)
        members: list[Element | SubProperty] = []
        props = node.get(PROPERTIES)
        if PROPERTIES in node:
            if not isinstance(props, dict):
                raise self.fail((*where, PROPERTIES), say("json.must_be_object", key="properties", kind=_kind(props)))
            members = [self.property(k, v, (*where, PROPERTIES, k)) for k, v in props.items()]
        return Element(
            key=key,
            **fields,
            sosmeta_extra=tuple(extra),
            sosmeta_order=None if order == canonical else order,
            node=_keywords(node),
            wrapper=wrapper,
            members=tuple(members),
        )

    def texts(self, value: Any, where: tuple[str | int, ...]) -> tuple[LangText, ...]:
        if not isinstance(value, list):
            raise self.fail(where, say("json.not_lang_list", kind=_kind(value)))
        out = []
        for i, entry in enumerate(value):
            if not isinstance(entry, dict) or list(entry) != ["lang", "value"]:
                raise self.fail((*where, i), say("json.lang_entry"))
            lang, text = entry["lang"], entry["value"]
            if not isinstance(lang, str) or not isinstance(text, str):
                raise self.fail((*where, i), say("json.lang_strings"))
            out.append(LangText(lang=lang, value=text))
        return tuple(out)


_NODE_MARKERS = frozenset({SOSMETA, PROPERTIES})
_WRAPPER_MARKERS = frozenset({ITEMS})


def _keywords(node: dict[str, Any], markers: frozenset[str] = _NODE_MARKERS) -> Keywords:
    """The node's keywords in order; the entries named in `markers` become placeholders (None)."""
    return tuple((k, None if k in markers else v) for k, v in node.items())


def _kind(value: Any) -> str:
    """What kind of JSON value `value` is, in every language (never the value itself)."""
    if value is None:
        return say("kind.null")
    if isinstance(value, bool):
        return say("kind.boolean")
    if isinstance(value, (int, float)):
        return say("kind.number")
    if isinstance(value, str):
        return say("kind.string")
    if isinstance(value, list):
        return say("kind.array")
    return say("kind.object")


def parse_structure(text: str, source: str = "<string>") -> Structure:
    """Parse the text of a Sosmeta JSON export into a `Structure`."""
    return check_depth(_Reader(source).structure(loads_strict(text, source)), source)


def structure_from_data(data: Any, source: str = "<data>") -> Structure:
    """Build a `Structure` from an already parsed export (dicts must keep the file's key order)."""
    return check_depth(_Reader(source).structure(data), source)


def load_structure(path: Path | str, source: str | None = None) -> Structure:
    """Read a Sosmeta JSON export file."""
    path = Path(path)
    name = source or str(path)
    return parse_structure(read_text(path, name), name)


SUFFIXES = (".json",)


def load(path: Path) -> list[Structure]:
    """Importer entry point: a Sosmeta JSON export holds one structure, whose version OID and date agree (a
    catalog read uses `load_structure`, which does not ask, so that lint can report a stored one that does not)."""
    structure = load_structure(path)
    problem = version_disagreement(structure)
    if problem is not None:
        raise InputError.one(str(path), f"/{SOSMETA}/{problem.key}", problem.message, f"sosmeta.{problem.code}")
    return [structure]
