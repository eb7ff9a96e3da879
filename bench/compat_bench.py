"""Compatibility benchmark: diff of two versions of a large structure, and a whole-catalog check.

Baseline in the same run: loading the structures being compared (parse of the two files, or of the whole
corpus). Figures: the engine alone (compare), and with counterexamples (compare + proof, which compiles a
validator per version and validates every candidate document).

    python bench/compat_bench.py
"""

from __future__ import annotations

import sys
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import best_of, corpus_files
from sosmeta.generators.compat.check import compare_pair, compare_sets
from sosmeta.generators.validator import compile_validator
from sosmeta.sosmeta_import.sosmeta_json import load_structure, parse_structure
from sosmeta.structures.compat import compare
from sosmeta.structures.model import Structure
from sosmeta.structures.shape import expected_node, expected_wrapper


def _mutated(structure: Structure) -> Structure:
    """Every 4th row's required flag and every 9th row's repeatable flag toggled (a version with many changes)."""

    def walk(element, index):  # type: ignore[no-untyped-def]
        members = []
        for member in element.members:
            if hasattr(member, "children"):
                index[0] += 1
                updates = {}
                if index[0] % 4 == 0:
                    updates["required"] = not member.required
                if index[0] % 9 == 0:
                    updates["repeatable"] = not member.repeatable
                member = walk(member.model_copy(update=updates), index)
                if updates:
                    member = member.model_copy(
                        update={"node": expected_node(member), "wrapper": expected_wrapper(member)}
                    )
            members.append(member)
        return element.model_copy(update={"members": tuple(members)})

    fields = {name: getattr(structure, name) for name in Structure.model_fields}
    return Structure(**(fields | {"document": walk(structure.document, [0])}))


def main() -> None:
    files = corpus_files()
    texts = {f: f.read_text(encoding="utf-8") for f in files}
    structures = {f: parse_structure(t, f.name) for f, t in texts.items()}
    by_oid: dict[str, list[Path]] = defaultdict(list)
    for path, s in structures.items():
        by_oid[s.base_oid].append(path)

    # 1. The real version pair with the most document-breaking findings, and the largest structure against a
    # heavily changed copy of itself.
    ordered = [sorted(v, key=lambda p: structures[p].version) for v in by_oid.values() if len(v) > 1]
    pairs = [pair for v in ordered for pair in pairwise(v)]

    def breaking(pair: tuple[Path, Path]) -> int:
        return sum(bool(f.document_categories) for f in compare(structures[pair[0]], structures[pair[1]]))

    old_path, new_path = max(pairs, key=breaking)
    old, new = structures[old_path], structures[new_path]
    load = best_of(5, lambda: (load_structure(old_path), load_structure(new_path)))
    engine = best_of(5, lambda: compare(old, new))
    full = best_of(5, lambda: compare_pair(load_structure(old_path), load_structure(new_path), "a", "b"))
    comparison = compare_pair(old, new, "a", "b")
    proofs = sum(len(f.counterexamples) for f in comparison.findings)
    print(
        f"real pair {old.version_oid} -> {new.version}: {len(comparison.findings)} findings, {proofs} counterexamples"
    )
    fresh = [load_structure(old_path), load_structure(new_path)]
    compiled = best_of(1, lambda: [compile_validator(s, "schema") for s in fresh])
    print(f"  load both (baseline) {load * 1000:8.1f} ms")
    print(f"  compile both validators (schema mode, the proof's fixed cost) {compiled * 1000:8.1f} ms")
    print(f"  compare              {engine * 1000:8.1f} ms  ({engine / load:.2f}x load)")
    print(f"  load+compare+proof   {full * 1000:8.1f} ms  ({full / load:.2f}x load)")

    largest_path = max(files, key=lambda p: len(texts[p]))
    largest = structures[largest_path]
    changed = _mutated(largest)
    load = best_of(5, lambda: load_structure(largest_path))
    full = best_of(5, lambda: compare_pair(load_structure(largest_path), changed, "a", "b"))
    comparison = compare_pair(largest, changed, "a", "b")
    proofs = sum(len(f.counterexamples) for f in comparison.findings)
    verified = sum(e.verified for f in comparison.findings for e in f.counterexamples)
    print(
        f"largest structure {largest.version_oid} ({len(texts[largest_path]) // 1000} kB, "
        f"{largest.element_count} rows) vs a copy with many changes: {len(comparison.findings)} findings, "
        f"{verified}/{proofs} verified"
    )
    print(f"  load (baseline)      {load * 1000:8.1f} ms")
    print(f"  load+compare+proof   {full * 1000:8.1f} ms  ({full / load:.2f}x load)")

    # 2. Whole catalog: every structure's older versions against the newest ones (all shared files).
    newest = [max(v, key=lambda p: structures[p].version) for v in by_oid.values()]
    olds = [p for p in files if p not in newest] + [p for v in by_oid.values() if len(v) == 1 for p in v]
    load_all = best_of(3, lambda: [load_structure(p) for p in files])

    def whole() -> int:
        loaded = {p: load_structure(p) for p in files}
        found = compare_sets([loaded[p] for p in olds], [loaded[p] for p in newest], lambda s: s.version_oid)
        return sum(len(c.findings) for c in found)

    catalog = best_of(3, whole)
    print(f"whole catalog: {len(files)} files, {len(olds)} baseline vs {len(newest)} current, {whole()} findings")
    print(f"  load all (baseline)  {load_all * 1000:8.1f} ms")
    print(f"  load+check+proof     {catalog * 1000:8.1f} ms  ({catalog / load_all:.2f}x load)")


if __name__ == "__main__":
    main()
