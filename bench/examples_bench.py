"""Benchmark: generating example documents and typed classes for the shared exports, and importing the classes.

    .venv/bin/python bench/examples_bench.py [EXPORTS_DIR]

Generation is timed in-process, imports in fresh interpreters (median of 9, interleaved); both as CPU time,
which other load on the machine disturbs least. Each import is set against baselines measured in the same
run: a bare interpreter start, and one that imports the pydantic names every generated module needs anyway.
Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import CORPUS
from sosmeta.generators.examples import example_documents, maximal_document, minimal_document
from sosmeta.generators.pyclasses import render_package
from sosmeta.sosmeta_import.sosmeta_json import load_structure

PACKAGE = "sosmeta_documents"
BASELINE = "from pydantic import BaseModel, Field, StrictStr"  # what any pydantic user has paid already


def timed(function: object, *args: object) -> tuple[float, object]:
    """CPU seconds of one call and its result."""
    started = time.process_time()
    result = function(*args)  # type: ignore[operator]
    return time.process_time() - started, result


def interpreter_times(codes: dict[str, str], cwd: Path, rounds: int = 9) -> dict[str, float]:
    """Median CPU time (user + system) of `python -c code` in fresh interpreters. CPU time rather than wall
    time, and the variants interleaved round by round, so that other processes on the machine disturb the
    figures as little as possible."""
    times: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(rounds):
        for name, code in codes.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-c", code], cwd=cwd, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    structures = [load_structure(p) for p in sorted(folder.glob("*.json"))]
    print(f"{len(structures)} structures from {folder}")

    def all_examples() -> int:
        documents = []
        for s in structures:
            documents += [minimal_document(s), maximal_document(s), *example_documents(s, 5)]
        return len(documents)

    seconds, count = timed(all_examples)
    print(
        f"examples: {count} documents (minimal, maximal, 5 examples each) in {seconds:.2f} s "
        f"({count / seconds:,.0f} docs/s)"
    )
    seconds, files = timed(render_package, structures, PACKAGE)
    source = sum(len(s) for s in files.values())  # type: ignore[union-attr]
    print(f"classes: {len(files)} files, {source / 1e6:.1f} MB of source in {seconds:.2f} s")  # type: ignore[arg-type]

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for relative, text in files.items():  # type: ignore[union-attr]
            path = out / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        modules = sorted(m for m in (p.stem for p in (out / PACKAGE).glob("*.py")) if not m.startswith("_"))
        largest = max(modules, key=lambda m: (out / PACKAGE / f"{m}.py").stat().st_size)
        subprocess.run([sys.executable, "-c", f"import {PACKAGE}.{largest}"], cwd=out, check=True)  # warm .pyc
        t = interpreter_times(
            {
                "bare": "pass",
                "pydantic": BASELINE,
                "package": f"{BASELINE}; import {PACKAGE}",
                "one": f"{BASELINE}; import {PACKAGE}.{largest}",
                "all": f"{BASELINE}; import {PACKAGE}; [getattr({PACKAGE}, m) for m in {modules!r}]",
            },
            out,
        )
    bare, pydantic, package, one, everything = t["bare"], t["pydantic"], t["package"], t["one"], t["all"]
    print(f"baseline: interpreter start {bare * 1000:.0f} ms, with pydantic {pydantic * 1000:.0f} ms")
    print(f"import package ({len(modules)} modules, lazy): {(package - pydantic) * 1000:.1f} ms over pydantic")
    print(f"import the largest module ({largest}): {(one - pydantic) * 1000:.1f} ms over pydantic")
    print(
        f"import all {len(modules)} modules: {(everything - pydantic) * 1000:.0f} ms over pydantic "
        f"({(everything - pydantic) / (pydantic - bare):.1f}x the cost of importing pydantic itself)"
    )


if __name__ == "__main__":
    main()
