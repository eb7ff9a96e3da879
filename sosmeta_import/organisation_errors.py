"""An organisation file's validation errors in the file's own terms, at its TOML key, never pydantic's words.

pydantic reports `Extra inputs are not permitted` and `Field required`; a head user wrote `nmae = ...` or left
out `oid`. Each error becomes one message naming the key as the file spells it, with the nearest known key for a
misspelt one (difflib), and a code: `org.unknown_key` (a key the format does not have), `org.missing` (a key it
needs) or `org.invalid` (a value of the wrong type or form). Messages come from the message catalogue
(`problem_texts`, fi/sv/en) and are coded; no value of the file is quoted.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.organisation import Organisation, toml_key

_INTERNAL = frozenset({"source", "origin", "templates"})
"""Fields the reader fills in itself (`templates` is the `[[template]]` tables): never suggested."""

_KINDS = {
    "string_type": "org.kind.text",
    "int_type": "org.kind.integer",
    "int_parsing": "org.kind.integer",
    "int_from_float": "org.kind.integer",
    "bool_type": "org.kind.bool",
    "bool_parsing": "org.kind.bool",
    "tuple_type": "org.kind.list",
    "list_type": "org.kind.list",
    "dict_type": "org.kind.table",
    "model_type": "org.kind.table",
    "model_attributes_type": "org.kind.table",
    "string_too_short": "org.kind.nonempty",
}
"""pydantic's error types, as problem texts (`problem_texts`)."""


def toml_location(loc: Iterable[int | str]) -> str:
    """A pydantic error location as a TOML key path: `template[0].elements."a/b".codes`."""
    parts = list(loc)
    out = ""
    if parts and parts[0] == "templates":
        out = "template"
        parts = parts[1:]
    else:
        out = "organisation"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{toml_key(part)}"
    return out


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the annotation of what a field holds, whether a list index or a dict key comes first in a location)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _unwrap(args[0])
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _unwrap(inner[0]) if len(inner) == 1 else (annotation, False)
    if origin in (tuple, list) and args:
        return args[0], True
    if origin is dict and len(args) == 2:
        return args[1], True
    return annotation, False


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model whose field the last part of `loc` would be (Organisation at the top), or None."""
    model: Any = Organisation
    parts = list(loc[:-1])
    while parts:
        part = parts.pop(0)
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        model, indexed = _unwrap(model.model_fields[str(part)].annotation)
        if indexed and parts:
            parts.pop(0)  # the index or key into the list or table
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _known_keys(model: type[BaseModel]) -> list[str]:
    return [name for name in model.model_fields if name not in _INTERNAL]


def _key_name(part: int | str) -> str:
    return "template" if part == "templates" else str(part)


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    key = str(loc[-1])
    model = _model_at(loc)
    known = _known_keys(model) if model is not None else []
    near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = (
        say("org.did_you_mean", near=near[0])
        if near
        else say("org.known_here", known=", ".join(known))
        if known
        else ""
    )
    return say("org.unknown_key", key=key, hint=hint)


def _message(error: ErrorDetails) -> tuple[str, str]:
    """(message, code) for one pydantic error of an organisation file."""
    kind, loc, ctx = error["type"], tuple(error["loc"]), error.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(loc), "org.unknown_key"
    if kind == "missing":
        return say("org.missing_key", key=_key_name(loc[-1])), "org.missing"
    if kind in _KINDS:
        return say(_KINDS[kind]), "org.invalid"
    if kind == "string_pattern_mismatch" and loc == ("id",):
        return say("org.id_pattern"), "org.invalid"
    if kind == "greater_than_equal":
        return say("org.at_least", n=ctx.get("ge")), "org.invalid"
    if kind == "value_error":  # our own validators (OIDs): their message, without pydantic's prefix
        return str(error["msg"]).removeprefix("Value error, "), "org.invalid"
    return str(error["msg"]), "org.invalid"


def describe(errors: Iterable[ErrorDetails]) -> list[tuple[str, str, str]]:
    """(TOML key path, message, code) for each error."""
    out = []
    for error in errors:
        message, code = _message(error)
        out.append((toml_location(error["loc"]), message, code))
    return out


def unknown_table_hint(key: str, known: Iterable[str]) -> str:
    """`; did you mean 'organisation'?` for a misspelt top-level table, else ''."""
    near = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return say("org.did_you_mean", near=near[0]) if near else ""
