"""The HTML preview in a real browser: Debian's chromium, driven headless by playwright.

Pages are generated into a temporary folder and opened as file:// URLs. Forms are filled the way a person
would (typing, choosing, adding repeats), the document is exported with the page's JSON button and checked
by the structure's validator; wrong dates and missing required data must be flagged on the page, and the
page must log no console errors. Outside CI the tests skip with a message when chromium or playwright is
missing; in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.generators.examples import example_documents, maximal_document, minimal_document
from sosmeta.generators.forms.codes import code_options
from sosmeta.generators.forms.conformance import validate_document
from sosmeta.generators.forms.variants import ORGANISATION_MODELS
from sosmeta.generators.html import TARGET as HTML
from sosmeta.generators.registry import BuildContext
from sosmeta.generators.strategies import documents
from sosmeta.generators.validator import compile_validator
from sosmeta.sosmeta_import.organisation import load_organisation
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import Element, Structure
from sosmeta.structures.representation import Representation as R
from tests.conftest import CORPUS, require_corpus

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_STRUCTURE = ROOT / "example" / "sources" / "perhetyon-seurantamerkinta.json"
EXAMPLE_ORG = ROOT / "example" / "orgs" / "jarvimaa-lastensuojelu.toml"
TEST_ORG = ROOT / "tests" / "data" / "orgs" / "merikaupunki-sijaishuolto.toml"
# Shared structures opened in the browser: repeats and code lists (turvakoti), the test organisation's
# structure, and a small one.
SHARED = [
    "1.2.246.537.6.1506.1011.2024.12.19",
    "1.2.246.537.6.1506.15009.2024.11.28",
    "1.2.246.537.6.1506.19001.2023.10.30",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Structure]]:
    """The preview site for the example structure and a few shared ones, with both organisations."""
    structures = [load_structure(EXAMPLE_STRUCTURE)]
    orgs = [load_organisation(EXAMPLE_ORG)]
    if os.environ.get("CI") == "true" or (CORPUS / f"{SHARED[0]}.json").is_file():
        require_corpus()
        structures += [load_structure(CORPUS / f"{oid}.json") for oid in SHARED]
        orgs.append(load_organisation(TEST_ORG))
    out = tmp_path_factory.mktemp("html")
    HTML.build(BuildContext(structures=structures, out_dir=out, options={ORGANISATION_MODELS: orgs}))
    return out, {s.version_oid: s for s in structures}


class Page:
    """An open page with console errors recorded."""

    def __init__(self, browser: Any, url: str) -> None:
        self.page = browser.new_page()
        self.page.set_default_timeout(5000)
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console.append(str(e)))
        self.page.goto(url)

    def close(self) -> None:
        self.page.close()
        assert self.console == [], self.console


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    pages: list[Page] = []

    def opener(path: Path) -> Any:
        pages.append(Page(browser, path.as_uri()))
        return pages[-1].page

    yield opener
    for page in pages:
        page.close()


# Typed values per widget, valid for every structure (dates real, numbers numbers, codes from the list).
VALUES = {
    "long-text": "Tapaaminen sujui hyvin.",
    "short-text": "Virtanen",
    "partial-date": "2024-05-06",
    "date-time": "2024-05-06T10:30:00+03:00",
    "number": "3,5",
    "count": "2",
    "identifier": "010101A123N",
}


def fill_everything(page: Any) -> None:
    """Add one item to every repeat (nested ones too), then fill every input as a person would."""
    for _ in range(6):  # each round reaches one more level of nested repeats
        empty = page.locator(".repeat:not(:has(> .items > .item)) > button.add:not([disabled])")
        if empty.count() == 0:
            break
        for _ in range(empty.count()):
            empty.nth(0).click()
    fields = page.locator(".field")
    for i in range(fields.count()):
        field = fields.nth(i)
        if not field.is_visible():
            continue
        widget = field.get_attribute("data-widget")
        if widget in VALUES:
            field.locator("[data-part=value]").fill(VALUES[widget])
        elif widget == "yes-no":
            field.locator("select").select_option("true")
        elif widget == "quantity":
            field.locator("[data-part=value]").fill("47,5")
            field.locator("[data-part=unit]").fill("%")
        elif widget == "code":
            select = field.locator("select[data-part=code]")
            if select.count():
                select.select_option(index=select.locator("option").count() - 1)
            else:
                system = field.locator("[data-part=system]")
                if system.count():
                    system.fill("urn:oid:1.2.246.537.6.1")
                if field.locator("[data-part=code]").input_value() == "":
                    field.locator("[data-part=code]").fill("1")
                    field.locator("[data-part=display]").fill("Selite")


def export(page: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    page.click("#show-json")
    document = json.loads(page.inner_text("#json-output"))
    errors = page.evaluate("window.sosmetaPreview.collect().errors.map(e => ({pointer: e.pointer, code: e.code}))")
    return document, errors


def page_path(out: Path, oid: str, org: str | None = None) -> Path:
    return out / (f"{org}/{oid}.html" if org else f"{oid}.html")


def all_variants(site: tuple[Path, dict[str, Structure]]) -> list[tuple[Path, Structure]]:
    out, structures = site
    pages = [(page_path(out, oid), s) for oid, s in structures.items()]
    pages += [(p, structures[p.stem]) for p in sorted(out.glob("*/*.html")) if p.stem in structures]
    return pages


def test_filled_forms_export_valid_documents(
    site: tuple[Path, dict[str, Structure]], open_page: Any, tmp_path: Path
) -> None:
    catalog = Catalog(tmp_path / "catalog")
    exported = []
    for path, structure in all_variants(site):
        catalog.add(structure)
        page = open_page(path)
        fill_everything(page)
        document, errors = export(page)
        assert errors == [], (path.name, errors)
        assert compile_validator(structure).is_valid(document), (path.name, validate_document(structure, document))
        key = structure.document.key
        assert list(document) == [key]
        repeats = [loc for loc in structure.rows() if loc.element.is_repeatable and loc.depth == 2]
        for loc in repeats:  # filled repeats come out as arrays
            if loc.element.key in document[key]:
                assert isinstance(document[key][loc.element.key], list)
        exported.append(tmp_path / f"{len(exported)}.json")
        exported[-1].write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--catalog", str(catalog.root), *map(str, exported)])
    assert result.exit_code == 0, result.output


def test_empty_form_flags_what_the_validator_requires(site: tuple[Path, dict[str, Structure]], open_page: Any) -> None:
    for path, structure in all_variants(site):
        page = open_page(path)
        document, errors = export(page)
        flagged = {e["pointer"] for e in errors}
        findings = compile_validator(structure).validate(document)
        expected = {f.pointer for f in findings if f.code == "schema.required"}
        assert expected <= flagged, (path.name, expected - flagged)
        assert flagged, path.name
        assert page.locator(".error:not([hidden])").count() >= len(flagged)


def test_wrong_dates_and_numbers_are_flagged(site: tuple[Path, dict[str, Structure]], open_page: Any) -> None:
    out, _ = site
    page = open_page(page_path(out, "1.2.246.537.6.1506.99001.2025.1.15"))
    date = page.locator(".field[data-widget=partial-date] input").first
    date.fill("2024-02-31")
    date.press("Tab")
    error = page.locator(".field[data-widget=partial-date] .error").first
    assert error.is_visible() and "kalenterissa" in error.inner_text()
    assert date.get_attribute("aria-invalid") == "true"
    date.fill("31.1.2024")
    date.press("Tab")
    assert "VVVV-KK-PP" in error.inner_text()
    date.fill("2024-02-29")  # a leap day is a real date
    date.press("Tab")
    assert not error.is_visible()
    page.click(".lang button[data-lang=sv]")
    date.fill("2023-02-29")
    date.press("Tab")
    assert "kalendern" in error.inner_text()
    _, errors = export(page)
    assert any(e["code"] == "calendar" for e in errors)
    page.click(".repeat[data-key=tapaamiset] > button.add")
    number = page.locator(".field[data-widget=count] input").first
    number.fill("kaksi")
    number.press("Tab")
    assert page.locator(".field[data-widget=count] .error").first.is_visible()
    hetu = page.locator(".field[data-key=henkilotunnus] input")
    hetu.fill("010101A123M")  # wrong check character
    hetu.press("Tab")
    assert "kontrolltecken" in page.inner_text(".field[data-key=henkilotunnus] .error")
    hetu.fill("010101A123N")
    hetu.press("Tab")
    assert not page.locator(".field[data-key=henkilotunnus] .error").is_visible()


def test_language_switch_and_organisation_defaults(site: tuple[Path, dict[str, Structure]], open_page: Any) -> None:
    out, structures = site
    structure = structures["1.2.246.537.6.1506.99001.2025.1.15"]
    page = open_page(page_path(out, structure.version_oid, "jarvimaa-lastensuojelu"))
    assert page.inner_text("h1") == structure.document.fi_name
    page.click(".lang button[data-lang=sv]")
    assert page.inner_text("h1") == structure.document.sv_name
    assert page.evaluate("document.documentElement.lang") == "sv"
    assert "Strandgatan" in page.inner_text(".letterhead")
    page.click("button.add")
    place = page.locator(".field[data-key=tapaamispaikka] select")
    assert place.locator("option").count() == 3  # narrowed to two codes + the empty choice
    assert place.input_value() == "1"  # the organisation's default
    assert page.locator(".field[data-key=pisteet]").count() == 0  # omitted by the template


def test_accessibility_basics(site: tuple[Path, dict[str, Structure]], open_page: Any) -> None:
    for path, _ in all_variants(site):
        page = open_page(path)
        page.evaluate("document.querySelectorAll('.repeat > button.add').forEach(b => b.click())")
        unlabelled = page.evaluate("""Array.from(document.querySelectorAll('input, select, textarea'))
            .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.id)""")
        assert unlabelled == [], (path.name, unlabelled)
        levels = page.evaluate("""Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role=heading]'))
            .map(h => h.getAttribute('aria-level') ? Number(h.getAttribute('aria-level')) : Number(h.tagName[1]))""")
        assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels)), path.name
        ids = page.evaluate("Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
        assert len(ids) == len(set(ids)), path.name
        assert "__R__" not in "".join(ids)


def test_keyboard_adds_and_removes_repeats(site: tuple[Path, dict[str, Structure]], open_page: Any) -> None:
    out, _ = site
    page = open_page(page_path(out, "1.2.246.537.6.1506.99001.2025.1.15", "jarvimaa-lastensuojelu"))
    add = page.locator(".repeat[data-key=tapaamiset] > button.add")
    add.focus()
    for _ in range(10):
        page.keyboard.press("Enter")
        add.focus()
    assert page.locator(".repeat[data-key=tapaamiset] > .items > .item").count() == 10
    assert add.is_disabled()  # the organisation's max_items
    page.keyboard.press("Shift+Tab")  # onto the last item's remove button
    page.keyboard.press("Enter")
    assert page.locator(".repeat[data-key=tapaamiset] > .items > .item").count() == 9


def test_index_search_and_filters(site: tuple[Path, dict[str, Structure]], open_page: Any) -> None:
    out, structures = site
    page = open_page(out / "index.html")
    rows = page.locator("table.index tbody tr")
    total = rows.count()
    assert total == len(all_variants(site))
    page.fill("#q", "seurantamerkintä")
    visible = [r for r in range(total) if rows.nth(r).is_visible()]
    assert len(visible) == 2  # the national page and the organisation's variant
    page.fill("#q", "")
    types = {s.document_type for s in structures.values()}
    page.select_option("#type", sorted(t for t in types if t)[0])
    assert 0 < sum(rows.nth(r).is_visible() for r in range(total)) < total or len(types) == 1
    page.select_option("#type", "")
    rows.nth(0).locator("a").click()
    assert page.locator("form#form").count() == 1


def test_screenshot(site: tuple[Path, dict[str, Structure]], browser: Any, tmp_path: Path) -> None:
    """A screenshot of the organisation variant; SOSMETA_SCREENSHOT_DIR keeps it (docs/img/)."""
    out, _ = site
    page = browser.new_page(viewport={"width": 1000, "height": 1300})
    page.goto(page_path(out, "1.2.246.537.6.1506.99001.2025.1.15", "jarvimaa-lastensuojelu").as_uri())
    page.click("button.add")
    page.fill(".field[data-key=sukunimi] input", "Virtanen")
    page.fill(".field[data-key=syntymaaika] input", "2015-02-30")
    page.press(".field[data-key=syntymaaika] input", "Tab")
    page.evaluate("window.scrollTo(0, 0)")
    shot = tmp_path / "form-preview.png"
    page.screenshot(path=str(shot), full_page=False)
    page.close()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keep = os.environ.get("SOSMETA_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)


def _is_section(e: Element) -> bool:
    return bool(e.children) or e.representation in (R.GROUP, R.OTSIKKO)


def _comparable(e: Element, value: Any) -> Any:
    """A value as the form can carry it: signatures are added at signing, a listed code's display is the
    form's label, an identifier has the structure's system, and optional groups holding nothing but fixed
    phrases are left out. None = left out."""
    if e.is_repeatable:
        items = [x for x in (_single(e, v) for v in value) if x is not None]
        return items or None
    return _single(e, value)


def _single(e: Element, value: Any) -> Any:
    if not _is_section(e):
        value = _as_typed(value, e.representation is R.TEKSTI)
    if _is_section(e):
        out = {c.key: r for c in e.children if c.key in value and (r := _comparable(c, value[c.key])) is not None}
        phrases = {c.key for c in e.children if c.representation is R.FRAASI}
        return None if set(out) <= phrases else out
    if e.representation is R.ALLEKIRJOITUS or value == "":
        return None  # an empty text is no entry in a form
    if isinstance(value, dict) and (value.get("code") == "" or value.get("value") == ""):
        return None  # nor is a code or identifier without its code or value
    if e.representation is R.KOODI and code_options(e):
        return {"system": value.get("system"), "code": value["code"]}
    if e.representation is R.TUNNUS and e.system_uri_value:  # the form carries the structure's system
        return {**value, "system": e.system_uri_value}
    return value


def test_documents_round_trip_through_the_form(site: tuple[Path, dict[str, Structure]], open_page: Any) -> None:
    """Realistic documents loaded into the national form come back out the same, and valid."""
    out, structures = site
    for oid, structure in structures.items():
        page = open_page(page_path(out, oid))
        documents = [maximal_document(structure), minimal_document(structure), *example_documents(structure, 3)]
        for i, original in enumerate(documents):
            page.reload()
            page.evaluate("d => window.sosmetaPreview.load(d)", original)
            result = page.evaluate("""() => { const r = window.sosmetaPreview.collect();
                return {document: r.document, errors: r.errors.map(e => e.pointer + ' ' + e.code)}; }""")
            assert result["errors"] == [], (oid, i, result["errors"])
            exported = result["document"]
            key = structure.document.key
            assert _comparable(structure.document, exported[key]) == _comparable(structure.document, original[key])
            assert compile_validator(structure).is_valid(exported), (oid, i)


def _as_typed(value: Any, multiline: bool) -> Any:
    """A value as a person's input keeps it: whitespace runs as one space, no edge spaces, line breaks
    dropped by one-line inputs (only Teksti is a text area); numbers as floats (a page writes
    2.7612386703435392e16 as 27612386703435390, the same double)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return " ".join((value if multiline else value.replace("\r", "").replace("\n", "")).split())
    if isinstance(value, dict):
        return {k: _as_typed(v, multiline) for k, v in value.items()}
    return value


def test_drawn_documents_round_trip_through_the_form(site: tuple[Path, dict[str, Structure]], browser: Any) -> None:
    """Documents drawn by hypothesis (arbitrary Unicode text, any numbers and dates the structure allows) go
    through the example form unchanged, apart from whitespace a text input does not keep."""
    out, structures = site
    structure = structures["1.2.246.537.6.1506.99001.2025.1.15"]
    page = Page(browser, page_path(out, structure.version_oid).as_uri())
    key = structure.document.key

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(documents(structure))
    def round_trip(original: dict[str, Any]) -> None:
        page.page.reload()
        page.page.evaluate("d => window.sosmetaPreview.load(d)", original)
        result = page.page.evaluate("() => window.sosmetaPreview.collect().document")
        assert _comparable(structure.document, result[key]) == _comparable(structure.document, original[key])

    round_trip()
    page.close()


_CELL_EDGES = """() => {
  const wrap = document.querySelector('.table-wrap');
  const box = wrap.getBoundingClientRect();
  const cells = [...document.querySelectorAll('table.index th, table.index td')]
    .filter(c => c.getClientRects().length && c.getBoundingClientRect().width > 1);
  const beyond = cells.filter(c => c.getBoundingClientRect().right > box.right + 0.5).map(c => c.textContent.trim());
  return {beyond, cells: cells.length, scroll: wrap.scrollWidth - wrap.clientWidth};
}"""


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The preview site of every shared structure (the longest names and subjects there are): index, count."""
    structures = [load_structure(path) for path in require_corpus()]
    out = tmp_path_factory.mktemp("corpus-html")
    HTML.build(BuildContext(structures=structures, out_dir=out, options={}))
    return out / "index.html", len(structures)


@pytest.mark.parametrize("width", [360, 1024, 1920])
def test_index_table_fits_its_box(browser: Any, corpus_index: tuple[Path, int], width: int) -> None:
    """No column's right edge beyond the table's box, at a phone's, a laptop's and a wide screen's width
    (the Aihe column was clipped at every width)."""
    index, count = corpus_index
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(index.as_uri())
        edges = page.evaluate(_CELL_EDGES)
    finally:
        page.close()
    assert edges["cells"] >= count * 5
    assert edges["beyond"] == [] and edges["scroll"] <= 0, edges["beyond"][:5]
