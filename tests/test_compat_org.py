"""Organisation impact: the example organisation's template entries that stop applying to a changed version,
one case per ORG_* rule, from the CLI (`--org`) as from the engine."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from sosmeta.cli import main
from sosmeta.generators.sosmeta_json import dump_structure
from sosmeta.sosmeta_import.organisation import load_organisation
from sosmeta.structures.compat import Category, compare
from sosmeta.structures.compat.organisation import template_impact
from sosmeta.structures.model import Structure
from sosmeta.structures.texts import LangText
from tests.compat_support import D, edit, example, remove, replace_element, text_element

ORG_FILE = Path(__file__).resolve().parent.parent / "example" / "orgs" / "jarvimaa-lastensuojelu.toml"
FM = Category.FORM

ORG_CASES: dict[str, tuple[Callable[[Structure], Structure], str]] = {
    "ORG_ENTRY_ELEMENT_GONE": (lambda s: remove(s, f"{D}/laatija/allekirjoitus"), f"{D}/laatija/allekirjoitus"),
    "ORG_OMITTED_NOW_REQUIRED": (lambda s: edit(s, f"{D}/arvio/pisteet", required=True), f"{D}/arvio/pisteet"),
    "ORG_CODES_NOT_ACCEPTED": (
        lambda s: edit(
            s, f"{D}/tapaamiset/tapaamispaikka", accepted_values=tuple(LangText(lang="", value=c) for c in ("2", "3"))
        ),
        f"{D}/tapaamiset/tapaamispaikka",
    ),
    "ORG_MAX_ITEMS_NOT_REPEATABLE": (lambda s: edit(s, f"{D}/tapaamiset", repeatable=False), f"{D}/tapaamiset"),
}


@pytest.mark.parametrize("rule", list(ORG_CASES))
def test_template_entry_stops_applying(rule: str) -> None:
    make, path = ORG_CASES[rule]
    old = example()
    new = make(old)
    organisation = load_organisation(ORG_FILE)
    impact = template_impact(organisation, old, new)
    assert [(f.rule, f.path, f.categories) for f in impact] == [(rule, path, frozenset({FM}))]
    assert impact[0].source == str(ORG_FILE) and "template[0]" in impact[0].detail


def test_unchanged_version_leaves_every_entry_applying() -> None:
    assert template_impact(load_organisation(ORG_FILE), example(), example()) == []


def test_renamed_element_points_to_its_new_path() -> None:
    old = example()
    new = replace_element(
        old, f"{D}/laatija/ammattinimike", text_element("ammattinimikkeet", "Ammattinimikkeet", "Yrkesbeteckningar")
    )
    assert [f.rule for f in compare(old, new)] == ["ELEMENT_RENAME_SUSPECTED"]
    (gone,) = template_impact(load_organisation(ORG_FILE), old, new)
    assert gone.rule == "ORG_ENTRY_ELEMENT_GONE" and gone.new == "laatija/ammattinimikkeet"


def test_cli_lists_org_findings_and_annotates_the_org_file(tmp_path: Path) -> None:
    old = example()
    new = ORG_CASES["ORG_CODES_NOT_ACCEPTED"][0](ORG_CASES["ORG_ENTRY_ELEMENT_GONE"][0](old))
    files = tmp_path / "old.json", tmp_path / "new.json"
    for path, structure in zip(files, (old, new), strict=True):
        path.write_text(dump_structure(structure), encoding="utf-8")
    runner = CliRunner()
    data = json.loads(
        runner.invoke(main, ["diff", *map(str, files), "--org", str(ORG_FILE), "--format", "json"]).output
    )
    rules = sorted(f["rule"] for f in data["comparisons"][0]["findings"] if f["rule"].startswith("ORG_"))
    assert rules == ["ORG_CODES_NOT_ACCEPTED", "ORG_ENTRY_ELEMENT_GONE"]
    github = runner.invoke(main, ["diff", *map(str, files), "--org", str(ORG_FILE), "--format", "github"]).output
    assert any(
        line.startswith(f"::warning file={ORG_FILE}") and "ORG_CODES_NOT_ACCEPTED" in line
        for line in github.splitlines()
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("[organisation]\n", encoding="utf-8")
    result = runner.invoke(main, ["diff", *map(str, files), "--org", str(bad)])
    assert result.exit_code == 2 and "bad.toml" in result.output
