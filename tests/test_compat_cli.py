"""`sosmeta diff` and `sosmeta breaking` end to end: formats, exit codes, the [breaking] policy, renames."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft7Validator
from lxml import etree

from sosmeta.cli import main
from sosmeta.generators.sosmeta_json import dump_structure
from tests.compat_support import EXAMPLE_FILE, D, add, edit, example, remove, replace_element, text_element

SCHEMA = json.loads((Path(__file__).parent.parent / "generators" / "compat" / "report.schema.json").read_text())
AMMATTI = f"{D}/laatija/ammattinimike"


def run(*args: str, cwd: Path | None = None) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """OLD = the example; NEW = ammattinimike removed (DOCUMENT_BACKWARD) and an optional element added."""
    old = example()
    new = add(remove(old, AMMATTI), f"{D}/laatija", text_element("lisatieto", "Lisätieto", "Tillägg"))
    new = edit(new, f"{D}/asiakas", description=None)
    paths = tmp_path / "old.json", tmp_path / "new.json"
    for path, structure in zip(paths, (old, new), strict=True):
        path.write_text(dump_structure(structure), encoding="utf-8")
    return paths


def test_text_report_fails_on_backward_by_default(versions: tuple[Path, Path]) -> None:
    result = run("diff", *map(str, versions))
    assert result.exit_code == 1
    assert (
        "ELEMENT_REMOVED" in result.output and "rivi 22 (vanha)" in result.output and "Ammattinimike" in result.output
    )
    assert result.output.index("DOCUMENT_BACKWARD:") < result.output.index("DOCUMENT_FORWARD:")


def test_fail_on_decides_the_exit_code(versions: tuple[Path, Path]) -> None:
    assert run("diff", *map(str, versions), "--fail-on", "TEXT").exit_code == 1
    assert run("diff", str(versions[0]), str(versions[0])).exit_code == 0
    unknown = run("diff", *map(str, versions), "--fail-on", "NOPE")
    assert unknown.exit_code == 2 and "NOPE" in unknown.output


def test_json_report_follows_its_schema(versions: tuple[Path, Path]) -> None:
    result = run("diff", *map(str, versions), "--format", "json")
    data = json.loads(result.output)
    Draft7Validator(SCHEMA).validate(data)
    rules = {f["rule"]: f for f in data["comparisons"][0]["findings"]}
    removed = rules["ELEMENT_REMOVED"]
    assert removed["fails"] and removed["old_path"] == AMMATTI and removed["new_path"] is None
    (proof,) = removed["counterexamples"]
    assert proof["verified"] and proof["valid_under"] == "old" and proof["document"]
    assert data["failed"] is True and result.exit_code == 1


def test_github_annotations(versions: tuple[Path, Path]) -> None:
    lines = run("diff", *map(str, versions), "--format", "github").output.splitlines()
    pattern = re.compile(r"^::(error|warning|notice)( file=[^,:]+,title=[^:]+)?::.+$")
    assert all(pattern.match(line) for line in lines), lines
    errors = [line for line in lines if line.startswith("::error file=")]
    assert len(errors) == 1 and "ELEMENT_REMOVED" in errors[0] and str(versions[1]) in errors[0]


def test_junit_and_markdown(versions: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "report.xml"
    assert run("diff", *map(str, versions), "--format", "junit", "-o", str(out)).exit_code == 1
    suites = etree.parse(str(out)).getroot()
    assert suites.get("failures") == "1" and len(suites.findall(".//failure")) == 1
    markdown = run("diff", *map(str, versions), "--format", "markdown", "--lang", "en").output
    assert "| ❌ | 22 (old) | Ammattinimike | `ELEMENT_REMOVED` |" in markdown and "```json" in markdown


def test_bad_inputs_exit_2(versions: tuple[Path, Path], tmp_path: Path) -> None:
    missing = run("diff", str(versions[0]), str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "nope.json" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert run("diff", str(versions[0]), str(broken)).exit_code == 2
    bad_renames = tmp_path / "renames.toml"
    bad_renames.write_text("[[rename]]\nold = 1\n", encoding="utf-8")
    result = run("diff", *map(str, versions), "--renames", str(bad_renames))
    assert result.exit_code == 2 and "renames.toml" in result.output


def test_renames_file_confirms_a_suspected_rename(tmp_path: Path) -> None:
    old = example()
    new = replace_element(old, AMMATTI, text_element("ammattinimikkeet", "Ammattinimikkeet", "Yrkesbeteckningar"))
    files = tmp_path / "a.json", tmp_path / "b.json"
    for path, structure in zip(files, (old, new), strict=True):
        path.write_text(dump_structure(structure), encoding="utf-8")
    suspected = json.loads(run("diff", *map(str, files), "--format", "json").output)
    assert [f["rule"] for f in suspected["comparisons"][0]["findings"]] == ["ELEMENT_RENAME_SUSPECTED"]
    renames = tmp_path / "renames.toml"
    renames.write_text(f'[[rename]]\nold = "{AMMATTI}"\nnew = "{D}/laatija/ammattinimikkeet"\n', encoding="utf-8")
    confirmed = json.loads(run("diff", *map(str, files), "--format", "json", "--renames", str(renames)).output)
    assert [f["rule"] for f in confirmed["comparisons"][0]["findings"]] == ["ELEMENT_RENAMED"]
    distinct = tmp_path / "distinct.json"
    distinct.write_text(json.dumps({"distinct": [{"old": AMMATTI, "new": f"{D}/laatija/ammattinimikkeet"}]}))
    apart = json.loads(run("diff", *map(str, files), "--format", "json", "--renames", str(distinct)).output)
    assert sorted(f["rule"] for f in apart["comparisons"][0]["findings"]) == [
        "ELEMENT_ADDED_OPTIONAL",
        "ELEMENT_REMOVED",
    ]


def _workspace(tmp_path: Path, versions: tuple[Path, Path], breaking: str) -> Path:
    root = tmp_path / "ws"
    root.mkdir(parents=True)
    (root / "sosmeta.toml").write_text(
        f'[workspace]\ncatalog = "catalog"\n\n[breaking]\n{breaking}\n', encoding="utf-8"
    )
    for version in versions:
        assert run("import", str(version), "--catalog", str(root / "catalog"), "--replace").exit_code == 0
    return root


def test_catalog_diff_and_breaking_policy(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    old, new = example(), json.loads(versions[1].read_text())
    new["sosmeta"]["oid"] = old.base_oid + ".2025.6.1"
    new["sosmeta"]["documentDefinitionVersion"] = "2025-06-01"
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(new, ensure_ascii=False), encoding="utf-8")
    root = _workspace(
        tmp_path,
        (versions[0], newer),
        f'fail_on = ["DOCUMENT_FORWARD"]\nignore = [{{ rule = "ELEMENT_ADDED_OPTIONAL", path = "{D}/laatija" }}]',
    )
    ws = ["--workspace", str(root)]
    result = run(*ws, "diff", old.base_oid, "--format", "json")
    data = json.loads(result.output)
    assert data["fail_on"] == ["DOCUMENT_FORWARD"] and data["summary"]["ignored"] == 1
    assert {f["rule"] for f in data["comparisons"][0]["findings"]} == {"ELEMENT_REMOVED", "DESCRIPTION_CHANGED"}
    assert result.exit_code == 0  # the only DOCUMENT_FORWARD finding is ignored
    bad = _workspace(tmp_path / "b", versions[:1], 'ignore = [{ rule = "NO_SUCH_RULE" }]')
    failed = run("--workspace", str(bad), "diff", str(versions[0]), str(versions[1]))
    assert failed.exit_code == 2 and "NO_SUCH_RULE" in failed.output


def test_breaking_compares_whole_catalogs(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    assert run("import", str(versions[0]), "--catalog", str(base)).exit_code == 0
    assert run("import", str(versions[1]), "--catalog", str(head)).exit_code == 0
    result = run("breaking", "--catalog", str(head), "--against", str(base), "--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == 1 and data["summary"]["comparisons"] == 1
    assert run("breaking", "--catalog", str(base), "--against", str(base)).exit_code == 0
    shutil.rmtree(head)
    (head / "x").mkdir(parents=True)
    gone = json.loads(run("breaking", "--catalog", str(head), "--against", str(base), "--format", "json").output)
    assert [f["rule"] for c in gone["comparisons"] for f in c["findings"]] == ["STRUCTURE_REMOVED"]


def test_rules_listing_names_every_rule() -> None:
    from sosmeta.structures.compat import RULES

    output = run("diff", "--rules").output
    assert all(rule in output for rule in RULES)


def test_example_file_is_the_fixture_base() -> None:
    assert EXAMPLE_FILE.is_file()


def test_docs_rule_table_matches_the_catalogue() -> None:
    from sosmeta.structures.compat import RULES
    from sosmeta.structures.compat.categories import ordered

    docs = (Path(__file__).parent.parent / "docs" / "compatibility.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        categories = ", ".join(c.value for c in ordered(rule.categories)) or "–"
        assert f"| `{rule.id}` | {categories} |" in docs, rule.id


def test_unrelated_structures_are_refused_unless_asked_for(tmp_path: Path, corpus: list[Path]) -> None:
    """Two different structures (…1505.1 and …1506.1000): a mistaken argument, not a version that breaks
    everything; refused with the place and exit 2, compared with --unrelated."""
    old, new = (
        next(p for p in corpus if p.stem.startswith(prefix))
        for prefix in ("1.2.246.537.6.1505.1.", "1.2.246.537.6.1506.1000.")
    )
    refused = CliRunner().invoke(main, ["diff", str(old), str(new), "--no-proof"])
    assert refused.exit_code == 2, refused.output
    line = refused.output.strip().splitlines()[-1]
    assert line.startswith(f"error: {new}: /sosmeta/oid: is structure 1.2.246.537.6.1506.1000 ")
    assert "--unrelated" in line and line.endswith("[compat.unrelated]")
    compared = run("diff", str(old), str(new), "--no-proof", "--unrelated", "--format", "json")
    assert compared.exit_code == 1 and json.loads(compared.output)["comparisons"][0]["findings"]


def _two_catalogs(tmp_path: Path, corpus: list[Path], versions: tuple[Path, Path]) -> tuple[Path, Path]:
    """BASE: four real exports and the example; HEAD: the same with the example's breaking change."""
    base, head = tmp_path / "base", tmp_path / "head"
    real = [p for p in corpus if p.stem.endswith(".2023.5.31")][:4]
    assert len(real) == 4
    assert run("import", *map(str, real), str(versions[0]), "--catalog", str(base)).exit_code == 0
    assert run("import", *map(str, real), "--catalog", str(head)).exit_code == 0
    assert run("import", str(versions[1]), "--catalog", str(head)).exit_code == 0
    return base, head


def test_breaking_counts_unchanged_structures_once(
    tmp_path: Path, corpus: list[Path], versions: tuple[Path, Path]
) -> None:
    base, head = _two_catalogs(tmp_path, corpus, versions)
    result = run("breaking", "--catalog", str(head), "--against", str(base), "--no-proof")
    assert result.exit_code == 1
    assert "ei muutoksia" not in result.output and "4 rakennetta ilman muutoksia" in result.output
    assert result.output.count("vanha:") == 1 and "ELEMENT_REMOVED" in result.output
    english = run("breaking", "--catalog", str(head), "--against", str(base), "--no-proof", "--lang", "en")
    assert "4 structures without changes" in english.output
    quiet = run("-q", "breaking", "--catalog", str(head), "--against", str(base), "--no-proof")
    assert quiet.exit_code == 1 and "ELEMENT_REMOVED" in quiet.output
    assert "ELEMENT_ADDED_OPTIONAL" not in quiet.output and "ilman muutoksia" not in quiet.output
    assert len(quiet.output.splitlines()) < len(result.output.splitlines())
    markdown = run("breaking", "--catalog", str(head), "--against", str(base), "--no-proof", "--format", "markdown")
    assert "4 rakennetta ilman muutoksia." in markdown.output
    assert len([line for line in markdown.output.splitlines() if line.startswith("## ")]) == 1


def test_junit_without_findings_has_one_passing_testcase(
    tmp_path: Path, corpus: list[Path], versions: tuple[Path, Path]
) -> None:
    base, head = _two_catalogs(tmp_path, corpus, versions)
    for catalog, against, cases in ((base, base, 1), (head, base, None)):
        out = tmp_path / "compat.xml"
        run("breaking", "--catalog", str(catalog), "--against", str(against), "--format", "junit", "-o", str(out))
        root = etree.parse(str(out)).getroot()
        testcases = root.findall(".//testcase")
        assert root.get("tests") == str(len(testcases))
        assert sum(int(s.get("tests")) for s in root.findall("testsuite")) == len(testcases)
        passing = [c for c in testcases if c.get("name") == "compatible"]
        assert len(passing) == 1
        if cases is not None:
            assert len(testcases) == cases and root.find("testsuite").get("name") == "5 rakennetta ilman muutoksia"
    single = run("diff", str(versions[0]), str(versions[0]), "--format", "junit")
    assert etree.fromstring(single.output.encode()).get("tests") == "1"
