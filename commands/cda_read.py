"""`sosmeta cda decode`, `frame` and `check`: read, frame and pre-flight check archive documents."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from sosmeta.commands.common import (
    DIR_PATH,
    EXISTING_FILE,
    FILE_PATH,
    State,
    catalog_option,
    check_output_file,
    check_output_folder,
    fails_cleanly,
    lang_option,
    quiet_option,
)
from sosmeta.messages import Lang, count, text
from sosmeta.operations.cda_frame import frame_document
from sosmeta.operations.cda_read import NoDocument, decode, preflight


@click.command("decode")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE)
@catalog_option
@click.option(
    "--out",
    "out",
    required=True,
    type=DIR_PATH,
    help="Folder for document.json, envelope.json and frame.json.",
)
@click.option("--verify", is_flag=True, help="Verify every signature of the document (exit 1 when one fails).")
@quiet_option
@click.pass_obj
@fails_cleanly
def cda_decode_cmd(state: State, files: tuple[Path, ...], catalog_dir: Path | None, out: Path, verify: bool) -> None:
    """Read a CDA archive document, its frame, both (two files) or a package back into JSON.

    Writes OUT/document.json (the client document) and OUT/envelope.json (the archive metadata) of a document,
    then checks it against the structure named in contentSpecificationId; OUT/frame.json (the frame's own
    fields) of a frame. With both, their disagreements are findings. --verify checks every signature and
    names the one that failed. Findings give exit 1; hostile or broken input (DOCTYPE, entities, external
    schema locations, oversize, bad base64, JSON or MIME) one error line and exit 2.

    \b
    Examples:
      sosmeta cda decode doc.xml --catalog catalog --out decoded/
      sosmeta cda decode frame.xml doc.xml --catalog catalog --out decoded/ --verify
      sosmeta cda decode message.mime --catalog catalog --out decoded/
    """
    check_output_folder(out, "--out", state.lang)
    outcome = decode(files, out, lambda: state.catalog(catalog_dir), verify=verify)
    for severity, problem in outcome.findings:
        click.echo(f"{severity}: {problem.text(state.lang)}", err=True)
    if not state.quiet:
        written = ", ".join(str(p) for p in outcome.written)
        about = [outcome.structure] if outcome.structure else []
        about.append(count("cda.findings", len(outcome.findings), state.lang))
        if outcome.signatures is not None:
            about.append(count("cda.signatures", outcome.signatures, state.lang))
        click.echo(state.t("cda.decoded", written=written, about=", ".join(about)))
    if outcome.failed:
        sys.exit(1)


@click.command("frame")
@click.argument("file", type=EXISTING_FILE)
@click.option("--out", "out", type=FILE_PATH, help="The frame file (RCMR_IN200002FI01).")
@click.option(
    "--package", "package_out", type=FILE_PATH, help="Also (or only) write the MIME package of frame and document."
)
@click.option(
    "--mode",
    "mode",
    type=click.Choice(["T", "P"]),
    default="T",
    show_default=True,
    help="Processing mode: T test, P production.",
)
@click.option("--message-id", help="id@root of the message: the sending system's OID (default: the sender).")
@click.option("--message-number", help="id@extension: the message number (default: derived from the document).")
@click.option("--created", help="creationTime, ISO 8601 with offset (default: the document's creation time).")
@click.option("--sender", help="Sending organisation OID (default: --org's OID, else the document's custodian).")
@click.option("--receiver", help="Receiving system OID (default: Kanta, 1.2.246.556.18007.2).")
@click.option("--use-situation", help="Use situation code (1.2.246.537.6.1289.201901; default 1).")
@click.option("--performer-id", help="The sending user's id (default: the document's author, if it has one).")
@click.option("--performer-id-root", help="Its code system (default 1.2.246.21, the personal identity code).")
@click.option("--performer-given", multiple=True, help="The user's given name (repeatable).")
@click.option("--performer-family", help="The user's family name.")
@click.option("--performer-type", type=click.Choice(["PRF", "AUT"]), default="PRF", show_default=True)
@click.option("--performer-unit", help="The user's service unit OID (default: the document's service unit).")
@click.option("--performer-unit-name", help="The service unit's name.")
@click.option("--org", "org_file", type=EXISTING_FILE, help="Organisation file: the sender and the service unit.")
@quiet_option
@click.pass_obj
@fails_cleanly
def cda_frame_cmd(state: State, file: Path, out: Path | None, package_out: Path | None, **options: Any) -> None:
    """Write the transfer frame (RCMR_IN200002FI01) of a CDA archive document, and optionally the package.

    The frame is a separate XML document built from the document's header: its id, setId, versionNumber,
    patient and custodian are copied from it; the service request is SP1 for the client-relationship
    document group, SP17 otherwise. --package writes the MIME multipart/related message carrying frame and
    document (docs/cda.md, Package).

    \b
    Examples:
      sosmeta cda frame doc.xml --out frame.xml --mode T --performer-id 010101A900R
      sosmeta cda frame doc.xml --out frame.xml --package message.mime --org kunta.toml
    """
    if out is None and package_out is None:
        raise click.UsageError(state.t("cda.frame_usage"))
    for path, option in ((out, "--out"), (package_out, "--package")):
        if path is not None:
            check_output_file(path, option, state.lang)
    framed = frame_document(file, out, package_out, options)
    if not state.quiet:
        wrote = [state.t("cda.frame_size", out=out, size=framed.frame_size)] if out is not None else []
        wrote += [str(package_out)] if package_out is not None else []
        click.echo(state.t("cda.wrote", files=state.t("cda.and").join(wrote)))
    if not state.quiet and not framed.has_performer:
        click.echo(f"note: {state.t('cda.no_performer')}", err=True)


def _check_text(report: Any, lang: Lang, source: str) -> str:
    """The text report of `cda check`: each finding, then the verdict of the document."""
    if report.findings:
        verdict = f"{count('check.errors', report.errors, lang)}, {count('check.warnings', report.warnings, lang)}"
    else:
        verdict = text("check.clean", lang)
    mode = text("check.mode", lang, mode=report.mode) if report.mode else text("check.mode_unknown", lang)
    structure = report.structure or text("check.no_structure", lang)
    lines = [f"{f.severity}: {f.problem(lang)}" for f in report.findings]
    lines.append(f"{source}: {text('check.summary', lang, verdict=verdict, structure=structure, mode=mode)}")
    return "\n".join(lines) + "\n"


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE)
@catalog_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True,
    help="text for people, json for programs, junit for CI.",
)  # fmt: skip
@lang_option()
@click.option("--mode", type=click.Choice(["T", "P"]), help="Processing mode when no frame says it.")
@click.option("--skip-signatures", is_flag=True, help="Do not verify signatures (e.g. before signing).")
@click.option(
    "--unstructured", is_flag=True, default=None,
    help="An old free-form document: display form only, no structure or hl7fi:json (else recognised).",
)  # fmt: skip
@quiet_option
@click.pass_obj
@fails_cleanly
def cda_check_cmd(
    state: State,
    files: tuple[Path, ...],
    catalog_dir: Path | None,
    fmt: str,
    lang: Lang,
    mode: str | None,
    skip_signatures: bool,
    unstructured: bool | None,
) -> None:
    """Pre-flight check of [FRAME] DOCUMENT (or a package) before sending, as Kanta's validation service does.

    Frame and document agree; every header code has its code system; contentSpecificationId names a structure
    of the catalog and the JSON is valid for it (full mode); the display form is XHTML with the body's ID;
    signatures verify; the service request fits the document group; in a test message every identity code is
    a test code. Findings are coded and located (XPath, JSON pointer), never showing a value. An unstructured
    document (migrated free text: no hl7fi:json, and no structure of its OID in the catalog) is checked for what
    applies to it, with a warning that says so; --unstructured expects one.

    Exit status: 0 clean (warnings allowed), 1 error findings, 2 bad input.

    \b
    Examples:
      sosmeta cda check frame.xml doc.xml --catalog catalog
      sosmeta cda check message.mime --catalog catalog --format junit > cda-check.xml
    """
    from sosmeta.generators.cda.preflight_report import render

    try:
        report, source = preflight(
            files,
            lambda: state.catalog(catalog_dir),
            mode=mode,
            signatures=not skip_signatures,
            unstructured=unstructured or None,
        )
    except NoDocument:
        raise click.UsageError(state.t("cda.check_usage")) from None
    click.echo(render(report, fmt, lang, source) if fmt != "text" else _check_text(report, lang, source), nl=False)
    sys.exit(1 if report.errors else 0)
