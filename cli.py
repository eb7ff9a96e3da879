"""The `sosmeta` command line: the root group, the options every command shares and the error contract.

The commands themselves live in `commands/` (one module per group, registered below; what they share, in
`commands/common.py`); what they do lives in `operations/`. Exit codes: 0 success, 1 findings (lint --strict,
validate, diff), 2 bad input or usage.
"""

from __future__ import annotations

from pathlib import Path

import click

import sosmeta.workspace as ws
from sosmeta.commands import build, catalog_view, cda, codes, compat, example, imports, lint, migrate, org, validate
from sosmeta.commands.common import (
    DIR_PATH,
    EXISTING_DIR,
    EXISTING_FILE,
    FILE_PATH,
    State,
    catalog_option,
    console,
    fails_cleanly,
    lang_option,
    no_wait_option,
    os_error,
    progress,
    progress_stream,
    quiet_option,
)
from sosmeta.messages import LANGS, lang_from_environment

__all__ = [
    "DIR_PATH",
    "EXISTING_DIR",
    "EXISTING_FILE",
    "FILE_PATH",
    "State",
    "catalog_option",
    "console",
    "fails_cleanly",
    "lang_option",
    "main",
    "no_wait_option",
    "os_error",
    "progress",
    "progress_stream",
    "quiet_option",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--workspace",
    "workspace_dir",
    type=EXISTING_DIR,
    help="Workspace folder with sosmeta.toml (default: found from the current folder upward).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the summary.")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    help="Language of the messages: fi, sv or en (default: from LC_ALL, LC_MESSAGES or LANG, else fi).",
)
@click.version_option(package_name="sosmeta", message="sosmeta %(version)s")
@click.pass_context
@fails_cleanly
def main(ctx: click.Context, workspace_dir: Path | None, quiet: bool, lang: str | None) -> None:
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
    ctx.obj = State(None, quiet, lang or lang_from_environment())  # type: ignore[arg-type]
    path = ws.find(workspace_dir or Path.cwd()) if workspace_dir is None else workspace_dir / ws.FILE_NAME
    workspace = ws.load(path) if path is not None and path.is_file() else None
    if workspace_dir is not None and workspace is None:
        raise ws.WorkspaceError(f"{workspace_dir}: no {ws.FILE_NAME} in this folder")
    ctx.obj.workspace = workspace


main.add_command(imports.import_cmd)
main.add_command(catalog_view.list_cmd)
main.add_command(catalog_view.show_cmd)
main.add_command(lint.lint_cmd)
main.add_command(build.build_cmd)
main.add_command(validate.validate_cmd)
main.add_command(org.org_group)
main.add_command(cda.cda_group)
main.add_command(compat.diff_cmd)
main.add_command(compat.breaking_cmd)
main.add_command(example.example_cmd)
main.add_command(codes.codes_group)
main.add_command(migrate.migrate)


def _every_command(group: click.Group) -> list[click.Command]:
    found: list[click.Command] = []
    for command in group.commands.values():
        found += _every_command(command) if isinstance(command, click.Group) else [command]
    return found


# Every command takes -q after its name too, as the root group does before it (the docs promise it everywhere).
_QUIET = quiet_option(lambda: None).__click_params__[0]  # type: ignore[attr-defined]
for _command in _every_command(main):
    if not any("-q" in p.opts for p in _command.params):
        _command.params.append(_QUIET)


if __name__ == "__main__":
    main()
