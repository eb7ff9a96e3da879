"""`sosmeta list` and `sosmeta show`: what the catalog holds."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sosmeta.commands.common import State, catalog_option, fails_cleanly, quiet_option
from sosmeta.messages import Lang, count, text
from sosmeta.operations.catalog_view import ElementLine, list_structures, show_structure


@click.command("list")
@catalog_option
@click.option("--json", "as_json", is_flag=True, help="One JSON array of objects instead of a table.")
@quiet_option
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
    rows = list_structures(state.catalog(catalog_dir))
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(
            f"{r.oid:<28} {r.version}  {r.status or '-':<11} {r.document_type or '-':<24} "
            f"{r.elements:>4}  {r.title}  ({r.subject or '-'})"
        )
    click.echo(count("list.summary", len(rows), state.lang))


def _element_line(line: ElementLine, lang: Lang) -> str:
    rep = "?" if line.representation is None else line.representation or text("show.group", lang)
    indent = "  " * (line.depth - 2)
    flags = " ".join(line.flags)
    return f'{line.row or "":>4}  {indent}{line.key}  "{line.name}"  {rep}  {line.cardinality}' + (
        f"  [{flags}]" if flags else ""
    )


@click.command("show")
@click.argument("ref")
@catalog_option
@quiet_option
@click.pass_obj
@fails_cleanly
def show_cmd(state: State, ref: str, catalog_dir: Path | None) -> None:
    """Show the element tree of a structure: row, key, Finnish name, representation, cardinality, flags.

    REF is a base OID (newest version), OID@YYYY-MM-DD or a version OID. Flags: K nationally recorded,
    EP conditionally required, piil hidden field, piilotsikko hidden title. With --lang sv, the names and
    representations are Swedish where the structure has Swedish names.

    \b
    Example:
      sosmeta show 1.2.246.537.6.1506.15007@2024-11-28 --catalog catalog
    """
    tree = show_structure(state.catalog(catalog_dir), ref, state.lang)
    s = tree.structure
    click.echo(f"{s.fi_title}  {s.version_oid}  ({s.status}, {s.document_type})")
    for line in tree.elements:
        click.echo(_element_line(line, state.lang))
