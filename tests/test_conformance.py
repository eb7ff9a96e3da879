"""The conformance check refuses templates that widen a national structure, with located, coded findings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sosmeta.generators.examples import maximal_document
from sosmeta.generators.forms.conformance import check_organisation
from sosmeta.generators.validator import compile_validator
from sosmeta.sosmeta_import.organisation import load_organisation
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.organisation import Bilingual, Organisation, Template, template_path
from tests.conftest import CORPUS, load_corpus_structure, require_corpus

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_STRUCTURE = ROOT / "example" / "sources" / "perhetyon-seurantamerkinta.json"
EXAMPLE_ORG = ROOT / "example" / "orgs" / "jarvimaa-lastensuojelu.toml"
TEST_ORG = ROOT / "tests" / "data" / "orgs" / "merikaupunki-sijaishuolto.toml"

BAD = """[organisation]
name = { fi = "Huono", sv = "Dålig" }
oid = "1.2.3"
bilingual = true
[[template]]
structure = "1.2.246.537.6.1506.99001"
omit = ["asiakas/sukunimi", "asiakas/syntymaika", "asiakas/henkilotunnus"]
order = { "asiakas" = ["etunimet", "sukunimet"] }
[template.elements."tapaamiset/tapaamispaikka"]
codes = ["1", "7"]
instructions = { fi = "Vain suomeksi" }
[template.elements."asiakas/syntymaaika"]
default = "2024-13-01"
[template.elements."asiakas"]
max_items = 3
default = "x"
"""


def findings_for(tmp_path: Path, text: str) -> dict[str, tuple[str, str]]:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    found = check_organisation(load_organisation(path), [load_structure(EXAMPLE_STRUCTURE)])
    assert all(f.source == str(path) for f in found)
    return {f.location: (f.code, f.severity) for f in found}


def test_example_organisation_conforms() -> None:
    found = check_organisation(load_organisation(EXAMPLE_ORG), [load_structure(EXAMPLE_STRUCTURE)])
    assert [f for f in found if f.severity == "error"] == []


def test_widening_templates_are_refused_with_locations(tmp_path: Path) -> None:
    found = findings_for(tmp_path, BAD)
    assert found == {
        "template[0].omit[0]": ("org.omit_required", "error"),
        "template[0].omit[1]": ("org.path_unknown", "error"),
        "template[0].omit[2]": ("org.omit_conditional", "warning"),
        "template[0].order.asiakas[1]": ("org.order_unknown_child", "error"),
        'template[0].elements."tapaamiset/tapaamispaikka".codes[1]': ("org.code_unknown", "error"),
        'template[0].elements."tapaamiset/tapaamispaikka".instructions': ("org.missing_sv", "warning"),
        'template[0].elements."asiakas/syntymaaika".default': ("org.default_invalid", "error"),
        "template[0].elements.asiakas.max_items": ("org.repeat_limit_looser", "error"),
        "template[0].elements.asiakas.default": ("org.default_on_group", "warning"),
    }


def test_unknown_path_suggests_the_nearest(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BAD, encoding="utf-8")
    found = check_organisation(load_organisation(path), [load_structure(EXAMPLE_STRUCTURE)])
    (unknown,) = [f for f in found if f.code == "org.path_unknown"]
    assert "did you mean 'asiakas/syntymaaika'?" in unknown.message


def test_cli_exit_codes(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    run = [sys.executable, "-m", "sosmeta"]
    subprocess.run(
        [*run, "import", str(EXAMPLE_STRUCTURE), "--catalog", str(catalog)], check=True, cwd=ROOT, capture_output=True
    )
    ok = subprocess.run(
        [*run, "org", "check", str(EXAMPLE_ORG), "--catalog", str(catalog)], cwd=ROOT, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD, encoding="utf-8")
    refused = subprocess.run(
        [*run, "org", "check", str(bad), "--catalog", str(catalog)], cwd=ROOT, capture_output=True, text=True
    )
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr
    assert f"{bad}: template[0].omit[0]:" in refused.stderr and "[org.omit_required]" in refused.stderr
    twin = tmp_path / "twin.toml"
    twin.write_text(EXAMPLE_ORG.read_text(encoding="utf-8"), encoding="utf-8")
    both = subprocess.run(
        [*run, "org", "check", str(EXAMPLE_ORG), str(twin), "--catalog", str(catalog)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert both.returncode == 2 and "[org.id_duplicate]" in both.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text("[organisation\n", encoding="utf-8")
    unreadable = subprocess.run(
        [*run, "org", "check", str(broken), "--catalog", str(catalog)], cwd=ROOT, capture_output=True, text=True
    )
    assert unreadable.returncode == 2 and "not valid TOML" in unreadable.stderr


def test_build_refuses_a_workspace_with_a_bad_template(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "s.json").write_bytes(EXAMPLE_STRUCTURE.read_bytes())
    (tmp_path / "bad.toml").write_text(BAD, encoding="utf-8")
    (tmp_path / "sosmeta.toml").write_text(
        '[workspace]\nsources = ["sources"]\ntargets = ["sosmeta-json"]\n[organisations]\nfiles = ["bad.toml"]\n',
        encoding="utf-8",
    )
    run = [sys.executable, str(ROOT / "cli.py"), "--workspace", str(tmp_path)]
    subprocess.run([*run, "import"], check=True, capture_output=True)
    built = subprocess.run([*run, "build"], capture_output=True, text=True)
    assert built.returncode == 2 and "[org.omit_required]" in built.stderr
    checked = subprocess.run([*run, "org", "check"], capture_output=True, text=True)  # the workspace's files
    assert checked.returncode == 2 and f"{tmp_path / 'bad.toml'}: template[0].omit[0]" in checked.stderr
    assert not (tmp_path / "output" / "sosmeta-json").exists()  # nothing built from a refused template


@pytest.mark.shared
def test_test_organisation_conforms_to_its_shared_structure() -> None:
    require_corpus()
    structure = load_structure(CORPUS / "1.2.246.537.6.1506.15009.2024.11.28.json")
    found = check_organisation(load_organisation(TEST_ORG), [structure])
    assert [f for f in found if f.severity == "error"] == []
    broken = load_organisation(TEST_ORG)
    template = broken.templates[0].model_copy(update={"omit": ("asiakas",)})
    refused = check_organisation(broken.model_copy(update={"templates": (template,)}), [structure])
    assert [f.code for f in refused] == ["org.omit_required"]


def _remove(node: object, keys: tuple[str, ...]) -> None:
    """Delete `keys` (below the document element) from a document, in every repeat item."""
    if isinstance(node, list):
        for item in node:
            _remove(item, keys)
    elif isinstance(node, dict) and keys:
        if len(keys) == 1:
            node.pop(keys[0], None)
        elif keys[0] in node:
            _remove(node[keys[0]], keys[1:])


def _omit_structures() -> list[Path]:
    shared = CORPUS / "1.2.246.537.6.1506.15009.2024.11.28.json"
    return [EXAMPLE_STRUCTURE] + ([shared] if shared.is_file() else [])


@pytest.mark.parametrize("path", _omit_structures(), ids=lambda p: p.name)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_omit_check_agrees_with_the_validator(path: Path, data: st.DataObject) -> None:
    """A template's omissions are refused exactly when a fully filled document without them is invalid."""
    structure = load_corpus_structure(path)
    rows = [template_path(structure, loc) for loc in structure.rows()]
    omit = data.draw(st.lists(st.sampled_from(rows), max_size=4, unique=True))
    org = Organisation(
        id="t",
        name=Bilingual(fi="T"),
        oid="1.2.3",
        source="t.toml",
        templates=(Template(structure=structure.base_oid, omit=tuple(omit)),),
    )
    refused = [f for f in check_organisation(org, [structure]) if f.severity == "error"]
    assert {f.code for f in refused} <= {"org.omit_required"}
    document = maximal_document(structure)
    for omitted in omit:
        _remove(document[structure.document.key], tuple(omitted.split("/")))
    assert compile_validator(structure, "schema").is_valid(document) == (not refused)
