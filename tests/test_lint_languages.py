"""Lint's warnings in Finnish, Swedish and English: every text in three languages, the printed line in the run's
language with the same code and place, English for logs; no check writes a warning text outside the catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from sosmeta.messages import LANGS, Lang
from sosmeta.operations.linting import warning_codes
from sosmeta.sosmeta_import import load_any
from sosmeta.structures.lint import lint
from sosmeta.structures.lint_texts import MEANINGS, TEXTS
from tests.conftest import ROOT
from tests.test_cli_messages import placeholders, run

EXPORT = ROOT.parent / "shared" / "sosmeta" / "1.2.246.537.6.1505.1.2020.4.7.json"
CATALOGUE = {**{f"meaning {k}": v for k, v in MEANINGS.items()}, **{f"text {k}": v for k, v in TEXTS.items()}}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_lint_text_has_three_languages_with_the_same_placeholders(key: str) -> None:
    texts = [CATALOGUE[key].text(lang) for lang in LANGS]
    assert all(t.strip() for t in texts), key
    assert placeholders(texts[0]) == placeholders(texts[1]) == placeholders(texts[2]), key
    if re.search(r"[a-zåäö]{4}", re.sub(r"\{[^}]*\}|'[^']*'", "", texts[2])):
        assert texts[1] not in (texts[0], texts[2]), key  # written in Swedish, not copied


def test_every_warning_code_has_its_meaning_in_the_catalogue() -> None:
    assert set(warning_codes()) == set(MEANINGS)


def _literal_messages(path: Path) -> list[str]:
    """Calls making a warning whose message is a literal or an f-string (not a catalogue text)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_warn", "LintWarning"):
            args = [*node.args, *(k.value for k in node.keywords)]
            if any(isinstance(a, ast.JoinedStr) for a in args) or (
                len(node.args) >= 3 and isinstance(node.args[-1], ast.Constant)
            ):
                found.append(f"{path.name}:{node.lineno}")
        elif isinstance(node, ast.Tuple) and any(isinstance(e, ast.JoinedStr) for e in node.elts):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_check_writes_a_warning_text_outside_the_catalogue() -> None:
    files = [ROOT / "structures" / "lint.py", ROOT / "structures" / "codelists" / "conflicts.py"]
    assert [line for f in files for line in _literal_messages(f)] == []


def _warning_lines(lang: Lang, *args: object) -> list[str]:
    result = run("--lang", lang, "lint", *args)
    assert result.exit_code == 0, result.output
    return [line.strip() for line in result.output.splitlines() if line.strip().startswith("warning: ")]


def test_a_lint_run_speaks_the_language_asked_for_with_the_same_codes() -> None:
    found = {lang: _warning_lines(lang, EXPORT) for lang in LANGS}
    assert len(found["fi"]) == len(found["sv"]) == len(found["en"]) > 50
    for fi, sv, en in zip(found["fi"], found["sv"], found["en"], strict=True):
        assert re.search(r"\[[\w.]+\]$", en)
        assert fi.rsplit(" [", 1)[1] == sv.rsplit(" [", 1)[1] == en.rsplit(" [", 1)[1]
        if en.startswith("warning: row "):
            assert sv.startswith("warning: rad ") and fi.startswith("warning: rivi ")
    assert any("har ingen svensk text [lang.missing_sv]" in line for line in found["sv"])
    assert any("ei ole ruotsinkielistä tekstiä [lang.missing_sv]" in line for line in found["fi"])
    (structure,) = load_any(EXPORT)
    assert found["en"] == [f"warning: {w}" for w in lint(structure)]  # English stays what str() gives, for logs


def test_lint_codes_are_explained_in_swedish() -> None:
    lines = run("--lang", "sv", "lint", "--codes").output.splitlines()
    assert len(lines) == len(MEANINGS)
    assert "lang.missing_sv            en text i en tvåspråkig struktur har en finsk men ingen svensk version" in lines
