"""Whole-process benchmark of `sosmeta validate --jsonl FILE --format jsonl`, and its resident memory on a large file.

(a) Speed. One JSON Lines file of documents (10,000 by default, half of them invalid: seeded valid documents
of the largest current shared structures and as many mutated ones, tests/docgen.py), validated by two whole
processes: `sosmeta validate --catalog CAT --jsonl FILE --format jsonl` (full mode, every finding, the
validator cache warm), and a baseline script that reads the same file line by line with `json.loads`, picks
the structure's schema by the document's root key, validates with jsonschema-rs `iter_errors` and writes one
JSON verdict per line (its start-up includes compiling the schemas, as ours includes loading the catalog).
Ours runs twice: with the default `--jobs` (worker processes on every core, as a user gets it) and with
`--jobs 1` (one process, like the baseline). Rounds interleave them; reported are the median and range of the
CPU seconds of each child (user + system of it and its workers, from wait4: other work on a shared machine does
not count) and of the wall time, and the ratios of the baseline's CPU and wall time to ours (>1: ours is
faster). Worker processes can only win wall time (they add CPU), so for them the wall ratio is the one that
counts, and it depends on the machine's load (shown). One cold run (an empty cache folder) is shown too.

(c) Memory. The same lines repeated into a file of `--mb` MB (200 by default), validated the same way (default
jobs and --jobs 1); the peak resident set of the largest process (ru_maxrss), the peak of the summed
proportional set size (PSS: pages shared by forked workers counted once) of the process and its workers,
sampled every 20 ms, and the time to the first verdict line.

Python's bytecode cache is on for every child, in a folder of the run, as an installed sosmeta runs
(`--no-bytecode`: every module compiled at each start, as with PYTHONDONTWRITEBYTECODE=1).

    python bench/process_bench.py [--docs 10000] [--structures 6] [--rounds 5] [--mb 200] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, corpus_files
from sosmeta.catalog import Catalog
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import newest_versions
from tests.docgen import corpus_documents

BASELINE = r"""
import json, sys
import jsonschema_rs
schemas = {}
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as handle:
        schema = json.load(handle)
    (key,) = schema["properties"]
    schemas[key] = jsonschema_rs.Draft7Validator(schema)
out = sys.stdout
with open(sys.argv[1], encoding="utf-8") as handle:
    for number, line in enumerate(handle, start=1):
        try:
            document = json.loads(line)
        except ValueError:
            out.write(json.dumps({"line": number, "valid": False, "error": "not JSON"}) + "\n")
            continue
        validator = schemas.get(next(iter(document), None)) if isinstance(document, dict) else None
        if validator is None:
            out.write(json.dumps({"line": number, "valid": False, "error": "unknown structure"}) + "\n")
            continue
        errors = [{"path": "/" + "/".join(map(str, e.instance_path)), "message": e.message}
                  for e in validator.iter_errors(document)]
        out.write(json.dumps({"line": number, "valid": not errors, "errors": errors}, ensure_ascii=False) + "\n")
"""


def run(command: list[str], env: dict[str, str], stdout: int | None = None) -> tuple[float, float, int, float]:
    """(CPU seconds, wall seconds, peak RSS in kB, seconds to the first output byte) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    assert process.stdout is not None
    first = process.stdout.read(1)
    first_at = time.perf_counter() - start
    while process.stdout.read(1 << 20):
        pass
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    assert first and process.returncode in (0, 1, 2), (
        f"{command[:6]} exited {process.returncode}"
    )  # 2: a line unreadable
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss, first_at


def _pss_kb(pid: int) -> int:
    """The proportional set size of `pid` and of its descendants, in kB (0 for one that has gone)."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            total += next((int(line.split()[1]) for line in handle if line.startswith("Pss:")), 0)
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(_pss_kb(int(child)) for child in children)


def peak_pss(command: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    """(wall seconds, peak summed PSS in kB, seconds to the first output byte) of one child and its workers."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _pss_kb(process.pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    assert process.stdout is not None
    first = process.stdout.read(1)
    first_at = time.perf_counter() - start
    while process.stdout.read(1 << 20):
        pass
    process.wait()
    done.set()
    sampler.join()
    assert first and process.returncode in (0, 1, 2)
    return time.perf_counter() - start, peak[0], first_at


def summary(values: list[float], unit: str = "s") -> str:
    return f"{statistics.median(values):.2f} {unit} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--structures", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mb", type=int, default=200, help="size of the file for the memory figure (0: skip)")
    parser.add_argument("--no-bytecode", action="store_true", help="compile every module at each start")
    args = parser.parse_args()

    newest = newest_versions([load_structure(p) for p in corpus_files()])
    chosen = sorted(newest.values(), key=lambda s: (-s.element_count, s.version_oid))[: args.structures]
    exports = {s.version_oid: p for p in corpus_files() for s in chosen if p.stem == s.version_oid}
    per = args.docs // (2 * len(chosen))
    lines: list[str] = []
    for structure in chosen:
        good, bad = corpus_documents(structure, per, per * 2, seed=2)
        for pair in zip(good, bad[:per], strict=False):
            lines += [json.dumps(d, ensure_ascii=False) for d in pair]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        catalog = Catalog(root / "catalog")
        for structure in chosen:
            catalog.add(structure)
        data = root / "docs.jsonl"
        data.write_text("\n".join(lines) + "\n", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "SOSMETA_CACHE_DIR": str(root / "cache")}
        if args.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env.pop("PYTHONPYCACHEPREFIX", None)
        else:  # as an installed sosmeta runs: bytecode cached (in a folder of the run, not in the checkout)
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(root / "bytecode")
        ours = [sys.executable, "-c", "import cli; cli.main()", "validate", "--catalog", str(root / "catalog")]
        ours += ["--jsonl", str(data), "--format", "jsonl"]
        single = [*ours, "--jobs", "1"]
        baseline = [sys.executable, "-c", BASELINE, str(data), *map(str, exports.values())]
        cold = run(ours, {**env, "SOSMETA_CACHE_DIR": str(root / "cold")})
        run(ours, env)  # fills the cache
        commands = {"sosmeta validate": ours, "sosmeta --jobs 1": single, "baseline": baseline}
        times: dict[str, list[tuple[float, float, int, float]]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, command in commands.items():
                times[name].append(run(command, env))
        print(
            f"{len(lines)} documents (half invalid) of {len(chosen)} structures "
            f"({min(s.element_count for s in chosen)}-{max(s.element_count for s in chosen)} elements), "
            f"{data.stat().st_size / 1e6:.1f} MB; {args.rounds} interleaved rounds; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print(f"{'whole process':<22}{'CPU (median, range)':>26}{'wall':>26}{'docs/s by CPU':>16}")
        for name, rows in times.items():
            cpu = [r[0] for r in rows]
            print(
                f"{name:<22}{summary(cpu):>26}{summary([r[1] for r in rows]):>26}"
                f"{len(lines) / statistics.median(cpu):>16,.0f}"
            )
        for name in ("sosmeta validate", "sosmeta --jobs 1"):
            pairs = list(zip(times[name], times["baseline"], strict=True))
            cpu_ratio = summary([b[0] / o[0] for o, b in pairs], "x")
            wall_ratio = summary([b[1] / o[1] for o, b in pairs], "x")
            print(f"ratio baseline / {name} (>1: ours faster): CPU {cpu_ratio}, wall {wall_ratio}")
        print(f"cold cache (one run): {cold[0]:.2f} s CPU, {cold[1]:.2f} s wall")

        if args.mb:
            big = root / "big.jsonl"
            block = data.read_bytes()
            with big.open("wb") as handle:
                while handle.tell() < args.mb * 1_000_000:
                    handle.write(block)
            # ru_maxrss survives exec, so a child forked from this (large) process would report this process's
            # peak: /usr/bin/time forks the command from a small process of its own and reports the command's
            peak = root / "peak"
            for label, command in (("default jobs", ours), ("--jobs 1", single)):
                big_command = [*ours[:-4], "--jsonl", str(big), "--format", "jsonl", *command[len(ours) :]]
                timed_command = ["/usr/bin/time", "-f", "%M", "-o", str(peak), *big_command]
                cpu, wall, _, first = run(timed_command, env)
                rss = int(peak.read_text().split()[-1])
                _, pss, _ = peak_pss(big_command, env)
                print(
                    f"memory, {label}: validate --jsonl on {big.stat().st_size / 1e6:.0f} MB: largest process "
                    f"peak RSS {rss / 1024:.0f} MB, peak PSS of all its processes {pss / 1024:.0f} MB, first verdict "
                    f"after {first:.2f} s, {cpu:.1f} s CPU, {wall:.1f} s wall"
                )


if __name__ == "__main__":
    main()
