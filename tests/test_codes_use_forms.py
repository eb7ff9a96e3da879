"""Forms and the preview offer the codes of the catalog's lists with fi/sv labels: a dated list (service
task), a hierarchical one (social services), a long one (searchable), and codes another structure states
(suggestions); the preview is driven in headless Chromium like tests/test_browser.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sosmeta.generators.code_choices import LISTS_OPTION
from sosmeta.generators.forms import SCHEMA_FILE
from sosmeta.generators.forms import TARGET as FORMS
from sosmeta.generators.forms.definition import build_form
from sosmeta.generators.html import TARGET as HTML
from sosmeta.generators.html.render import SEARCH_AT
from sosmeta.generators.registry import BuildContext
from sosmeta.generators.validator.with_lists import ListedValidation
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.embedded import embedded_lists
from sosmeta.structures.codelists.model import Code, CodeList
from sosmeta.structures.model import Structure
from tests.codes_support import PROVENANCE, dated_list, hierarchical_list

pytestmark = pytest.mark.shared
FILE = "1.2.246.537.6.1506.9001.2023.5.31"
SUGGESTED = "1.2.246.537.6.1506.11035.2023.5.31"  # Ratkaisun laji states no codes; decision 11024 does
UNITS = "1.2.246.537.6.202"


def long_list() -> CodeList:
    """A list longer than SEARCH_AT (a register of service units), bilingual names."""
    places = ["Järvimaa", "Merikaupunki", "Metsälä", "Harjula"]
    codes = tuple(
        Code(
            code=f"1.2.246.10.{100 + i}",
            names={"fi": f"{places[i % 4]} yksikkö {i}", "sv": f"{places[i % 4]} enhet {i}"},
            status="ACTIVE",
        )
        for i in range(SEARCH_AT + 12)
    )
    return CodeList(
        classification=UNITS, version="1", name="SOTE-organisaatiorekisteri", provenance=PROVENANCE, codes=codes
    )


@pytest.fixture(scope="module")
def structures(corpus_structures: list[Structure]) -> dict[str, Structure]:
    return {s.version_oid: s for s in corpus_structures if s.version_oid in (FILE, SUGGESTED)}


@pytest.fixture(scope="module")
def lists(corpus_structures: list[Structure]) -> CodeLists:
    return CodeLists([dated_list(), hierarchical_list(), long_list()], embedded_lists(corpus_structures))


def fields(form: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any]) -> None:
        out[node["key"]] = node
        for child in node.get("children", ()):
            walk(child)

    walk(form["root"])
    return out


def test_form_options_come_from_the_lists(structures: dict[str, Structure], lists: CodeLists) -> None:
    form = build_form(structures[FILE], lists=lists)
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))).validate(form)
    by_key = fields(form)
    task = by_key["palvelutehtava"]
    assert task["codeSystem"]["list"] == "1.2.246.537.6.1221@201601"
    assert task["options"] == [  # the deleted code 40 is valid on no day: not offered
        {"code": "10", "label": {"fi": "Lastensuojelu", "sv": "Barnskydd"}, "begin": "2016-01-01"},
        {
            "code": "20",
            "label": {"fi": "Aikuissosiaalityö", "sv": "Socialt arbete för vuxna"},
            "begin": "2016-01-01",
            "expires": "2019-12-31",
        },
        {"code": "30", "label": {"fi": "Perhesosiaalityö"}, "begin": "2021-01-01"},
    ]
    service = by_key["sosiaalipalvelu"]["options"]
    assert [(o["code"], o.get("parent"), o["label"]["sv"]) for o in service] == [
        ("1", None, "Boendetjänster"),
        ("1.1", "1", "Stödboende"),
        ("1.2", "1", "Serviceboende"),
        ("2", None, "Hemservice"),
        ("2.1", "2", "Stödtjänster"),
    ]
    assert len(by_key["palveluyksikko"]["options"]) == SEARCH_AT + 12
    suggested = fields(build_form(structures[SUGGESTED], lists=lists))["ratkaisun_laji"]
    assert "options" not in suggested and [o["code"] for o in suggested["suggestions"]] == ["1", "2"]


def test_without_lists_forms_are_as_before(corpus_structures: list[Structure]) -> None:
    empty = CodeLists(embedded=[])
    for structure in corpus_structures[::3]:
        assert build_form(structure, lists=empty) == build_form(structure)


def test_forms_build_rebuilds_when_a_list_changes(
    tmp_path: Path, structures: dict[str, Structure], lists: CodeLists
) -> None:
    def build(code_lists: CodeLists, previous: Path | None) -> BuildContext:
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
        ctx = BuildContext([structures[FILE]], out, {LISTS_OPTION: code_lists}, previous=previous)
        FORMS.build(ctx)
        ctx.finish()
        return ctx

    first = build(lists, None)
    again = build(lists, first.out_dir)
    assert any(p.name == f"{FILE}.json" for p in again.reused)
    changed = CodeLists([dated_list(), hierarchical_list()])
    third = build(changed, again.out_dir)
    assert not any(p.name == f"{FILE}.json" for p in third.reused)
    form = json.loads((third.out_dir / f"{FILE}.json").read_text(encoding="utf-8"))
    assert "options" not in fields(form)["palveluyksikko"]


# ---- the preview in Chromium -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, structures: dict[str, Structure], lists: CodeLists) -> Path:
    out = tmp_path_factory.mktemp("html-codes")
    HTML.build(BuildContext(structures=list(structures.values()), out_dir=out, options={LISTS_OPTION: lists}))
    return out


@pytest.fixture
def page(browser: Any) -> Any:
    opened = browser.new_page()
    opened.set_default_timeout(5000)
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    yield opened
    opened.close()
    assert errors == []


def exported(page: Any) -> dict[str, Any]:
    page.click("#show-json")
    return json.loads(page.inner_text("#json-output"))  # type: ignore[no-any-return]


@pytest.mark.browser
def test_preview_offers_the_lists_codes_in_both_languages(
    site: Path, page: Any, structures: dict[str, Structure], lists: CodeLists
) -> None:
    page.goto((site / f"{FILE}.html").as_uri())
    task = page.locator(".field[data-key=palvelutehtava] select[data-part=code]")
    assert task.locator("option").all_inner_texts() == [
        "– valitse –",
        "Lastensuojelu",
        "Aikuissosiaalityö",
        "Perhesosiaalityö",
    ]
    task.select_option("10")
    page.locator(".field[data-key=sosiaalipalvelu] select[data-part=code]").select_option("1.1")
    body = exported(page)["sosiaalihuollon_maksusitoumus"]
    assert body["palvelutehtava"] == {"system": "urn:oid:1.2.246.537.6.1221", "code": "10", "display": "Lastensuojelu"}
    assert body["sosiaalipalvelu"]["display"] == "Tukiasuminen"
    page.click(".lang button[data-lang=sv]")
    assert task.locator("option").nth(1).inner_text() == "Barnskydd"
    doc = exported(page)
    assert doc["sosiaalihuollon_maksusitoumus"]["sosiaalipalvelu"]["display"] == "Stödboende"
    found = ListedValidation("full", lists).validate(structures[FILE], doc)
    assert not [f for f in found if f.code.startswith("codelist.")]


@pytest.mark.browser
def test_a_long_list_is_searchable(site: Path, page: Any) -> None:
    page.goto((site / f"{FILE}.html").as_uri())
    field = page.locator(".field[data-key=palveluyksikko]")
    select = field.locator("select[data-part=code]")
    assert field.locator("input.code-filter").count() == 1
    assert page.locator(".field[data-key=palvelutehtava] input.code-filter").count() == 0  # short: no search
    field.locator("input.code-filter").fill("merikaupunki")
    shown = select.evaluate("s => Array.from(s.options).slice(1).filter(o => !o.hidden).map(o => o.value)")
    assert shown == [f"1.2.246.10.{100 + i}" for i in range(SEARCH_AT + 12) if i % 4 == 1]
    field.locator("input.code-filter").fill("enhet 13")  # Swedish names are searched too
    shown = select.evaluate("s => Array.from(s.options).slice(1).filter(o => !o.hidden).map(o => o.value)")
    assert shown == ["1.2.246.10.113"]
    select.select_option("1.2.246.10.113")
    unit = exported(page)["sosiaalihuollon_maksusitoumus"]["maksusitoumus"]["maksusitoumuksen_antaja"]
    assert unit["palveluyksikko"]["display"] == "Merikaupunki yksikkö 13"
    field.locator("input.code-filter").fill("")
    assert select.evaluate("s => Array.from(s.options).filter(o => o.hidden).length") == 0


@pytest.mark.browser
def test_suggested_codes_fill_the_display_but_any_code_may_be_typed(site: Path, page: Any) -> None:
    page.goto((site / f"{SUGGESTED}.html").as_uri())
    field = page.locator(".field[data-key=ratkaisun_laji]")
    code = field.locator("input[data-part=code]")
    assert code.get_attribute("list")
    code.fill("2")
    assert field.locator("input[data-part=display]").input_value() == "Kielteinen ratkaisu"
    code.fill("1")
    assert field.locator("input[data-part=display]").input_value() == "Myönteinen ratkaisu"
    field.locator("input[data-part=display]").fill("Oma selite")
    code.fill("7")  # not a suggested code: kept, and the user's own display stays
    assert field.locator("input[data-part=display]").input_value() == "Oma selite"


def test_a_very_long_list_is_named_but_not_copied_into_the_form(structures: dict[str, Structure]) -> None:
    from sosmeta.generators.forms.codes import MAX_OPTIONS

    register = long_list().model_copy(
        update={"codes": tuple(Code(code=str(i), names={"fi": f"Yksikkö {i}"}) for i in range(MAX_OPTIONS + 1))}
    )
    unit = fields(build_form(structures[FILE], lists=CodeLists([register])))["palveluyksikko"]
    assert "options" not in unit and "suggestions" not in unit
    assert unit["codeSystem"]["list"] == f"{UNITS}@1"
