"""Client documents as `sosmeta validate` reads them: one per file, one from standard input, or one per line of
a JSON Lines file; bounded and strict (the same reader as `sosmeta import`: safeio.parsing).

A document that cannot be read is not an error of the whole run: it is reported as unreadable, with the place
and the reason (never a value), and the other documents are still checked. A JSON Lines file that cannot be
read at all (missing, a FIFO, too large) is an `InputError` for the whole run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeio.parsing import loads_json
from safeio.reading import (
    MAX_DOCUMENT_BYTES,
    MAX_JSONL_BYTES,
    decode_text,
    display_name,
    read_bounded,
    read_stdin,
    read_text,
)
from sosmeta_import.errors import InputError, Problem

STDIN = "-"


@dataclass
class Input:
    """One document to validate: where it came from, and the parsed JSON or why it could not be read."""

    source: str
    doc: Any = None
    error: str | None = None


def read_documents(paths: Iterable[Path], jsonl: Path | None) -> list[Input]:
    """The documents of `paths` (one each; `-` is standard input), then one per line of `jsonl`."""
    inputs = [_document(path) for path in paths]
    if jsonl is not None:
        inputs.extend(_jsonl_documents(jsonl))
    return inputs


def _document(path: Path) -> Input:
    source = "<stdin>" if str(path) == STDIN else display_name(path)
    try:
        if str(path) == STDIN:
            text = decode_text(read_stdin(MAX_DOCUMENT_BYTES, source), source)
        else:
            text = read_text(path, MAX_DOCUMENT_BYTES, source)
        return Input(source, loads_json(text, source))
    except InputError as exc:
        return Input(source, error=reason(exc.problems[0]))


def _jsonl_documents(jsonl: Path) -> list[Input]:
    name = "<stdin>" if str(jsonl) == STDIN else display_name(jsonl)
    data = read_stdin(MAX_JSONL_BYTES, name) if str(jsonl) == STDIN else read_bounded(jsonl, MAX_JSONL_BYTES, name)
    out: list[Input] = []
    # Split the bytes on newlines only: JSON strings may hold U+2028 and other characters str.splitlines()
    # would break on, and a bad byte on one line leaves the other lines readable.
    for number, raw in enumerate(data.split(b"\n"), 1):
        line = raw.removesuffix(b"\r")
        if not line.strip():
            continue
        source = f"{name}:{number}"
        try:
            if len(line) > MAX_DOCUMENT_BYTES:
                raise InputError.one(
                    source, "", f"line is over the {MAX_DOCUMENT_BYTES} byte limit of a document", "file.too_large"
                )
            out.append(Input(source, loads_json(decode_text(line, source), source)))
        except InputError as exc:
            out.append(Input(source, error=reason(exc.problems[0])))
    return out


def reason(problem: Problem) -> str:
    """Why a document is unreadable, without its source (the report prints that): place, message, code."""
    place = f"{problem.location}: " if problem.location else ""
    return f"{place}{problem.message} [{problem.code}]"
