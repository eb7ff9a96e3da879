"""Run the sosmeta command line with one fault injected, for the crash-safety tests.

    python -m tests.faults FAULTS -- ARGS...

FAULTS is a comma-separated list (or `none`):
  no-exchange      the system cannot exchange two names in one step (the two-rename swap is used)
  kill-rename=N    the process dies (os._exit, as by kill -9: no cleanup runs) instead of its Nth os.rename
  kill-exchange    the process dies right after exchanging the staging and target folders
  kill-rmtree      the process dies half-way through its first removal of a folder
  kill-write=N     the process dies instead of writing its Nth output file
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import sosmeta.generators.output as output
import sosmeta.generators.registry as registry
from sosmeta import cli

KILLED = 9


def _die() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(KILLED)


def _counting(real: Any, at: int) -> Any:
    calls = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == at:
            _die()
        return real(*args, **kwargs)

    return wrapper


def _half_rmtree(path: Any, *args: Any, **kwargs: Any) -> None:
    files = sorted(p for p in Path(path).rglob("*") if p.is_file() and not p.is_symlink())
    for file in files[: max(1, len(files) // 2)]:
        file.unlink()
    _die()


def _exchange_then_die(a: Path, b: Path) -> bool:
    done = _real_exchange(a, b)
    if done:
        _die()
    return done


_real_exchange = output.exchange


def install(spec: str) -> None:
    for fault in filter(None, spec.split(",")):
        name, _, value = fault.partition("=")
        if name == "none":
            continue
        if name == "no-exchange":
            output.exchange = lambda a, b: False
        elif name == "kill-rename":
            os.rename = _counting(os.rename, int(value))
        elif name == "kill-exchange":
            output.exchange = _exchange_then_die
        elif name == "kill-rmtree":
            shutil.rmtree = _half_rmtree  # type: ignore[assignment]
        elif name == "kill-write":
            registry.write_new = _counting(registry.write_new, int(value))
        else:
            raise SystemExit(f"unknown fault {fault!r}")


def main() -> None:
    spec, separator, *args = sys.argv[1:]
    assert separator == "--", "usage: python -m tests.faults FAULTS -- ARGS..."
    install(spec)
    sys.argv = ["sosmeta", *args]
    cli.main()


if __name__ == "__main__":
    main()
