"""Benchmark: start-up of fresh processes, with the on-disk cache (validators and structures) off, cold and warm.

Each run is a new Python process:

  sosmeta validate       one document of the largest current structure, full mode, on a catalog holding that
                         structure (what a record system's hook or a shell script calls)
  API                    the same through the Python API alone (load the export, `compile_validator`, `validate`)
  cda encode --jsonl     62 documents, one of each of the 62 shared structures, with their envelopes, on a
                         catalog of the 62 (the fixed start-up of a bulk run: every structure and validator is
                         loaded once; the documents themselves cost little)

Cold: an empty cache folder of its own per run (SOSMETA_CACHE_DIR); warm: a folder an earlier run filled; off:
SOSMETA_CACHE_DIR=off. Python's own bytecode cache is on, in a folder of the run (`--no-bytecode`: every
module compiled at each start, as with PYTHONDONTWRITEBYTECODE=1). The baseline in the same run is
`python -c pass`. With `--against DIR` (another checkout, e.g. the main branch) every command also runs with
DIR's code, interleaved with this one's, each with a warm folder of its own, and the table gains a column:
DIR's CPU time / this tree's. Figures are CPU seconds of the child process (user + system; other work on the
machine does not count) and wall seconds, median and range over the runs.

    .venv/bin/python bench/startup_bench.py [--runs 7] [--against /work/main] [--no-bytecode]
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
from sosmeta.generators.examples import example_documents, minimal_document
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import Structure, newest_versions

_API = (
    "import sys; from pathlib import Path; from sosmeta_import.sosmeta_json import load_structure; "
    "from sosmeta.generators.validator import compile_validator; import json; "
    "s = load_structure(Path(sys.argv[1])); "
    "compile_validator(s, 'full').validate(json.loads(Path(sys.argv[2]).read_text(encoding='utf-8')))"
)
_CLI = [sys.executable, "-c", "import cli; cli.main()"]
_BASE = "python -c pass"


def child_times(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process running `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):7.3f} ({min(values):.3f}-{max(values):.3f})"


def bulk_inputs(work: Path, structures: list[Structure]) -> tuple[Path, Path, Path]:
    """A catalog of `structures`, and one document of each with its envelope as two JSON Lines files."""
    catalog = Catalog(work / "bulk-catalog")
    docs, envs = work / "docs.jsonl", work / "envs.jsonl"
    with docs.open("w", encoding="utf-8") as d, envs.open("w", encoding="utf-8") as e:
        for number, structure in enumerate(structures, start=1):
            catalog.add(structure)
            d.write(json.dumps(example_documents(structure, 1, seed=11)[0], ensure_ascii=False) + "\n")
            envelope = example_envelope(structure, number)
            fresh = envelope.model_copy(update={"document_id": f"1.2.246.10.1234567.95.2024.{number}", "set_id": None})
            e.write(fresh.model_dump_json(exclude_none=True) + "\n")
    return catalog.root, docs, envs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--against", type=Path, help="another checkout to compare with, run interleaved")
    parser.add_argument("--no-bytecode", action="store_true", help="compile every module at each start")
    args = parser.parse_args()

    structures = {p: load_structure(p) for p in corpus_files()}
    newest = {s.version_oid for s in newest_versions(list(structures.values())).values()}
    path, structure = max(
        ((p, s) for p, s in structures.items() if s.version_oid in newest), key=lambda i: i[1].element_count
    )
    work = Path(tempfile.mkdtemp(prefix="sosmeta-startup-"))
    document = work / "asiakirja.json"
    document.write_text(json.dumps(minimal_document(structure), ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOSMETA_CACHE_DIR": "off"}
    if args.no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:  # as an installed sosmeta runs: bytecode cached (here in a folder of the run, not in the checkouts)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
    subprocess.run([*_CLI, "import", str(path), "--catalog", str(work / "catalog")], env=env, cwd=ROOT, check=True)
    bulk_catalog, docs, envs = bulk_inputs(work, list(structures.values()))
    out = work / "out"
    commands = {
        _BASE: [sys.executable, "-c", "pass"],
        "sosmeta validate": [
            *_CLI,
            "validate",
            "--catalog",
            str(work / "catalog"),
            "--structure",
            structure.version_oid,
            str(document),
        ],
        "API: load, compile, validate": [sys.executable, "-c", _API, str(path), str(document)],
        "cda encode --jsonl (62)": [
            *_CLI,
            *["cda", "encode", "--jsonl", str(docs), "--envelopes", str(envs)],
            *["--catalog", str(bulk_catalog), "--out", str(out)],
        ],
    }
    trees = {"this": ROOT} | ({"against": args.against.resolve()} if args.against else {})

    def once(tree: str, name: str, kind: str, folder: str) -> tuple[float, float]:
        shutil.rmtree(out, ignore_errors=True)
        run_env = {**env, "PYTHONPATH": str(trees[tree]), "SOSMETA_CACHE_DIR": folder}
        return child_times(commands[name], run_env, trees[tree])

    for tree in trees:
        for name in list(commands)[1:]:
            once(tree, name, "warm", str(work / f"warm-{tree}"))  # fill the warm cache
    results: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    fresh = 0
    for _ in range(args.runs):
        for name in commands:
            for kind in ["-"] if name == _BASE else ["off", "cold", "warm"]:
                for tree in trees:
                    fresh += 1  # every cold run gets a folder of its own, empty
                    folder = {"off": "off", "cold": str(work / f"cold-{fresh}"), "warm": str(work / f"warm-{tree}")}
                    results.setdefault((tree, name, kind), []).append(once(tree, name, kind, folder.get(kind, "off")))
    shutil.rmtree(work, ignore_errors=True)
    print(
        f"largest structure {structure.version_oid} ({structure.element_count} elements), one document; bulk: "
        f"{len(structures)} structures, one document each; {args.runs} runs; seconds, median (range); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    against = f"{'CPU against / this':>20}" if args.against else ""
    print(f"{'':<32}{'cache':<6}{'CPU':>24}{'wall':>24}{'CPU / python -c pass':>22}{against}")
    base = statistics.median(cpu for cpu, _ in results[("this", _BASE, "-")])
    for (tree, name, kind), times in results.items():
        if tree != "this":
            continue
        cpu, wall = [t[0] for t in times], [t[1] for t in times]
        row = f"{name:<32}{kind:<6}{summary(cpu):>24}{summary(wall):>24}{statistics.median(cpu) / base:>22.1f}"
        if args.against:
            other = statistics.median(t[0] for t in results[("against", name, kind)])
            row += f"{other / statistics.median(cpu):>20.2f}"
        print(row)
    for name in list(commands)[1:]:
        cold = statistics.median(t[0] for t in results[("this", name, "cold")])
        hot = statistics.median(t[0] for t in results[("this", name, "warm")])
        print(f"{name}: warm cache saves {cold - hot:.3f} s CPU of {cold:.3f} s ({cold / hot:.1f}x faster start)")
    if args.against:
        print(f"against {args.against}, median CPU s:")
        for (tree, name, kind), times in results.items():
            if tree == "against":
                print(f"  {name:<32}{kind:<6}{summary([t[0] for t in times]):>24}")


if __name__ == "__main__":
    main()
