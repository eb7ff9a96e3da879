"""`diff` and `breaking` in Finnish, Swedish and English: every rule text in three languages, and a report in
one language has no word of the other two (rule messages, labels, category texts, details, notes)."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest

from sosmeta.generators.compat.render import FORMATS, describe, labels
from sosmeta.generators.sosmeta_json import dump_structure
from sosmeta.messages import LANGS, Lang, Localized, localized, message
from sosmeta.structures.compat import RULES
from sosmeta.structures.compat.categories import ORDER
from tests.compat_support import D, add, edit, example, remove, text_element
from tests.test_cli_messages import placeholders, run

HUMAN_FORMATS = [f for f in FORMATS if f != "json"]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_its_texts_in_three_languages(rule_id: str) -> None:
    rule = RULES[rule_id]
    for texts in (rule.why, rule.message):
        fi, sv, en = (texts.text(lang) for lang in LANGS)
        assert fi.strip() and sv.strip() and en.strip(), rule_id
        assert placeholders(fi) == placeholders(sv) == placeholders(en), rule_id
    assert rule.why.sv not in (rule.why.fi, rule.why.en), rule_id  # written in Swedish, not copied


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """OLD = the example; NEW: a group with children removed (a `+N below` detail), an element added, a
    description changed (a text rule with its language)."""
    old = example()
    new = add(remove(old, f"{D}/laatija"), D, text_element("lisatieto", "Lisätieto", "Tillägg"))
    new = edit(new, f"{D}/asiakas", description=None)
    paths = tmp_path / "old.json", tmp_path / "new.json"
    for path, structure in zip(paths, (old, new), strict=True):
        path.write_text(dump_structure(structure), encoding="utf-8")
    return paths


def foreign_words(lang: Lang, findings: list[dict[str, dict[str, str]]]) -> set[str]:
    """Texts of the other two languages that differ from this one's: none of them may be in its report."""
    words: set[str] = set()
    for other in LANGS:
        if other == lang:
            continue
        mine, theirs = labels(lang), labels(other)
        words |= {theirs[k] for k in theirs if theirs[k] != mine[k] and len(theirs[k]) >= 5}
        words |= {describe(c, other) for c in ORDER}
        words |= {f["message"][other] for f in findings if f["message"][other] != f["message"][lang]}
    return words


def contains(output: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(text)}(?!\w)", output) is not None


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_a_diff_report_speaks_one_language_throughout(versions: tuple[Path, Path], lang: Lang, fmt: str) -> None:
    data = json.loads(run("diff", *versions, "--format", "json").output)
    findings = [f for c in data["comparisons"] for f in c["findings"]]
    assert {"ELEMENT_REMOVED", "ELEMENT_ADDED_OPTIONAL", "DESCRIPTION_CHANGED"} <= {f["rule"] for f in findings}
    assert any("+" in f["message"]["en"] and "below" in f["message"]["en"] for f in findings)  # a detail
    output = run("--lang", lang, "diff", *versions, "--format", fmt).output
    if fmt == "junit":
        output = output.replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"').replace("&#10;", "\n")
    for finding in findings:
        if fmt != "markdown":  # markdown escapes its special characters inside messages
            assert finding["message"][lang] in output, (lang, fmt, finding["message"])
    leaked = sorted(w for w in foreign_words(lang, findings) if contains(output, w))
    assert not leaked, (lang, fmt, leaked)


def test_the_json_report_carries_every_language(versions: tuple[Path, Path]) -> None:
    data = json.loads(run("diff", *versions, "--format", "json").output)
    for finding in (f for c in data["comparisons"] for f in c["findings"]):
        assert set(finding["message"]) == set(LANGS)
        assert len(set(finding["message"].values())) == 3, finding["message"]


def test_breaking_in_swedish_says_why_there_is_no_counterexample(tmp_path: Path) -> None:
    baseline, empty = tmp_path / "baseline", tmp_path / "empty"
    empty.mkdir()
    source = tmp_path / "example.json"
    source.write_text(dump_structure(example()), encoding="utf-8")
    assert run("import", source, "--catalog", baseline).exit_code == 0
    found = {lang: run("--lang", lang, "breaking", "--catalog", empty, "--against", baseline).output for lang in LANGS}
    assert "inget motexempel: den nya versionen har ingen sådan struktur" in found["sv"], found["sv"]
    assert "strukturen har tagits bort" in found["sv"] and "structure removed" not in found["sv"]
    assert "NEW has no such structure" in found["en"] and "NEW has no such structure" not in found["fi"]


def test_rules_listing_in_swedish() -> None:
    listed = run("--lang", "sv", "diff", "--rules").output.splitlines()
    assert len(listed) == len(RULES)
    assert all(RULES[line.split()[0]].why.sv in line for line in listed)


def test_a_localized_text_is_english_as_a_string_and_survives_pickling() -> None:
    detail = message("compat.detail.below", n=3)
    assert detail == " (+3 below)" and json.dumps(detail) == '" (+3 below)"'
    assert localized(detail, "sv") == " (+3 under)" and localized(detail, "fi") == " (+3 alla)"
    assert localized("plain", "sv") == "plain"
    copied = pickle.loads(pickle.dumps(detail))
    assert isinstance(copied, Localized) and localized(copied, "sv") == " (+3 under)"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fi", "4 muutosta, 1 rikkoo (fail-on DOCUMENT_BACKWARD), 0 ohitettu"),
        ("sv", "4 ändringar, 1 bryter (fail-on DOCUMENT_BACKWARD), 0 ignorerade"),
        ("en", "4 findings, 1 failing (fail-on DOCUMENT_BACKWARD), 0 ignored"),
    ],
)
def test_the_summary_line_reads_as_a_sentence(versions: tuple[Path, Path], lang: Lang, line: str) -> None:
    data = json.loads(run("diff", *versions, "--format", "json").output)["summary"]
    assert line.startswith(f"{data['findings']} ") and f" {data['failing']} " in line  # the counts of this pair
    assert run("--lang", lang, "diff", *versions).output.splitlines()[-1] == line
