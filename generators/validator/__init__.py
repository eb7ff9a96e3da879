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
import types
from collections import OrderedDict
from typing import Any

from generators.registry import BuildContext, Target
from generators.validator.codegen import Mode, generate
from generators.validator.findings import RULES, Finding, Rule
from generators.validator.schema_tree import UnsupportedSchema
from structures.model import Structure

__all__ = ["MODES", "RULES", "Finding", "Rule", "UnsupportedSchema", "Validator", "compile_validator", "generate"]

MODES: tuple[Mode, ...] = ("full", "schema")
_CACHE_SIZE = 256


class Validator:
    """The compiled validator of one structure version in one mode."""

    def __init__(self, structure: Structure, mode: Mode, source: str) -> None:
        self.structure = structure
        self.mode = mode
        self.source = source
        filename = f"<sosmeta validator {structure.version_oid} {mode}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        module = types.ModuleType(f"sosmeta_validator_{mode}")
        exec(compile(source, filename, "exec"), module.__dict__)
        self._findings = module.findings
        self._is_valid = module.is_valid
        self._messages: tuple[tuple[Any, ...], ...] = module.MESSAGES

    def validate(self, doc: Any) -> list[Finding]:
        """Every finding in `doc` (a parsed JSON document), errors and warnings, in document order."""
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
        return bool(self._is_valid(doc))

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
    validator = Validator(structure, mode, generate(structure, mode))
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
