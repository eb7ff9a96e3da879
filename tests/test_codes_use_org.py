"""Organisation templates that narrow a Koodi element are checked against the catalog's stored list: on a
real export, with a dated list (service task) and a hierarchical one (social services)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.codestore import CodeStore
from sosmeta.generators.forms.definition import build_form
from sosmeta.generators.forms.list_conformance import check_organisation_with_lists
from sosmeta.sosmeta_import.organisation import load_organisation
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.model import Structure
from tests.codes_support import dated_list, hierarchical_list

pytestmark = pytest.mark.shared
FILE = "1.2.246.537.6.1506.9001.2023.5.31"
TEMPLATE = f"""
[organisation]
id = "jarvimaa-maksusitoumus"
name = {{ fi = "Järvimaan sosiaalipalvelut" }}
oid = "1.2.246.10.29999997.10.0"

[[template]]
structure = "{FILE}"

[template.elements."palvelutehtava"]
codes = ["10", "99", "20"]

[template.elements."sosiaalipalvelu"]
default = "2.9"
"""
WHERE = "template[0].elements"


@pytest.fixture(scope="module")
def structure(corpus_structures: list[Structure]) -> Structure:
    (found,) = [s for s in corpus_structures if s.version_oid == FILE]
    return found


@pytest.fixture
def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "jarvimaa.toml"
    path.write_text(TEMPLATE, encoding="utf-8")
    return path


def test_codes_not_in_the_stored_lists_are_located_errors(structure: Structure, org_file: Path) -> None:
    org = load_organisation(org_file)
    lists = CodeLists([dated_list(), hierarchical_list()])
    found = check_organisation_with_lists(org, [structure], lists, dt.date(2025, 6, 1))
    assert [(f.location, f.code, f.severity) for f in found] == [
        (f"{WHERE}.palvelutehtava.codes[1]", "org.code_not_in_list", "error"),
        (f"{WHERE}.palvelutehtava.codes[2]", "org.code_ended_in_list", "warning"),
        (f"{WHERE}.sosiaalipalvelu.default", "org.code_not_in_list", "error"),
    ]
    assert found[0].message == "code '99' is not in the code list 1.2.246.537.6.1221@201601 of 'Palvelutehtävä'"
    assert all(f.source == str(org_file) for f in found)
    # on a day code 20 was still valid it is fine; without stored lists nothing could be checked
    assert "org.code_ended_in_list" not in {
        f.code for f in check_organisation_with_lists(org, [structure], lists, dt.date(2018, 6, 1))
    }
    unchecked = check_organisation_with_lists(org, [structure], CodeLists())
    assert [(f.location, f.code) for f in unchecked] == [(f"{WHERE}.palvelutehtava.codes", "org.codes_unchecked")]


def test_org_check_and_build_refuse_a_template_naming_codes_not_in_the_list(
    tmp_path: Path, structure: Structure, org_file: Path
) -> None:
    catalog = tmp_path / "catalog"
    Catalog(catalog).add(structure)
    result = CliRunner().invoke(main, ["org", "check", str(org_file), "--catalog", str(catalog)])
    assert result.exit_code == 0, result.output  # no list stored: warnings only
    assert "org.codes_unchecked" in result.output
    CodeStore(catalog).write([dated_list(), hierarchical_list()])
    result = CliRunner().invoke(main, ["org", "check", str(org_file), "--catalog", str(catalog)])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {org_file}: {WHERE}.palvelutehtava.codes[1]: code '99' is not in the code list "
        "1.2.246.537.6.1221@201601 of 'Palvelutehtävä' [org.code_not_in_list]",
        f"error: {org_file}: {WHERE}.sosiaalipalvelu.default: code '2.9' is not in the code list "
        "1.2.246.537.6.1222@2018 of 'Sosiaalipalvelu' [org.code_not_in_list]",
    ]
    assert "org.codes_unchecked" not in result.output


def test_a_good_template_narrows_the_forms_options(tmp_path: Path, structure: Structure) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(
        TEMPLATE.replace('"10", "99", "20"', '"30", "10"').replace(
            'default = "2.9"', 'codes = ["1.2"]\ndefault = "1.2"'
        ),
        encoding="utf-8",
    )
    org = load_organisation(path)
    lists = CodeLists([dated_list(), hierarchical_list()])
    assert check_organisation_with_lists(org, [structure], lists, dt.date(2025, 6, 1)) == []
    form = build_form(structure, org, org.templates[0], lists=lists)
    by_key = {c["key"]: c for c in form["root"]["children"]}
    assert [o["code"] for o in by_key["palvelutehtava"]["options"]] == ["30", "10"]
    assert by_key["sosiaalipalvelu"]["options"] == [
        {"code": "1.2", "label": {"fi": "Palveluasuminen", "sv": "Serviceboende"}, "parent": "1"}
    ]
    assert by_key["sosiaalipalvelu"]["default"] == {
        "system": "urn:oid:1.2.246.537.6.1222",
        "code": "1.2",
        "display": "Palveluasuminen",
    }
