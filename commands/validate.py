"""`sosmeta validate`: client documents against their national structure, every finding listed."""

from __future__ import annotations

import json
import sys
import time
from json.encoder import encode_basestring  # the C one where there is one
from pathlib import Path
from typing import Any

import click

from sosmeta.commands.common import State, catalog_option, fails_cleanly, lang_option, progress_stream, quiet_option
from sosmeta.messages import Lang, count, localized, text
from sosmeta.operations.validate import OUTCOMES, Verdict, validate_documents

_VALIDATE_EXAMPLES = """
\b
Examples:
  sosmeta validate --catalog catalog --structure 1.2.246.537.6.1506.15007 doc.json
  sosmeta validate --catalog catalog --structure 1.2.246.537.6.1506.15007@2024-11-28 --mode schema a.json b.json
  sosmeta validate --catalog catalog --jsonl documents.jsonl --format jsonl > verdicts.jsonl
  sosmeta validate --catalog catalog --lang sv doc.json      # structure found from the document's root key
  sosmeta example --structure 1.2.246.537.6.1506.4018 --count 50 | sosmeta validate --test-data --jsonl -
"""


_FLUSH_SECONDS = 0.2


def _finding_json(finding: Any, lang: str) -> dict[str, Any]:
    return {
        "pointer": finding.pointer,
        "code": finding.code,
        "severity": finding.severity,
        "row": finding.row,
        "name": finding.name,
        "message": finding.message[lang],
    }


def _text_report(verdict: Verdict, lang: Lang) -> list[str]:
    if verdict.error is not None:
        return [f"{verdict.source}: error: {localized(verdict.error, lang)}"]
    structure, found = verdict.structure, verdict.findings
    assert structure is not None
    errors = sum(f.severity == "error" for f in found)
    warnings = len(found) - errors
    judged = text("validate.valid" if not errors else "validate.invalid", lang)
    counts = (
        f"{count('validate.errors', errors, lang)}, {count('validate.warnings', warnings, lang)}"
        if found
        else text("validate.no_findings", lang)
    )
    lines = [f"{verdict.source}: {judged} ({counts})  {structure.fi_title} {structure.version_oid}"]
    groups: dict[tuple[int | None, str], list[Any]] = {}
    for finding in found:
        groups.setdefault((finding.row, finding.name), []).append(finding)
    for (row, name), members in groups.items():
        place = text("validate.row", lang, row=row) if row is not None else text("validate.document", lang)
        lines.append(f"  {place:>8}  {name}")
        for finding in members:
            lines.append(f"    {finding.severity:<7} {finding.pointer}  [{finding.code}] {finding.message[lang]}")
    return lines


def _record_line(verdict: Verdict, lang: str) -> str:
    """`json.dumps(_record(verdict, lang), ensure_ascii=False)`, the same text, built without the dicts (the
    encoder of strings is json's own; tests/test_validate_fast.py checks the texts are equal)."""
    enc = encode_basestring
    parts = ['{"source": ', enc(verdict.source), ', "valid": ', "true" if verdict.valid else "false"]
    if verdict.structure is not None:
        parts += [', "structure": ', enc(verdict.structure.version_oid)]
    if verdict.error is not None:
        parts += [', "error": ', enc(verdict.error)]
    findings = [
        f'{{"pointer": {enc(f.pointer)}, "code": {enc(f.code)}, "severity": {enc(f.severity)}, '
        f'"row": {"null" if f.row is None else int(f.row)}, "name": {enc(f.name)}, "message": {enc(f.message[lang])}}}'
        for f in verdict.findings
    ]
    parts += [', "findings": [', ", ".join(findings), "]}"]
    return "".join(parts)


def _record(verdict: Verdict, lang: str) -> dict[str, Any]:
    record: dict[str, Any] = {"source": verdict.source, "valid": verdict.valid}
    if verdict.structure is not None:
        record["structure"] = verdict.structure.version_oid
    if verdict.error is not None:
        record["error"] = verdict.error
    record["findings"] = [_finding_json(f, lang) for f in verdict.findings]
    return record


@click.command("validate", epilog=_VALIDATE_EXAMPLES)
@click.argument("documents", nargs=-1, type=click.Path(path_type=Path))
@catalog_option
@click.option(
    "--structure",
    "ref",
    metavar="OID[@VERSION]",
    help="Structure to validate against (base OID = newest version). Default: found from each document's root key.",
)
@click.option(
    "--mode",
    type=click.Choice(["full", "schema"]),
    default="full",
    show_default=True,
    help="schema: exactly the export's JSON Schema; full: also dates, identity codes, codes, conditions.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text for people; json one array; jsonl one line per document, in input order.",
)
@lang_option()
@click.option(
    "--jsonl",
    "jsonl_file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Also validate FILE, one JSON document per line ('-' reads standard input).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Worker processes for the lines of --jsonl; 0: one per core (at most 4) once a file (not a pipe) has "
    "more than 1,000 lines; 1: none.",
)
@click.option(
    "--test-data",
    is_flag=True,
    help="Test data: identity codes of the test range (individual number 900-999) are accepted without the "
    "hetu.temporary warning.",
)
@quiet_option
@click.pass_obj
@fails_cleanly
def validate_cmd(
    state: State,
    documents: tuple[Path, ...],
    catalog_dir: Path | None,
    ref: str | None,
    mode: str,
    fmt: str,
    lang: Lang,
    jsonl_file: Path | None,
    jobs: int,
    test_data: bool,
) -> None:
    """Validate client documents (JSON) against their national structure and list every finding.

    Each finding names the place (JSON pointer), the element (row and Finnish name), the rule code and a
    message in Finnish, Swedish or English; values of the document are never printed. Warnings (e.g. a
    conditionally required element is missing) do not make a document invalid. Rule codes and modes:
    docs/validation.md.

    Exit status: 0 all documents valid, 1 some invalid, 2 bad input (unreadable JSON, unknown structure) or usage.
    """
    if not documents and jsonl_file is None:
        raise click.UsageError(text("validate.no_input", lang))
    worst = 0
    counts = dict.fromkeys(OUTCOMES, 0)
    results: list[dict[str, Any]] = []
    checked = 0
    catalog = state.catalog(catalog_dir)
    verdicts = validate_documents(
        catalog, ref, documents, jsonl_file, mode, progress_stream, lang, jobs=jobs, test_identities=test_data
    )
    out = sys.stdout
    write, flushed = out.write, 0.0
    for verdict in verdicts:
        checked += 1
        worst = max(worst, verdict.outcome)
        counts[OUTCOMES[verdict.outcome]] += 1
        if fmt == "text":
            if verdict.findings or not verdict.valid or not state.quiet:
                for line in _text_report(verdict, lang):
                    click.echo(line, err=verdict.error is not None)
        elif fmt == "jsonl":
            write(_record_line(verdict, lang) + "\n")
            # Flushed at most every _FLUSH_SECONDS while documents keep coming (a flush per line is a system
            # call per document), and at once after a pause: a slow producer still sees each verdict.
            now = time.monotonic()
            if now - flushed >= _FLUSH_SECONDS:
                out.flush()
                flushed = now
        else:
            results.append(_record(verdict, lang))
    out.flush()
    if fmt == "json":
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    elif fmt == "text":
        tally = ", ".join(text(f"validate.tally.{what}", lang, n=n) for what, n in counts.items() if n)
        documents_checked = count("validate.documents", checked, lang)
        click.echo(text("validate.summary", lang, documents=documents_checked, mode=mode, tally=tally))
    sys.exit(worst)
