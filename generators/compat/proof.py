"""Proof for DOCUMENT_* findings: a concrete document valid under one version and invalid under the other.

For each DOCUMENT_BACKWARD (DOCUMENT_FORWARD) category of a finding, start from a minimal valid document of
OLD (NEW), make the element of the finding present (creating its ancestors), absent, an empty list, or give it
values where the two versions' keywords differ, and keep the first document that the source version accepts
and the other version rejects *at that element* (or at its parent, where `required` and
`additionalProperties` are reported). Both verdicts come from the validator in schema mode; full mode is
recorded as well when the validator offers it. When no such document is found the finding says so.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import JsonValue

from sosmeta.generators.compat.documents import element_values, reach
from sosmeta.generators.examples import minimal_document
from sosmeta.generators.validator import compile_validator
from sosmeta.generators.validator.codegen import Mode
from sosmeta.messages import message
from sosmeta.structures import pointers
from sosmeta.structures.compat.categories import B, Category
from sosmeta.structures.compat.findings import Counterexample, Finding, Version
from sosmeta.structures.model import Structure

Check = Callable[[JsonValue], list[tuple[str, str]]]
MAX_TRIES = 60


def compile_check(structure: Structure, mode: Mode = "schema") -> Check:
    """The one adapter to the validator: the error findings of a document as (JSON pointer, rule code)."""
    validator = compile_validator(structure, mode=mode)

    def check(document: JsonValue) -> list[tuple[str, str]]:
        return [(f.pointer, f.code) for f in validator.validate(document) if f.severity == "error"]

    return check


def pointer_keys(pointer: str) -> str:
    """`/doc/asiakas/0/nimi` -> `doc/asiakas/nimi` (list indexes dropped: keys are never numbers)."""
    parts = pointers.parts(pointer)
    return "/".join(p for p in parts if not p.isdigit())


def base_document(structure: Structure) -> dict[str, Any]:
    """The realistic minimal document of the example generator (valid in full mode too)."""
    return minimal_document(structure)


_RENAME_RULES = frozenset({"ELEMENT_RENAMED", "ELEMENT_RENAME_SUSPECTED"})
_LIST_RULES = frozenset({"REPEATABLE_ADDED", "REPEATABLE_REMOVED"})


@dataclass(frozen=True)
class Adaptation:
    """How a document of one version is carried to the other for checking: the keys of renamed elements and
    the list shape of elements that became (or stopped being) repeatable, other than the finding's own
    element. So a finding is proved at its own element, not at a renamed or reshaped ancestor."""

    renames: dict[str, str] = field(default_factory=dict)
    """Key path in the source version -> key path in the other version."""
    lists: dict[str, bool] = field(default_factory=dict)
    """Key path in the source version -> True: a list in the other version; False: no longer a list."""

    def __bool__(self) -> bool:
        return bool(self.renames or self.lists)


def adaptation(findings: Iterable[Finding], finding: Finding, source: Version) -> Adaptation:
    """The adaptation for proving `finding` with a document valid under `source`."""
    renames: dict[str, str] = {}
    lists: dict[str, bool] = {}
    for other in findings:
        if other is finding or other.old_path is None or other.new_path is None:
            continue
        here, there = (other.old_path, other.new_path) if source == "old" else (other.new_path, other.old_path)
        if other.rule in _RENAME_RULES:
            renames[here] = there
        elif other.rule in _LIST_RULES:
            lists[here] = (other.rule == "REPEATABLE_ADDED") == (source == "old")
    return Adaptation(renames, lists)


def adapt(document: JsonValue, how: Adaptation) -> JsonValue:
    """`document` carried to the other version as `how` says (the input is not changed)."""
    if not how:
        return document

    def walk(value: JsonValue, path: str) -> JsonValue:
        if isinstance(value, list):
            return [walk(v, path) for v in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, JsonValue] = {}
        for key, child in value.items():
            child_path = f"{path}/{key}" if path else key
            child = walk(child, child_path)
            to_list = how.lists.get(child_path)
            if to_list is True and not isinstance(child, list):
                child = [child]
            elif to_list is False and isinstance(child, list):
                if not child:
                    continue  # an empty list has no single-value counterpart: leave the member out
                child = child[0]
            target = how.renames.get(child_path)
            out[target.rsplit("/", 1)[-1] if target else key] = child
        return out

    return walk(document, "")


class Prover:
    """Builds and verifies counterexamples for the findings of one version pair."""

    def __init__(self, old: Structure, new: Structure, findings: Sequence[Finding], full_mode: bool = False) -> None:
        self.structures = {"old": old, "new": new}
        self.findings = findings
        self.schema: dict[str, Check] = {}
        self.full: dict[str, Check] = {}
        self.want_full = full_mode
        self.bases: dict[str, dict[str, Any]] = {}

    def _check(self, version: str, mode: Mode = "schema") -> Check:
        cache = self.schema if mode == "schema" else self.full
        if version not in cache:
            cache[version] = compile_check(self.structures[version], mode)
        return cache[version]

    def prove(self, finding: Finding) -> Finding:
        examples = tuple(self.attempt(finding, c) for c in finding.document_categories)
        return replace(finding, counterexamples=examples) if examples else finding

    def attempt(self, finding: Finding, category: Category) -> Counterexample:
        source: Version = "old" if category is B else "new"
        target: Version = "new" if source == "old" else "old"
        if finding.rule == "STRUCTURE_REMOVED":
            return Counterexample(
                category,
                source,
                note=message("compat.note.removed"),
            )
        s_check, t_check = self._check(source), self._check(target)
        base = self._base(source)
        if s_check(base):
            return Counterexample(
                category,
                source,
                note=message("compat.note.no_minimal", source=source.upper()),
            )
        how = adaptation(self.findings, finding, source)
        places = _places(finding, how)
        already = set(t_check(adapt(base, how)))
        fallback: tuple[Any, list[tuple[str, str]]] | None = None
        for document in self._candidates(finding, source, target, base):
            if s_check(document):
                continue
            rejected = [(p, code) for p, code in t_check(adapt(document, how)) if _relevant(pointer_keys(p), places)]
            caused = [r for r in rejected if r not in already]
            if caused or (rejected and fallback is None):
                found = (copy.deepcopy(document), caused or rejected)
                if not caused:
                    fallback = found  # rejected, but also where the minimal document already is: keep looking
                    continue
                return self._example(category, source, target, found, how)
        if fallback is not None:
            return self._example(category, source, target, fallback, how)
        return Counterexample(
            category,
            source,
            note=message("compat.note.unverified", source=source.upper(), target=target.upper()),
        )

    def _example(
        self,
        category: Category,
        source: Version,
        target: Version,
        found: tuple[Any, list[tuple[str, str]]],
        how: Adaptation,
    ) -> Counterexample:
        document, rejected = found
        full = self._full_verdict(source, target, document, how)
        return Counterexample(category, source, document, True, tuple(rejected), full, adapt(document, how) != document)

    def _full_verdict(self, source: str, target: str, document: JsonValue, how: Adaptation) -> bool | None:
        if not self.want_full:
            return None
        s_full, t_full = self._check(source, "full"), self._check(target, "full")
        return not s_full(document) and bool(t_full(adapt(document, how)))

    def _base(self, version: str) -> dict[str, Any]:
        if version not in self.bases:
            self.bases[version] = base_document(self.structures[version])
        return self.bases[version]

    def _candidates(self, finding: Finding, source: str, target: str, base: dict[str, Any]) -> Iterator[Any]:
        structure = self.structures[source]
        path = finding.old_path if source == "old" else finding.new_path
        other_path = finding.new_path if source == "old" else finding.old_path
        parent = finding.old_parent if source == "old" else finding.new_parent
        tries = 0
        if path is not None and structure.by_path(path) is not None:
            other = self.structures[target].by_path(other_path) if other_path else None
            document = copy.deepcopy(base)
            holder, loc = reach(document, structure, path)
            for value in element_values(loc.element, other.element if other else None):
                holder[loc.element.key] = value
                yield document
                tries += 1
                if tries >= MAX_TRIES:
                    break
            holder.pop(loc.element.key, None)
            yield document
        elif parent is not None and structure.by_path(parent) is not None:
            document = copy.deepcopy(base)
            holder, loc = reach(document, structure, parent)
            for value in element_values(loc.element, None):
                holder[loc.element.key] = value
                yield document
                break


def adapt_path(path: str, how: Adaptation) -> str:
    """A source-version key path in the other version's terms (renamed ancestors applied)."""
    keys = path.split("/")
    out: list[str] = []
    for i, key in enumerate(keys):
        target = how.renames.get("/".join(keys[: i + 1]))
        out.append(target.rsplit("/", 1)[-1] if target else key)
    return "/".join(out)


def _places(finding: Finding, how: Adaptation) -> tuple[set[str], set[str]]:
    """(element key paths, parent key paths) where a rejection counts as caused by this finding, in the terms
    of either version (a missing or unknown member is reported at the member, a `required` list at its
    parent by some validators)."""
    elements = {p for p in (finding.old_path, finding.new_path) if p}
    parents = {p if p is not None else "" for p in (finding.old_parent, finding.new_parent)}
    return elements | {adapt_path(p, how) for p in elements}, parents | {adapt_path(p, how) for p in parents if p}


def _relevant(keys: str, places: tuple[set[str], set[str]]) -> bool:
    elements, parents = places
    return keys in parents or any(keys == p or keys.startswith(p + "/") for p in elements)


def prove_all(findings: list[Finding], old: Structure, new: Structure, full_mode: bool = False) -> list[Finding]:
    """The findings with counterexamples attached to every DOCUMENT_* category; with `full_mode`, each
    counterexample also records whether the validators' full mode agrees (two more validators to compile)."""
    prover = Prover(old, new, findings, full_mode)
    return [prover.prove(f) if f.document_categories else f for f in findings]
