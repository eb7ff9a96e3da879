"""Benchmark: first-document latency of a fresh process, with the validator cache cold and warm.

Each run is a new Python process that validates one document of the largest current structure in full mode,
in two ways: `sosmeta validate` on a catalog holding that structure (what a record system's hook or a shell
script calls), and the Python API alone (load the export, `compile_validator`, `validate`). Cold: an empty
cache folder of its own per run (SOSMETA_CACHE_DIR); warm: a folder an earlier run filled. The baseline in
the same run is `python -c pass`. Figures are CPU seconds of the child process (user + system; other work on
the machine does not count) and wall seconds, median and range over the runs.

    .venv/bin/python bench/startup_bench.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, corpus_files
from sosmeta.generators.examples import minimal_document
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import newest_versions

_API = (
    "import sys; from pathlib import Path; from sosmeta_import.sosmeta_json import load_structure; "
    "from sosmeta.generators.validator import compile_validator; import json; "
    "s = load_structure(Path(sys.argv[1])); "
    "compile_validator(s, 'full').validate(json.loads(Path(sys.argv[2]).read_text(encoding='utf-8')))"
)


def child_times(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process running `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):7.3f} ({min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
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
    cli = [sys.executable, "-c", "import cli; cli.main()"]
    subprocess.run([*cli, "import", str(path), "--catalog", str(work / "catalog")], env=env, cwd=ROOT, check=True)
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "sosmeta validate": [
            *cli,
            "validate",
            "--catalog",
            str(work / "catalog"),
            "--structure",
            structure.version_oid,
            str(document),
        ],
        "API: load, compile, validate": [sys.executable, "-c", _API, str(path), str(document)],
    }
    warm = work / "warm-cache"
    for name in list(commands)[1:]:
        child_times(commands[name], {**env, "SOSMETA_CACHE_DIR": str(warm)})  # fill the warm cache
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    fresh = 0
    for _ in range(args.runs):
        for name, command in commands.items():
            kinds = ["-"] if name == "python -c pass" else ["off", "cold", "warm"]
            for kind in kinds:
                fresh += 1  # every cold run gets a folder of its own, empty
                folder = {"off": "off", "cold": str(work / f"cold-{fresh}"), "warm": str(warm)}
                run_env = {**env, "SOSMETA_CACHE_DIR": folder.get(kind, "off")}
                results.setdefault((name, kind), []).append(child_times(command, run_env))
    print(
        f"largest structure {structure.version_oid} ({structure.element_count} elements), one document, "
        f"{args.runs} runs; seconds, median (range)"
    )
    print(f"{'':<32}{'cache':<6}{'CPU':>24}{'wall':>24}{'CPU / python -c pass':>24}")
    base = statistics.median(cpu for cpu, _ in results[("python -c pass", "-")])
    for (name, kind), times in results.items():
        cpu, wall = [t[0] for t in times], [t[1] for t in times]
        print(f"{name:<32}{kind:<6}{summary(cpu):>24}{summary(wall):>24}{statistics.median(cpu) / base:>24.1f}")
    for name in list(commands)[1:]:
        cold = statistics.median(t[0] for t in results[(name, "cold")])
        hot = statistics.median(t[0] for t in results[(name, "warm")])
        print(f"{name}: warm cache saves {cold - hot:.3f} s CPU of {cold:.3f} s ({cold / hot:.1f}x faster start)")


if __name__ == "__main__":
    main()
