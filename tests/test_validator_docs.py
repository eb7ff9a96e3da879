"""docs/validation.md lists every rule code with its severity and messages exactly as the validator has them."""

from __future__ import annotations

from pathlib import Path

from sosmeta.generators.validator import RULES

DOC = Path(__file__).resolve().parent.parent / "docs" / "validation.md"


def _plain(text: str) -> str:
    return text.replace("{name}: ", "").replace("{param}", "…").replace("|", "\\|")


def test_every_rule_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule in RULES.values():
        messages = " | ".join(_plain(m) for m in (rule.fi, rule.sv, rule.en))
        row = f"| `{rule.code}` | {rule.mode} | {rule.severity} | {messages} |"
        assert row in text, f"docs/validation.md does not list {rule.code} as the validator has it"
