"""Import benchmark: the whole shared corpus into models, and a catalog load.

Prints files/s, elements/s and peak memory, with plain `json.loads` of the same bytes as the baseline
(the ratio says what the typed, lossless model costs over parsing alone).

    python bench/import_bench.py
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import best_of, corpus_files
from sosmeta.catalog import Catalog
from sosmeta.generators.sosmeta_json import dump_structure
from sosmeta.sosmeta_import.sosmeta_json import parse_structure


def main() -> None:
    files = corpus_files()
    texts = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    elements = sum(parse_structure(t, n).element_count + 1 for n, t in texts)
    megabytes = sum(len(t.encode()) for _, t in texts) / 1e6

    baseline = best_of(5, lambda: [json.loads(t) for _, t in texts])
    imported = best_of(5, lambda: [parse_structure(t, n) for n, t in texts])
    structures = [parse_structure(t, n) for n, t in texts]
    written = best_of(5, lambda: [dump_structure(s) for s in structures])

    with tempfile.TemporaryDirectory() as tmp:
        catalog = Catalog(tmp)
        for structure in structures:
            catalog.add(structure)
        loaded = best_of(3, lambda: Catalog(tmp).structures())

    tracemalloc.start()
    kept = [parse_structure(t, n) for n, t in texts]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept

    n = len(files)
    print(f"corpus: {n} files, {elements} elements, {megabytes:.1f} MB")
    print(f"json.loads (baseline):   {n / baseline:8.0f} files/s  {elements / baseline:9.0f} elements/s")
    print(
        f"import to model:         {n / imported:8.0f} files/s  {elements / imported:9.0f} elements/s"
        f"  ({imported / baseline:.1f}x the baseline time)"
    )
    print(f"write back (byte-exact): {n / written:8.0f} files/s  {elements / written:9.0f} elements/s")
    print(f"catalog load ({n} versions): {loaded * 1000:.0f} ms  ({n / loaded:.0f} files/s)")
    print(
        f"peak traced memory while importing the corpus: {peak / 1e6:.1f} MB; "
        f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
