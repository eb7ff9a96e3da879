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
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from pydantic import JsonValue

from generators.compat.documents import element_values, minimal_document, reach
from generators.sosmeta_json import structure_data
from structures.compat.categories import B, Category
from structures.compat.findings import Counterexample, Finding, Version
from structures.model import Structure

Check = Callable[[JsonValue], list[tuple[str, str]]]
MAX_TRIES = 60


def compile_check(structure: Structure, mode: str = "schema") -> Check | None:
    """The one adapter to the validator: errors of a document as (JSON pointer, code); None if `mode` is not
    available."""
    if mode != "schema":
        return None
    from jsonschema import Draft7Validator

    validator = Draft7Validator(structure_data(structure))

    def check(document: JsonValue) -> list[tuple[str, str]]:
        return [(_pointer(e.absolute_path), str(e.validator)) for e in validator.iter_errors(document)]

    return check


def _pointer(parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def pointer_keys(pointer: str) -> str:
    """`/doc/asiakas/0/nimi` -> `doc/asiakas/nimi` (list indexes dropped: keys are never numbers)."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    return "/".join(p for p in parts if not p.isdigit())


def base_document(structure: Structure) -> dict[str, Any]:
    return minimal_document(structure)


class Prover:
    """Builds and verifies counterexamples for the findings of one version pair."""

    def __init__(
        self, old: Structure, new: Structure, full_mode: bool = True, renamed: dict[str, str] | None = None
    ) -> None:
        self.structures = {"old": old, "new": new}
        renamed = renamed or {}
        self.renamed = {"old": renamed, "new": {v: k for k, v in renamed.items()}}
        """Key paths renamed between the versions, by source version: a document is carried over to the other
        version with those keys renamed, so that a finding is proved at its own element, not at a renamed
        ancestor."""
        self.schema: dict[str, Check] = {}
        self.full: dict[str, Check | None] = {}
        self.want_full = full_mode
        self.bases: dict[str, dict[str, Any]] = {}

    def _check(self, version: str, mode: str = "schema") -> Check | None:
        cache: dict[str, Any] = self.schema if mode == "schema" else self.full
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
                note="no counterexample: NEW has no such structure, so every document of it loses its schema",
            )
        s_check, t_check = self._check(source), self._check(target)
        assert s_check is not None and t_check is not None
        base = self._base(source)
        if s_check(base):
            return Counterexample(
                category,
                source,
                note=f"no counterexample: no minimal document valid under {source.upper()} could be built",
            )
        places = _places(finding, source)
        own = finding.old_path if source == "old" else finding.new_path
        renames = {k: v for k, v in self.renamed[source].items() if k != own or finding.rule not in _RENAME_RULES}
        already = set(t_check(carry_over(base, renames)))
        fallback: tuple[Any, list[tuple[str, str]]] | None = None
        for document in self._candidates(finding, source, target, base):
            if s_check(document):
                continue
            rejected = [
                (p, code) for p, code in t_check(carry_over(document, renames)) if _relevant(pointer_keys(p), places)
            ]
            caused = [r for r in rejected if r not in already]
            if caused or (rejected and fallback is None):
                found = (copy.deepcopy(document), caused or rejected)
                if not caused:
                    fallback = found  # rejected, but also where the minimal document already is: keep looking
                    continue
                return self._example(category, source, target, found, renames)
        if fallback is not None:
            return self._example(category, source, target, fallback, renames)
        return Counterexample(
            category,
            source,
            note="no verified counterexample: no document built from a minimal "
            f"{source.upper()} document was rejected by {target.upper()} "
            "at this element",
        )

    def _example(
        self,
        category: Category,
        source: Version,
        target: Version,
        found: tuple[Any, list[tuple[str, str]]],
        renames: dict[str, str],
    ) -> Counterexample:
        document, rejected = found
        return Counterexample(
            category,
            source,
            document,
            True,
            tuple(rejected),
            self._full_verdict(source, target, document, renames),
            carry_over(document, renames) != document,
        )

    def _full_verdict(self, source: str, target: str, document: JsonValue, renames: dict[str, str]) -> bool | None:
        if not self.want_full:
            return None
        s_full, t_full = self._check(source, "full"), self._check(target, "full")
        if s_full is None or t_full is None:
            return None
        return not s_full(document) and bool(t_full(carry_over(document, renames)))

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


_RENAME_RULES = frozenset({"ELEMENT_RENAMED", "ELEMENT_RENAME_SUSPECTED"})


def carry_over(document: JsonValue, renames: dict[str, str]) -> JsonValue:
    """`document` with the keys of renamed elements (key path -> new key path) renamed."""
    if not renames:
        return document

    def walk(value: JsonValue, path: str) -> JsonValue:
        if isinstance(value, list):
            return [walk(v, path) for v in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, child in value.items():
            child_path = f"{path}/{key}" if path else key
            target = renames.get(child_path)
            out[target.rsplit("/", 1)[-1] if target else key] = walk(child, child_path)
        return out

    return walk(document, "")


def _places(finding: Finding, source: str) -> tuple[set[str], set[str]]:
    """(element key paths, parent key paths) where a rejection counts as caused by this finding."""
    elements = {p for p in (finding.old_path, finding.new_path) if p}
    parents = {p if p is not None else "" for p in (finding.old_parent, finding.new_parent)}
    return elements, parents


def _relevant(keys: str, places: tuple[set[str], set[str]]) -> bool:
    elements, parents = places
    return keys in parents or any(keys == p or keys.startswith(p + "/") for p in elements)


def prove_all(findings: list[Finding], old: Structure, new: Structure, full_mode: bool = True) -> list[Finding]:
    """The findings with counterexamples attached to every DOCUMENT_* category."""
    renamed = {
        f.old_path: f.new_path
        for f in findings
        if f.rule in _RENAME_RULES and f.old_path is not None and f.new_path is not None
    }
    prover = Prover(old, new, full_mode, renamed)
    return [prover.prove(f) if f.document_categories else f for f in findings]
