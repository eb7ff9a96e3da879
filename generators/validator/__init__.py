"""Validators compiled from structures: check client documents against their national structure.

    from sosmeta.generators.validator import compile_validator
    v = compile_validator(structure)            # mode "full" (default) or "schema"
    v = compile_validator(structure, test_identities=True)   # test data: no hetu.temporary warning
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
from types import CodeType
from typing import TYPE_CHECKING, Any

from sosmeta.generators.registry import BuildContext, Target
from sosmeta.generators.validator import cache
from sosmeta.generators.validator.findings import RULES, Finding, Rule
from sosmeta.generators.validator.schema_tree import UnsupportedSchema
from sosmeta.structure_cache import content_id
from sosmeta.structures.model import Structure

if TYPE_CHECKING:
    from sosmeta.generators.validator.codegen import Flavour, Mode, ValidatorSource, generate


def __getattr__(name: str) -> Any:
    # The code generator is imported when something is generated: a process whose validators all come from
    # the on-disk cache does not import it (a start-up cost of every `sosmeta validate`).
    if name in ("ValidatorSource", "generate"):
        from sosmeta.generators.validator import codegen

        return getattr(codegen, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
FLAVOURS: tuple[Flavour, ...] = ("report", "check")
_new = tuple.__new__
TEST_IDENTITY_CODE = "hetu.temporary"
_CACHE_SIZE = 256


class Validator:
    """The validator of one structure version in one mode.

    Each of `validate` and `is_valid` is generated and compiled on its first call, so a program that only
    needs one of them pays for one; the compiled code is kept in the on-disk cache (`cache.py`), so the next
    process loads it instead of compiling it again.
    """

    def __init__(
        self, structure: Structure, mode: Mode, source: ValidatorSource | None = None, test_identities: bool = False
    ) -> None:
        self.structure = structure
        self.mode = mode
        self.test_identities = test_identities
        """Accept identity codes of the test range (individual number 900-999) without `hetu.temporary`."""
        self._lock = threading.Lock()
        self._findings: Callable[[Any, list[tuple[str, int]]], None] | None = None
        self._is_valid: Callable[[Any], bool] | None = None
        self._keys: dict[Flavour, str] = {}
        self._loaded: dict[Flavour, CodeType] = {}
        if cache.cache_dir() is not None:
            content = content_id(structure)
            self._keys = {f: cache.entry_key(content, mode, f) for f in FLAVOURS}
            self._loaded = {f: code for f, code in ((f, cache.load(k)) for f, k in self._keys.items()) if code}
        # Without a cached entry the schema is checked now, so an unsupported one fails here, not on first
        # use; an entry exists only for a structure that compiled.
        self._source = source if source is not None or self._loaded else _source(structure, mode)

    @property
    def source(self) -> str:
        """The whole generated module (as `sosmeta build --target validators` writes it)."""
        return _source(self.structure, self.mode).text()

    def _code(self, flavour: Flavour) -> CodeType:
        """The compiled module of `flavour`'s function alone: from the cache, or generated (then cached)."""
        code = self._loaded.pop(flavour, None)
        if code is not None:
            return code
        # Each flavour from a source that has emitted nothing else: the piece is then the same in every
        # process, whichever flavour came first.
        source, self._source = self._source or _source(self.structure, self.mode), None
        piece, _, _ = source.piece(flavour, 0, 0)
        filename = f"<sosmeta validator {self.structure.version_oid} {self.mode} {flavour}>"
        linecache.cache[filename] = (len(piece), None, piece.splitlines(True), filename)
        code = compile(piece, filename, "exec")
        if flavour in self._keys:
            cache.store(self._keys[flavour], code)
        return code

    def _compile(self, flavour: Flavour) -> dict[str, Any]:
        with self._lock:
            namespace: dict[str, Any] = {"__name__": f"sosmeta_validator_{self.mode}"}
            exec(self._code(flavour), namespace)
            return namespace

    def prepare(self) -> Validator:
        """Compile (or load from the cache) both functions now, before the first document: for bulk commands
        that fill the cache once before starting workers, or that want no first-document pause."""
        if self._findings is None:
            self.validate({})
        if self._is_valid is None:
            self.is_valid({})
        return self

    def validate(self, doc: Any) -> list[Finding]:
        """Every finding in `doc` (a parsed JSON document), errors and warnings, in document order."""
        if self._findings is None:
            namespace = self._compile("report")
            self._messages: tuple[tuple[Any, ...], ...] = namespace["MESSAGES"]
            self._findings = namespace["findings"]
        out: list[tuple[str, int]] = []
        self._findings(doc, out)
        if not out:
            return []
        messages = self._messages
        result = []
        for pointer, index in out:
            code, severity, message, row, name = messages[index]
            if self.test_identities and code == TEST_IDENTITY_CODE:
                continue  # HETU_TEMPORARY is reported only for a code that passed every other check
            # tuple.__new__ directly: a named tuple's own __new__ is one more Python call per finding.
            result.append(_new(Finding, (pointer, code, severity, dict(message), row, name)))
        return result

    def is_valid(self, doc: Any) -> bool:
        """True when `doc` has no error-severity finding (stops at the first error)."""
        if self._is_valid is None:
            self._is_valid = self._compile("check")["is_valid"]
        return self._is_valid(doc)

    def __repr__(self) -> str:
        return f"Validator({self.structure.version_oid!r}, mode={self.mode!r})"


def _source(structure: Structure, mode: Mode) -> ValidatorSource:
    from sosmeta.generators.validator.codegen import ValidatorSource

    return ValidatorSource(structure, mode)


_cache: OrderedDict[tuple[int, str, bool], tuple[Structure, Validator]] = OrderedDict()


def compile_validator(structure: Structure, mode: Mode = "full", test_identities: bool = False) -> Validator:
    """The validator of `structure` in `mode` ("full" or "schema"), compiled once per structure object;
    `test_identities` accepts identity codes of the test range (900-999) without the `hetu.temporary` warning."""
    key = (id(structure), mode, test_identities)
    hit = _cache.get(key)
    if hit is not None and hit[0] is structure:
        _cache.move_to_end(key)
        return hit[1]
    validator = Validator(structure, mode, test_identities=test_identities)
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
            source = _source(structure, mode).text()
            ctx.write(f"{mode}/{_module_name(structure)}.py", source.encode("utf-8"))


TARGET = Target(
    name="validators",
    description="Python validator modules, one per structure version and mode (OUT/validators/<mode>/v_<OID>.py)",
    build=_build,
)
