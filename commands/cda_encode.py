"""`sosmeta cda encode`, `replace` and `nullify`: write archive documents (inputs: generators/cda/inputs.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sosmeta.commands.common import (
    EXISTING_DIR,
    EXISTING_FILE,
    FILE_PATH,
    State,
    catalog_option,
    check_output_file,
    check_output_folder,
    console,
    fails_cleanly,
    quiet_option,
)
from sosmeta.messages import count
from sosmeta.operations.cda_encode import BulkRequest, EncodeRequest, SigningOptionsError, encode_document, encode_many
from sosmeta.operations.cda_encode import load_signing as load_signing_files
from sosmeta.operations.cda_versions import NextVersionRequest, next_version


def signing_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--sign-key, --sign-cert, --signature-type, --sign-passphrase-file (docs/cda.md, Signatures)."""
    for option in reversed(
        (
            click.option("--sign-key", type=EXISTING_FILE, help="Sign with this PEM RSA key (with --sign-cert)."),
            click.option("--sign-cert", type=EXISTING_FILE, help="The key's PEM certificate (then its chain)."),
            click.option(
                "--signature-type",
                type=click.Choice(["system", "professional"]),
                default="system",
                show_default=True,
                help="The signature's type (code 3 system, 1 professional).",
            ),
            click.option("--sign-passphrase-file", type=EXISTING_FILE, help="File holding the key's passphrase."),
        )
    ):
        command = option(command)
    return command


def load_signing(key: Path | None, cert: Path | None, signature_type: str, passphrase: Path | None) -> Any:
    """The signing of --sign-key/--sign-cert, loaded once; None without them."""
    try:
        return load_signing_files(key, cert, signature_type, passphrase)
    except SigningOptionsError as exc:
        raise click.UsageError(str(exc)) from None


def refused(state: State, problems: list[Any], key: str) -> None:
    """Print the findings a document was refused for and end with exit code 1."""
    for problem in problems:
        click.echo(f"finding: {problem}", err=True)
    click.echo(state.t(key, n=len(problems)), err=True)
    sys.exit(1)


@click.command("encode")
@click.argument("document", required=False, type=EXISTING_FILE)
@click.option(
    "--envelope",
    "envelope_file",
    type=EXISTING_FILE,
    help="Envelope JSON (archive metadata; see docs/cda.md).",
)
@click.option(
    "--jsonl",
    "jsonl",
    type=EXISTING_FILE,
    help="Bulk: one client document per line.",
)
@click.option(
    "--envelopes",
    "envelopes",
    type=EXISTING_FILE,
    help="Bulk: one envelope per line, paired with --jsonl by line number.",
)
@click.option("--structure", "structure_ref", help="Structure (default: the envelope's content_specification_id).")
@catalog_option
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Output file (bulk: output folder).")
@click.option(
    "--org",
    "org_file",
    type=EXISTING_FILE,
    help="Organisation file (TOML, [organisation] table) for envelope defaults and the letterhead.",
)
@click.option(
    "--templates",
    type=EXISTING_DIR,
    help="Folder of display-form templates searched before the built-in ones.",
)
@click.option("--allow-invalid", is_flag=True, help="Encode even when the document has findings.")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="Bulk: processes.")
@click.option("--durable", is_flag=True, help="Bulk: fsync every file (slower; survives power loss).")
@click.option("--batch", default=0, type=click.IntRange(0, 10_000), help="Bulk: N documents per tar (0: a file each).")
@signing_options
@quiet_option
@click.pass_obj
@fails_cleanly
def cda_encode_cmd(
    state: State,
    document: Path | None,
    envelope_file: Path | None,
    jsonl: Path | None,
    envelopes: Path | None,
    structure_ref: str | None,
    catalog_dir: Path | None,
    out: Path,
    org_file: Path | None,
    templates: Path | None,
    allow_invalid: bool,
    jobs: int,
    durable: bool,
    batch: int,
    sign_key: Path | None,
    sign_cert: Path | None,
    signature_type: str,
    sign_passphrase_file: Path | None,
) -> None:
    """Encode a client document as a CDA R2 archive document (or many, from JSON Lines).

    The document is checked against its structure first (full mode) and refused with its findings
    (exit 1) unless --allow-invalid. Envelope fields the structure or --org determine may be left out.
    With --sign-key and --sign-cert every document is signed once it is written out (time stamp: the
    envelope's creation time); the key is loaded once, also in bulk.

    \b
    Examples:
      sosmeta cda encode doc.json --envelope env.json --catalog catalog --out doc.xml
      sosmeta cda encode doc.json --envelope env.json --org kunta.toml --out doc.xml
      sosmeta cda encode --jsonl docs.jsonl --envelopes envs.jsonl --catalog catalog --out archive/ --jobs 2

    Bulk runs write OUT/<document id>.xml atomically and never over another file: a file already there
    with the same bytes counts as already there (so an interrupted run resumes), with other bytes the line
    fails (cda.duplicate_id: a document id names one document). Failures are listed per line in
    OUT/failures.jsonl; exit 1 when any document failed. --batch N writes OUT/lines-FIRST-LAST.tar instead.
    """
    catalog = state.catalog(catalog_dir)
    signing = load_signing(sign_key, sign_cert, signature_type, sign_passphrase_file)
    if jsonl is not None or envelopes is not None:
        if jsonl is None or envelopes is None or document is not None:
            raise click.UsageError(state.t("cda.bulk_usage"))
        check_output_folder(out, "--out", state.lang)
        bulk = BulkRequest(
            jsonl, envelopes, out, catalog.root, org_file, templates, allow_invalid, jobs, durable, signing, batch
        )
        _encode_bulk(state, bulk)
        return
    if document is None or envelope_file is None:
        raise click.UsageError(state.t("cda.encode_usage"))
    check_output_file(out, "--out", state.lang)
    request = EncodeRequest(document, envelope_file, out, structure_ref, org_file, templates, allow_invalid, signing)
    encoded = encode_document(catalog, request)
    if encoded.refused:
        refused(state, encoded.refused, "cda.refused.encode")
    if encoded.findings:  # written anyway: say so, with the count only (no value of the document)
        click.echo(f"warning: {count('cda.invalid_written', encoded.findings, state.lang)}", err=True)
    if not state.quiet:
        click.echo(state.t("cda.wrote_document", out=out, size=encoded.size, oid=encoded.structure.version_oid))


def _encode_bulk(state: State, request: BulkRequest) -> None:
    err = console()
    shown = 0

    def report(outcome: Any) -> None:
        nonlocal shown
        if outcome.status == "failed" and shown < 20:
            shown += 1
            for problem in outcome.problems:
                err.print(f"error: {request.documents}: {problem}", markup=False, highlight=False, soft_wrap=True)

    if err.is_terminal:
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        columns = ("{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn())
        with Progress(*columns, console=err) as bar:
            task = bar.add_task("encoding", total=request.documents.stat().st_size)
            summary = encode_many(request, lambda n: bar.advance(task, n), report)
    else:  # no bar to draw: rich.progress is not imported (a start-up cost of every scripted run)
        summary = encode_many(request, lambda n: None, report)
    out = request.out
    counts = {"written": summary.written, "skipped": summary.skipped, "failed": summary.failed}
    see = state.t("cda.bulk_failures", file=out / "failures.jsonl") if summary.failed else ""
    click.echo(state.t("cda.bulk_summary", out=out, **counts) + see)
    if summary.failed:
        sys.exit(1)


def version_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options `cda replace` and `cda nullify` share (docs/cda.md, Versions)."""
    for option in reversed(
        (
            click.option("--reason", required=True, help="The reason's code."),
            click.option("--reason-system", help="The reason's code system OID (not published; from the value)."),
            click.option("--reason-display", help="The reason's display name."),
            click.option("--out", "out", required=True, type=FILE_PATH, help="The new version's file."),
            catalog_option,
            click.option("--document-id", help="The new version's id (default: SET-ID.VERSION, our choice)."),
            click.option("--time", "when", help="Its creation time, ISO 8601 with offset (default: now)."),
            click.option(
                "--envelope", "changes_file", type=EXISTING_FILE, help="Envelope fields that replace the old ones."
            ),
            click.option("--org", "org_file", type=EXISTING_FILE, help="Organisation file (TOML), as for encode."),
            click.option("--templates", type=EXISTING_DIR, help="Display-form templates, as for encode."),
            click.option("--allow-invalid", is_flag=True, help="Write even when the content has findings."),
            signing_options,
        )
    ):
        command = option(command)
    return command


def _next_version(state: State, kind: str, old: Path, document: Path | None, **options: Any) -> None:
    """`cda replace` and `cda nullify`: read the options, write the next version."""
    check_output_file(options["out"], "--out", state.lang)
    request = NextVersionRequest(
        kind,  # type: ignore[arg-type]
        old,
        options["out"],
        options["reason"],
        options["reason_system"],
        options["reason_display"],
        document,
        options["document_id"],
        options["when"],
        options["changes_file"],
        options["org_file"],
        options["templates"],
        options["allow_invalid"],
    )
    signing = (options["sign_key"], options["sign_cert"], options["signature_type"], options["sign_passphrase_file"])
    written = next_version(lambda: state.catalog(options["catalog_dir"]), request, lambda: load_signing(*signing))
    if written.refused:
        refused(state, written.refused, "cda.refused.write")
    if not state.quiet:
        click.echo(state.t("cda.wrote_version", out=options["out"], size=written.size))


@click.command("replace")
@click.argument("old", type=EXISTING_FILE)
@click.argument("document", type=EXISTING_FILE)
@version_options
@quiet_option
@click.pass_obj
@fails_cleanly
def cda_replace_cmd(state: State, old: Path, document: Path, **options: Any) -> None:
    """Write the version that replaces an archive document: DOCUMENT is its new content.

    Same setId, versionNumber + 1, relatedDocument RPLC to the old id, reasonOfCorrection = --reason; every
    other header field of the old version is kept unless --envelope gives it (its signatures are not).

    \b
    Example:
      sosmeta cda replace doc.xml corrected.json --reason 1 --catalog catalog --out doc-v2.xml
    """
    _next_version(state, "replace", old, document, **options)


@click.command("nullify")
@click.argument("old", type=EXISTING_FILE)
@version_options
@quiet_option
@click.pass_obj
@fails_cleanly
def cda_nullify_cmd(state: State, old: Path, **options: Any) -> None:
    """Write the version that nullifies (mitätöi) an archive document.

    Like a replacement (same setId, versionNumber + 1, relatedDocument RPLC) with the old content and
    hl7fi:nullification carrying --reason (Kanta's form for social documents is not public: docs/cda.md).

    \b
    Example:
      sosmeta cda nullify doc.xml --reason 2 --catalog catalog --out doc-nullified.xml
    """
    _next_version(state, "nullify", old, None, **options)
