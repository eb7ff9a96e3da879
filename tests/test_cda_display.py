"""The display form: well-formed XHTML, every element with a value shown in structure order under its name,
hidden levels and titles respected, values written for people, identity codes masked, templates overridable."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from generators.cda.display import format_date, format_datetime, format_number, render_display
from structures.model import Element, Structure
from structures.representation import Representation as R
from structures.texts import pick
from tests.cda_support import example_documents, example_envelope
from tests.conftest import load_corpus_structure

XHTML = "{http://www.w3.org/1999/xhtml}"
HEADINGS = {f"{XHTML}h{n}" for n in range(2, 7)}
HETU_IN_TEXT = re.compile(r"[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]")


def parse(xhtml: str) -> etree._Element:
    return etree.fromstring(xhtml.encode("utf-8"))  # raises when not well-formed


def expected_titles(element: Element, value: Any, lang: str) -> list[str]:
    """Names a reader should see, in order, written from the definition of hiddenField/hiddenTitle."""
    if isinstance(value, list):
        flattened_away = element.hidden_field and _group(element)  # items show only their members
        if not value or (flattened_away and not any(_present(element, item) for item in value)):
            return []  # nothing to list: no heading over an empty list
        own = [] if element.hidden_title else [pick(element.name, lang) or element.key]
        return own + [t for item in value for t in inner_titles(element, item, lang)]
    own = (
        []
        if element.hidden_title or (element.hidden_field and _group(element))
        else [pick(element.name, lang) or element.key]
    )
    return own + inner_titles(element, value, lang)


def inner_titles(element: Element, value: Any, lang: str) -> list[str]:
    if not (_group(element) and isinstance(value, dict)):
        return []
    return [
        t for child in element.children if child.key in value for t in expected_titles(child, value[child.key], lang)
    ]


def _present(element: Element, item: Any) -> bool:
    return isinstance(item, dict) and any(child.key in item for child in element.children)


def _group(element: Element) -> bool:
    return element.representation in (R.GROUP, R.OTSIKKO) or bool(element.children)


def shown_titles(root: etree._Element) -> list[str]:
    body = root.find(f"{XHTML}div[@class='body']")
    return [h.text or "" for h in body.iter() if h.tag in HEADINGS]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_element_is_shown_in_order(corpus_path: Path, lang: str) -> None:
    structure = load_corpus_structure(corpus_path)
    envelope = example_envelope(structure, language=lang)
    for document in example_documents(structure, 2, seed=3):
        root = parse(render_display(structure, document, envelope))
        assert root.tag == f"{XHTML}div" and root.get("id") == "OID" + envelope.document_id
        body = document[structure.document.key]
        expected = [
            t
            for child in structure.document.children
            if child.key in body
            for t in expected_titles(child, body[child.key], lang)
        ]
        assert shown_titles(root) == expected
        assert root.findtext(f"{XHTML}h1") == envelope.title
        text = "".join(root.itertext())
        assert not HETU_IN_TEXT.search(text)  # identity codes appear only masked
        assert (envelope.client.id[:7] + "****") in text


def _structure(name: str) -> Structure:
    from tests.conftest import CORPUS, require_corpus

    if not (CORPUS / name).is_file():
        require_corpus()
        pytest.skip(f"{name} missing")
    return load_corpus_structure(CORPUS / name)


def _first(structure: Structure, rep: R) -> tuple[str, ...] | None:
    for loc in structure.rows():
        if loc.element.representation is rep and loc.repeated_ancestors == 0:
            return loc.keys
    return None


def _set(document: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    node = document
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def test_values_are_written_for_people(corpus_structures: list[Structure]) -> None:
    cases = [
        (R.PVM, "2024-03-05", "5.3.2024"),
        (R.KYTKIN, True, "Kyllä"),
        (R.KYTKIN, False, "Ei"),
        (R.HETKI, "2024-06-01T08:00:00Z", "1.6.2024 klo 11.00"),
        (R.MAARA, {"value": 1200.5, "code": "€"}, "1200,5 €"),
        (
            R.KOODI,
            {"system": "urn:oid:1.2.3", "code": "24", "display": "Lapsiperheiden palvelut"},
            "Lapsiperheiden palvelut",
        ),
        (R.TUNNUS, {"system": "urn:oid:1.2.246.21", "value": "010101A900R"}, "010101A****"),
        (R.TEKSTI, "<b>rivi</b>\ntoinen & kolmas", "<b>rivi</b>toinen & kolmas"),
        (R.NIMI, '<i>Aino</i> & "Åsa" <script>', '<i>Aino</i> & "Åsa" <script>'),
    ]
    for rep, value, shown in cases:
        structure = next((s for s in corpus_structures if _first(s, rep)), None)
        if structure is None:
            continue
        keys = _first(structure, rep)
        assert keys is not None
        document = {structure.document.key: {}}
        _set(document, keys, value)
        root = parse(render_display(structure, document, example_envelope(structure)))
        assert shown in "".join(root.itertext()), (rep, shown)
        assert "010101A900R" not in "".join(root.itertext())


def test_swedish_booleans_and_names(corpus_structures: list[Structure]) -> None:
    structure = next(s for s in corpus_structures if _first(s, R.KYTKIN))
    keys = _first(structure, R.KYTKIN)
    assert keys is not None
    document = {structure.document.key: {}}
    _set(document, keys, True)
    root = parse(render_display(structure, document, example_envelope(structure, language="sv")))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv"
    assert "Ja" in [p.text for p in root.iter(f"{XHTML}p")]


def test_partial_dates_times_and_numbers() -> None:
    assert [format_date(v) for v in ("2024-03-05", "2024-03", "2024", "x")] == ["5.3.2024", "3.2024", "2024", "x"]
    assert format_datetime("2024-01-15T10:05:00+02:00", "sv") == "15.1.2024 kl. 10.05"
    assert format_datetime("2024-01-15", "fi") == "15.1.2024"
    assert [format_number(v) for v in (3, 2.0, 2.5, -0.25)] == ["3", "2", "2,5", "-0,25"]


def test_organisation_templates_override_the_built_in_ones(corpus_structures: list[Structure], tmp_path: Path) -> None:
    structure = corpus_structures[0]
    document = example_documents(structure, 1)[0]
    (tmp_path / "display.xhtml.j2").write_text(
        '<div xmlns="http://www.w3.org/1999/xhtml" id="{{ body_id }}"><p class="own">{{ title }}</p></div>\n'
    )
    root = parse(render_display(structure, document, example_envelope(structure), templates=tmp_path))
    assert root.find(f"{XHTML}p[@class='own']").text == structure.fi_title


def test_element_markup_can_be_overridden_too(corpus_structures: list[Structure], tmp_path: Path) -> None:
    structure = corpus_structures[0]
    document = example_documents(structure, 1)[0]
    (tmp_path / "display_blocks.xhtml.j2").write_text(
        '{% macro open(event, level, title) %}{% if event == "value" %}<p class="own">{% endif %}{% endmacro %}'
        '{% macro close(event) %}{% if event == "value" %}</p>{% endif %}{% endmacro %}'
    )
    root = parse(render_display(structure, document, example_envelope(structure), templates=tmp_path))
    own = root.findall(f".//{XHTML}p[@class='own']")
    assert own and not root.findall(f".//{XHTML}div[@class='element']")
