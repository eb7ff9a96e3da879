"""Compare versions end to end: the engine's findings, proved, as report comparisons."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from generators.compat.proof import prove_all
from structures.compat.diff import compare
from structures.compat.matching import Renames
from structures.compat.report import Comparison, Side, pair_newest, structure_finding
from structures.model import Structure

SourceOf = Callable[[Structure], str]
Progress = Callable[[Iterable[Any], str], Iterator[Any]]


def compare_pair(
    old: Structure, new: Structure, old_source: str, new_source: str, renames: Renames | None = None, proof: bool = True
) -> Comparison:
    findings = compare(old, new, renames)
    if proof:
        findings = prove_all(findings, old, new)
    return Comparison(Side.of(old, old_source), Side.of(new, new_source), tuple(findings))


def compare_sets(
    old: Sequence[Structure],
    new: Sequence[Structure],
    source_of: SourceOf,
    renames: Renames | None = None,
    proof: bool = True,
    progress: Progress | None = None,
) -> list[Comparison]:
    """Whole catalogs: newest versions paired by base OID; added, removed and changed structures."""
    pairs = pair_newest(old, new)
    out = []
    for before, after in progress(pairs, "comparing") if progress else pairs:
        if before is None and after is not None:
            out.append(
                Comparison(None, Side.of(after, source_of(after)), (structure_finding("STRUCTURE_ADDED", after),))
            )
        elif after is None and before is not None:
            comparison = Comparison(
                Side.of(before, source_of(before)), None, (structure_finding("STRUCTURE_REMOVED", before),)
            )
            if proof:
                comparison = Comparison(
                    comparison.old, None, tuple(prove_all(list(comparison.findings), before, before))
                )
            out.append(comparison)
        elif before is not None and after is not None:
            out.append(compare_pair(before, after, source_of(before), source_of(after), renames, proof))
    return out
