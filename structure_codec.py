"""A compact JSON form of a `Structure` for the structure cache, and building the model back from it.

Building from this form skips what makes a catalog read slow: the strict parse of the export and pydantic's
validation of every node (about 5x faster over the 62 shared exports). The form is plain JSON (orjson), so
reading it can run no code; every value is checked against the type its field has while the model is built,
and anything unexpected raises `Malformed` (the caller then parses the export itself). Texts are written once
per structure in a table and named by their index; equal texts of one structure become one (frozen) object.

    [texts, meta, document]     texts: [[lang, value], ...]; meta: {field: value} (non-default fields only)
    element:  [key, {field: value}, [member, ...]]      a Texts field: [index, ...]; keywords: [[name, value]]
    sub-property:  [key, node]

`decode(encode(s)) == s` for every structure the importers build; `structure_cache` checks it for each
structure before storing it, so a model this form does not cover is never cached, only parsed.
"""

from __future__ import annotations

from typing import Any

import orjson

from sosmeta.structures.model import Element, Structure, SubProperty
from sosmeta.structures.texts import LangText


class Malformed(Exception):
    """An entry that does not hold a structure in this form."""


_TEXT_FIELDS = frozenset(
    {
        "name",
        "title",
        "description",
        "example",
        "implementation_note",
        "classification",
        "classification_link",
        "classification_oid",
        "phrase",
        "value_set",
        "representation_texts",
        "system_uri",
        "accepted_values",
    }
)
_FLAG_FIELDS = frozenset(
    {"repeatable", "required", "conditional_required", "nationally_recorded", "hidden_field", "hidden_title"}
)
_KEYWORD_FIELDS = frozenset({"sosmeta_extra", "node", "wrapper"})
_ELEMENT_FIXED = ("kind", "key", "members")
_META_STRINGS = frozenset(
    {
        "title",
        "status",
        "definition_version",
        "library_version",
        "oid",
        "document_type",
        "document_author",
        "document_subject",
    }
)
_META_KEYWORDS = frozenset({"meta_extra", "root"})
_ORDER = "sosmeta_order"
_META_ORDER = "meta_order"

# In field order, the required fields too (None until set): the model's JSON follows the order of its values.
_ELEMENT_DEFAULTS = {n: None if f.is_required() else f.default for n, f in Element.model_fields.items()}
_STRUCTURE_DEFAULTS = {n: None if f.is_required() else f.default for n, f in Structure.model_fields.items()}
_ENCODED = set(_ELEMENT_DEFAULTS) - {*_ELEMENT_FIXED}
_COVERED = (
    set(Element.model_fields) == _TEXT_FIELDS | _FLAG_FIELDS | _KEYWORD_FIELDS | {*_ELEMENT_FIXED, _ORDER, "row_number"}
    and set(Structure.model_fields) == _META_STRINGS | _META_KEYWORDS | {_META_ORDER, "document"}
    and set(SubProperty.model_fields) == {"kind", "key", "node"}
    and set(LangText.model_fields) == {"lang", "value"}
)
"""The form names every field of the model (a new field: nothing is encoded, so nothing is cached)."""


# ---- writing ------------------------------------------------------------------------------------------------
def encode(structure: Structure) -> bytes:
    """The compact form of `structure` (Malformed when the model has fields this form does not know)."""
    if not _COVERED:
        raise Malformed("the model has fields the cache form does not cover")
    texts: dict[tuple[str, str], int] = {}
    meta = {n: v for n, v in _fields(structure, _STRUCTURE_DEFAULTS) if n != "document"}
    document = _encode_element(structure.document, texts)
    return orjson.dumps([[list(t) for t in texts], meta, document])


def _fields(model: Any, defaults: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(n, v) for n, v in model.__dict__.items() if n in defaults and v != defaults[n]]


def _encode_element(element: Element, texts: dict[tuple[str, str], int]) -> list[Any]:
    values: dict[str, Any] = {}
    for name, value in _fields(element, _ELEMENT_DEFAULTS):
        if name in _TEXT_FIELDS:
            value = [texts.setdefault((t.lang, t.value), len(texts)) for t in value]
        if name in _ENCODED:
            values[name] = value
    members = [_encode_element(m, texts) if isinstance(m, Element) else [m.key, m.node] for m in element.members]
    return [element.key, values, members]


# ---- reading ------------------------------------------------------------------------------------------------
_set = object.__setattr__


# Every value is given, so every field is "set"; one set per class serves all its instances (a third of the
# objects of a structure otherwise; each is one more for every garbage collection to walk). Pydantic copies
# the set before it changes one (model_copy), and it already holds every name an update could add.
_ALL_SET = {cls: set(cls.model_fields) for cls in (Structure, Element, SubProperty, LangText)}


def _model(cls: Any, values: dict[str, Any]) -> Any:
    """An instance of the pydantic model `cls` holding every field's value in `values` (checked by the caller),
    as `model_construct` makes it, without its per-call overhead."""
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", _ALL_SET[cls])
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def decode(data: bytes) -> Structure:
    """The structure written by `encode`; Malformed for anything else."""
    try:
        table, meta, document = orjson.loads(data)
        texts = [_model(LangText, {"lang": _str(lang), "value": _str(value)}) for lang, value in table]
        values = dict(_STRUCTURE_DEFAULTS)
        for name, value in meta.items():
            if name in _META_STRINGS:
                values[name] = _str(value)
            elif name in _META_KEYWORDS:
                values[name] = _keywords(value)
            elif name == _META_ORDER:
                values[name] = _strings(value)
            else:
                raise Malformed(name)
        values["document"] = _element(document, texts)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
        raise Malformed(type(exc).__name__) from None
    return _model(Structure, values)


def _element(data: list[Any], texts: list[LangText]) -> Element:
    key, fields, members = data
    values = dict(_ELEMENT_DEFAULTS)
    values["key"] = _str(key)
    for name, value in fields.items():
        if name in _TEXT_FIELDS:
            values[name] = tuple([texts[_int(i)] for i in value])
        elif name in _KEYWORD_FIELDS:
            values[name] = _keywords(value)
        elif name in _FLAG_FIELDS:
            values[name] = value if value is True or value is False else _wrong(name)
        elif name == "row_number":
            values[name] = _int(value)
        elif name == _ORDER:
            values[name] = _strings(value)
        else:
            raise Malformed(name)
    values["members"] = tuple([_element(m, texts) if len(m) == 3 else _sub_property(*m) for m in members])
    return _model(Element, values)


def _sub_property(key: Any, node: Any) -> SubProperty:
    if type(node) is not dict:
        raise Malformed("node")
    return _model(SubProperty, {"kind": "sub", "key": _str(key), "node": node})


def _keywords(value: list[Any]) -> tuple[tuple[str, Any], ...]:
    return tuple([(_str(name), keyword) for name, keyword in value])


def _strings(value: list[Any]) -> tuple[str, ...]:
    return tuple([_str(item) for item in value])


def _str(value: Any) -> str:
    return value if type(value) is str else _wrong("string")


def _int(value: Any) -> int:
    return value if type(value) is int else _wrong("integer")


def _wrong(what: str) -> Any:
    raise Malformed(what)
