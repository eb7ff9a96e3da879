"""Helpers shared by the benchmark scripts: where the corpus is, and a best-of-N timer."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("SOSMETA_SHARED", ROOT.parent / "shared")) / "sosmeta"


def corpus_files() -> list[Path]:
    files = sorted(CORPUS.glob("*.json"))
    if not files:
        sys.exit(f"no Sosmeta exports in {CORPUS} (set SOSMETA_SHARED)")
    return files


def best_of(repeats: int, func: Callable[[], object]) -> float:
    """The fastest of `repeats` runs, in seconds (the least disturbed by other work on the machine)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best
