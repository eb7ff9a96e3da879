"""Importers: one module per input format, each producing `structures.Structure` objects.

A module that defines `SUFFIXES` (file name endings it reads) and `load(path) -> list[Structure]` is an
importer; `load_any` picks it by suffix. Adding a format is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache
from pathlib import Path

from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.model import Structure

Loader = Callable[[Path], list[Structure]]

__all__ = ["InputError", "Problem", "importers", "load_any", "supported_suffixes"]


@cache
def importers() -> dict[str, Loader]:
    """Loaders by file suffix (lower case, with the dot)."""
    found: dict[str, Loader] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name in ("errors", "jsonload", "problem_texts", "code_list_texts") or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        suffixes = getattr(module, "SUFFIXES", None)
        load = getattr(module, "load", None)
        if suffixes and callable(load):
            for suffix in suffixes:
                found[suffix] = load
    return found


def supported_suffixes() -> tuple[str, ...]:
    return tuple(sorted(importers()))


def load_any(path: Path) -> list[Structure]:
    """Every structure in the file at `path`, read by the importer for its suffix."""
    loader = importers().get(path.suffix.lower())
    if loader is None:
        raise InputError.one(
            str(path),
            "",
            say("file.unsupported", suffix=path.suffix, supported=", ".join(supported_suffixes())),
            "file.unsupported",
        )
    return loader(path)
