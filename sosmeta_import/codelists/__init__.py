"""Code-list importers: csapi v6 pages (.json), CSV (.csv) and workbook sheets (.xlsx), and the code server.

Not structure importers (no `SUFFIXES`): `load_code_lists(paths)` reads files into `CodeList` models, all
files of one import together, so the pages of one list may come in several files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sosmeta.safeio.reading import MAX_STRUCTURE_BYTES, read_text
from sosmeta.sosmeta_import.codelists import csapi, tabular
from sosmeta.sosmeta_import.codelists.concepts import Concept, build_lists, now_utc
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.codelists.model import CodeList, Provenance

CODE_LIST_SUFFIXES = (".json", ".csv", ".xlsx", ".xlsm")


def load_code_lists(paths: Sequence[Path], sheet: str | None = None, retrieved: str | None = None) -> list[CodeList]:
    """Every list in `paths` (csapi pages, CSV, workbook sheets); InputError with every problem of all files."""
    problems: list[Problem] = []
    concepts: list[Concept] = []
    pages: list[csapi.Page] = []
    for path in paths:
        source = path.name
        suffix = path.suffix.lower()
        try:
            if suffix == ".json":
                found, found_pages = csapi.file_concepts(read_text(path, MAX_STRUCTURE_BYTES, source), source, problems)
                concepts.extend(found)
                pages.extend(found_pages)
            elif suffix == ".csv":
                concepts.extend(tabular.csv_concepts(path, source))
            elif suffix in (".xlsx", ".xlsm"):
                concepts.extend(tabular.workbook_concepts(path, source, sheet))
            else:
                problems.append(
                    Problem(
                        str(path),
                        "",
                        say("codes.not_list_file", suffixes=", ".join(CODE_LIST_SUFFIXES)),
                        "file.unsupported",
                    )
                )
        except InputError as exc:
            problems.extend(exc.problems)
    problems.extend(csapi.check_pages(pages, concepts))
    provenance = Provenance(source="file", retrieved=retrieved or now_utc(), files=tuple(p.name for p in paths))
    try:
        lists = build_lists(concepts, provenance)
    except InputError as exc:
        problems.extend(exc.problems)
        lists = []
    if problems:
        raise InputError(problems)
    return lists
