"""`sosmeta migrate`: legacy records into the archive through a correspondence table (docs/migration.md)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sosmeta.commands.common import catalog_option, current_lang, fails_cleanly
from sosmeta.messages import count, text

if TYPE_CHECKING:
    from sosmeta.operations.migrate import Setup


def _section(ctx: click.Context) -> tuple[dict[str, Any], Path, Path | None, str]:
    workspace = getattr(ctx.obj, "workspace", None)
    if workspace is None:
        return {}, Path.cwd(), None, "sosmeta.toml"
    section = workspace.section("migration")
    return section, workspace.root, workspace.catalog, str(workspace.root / "sosmeta.toml")


def _setup(ctx: click.Context, **given: Any) -> Setup:
    from sosmeta.operations import migrate as op

    section, root, catalog, where = _section(ctx)
    return op.setup(section, root, catalog, where, op.Overrides(**given))


table_option = click.option(
    "--table",
    type=click.Path(exists=True, path_type=Path),
    help="The correspondence table: an .xlsx workbook or a folder of CSV files (default: [migration] table).",
)
source_option = click.option(
    "--source",
    help="A database URL, an SQLite file, a .csv or a .jsonl file instead "
    "of the workspace's [migration.source] location (its columns still apply).",
)
out_option = click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: [migration] output)."
)
ledger_option = click.option("--ledger", help="Ledger database URL (default: OUT/ledger.sqlite).")


@click.group("migrate")
def migrate() -> None:
    """Legacy migration: correspondence table -> checked, accounted archive messages.

    \b
    From an empty table to a report:
      sosmeta migrate table new -o vastaavuustaulukko.xlsx   # every legacy type with its record count
      sosmeta migrate table check                            # against the catalog and the source
      sosmeta migrate run --jobs 2                           # map, check, encode, package, ledger
      sosmeta migrate report                                 # OUT/report.html and OUT/report.json

    Settings: the workspace's [migration] table (docs/migration.md).
    """


@migrate.group("table")
def table_group() -> None:
    """The correspondence table (vastaavuustaulukko)."""


@table_group.command("new")
@source_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The workbook to write (.xlsx).",
)
@click.pass_context
@fails_cleanly
def table_new(ctx: click.Context, source: str | None, output: Path) -> None:
    """Write a starting workbook listing every legacy type of the source with its record count."""
    from sosmeta.operations import migrate as op

    section, root, _, where = _section(ctx)
    config = op.source_config(section, root, where, source)
    made = op.table_new(config, output)
    total = sum(made.types.values())
    lang = current_lang()
    types, records = count("migrate.types", len(made.types), lang), count("migrate.records", total, lang)
    click.echo(text("migrate.table_new", lang, path=made.path, types=types, records=records))


@table_group.command("check")
@table_option
@catalog_option
@source_option
@click.option("--no-source", is_flag=True, help="Check the table against the catalog only.")
@click.pass_context
@fails_cleanly
def table_check(
    ctx: click.Context, table: Path | None, catalog_dir: Path | None, source: str | None, no_source: bool
) -> None:
    """Check the table against the catalog and the source (exit 2 with located errors)."""
    from sosmeta.operations import migrate as op

    section, root, ws_catalog, where = _section(ctx)
    table_path = table or (root / section["table"] if isinstance(section.get("table"), str) else None)
    catalog_dir = catalog_dir or ws_catalog
    if table_path is None or catalog_dir is None:
        raise click.UsageError(text("migrate.table_usage", current_lang()))
    config = None if no_source else op.source_config(section, root, where, source)
    result = op.table_check(table_path, catalog_dir, config)
    lang = current_lang()
    for problem in result.problems:
        click.echo(f"error: {problem.text(lang)}", err=True)
    if result.problems:
        click.echo(count("migrate.problems", len(result.problems), lang, table=table_path), err=True)
        sys.exit(2)
    types = count("migrate.types", result.types, lang)
    click.echo(text("migrate.table_ok", lang, table=table_path, types=types, fields=result.fields, codes=result.codes))


@contextmanager
def _progress_bar(quiet: bool) -> Iterator[Callable[[int, int], None]]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    lang = current_lang()
    if quiet or not console.is_terminal:
        yield lambda n, total: None
        return
    columns = (
        TextColumn(text("migrate.progress", lang)),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("migrate", total=None, rate="")

        def advance(n: int, total: int) -> None:
            bar.update(task, total=total, advance=n)
            speed = bar.tasks[0].speed
            bar.update(task, rate=text("migrate.rate", lang, rate=f"{speed:,.0f}") if speed else "")

        yield advance


@migrate.command("run")
@table_option
@catalog_option
@source_option
@out_option
@ledger_option
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Processes on this machine.")
@click.option("--workers", type=click.IntRange(1, 256), help="Run on a local Dask cluster of N workers.")
@click.option("--scheduler", help="Run on a Dask cluster: its scheduler's address (tcp://HOST:PORT).")
@click.option(
    "--shared-output",
    is_flag=True,
    help="With --workers or --scheduler: the workers write the packages into the output folder themselves "
    "(it must be at the same path on every worker, e.g. a shared file system); only the ledger's rows come back.",
)
@click.pass_context
@fails_cleanly
def run_cmd(
    ctx: click.Context,
    table: Path | None,
    catalog_dir: Path | None,
    source: str | None,
    out: Path | None,
    ledger: str | None,
    jobs: int,
    workers: int | None,
    scheduler: str | None,
    shared_output: bool,
) -> None:
    """Archive every legacy record: map, check (full mode), encode, package; record each in the ledger.

    Reruns skip unchanged records and write a replacing version of changed ones; a killed run is resumed by
    running it again. Exit 0 when every record is accounted for (refused ones are listed by the report), 2
    when the table, the source or the reconciliation fails.
    """
    from sosmeta.operations import migrate as op

    if shared_output and workers is None and scheduler is None:
        raise click.UsageError("--shared-output needs --workers or --scheduler", ctx)
    prepared = _setup(ctx, catalog=catalog_dir, table=table, out=out, ledger=ledger, source=source)
    with _progress_bar(getattr(ctx.obj, "quiet", False)) as advance:
        summary = op.run(prepared, jobs, advance, scheduler, workers, shared_output)
    rate = summary.records / summary.seconds if summary.seconds else 0.0
    lang = current_lang()
    outcomes = {name: summary.total(name) for name in ("archived", "replaced", "refused", "skipped")}
    records = count("migrate.records", summary.records, lang)
    click.echo(text("migrate.run_summary", lang, records=records, rate=f"{rate:,.0f}", **outcomes))
    click.echo(text("migrate.packages", lang, out=prepared.job.out))


@migrate.command("report")
@out_option
@ledger_option
@table_option
@catalog_option
@source_option
@click.pass_context
@fails_cleanly
def report_cmd(
    ctx: click.Context,
    out: Path | None,
    ledger: str | None,
    table: Path | None,
    catalog_dir: Path | None,
    source: str | None,
) -> None:
    """Write OUT/report.html and OUT/report.json: counts per legacy type and year, table coverage, refused
    records by reason (row and field, never a value), unmapped types."""
    from sosmeta.operations import migrate as op

    prepared = _setup(ctx, catalog=catalog_dir, table=table, out=out, ledger=ledger, source=source)
    made = op.report(prepared, out)
    click.echo(text("migrate.report", current_lang(), html=made.html, json=made.json))
