"""Parsing benchmark: the strict JSON parse with its orjson fast path (`safeio.parsing.parse_json`) against the
strict parser alone (`strict_json`) and `json.loads` (no rules), in the same run, over real-shaped documents.

The documents are the example documents of the newest version of every shared structure
(`generators.examples.example_documents`), written three ways: compact with `ensure_ascii=False` (as JSON
Lines usually are), `indent=2`, and `ensure_ascii=True` (every non-ASCII letter an escape). Rounds interleave
the parsers; each round's time is the least CPU time of `--repeats` passes over all documents. Reported: the
median and range over rounds of microseconds per document and of the ratios to `json.loads` and to
`strict_json` (>1: faster), the cost of the fast path's steps (jiter, which refuses duplicate keys itself, and
the one pass over the bytes for numbers and depth), how many documents the fast path had to hand to the strict
parser, and the alternative that was measured and not kept: orjson (faster alone, but it keeps the last of two
duplicate keys), with the proof that no key was dropped (key tokens counted in the text, keys in the tree).

    python bench/parse_bench.py [--rounds 5] [--repeats 3] [--per-structure 8]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import corpus_files, cpu_best_of

FORMATS: dict[str, Callable[[Any], str]] = {
    "compact, ensure_ascii=False": lambda doc: json.dumps(doc, ensure_ascii=False),
    "indent=2": lambda doc: json.dumps(doc, indent=2, ensure_ascii=False),
    "ensure_ascii=True": json.dumps,
}


def documents(per_structure: int) -> list[Any]:
    from sosmeta.generators.examples import example_documents
    from sosmeta.sosmeta_import.sosmeta_json import load_structure
    from sosmeta.structures.model import newest_versions

    newest = newest_versions([load_structure(p) for p in corpus_files()])
    structures = sorted(newest.values(), key=lambda s: s.version_oid)
    return [doc for s in structures for doc in example_documents(s, per_structure, seed=11)]


def parsers() -> dict[str, tuple[Callable[[Any], Any], str]]:
    """name -> (function, whether it takes the text as "str", "bytes" or the parsed "value")."""
    import jiter

    from sosmeta.safeio.jsonl import JsonlLine, parse_line
    from sosmeta.safeio.parsing import fast_json, marks_of, parse_json, strict_json

    table: dict[str, tuple[Callable[[Any], Any], str]] = {
        "json.loads (no rules)": (json.loads, "str"),
        "strict_json (the strict parser)": (strict_json, "str"),
        "parse_json (fast path first)": (parse_json, "str"),
        "fast_json on bytes": (fast_json, "bytes"),
        "parse_line (a JSONL line)": (lambda b: parse_line(JsonlLine(1, b), "f"), "bytes"),
        "step: jiter, duplicates refused": (
            lambda b: jiter.from_json(b, allow_inf_nan=False, catch_duplicate_keys=True, cache_mode="keys"),
            "bytes",
        ),
        "step: marks_of (numbers, depth)": (marks_of, "bytes"),
    }
    try:  # the alternative measured and not kept: orjson, then a proof that no duplicate key was dropped
        import orjson

        table["alt: orjson.loads alone"] = (orjson.loads, "bytes")
        table["alt: orjson + key-count proof"] = (_orjson_proved, "bytes")
        table["alt: its key count in the text"] = (_key_matches, "bytes")
        table["alt: its walk of the tree"] = (_keys_in_tree, "value")
    except ImportError:
        pass
    return table


_JSON_SPACE = b" \t\n\r"
_INT_AS_FLOAT = 2.0**63


def _key_matches(data: bytes) -> int:
    """At least the key tokens: every key ends in `"` JSON-space `:`; other such matches only add."""
    return data.translate(None, _JSON_SPACE).count(b'":')


def _keys_in_tree(value: Any) -> int:
    """Keys in the tree, or -1 for a float orjson may have made of an integer beyond 64 bits (depth not
    checked: a real fast path would count levels too, which costs more)."""
    keys, stack = 0, [value]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            keys += len(node)
            node = node.values()
        for child in node:
            kind = type(child)
            if kind is dict or kind is list:
                stack.append(child)
            elif kind is float and not -_INT_AS_FLOAT < child < _INT_AS_FLOAT:
                return -1
    return keys


def _orjson_proved(data: bytes) -> Any:
    import orjson

    value = orjson.loads(data)
    if type(value) in (dict, list) and _key_matches(data) != _keys_in_tree(value):
        return None
    return value


def measure(texts: list[str], rounds: int, repeats: int) -> dict[str, list[float]]:
    inputs = {"str": texts, "bytes": [t.encode("utf-8") for t in texts], "value": [json.loads(t) for t in texts]}
    table = parsers()
    out: dict[str, list[float]] = {name: [] for name in table}
    for _ in range(rounds):
        for name, (func, kind) in table.items():
            data = inputs[kind]
            out[name].append(cpu_best_of(repeats, lambda f=func, d=data: [f(x) for x in d]) / len(data) * 1e6)
    return out


def undecided(texts: list[str]) -> int:
    from sosmeta.safeio.parsing import UNDECIDED, fast_json

    return sum(fast_json(t.encode("utf-8")) is UNDECIDED for t in texts)


def report(name: str, texts: list[str], micros: dict[str, list[float]]) -> None:
    size = sum(map(len, texts)) / len(texts)
    print(
        f"\n{name}: {len(texts)} documents, {size:,.0f} characters each on average; "
        f"handed to the strict parser: {undecided(texts)}"
    )
    print(f"{'':<34}{'us/doc':>18}{'vs json.loads':>22}{'vs strict_json':>22}")
    base, strict = micros["json.loads (no rules)"], micros["strict_json (the strict parser)"]
    for parser, values in micros.items():
        vs_base = [b / v for b, v in zip(base, values, strict=True)]
        vs_strict = [s / v for s, v in zip(strict, values, strict=True)]
        print(f"{parser:<34}{_cell(values, '.1f')}{_cell(vs_base, '.2f', 'x')}{_cell(vs_strict, '.2f', 'x')}")


def _cell(values: list[float], spec: str, unit: str = "") -> str:
    text = f"{statistics.median(values):{spec}}{unit} ({min(values):{spec}}-{max(values):{spec}})"
    return f"{text:>22}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--per-structure", type=int, default=8)
    args = parser.parse_args()
    docs = documents(args.per_structure)
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {args.rounds} interleaved rounds, "
        f"each the least CPU time of {args.repeats} passes"
    )
    for name, render in FORMATS.items():
        texts = [render(doc) for doc in docs]
        report(name, texts, measure(texts, args.rounds, args.repeats))
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
