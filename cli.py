"""The `sosmeta` command line: import structures into a catalog, inspect them, and build outputs.

Exit codes: 0 success, 1 findings (lint --strict, validate, diff), 2 bad input or usage.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

import sosmeta.workspace as ws
from sosmeta.catalog import Catalog, CatalogError, Outcome
from sosmeta.commands.codes import codes_group
from sosmeta.commands.migrate import migrate
from sosmeta.generators.code_choices import LISTS_OPTION
from sosmeta.generators.output import recover, staged
from sosmeta.generators.registry import BuildContext, discover
from sosmeta.operations.codes import build_code_lists, stored_lists
from sosmeta.safeio.documents import Input, read_documents
from sosmeta.safeio.errors import located_write_errors
from sosmeta.safeio.locks import FolderLock
from sosmeta.safeio.paths import UnsafePath
from sosmeta.safeio.reading import display_name
from sosmeta.sosmeta_import import InputError, load_any, supported_suffixes
from sosmeta.sosmeta_import.errors import one_line
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.conflicts import CONFLICT_CODES, code_list_conflicts
from sosmeta.structures.lint import CODES, lint
from sosmeta.structures.model import Structure

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
        except (CatalogError, ws.WorkspaceError, UnsafePath) as exc:
            click.echo(f"error: {one_line(str(exc))}", err=True)
            sys.exit(2)
        except OSError as exc:  # last resort: a file-system fault nothing closer handled (disk full, read-only)
            click.echo(f"error: {os_error(exc)}", err=True)
            sys.exit(2)
        except RecursionError:  # last resort: inputs are depth-checked where they are read
            click.echo("error: the input nests too deeply to process", err=True)
            sys.exit(2)
        except UnicodeError:  # last resort: inputs with lone surrogates are refused where they are read
            click.echo("error: a text cannot be read or written as UTF-8 (a lone surrogate?)", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def os_error(exc: OSError) -> str:
    """`<file>: <reason>` of a file-system error; the message names the file, never what was in it."""
    reason = exc.strerror or type(exc).__name__
    return f"{display_name(exc.filename)}: {reason}" if exc.filename is not None else reason


def progress(items: Iterable[T], label: str) -> Iterator[T]:
    """A rich progress bar on a terminal; silent when output is redirected (CI logs stay readable)."""
    from rich.progress import track

    seq = list(items)
    return iter(track(seq, description=label, console=_console(), disable=not _console().is_terminal))


def progress_stream(items: Iterable[T], label: str) -> Iterator[T]:
    """A rich counter for a stream of unknown length (items are passed on as they come, never collected)."""
    console = _console()
    if not console.is_terminal:
        yield from items
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description} {task.completed}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)
        for item in items:
            yield item
            bar.advance(task)


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


# Path parameter types the commands share (values arrive as pathlib.Path).
EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
EXISTING_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
FILE_PATH = click.Path(dir_okay=False, path_type=Path)
DIR_PATH = click.Path(file_okay=False, path_type=Path)

no_wait_option = click.option(
    "--no-wait",
    is_flag=True,
    help="Refuse at once (exit 2) when another sosmeta run holds the folder's lock, instead of waiting.",
)
catalog_option = click.option(
    "--catalog",
    "catalog_dir",
    type=DIR_PATH,
    help="Catalog folder (default: the workspace's catalog from sosmeta.toml).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--workspace",
    "workspace_dir",
    type=EXISTING_DIR,
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
@no_wait_option
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
    catalog = state.catalog(catalog_dir)
    if not paths:
        if state.workspace is None or not state.workspace.sources:
            raise click.UsageError("give files or folders to import (or set workspace.sources in sosmeta.toml)")
        paths = state.workspace.sources
    counts: dict[str, int] = {o.value: 0 for o in Outcome}
    errors: list[str] = []
    with catalog.locked(wait=not no_wait):  # a failed write (disk full, read-only) ends the import at once
        for file in progress(_input_files(paths), "importing"):
            try:
                structures = load_any(file)
            except InputError as exc:
                errors.extend(str(p) for p in exc.problems)
                continue
            for structure in structures:
                try:
                    outcome = catalog.add(structure, replace=replace)
                except CatalogError as exc:
                    errors.append(str(exc))
                    continue
                counts[outcome.value] += 1
                if not state.quiet or outcome is not Outcome.UNCHANGED:
                    click.echo(f"{outcome.value:<13}  {structure.version_oid}  {structure.fi_title}")
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

    Columns: OID, version, status, document type, element count, title (subject).

    \b
    Examples:
      sosmeta list --catalog catalog
      sosmeta list --catalog catalog --json > catalog.json
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

    \b
    Examples:
      sosmeta lint --catalog catalog                     # every version in the catalog
      sosmeta lint --catalog catalog 1.2.246.537.6.1506.9001@2023-05-31
      sosmeta lint muokattu.xlsx --strict                # a file, exit 1 on any warning
    """
    if list_codes:
        for code, meaning in {**CODES, **CONFLICT_CODES}.items():
            click.echo(f"{code:<26} {meaning}")
        return
    structures: list[Structure] = []
    for ref in refs:
        path = Path(ref)
        is_file = path.exists() and not path.is_dir()  # a FIFO or device too: the reader refuses it by name
        structures.extend(load_any(path) if is_file else [state.catalog(catalog_dir).resolve(ref)])
    if not refs:
        structures = state.catalog(catalog_dir).structures()
    total = 0
    lists = stored_lists(state.catalog(catalog_dir).root) if catalog_dir or state.workspace else CodeLists()
    for structure in structures:
        warnings = lint(structure) + code_list_conflicts(structure, lists)
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
    type=DIR_PATH,
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
@no_wait_option
@click.pass_obj
@fails_cleanly
def build_cmd(
    state: State,
    catalog_dir: Path | None,
    out_dir: Path | None,
    targets: tuple[str, ...],
    latest: bool,
    list_targets: bool,
    no_wait: bool,
) -> None:
    """Run generators over the catalog; each target writes OUT/<target>/.

    A target's folder is built aside and swapped in only when complete, so a failed or killed build leaves
    the previous output as it was (the next build puts back what a kill interrupted). The output folder is
    locked while the build runs: another run waits for it (or, with --no-wait, is refused).

    \b
    Examples:
      sosmeta build --catalog catalog --out output --target sosmeta-json
      sosmeta build --catalog catalog --out output --target forms --target html --latest
      sosmeta build                                      # inside a workspace: its targets
      sosmeta build --list-targets
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
    options.update(_organisation_options(state, catalog_dir))  # organisation templates, checked first
    options[LISTS_OPTION] = build_code_lists(catalog.root, structures)  # codes and labels (code_choices.py)
    with FolderLock(out).hold(wait=not no_wait), located_write_errors(out):
        for note in recover(out, registry):
            click.echo(f"note: {note}", err=True)
        for name in names:
            with located_write_errors(out / name), staged(out / name) as folder:
                ctx = BuildContext(structures, folder.staging, options, progress, previous=folder.previous)
                registry[name].build(ctx)
                ctx.finish()
            for warning in ctx.warnings:
                click.echo(f"warning: {warning}", err=True)
            click.echo(f"{name}: {len(ctx.written)} files in {out / name}")


# ---- validation commands ----
_VALIDATE_EXAMPLES = """
\b
Examples:
  sosmeta validate --catalog catalog --structure 1.2.246.537.6.1506.15007 doc.json
  sosmeta validate --catalog catalog --structure 1.2.246.537.6.1506.15007@2024-11-28 --mode schema a.json b.json
  sosmeta validate --catalog catalog --jsonl documents.jsonl --format jsonl > verdicts.jsonl
  sosmeta validate --catalog catalog --lang sv doc.json      # structure found from the document's root key
"""


class _StructureChooser:
    """The structure to validate a document against: --structure, or the one whose document key is its root key.

    A root key shared by several structures is ambiguous (an error); a structure with several versions that
    have the key is validated against the newest of them (name another with --structure OID@VERSION).
    """

    def __init__(self, catalog: Catalog, ref: str | None) -> None:
        self.catalog = catalog
        self.fixed = catalog.resolve(ref) if ref else None
        self._by_key: dict[str, list[Structure]] | None = None

    def choose(self, doc: Any) -> Structure | str:
        """The structure, or why none can be chosen."""
        if self.fixed is not None:
            return self.fixed
        if not isinstance(doc, dict) or len(doc) != 1:
            return "cannot tell the structure: the document is not an object with one root key (use --structure)"
        if self._by_key is None:
            # Per root key, the newest version of each structure that has it (entries are sorted by version).
            newest: dict[tuple[str, str], Structure] = {}
            for structure in self.catalog.structures():
                newest[(structure.document.key, structure.base_oid)] = structure
            self._by_key = {}
            for (key, _), structure in newest.items():
                self._by_key.setdefault(key, []).append(structure)
        (key,) = doc
        found = self._by_key.get(key, [])
        if len(found) == 1:
            return found[0]
        if not found:
            return "no structure in the catalog has this document's root key (use --structure)"
        oids = ", ".join(s.base_oid for s in found)
        return f"the root key belongs to several structures ({oids}); choose one with --structure"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _finding_json(finding: Any, lang: str) -> dict[str, Any]:
    return {
        "pointer": finding.pointer,
        "code": finding.code,
        "severity": finding.severity,
        "row": finding.row,
        "name": finding.name,
        "message": finding.message[lang],
    }


def _text_report(item: Input, structure: Structure | None, found: list[Any], lang: str) -> list[str]:
    if item.error is not None:
        return [f"{item.source}: error: {item.error}"]
    assert structure is not None
    errors = sum(f.severity == "error" for f in found)
    warnings = len(found) - errors
    verdict = "valid" if not errors else "INVALID"
    counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}" if found else "no findings"
    lines = [f"{item.source}: {verdict} ({counts})  {structure.fi_title} {structure.version_oid}"]
    groups: dict[tuple[int | None, str], list[Any]] = {}
    for finding in found:
        groups.setdefault((finding.row, finding.name), []).append(finding)
    for (row, name), members in groups.items():
        lines.append(f"  {'row ' + str(row) if row is not None else 'document':>8}  {name}")
        for finding in members:
            lines.append(f"    {finding.severity:<7} {finding.pointer}  [{finding.code}] {finding.message[lang]}")
    return lines


@main.command("validate", epilog=_VALIDATE_EXAMPLES)
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
@click.option(
    "--lang", type=click.Choice(["fi", "sv", "en"]), default="fi", show_default=True, help="Language of the messages."
)
@click.option(
    "--jsonl",
    "jsonl_file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Also validate FILE, one JSON document per line ('-' reads standard input).",
)
@click.pass_obj
@fails_cleanly
def validate_cmd(
    state: State,
    documents: tuple[Path, ...],
    catalog_dir: Path | None,
    ref: str | None,
    mode: str,
    fmt: str,
    lang: str,
    jsonl_file: Path | None,
) -> None:
    """Validate client documents (JSON) against their national structure and list every finding.

    Each finding names the place (JSON pointer), the element (row and Finnish name), the rule code and a
    message in Finnish, Swedish or English; values of the document are never printed. Warnings (e.g. a
    conditionally required element is missing) do not make a document invalid. Rule codes and modes:
    docs/validation.md.

    Exit status: 0 all documents valid, 1 some invalid, 2 bad input (unreadable JSON, unknown structure) or usage.
    """
    from sosmeta.generators.validator.with_lists import ListedValidation

    if not documents and jsonl_file is None:
        raise click.UsageError("give document files (or - for standard input), or --jsonl FILE")
    chooser = _StructureChooser(state.catalog(catalog_dir), ref)
    checks = ListedValidation(mode, stored_lists(chooser.catalog.root))  # type: ignore[arg-type]
    inputs = read_documents(documents, jsonl_file)
    worst = 0
    counts = {"valid": 0, "invalid": 0, "unreadable": 0}
    results: list[dict[str, Any]] = []
    checked = 0
    for item in progress_stream(inputs, "validating"):
        checked += 1
        structure: Structure | None = None
        found: list[Any] = []
        if item.error is None:
            chosen = chooser.choose(item.doc)
            if isinstance(chosen, str):
                item.error = chosen
            else:
                structure = chosen
                found = checks.validate(structure, item.doc)
        valid = item.error is None and not any(f.severity == "error" for f in found)
        outcome = 2 if item.error is not None else 0 if valid else 1
        worst = max(worst, outcome)
        counts[("valid", "invalid", "unreadable")[outcome]] += 1
        if fmt == "text":
            if found or not valid or not state.quiet:
                for line in _text_report(item, structure, found, lang):
                    click.echo(line, err=item.error is not None)
            continue
        record: dict[str, Any] = {"source": item.source, "valid": valid}
        if structure is not None:
            record["structure"] = structure.version_oid
        if item.error is not None:
            record["error"] = item.error
        record["findings"] = [_finding_json(f, lang) for f in found]
        if fmt == "jsonl":
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            results.append(record)
    if fmt == "json":
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    elif fmt == "text" and (not state.quiet or worst):
        tally = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
        click.echo(f"{_plural(checked, 'document')} checked in {mode} mode: {tally}")
    sys.exit(worst)


# ---- forms and organisation templates commands ----
def _load_checked_organisations(
    files: Iterable[Path], structures: list[Structure], quiet: bool, lists: CodeLists | None = None
) -> list[Any]:
    """Read organisation files and check them against `structures`; print findings; exit 2 on errors."""
    from sosmeta.generators.forms.list_conformance import check_organisation_with_lists
    from sosmeta.sosmeta_import.organisation import load_organisation

    organisations = [load_organisation(f) for f in files]
    ids: dict[str, str] = {}
    for org in organisations:
        if org.id in ids:
            raise InputError.one(
                org.source,
                "organisation.id",
                f"id '{org.id}' is also used by {ids[org.id]}; "
                "each organisation needs its own (it names the output folder)",
                "org.id_duplicate",
            )
        ids[org.id] = org.source
    errors = 0
    for org in organisations:
        for finding in check_organisation_with_lists(org, structures, lists or CodeLists()):
            errors += finding.severity == "error"
            if finding.severity == "error" or not quiet:
                click.echo(str(finding), err=True)
    if errors:
        click.echo(f"{errors} errors in organisation templates", err=True)
        sys.exit(2)
    return organisations


def _workspace_organisation_files(state: State) -> list[Path]:
    """The files of `[organisations] files` in sosmeta.toml, relative to the workspace folder."""
    if state.workspace is None:
        return []
    files = state.workspace.section("organisations").get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise ws.WorkspaceError(f"{state.workspace.root / ws.FILE_NAME}: organisations.files must be a list of paths")
    return [state.workspace.root / f for f in files]


def _organisation_options(state: State, catalog_dir: Path | None) -> dict[str, Any]:
    """Build options for the workspace's organisation templates (`[organisations] files = [...]`), which are
    checked against the catalog before anything is built."""
    from sosmeta.generators.forms.variants import ORGANISATION_MODELS

    paths = _workspace_organisation_files(state)
    if not paths:
        return {}
    catalog = state.catalog(catalog_dir)
    organisations = _load_checked_organisations(paths, catalog.structures(), state.quiet, stored_lists(catalog.root))
    return {ORGANISATION_MODELS: organisations}


@main.group("org")
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
    from sosmeta.generators.forms.scaffold import organisation_template
    from sosmeta.generators.output import atomic_write

    text = organisation_template(state.catalog(catalog_dir).resolve(ref), org_id, ref)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text.encode("utf-8"))
        click.echo(f"wrote {output}; edit it, then: sosmeta org check {output}")


@org_group.command("check")
@click.argument("org_files", nargs=-1, type=EXISTING_FILE)
@catalog_option
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
    org_files = org_files or tuple(_workspace_organisation_files(state))
    if not org_files:
        raise click.UsageError("give organisation files (or list them in [organisations] files of sosmeta.toml)")
    structures = state.catalog(catalog_dir).structures()
    lists = stored_lists(state.catalog(catalog_dir).root)  # narrowed codes checked against stored lists
    organisations = _load_checked_organisations(org_files, structures, state.quiet, lists)
    templates = sum(len(o.templates) for o in organisations)
    click.echo(f"{len(organisations)} organisation(s), {templates} template(s): no errors")


# ---- cda commands (inputs: generators/cda/inputs.py) ----
@main.group("cda")
def cda_group() -> None:
    """Kanta CDA R2 archive documents: encode, frame, check, decode; replace, nullify (see docs/cda.md).

    \b
    Example: from a client document to a checked package
      sosmeta cda encode doc.json --envelope env.json --catalog catalog --out doc.xml
      sosmeta cda frame doc.xml --out frame.xml --package message.mime
      sosmeta cda check frame.xml doc.xml --catalog catalog
      sosmeta cda decode message.mime --catalog catalog --out decoded/
    """


def _cda_signing_options(command: Callable[..., Any]) -> Callable[..., Any]:
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


def _cda_signing(key: Path | None, cert: Path | None, signature_type: str, passphrase: Path | None) -> Any:
    """The signing of --sign-key/--sign-cert, loaded once; None without them."""
    if key is None and cert is None:
        if passphrase is not None:
            raise click.UsageError("--sign-passphrase-file needs --sign-key and --sign-cert")
        return None
    if key is None or cert is None:
        raise click.UsageError("signing needs both --sign-key and --sign-cert")
    from sosmeta.generators.cda.codec import load_signing

    return load_signing(key, cert, signature_type, passphrase)  # type: ignore[arg-type]


@cda_group.command("encode")
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
@_cda_signing_options
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
    from sosmeta.generators.cda import inputs
    from sosmeta.generators.cda.codec import DocumentRefused, encode
    from sosmeta.generators.cda.envelope import load_organisation
    from sosmeta.generators.output import atomic_write

    catalog = state.catalog(catalog_dir)
    signing = _cda_signing(sign_key, sign_cert, signature_type, sign_passphrase_file)
    if jsonl is not None or envelopes is not None:
        if jsonl is None or envelopes is None or document is not None:
            raise click.UsageError("bulk mode needs both --jsonl and --envelopes (and no DOCUMENT)")
        options = (org_file, templates, allow_invalid, jobs, durable, signing, batch)
        _cda_bulk(state, jsonl, envelopes, catalog.root, out, *options)
        return
    if document is None or envelope_file is None:
        raise click.UsageError("give DOCUMENT and --envelope (or --jsonl and --envelopes)")
    profile = load_organisation(org_file) if org_file else None
    envelope_data = inputs.read_envelope(envelope_file)
    structure = (
        catalog.resolve(structure_ref)
        if structure_ref
        else inputs.named_structure(catalog, envelope_data, str(envelope_file), "/content_specification_id")
    )
    envelope = inputs.envelope_for(envelope_data, structure, profile, str(envelope_file))
    try:
        data = encode(
            structure,
            inputs.read_document(document),
            envelope,
            profile=profile,
            templates=templates,
            allow_invalid=allow_invalid,
            source=str(document),
            signing=signing,
        )
    except DocumentRefused as exc:
        for problem in exc.problems:
            click.echo(f"finding: {problem}", err=True)
        click.echo(f"refused: {len(exc.problems)} findings (use --allow-invalid to encode anyway)", err=True)
        sys.exit(1)
    atomic_write(out, data)
    if not state.quiet:
        click.echo(f"wrote {out} ({len(data)} bytes, {structure.version_oid})")


def _cda_bulk(
    state: State,
    jsonl: Path,
    envelopes: Path,
    catalog_root: Path,
    out: Path,
    org_file: Path | None,
    templates: Path | None,
    allow_invalid: bool,
    jobs: int,
    durable: bool,
    signing: Any,
    batch: int = 0,
) -> None:
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from sosmeta.generators.cda.bulk import Settings, encode_jsonl

    settings = Settings(
        out=out,
        catalog=catalog_root,
        organisation=org_file,
        templates=templates,
        allow_invalid=allow_invalid,
        durable=durable,
        signing=signing,
        batch=batch,
    )
    console = _console()
    shown = 0

    def report(outcome: Any) -> None:
        nonlocal shown
        if outcome.status == "failed" and shown < 20:
            shown += 1
            for problem in outcome.problems:
                console.print(f"error: {jsonl}: {problem}", markup=False, highlight=False, soft_wrap=True)

    columns = ("{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("encoding", total=jsonl.stat().st_size)
        summary = encode_jsonl(jsonl, envelopes, settings, jobs, lambda n: bar.advance(task, n), report)
    click.echo(
        f"{out}: {summary.written} written, {summary.skipped} already there, {summary.failed} failed"
        + (f" (see {out / 'failures.jsonl'})" if summary.failed else "")
    )
    if summary.failed:
        sys.exit(1)


def _cda_version_options(command: Callable[..., Any]) -> Callable[..., Any]:
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
            _cda_signing_options,
        )
    ):
        command = option(command)
    return command


def _cda_next_version(state: State, kind: str, old: Path, document: Path | None, **options: Any) -> None:
    """`cda replace` and `cda nullify`: read the options, call lifecycle.next_version, write the file."""
    from sosmeta.generators.cda import inputs, lifecycle
    from sosmeta.generators.cda.codec import DocumentRefused
    from sosmeta.generators.cda.envelope import load_organisation
    from sosmeta.generators.cda.limits import DEFAULT_LIMITS
    from sosmeta.generators.output import atomic_write

    changes = inputs.read_envelope(options["changes_file"]) if options["changes_file"] else {}
    reason = (options["reason"], options["reason_system"], options["reason_display"])
    change = lifecycle.change(kind, reason, options["when"], options["document_id"], changes)
    catalog = state.catalog(options["catalog_dir"])
    signing = _cda_signing(
        options["sign_key"], options["sign_cert"], options["signature_type"], options["sign_passphrase_file"]
    )
    try:
        data = lifecycle.next_version(
            inputs.read_bytes(old, DEFAULT_LIMITS.max_bytes),
            change,
            lambda oid: inputs.named_structure(
                catalog, {"content_specification_id": oid}, str(old), "contentSpecificationId"
            ),
            inputs.read_document(document) if document else None,
            profile=load_organisation(options["org_file"]) if options["org_file"] else None,
            templates=options["templates"],
            allow_invalid=options["allow_invalid"],
            signing=signing,
            source=str(document or old),
            old_source=str(old),
        )
    except DocumentRefused as exc:
        for problem in exc.problems:
            click.echo(f"finding: {problem}", err=True)
        click.echo(f"refused: {len(exc.problems)} findings (use --allow-invalid to write anyway)", err=True)
        sys.exit(1)
    atomic_write(options["out"], data)
    if not state.quiet:
        click.echo(f"wrote {options['out']} ({len(data)} bytes)")


@cda_group.command("replace")
@click.argument("old", type=EXISTING_FILE)
@click.argument("document", type=EXISTING_FILE)
@_cda_version_options
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
    _cda_next_version(state, "replace", old, document, **options)


@cda_group.command("nullify")
@click.argument("old", type=EXISTING_FILE)
@_cda_version_options
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
    _cda_next_version(state, "nullify", old, None, **options)


@cda_group.command("decode")
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
    from sosmeta.generators.cda.incoming import decode_incoming, read_incoming

    incoming = read_incoming(files)
    catalog = state.catalog(catalog_dir) if incoming.document is not None else None
    outcome = decode_incoming(incoming, out, catalog, verify=verify)
    for severity, problem in outcome.findings:
        click.echo(f"{severity}: {problem}", err=True)
    if not state.quiet:
        written = ", ".join(str(p) for p in outcome.written)
        about = [outcome.structure] if outcome.structure else []
        about.append(f"{len(outcome.findings)} findings")
        if outcome.signatures is not None:
            about.append(f"{outcome.signatures} signatures checked")
        click.echo(f"wrote {written} ({', '.join(about)})")
    if outcome.failed:
        sys.exit(1)


@cda_group.command("frame")
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
    from sosmeta.generators.cda import inputs
    from sosmeta.generators.cda.frame import frame, has_performer, options_from
    from sosmeta.generators.cda.limits import DEFAULT_LIMITS
    from sosmeta.generators.cda.package import package
    from sosmeta.generators.output import atomic_write

    if out is None and package_out is None:
        raise click.UsageError("give --out FILE (the frame), --package FILE, or both")
    document = inputs.read_bytes(file, DEFAULT_LIMITS.max_bytes)
    settings = options_from(options, source="options")
    message = frame(document, settings, str(file))
    if out is not None:
        atomic_write(out, message)
    if package_out is not None:
        atomic_write(package_out, package(message, document, str(out or package_out)))
    if not state.quiet:
        wrote = [f"{out} ({len(message)} bytes)"] if out is not None else []
        wrote += [str(package_out)] if package_out is not None else []
        click.echo(f"wrote {' and '.join(wrote)}")
    if not state.quiet and not has_performer(message):
        click.echo("note: no sending user (--performer-id) and none in the document: the frame has none", err=True)


@cda_group.command("check")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE)
@catalog_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True,
    help="text for people, json for programs, junit for CI.",
)  # fmt: skip
@click.option(
    "--lang", type=click.Choice(["fi", "sv", "en"]), default="fi", show_default=True, help="Language of the messages."
)
@click.option("--mode", type=click.Choice(["T", "P"]), help="Processing mode when no frame says it.")
@click.option("--skip-signatures", is_flag=True, help="Do not verify signatures (e.g. before signing).")
@click.pass_obj
@fails_cleanly
def cda_check_cmd(
    state: State,
    files: tuple[Path, ...],
    catalog_dir: Path | None,
    fmt: str,
    lang: str,
    mode: str | None,
    skip_signatures: bool,
) -> None:
    """Pre-flight check of [FRAME] DOCUMENT (or a package) before sending, as Kanta's validation service does.

    Frame and document agree; every header code has its code system; contentSpecificationId names a structure
    of the catalog and the JSON is valid for it (full mode); the display form is XHTML with the body's ID;
    signatures verify; the service request fits the document group; in a test message every identity code is
    a test code. Findings are coded and located (XPath, JSON pointer), never showing a value.

    Exit status: 0 clean (warnings allowed), 1 error findings, 2 bad input.

    \b
    Examples:
      sosmeta cda check frame.xml doc.xml --catalog catalog
      sosmeta cda check message.mime --catalog catalog --format junit > cda-check.xml
    """
    from sosmeta.generators.cda.incoming import read_incoming
    from sosmeta.generators.cda.preflight import Message, check
    from sosmeta.generators.cda.preflight_report import render

    incoming = read_incoming(files)
    if incoming.document is None:
        raise click.UsageError("give the document (and its frame), or a package")
    message = Message(
        incoming.document, incoming.document_source, incoming.frame, incoming.frame_source, incoming.document_cid
    )
    report = check(message, state.catalog(catalog_dir), mode=mode, signatures=not skip_signatures)
    click.echo(render(report, fmt, lang, incoming.document_source), nl=False)
    sys.exit(1 if report.errors else 0)


# ---- compatibility commands ----
@dataclass(frozen=True)
class _CompatRun:
    """The options `diff` and `breaking` share (see `_compat_options`)."""

    fmt: str
    fail_on: str | None
    renames_file: Path | None
    lang: str
    no_proof: bool
    full_mode: bool
    org_files: tuple[Path, ...]
    output: Path | None


def _compat_policy(state: State, fail_on: str | None, renames_file: Path | None) -> tuple[Any, Any]:
    """The [breaking] policy of the workspace with command-line overrides, and the renames to apply."""
    from sosmeta.structures.compat import load_renames, parse_categories
    from sosmeta.structures.compat.matching import Renames
    from sosmeta.structures.compat.report import PolicyError, policy_from_section

    section = state.workspace.section("breaking") if state.workspace else {}
    where = f"{state.workspace.root / ws.FILE_NAME} [breaking]" if state.workspace else "[breaking]"
    try:
        policy = policy_from_section(section, where)
    except PolicyError as exc:
        raise ws.WorkspaceError(str(exc)) from None
    if fail_on is not None:
        try:
            policy = replace(policy, fail_on=parse_categories(fail_on))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--fail-on") from None
    if renames_file is None and policy.renames and state.workspace is not None:
        renames_file = state.workspace.root / policy.renames
    return policy, (load_renames(renames_file) if renames_file is not None else Renames())


def _compat_organisations(org_files: tuple[Path, ...]) -> list[Any]:
    from sosmeta.sosmeta_import.organisation import load_organisation

    return [load_organisation(path) for path in org_files]


def _compat_side(state: State, ref: str, catalog_dir: Path | None) -> tuple[Structure, str]:
    """A file (JSON export or workbook holding one structure) or a catalog reference, with its source."""
    path = Path(ref)
    if path.exists() and not path.is_dir():  # a FIFO or device too: the reader refuses it by name
        structures = load_any(path)
        if len(structures) != 1:
            raise InputError.one(
                str(path),
                "",
                f"holds {len(structures)} structures; compare files holding one, or catalog references (OID@VERSION)",
                "compat.input",
            )
        return structures[0], str(path)
    if path.suffix.lower() in supported_suffixes() or path.exists():
        raise InputError.one(str(path), "", "no such file", "compat.input")
    catalog = state.catalog(catalog_dir)
    structure = catalog.resolve(ref)
    return structure, str(catalog.path_for(structure))


def _compat_emit(report: Any, run: _CompatRun) -> None:
    from sosmeta.generators.compat.render import render
    from sosmeta.generators.output import atomic_write

    text = render(report, run.fmt, run.lang, quiet=click.get_current_context().ensure_object(State).quiet)
    if run.output is not None:
        atomic_write(run.output, text.encode("utf-8"))
        summary = f"{len(report.findings)} findings, {len(report.failing)} failing, {report.ignored} ignored"
        click.echo(f"wrote {run.output}: {summary}", err=True)
    else:
        click.echo(text, nl=False)
    if report.failed:
        sys.exit(1)


def _compat_options(func: F) -> F:
    from sosmeta.generators.compat.render import FORMATS

    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default="text",
            show_default=True,
            help="Report format: text/markdown for people, json for machines, github (workflow "
            "annotations) or junit for CI.",
        ),
        click.option(
            "--fail-on",
            "fail_on",
            metavar="CATEGORY[,CATEGORY]",
            help="Exit 1 if a finding breaks one of these (default: [breaking] fail_on in sosmeta.toml, "
            "else DOCUMENT_BACKWARD). Categories: DOCUMENT_BACKWARD, DOCUMENT_FORWARD, CODEGEN, "
            "FORM, TEXT.",
        ),
        click.option(
            "--renames",
            "renames_file",
            type=EXISTING_FILE,
            help="TOML or JSON file confirming renames ([[rename]] old/new key paths) or ruling them out "
            "([[distinct]]).",
        ),
        click.option(
            "--lang",
            type=click.Choice(["fi", "en"]),
            default="fi",
            show_default=True,
            help="Language of messages in text, markdown, github and junit output.",
        ),
        click.option("--no-proof", is_flag=True, help="Skip building counterexample documents (faster)."),
        click.option(
            "--full-mode",
            is_flag=True,
            help="Also check each counterexample with the validators' full mode (dates, identity codes, codes); "
            "compiles two more validators per pair.",
        ),
        click.option(
            "--org",
            "org_files",
            multiple=True,
            type=EXISTING_FILE,
            help="Organisation file (TOML); repeat for several. Lists the template entries that stop applying to "
            "NEW (element gone, omitted but now required, codes no longer accepted, max_items on a single element).",
        ),
        click.option(
            "-o",
            "--output",
            type=FILE_PATH,
            help="Write the report to this file (atomically) instead of stdout.",
        ),
    ]

    @wraps(func)
    def bundled(*args: Any, **kwargs: Any) -> Any:
        shared = {name: kwargs.pop(name) for name in _CompatRun.__dataclass_fields__}
        return func(*args, run=_CompatRun(**shared), **kwargs)

    command = bundled
    for option in reversed(options):
        command = option(command)
    return command  # type: ignore[return-value]


@main.command("diff")
@click.argument("refs", nargs=-1)
@catalog_option
@_compat_options
@click.option("--rules", "list_rules", is_flag=True, help="List the rule catalogue (ID, categories, why) and exit.")
@click.option("--unrelated", is_flag=True, help="Compare two different structures (OIDs) too; refused without it.")
@click.pass_obj
@fails_cleanly
def diff_cmd(
    state: State,
    refs: tuple[str, ...],
    catalog_dir: Path | None,
    run: _CompatRun,
    list_rules: bool,
    unrelated: bool,
) -> None:
    """Compare two versions of a structure: what changed and what it breaks.

    OLD and NEW are files (JSON exports or workbooks) or catalog references (OID@YYYY-MM-DD, a version OID).
    With one OID, the catalog's two newest versions of it are compared. Every finding names its rule and the
    categories it breaks (DOCUMENT_BACKWARD, DOCUMENT_FORWARD, CODEGEN, FORM, TEXT); DOCUMENT_* findings carry
    a counterexample document checked with the validator. Exit 1 if a finding breaks a --fail-on category,
    0 otherwise, 2 on bad input.

    \b
    Examples:
      sosmeta diff old.json new.json
      sosmeta diff --catalog catalog 1.2.246.537.6.1506.15007
      sosmeta diff --catalog catalog 1.2.246.537.6.1506.15007@2023-09-27 1.2.246.537.6.1506.15007@2024-11-28 \\
          --format markdown --lang en -o report.md
      sosmeta diff old.json new.json --fail-on DOCUMENT_BACKWARD,DOCUMENT_FORWARD --format github
      sosmeta diff old.json new.json --org orgs/jarvimaa-lastensuojelu.toml      # template entries that stop applying
      sosmeta diff --rules
    """
    from sosmeta.generators.compat.check import compare_pair
    from sosmeta.structures.compat.report import apply_policy

    if list_rules:
        _compat_list_rules(run.lang)
        return
    policy, renames = _compat_policy(state, run.fail_on, run.renames_file)
    if len(refs) == 2:
        (old, old_source), (new, new_source) = (_compat_side(state, r, catalog_dir) for r in refs)
    elif len(refs) == 1:
        catalog = state.catalog(catalog_dir)
        entries = catalog.versions(refs[0].partition("@")[0])
        if len(entries) < 2:
            raise CatalogError(
                f"{refs[0]}: the catalog {catalog.root} holds {len(entries)} version(s) of it; "
                "diff needs two (or give OLD and NEW)"
            )
        old, new = (catalog.load_entry(e) for e in entries[-2:])
        old_source, new_source = (str(e.path) for e in entries[-2:])
    else:
        raise click.UsageError("give OLD and NEW (files or OID@VERSION), or one OID with --catalog")
    organisations = _compat_organisations(run.org_files)
    comparison = compare_pair(
        old,
        new,
        old_source,
        new_source,
        renames,
        not run.no_proof,
        full_mode=run.full_mode,
        organisations=organisations,
        unrelated=unrelated,
        lists=stored_lists(state.catalog(catalog_dir).root) if catalog_dir or state.workspace else None,
    )
    _compat_emit(apply_policy([comparison], policy), run)


def _compat_list_rules(lang: str) -> None:
    from sosmeta.structures.compat import RULES
    from sosmeta.structures.compat.categories import ordered

    for rule in RULES.values():
        categories = ",".join(c.value for c in ordered(rule.categories)) or "-"
        click.echo(f"{rule.id:<30} {categories:<52} {rule.why_fi if lang == 'fi' else rule.why_en}")


@main.command("breaking")
@catalog_option
@click.option(
    "--against",
    "against_dir",
    required=True,
    type=EXISTING_DIR,
    help="The baseline catalog (e.g. the catalog of the main branch).",
)
@_compat_options
@click.pass_obj
@fails_cleanly
def breaking_cmd(
    state: State,
    catalog_dir: Path | None,
    against_dir: Path,
    run: _CompatRun,
) -> None:
    """Check a whole catalog against a baseline catalog, for CI: added, removed and changed structures.

    The newest version of each structure (by base OID) in the baseline is compared with the newest in the
    catalog. Exit 1 if a finding breaks a --fail-on category (default DOCUMENT_BACKWARD, or [breaking]
    fail_on in sosmeta.toml), 0 otherwise, 2 on bad input. [breaking] ignore entries drop findings by rule
    and key path.

    \b
    Examples:
      sosmeta breaking --catalog catalog --against ../main/catalog
      sosmeta breaking --catalog catalog --against base/catalog --format github       # in a GitHub workflow
      sosmeta breaking --catalog catalog --against base/catalog --format junit -o compat.xml
    """
    from sosmeta.generators.compat.check import compare_sets
    from sosmeta.structures.compat.report import apply_policy

    policy, renames = _compat_policy(state, run.fail_on, run.renames_file)
    new_catalog, old_catalog = state.catalog(catalog_dir), Catalog(against_dir)
    new_structures, old_structures = new_catalog.structures(), old_catalog.structures()
    if not new_structures and not old_structures:
        raise CatalogError(f"both catalogs are empty ({new_catalog.root}, {old_catalog.root})")
    sources = {id(s): str(old_catalog.path_for(s)) for s in old_structures}
    sources.update({id(s): str(new_catalog.path_for(s)) for s in new_structures})
    comparisons = compare_sets(
        old_structures,
        new_structures,
        lambda s: sources[id(s)],
        renames,
        proof=not run.no_proof,
        progress=progress,
        full_mode=run.full_mode,
        organisations=_compat_organisations(run.org_files),
        lists=stored_lists(new_catalog.root),
    )
    _compat_emit(apply_policy(comparisons, policy), run)


# ---- example document commands ----
@main.command("example")
@catalog_option
@click.option(
    "--structure",
    "structure_ref",
    required=True,
    metavar="OID[@VERSION]",
    help="Structure: base OID (newest version), OID@YYYY-MM-DD, or a version OID.",
)
@click.option(
    "--kind",
    type=click.Choice(["example", "minimal", "maximal"]),
    default="example",
    show_default=True,
    help="A realistic random document, only the required elements, or every element.",
)
@click.option(
    "--count",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="How many example documents; more than one are written as JSON lines.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same documents.")
@click.pass_obj
@fails_cleanly
def example_cmd(state: State, catalog_dir: Path | None, structure_ref: str, kind: str, count: int, seed: int) -> None:
    """Print example documents of a structure version (valid, with made-up but realistic values).

    Identity codes come from the test range (individual number 900-999), so no document names a real person.

    \b
    Examples:
      sosmeta example --structure 1.2.246.537.6.1506.4018
      sosmeta example --structure 1.2.246.537.6.1506.4018@2022-09-28 --kind minimal
      sosmeta example --structure 1.2.246.537.6.1506.4018 --count 100 --seed 7 > documents.jsonl
    """
    from sosmeta.generators.examples import example_documents, maximal_document, minimal_document

    catalog = state.catalog(catalog_dir)
    structure = catalog.resolve(structure_ref)
    lists = build_code_lists(catalog.root, [structure])  # stored lists' real codes and labels
    if kind == "minimal":
        documents = [minimal_document(structure, lists)]
    elif kind == "maximal":
        documents = [maximal_document(structure, seed, lists)]
    else:
        documents = example_documents(structure, count, seed, lists)
    if len(documents) == 1:
        click.echo(json.dumps(documents[0], ensure_ascii=False, indent=2))
        return
    for document in documents:
        click.echo(json.dumps(document, ensure_ascii=False))


# ---- excel commands ----
# Importers report warnings (an ignored column, a macro not run) on the `sosmeta.import` logger; the command
# line shows them on stderr as `warning: FILE: Sheet!CELL: ... [code]` lines, like its errors.
import logging  # noqa: E402  (imported here, next to the only code that uses it)


class _EchoWarnings(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(record.getMessage(), err=True)


_import_log = logging.getLogger("sosmeta.import")
_import_log.addHandler(_EchoWarnings(logging.WARNING))
_import_log.propagate = False


main.add_command(codes_group)
main.add_command(migrate)

if __name__ == "__main__":
    main()
