"""The `sosmeta` command line: import structures into a catalog, inspect them, and build outputs.

Exit codes: 0 success, 1 findings (lint --strict, validate, diff), 2 bad input or usage.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

import workspace as ws
from catalog import Catalog, CatalogError, Outcome
from generators.output import StagedDirectory
from generators.registry import BuildContext, discover
from sosmeta_import import InputError, load_any, supported_suffixes
from structures.lint import CODES, lint
from structures.model import Structure

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@dataclass
class State:
    workspace: ws.Workspace | None
    quiet: bool

    def catalog(self, option: Path | None) -> Catalog:
        if option is not None:
            return Catalog(option)
        if self.workspace is not None:
            return Catalog(self.workspace.catalog)
        raise click.UsageError("no catalog: pass --catalog DIR, or run inside a workspace (a folder with sosmeta.toml)")


def fails_cleanly(func: F) -> F:
    """Turn expected errors into a message on stderr and exit code 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            sys.exit(2)
        except (CatalogError, ws.WorkspaceError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def progress(items: Iterable[T], label: str) -> Iterator[T]:
    """A rich progress bar on a terminal; silent when output is redirected (CI logs stay readable)."""
    from rich.progress import track

    seq = list(items)
    return iter(track(seq, description=label, console=_console(), disable=not _console().is_terminal))


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


catalog_option = click.option(
    "--catalog",
    "catalog_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Catalog folder (default: the workspace's catalog from sosmeta.toml).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--workspace",
    "workspace_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Workspace folder with sosmeta.toml (default: found from the current folder upward).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the summary.")
@click.version_option(package_name="sosmeta", message="sosmeta %(version)s")
@click.pass_context
@fails_cleanly
def main(ctx: click.Context, workspace_dir: Path | None, quiet: bool) -> None:
    """sosmeta compiles THL's national social-welfare document structures (Sosmeta) into software.

    \b
    Typical session:
      sosmeta import exports/ --catalog catalog      # store structure versions
      sosmeta list --catalog catalog                 # what the catalog holds
      sosmeta show 1.2.246.537.6.1506.15007 --catalog catalog
      sosmeta lint --catalog catalog                 # irregularities, as coded warnings
      sosmeta build --catalog catalog --out output   # run generators (see --list-targets)

    Inside a workspace (a folder with sosmeta.toml) --catalog and --out come from the file.
    """
    path = ws.find(workspace_dir or Path.cwd()) if workspace_dir is None else workspace_dir / ws.FILE_NAME
    workspace = ws.load(path) if path is not None and path.is_file() else None
    if workspace_dir is not None and workspace is None:
        raise ws.WorkspaceError(f"{workspace_dir}: no {ws.FILE_NAME} in this folder")
    ctx.obj = State(workspace, quiet)


def _input_files(paths: Iterable[Path]) -> list[Path]:
    suffixes = supported_suffixes()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith((".", "~$"))
                )
            )
        else:
            files.append(path)
    return files


@main.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@catalog_option
@click.option("--replace", is_flag=True, help="Overwrite a stored version whose content differs.")
@click.pass_obj
@fails_cleanly
def import_cmd(state: State, paths: tuple[Path, ...], catalog_dir: Path | None, replace: bool) -> None:
    """Store structure versions from files or folders in the catalog.

    Each version becomes one canonical file, CATALOG/<base OID>/<YYYY-MM-DD>.json, written atomically.
    Importing the same version again changes nothing; a different file claiming a stored version is refused
    unless --replace. Every file is tried; errors are listed at the end and give exit code 2.

    \b
    Example:
      sosmeta import ../shared/sosmeta --catalog catalog
    """
    catalog = state.catalog(catalog_dir)
    if not paths:
        if state.workspace is None or not state.workspace.sources:
            raise click.UsageError("give files or folders to import (or set workspace.sources in sosmeta.toml)")
        paths = state.workspace.sources
    counts: dict[str, int] = {o.value: 0 for o in Outcome}
    errors: list[str] = []
    for file in progress(_input_files(paths), "importing"):
        try:
            for structure in load_any(file):
                outcome = catalog.add(structure, replace=replace)
                counts[outcome.value] += 1
                if not state.quiet or outcome is not Outcome.UNCHANGED:
                    click.echo(f"{outcome.value:<13}  {structure.version_oid}  {structure.fi_title}")
        except InputError as exc:
            errors.extend(str(p) for p in exc.problems)
        except CatalogError as exc:
            errors.append(str(exc))
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    click.echo(f"imported into {catalog.root}: {summary or 'nothing'}" + (f"; {len(errors)} errors" if errors else ""))
    for error in errors:
        click.echo(f"error: {error}", err=True)
    if errors:
        sys.exit(2)


def _summary(structure: Structure) -> dict[str, Any]:
    return {
        "oid": structure.base_oid,
        "version": structure.version,
        "version_oid": structure.version_oid,
        "status": structure.status,
        "document_type": structure.document_type,
        "subject": structure.document_subject,
        "title": structure.fi_title,
        "elements": structure.element_count,
    }


@main.command("list")
@catalog_option
@click.option("--json", "as_json", is_flag=True, help="One JSON array of objects instead of a table.")
@click.pass_obj
@fails_cleanly
def list_cmd(state: State, catalog_dir: Path | None, as_json: bool) -> None:
    """List every structure version in the catalog.

    Columns: OID, version, status, document type, subject, title, element count.
    """
    rows = [_summary(s) for s in state.catalog(catalog_dir).structures()]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(
            f"{r['oid']:<28} {r['version']}  {r['status'] or '-':<11} {r['document_type'] or '-':<24} "
            f"{r['elements']:>4}  {r['title']}  ({r['subject'] or '-'})"
        )
    click.echo(f"{len(rows)} structure versions")


def _flags(structure_element: Any) -> str:
    e = structure_element
    marks = [
        ("K", e.nationally_recorded),
        ("EP", e.conditional_required),
        ("piil", e.hidden_field),
        ("piilotsikko", e.hidden_title),
    ]
    return " ".join(m for m, on in marks if on)


@main.command("show")
@click.argument("ref")
@catalog_option
@click.pass_obj
@fails_cleanly
def show_cmd(state: State, ref: str, catalog_dir: Path | None) -> None:
    """Show the element tree of a structure: row, key, Finnish name, representation, cardinality, flags.

    REF is a base OID (newest version), OID@YYYY-MM-DD or a version OID. Flags: K nationally recorded,
    EP conditionally required, piil hidden field, piilotsikko hidden title.

    \b
    Example:
      sosmeta show 1.2.246.537.6.1506.15007@2024-11-28 --catalog catalog
    """
    structure = state.catalog(catalog_dir).resolve(ref)
    click.echo(f"{structure.fi_title}  {structure.version_oid}  ({structure.status}, {structure.document_type})")
    for loc in structure.rows():
        e = loc.element
        rep = e.representation.fi if e.representation is not None else "?"
        indent = "  " * (loc.depth - 2)
        click.echo(
            f'{e.row_number or "":>4}  {indent}{e.key}  "{e.fi_name}"  {rep or "ryhmä"}  {e.cardinality}'
            + (f"  [{_flags(e)}]" if _flags(e) else "")
        )


@main.command("lint")
@click.argument("refs", nargs=-1)
@catalog_option
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
@click.option("--codes", "list_codes", is_flag=True, help="List the warning codes and what they mean.")
@click.pass_obj
@fails_cleanly
def lint_cmd(state: State, refs: tuple[str, ...], catalog_dir: Path | None, strict: bool, list_codes: bool) -> None:
    """Report irregularities of structures as coded warnings.

    REFS are files (JSON exports, workbooks) or catalog references; with none, the whole catalog.
    Irregularities are kept on import; this only tells where they are (see --codes).
    """
    if list_codes:
        for code, meaning in CODES.items():
            click.echo(f"{code:<26} {meaning}")
        return
    structures: list[Structure] = []
    for ref in refs:
        path = Path(ref)
        structures.extend(load_any(path) if path.is_file() else [state.catalog(catalog_dir).resolve(ref)])
    if not refs:
        structures = state.catalog(catalog_dir).structures()
    total = 0
    for structure in structures:
        warnings = lint(structure)
        total += len(warnings)
        if warnings:
            click.echo(f"{structure.version_oid}  {structure.fi_title}: {len(warnings)} warnings")
            for warning in warnings:
                click.echo(f"  warning: {warning}")
    click.echo(f"{len(structures)} structures, {total} warnings")
    if strict and total:
        sys.exit(1)


@main.command("build")
@catalog_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: the workspace's output, else ./output).",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="NAME",
    help="Output kind to build; repeat for several (default: the workspace's targets, else sosmeta-json).",
)
@click.option("--latest", is_flag=True, help="Only the newest version of each structure.")
@click.option("--list-targets", is_flag=True, help="List the output kinds and exit.")
@click.pass_obj
@fails_cleanly
def build_cmd(
    state: State,
    catalog_dir: Path | None,
    out_dir: Path | None,
    targets: tuple[str, ...],
    latest: bool,
    list_targets: bool,
) -> None:
    """Run generators over the catalog; each target writes OUT/<target>/.

    A target's folder is built aside and swapped in only when complete, so a failed build leaves the
    previous output as it was.

    \b
    Example:
      sosmeta build --catalog catalog --out output --target sosmeta-json
    """
    registry = discover()
    if list_targets:
        for name, target in registry.items():
            click.echo(f"{name:<14} {target.description}")
        return
    names = targets or (state.workspace.targets if state.workspace and state.workspace.targets else ("sosmeta-json",))
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise click.UsageError(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(registry)}")
    catalog = state.catalog(catalog_dir)
    structures = catalog.latest() if latest else catalog.structures()
    if not structures:
        raise CatalogError(f"catalog {catalog.root} is empty: import structures first (sosmeta import PATH)")
    out = out_dir or (state.workspace.output if state.workspace else Path("output"))
    options = dict(state.workspace.sections) if state.workspace else {}
    for name in names:
        staged = StagedDirectory(out / name)
        ctx = BuildContext(structures=structures, out_dir=staged.staging, options=options, progress=progress)
        try:
            registry[name].build(ctx)
        except BaseException:
            staged.discard()
            raise
        staged.commit()
        for warning in ctx.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(f"{name}: {len(ctx.written)} files in {out / name}")


# ---- excel commands ----
# Importers report warnings (an ignored column, a macro not run) on the `sosmeta.import` logger; the command
# line shows them on stderr as `warning: FILE: Sheet!CELL: ... [code]` lines, like its errors.
import logging  # noqa: E402  (kept inside this block so that merges with other branches stay trivial)


class _EchoWarnings(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(record.getMessage(), err=True)


_import_log = logging.getLogger("sosmeta.import")
_import_log.addHandler(_EchoWarnings(logging.WARNING))
_import_log.propagate = False


if __name__ == "__main__":
    main()
