"""Whole-process benchmark of bulk CDA encoding: `sosmeta cda encode --jsonl DOCS --envelopes ENVS --jobs N`.

The input: `--docs` documents (10,000 by default; 20 seeded example documents of each of the 62 shared
structures, repeated) with one envelope each (its own document id), as two JSON Lines files; a catalog of
the 62 structures. Timed, as whole processes and interleaved in rounds, into fresh output folders on the
`--scratch` file system (its speed is part of the figure):

  one file each    sosmeta cda encode ... --jobs N              (full-mode validation, display form, files)
  batch            sosmeta cda encode ... --jobs N --batch 1000  (the same documents in tar files of 1,000)
  baseline         a script that parses each document line (json.loads), base64-encodes it and writes it to a
                   file of its own (one process)

Reported per way: the median and range of the wall time and of the CPU time (user + system of the process
and its workers, from wait4), documents/s by the wall clock, documents/s of CPU time times N (what N free
cores give; on a shared machine the wall clock also counts the time others hold the cores) and the ratio of
the baseline's time to ours (>1: ours is faster; by CPU time).

    python bench/bulk_bench.py [--docs 10000] [--jobs 2] [--rounds 3] [--batch 1000] [--scratch DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, corpus_files
from sosmeta.catalog import Catalog
from sosmeta.generators.cda.samples import example_envelope
from sosmeta.generators.examples import example_documents
from sosmeta.sosmeta_import.sosmeta_json import load_structure

BASELINE = r"""
import base64, json, os, sys
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
with open(sys.argv[1], "rb") as handle:
    for number, line in enumerate(handle, start=1):
        document = json.loads(line)
        data = base64.b64encode(json.dumps(document, ensure_ascii=False).encode("utf-8"))
        with open(os.path.join(out, f"{number}.b64"), "wb") as target:
            target.write(data)
"""


def inputs(root: Path, count: int) -> tuple[Path, Path]:
    structures = [load_structure(f) for f in corpus_files()]
    catalog = Catalog(root / "catalog")
    cases = []
    for number, structure in enumerate(structures, start=1):
        catalog.add(structure)
        envelope = example_envelope(structure, number)
        cases += [(d, envelope) for d in example_documents(structure, 20, seed=11)]
    docs, envs = root / "docs.jsonl", root / "envs.jsonl"
    with docs.open("w", encoding="utf-8") as d, envs.open("w", encoding="utf-8") as e:
        for number in range(1, count + 1):
            document, envelope = cases[(number - 1) % len(cases)]
            d.write(json.dumps(document, ensure_ascii=False) + "\n")
            fresh = envelope.model_copy(update={"document_id": f"1.2.246.10.1234567.95.2024.{number}", "set_id": None})
            e.write(fresh.model_dump_json(exclude_none=True) + "\n")
    return docs, envs


def run(command: list[str], out: Path, tree: Path = ROOT) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of the checkout `tree` into the empty folder `out` (removed afterwards);
    the CPU time is the process's and its workers' (reaped children's usage, read before and after)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(tree)}
    process = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, stderr = process.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(out, ignore_errors=True)
    assert process.returncode == 0, stderr.decode()[-2000:]
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--scratch", default=str(ROOT / "output" / ".bench-bulk"))
    parser.add_argument("--against", type=Path, help="another checkout to compare with, run interleaved")
    parser.add_argument("--no-bytecode", action="store_true", help="compile every module at each start")
    args = parser.parse_args()
    scratch = Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        root = Path(tmp)
        docs, envs = inputs(root, args.docs)
        out = root / "out"
        trees = {"": ROOT} | ({" (against)": args.against.resolve()} if args.against else {})
        ways: dict[str, tuple[list[str], Path]] = {}
        for suffix, tree in trees.items():
            ours = [sys.executable, "-c", "import cli; cli.main()", "cda", "encode", "--jsonl", str(docs)]
            ours += ["--envelopes", str(envs), "--catalog", str(root / "catalog"), "--out", str(out)]
            ways[f"one file each{suffix}"] = ([*ours, "--jobs", str(args.jobs)], tree)
            ways[f"batch {args.batch}{suffix}"] = ([*ours, "--jobs", str(args.jobs), "--batch", str(args.batch)], tree)
        ways["baseline"] = ([sys.executable, "-c", BASELINE, str(docs), str(out)], ROOT)
        os.environ["SOSMETA_CACHE_DIR"] = str(root / "cache")
        if args.no_bytecode:
            os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
            os.environ.pop("PYTHONPYCACHEPREFIX", None)
        else:  # as an installed sosmeta runs: bytecode cached (in a folder of the run, not in the checkouts)
            os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
            os.environ["PYTHONPYCACHEPREFIX"] = str(root / "bytecode")
        for tree in trees.values():  # fills the validator and bytecode caches
            command = ways["one file each"][0]
            run([*command[:-2], "--jobs", "1"], out, tree)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
        for _ in range(args.rounds):
            for name, (command, tree) in ways.items():
                results[name].append(run(command, out, tree))
    n = args.docs
    print(
        f"{n} documents over 62 structures, {args.jobs} processes, {args.rounds} interleaved rounds, "
        f"scratch {scratch}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'whole process':<26}{'wall s':>22}{'CPU s':>22}{'docs/s wall':>13}{'docs/s CPU':>12}{'x base CPU':>12}")
    base_cpu = statistics.median(c for _, c in results["baseline"])
    for name, rows in results.items():
        walls, cpus = [w for w, _ in rows], [c for _, c in rows]
        per_core = 1 if name == "baseline" else args.jobs
        print(
            f"{name:<26}{summary(walls):>22}{summary(cpus):>22}{n / statistics.median(walls):>13,.0f}"
            f"{per_core * n / statistics.median(cpus):>12,.0f}{base_cpu / statistics.median(cpus):>12.2f}"
        )
    if args.against:
        print(f"against {args.against}: its time / this checkout's (>1: this one is faster), median")
        for name in [w for w in ways if w.endswith(" (against)")]:
            mine, theirs = results[name.removesuffix(" (against)")], results[name]
            wall = statistics.median(w for w, _ in theirs) / statistics.median(w for w, _ in mine)
            cpu = statistics.median(c for _, c in theirs) / statistics.median(c for _, c in mine)
            print(f"  {name.removesuffix(' (against)'):<24} wall {wall:.2f}x, CPU {cpu:.2f}x")


if __name__ == "__main__":
    main()
