"""Excel benchmark: the whole shared corpus written as structure workbooks and read back.

Prints rows/s for export (model -> .xlsx bytes) and import (.xlsx file -> model, zip inspection included),
with the Sosmeta JSON import and export of the same structures, timed in the same run, as the baseline.

    python bench/excel_bench.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import best_of, corpus_files
from sosmeta.generators.excel import structure_workbook
from sosmeta.generators.sosmeta_json import dump_structure
from sosmeta.sosmeta_import.excel import read_workbook
from sosmeta.sosmeta_import.sosmeta_json import parse_structure


def main() -> None:
    files = corpus_files()
    texts = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    structures = [parse_structure(t, n) for n, t in texts]
    rows = sum(s.element_count + 1 for s in structures)  # one sheet row per element, the document row included

    json_import = best_of(3, lambda: [parse_structure(t, n) for n, t in texts])
    json_export = best_of(3, lambda: [dump_structure(s) for s in structures])
    excel_export = best_of(3, lambda: [structure_workbook(s) for s in structures])

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for structure in structures:
            path = Path(tmp) / f"{structure.version_oid}.xlsx"
            path.write_bytes(structure_workbook(structure))
            paths.append(path)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        excel_import = best_of(3, lambda: [read_workbook(p) for p in paths])
        again = [read_workbook(p)[0][0] for p in paths]
    exact = sum(dump_structure(a) == t for a, (_, t) in zip(again, texts, strict=True))

    n = len(files)
    print(f"corpus: {n} structures, {rows} element rows; workbooks {megabytes:.1f} MB in all")
    print(f"JSON import (baseline):  {rows / json_import:9.0f} rows/s  {json_import * 1000:7.0f} ms")
    print(f"JSON export (baseline):  {rows / json_export:9.0f} rows/s  {json_export * 1000:7.0f} ms")
    print(
        f"Excel export:            {rows / excel_export:9.0f} rows/s  {excel_export * 1000:7.0f} ms"
        f"  ({excel_export / json_export:.0f}x the JSON export time, {n / excel_export:.0f} workbooks/s)"
    )
    print(
        f"Excel import:            {rows / excel_import:9.0f} rows/s  {excel_import * 1000:7.0f} ms"
        f"  ({excel_import / json_import:.0f}x the JSON import time, {n / excel_import:.0f} workbooks/s)"
    )
    print(f"byte-exact after JSON -> workbook -> JSON: {exact}/{n}")


if __name__ == "__main__":
    main()
