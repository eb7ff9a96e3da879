"""`sosmeta import`: store structure versions from files or folders in the catalog."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from sosmeta.catalog import Outcome
from sosmeta.commands.common import (
    State,
    catalog_option,
    current_lang,
    echo_err,
    echo_out,
    fails_cleanly,
    no_wait_option,
    progress,
    quiet_option,
)
from sosmeta.messages import count, localized
from sosmeta.operations.importing import Stored, import_structures
from sosmeta.sosmeta_import import Problem


@click.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@catalog_option
@click.option("--replace", is_flag=True, help="Overwrite a stored version whose content differs.")
@no_wait_option
@quiet_option
@click.pass_obj
@fails_cleanly
def import_cmd(state: State, paths: tuple[Path, ...], catalog_dir: Path | None, replace: bool, no_wait: bool) -> None:
    """Store structure versions from files or folders in the catalog.

    Each version becomes one canonical file, CATALOG/<base OID>/<YYYY-MM-DD>.json, written atomically.
    Importing the same version again changes nothing; a different file claiming a stored version is refused
    unless --replace. Every file is tried; errors are listed at the end and give exit code 2. The catalog
    is locked while the import runs: another run waits for it (or, with --no-wait, is refused).

    \b
    Example:
      sosmeta import ../shared/sosmeta --catalog catalog
    """
    catalog = state.catalog(catalog_dir, holding=False)
    if not paths:
        if state.workspace is None or not state.workspace.sources:
            raise click.UsageError(state.t("import.no_paths"))
        paths = state.workspace.sources

    def show(stored: Stored) -> None:
        if not state.quiet or stored.outcome is not Outcome.UNCHANGED:
            structure = stored.structure
            outcome = state.t(f"import.outcome.{stored.outcome.value}")
            echo_out(f"{outcome:<13}  {structure.version_oid}  {structure.fi_title}")

    result = import_structures(catalog, paths, replace=replace, wait=not no_wait, progress=progress, on_stored=show)
    summary = ", ".join(f"{n} {state.t(f'import.outcome.{name}')}" for name, n in result.counts.items() if n)
    errors = result.errors
    tail = count("import.errors", len(errors), state.lang) if errors else ""
    click.echo(state.t("import.summary", catalog=result.catalog, summary=summary or state.t("import.nothing")) + tail)
    for error in errors:
        click.echo(f"error: {localized(error, state.lang)}", err=True)
    if errors:
        sys.exit(2)


# Importers report warnings (an ignored column, a macro not run) on the `sosmeta.import` logger; the command
# line shows them on stderr as `warning: FILE: Sheet!CELL: ... [code]` lines, like its errors, above the
# progress bar on a terminal (never glued to it).
class _EchoWarnings(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if len(args) == 1 and isinstance(args[0], Problem):  # an importer's warning: in the run's language
            echo_err(f"warning: {args[0].text(current_lang())}")
        else:
            echo_err(record.getMessage())


_import_log = logging.getLogger("sosmeta.import")
_import_log.addHandler(_EchoWarnings(logging.WARNING))
_import_log.propagate = False
