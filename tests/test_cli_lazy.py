"""The root group loads command modules lazily: `sosmeta --help` lists every command with its own short help
without importing any command module, and `validate` imports none of the other commands' modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from sosmeta import cli

ROOT = Path(__file__).resolve().parent.parent


def _loaded_after(code: str) -> set[str]:
    """The sosmeta.commands modules a fresh interpreter has imported after running `code`."""
    listing = "sorted(m for m in sys.modules if m.startswith('sosmeta.commands.'))"
    probe = f"{code}\nimport sys, json\nprint(json.dumps({listing}))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_listed_short_help_is_each_commands_own() -> None:
    group = cli.main
    ctx = click.Context(group)
    for name, (_, _, short) in cli.COMMANDS.items():
        command = group.get_command(ctx, name)
        assert command is not None and command.name == name
        assert command.get_short_help_str(limit=10_000) == short, name


def test_help_lists_every_command_without_importing_one() -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom sosmeta import cli\n"
        "out = CliRunner().invoke(cli.main, ['--help']).output\n"
        "assert all(f'  {n} ' in out for n in cli.COMMANDS), out"
    )
    assert _loaded_after(code) <= {"sosmeta.commands.common"}


def test_validate_loads_only_its_own_command_module(tmp_path: Path) -> None:
    code = (
        "from click.testing import CliRunner\nfrom sosmeta import cli\n"
        f"CliRunner().invoke(cli.main, ['validate', '--catalog', {str(tmp_path)!r}, '--jsonl', '-'], input='')"
    )
    assert _loaded_after(code) == {"sosmeta.commands.common", "sosmeta.commands.validate"}


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli.main, ["no-such-command"])
    assert result.exit_code == 2 and "no-such-command" in result.output
