"""The command line on real exports and on the embedded example."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sosmeta.cli import main
from sosmeta.generators.registry import BuildContext, Target
from sosmeta.safeio.locks import LOCK_FILE
from tests.conftest import EXAMPLE

EXAMPLE_SOURCE = EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_import_whole_corpus_then_build_reproduces_every_file(tmp_path: Path, corpus: list[Path]) -> None:
    catalog, out = tmp_path / "catalog", tmp_path / "out"
    result = run("import", corpus[0].parent, "--catalog", catalog)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith(f"imported into {catalog}: ")
    assert "new structure" in result.output and "new version" in result.output
    result = run("build", "--catalog", catalog, "--out", out, "--target", "sosmeta-json")
    assert result.exit_code == 0, result.output
    for source in corpus:
        assert (out / "sosmeta-json" / source.name).read_bytes() == source.read_bytes()
    again = run("import", corpus[0].parent, "--catalog", catalog)
    assert f"{len(corpus)} unchanged" in again.output


def test_catalog_layout_and_conflicting_version(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    assert run("import", EXAMPLE_SOURCE, "--catalog", catalog).exit_code == 0
    stored = catalog / "1.2.246.537.6.1506.99001" / "2025-01-15.json"
    assert stored.read_bytes() == EXAMPLE_SOURCE.read_bytes()
    changed = tmp_path / "changed.json"
    data = json.loads(EXAMPLE_SOURCE.read_text(encoding="utf-8"))
    data["sosmeta"]["documentSubject"] = "Muutettu"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused = run("import", changed, "--catalog", catalog)
    assert refused.exit_code == 2 and "--replace" in refused.output
    assert stored.read_bytes() == EXAMPLE_SOURCE.read_bytes()
    replaced = run("import", changed, "--catalog", catalog, "--replace")
    assert replaced.exit_code == 0 and "replaced" in replaced.output
    assert "Muutettu" in stored.read_text(encoding="utf-8")


def test_list_show_and_lint(tmp_path: Path, corpus: list[Path]) -> None:
    catalog = tmp_path / "catalog"
    run("import", *corpus[:3], EXAMPLE_SOURCE, "--catalog", catalog)
    listed = json.loads(run("list", "--catalog", catalog, "--json").output)
    assert len(listed) == 4
    assert {"oid", "version", "status", "document_type", "subject", "title", "elements"} <= set(listed[0])
    shown = run("show", "1.2.246.537.6.1506.99001@2025-01-15", "--catalog", catalog)
    assert shown.exit_code == 0
    assert "henkilotunnus" in shown.output and "Tunnus" in shown.output and "[EP]" in shown.output
    missing = run("show", "1.2.3.4", "--catalog", catalog)
    assert missing.exit_code == 2 and "no structure" in missing.output
    linted = run("lint", "--catalog", catalog)
    assert linted.exit_code == 0 and "structures," in linted.output
    assert run("lint", "--codes").output.count("\n") >= 10


def test_build_lists_targets_and_refuses_unknown(tmp_path: Path) -> None:
    assert "sosmeta-json" in run("build", "--list-targets").output
    run("import", EXAMPLE_SOURCE, "--catalog", tmp_path / "c")
    result = run("build", "--catalog", tmp_path / "c", "--target", "nonesuch")
    assert result.exit_code == 2 and "unknown target" in result.output


def test_workspace_makes_plain_commands_work(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(EXAMPLE, workspace, ignore=shutil.ignore_patterns("catalog"))
    (workspace / "sosmeta.toml").write_text(
        '[workspace]\ncatalog = "catalog"\noutput = "out"\nsources = ["sources"]\ntargets = ["sosmeta-json"]\n',
        encoding="utf-8",
    )
    assert run("--workspace", workspace, "import").exit_code == 0
    result = run("--workspace", workspace, "build")
    assert result.exit_code == 0, result.output
    built = workspace / "out" / "sosmeta-json" / "1.2.246.537.6.1506.99001.2025.1.15.json"
    assert built.read_bytes() == EXAMPLE_SOURCE.read_bytes()


def test_no_catalog_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("list")
    assert result.exit_code == 2 and "--catalog" in result.output


def test_failed_build_leaves_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, out = tmp_path / "c", tmp_path / "out"
    run("import", EXAMPLE_SOURCE, "--catalog", catalog)
    assert run("build", "--catalog", catalog, "--out", out).exit_code == 0
    before = sorted(p.name for p in (out / "sosmeta-json").iterdir())

    def explode(ctx: BuildContext) -> None:
        ctx.write("partial.json", b"{")
        raise RuntimeError("generator failed")

    broken = {"sosmeta-json": Target("sosmeta-json", "broken", explode)}
    monkeypatch.setattr("sosmeta.cli.discover", lambda: broken)
    result = run("build", "--catalog", catalog, "--out", out)
    assert result.exit_code != 0
    assert sorted(p.name for p in (out / "sosmeta-json").iterdir()) == before
    assert not any(p.name.startswith(".") and p.name != LOCK_FILE for p in out.iterdir())  # no leftovers


def test_conflicting_version_says_where_it_differs_without_values(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    assert run("import", EXAMPLE_SOURCE, "--catalog", catalog).exit_code == 0
    data = json.loads(EXAMPLE_SOURCE.read_text(encoding="utf-8"))
    data["sosmeta"]["documentSubject"] = "Salainen aihe"
    document = next(iter(data["properties"].values()))
    document["sosmeta"]["name"][0]["value"] = "Salainen nimi"
    del data["sosmeta"]["documentAuthor"]
    for number in range(6):
        document["sosmeta"][f"lisa{number}"] = "arvo"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused = run("import", changed, "--catalog", catalog)
    assert refused.exit_code == 2
    assert "differs at /sosmeta/documentAuthor removed, /sosmeta/documentSubject changed, " in refused.output
    assert "/sosmeta/name/0/value changed" in refused.output and "and 4 more places" in refused.output
    assert "Salainen" not in refused.output and "arvo" not in refused.output
    assert "use --replace" in refused.output


def test_list_sorts_oids_numerically(tmp_path: Path, corpus: list[Path]) -> None:
    catalog = tmp_path / "catalog"
    chosen = [p for p in corpus if p.stem.split(".")[6] in ("1006", "10010", "9001", "1505")]
    assert run("import", *chosen, "--catalog", catalog).exit_code == 0
    listed = [(r["oid"], r["version"]) for r in json.loads(run("list", "--catalog", catalog, "--json").output)]
    assert len({oid for oid, _ in listed}) >= 3
    assert listed == sorted(listed, key=lambda r: (tuple(map(int, r[0].split("."))), r[1]))
    assert [oid for oid, _ in listed].index("1.2.246.537.6.1506.1006") < [oid for oid, _ in listed].index(
        "1.2.246.537.6.1506.10010"
    )
