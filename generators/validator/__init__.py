"""Validators compiled from structures: check client documents against their national structure.

    from generators.validator import compile_validator
    v = compile_validator(structure)            # mode "full" (default) or "schema"
    v.validate(doc)   -> list[Finding]           # every finding, in document order
    v.is_valid(doc)   -> bool                    # no error-severity finding

Each structure is compiled into a small Python module (see `codegen.py`), compiled in memory and cached;
`sosmeta build --target validators` writes the same modules to disk. `schema` mode is exactly the JSON Schema
(draft-07) meaning of the export with ECMA-262 regular expressions; `full` adds the rules the schema cannot
express (docs/validation.md lists them).
"""

from __future__ import annotations

import linecache
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from generators.registry import BuildContext, Target
from generators.validator.codegen import Flavour, Mode, ValidatorSource, generate
from generators.validator.findings import RULES, Finding, Rule
from generators.validator.schema_tree import UnsupportedSchema
from structures.model import Structure

__all__ = [
    "MODES",
    "RULES",
    "Finding",
    "Rule",
    "UnsupportedSchema",
    "Validator",
    "ValidatorSource",
    "compile_validator",
    "generate",
]

MODES: tuple[Mode, ...] = ("full", "schema")
_CACHE_SIZE = 256


class Validator:
    """The validator of one structure version in one mode.

    Each of `validate` and `is_valid` is generated and compiled on its first call, so a program that only
    needs one of them pays for one.
    """

    def __init__(self, structure: Structure, mode: Mode, source: ValidatorSource | None = None) -> None:
        self.structure = structure
        self.mode = mode
        self._source = source if source is not None else ValidatorSource(structure, mode)
        self._namespace: dict[str, Any] = {"__name__": f"sosmeta_validator_{mode}"}
        self._done = (0, 0)
        self._lock = threading.Lock()
        self._findings: Callable[[Any, list[tuple[str, int]]], None] | None = None
        self._is_valid: Callable[[Any], bool] | None = None

    @property
    def source(self) -> str:
        """The whole generated module (as `sosmeta build --target validators` writes it)."""
        return self._source.text()

    def _compile(self, flavour: Flavour, name: str) -> Any:
        with self._lock:
            if name not in self._namespace:
                piece, *done = self._source.piece(flavour, *self._done)
                filename = f"<sosmeta validator {self.structure.version_oid} {self.mode} {name}>"
                linecache.cache[filename] = (len(piece), None, piece.splitlines(True), filename)
                exec(compile(piece, filename, "exec"), self._namespace)
                self._done = (done[0], done[1])
            return self._namespace[name]

    def validate(self, doc: Any) -> list[Finding]:
        """Every finding in `doc` (a parsed JSON document), errors and warnings, in document order."""
        if self._findings is None:
            self._findings = self._compile("report", "findings")
            self._messages: tuple[tuple[Any, ...], ...] = self._namespace["MESSAGES"]
        out: list[tuple[str, int]] = []
        self._findings(doc, out)
        messages = self._messages
        result = []
        for pointer, index in out:
            code, severity, message, row, name = messages[index]
            result.append(Finding(pointer, code, severity, dict(message), row, name))
        return result

    def is_valid(self, doc: Any) -> bool:
        """True when `doc` has no error-severity finding (stops at the first error)."""
        if self._is_valid is None:
            self._is_valid = self._compile("check", "is_valid")
        return self._is_valid(doc)

    def __repr__(self) -> str:
        return f"Validator({self.structure.version_oid!r}, mode={self.mode!r})"


_cache: OrderedDict[tuple[int, str], tuple[Structure, Validator]] = OrderedDict()


def compile_validator(structure: Structure, mode: Mode = "full") -> Validator:
    """The validator of `structure` in `mode` ("full" or "schema"), compiled once per structure object."""
    key = (id(structure), mode)
    hit = _cache.get(key)
    if hit is not None and hit[0] is structure:
        _cache.move_to_end(key)
        return hit[1]
    validator = Validator(structure, mode)
    _cache[key] = (structure, validator)  # holding the structure keeps its id from being reused
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return validator


def _module_name(structure: Structure) -> str:
    return "v_" + structure.version_oid.replace(".", "_")


def _build(ctx: BuildContext) -> None:
    modes = ctx.options.get("validators", {}).get("modes", list(MODES))
    for structure in ctx.progress(ctx.structures, "validators"):
        for mode in modes:
            ctx.write(f"{mode}/{_module_name(structure)}.py", generate(structure, mode).encode("utf-8"))


TARGET = Target(
    name="validators",
    description="Python validator modules, one per structure version and mode (OUT/validators/<mode>/v_<OID>.py)",
    build=_build,
)
