"""`sosmeta build`: run generators over the catalog, each target into OUT/<target>/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sosmeta.commands.common import (
    DIR_PATH,
    State,
    catalog_option,
    check_output_folder,
    error_text,
    fails_cleanly,
    no_wait_option,
    progress,
    quiet_option,
)
from sosmeta.commands.org import checked_organisations
from sosmeta.generators.code_choices import LISTS_OPTION
from sosmeta.messages import MESSAGES, Lang, count
from sosmeta.operations import build as building
from sosmeta.operations.codes import build_code_lists, stored_lists
from sosmeta.operations.org import workspace_organisation_files


def _organisation_options(state: State, catalog_dir: Path | None) -> dict[str, Any]:
    """Build options for the workspace's organisation templates (`[organisations] files = [...]`), which are
    checked against the catalog before anything is built."""
    from sosmeta.generators.forms.variants import ORGANISATION_MODELS

    paths = workspace_organisation_files(state.workspace)
    if not paths:
        return {}
    catalog = state.catalog(catalog_dir)
    lists = stored_lists(catalog.root)
    return {ORGANISATION_MODELS: checked_organisations(paths, catalog.structures(), state.quiet, state.lang, lists)}


def target_description(name: str, description: str, lang: Lang) -> str:
    """What `build --list-targets` says of a target: its catalogue text in `lang`, else its own (English)."""
    found = MESSAGES.get(f"build.describe.{name}")
    return found.text(lang).format() if found is not None else description


@click.command("build")
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
    help="Output kind to build; repeat for several, or 'all' (default: the workspace's targets, else sosmeta-json).",
)
@click.option("--latest", is_flag=True, help="Only the newest version of each structure.")
@click.option("--list-targets", is_flag=True, help="List the output kinds and exit.")
@no_wait_option
@quiet_option
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
      sosmeta build --catalog catalog --out output --target all
      sosmeta build                                      # inside a workspace: its targets
      sosmeta build --list-targets
    """
    registry = building.targets()
    if list_targets:
        for name, target in registry.items():
            click.echo(f"{name:<14} {target_description(name, target.description, state.lang)}")
        return
    requested = targets or (state.workspace.targets if state.workspace and state.workspace.targets else None)
    try:
        names = building.choose_targets(requested or building.DEFAULT_TARGETS, registry)
    except building.UnknownTarget as exc:
        raise click.UsageError(error_text(exc, state.lang)) from None
    catalog = state.catalog(catalog_dir)
    structures = building.structures_to_build(catalog, latest)
    out = out_dir or (state.workspace.output if state.workspace else Path("output"))
    check_output_folder(out, "--out", state.lang)
    options = dict(state.workspace.sections) if state.workspace else {}
    options.update(_organisation_options(state, catalog_dir))  # organisation templates, checked first
    options[LISTS_OPTION] = build_code_lists(catalog.root, structures)  # codes and labels (code_choices.py)

    def report(built: building.TargetBuilt) -> None:
        for warning in built.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(count("build.target", built.written, state.lang, name=built.name, folder=built.folder))

    building.build(
        structures,
        out,
        names,
        registry,
        options,
        wait=not no_wait,
        progress=progress,
        on_note=lambda note: click.echo(f"note: {note}", err=True),
        on_target=report,
    )
