"""Client documents as `sosmeta validate` reads them: one per file, one from standard input, or one per line of
a JSON Lines file (streamed by `safeio.jsonl`); bounded and strict (the same rules as `sosmeta import`).

A document that cannot be read is not an error of the whole run: it is reported as unreadable, with the place
and the reason (never a value), and the other documents are still checked. A JSON Lines file that cannot be
read at all (missing, a device, a folder) is an `InputError` for the whole run; a line that cannot be read is
one unreadable document, reported with its line number as an editor shows it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sosmeta.messages import composed, localized
from sosmeta.safeio.jsonl import JsonlRecord, iter_jsonl
from sosmeta.safeio.parsing import loads_json
from sosmeta.safeio.reading import MAX_DOCUMENT_BYTES, decode_text, display_name, read_stdin, read_text
from sosmeta.sosmeta_import.errors import InputError, Problem

STDIN = "-"


@dataclass
class Input:
    """One document to validate: where it came from, and the parsed JSON or why it could not be read."""

    source: str
    doc: Any = None
    error: str | None = None


def read_documents(paths: Iterable[Path], jsonl: Path | None) -> Iterator[Input]:
    """The documents of `paths` (one each; `-` is standard input), then one per line of `jsonl`, as they are read.

    The JSON Lines file is opened before anything is yielded, so a file that cannot be read at all fails the
    run before any result is printed; its lines then stream (`safeio.jsonl`), in bounded memory.
    """
    lines = None
    if jsonl is not None:
        name = "<stdin>" if str(jsonl) == STDIN else display_name(jsonl)
        lines = (line_document(name, record) for record in iter_jsonl(jsonl, name, max_line_bytes=MAX_DOCUMENT_BYTES))
    files = (_document(path) for path in paths)
    return itertools.chain(files, lines) if lines is not None else files


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


def line_document(name: str, record: JsonlRecord) -> Input:
    """The document of one parsed line of the JSON Lines file `name` (its source names the line)."""
    source = f"{name}:{record.line}"
    if record.problem is not None:
        return Input(source, error=reason(record.problem))
    return Input(source, record.value)


def reason(problem: Problem) -> str:
    """Why a document is unreadable, without its source (the report prints that): place, message, code; a
    `Localized` text, so that the report can print it in the run's language."""
    place = f"{problem.location}: " if problem.location else ""
    return composed(lambda lang: f"{place}{localized(problem.message, lang)} [{problem.code}]")
