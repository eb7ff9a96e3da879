"""JSONL reading benchmark: safeio.jsonl against `for line in open(f): json.loads(line)` on one generated file.

The file (200 MB by default) is made in a temporary folder from the example documents of the newest version of
every shared structure (`generators.examples.example_documents`), one JSON object per line, written with
`ensure_ascii=False`; it is deleted afterwards. Each way of reading runs in its own process, so each has its
own peak resident memory; rounds interleave them and the least CPU time of each counts (other work on a shared
machine does not). Reported: lines/s and MB/s of CPU time, the ratio to the baseline (>1: faster), peak RSS
and the wall time from opening the file to the first record.

Ways of reading:
  baseline        for line in open(f): json.loads(line)           (no rules, no line numbers)
  whole file      read it all, str.splitlines(), json.loads        (how validate --jsonl read before)
  reader          iter_jsonl(f)                                    (jiter, the strict path when needed)
  reader strict   iter_jsonl(f, fast=False)                        (the strict path only)
  lines only      read_lines(f)                                    (splitting, no parsing)

Then the parsers alone on the file's first lines (in process, CPU time): what chose jiter.

    python bench/jsonl_bench.py [--mb 200] [--rounds 2] [--pool 1500]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, corpus_files, cpu_best_of

WAYS = ["baseline", "whole file", "reader", "reader strict", "lines only"]


# ---- the child: one way of reading, measured from inside ---------------------------------------------------------
def _baseline(path: str) -> Any:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _whole_file(path: str) -> Any:
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def _reader(fast: bool) -> Callable[[str], Any]:
    from sosmeta.safeio.jsonl import iter_jsonl

    return lambda path: iter_jsonl(path, fast=fast)


def _lines_only(path: str) -> Any:
    from sosmeta.safeio.jsonl import read_lines

    return read_lines(path)


def child(way: str, path: str) -> None:
    readers = {
        "baseline": _baseline,
        "whole file": _whole_file,
        "reader": _reader(True),
        "reader strict": _reader(False),
        "lines only": _lines_only,
    }
    read = readers[way]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    first = None
    count = 0
    for _ in read(path):
        if first is None:
            first = time.perf_counter() - start
        count += 1
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "cpu": usage.ru_utime + usage.ru_stime - cpu,
                "first": first,
                "records": count,
                "rss_mb": peak_rss_kb() / 1024,
            }
        )
    )


def peak_rss_kb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would count the parent's from before exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def run_child(way: str, path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", way, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return dict(json.loads(out.stdout))


# ---- the file --------------------------------------------------------------------------------------------------------
def make_file(folder: Path, megabytes: int, pool_size: int) -> tuple[Path, list[bytes]]:
    from sosmeta.generators.examples import example_documents
    from sosmeta.sosmeta_import.sosmeta_json import load_structure
    from sosmeta.structures.model import newest_versions

    newest = newest_versions([load_structure(p) for p in corpus_files()])
    structures = sorted(newest.values(), key=lambda s: s.version_oid)
    per_structure = max(1, pool_size // len(structures))
    pool = [
        (json.dumps(doc, ensure_ascii=False) + "\n").encode("utf-8")
        for structure in structures
        for doc in example_documents(structure, per_structure, seed=11)
    ]
    rng = random.Random(11)
    path = folder / "documents.jsonl"
    target = megabytes * 1_000_000
    written = 0
    with path.open("wb") as handle:
        while written < target:
            line = pool[rng.randrange(len(pool))]
            handle.write(line)
            written += len(line)
    return path, pool


# ---- the parsers alone ---------------------------------------------------------------------------------------------
def parser_table(lines: list[bytes], rounds: int) -> None:
    import jiter

    from sosmeta.sosmeta_import.jsonload import loads_strict

    texts = [line.decode("utf-8") for line in lines]
    parsers: dict[str, tuple[Callable[[Any], Any], list[Any]]] = {
        "json.loads (no rules)": (json.loads, texts),
        "loads_strict (project rules)": (lambda t: loads_strict(t, "x"), texts),
        "jiter, duplicate keys refused": (
            lambda b: jiter.from_json(b, allow_inf_nan=False, catch_duplicate_keys=True, cache_mode="keys"),
            lines,
        ),
        "jiter, duplicates not checked": (lambda b: jiter.from_json(b, allow_inf_nan=False, cache_mode="keys"), lines),
    }
    try:  # references only, not dependencies: neither refuses duplicate keys
        import orjson

        parsers["orjson (duplicates kept)"] = (orjson.loads, lines)
    except ImportError:
        pass
    try:
        import msgspec

        parsers["msgspec (duplicates kept)"] = (msgspec.json.Decoder().decode, lines)
    except ImportError:
        pass
    megabytes = sum(map(len, lines)) / 1e6
    seconds = {name: cpu_best_of(rounds, lambda f=f, d=d: [f(x) for x in d]) for name, (f, d) in parsers.items()}
    base = seconds["json.loads (no rules)"]
    print(f"\nparsers alone on {len(lines):,} lines ({megabytes:.0f} MB), CPU time, best of {rounds}")
    print(f"{'':<34}{'lines/s':>10}{'MB/s':>8}{'ratio':>8}")
    for name, s in seconds.items():
        print(f"{name:<34}{len(lines) / s:>10,.0f}{megabytes / s:>8.1f}{base / s:>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=200, help="size of the generated file in MB")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pool", type=int, default=1500, help="distinct example documents in the file")
    parser.add_argument("--child", nargs=2, metavar=("WAY", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="jsonl-bench-") as folder:
        path, pool = make_file(Path(folder), args.mb, args.pool)
        size = path.stat().st_size
        best: dict[str, dict[str, Any]] = {}
        for _ in range(args.rounds):
            for way in WAYS:
                result = run_child(way, path)
                kept = best.get(way)
                if kept is None or result["cpu"] < kept["cpu"]:
                    best[way] = {**result, "rss_mb": max(result["rss_mb"], kept["rss_mb"] if kept else 0)}
        records = best["baseline"]["records"]
        assert all(r["records"] == records for r in best.values()), {w: r["records"] for w, r in best.items()}
        average = size // records
        print(f"{size / 1e6:.0f} MB, {records:,} lines ({average:,} bytes each on average), best of {args.rounds}")
        print(f"{'':<16}{'lines/s':>10}{'MB/s':>8}{'ratio':>8}{'peak RSS MB':>13}{'first record ms':>17}")
        base = best["baseline"]["cpu"]
        for way in WAYS:
            r = best[way]
            print(
                f"{way:<16}{records / r['cpu']:>10,.0f}{size / 1e6 / r['cpu']:>8.1f}{base / r['cpu']:>8.2f}"
                f"{r['rss_mb']:>13.0f}{r['first'] * 1000:>17.1f}"
            )
        parser_table(pool, max(3, args.rounds))


if __name__ == "__main__":
    main()
