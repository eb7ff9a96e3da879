"""Helpers shared by the benchmark scripts: where the corpus is, and best-of-N timers (wall and CPU)."""

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


def best_of(repeats: int, func: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    """The fastest of `repeats` runs, in seconds of `clock` (the run least disturbed by other work)."""
    best = float("inf")
    for _ in range(repeats):
        start = clock()
        func()
        best = min(best, clock() - start)
    return best


def cpu_best_of(repeats: int, func: Callable[[], object]) -> float:
    """The least CPU time (this process) of `repeats` runs: on a shared machine wall time also counts the
    time other programs hold the cores, CPU time does not."""
    return best_of(repeats, func, time.process_time)
