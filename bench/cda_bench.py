"""CDA benchmark: encode and decode docs/s over the shared structures, with validation on.

Baseline in the same run: plain `json.dumps` + base64 of the same documents (what any archive writer must at
least do). Also: the parts of encode on their own (checking, display form, XML), encode on N processes the way
the bulk command runs it (with and without writing files), and a cProfile of where encode's time goes.

    python bench/cda_bench.py [--per-structure 20] [--jobs 2]
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, best_of, corpus_files, cpu_best_of
from sosmeta.catalog import Catalog
from sosmeta.generators.cda.bulk import Settings, encode_jsonl
from sosmeta.generators.cda.checks import document_errors
from sosmeta.generators.cda.codec import assemble, decode, document_json, encode
from sosmeta.generators.cda.display import render_display
from sosmeta.generators.cda.samples import example_envelope
from sosmeta.generators.examples import example_documents
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import Structure


def documents_for(structure: Structure, n: int) -> list[dict[str, Any]]:
    return example_documents(structure, n, seed=11)


Case = tuple[Structure, dict[str, Any], Any]
_CASES: list[Case] = []


def _encode_range(bounds: tuple[int, int]) -> tuple[int, float]:
    start = time.process_time()
    for structure, document, envelope in _CASES[bounds[0] : bounds[1]]:
        encode(structure, document, envelope)
    return bounds[1] - bounds[0], time.process_time() - start


def parallel_encode(cases: list[Case], jobs: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds summed over workers) to encode every case on `jobs` forked processes."""
    global _CASES
    _CASES = cases
    step = max(1, len(cases) // (jobs * 8))
    ranges = [(i, min(i + step, len(cases))) for i in range(0, len(cases), step)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(_encode_range, ranges[:jobs])  # warm the workers' caches (compiled checkers, templates)
        start = time.perf_counter()
        results = pool.map(_encode_range, ranges)
        elapsed = time.perf_counter() - start
    assert sum(n for n, _ in results) == len(cases)
    return elapsed, sum(cpu for _, cpu in results)


def prepare_cpu(catalog_dir: Path) -> float:
    """CPU seconds one bulk worker spends before its first document of each structure: loading the structures,
    compiling their validators, display plans and element markup."""
    start = time.process_time()
    catalog = Catalog(catalog_dir)
    for entry in catalog.entries():
        structure = catalog.load_entry(entry)
        document = documents_for(structure, 1)[0]
        encode(structure, document, example_envelope(structure))
    return time.process_time() - start - encode_only_cpu(catalog)


def encode_only_cpu(catalog: Catalog) -> float:
    """The part of `prepare_cpu` that is ordinary encoding (measured again, warm, and subtracted)."""
    start = time.process_time()
    for entry in catalog.entries():
        structure = catalog.load_entry(entry)
        encode(structure, documents_for(structure, 1)[0], example_envelope(structure))
    return time.process_time() - start


def bulk_run(root: Path, cases: list[Case], lines: int, jobs: int) -> tuple[int, float, float]:
    """Encode `lines` documents through the bulk command's path; (documents, wall s, CPU s incl. workers)."""
    folder = root / f"run{lines}"
    folder.mkdir()
    picks = [cases[i % len(cases)] for i in range(lines)]
    with (folder / "docs.jsonl").open("w", encoding="utf-8") as docs, (folder / "envs.jsonl").open("w") as envs:
        for number, (_, document, envelope) in enumerate(picks, start=1):
            docs.write(json.dumps(document, ensure_ascii=False) + "\n")
            fresh = envelope.model_copy(update={"document_id": f"1.2.246.10.1234567.95.2024.{number}", "set_id": None})
            envs.write(fresh.model_dump_json(exclude_none=True) + "\n")
    before, start = os.times(), time.perf_counter()
    summary = encode_jsonl(
        folder / "docs.jsonl", folder / "envs.jsonl", Settings(out=folder / "out", catalog=root / "catalog"), jobs
    )
    wall, after = time.perf_counter() - start, os.times()
    cpu = sum(after[:4]) - sum(before[:4])  # this process and its reaped workers
    assert summary.written == lines and summary.failed == 0, summary.failures[:3]
    return lines, wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-structure", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--scratch",
        default=str(ROOT / "output" / ".bench-cda"),
        help="folder for the bulk run's files (its file system's speed is part of the bulk figure)",
    )
    parser.add_argument("--bulk", type=int, default=8000, help="documents for the bulk command path")
    parser.add_argument("--cpu", action="store_true", help="time by CPU time (for a machine shared with others)")
    args = parser.parse_args()

    structures = [load_structure(f) for f in corpus_files()]
    cases: list[Case] = []
    for number, structure in enumerate(structures, start=1):
        envelope = example_envelope(structure, number)
        cases.extend((structure, d, envelope) for d in documents_for(structure, args.per_structure))
    n = len(cases)
    for structure, document, envelope in cases:  # warm caches and check every case is valid
        encode(structure, document, envelope)
    encoded = [encode(s, d, e) for s, d, e in cases]
    json_bytes = sum(len(document_json(d)) for _, d, _ in cases)
    print(
        f"{n} documents over {len(structures)} structures; JSON {json_bytes / n:.0f} B/doc, "
        f"CDA {sum(map(len, encoded)) / n:.0f} B/doc"
    )

    timer = cpu_best_of if args.cpu else best_of
    baseline = timer(5, lambda: [base64.b64encode(json.dumps(d).encode()) for _, d, _ in cases])
    checking = timer(3, lambda: [document_errors(s, d) for s, d, _ in cases])
    display = timer(3, lambda: [render_display(s, d, e) for s, d, e in cases])
    xml = timer(3, lambda: [assemble(e, b"<div/>", document_json(d)) for _, d, e in cases])
    full = timer(3, lambda: [encode(s, d, e) for s, d, e in cases])
    decoding = timer(3, lambda: [decode(x) for x in encoded])
    rows = [
        ("baseline json.dumps+base64", baseline),
        ("check (full mode)", checking),
        ("display form", display),
        ("header + body XML", xml),
        ("encode (all of it)", full),
        ("decode", decoding),
    ]
    clock = "CPU" if args.cpu else "wall"
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; timing by {clock} time")
    print(f"{'1 process':<30} {'docs/s':>10} {'x baseline time':>16}")
    for label, seconds in rows:
        print(f"{label:<30} {n / seconds:>10.0f} {seconds / baseline:>16.1f}")

    wall, cpu = min(parallel_encode(cases, args.jobs) for _ in range(3))
    print(
        f"encode on {args.jobs} processes: {n / wall:.0f} docs/s wall clock; CPU {cpu / n * 1e6:.0f} us/doc, "
        f"so {args.jobs * n / cpu:.0f} docs/s when {args.jobs} cores are free"
    )

    scratch = Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        root = Path(tmp)
        catalog = Catalog(root / "catalog")
        for structure in structures:
            catalog.add(structure)
        prepare = prepare_cpu(root / "catalog")
        lines, wall, cpu = bulk_run(root, cases, args.bulk, args.jobs)
        steady = (cpu - prepare) / lines  # the bulk command compiles once, before it forks its workers
        print(
            f"bulk command path (JSONL in, files out, {args.jobs} processes): {lines} docs in {wall:.1f} s wall = "
            f"{lines / wall:.0f} docs/s incl. start-up; CPU {cpu / lines * 1e6:.0f} us/doc incl. start-up "
            f"({prepare:.1f} s once to compile {len(structures)} structures), {steady * 1e6:.0f} us/doc "
            f"after it, so {args.jobs / steady:.0f} docs/s when {args.jobs} cores are free"
        )

    profile = cProfile.Profile()
    profile.enable()
    for structure, document, envelope in cases:
        encode(structure, document, envelope)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(15)
    print("\nwhere encode's time goes (cProfile, by own time):")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:4000])


if __name__ == "__main__":
    main()
