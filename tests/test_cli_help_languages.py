"""`sosmeta --help` in Finnish, Swedish and English: the language from a `--lang` before the command, else the
locale; the root group's help, its options and the command list's short helps come from the catalogue, whose
English is the root group's own text. A command's own `--help` stays English (docs/cli.md)."""

from __future__ import annotations

import inspect

import pytest

from sosmeta import cli
from sosmeta.messages import LANGS, MESSAGES
from tests.test_cli_messages import run


def test_the_catalogues_english_is_the_root_groups_own_help() -> None:
    assert MESSAGES["help.root"].en == inspect.cleandoc(cli.main.help or "")
    for name, (_, _, short) in cli.COMMANDS.items():
        assert MESSAGES[f"help.command.{name}"].en == short, name
    ctx = cli.main.make_context("sosmeta", [], resilient_parsing=True)  # the root group's own help options
    for param in cli.main.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is not None:
            long = next(o for o in param.opts if o.startswith("--")).removeprefix("--")
            assert MESSAGES[f"help.option.{long}"].en == record[1], long


@pytest.mark.parametrize(
    "key", sorted(k for k in MESSAGES if k.startswith("help.") and k not in ("help.usage", "help.options"))
)
def test_every_help_text_is_written_in_each_language(key: str) -> None:
    assert len({MESSAGES[key].text(lang) for lang in LANGS}) == 3, key


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["--lang", "sv", "--help"], {}, ("Användning: main", "Flaggor:", "Kommandon:", "En typisk session:")),
        (["--lang=fi", "-h"], {}, ("Käyttö: main", "Valinnat:", "Komennot:", "Tyypillinen istunto:")),
        (["--help"], {"LC_ALL": "sv_FI.UTF-8"}, ("Användning: main", "Kommandon:")),
        ([], {"LC_ALL": "fi_FI.UTF-8"}, ("Käyttö: main", "Komennot:")),
        (["--lang", "en", "--help"], {"LC_ALL": "sv_FI.UTF-8"}, ("Usage: main", "Options:", "Typical session:")),
    ],
)
def test_the_root_help_speaks_the_language_asked_for(args: list[str], env: dict[str, str], words: tuple[str]) -> None:
    result = run(*args, env=env)
    assert result.exit_code in (0, 2), result.output
    for word in words:
        assert word in result.output, (word, result.output)
    for name in cli.COMMANDS:
        assert f"\n  {name} " in result.output, name


def test_the_swedish_command_list_is_each_commands_swedish_short_help() -> None:
    output = run("--lang", "sv", "--help").output
    assert "  lint      Rapportera avvikelser i strukturer som kodade varningar." in output
    assert "  -q, --quiet            Skriv ut endast fel och sammanfattningen." in output
    english = run("--lang", "en", "--help").output
    assert "  lint      Report irregularities of structures as coded warnings." in english


def test_a_commands_own_help_stays_english() -> None:
    output = run("--lang", "sv", "lint", "--help").output
    assert output.startswith("Usage: main lint") and "Report irregularities" in output
