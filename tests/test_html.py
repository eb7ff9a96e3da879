"""The preview pages, read as HTML (lxml) for every shared structure and for random ones: every input is
labelled, ids are unique, headings go down one level at a time, nothing is loaded from outside the site,
and text from the structure is escaped."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from hypothesis import given, settings
from lxml import html

from sosmeta.generators.forms.definition import build_form
from sosmeta.generators.html.render import form_page
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import Structure
from sosmeta.structures.texts import LangText
from tests.awkward import awkward_structure
from tests.conftest import load_corpus_structure
from tests.model_strategies import structures

ROOT = Path(__file__).resolve().parent.parent


def check_page(structure: Structure) -> None:
    page = form_page(build_form(structure), depth=1)
    tree = html.fromstring(page)
    ids = [e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) == len(set(ids))
    labelled = {e.get("for") for e in tree.iter("label")}
    for control in tree.xpath("//input | //select | //textarea"):
        assert control.get("id") in labelled or control.get("aria-label"), control.get("id")
    for name in ("aria-describedby", "aria-labelledby"):
        for element in tree.xpath(f"//*[@{name}]"):
            assert set(element.get(name).split()) <= set(ids), (name, element.get(name))
    levels = [
        int(h.tag[1]) if h.tag != "p" else int(h.get("aria-level"))
        for h in tree.xpath("//h1 | //h2 | //h3 | //h4 | //h5 | //h6 | //*[@role='heading']")
        if not h.xpath("ancestor::template")
    ]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels))
    for attribute in ("src", "href"):
        for value in tree.xpath(f"//@{attribute}"):
            assert not value.startswith(("http:", "https:", "//")), value
    assert tree.xpath("//script[@src]")[0].get("src") == "../assets/preview.js"
    assert len(tree.xpath("//*[@data-key]")) >= structure.element_count  # every element rendered


def test_every_shared_structure_renders_an_accessible_page(corpus_path: Path) -> None:
    check_page(load_corpus_structure(corpus_path))


def test_structure_text_is_escaped() -> None:
    """Markup in a structure's texts stays text (jinja2 autoescape), in content and in attributes."""
    check_page(awkward_structure())
    structure = load_structure(ROOT / "example" / "sources" / "perhetyon-seurantamerkinta.json")
    evil = '<script>alert("x")</script> & "quotes" \'too\''
    texts = (LangText(lang="fi", value=evil), LangText(lang="sv", value=evil))
    first_child = structure.document.children[0].model_copy(update={"description": texts})
    document = structure.document.model_copy(
        update={"name": texts, "members": (first_child, *structure.document.members[1:])}
    )
    tree = html.fromstring(form_page(build_form(structure.model_copy(update={"document": document}))))
    assert [s.get("src") for s in tree.xpath("//script")] == ["assets/preview.js"]
    assert tree.xpath("//h1")[0].text_content() == evil
    assert tree.xpath("//h1//span")[0].get("data-sv") == evil
    assert evil in tree.xpath("//p[@class='description']")[0].text_content()


@settings(max_examples=30, deadline=None)
@given(structures())
def test_random_structures_render_accessible_pages(structure: Structure) -> None:
    check_page(structure)
