"""Benchmark: our compiled validators against jsonschema, fastjsonschema and jsonschema-rs.

Same documents for every validator: for each of the largest current structures of the shared corpus, seeded
valid documents (every optional element present with probability 0.6) and as many mutated invalid ones (see
tests/docgen.py). Reported separately for valid, invalid and the 50/50 mix, as documents per second (best of
several interleaved rounds, CPU time) and as the ratio of ours to each reference. "all" means every finding is
collected (ours: validate(), jsonschema / jsonschema-rs: iter_errors); fastjsonschema stops at the first error.

    .venv/bin/python bench/validate_bench.py [--structures 12] [--docs 200] [--rounds 5] [--runs 1]

`--runs N` repeats the whole measurement N times and prints each ratio as the median (lowest-highest) of the
N runs, with the load average before and after: on a shared machine one run's ratio moves by tens of percent.

The on-disk validator cache is off here (it changes start-up, not speed; bench/startup_bench.py measures it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import fastjsonschema
import jsonschema
import jsonschema_rs

from bench.common import corpus_files
from sosmeta.generators.sosmeta_json import structure_data
from sosmeta.generators.validator import compile_validator
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import newest_versions
from tests.docgen import corpus_documents

Check = Callable[[Any], Any]


def fast_first_error(validate: Check) -> Check:
    def run(doc: Any) -> Any:
        try:
            validate(doc)
        except fastjsonschema.JsonSchemaException as exc:
            return exc
        return None

    return run


def contestants(structure: Any) -> dict[str, Check]:
    schema = structure_data(structure)
    full, plain = compile_validator(structure, "full"), compile_validator(structure, "schema")
    python, rust = jsonschema.Draft7Validator(schema), jsonschema_rs.Draft7Validator(schema)
    return {
        "sosmeta full (all findings)": full.validate,
        "sosmeta schema (all findings)": plain.validate,
        "sosmeta full is_valid": full.is_valid,
        "sosmeta schema is_valid": plain.is_valid,
        "jsonschema (all errors)": lambda d: list(python.iter_errors(d)),
        "fastjsonschema (first error)": fast_first_error(fastjsonschema.compile(schema)),
        "jsonschema-rs (all errors)": lambda d: list(rust.iter_errors(d)),
        "jsonschema-rs is_valid": rust.is_valid,
    }


def timed(pairs: list[tuple[Check, Any]]) -> float:
    """CPU seconds for one pass (CPU time, not wall time: other processes on the machine do not count)."""
    start = time.process_time()
    for check, doc in pairs:
        check(doc)
    return time.process_time() - start


def rates(workloads: dict[Any, list[tuple[Check, Any]]], rounds: int) -> dict[Any, float]:
    """Documents per second of each workload, best of `rounds`; rounds interleave the workloads so that a
    slow spell of the machine hits all of them alike."""
    best = dict.fromkeys(workloads, float("inf"))
    for _ in range(rounds):
        for name, pairs in workloads.items():
            best[name] = min(best[name], timed(pairs))
    return {name: len(workloads[name]) / max(seconds, 1e-9) for name, seconds in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--structures", type=int, default=12)
    parser.add_argument("--docs", type=int, default=200, help="valid and as many invalid documents per structure")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1, help="repeat the measurement; ratios as median (range)")
    args = parser.parse_args()
    # The compile figure below is of compiling, not of loading what an earlier run left in the cache.
    os.environ["SOSMETA_CACHE_DIR"] = "off"

    current = [load_structure(p) for p in corpus_files()]
    newest = newest_versions(current)
    chosen = sorted(newest.values(), key=lambda s: (-s.element_count, s.version_oid))[: args.structures]

    start = time.process_time()
    for structure in chosen:
        for mode in ("full", "schema"):
            compile_validator(structure, mode).prepare()
    compile_ms = (time.process_time() - start) * 1000 / (2 * len(chosen))
    checks = [contestants(s) for s in chosen]
    names = list(checks[0])
    valid: dict[str, list[tuple[Check, Any]]] = {n: [] for n in names}
    invalid: dict[str, list[tuple[Check, Any]]] = {n: [] for n in names}
    sizes = []
    for structure, table in zip(chosen, checks, strict=True):
        good, bad = corpus_documents(structure, args.docs, args.docs * 2, seed=1)
        rust = jsonschema_rs.Draft7Validator(structure_data(structure))
        bad = [d for d in bad if not rust.is_valid(d)][: args.docs]
        good = good[: len(bad)]  # as many valid as invalid: the mix is exactly 50/50
        sizes.append(len(str(good[0])))
        for name, check in table.items():
            valid[name] += [(check, d) for d in good]
            invalid[name] += [(check, d) for d in bad]
    print(
        f"{len(chosen)} structures ({min(s.element_count for s in chosen)}-{max(s.element_count for s in chosen)} "
        f"elements), {len(valid[names[0]])} valid + {len(invalid[names[0]])} invalid documents "
        f"(~{sum(sizes) // len(sizes)} chars each); compiling one of our validators (both functions) took "
        f"{compile_ms:.0f} ms CPU on average"
    )
    workloads: dict[tuple[str, str], list[tuple[Check, Any]]] = {}
    for name in names:
        workloads[(name, "valid")] = valid[name]
        workloads[(name, "invalid")] = invalid[name]
        workloads[(name, "mixed 50/50")] = [p for pair in zip(valid[name], invalid[name], strict=True) for p in pair]
    load_before = os.getloadavg()[0]
    runs = [rates(workloads, args.rounds) for _ in range(max(1, args.runs))]
    load_after = os.getloadavg()[0]
    # The table shows the run of median speed of ours in full mode; the ratios below cover every run.
    ordered = sorted(runs, key=lambda r: r[(names[0], "mixed 50/50")])
    measured = ordered[len(ordered) // 2]
    results = {name: {kind: measured[(name, kind)] for kind in ("valid", "invalid", "mixed 50/50")} for name in names}
    print(f"\n{'docs/s':<32}{'valid':>12}{'invalid':>12}{'mixed 50/50':>14}")
    for name, r in results.items():
        print(f"{name:<32}{r['valid']:>12,.0f}{r['invalid']:>12,.0f}{r['mixed 50/50']:>14,.0f}")
    print(f"\nratio ours / reference (mixed 50/50; >1 means ours is faster); {len(runs)} run(s): median (range)")
    print(f"load average {load_before:.2f} before, {load_after:.2f} after")
    references = [
        "jsonschema (all errors)",
        "fastjsonschema (first error)",
        "jsonschema-rs (all errors)",
        "jsonschema-rs is_valid",
    ]
    width = 22 if len(runs) > 1 else 16
    print(f"{'':<32}" + "".join(f"{r.split(' (')[0][:14]:>{width}}" for r in references))
    for ours in names[:4]:
        row = "".join(f"{ratio_text(runs, ours, ref):>{width}}" for ref in references)
        print(f"{ours:<32}{row}")


def ratio_text(runs: list[dict[Any, float]], ours: str, reference: str) -> str:
    """The ratio of `ours` to `reference` on the mix: one run's, or the median (lowest-highest) of several."""
    key = "mixed 50/50"
    ratios = sorted(run[(ours, key)] / run[(reference, key)] for run in runs)
    if len(ratios) == 1:
        return f"{ratios[0]:.2f}"
    return f"{statistics.median(ratios):.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f})"


if __name__ == "__main__":
    main()
