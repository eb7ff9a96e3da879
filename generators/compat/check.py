"""Compare versions end to end: the engine's findings, proved, as report comparisons."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sosmeta.generators.compat.proof import prove_all
from sosmeta.messages import message
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.compat.code_lists import list_version_findings
from sosmeta.structures.compat.diff import compare
from sosmeta.structures.compat.matching import Renames
from sosmeta.structures.compat.organisation import template_impact
from sosmeta.structures.compat.report import Comparison, Side, pair_newest, structure_finding
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation

SourceOf = Callable[[Structure], str]
Progress = Callable[[Iterable[Any], str], Iterator[Any]]


def compare_pair(
    old: Structure,
    new: Structure,
    old_source: str,
    new_source: str,
    renames: Renames | None = None,
    proof: bool = True,
    full_mode: bool = False,
    organisations: Sequence[Organisation] = (),
    unrelated: bool = False,
    lists: CodeLists | None = None,
) -> Comparison:
    """One version pair; with `proof`, counterexamples for every DOCUMENT_* category (schema mode, and the
    validators' full mode too with `full_mode`); with `organisations`, the template entries that stop applying;
    with `lists`, what a change of a bound code list's version does to documents.
    Two different structures (base OIDs) are refused unless `unrelated`: a mistaken argument would otherwise
    read as a version that breaks everything."""
    if not unrelated:
        refuse_unrelated(old, new, old_source, new_source)
    findings = compare(old, new, renames)
    if proof:
        findings = prove_all(findings, old, new, full_mode)
    if lists is not None:
        findings += list_version_findings(old, new, lists, renames)
    for organisation in organisations:
        findings += template_impact(organisation, old, new, renames)
    return Comparison(Side.of(old, old_source), Side.of(new, new_source), tuple(findings))


def refuse_unrelated(old: Structure, new: Structure, old_source: str, new_source: str) -> None:
    """InputError (`compat.unrelated`) when OLD and NEW are not versions of one structure (their base OIDs differ)."""
    if old.base_oid != new.base_oid:
        raise InputError.one(
            new_source,
            "/sosmeta/oid",
            message(
                "compat.unrelated",
                new_oid=new.base_oid,
                new_title=new.fi_title,
                old_source=old_source,
                old_oid=old.base_oid,
                old_title=old.fi_title,
            ),
            "compat.unrelated",
        )


def compare_sets(
    old: Sequence[Structure],
    new: Sequence[Structure],
    source_of: SourceOf,
    renames: Renames | None = None,
    proof: bool = True,
    progress: Progress | None = None,
    full_mode: bool = False,
    organisations: Sequence[Organisation] = (),
    lists: CodeLists | None = None,
) -> list[Comparison]:
    """Whole catalogs: newest versions paired by base OID; added, removed and changed structures."""
    out = []
    pairs = pair_newest(old, new)
    for before, after in progress(pairs, "comparing") if progress else pairs:
        if before is None and after is not None:
            added = (structure_finding("STRUCTURE_ADDED", after),)
            out.append(Comparison(None, Side.of(after, source_of(after)), added))
        elif after is None and before is not None:
            removed = [structure_finding("STRUCTURE_REMOVED", before)]
            if proof:  # says why there is no counterexample
                removed = prove_all(removed, before, before)
            out.append(Comparison(Side.of(before, source_of(before)), None, tuple(removed)))
        elif before is not None and after is not None:
            sources = source_of(before), source_of(after)
            out.append(compare_pair(before, after, *sources, renames, proof, full_mode, organisations, lists=lists))
    return out
