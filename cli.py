"""The `sosmeta` command line: the root group, the options every command shares and the error contract.

The commands themselves live in `commands/` (one module per group, named below and imported only when the
command runs, so `sosmeta validate` does not load the diff renderer or the code-list commands; what they
share, in `commands/common.py`); what they do lives in `operations/`. Exit codes: 0 success, 1 findings (lint --strict,
validate, diff), 2 bad input or usage.
"""

from __future__ import annotations

import atexit
import gc
import importlib
from pathlib import Path
from typing import cast

import click

import sosmeta.workspace as ws
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
from sosmeta.messages import LANGS, MESSAGES, Lang, lang_from_environment, message, text

# At exit the interpreter's final collection then skips every object a run built (catalogs, compiled validators):
# 0.2-0.3 s of a bulk run's exit. Objects are still freed by reference counting as the modules go.
atexit.register(gc.freeze)

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


# Every command: its module in commands/, the name there, and the short help `sosmeta --help` lists (the first
# sentence of its docstring; tests/test_cli_lazy.py checks that each is the command's own).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "import": ("imports", "import_cmd", "Store structure versions from files or folders in the catalog."),
    "list": ("catalog_view", "list_cmd", "List every structure version in the catalog."),
    "show": (
        "catalog_view",
        "show_cmd",
        "Show the element tree of a structure: row, key, Finnish name, representation, cardinality, flags.",
    ),
    "lint": ("lint", "lint_cmd", "Report irregularities of structures as coded warnings."),
    "build": ("build", "build_cmd", "Run generators over the catalog; each target writes OUT/<target>/."),
    "validate": (
        "validate",
        "validate_cmd",
        "Validate client documents (JSON) against their national structure and list every finding.",
    ),
    "org": ("org", "org_group", "Organisation templates: check them against the national structures."),
    "cda": (
        "cda",
        "cda_group",
        "Kanta CDA R2 archive documents: encode, frame, check, decode; replace, nullify (see docs/cda.md).",
    ),
    "diff": ("compat", "diff_cmd", "Compare two versions of a structure: what changed and what it breaks."),
    "breaking": (
        "compat",
        "breaking_cmd",
        "Check a whole catalog against a baseline catalog, for CI: added, removed and changed structures.",
    ),
    "example": (
        "example",
        "example_cmd",
        "Print example documents of a structure version (valid, with made-up but realistic values).",
    ),
    "codes": (
        "codes",
        "codes_group",
        "National code lists (THL's code server) kept in the catalog, so validators check codes offline.",
    ),
    "migrate": (
        "migrate",
        "migrate",
        "Legacy migration: correspondence table -> checked, accounted archive messages.",
    ),
}


class LazyGroup(click.Group):
    """The root group: a command's module is imported when that command is asked for, and `--help` lists every
    command with its short help from `COMMANDS` without importing any of them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            module, attr, _ = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(f"sosmeta.commands.{module}"), attr)
            _takes_quiet(command)
            self.commands[cmd_name] = command
        return self.commands[cmd_name]

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[HELP_LANG] = help_lang(args)  # --help is eager: it is printed before --lang is read
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = ctx.meta.get(HELP_LANG) or lang_from_environment()
        if lang == "en":  # the root group's own texts
            super().format_help(ctx, formatter)
            return
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), text("help.usage", lang))
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text("help.root", lang))
        rows = [
            (record[0], option_help(param, record[1], lang))
            for param in self.get_params(ctx)
            if (record := param.get_help_record(ctx)) is not None
        ]
        with formatter.section(text("help.options", lang)):
            formatter.write_dl(rows)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = ctx.meta.get(HELP_LANG) or lang_from_environment()
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)

        def short(name: str) -> str:
            return COMMANDS[name][2] if lang == "en" else text(f"help.command.{name}", lang)

        # Shortened as click shortens a command's own help (a stand-in command carries the text).
        rows = [(name, click.Command(name, help=short(name)).get_short_help_str(limit)) for name in COMMANDS]
        rows.sort()
        with formatter.section(text("help.commands", lang)):
            formatter.write_dl(rows)


def option_help(param: click.Parameter, english: str, lang: Lang) -> str:
    """A root option's help in `lang` (`help.option.<long name>`), else its own (English)."""
    long = next((o for o in param.opts if o.startswith("--")), "").removeprefix("--")
    key = f"help.option.{long}"
    return text(key, lang) if key in MESSAGES else english


HELP_LANG = "sosmeta.help_lang"
"""Where the root group keeps the language of its help (`ctx.meta`)."""


def help_lang(args: list[str]) -> Lang:
    """The language of `sosmeta --help`: a `--lang` before the command among `args`, else the locale's."""
    for index, arg in enumerate(args):
        if arg in COMMANDS:
            break
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        if value in LANGS:
            return cast(Lang, value)
    return lang_from_environment()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
        raise ws.WorkspaceError(message("workspace.no_file", folder=workspace_dir, file=ws.FILE_NAME))
    ctx.obj.workspace = workspace


def _every_command(command: click.Command) -> list[click.Command]:
    if not isinstance(command, click.Group):
        return [command]
    return [leaf for child in command.commands.values() for leaf in _every_command(child)]


def _takes_quiet(command: click.Command) -> None:
    """Every command takes -q after its name too, as the root group does before it (the docs promise it)."""
    quiet = quiet_option(lambda: None).__click_params__[0]  # type: ignore[attr-defined]
    for leaf in _every_command(command):
        if not any("-q" in p.opts for p in leaf.params):
            leaf.params.append(quiet)


if __name__ == "__main__":
    main()
