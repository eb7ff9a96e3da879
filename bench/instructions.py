"""Instructions per document of the validators (valgrind), a measure that does not move with machine load.

Timings on a shared machine vary by tens of percent between runs; the number of instructions executed does
not. This runs a child process under `valgrind --tool=cachegrind` twice, once validating nothing and once
validating the documents twice over, and prints the difference per document. Documents: the 12 largest current
structures, 60 valid and 60 invalid each (bench/validate_bench.py's kind), mixed 50/50. Needs valgrind
(Debian's package); each measurement takes a few minutes. Not run by `make bench`.

    .venv/bin/python bench/instructions.py [full:validate schema:validate full:is_valid rs:iter_errors ...]
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, corpus_files

PER_STRUCTURE = 60
REPEATS = 2


def documents() -> list[tuple[str, list[Any], list[Any]]]:
    import jsonschema_rs

    from sosmeta.generators.sosmeta_json import structure_data
    from sosmeta.sosmeta_import.sosmeta_json import load_structure
    from sosmeta.structures.model import newest_versions
    from tests.docgen import corpus_documents

    newest = newest_versions([load_structure(p) for p in corpus_files()])
    chosen = sorted(newest.values(), key=lambda s: (-s.element_count, s.version_oid))[:12]
    out = []
    for structure in chosen:
        rust = jsonschema_rs.Draft7Validator(structure_data(structure))
        good, bad = corpus_documents(structure, PER_STRUCTURE, PER_STRUCTURE * 2, seed=1)
        bad = [d for d in bad if not rust.is_valid(d)][:PER_STRUCTURE]
        out.append((structure.version_oid, good[: len(bad)], bad))
    return out


def child(what: str, data_file: str, repeats: int) -> None:
    """Validate the documents `repeats` times with `what` (mode:function, or rs:function)."""
    import jsonschema_rs

    from sosmeta.generators.sosmeta_json import structure_data
    from sosmeta.generators.validator import compile_validator
    from sosmeta.sosmeta_import.sosmeta_json import load_structure

    with open(data_file, "rb") as handle:
        data = pickle.load(handle)  # written by this script a moment ago
    files = {p.name.removesuffix(".json"): p for p in corpus_files()}
    mode, function = what.split(":")
    pairs = []
    for oid, good, bad in data:
        structure = load_structure(files[oid])
        if mode == "rs":
            rust = jsonschema_rs.Draft7Validator(structure_data(structure))
            check = rust.is_valid if function == "is_valid" else (lambda d, r=rust: list(r.iter_errors(d)))
        else:
            check = getattr(compile_validator(structure, mode), function)  # type: ignore[arg-type]
        docs = [d for pair in zip(good, bad, strict=True) for d in pair]
        check(docs[0])  # compiled before counting starts
        pairs += [(check, d) for d in docs]
    for _ in range(repeats):
        for check, doc in pairs:
            check(doc)


def instructions(command: list[str], env: dict[str, str]) -> int:
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit("valgrind printed no instruction count")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    wanted = sys.argv[1:] or ["full:validate", "schema:validate", "full:is_valid", "schema:is_valid"]
    data = documents()
    count = sum(len(good) + len(bad) for _, good, bad in data)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOSMETA_CACHE_DIR": "off"}
    with tempfile.TemporaryDirectory() as work:
        data_file = str(Path(work) / "documents.pickle")
        with open(data_file, "wb") as handle:
            pickle.dump(data, handle)
        print(f"{count} documents (mixed 50/50) of 12 structures; instructions per document")
        for what in wanted:
            base = [sys.executable, str(Path(__file__).resolve()), "--child", what, data_file]
            idle, busy = instructions([*base, "0"], env), instructions([*base, str(REPEATS)], env)
            print(f"{what:<20}{(busy - idle) // (REPEATS * count):>12,}", flush=True)


if __name__ == "__main__":
    main()
