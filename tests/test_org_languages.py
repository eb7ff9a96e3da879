"""`org check`'s conformance findings in Finnish, Swedish and English: every text in three languages, the printed
line in the run's language with the same location and code, English for logs; no check writes a finding text
outside the catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from sosmeta.catalog import Catalog
from sosmeta.generators.forms.conformance import check_organisation
from sosmeta.generators.forms.conformance_texts import TEXTS
from sosmeta.messages import LANGS, Lang
from sosmeta.sosmeta_import.organisation import load_organisation
from tests.conftest import EXAMPLE, ROOT
from tests.test_cli_messages import placeholders, run

SOURCE = EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json"
ORG = """[organisation]
id = "kielitesti"
name = { fi = "Kielitestin hyvinvointialue" }
oid = "1.2.246.10.29999999.10.0"
bilingual = true

[[template]]
structure = "1.2.246.537.6.1506.99001"
omit = ["asiakas/sukunimi", "tapaamiset/tapaamispaika", ""]
order = { "tapaamiset" = ["kuvaus_tapaamisesta", "kuvaus_tapaamisesta"] }

[template.elements."tapaamiset/tapaamispaikka"]
codes = ["1", "77"]
max_items = 3
instructions = { fi = "Valitse" }

[template.elements."asiakas/sukunimi"]
default = "x"

[[template]]
structure = "1.2.246.537.6.1506.99009"
"""


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_finding_text_has_three_languages_with_the_same_placeholders(key: str) -> None:
    texts = [TEXTS[key].text(lang) for lang in LANGS]
    assert all(t.strip() for t in texts), key
    assert placeholders(texts[0]) == placeholders(texts[1]) == placeholders(texts[2]), key
    if re.search(r"[a-zåäö]{4}", re.sub(r"\{[^}]*\}|'[^']*'", "", texts[2])):
        assert texts[1] not in (texts[0], texts[2]), key  # written in Swedish, not copied


def _literal_findings(path: Path) -> list[str]:
    """Findings made with a literal or f-string message (the message is `_add`'s third, `OrgFinding`'s fifth)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        index = {"_add": 2, "OrgFinding": 4}.get(name)
        if index is not None and len(node.args) > index:
            arg = node.args[index]
            if isinstance(arg, ast.JoinedStr | ast.BinOp | ast.Constant):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_check_writes_a_finding_text_outside_the_catalogue() -> None:
    folder = ROOT / "generators" / "forms"
    files = [folder / "conformance.py", folder / "list_conformance.py"]
    assert [line for f in files for line in _literal_findings(f)] == []


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    catalog = tmp_path / "catalog"
    assert run("--lang", "en", "import", SOURCE, "--catalog", catalog).exit_code == 0
    org = tmp_path / "org.toml"
    org.write_text(ORG, encoding="utf-8")
    return catalog, org


def _finding_lines(lang: Lang, catalog: Path, org: Path) -> list[str]:
    result = run("--lang", lang, "org", "check", org, "--catalog", catalog)
    assert result.exit_code == 2, result.output
    return [line for line in result.output.splitlines() if line.startswith(("error: ", "warning: "))]


def test_org_check_speaks_the_language_asked_for_with_the_same_places_and_codes(setup: tuple[Path, Path]) -> None:
    catalog, org = setup
    found = {lang: _finding_lines(lang, catalog, org) for lang in LANGS}
    assert len(found["fi"]) == len(found["sv"]) == len(found["en"]) >= 10
    for fi, sv, en in zip(found["fi"], found["sv"], found["en"], strict=True):
        assert fi.split(": ")[:3] == sv.split(": ")[:3] == en.split(": ")[:3]
        assert fi.rsplit(" [", 1)[1] == sv.rsplit(" [", 1)[1] == en.rsplit(" [", 1)[1]
        assert len({fi, sv, en}) == 3, en
    codes = {line.rsplit(" [", 1)[1].rstrip("]") for line in found["en"]}
    assert {"org.omit_required", "org.path_unknown", "org.code_unknown", "org.missing_sv"} <= codes
    assert any("'Sukunimi' (rad 2) är obligatorisk i den nationella strukturen" in line for line in found["sv"])
    assert any("menade du 'tapaamiset/tapaamispaikka'?" in line for line in found["sv"])
    assert any("'Sukunimi' (rivi 2) on kansallisessa rakenteessa pakollinen" in line for line in found["fi"])
    (organisation,) = [load_organisation(org)]
    english = [str(f) for f in check_organisation(organisation, Catalog(catalog).structures())]
    assert sorted(found["en"]) == sorted(english)  # English stays what str() gives, for logs
