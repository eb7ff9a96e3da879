"""`sosmeta org`: organisation templates, started from a structure and checked against the catalog."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from sosmeta.commands.common import (
    EXISTING_FILE,
    FILE_PATH,
    State,
    catalog_option,
    check_output_file,
    fails_cleanly,
    quiet_option,
)
from sosmeta.messages import Lang, count
from sosmeta.operations.codes import stored_lists
from sosmeta.operations.org import check_organisations, new_template, workspace_organisation_files, write_template
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.model import Structure


def checked_organisations(
    files: Iterable[Path], structures: list[Structure], quiet: bool, lang: Lang, lists: CodeLists | None = None
) -> list[Any]:
    """Read organisation files and check them against `structures` and the stored code `lists`; print findings;
    exit 2 on errors."""
    result = check_organisations(files, structures, lists)
    for finding in result.findings:
        if finding.severity == "error" or not quiet:
            click.echo(finding.text(lang), err=True)
    if result.errors:
        click.echo(count("org.errors", result.errors, lang), err=True)
        sys.exit(2)
    return result.organisations


@click.group("org")
def org_group() -> None:
    """Organisation templates: check them against the national structures.

    An organisation template (TOML, see docs/organisation-templates.md) names the organisation and says,
    per structure, which optional elements it leaves out, its fill-in instructions, defaults, narrowed
    code lists, repeat limits and field order. It may only restrict a national structure.
    """


@org_group.command("new")
@click.argument("ref")
@catalog_option
@click.option("--id", "org_id", default="oma-organisaatio", show_default=True, help="The organisation's id.")
@click.option(
    "-o",
    "--output",
    type=FILE_PATH,
    help="Write the template to this file (default: standard output).",
)
@quiet_option
@click.pass_obj
@fails_cleanly
def org_new_cmd(state: State, ref: str, catalog_dir: Path | None, org_id: str, output: Path | None) -> None:
    """Start an organisation template for a structure: every optional element listed under `omit` and a
    rules block for every field, all commented out, ready to uncomment and fill in.

    REF is a base OID (newest version), OID@YYYY-MM-DD or a version OID (that version only). Replace the
    organisation's placeholder name and OID (`org check` refuses them), then check it.

    \b
    Example:
      sosmeta org new 1.2.246.537.6.1506.15009 --id merikaupunki -o orgs/merikaupunki.toml
    """
    if output is not None:
        check_output_file(output, "--output", state.lang)
    text = new_template(state.catalog(catalog_dir), ref, org_id, state.lang)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_template(text, output)
        click.echo(state.t("org.wrote", output=output))


@org_group.command("check")
@click.argument("org_files", nargs=-1, type=EXISTING_FILE)
@catalog_option
@quiet_option
@click.pass_obj
@fails_cleanly
def org_check_cmd(state: State, org_files: tuple[Path, ...], catalog_dir: Path | None) -> None:
    """Check organisation templates against the structures in the catalog.

    Every finding names the file and the TOML key (or workbook row) and has a code. Errors (exit 2):
    hiding a required element, an unknown element path (with a suggestion), a default the structure
    rejects, a code not in the national list, a repeat limit looser than the structure, bad field order.
    Warnings: missing Swedish texts for a bilingual organisation, rules on omitted elements, codes that
    live on the code server. Without ORG_FILES, the workspace's `[organisations] files` are checked.
    Codes: docs/organisation-templates.md.

    \b
    Examples:
      sosmeta org check orgs/jarvimaa-lastensuojelu.toml --catalog catalog
      sosmeta org check                      # inside a workspace
    """
    org_files = org_files or tuple(workspace_organisation_files(state.workspace))
    if not org_files:
        raise click.UsageError(state.t("org.no_files"))
    catalog = state.catalog(catalog_dir)
    lists = stored_lists(catalog.root)  # narrowed codes checked against stored lists
    organisations = checked_organisations(org_files, catalog.structures(), state.quiet, state.lang, lists)
    templates = sum(len(o.templates) for o in organisations)
    click.echo(state.t("org.clean", organisations=len(organisations), templates=templates))
