"""`sosmeta codes`: national code lists in the catalog (import, list, show, diff, pull); docs/code-lists.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from sosmeta.commands.common import State, catalog_option, check_catalog, fails_cleanly, lang_option, no_wait_option
from sosmeta.messages import Lang, count, text
from sosmeta.operations import codes as ops
from sosmeta.structures.codelists.diff import CodeListDiff
from sosmeta.structures.codelists.model import canonical_data


def _catalog(ctx: click.Context, option: Path | None, *, reading: bool = True) -> Path:
    """The catalog folder. A catalog of code lists alone is one too, so it need not hold structure versions;
    but a command that only reads refuses a folder that does not exist (a mistyped --catalog never reads as
    an empty one), while `import` and `pull` may create it."""
    state: State = ctx.obj
    catalog = state.catalog(option, holding=False)
    if reading:
        check_catalog(catalog, state.lang, empty_ok=True)
    return catalog.root


@click.group("codes")
def codes_group() -> None:
    """National code lists (THL's code server) kept in the catalog, so validators check codes offline.

    \b
      sosmeta codes import sivu-1.json sivu-2.json --catalog catalog   # csapi v6 pages
      sosmeta codes import palvelutehtava.csv koodit.xlsx --sheet Koodit
      sosmeta codes pull 1.2.246.537.6.1221 --catalog catalog          # from the code server
      sosmeta codes pull --for-catalog                                 # every list the structures name
      sosmeta codes list
      sosmeta codes show 1.2.246.537.6.1221@201601
      sosmeta codes diff 1.2.246.537.6.1221@201601 1.2.246.537.6.1221@202001
    """


@codes_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--sheet", help="The workbook sheet to read (default: the first).")
@catalog_option
@no_wait_option
@click.pass_context
@fails_cleanly
def import_cmd(
    ctx: click.Context, files: tuple[Path, ...], sheet: str | None, catalog_dir: Path | None, no_wait: bool
) -> None:
    """Store code lists from csapi v6 pages (.json, one or many), CSV files or a workbook sheet.

    All files are read first; nothing is stored unless every file reads cleanly.
    """
    result = ops.import_files(_catalog(ctx, catalog_dir, reading=False), list(files), sheet, wait=not no_wait)
    _echo_stored(ctx, result.stored)


def _echo_stored(ctx: click.Context, stored: tuple[ops.Stored, ...]) -> None:
    lang = ctx.obj.lang
    for item in stored:
        if not (ctx.obj.quiet and item.outcome == ops.Outcome.UNCHANGED):
            outcome = text(f"codes.outcome.{item.outcome.value}", lang)
            codes = count("codes.codes", item.codes, lang)
            click.echo(f"  {outcome:<12} {item.ref}  {codes}  {item.name or ''}".rstrip())
    changed = sum(1 for s in stored if s.outcome != ops.Outcome.UNCHANGED)
    click.echo(text("codes.changed", lang, lists=count("codes.lists", len(stored), lang), n=changed))


@codes_group.command("list")
@catalog_option
@click.option("--json", "as_json", is_flag=True, help="One JSON array instead of a table.")
@click.option("--embedded", is_flag=True, help="Also the lists the catalog's structures state themselves.")
@click.pass_context
@fails_cleanly
def list_cmd(ctx: click.Context, catalog_dir: Path | None, as_json: bool, embedded: bool) -> None:
    """List the stored code lists: OID@version, codes, source, when retrieved, name."""
    listed = ops.list_lists(_catalog(ctx, catalog_dir), embedded)
    if as_json:
        click.echo(json.dumps([vars(item) for item in listed], ensure_ascii=False, indent=2))
        return
    for item in listed:
        click.echo(f"  {item.ref:<32} {item.codes:>6}  {item.source:<6} {item.retrieved}  {item.name or ''}".rstrip())
    click.echo(count("codes.lists", len(listed), ctx.obj.lang))


@codes_group.command("show")
@click.argument("ref")
@catalog_option
@click.option("--json", "as_json", is_flag=True, help="The stored file's content.")
@lang_option("Language of the messages and of the code names (default: sosmeta --lang).")
@click.pass_context
@fails_cleanly
def show_cmd(ctx: click.Context, ref: str, catalog_dir: Path | None, as_json: bool, lang: str) -> None:
    """Show a stored list (OID: its newest version; OID@VERSION): code, name, validity, status, parent."""
    code_list = ops.show_list(_catalog(ctx, catalog_dir), ref)
    if as_json:
        click.echo(json.dumps(canonical_data(code_list), ensure_ascii=False, indent=2, sort_keys=True))
        return
    codes = count("codes.codes", len(code_list.codes), ctx.obj.lang)
    click.echo(f"{code_list.ref}  {code_list.name or ''}  ({code_list.provenance.source}, {codes})")
    depth = _depths(code_list)
    for code in code_list.codes:
        validity = f"{code.begin or ''}..{code.expires or ''}" if code.begin or code.expires else ""
        indent = "  " * depth.get(code.code, 0)
        parts = [f"  {indent}{code.code}", code.name(lang) or "", validity, code.status or ""]
        click.echo("  ".join(p for p in parts if p))


def _depths(code_list: Any) -> dict[str, int]:
    parents = {c.code: c.parent for c in code_list.codes}
    out: dict[str, int] = {}
    for code in parents:
        depth, seen, at = 0, {code}, parents.get(code)
        while at is not None and at in parents and at not in seen:
            depth, at = depth + 1, parents.get(at)
            seen.add(at or "")
        out[code] = depth
    return out


@codes_group.command("diff")
@click.argument("old")
@click.argument("new")
@catalog_option
@click.option("--json", "as_json", is_flag=True, help="The differences as one JSON object.")
@click.pass_context
@fails_cleanly
def diff_cmd(ctx: click.Context, old: str, new: str, catalog_dir: Path | None, as_json: bool) -> None:
    """Compare two lists (stored OID@VERSION, or files): codes added, removed, renamed, expired, changed.

    Exit 0 when they hold the same codes, 1 when they differ.
    """
    result = ops.diff_refs(_catalog(ctx, catalog_dir), old, new)
    if as_json:
        click.echo(json.dumps(_diff_data(result), ensure_ascii=False, indent=2))
    else:
        for line in _diff_lines(result, ctx.obj.lang):
            click.echo(line)
    ctx.exit(0 if result.empty else 1)


def _diff_data(result: CodeListDiff) -> dict[str, Any]:
    return {
        "old": result.old,
        "new": result.new,
        "added": list(result.added),
        "removed": list(result.removed),
        "renamed": [vars(r) for r in result.renamed],
        "expired": list(result.expired),
        "changed": [{"code": c, "fields": list(f)} for c, f in result.changed],
    }


def _diff_lines(result: CodeListDiff, lang: Lang) -> list[str]:
    word = {kind: text(f"codes.diff.{kind}", lang) for kind in ("added", "removed", "renamed", "expired", "changed")}
    width = max(len(w) for w in word.values()) + 2
    lines = [f"{result.old} -> {result.new}"]
    lines += [f"  {word['added']:<{width}}{c}" for c in result.added]
    lines += [f"  {word['removed']:<{width}}{c}" for c in result.removed]
    lines += [
        f"  {word['renamed']:<{width}}{r.code} ({r.lang}): {r.old or '-'} -> {r.new or '-'}" for r in result.renamed
    ]
    lines += [f"  {word['expired']:<{width}}{c}" for c in result.expired]
    lines += [f"  {word['changed']:<{width}}{c}: {', '.join(f)}" for c, f in result.changed]
    tally = {k: len(getattr(result, k)) for k in ("added", "removed", "renamed", "expired", "changed")}
    lines.append(text("codes.diff.summary", lang, **tally))
    return lines


@codes_group.command("pull")
@click.argument("classifications", nargs=-1)
@click.option("--for-catalog", is_flag=True, help="Pull every list the catalog's structures name.")
@click.option("--server", default=ops.DEFAULT_SERVER, show_default=True, help="The code server's address.")
@click.option("--version", "version", help="Pull this version (versionId) instead of what the server gives.")
@click.option("--valid-on", type=click.DateTime(["%Y-%m-%d"]), help="Only codes valid on this day (YYYY-MM-DD).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.01), help="Seconds per request.")
@click.option("--tries", default=4, show_default=True, type=click.IntRange(1, 20), help="Tries per page.")
@catalog_option
@no_wait_option
@click.pass_context
@fails_cleanly
def pull_cmd(
    ctx: click.Context,
    classifications: tuple[str, ...],
    for_catalog: bool,
    server: str,
    version: str | None,
    valid_on: Any,
    timeout: float,
    tries: int,
    catalog_dir: Path | None,
    no_wait: bool,
) -> None:
    """Pull code lists from THL's code server (csapi v6) into the catalog.

    Every list is pulled whole before it is stored; a list that fails (after retries with growing pauses)
    is one error line and its stored file stays as it was, the others are stored. Exit 2 when any failed.
    """
    catalog = _catalog(ctx, catalog_dir, reading=False)
    wanted = list(dict.fromkeys([*classifications, *(ops.catalog_classifications(catalog) if for_catalog else [])]))
    if not wanted:
        raise click.UsageError(text("codes.pull_usage", ctx.obj.lang))
    settings = ops.PullSettings(timeout=timeout, tries=tries)
    day = valid_on.date() if valid_on is not None else None
    result = ops.pull_lists(catalog, wanted, server, version, day, settings, wait=not no_wait)
    _echo_stored(ctx, result.stored)
    for problem in result.failed:
        click.echo(f"error: {problem.text(ctx.obj.lang)}", err=True)
    if result.failed:
        ctx.exit(2)


@codes_group.command("lint")
@catalog_option
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
@click.pass_context
@fails_cleanly
def lint_cmd(ctx: click.Context, catalog_dir: Path | None, strict: bool) -> None:
    """Report where the codes the structures state disagree with the stored lists (codes.* warnings)."""
    result = ops.lint_lists(_catalog(ctx, catalog_dir))
    lang, total = ctx.obj.lang, 0
    for version_oid, title, warnings in result.warnings:
        total += len(warnings)
        click.echo(count("lint.structure", len(warnings), lang, oid=version_oid, title=title))
        for warning in warnings:
            click.echo(f"  warning: {warning.text(lang)}")
    click.echo(f"{count('lint.structures', result.structures, lang)}, {count('lint.warnings', total, lang)}")
    if strict and total:
        ctx.exit(1)
