"""`sosmeta lint`: irregularities of structures as coded warnings."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sosmeta.commands.common import State, catalog_option, fails_cleanly, quiet_option
from sosmeta.messages import count, localized
from sosmeta.operations.codes import stored_lists
from sosmeta.operations.linting import lint_refs, warning_codes


@click.command("lint")
@click.argument("refs", nargs=-1)
@catalog_option
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
@click.option("--codes", "list_codes", is_flag=True, help="List the warning codes and what they mean.")
@quiet_option
@click.pass_obj
@fails_cleanly
def lint_cmd(state: State, refs: tuple[str, ...], catalog_dir: Path | None, strict: bool, list_codes: bool) -> None:
    """Report irregularities of structures as coded warnings.

    REFS are files (JSON exports, workbooks), folders (every such file in them) or catalog references; with
    none, the whole catalog. Irregularities are kept on import; this only tells where they are (see --codes).
    Every file is read even when another cannot be: the errors are listed at the end and give exit code 2.

    \b
    Examples:
      sosmeta lint --catalog catalog                     # every version in the catalog
      sosmeta lint --catalog catalog 1.2.246.537.6.1506.9001@2023-05-31
      sosmeta lint muokattu.xlsx --strict                # a file, exit 1 on any warning
      sosmeta lint exports/                              # every structure file in a folder
    """
    if list_codes:
        for code, meaning in warning_codes().items():
            click.echo(f"{code:<26} {localized(meaning, state.lang)}")
        return
    lists = stored_lists(state.catalog(catalog_dir).root) if catalog_dir or state.workspace else None
    result = lint_refs(refs, lambda: state.catalog(catalog_dir), state.lang, lists)
    for linted in result.structures:
        if linted.warnings:
            s = linted.structure
            click.echo(count("lint.structure", len(linted.warnings), state.lang, oid=s.version_oid, title=s.fi_title))
            for warning in linted.warnings:
                click.echo(f"  warning: {warning.text(state.lang)}")
    summary = [count("lint.structures", len(result.structures), state.lang)]
    summary.append(count("lint.warnings", result.total, state.lang))
    if result.unreadable:
        summary.append(count("lint.files_failed", result.unreadable, state.lang))
    click.echo(", ".join(summary))
    for error in result.errors:
        click.echo(f"error: {localized(error, state.lang)}", err=True)
    if result.errors:
        sys.exit(2)
    if strict and result.total:
        sys.exit(1)
