"""`sosmeta example`: example documents of a structure version."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sosmeta.commands.common import State, catalog_option, fails_cleanly, quiet_option
from sosmeta.operations.example import example_documents


@click.command("example")
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
@quiet_option
@click.pass_obj
@fails_cleanly
def example_cmd(state: State, catalog_dir: Path | None, structure_ref: str, kind: str, count: int, seed: int) -> None:
    """Print example documents of a structure version (valid, with made-up but realistic values).

    Identity codes come from the test range (individual number 900-999), so no document names a real person;
    `sosmeta validate --test-data` accepts them without the hetu.temporary warning.

    \b
    Examples:
      sosmeta example --structure 1.2.246.537.6.1506.4018
      sosmeta example --structure 1.2.246.537.6.1506.4018@2022-09-28 --kind minimal
      sosmeta example --structure 1.2.246.537.6.1506.4018 --count 100 --seed 7 > documents.jsonl
    """
    documents = example_documents(state.catalog(catalog_dir), structure_ref, kind, count, seed, state.lang)  # type: ignore[arg-type]
    if len(documents) == 1:
        click.echo(json.dumps(documents[0], ensure_ascii=False, indent=2))
        return
    for document in documents:
        click.echo(json.dumps(document, ensure_ascii=False))
