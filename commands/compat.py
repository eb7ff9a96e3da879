"""`sosmeta diff` and `sosmeta breaking`: what changed between structure versions and what it breaks."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from sosmeta.catalog import Catalog
from sosmeta.commands.common import (
    EXISTING_DIR,
    EXISTING_FILE,
    FILE_PATH,
    State,
    catalog_option,
    check_catalog,
    check_output_file,
    fails_cleanly,
    lang_option,
    progress,
    quiet_option,
)
from sosmeta.messages import Lang, text
from sosmeta.operations import compat
from sosmeta.operations.codes import stored_lists

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class CompatRun:
    """The options `diff` and `breaking` share (see `compat_options`)."""

    fmt: str
    fail_on: str | None
    renames_file: Path | None
    lang: Lang
    no_proof: bool
    full_mode: bool
    org_files: tuple[Path, ...]
    output: Path | None

    @property
    def settings(self) -> compat.CompatSettings:
        return compat.CompatSettings(self.fail_on, self.renames_file, not self.no_proof, self.full_mode, self.org_files)


def _policy(state: State, run: CompatRun) -> tuple[Any, Any]:
    try:
        return compat.policy_and_renames(state.workspace, run.settings)
    except compat.FailOnError as exc:
        raise click.BadParameter(str(exc), param_hint="--fail-on") from None


def _emit(report: Any, run: CompatRun, quiet: bool) -> None:
    from sosmeta.generators.compat.render import render
    from sosmeta.generators.output import atomic_write

    rendered = render(report, run.fmt, run.lang, quiet=quiet)
    if run.output is not None:
        atomic_write(run.output, rendered.encode("utf-8"))
        counts = {"findings": len(report.findings), "failing": len(report.failing), "ignored": report.ignored}
        click.echo(text("compat.wrote", run.lang, output=run.output, **counts), err=True)
    else:
        click.echo(rendered, nl=False)
    if report.failed:
        sys.exit(1)


def compat_options(func: F) -> F:
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
        lang_option("Language of messages in text, markdown, github and junit output (default: sosmeta --lang)."),
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
        shared = {name: kwargs.pop(name) for name in CompatRun.__dataclass_fields__}
        return func(*args, run=CompatRun(**shared), **kwargs)

    command = bundled
    for option in reversed(options):
        command = option(command)
    return command  # type: ignore[return-value]


@click.command("diff")
@click.argument("refs", nargs=-1)
@catalog_option
@compat_options
@click.option("--rules", "list_rules", is_flag=True, help="List the rule catalogue (ID, categories, why) and exit.")
@click.option("--unrelated", is_flag=True, help="Compare two different structures (OIDs) too; refused without it.")
@quiet_option
@click.pass_obj
@fails_cleanly
def diff_cmd(
    state: State,
    refs: tuple[str, ...],
    catalog_dir: Path | None,
    run: CompatRun,
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
    if list_rules:
        for rule in compat.rules():
            categories = ",".join(rule.categories) or "-"
            click.echo(f"{rule.id:<30} {categories:<52} {rule.why.text(run.lang)}")
        return
    policy = _policy(state, run)
    if run.output is not None:
        check_output_file(run.output, "--output", run.lang)
    if len(refs) == 2:
        old, new = (compat.side(r, lambda: state.catalog(catalog_dir)) for r in refs)
    elif len(refs) == 1:
        old, new = compat.newest_two(state.catalog(catalog_dir), refs[0], run.lang)
    else:
        raise click.UsageError(text("compat.usage", run.lang))
    lists = stored_lists(state.catalog(catalog_dir).root) if catalog_dir or state.workspace else None
    _emit(compat.diff(old, new, policy, run.settings, unrelated=unrelated, lists=lists), run, state.quiet)


@click.command("breaking")
@catalog_option
@click.option(
    "--against",
    "against_dir",
    required=True,
    type=EXISTING_DIR,
    help="The baseline catalog (e.g. the catalog of the main branch).",
)
@compat_options
@quiet_option
@click.pass_obj
@fails_cleanly
def breaking_cmd(
    state: State,
    catalog_dir: Path | None,
    against_dir: Path,
    run: CompatRun,
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
    policy = _policy(state, run)
    if run.output is not None:
        check_output_file(run.output, "--output", run.lang)
    new_catalog, old_catalog = state.catalog(catalog_dir, holding=False), Catalog(against_dir)
    check_catalog(new_catalog, state.lang, empty_ok=True)  # added or removed structures are what it reports
    report = compat.breaking(new_catalog, old_catalog, policy, run.settings, progress, run.lang)
    _emit(report, run, state.quiet)
