"""Organisation templates: the TOML reader (located errors) and the workbook template columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from sosmeta.sosmeta_import.errors import InputError
from sosmeta.sosmeta_import.organisation import load_organisation, read_template_columns, template_from_rows
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.organisation import resolve_path, template_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ORG = ROOT / "example" / "orgs" / "jarvimaa-lastensuojelu.toml"
EXAMPLE_STRUCTURE = ROOT / "example" / "sources" / "perhetyon-seurantamerkinta.json"

HEADER = """[organisation]
name = { fi = "Testikunta", sv = "Testkommun" }
oid = "1.2.246.10.1.10.0"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "org.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_organisation_reads_and_every_path_resolves() -> None:
    org = load_organisation(EXAMPLE_ORG)
    structure = load_structure(EXAMPLE_STRUCTURE)
    assert org.bilingual and org.service_units and org.letterhead is not None
    (template,) = org.templates_for(structure)
    for path in template.paths():
        assert resolve_path(structure, path) is not None, path


def test_id_defaults_to_file_stem(tmp_path: Path) -> None:
    assert load_organisation(write(tmp_path, HEADER)).id == "org"


@pytest.mark.parametrize(
    ("body", "location"),
    [
        (
            '[[template]]\nstructure = "1.2"\n[template.elements."a/b"]\nmax_items = "many"\n',
            'template[0].elements."a/b".max_items',
        ),
        (
            '[[template]]\nstructure = "1.2"\n[template.elements."a/b"]\ncolour = "red"\n',
            'template[0].elements."a/b".colour',
        ),
        ('[[template]]\nomit = ["x"]\n', "template[0].structure"),
        ('[organisation.letterhead]\nsv = "x"\n', "organisation.letterhead.fi"),
        ('id = "../elsewhere"\n', "organisation.id"),
    ],
)
def test_mistakes_are_located_by_toml_key(tmp_path: Path, body: str, location: str) -> None:
    with pytest.raises(InputError) as caught:
        load_organisation(write(tmp_path, HEADER + body))
    assert [p.location for p in caught.value.problems] == [location]
    assert str(tmp_path / "org.toml") in str(caught.value)


def test_broken_toml_and_unknown_table(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not valid TOML"):
        load_organisation(write(tmp_path, HEADER + "oops = \n"))
    with pytest.raises(InputError, match="unknown table 'extra'"):
        load_organisation(write(tmp_path, HEADER + "[extra]\na = 1\n"))


def test_resolve_path_accepts_relative_absolute_and_row() -> None:
    structure = load_structure(EXAMPLE_STRUCTURE)
    for located in structure.rows():
        rel = template_path(structure, located)
        assert resolve_path(structure, rel) == located
        assert resolve_path(structure, located.key_path) == located
        assert resolve_path(structure, f"#{located.element.row_number}") == located
    assert resolve_path(structure, "asiakas/nope") is None


COLUMNS = [
    "Rivi",
    "Avainpolku",
    "Nimi",
    "Ohje (fi)",
    "Ohje (sv)",
    "Käytössä K/E",
    "Oletusarvo",
    "Käytetyt koodit",
    "Enintään",
]


def workbook_with(tmp_path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Rakenne"
    sheet.append(["Perhetyön seurantamerkintä"])  # a title row above the header, as THL's sheets have
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "rakenne.xlsx"
    book.save(path)
    return path


def test_workbook_columns_become_a_template(tmp_path: Path) -> None:
    structure = load_structure(EXAMPLE_STRUCTURE)
    book = workbook_with(
        tmp_path,
        [
            [1, "asiakas", "Asiakas", None, None, "K", None, None, None],
            [9, "tapaamiset/osallistujien_lukumaara", "Lkm", None, None, "E", None, None, None],
            [8, "tapaamiset/tapaamispaikka", "Paikka", "Valitse", "Välj", None, "1", "1, 2", None],
            [6, None, "Tapaamiset", None, None, None, None, None, 5],
            [16, "arvio/pisteet", "Pisteet", None, None, None, 3, None, None],
        ],
    )
    rows = read_template_columns(book)
    template = template_from_rows(structure.base_oid, rows, origin=str(book))
    assert template.omit == ("tapaamiset/osallistujien_lukumaara",)
    rule = template.elements["tapaamiset/tapaamispaikka"]
    assert rule.codes == ("1", "2") and rule.default == "1"
    assert rule.instructions is not None and (rule.instructions.fi, rule.instructions.sv) == ("Valitse", "Välj")
    assert rule.origin == "Rakenne!5:5"
    assert template.elements["#6"].max_items == 5
    assert resolve_path(structure, "#6") == structure.by_path(f"{structure.document.key}/tapaamiset")
    assert template.elements["arvio/pisteet"].default == 3


def test_workbook_bad_cell_is_located(tmp_path: Path) -> None:
    book = workbook_with(tmp_path, [[8, "tapaamiset/tapaamispaikka", "x", None, None, "ehkä", None, None, None]])
    with pytest.raises(InputError) as caught:
        template_from_rows("1.2", read_template_columns(book), origin=str(book))
    assert caught.value.problems[0].location == "Rakenne!3:3"


def test_toml_template_can_take_its_rules_from_a_workbook(tmp_path: Path) -> None:
    workbook_with(
        tmp_path,
        [
            [8, "tapaamiset/tapaamispaikka", "x", "Ohje", None, None, None, "1", None],
            [16, "arvio/pisteet", "x", None, None, "E", None, None, None],
        ],
    )
    org = load_organisation(
        write(
            tmp_path,
            HEADER + '[[template]]\nstructure = "1.2"\nworkbook = "rakenne.xlsx"\n'
            '[template.elements."arvio/jatkotoimet"]\ncodes = ["K"]\n',
        )
    )
    (template,) = org.templates
    assert template.omit == ("arvio/pisteet",)
    assert set(template.elements) == {"tapaamiset/tapaamispaikka", "arvio/jatkotoimet"}


texts = (
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(lambda t: bool(t) and not t.startswith("="))  # openpyxl stores "=..." as a formula
)
rule_rows = st.fixed_dictionaries(
    {
        "Ohje (fi)": st.none() | texts,
        "Ohje (sv)": st.none() | texts,
        "Käytössä K/E": st.sampled_from([None, "K", "E"]),
        "Oletusarvo": st.none() | st.integers(-999, 999) | texts.filter(lambda t: t[0] not in "{["),
        "Käytetyt koodit": st.none()
        | st.lists(st.from_regex(r"[A-Z0-9.]{1,4}", fullmatch=True), min_size=1, max_size=4),
        "Enintään": st.none() | st.integers(0, 99),
    }
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(rule_rows, min_size=1, max_size=6))
def test_workbook_round_trip(tmp_path: Path, rows: list[dict[str, object]]) -> None:
    """Rules written into workbook cells come back as the same template."""
    cells = [
        [
            i + 1,
            f"osa/kentta_{i}",
            "x",
            r["Ohje (fi)"],
            r["Ohje (sv)"],
            r["Käytössä K/E"],
            r["Oletusarvo"],
            ", ".join(r["Käytetyt koodit"]) if r["Käytetyt koodit"] else None,
            r["Enintään"],
        ]
        for i, r in enumerate(rows)
    ]
    book = workbook_with(tmp_path, cells)
    template = template_from_rows("1.2", read_template_columns(book))
    for i, r in enumerate(rows):
        path = f"osa/kentta_{i}"
        assert (path in template.omit) == (r["Käytössä K/E"] == "E")
        rule = template.elements.get(path)
        fi, sv = r["Ohje (fi)"], r["Ohje (sv)"]
        if fi or sv:
            assert rule is not None and rule.instructions is not None
            assert (rule.instructions.fi, rule.instructions.sv) == (fi or sv, sv)
        if r["Oletusarvo"] is not None:
            assert rule is not None and rule.default == r["Oletusarvo"]
        if r["Käytetyt koodit"]:
            assert rule is not None and rule.codes == tuple(r["Käytetyt koodit"])
        if r["Enintään"] is not None:
            assert rule is not None and rule.max_items == r["Enintään"]
        if not any(
            r[k] not in (None, []) for k in ("Ohje (fi)", "Ohje (sv)", "Oletusarvo", "Käytetyt koodit", "Enintään")
        ):
            assert rule is None


def test_rows_keyed_by_headers_as_written() -> None:
    """Row dicts may use the headers as a person writes them; `Koodit` (national accepted values) is not read."""
    rows = [{"Avainpolku": "a/b", "OHJE (FI)": "Ohje", "käytössä k/e": "e", "Koodit": "1", "Käytetyt koodit": "2 3"}]
    template = template_from_rows("1.2", rows)
    assert template.omit == ("a/b",)
    rule = template.elements["a/b"]
    assert rule.codes == ("2", "3") and rule.instructions is not None and rule.instructions.fi == "Ohje"
