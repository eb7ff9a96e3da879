"""The workspace file's errors and `build --list-targets` in Finnish, Swedish and English: every target has its
description in the catalogue (its English the generator's own), and a bad sosmeta.toml is told in the run's
language."""

from __future__ import annotations

from pathlib import Path

import pytest

from sosmeta.messages import LANGS, MESSAGES
from sosmeta.operations.build import targets
from tests.test_cli_messages import run


def test_every_target_is_described_in_three_languages_and_its_english_is_its_own() -> None:
    for name, target in targets().items():
        found = MESSAGES[f"build.describe.{name}"]
        assert found.en.format() == target.description, name
        assert len({found.text(lang) for lang in LANGS}) == 3, name


def test_list_targets_speaks_the_language_asked_for() -> None:
    found = {lang: run("--lang", lang, "build", "--list-targets").output.splitlines() for lang in LANGS}
    names = list(targets())
    for lang in LANGS:
        assert [line.split()[0] for line in found[lang]] == names
    assert found["en"] == [f"{name:<14} {t.description}" for name, t in targets().items()]
    assert any("byte för byte identiska med THL:s" in line for line in found["sv"])
    assert any("tavu tavulta samat kuin THL:n" in line for line in found["fi"])
    unknown = run("--lang", "sv", "build", "--target", "nope", "--list-targets")
    assert unknown.exit_code == 0  # --list-targets wins; a wrong name is told only when building
    wrong = run("--lang", "sv", "build", "--target", "nope")
    assert wrong.exit_code == 2 and "okänt mål nope; kända: cda," in wrong.output


@pytest.mark.parametrize(
    ("toml", "swedish"),
    [
        ("[workspace]\ncatalog = 5\n", "sosmeta.toml: workspace.catalog ska vara en mappsökväg (en sträng)"),
        (
            "[workspace]\ntargets = 5\n",
            "workspace.targets: ska vara en sträng eller en lista med strängar",
        ),
        ('workspace = "x"\n', "sosmeta.toml: [workspace] ska vara en tabell"),
    ],
)
def test_a_bad_workspace_file_is_told_in_swedish(tmp_path: Path, toml: str, swedish: str) -> None:
    (tmp_path / "sosmeta.toml").write_text(toml, encoding="utf-8")
    found = {lang: run("--lang", lang, "--workspace", tmp_path, "list") for lang in LANGS}
    assert all(r.exit_code == 2 for r in found.values())
    lines = {lang: r.output.strip() for lang, r in found.items()}
    assert lines["sv"].startswith("error: ") and lines["sv"].endswith(swedish), lines["sv"]
    assert len(set(lines.values())) == 3, lines


def test_a_folder_without_a_workspace_file_is_told_in_each_language(tmp_path: Path) -> None:
    found = {lang: run("--lang", lang, "--workspace", tmp_path, "list").output.strip() for lang in LANGS}
    assert found["fi"] == f"error: {tmp_path}: tässä kansiossa ei ole tiedostoa sosmeta.toml"
    assert found["sv"] == f"error: {tmp_path}: mappen har ingen sosmeta.toml"
    assert found["en"] == f"error: {tmp_path}: no sosmeta.toml in this folder"
