"""The display form: Kanta's soc-* layout (parity with the real sample), every element with a value shown in
structure order under its name, hidden levels and titles respected, values written for people, identity
codes masked, every value escaped, XHTML 1.1 elements only, no style inside, templates overridable."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from sosmeta.generators.cda.codec import decode
from sosmeta.generators.cda.display import (
    PREVIEW_STYLESHEET,
    format_date,
    format_datetime,
    format_number,
    mask_identity_code,
    preview_page,
    render_display,
)
from sosmeta.generators.cda.envelope import Envelope, build_envelope
from sosmeta.structures.model import Element, Structure
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.texts import pick
from tests.cda_support import example_documents, example_envelope
from tests.conftest import CORPUS, SHARED, load_corpus_structure, require_corpus, unavailable

XHTML = "{http://www.w3.org/1999/xhtml}"
HETU_IN_TEXT = re.compile(r"[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]")
SAMPLE = SHARED / "kanta-samples" / "asiakkuusasiakirja-document"
SAMPLE_STRUCTURE = "1.2.246.537.6.1505.1.2023.6.1.json"
V3 = "{urn:hl7-org:v3}"


def parse(xhtml: str) -> etree._Element:
    return etree.fromstring(xhtml.encode("utf-8"))  # raises when not well-formed


def classes(node: etree._Element) -> list[str]:
    return (node.get("class") or "").split()


def only(root: etree._Element, css_class: str) -> etree._Element:
    found = [n for n in root.iter() if css_class in classes(n)]
    assert len(found) == 1, css_class
    return found[0]


# ---- the outline a reader should see, written from the definition of hiddenField/hiddenTitle ------------------
def _group(element: Element) -> bool:
    return element.representation in (R.GROUP, R.OTSIKKO) or bool(element.children)


def expected(element: Element, value: Any, lang: str, depth: int) -> list[tuple[Any, ...]]:
    """("heading", level, title) for each block item's title (h1 for the document's own elements, h2, h3
    below), ("line", title or None) for each value."""
    occurrences = value if element.is_repeatable and isinstance(value, list) else [value]
    title = None if element.hidden_title else (pick(element.name, lang) or element.key)
    out: list[tuple[Any, ...]] = []
    if _group(element):
        for item in occurrences:
            inner = members(element, item, lang, depth if element.hidden_field else depth + 1)
            if inner and not element.hidden_field and title:
                out.append(("heading", min(depth, 3), title))
            out.extend(inner)
        return out
    if not occurrences:
        return []
    if depth == 1:  # a value of the document's own: a block of its own, its title as the heading
        return ([("heading", 1, title)] if title else []) + [("line", None)] * len(occurrences)
    return [("line", title)] * len(occurrences)


def members(element: Element, value: Any, lang: str, depth: int) -> list[tuple[Any, ...]]:
    if not isinstance(value, dict):
        return []
    return [
        t for child in element.children if child.key in value for t in expected(child, value[child.key], lang, depth)
    ]


def shown(root: etree._Element) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    wrapper = only(root, "soc-main-wrapper")
    for node in wrapper.iter(f"{XHTML}h1", f"{XHTML}h2", f"{XHTML}h3", f"{XHTML}p"):
        if "soc-title" in classes(node):
            out.append(("heading", int(node.tag[-1]), node.text))
        elif node.tag == f"{XHTML}p" and "soc-content" in classes(node.getparent()):
            out.append(("line", "".join(node.itertext())))
    return out


def same_outline(got: list[tuple[Any, ...]], want: list[tuple[Any, ...]]) -> None:
    assert [g[0] for g in got] == [w[0] for w in want]
    for g, w in zip(got, want, strict=True):
        if w[0] == "heading":
            assert g == w
        elif w[1] is not None:
            assert g[1].startswith(f"{w[1]}: "), (g, w)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_element_is_shown_in_order(corpus_path: Path, lang: str) -> None:
    structure = load_corpus_structure(corpus_path)
    envelope = example_envelope(structure, language=lang)
    for document in example_documents(structure, 2, seed=3):
        root = parse(render_display(structure, document, envelope))
        assert root.tag == f"{XHTML}div" and root.get("id") == "OID" + envelope.document_id
        assert classes(root) == ["soc-document"]
        same_outline(shown(root), members(structure.document, document[structure.document.key], lang, 1))
        assert only(root, "soc-fulltitle").text == envelope.title
        text = "".join(root.itertext())
        assert not HETU_IN_TEXT.search(text)  # identity codes appear only masked
        assert envelope.client.id[:6] + "*****" in text


# ---- Kanta's layout, and parity with the real sample -------------------------------------------------------------
def signature(node: etree._Element) -> str:
    """`div.soc-list`: the element kind and its soc-* classes (other classes are ours)."""
    soc = sorted(c for c in classes(node) if c.startswith("soc-"))
    return etree.QName(node).localname + "".join(f".{c}" for c in soc)


def patterns(root: etree._Element) -> set[tuple[str, str]]:
    """Every (parent, child) nesting, by signature."""
    return {(signature(node.getparent()), signature(node)) for node in root.iter() if node.getparent() is not None}


KANTA_LAYOUT = {  # docs/kanta-cda.md, "What real traffic shows"
    ("div.soc-document", "div.soc-header"),
    ("div.soc-header", "div.soc-logo"),
    ("div.soc-header", "div.soc-hdr1"),
    ("div.soc-header", "div.soc-hdr2"),
    ("div.soc-header", "div.soc-hdr3"),
    ("div.soc-document", "div.soc-main-wrapper"),
    ("div.soc-main-wrapper", "h1.soc-fulltitle"),
    ("div.soc-main-wrapper", "div.soc-list"),
    ("div.soc-list", "div.soc-item"),
    ("div.soc-item", "h1.soc-title"),
    ("div.soc-item", "div.soc-content"),
    ("div.soc-content", "p"),
    ("div.soc-document", "div.soc-footer"),
    ("div.soc-footer", "div.soc-ftr1"),
    ("div.soc-footer", "div.soc-ftr2"),
    ("div.soc-footer", "div.soc-ftr3"),
}


PAGE_LAYOUT = {p for p in KANTA_LAYOUT if p[0] in ("div.soc-document", "div.soc-header", "div.soc-footer")} | {
    ("div.soc-main-wrapper", "h1.soc-fulltitle")
}


def sample_display() -> etree._Element:
    """The sample's own display form: base64 inside the ClinicalDocument's `text` element."""
    if not SAMPLE.with_suffix(".xml").is_file():
        unavailable(f"the Kanta sample is missing: {SAMPLE}.xml")
    cda = etree.parse(str(SAMPLE.with_suffix(".xml"))).getroot()
    text = cda.find(f"{V3}component/{V3}nonXMLBody/{V3}text")
    return etree.fromstring(base64.b64decode("".join("".join(text.xpath("text()")).split())))


def sample_envelope(structure: Structure) -> Envelope:
    """An envelope with the sample's own header facts (test identities), read from its XML."""
    cda = etree.parse(str(SAMPLE.with_suffix(".xml"))).getroot()
    patient = cda.find(f"{V3}recordTarget/{V3}patientRole")
    name = patient.find(f"{V3}patient/{V3}name")
    custodian = cda.find(f".//{V3}representedCustodianOrganization")
    unit = cda.find(f".//{V3}encounterParticipant//{V3}representedOrganization")
    moment = dt.datetime.strptime(cda.find(f"{V3}effectiveTime").get("value"), "%Y%m%d%H%M%S%z")
    return build_envelope(
        {
            "document_id": cda.find(f"{V3}id").get("root"),
            "drafting_time": moment,
            "creation_time": moment,
            "language": cda.find(f"{V3}languageCode").get("code").lower(),
            "client": {
                "id": patient.find(f"{V3}id").get("extension"),
                "given": name.findtext(f"{V3}given"),
                "family": name.findtext(f"{V3}family"),
            },
            "author": {"time": moment},
            "register_keeper": {"oid": custodian.find(f"{V3}id").get("root"), "name": custodian.findtext(f"{V3}name")},
            "service_unit": {"oid": unit.find(f"{V3}id").get("root"), "name": unit.findtext(f"{V3}name")},
        },
        structure,
    )


def test_structural_parity_with_the_real_sample() -> None:
    """For the sample's JSON, every soc-* class and every nesting of the sample's display form (element kinds
    and classes) is in ours, and so is the whole layout kanta-cda.md describes."""
    theirs = sample_display()
    structure = load_corpus_structure(CORPUS / SAMPLE_STRUCTURE) if (CORPUS / SAMPLE_STRUCTURE).is_file() else None
    if structure is None:
        require_corpus()
        pytest.skip(f"{SAMPLE_STRUCTURE} missing")
    document = json.loads(SAMPLE.with_suffix(".json").read_bytes())
    envelope = sample_envelope(structure)
    ours = parse(render_display(structure, document, envelope))
    assert ours.get("id") == theirs.get("id")  # "OID" + the document id, as the sample has it
    their_classes = {c for n in theirs.iter() for c in classes(n) if c.startswith("soc-")}
    assert their_classes <= {c for n in ours.iter() for c in classes(n)}
    assert patterns(theirs) <= patterns(ours), patterns(theirs) - patterns(ours)
    assert patterns(ours) >= KANTA_LAYOUT, KANTA_LAYOUT - patterns(ours)
    assert signature(ours) == signature(theirs) == "div.soc-document"
    # the same organisation in soc-hdr1 and the same title in soc-fulltitle
    assert only(ours, "soc-hdr1").text == only(theirs, "soc-hdr1").text
    assert only(ours, "soc-fulltitle").text == only(theirs, "soc-fulltitle").text
    text = "".join(ours.itertext())
    assert "200111*****" in text and not HETU_IN_TEXT.search(text)


def test_every_structure_has_the_kanta_layout(corpus_structures: list[Structure]) -> None:
    for number, structure in enumerate(corpus_structures, start=1):
        document = example_documents(structure, 1, seed=9)[0]
        root = parse(render_display(structure, document, example_envelope(structure, number)))
        assert patterns(root) >= PAGE_LAYOUT, structure.version_oid
        for node in root.iter():  # the nesting rules of the layout, everywhere
            sig, parent = signature(node), node.getparent()
            if sig == "div.soc-item":
                assert signature(parent) == "div.soc-list"
                assert signature(node[-1]) == "div.soc-content" and len(node) <= 2
            if "soc-title" in classes(node):
                assert signature(parent) == "div.soc-item" and parent.index(node) == 0
            if sig == "div.soc-list":
                assert signature(parent) in ("div.soc-main-wrapper", "div.soc-content") and len(node) > 0


# ---- XHTML 1.1 and escaping ----------------------------------------------------------------------------------------
INLINE = {"br", "b", "i", "em", "strong", "span"}
CONTENT = {
    "div": INLINE | {"div", "p", "h1", "h2", "h3"},
    "p": INLINE,
    "h1": INLINE,
    "h2": INLINE,
    "h3": INLINE,
    "br": set(),
}
ATTRIBUTES = {"class", "id", "{http://www.w3.org/XML/1998/namespace}lang"}


def assert_xhtml11_without_style(root: etree._Element) -> None:
    """Only XHTML elements in the places XHTML 1.1 allows them (div: flow; p and headings: inline), no
    attribute but class, id and xml:lang, and so no style, script or link anywhere."""
    for node in root.iter():
        assert isinstance(node.tag, str) and node.tag.startswith(XHTML), node.tag
        name = node.tag[len(XHTML) :]
        assert name in CONTENT, name
        assert set(node.attrib) <= ATTRIBUTES, node.attrib
        for child in node:
            assert child.tag[len(XHTML) :] in CONTENT[name], (name, child.tag)


def test_valid_xhtml_without_any_style(corpus_structures: list[Structure]) -> None:
    for number, structure in enumerate(corpus_structures[::3], start=1):
        for lang in ("fi", "sv"):
            for document in example_documents(structure, 2, seed=number):
                xhtml = render_display(structure, document, example_envelope(structure, number, language=lang))
                assert_xhtml11_without_style(parse(xhtml))
                assert "style" not in xhtml.lower().replace("soc-", "")  # no style attribute, element or sheet


def _structure(name: str) -> Structure:
    if not (CORPUS / name).is_file():
        require_corpus()
        pytest.skip(f"{name} missing")
    return load_corpus_structure(CORPUS / name)


def _first(structure: Structure, rep: R, nested: bool | None = None) -> tuple[str, ...] | None:
    for loc in structure.rows():
        top = loc.depth == 2  # a child of the document element
        if loc.element.representation is rep and loc.repeated_ancestors == 0 and (nested is None or top != nested):
            return loc.keys
    return None


def _set(document: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    node = document
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def _with_value(structure: Structure, keys: tuple[str, ...], value: Any, **envelope: Any) -> etree._Element:
    document: dict[str, Any] = {structure.document.key: {}}
    _set(document, keys, value)  # keys start with the document element's key
    return parse(render_display(structure, document, example_envelope(structure, **envelope)))


HOSTILE = [
    "</p><script>alert(1)</script>",
    "]]><![CDATA[x",
    '"><img src=x onerror=alert(1)>',
    "&amp; &lt; & <!-- -->",
    "<?xml-stylesheet href='x.css'?>",
    "a\x00b\x0bc\ufffed",  # characters XML cannot carry: replaced, never passed on
    '<div class="soc-list"><p>fake</p></div>',
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_stay_text(corpus_structures: list[Structure], value: str) -> None:
    structure = next(s for s in corpus_structures if _first(s, R.TEKSTI, nested=True))
    keys = _first(structure, R.TEKSTI, nested=True)
    assert keys is not None
    before = {(n.tag, tuple(sorted(n.attrib.items()))) for n in _with_value(structure, keys, "x").iter()}
    root = _with_value(structure, keys, value)
    assert {(n.tag, tuple(sorted(n.attrib.items()))) for n in root.iter()} == before  # nothing injected
    assert not [n for n in root.iter() if not isinstance(n.tag, str)]  # no comment or processing instruction
    expected_text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "\ufffd", value)
    assert expected_text in "".join(root.itertext())


@pytest.mark.parametrize("field", ["organisation", "client", "unit"])
def test_hostile_envelope_texts_stay_text(corpus_structures: list[Structure], field: str) -> None:
    structure = corpus_structures[0]
    text = HOSTILE[0]
    overrides: dict[str, Any] = {
        "organisation": {"register_keeper": {"oid": "1.2.246.10.1234567.10.0", "name": text}},
        "client": {"client": {"id": "010101A900R", "given": text, "family": HOSTILE[2]}},
        "unit": {"service_unit": {"oid": "1.2.246.10.1234567.10.1", "name": text}},
    }[field]
    root = parse(
        render_display(structure, example_documents(structure, 1)[0], example_envelope(structure, **overrides))
    )
    assert not root.findall(f".//{XHTML}script") and not root.findall(f".//{XHTML}img")
    assert text in "".join(root.itertext())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=60))
def test_any_text_is_escaped(corpus_structures: list[Structure], value: str) -> None:
    structure = next(s for s in corpus_structures if _first(s, R.TEKSTI, nested=False))
    keys = _first(structure, R.TEKSTI, nested=False)
    assert keys is not None
    try:
        root = _with_value(structure, keys, value)
    except ValueError:  # a lone surrogate cannot be UTF-8: encode refuses such a document (cda.text)
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in value)
        return
    assert_xhtml11_without_style(root)
    shown_lines = ["".join(p.itertext()) for p in root.iter(f"{XHTML}p") if "soc-content" in classes(p.getparent())]
    cleaned = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "\ufffd", value).replace("\r", "\n")
    assert "".join(shown_lines).replace("\n", "") == cleaned.replace("\n", "")


# ---- values for people ---------------------------------------------------------------------------------------------
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
        (R.TUNNUS, {"system": "urn:oid:1.2.246.21", "value": "010101A900R"}, "010101*****"),
        (R.TUNNUS, {"system": "1.2.246.21", "value": "010101A900R"}, "010101*****"),  # the OID without urn:oid:
        (R.TEKSTI, "<b>rivi</b>\ntoinen & kolmas", "<b>rivi</b>toinen & kolmas"),
        (R.NIMI, '<i>Aino</i> & "Åsa" <script>', '<i>Aino</i> & "Åsa" <script>'),
    ]
    for rep, value, seen in cases:
        structure = next((s for s in corpus_structures if _first(s, rep)), None)
        if structure is None:
            continue
        keys = _first(structure, rep)
        assert keys is not None
        root = _with_value(structure, keys, value)
        assert seen in "".join(root.itertext()), (rep, seen)
        assert "010101A900R" not in "".join(root.itertext())


def test_identity_codes_are_masked_as_the_archive_shows_them(corpus_structures: list[Structure]) -> None:
    assert mask_identity_code("180418A903L") == "180418*****"
    assert mask_identity_code("010101-900R") == "010101*****"
    for odd in ("", "0101", "010101", "010101A9", "x" * 40, "010101 A900R"):  # not shaped like one: hidden whole
        assert mask_identity_code(odd) == "*****"
    # a Tunnus merely shaped like an identity code (a temporary identifier) is masked whatever its system
    keys = next(
        loc.keys
        for s in corpus_structures
        for loc in s.rows()
        if loc.element.representation is R.TUNNUS
        and loc.repeated_ancestors == 0
        and loc.element.key != "henkilotunnus"
        and loc.element.system_uri_value not in ("urn:oid:1.2.246.21", "1.2.246.21")
    )
    structure = next(s for s in corpus_structures if s.by_path("/".join(keys)) is not None)
    root = _with_value(structure, keys, {"system": "urn:oid:1.2.246.10.1234567.22.2024", "value": "010111A998W"})
    assert "010111*****" in "".join(root.itertext()) and "A998W" not in "".join(root.itertext())
    root = _with_value(structure, keys, {"system": "urn:oid:1.2.246.10.1234567.22.2024", "value": "ASIAKAS-42"})
    assert "ASIAKAS-42" in "".join(root.itertext())  # other identifiers are shown


def test_swedish_booleans_and_names(corpus_structures: list[Structure]) -> None:
    structure = next(s for s in corpus_structures if _first(s, R.KYTKIN))
    keys = _first(structure, R.KYTKIN)
    assert keys is not None
    root = _with_value(structure, keys, True, language="sv")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv"
    lines = ["".join(p.itertext()) for p in root.iter(f"{XHTML}p")]
    assert any(line == "Ja" or line.endswith(": Ja") for line in lines)
    assert only(root, "soc-ftr2").text.startswith("Upprättad")


def test_partial_dates_times_and_numbers() -> None:
    assert [format_date(v) for v in ("2024-03-05", "2024-03", "2024", "x")] == ["5.3.2024", "3.2024", "2024", "x"]
    assert format_datetime("2024-01-15T10:05:00+02:00", "sv") == "15.1.2024 kl. 10.05"
    assert format_datetime("2024-01-15", "fi") == "15.1.2024"
    assert [format_number(v) for v in (3, 2.0, 2.5, -0.25)] == ["3", "2", "2,5", "-0,25"]


def test_header_and_footer_carry_the_envelope(corpus_structures: list[Structure]) -> None:
    structure = next(s for s in corpus_structures if s.document_type == "Suunnitelma")
    envelope = example_envelope(structure, service_unit={"oid": "1.2.246.10.1234567.10.1", "name": "Perhepalvelut"})
    root = parse(render_display(structure, example_documents(structure, 1)[0], envelope))
    assert "".join(only(root, "soc-hdr1").itertext()) == "EsimerkkikuntaPerhepalvelut"
    assert only(root, "soc-hdr2").text == "Suunnitelma"  # the general document type
    assert only(root, "soc-hdr3").text == "28.11.2024"
    assert only(root, "soc-ftr1").text == "Laatija: Sanna Laine"
    assert envelope.document_id in only(root, "soc-ftr3").text
    client = root.find(f".//{XHTML}p[@class='client']")
    assert client is not None and "Esimerkki Aino" in "".join(client.itertext())


def test_an_envelope_without_title_or_author_name_still_renders(corpus_structures: list[Structure]) -> None:
    """What the client-relationship document has: no author, and (per the header work) maybe no title."""
    structure = corpus_structures[0]
    envelope = example_envelope(structure, author={"time": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)})
    untitled = envelope.model_copy(update={"title": None})
    root = parse(render_display(structure, example_documents(structure, 1)[0], untitled))
    assert only(root, "soc-fulltitle").text == pick(structure.document.name, "fi")
    assert only(root, "soc-ftr1").text is None


# ---- organisation templates and the preview stylesheet ----------------------------------------------------------
def test_organisation_templates_override_the_built_in_ones(corpus_structures: list[Structure], tmp_path: Path) -> None:
    structure = corpus_structures[0]
    document = example_documents(structure, 1)[0]
    (tmp_path / "display.xhtml.j2").write_text(
        '<div xmlns="http://www.w3.org/1999/xhtml" id="{{ body_id }}"><p class="own">{{ title }}</p></div>\n'
    )
    root = parse(render_display(structure, document, example_envelope(structure), templates=tmp_path))
    assert root.find(f"{XHTML}p[@class='own']").text == structure.fi_title


def test_one_block_of_the_page_can_be_overridden(corpus_structures: list[Structure], tmp_path: Path) -> None:
    structure = corpus_structures[0]
    (tmp_path / "display.xhtml.j2").write_text(  # the built-in page stays reachable as builtin/<name>
        '{% extends "builtin/display.xhtml.j2" %}{% block logo %}<b>{{ organisation }} &amp; co</b>{% endblock %}'
    )
    root = parse(
        render_display(structure, example_documents(structure, 1)[0], example_envelope(structure), templates=tmp_path)
    )
    assert "".join(only(root, "soc-logo").itertext()) == "Esimerkkikunta & co"
    assert only(root, "soc-main-wrapper") is not None  # the rest of the page is the built-in one


def test_element_markup_can_be_overridden_too(corpus_structures: list[Structure], tmp_path: Path) -> None:
    structure = corpus_structures[0]
    document = example_documents(structure, 1)[0]
    (tmp_path / "display_blocks.xhtml.j2").write_text(
        '{% macro open(event, level, title) %}{% if event == "value" %}<p class="own">{% endif %}{% endmacro %}'
        '{% macro close(event) %}{% if event == "value" %}</p>{% endif %}{% endmacro %}'
    )
    root = parse(render_display(structure, document, example_envelope(structure), templates=tmp_path))
    own = root.findall(f".//{XHTML}p[@class='own']")
    assert own and not [n for n in root.iter() if "soc-list" in classes(n)]


def test_preview_page_links_the_local_stylesheet_and_leaves_the_form_alone(corpus_structures: list[Structure]) -> None:
    structure = corpus_structures[0]
    display = render_display(structure, example_documents(structure, 1)[0], example_envelope(structure))
    page = parse(preview_page(display, stylesheet="../soc-preview.css", title="<esikatselu>"))
    link = page.find(f"{XHTML}head/{XHTML}link")
    assert link is not None and link.get("href") == "../soc-preview.css" and link.get("rel") == "stylesheet"
    assert page.findtext(f"{XHTML}head/{XHTML}title") == "<esikatselu>"
    form = page.find(f"{XHTML}body/{XHTML}div")
    assert etree.tostring(form, encoding="unicode", with_tail=False) == etree.tostring(
        parse(display), encoding="unicode"
    )
    sheet = PREVIEW_STYLESHEET.read_text(encoding="utf-8")
    for css_class in (
        "soc-document",
        "soc-header",
        "soc-main-wrapper",
        "soc-list",
        "soc-item",
        "soc-title",
        "soc-footer",
    ):
        assert f".{css_class}" in sheet
    assert "url(" not in sheet and "@import" not in sheet  # no external resources


def test_the_cda_build_writes_the_preview_stylesheet_beside_the_examples(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sosmeta.cli import main

    export = _structure(SAMPLE_STRUCTURE)
    runner = CliRunner()
    catalog, out = str(tmp_path / "catalog"), str(tmp_path / "out")
    assert runner.invoke(main, ["import", str(CORPUS / SAMPLE_STRUCTURE), "--catalog", catalog]).exit_code == 0
    result = runner.invoke(main, ["build", "--catalog", catalog, "--out", out, "--target", "cda"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "out" / "cda"
    assert (written / "soc-preview.css").read_bytes() == PREVIEW_STYLESHEET.read_bytes()
    decoded = decode((written / f"{export.version_oid}.xml").read_bytes(), with_display=True)
    assert decoded.display is not None and b"soc-preview" not in decoded.display and b"style" not in decoded.display


def test_an_identity_code_written_as_a_bare_string_is_masked_too(corpus_structures: list[Structure]) -> None:
    """An invalid document (encoded with --allow-invalid) may hold the code as a string, not a Tunnus object."""
    structure, keys = next(
        (s, loc.keys)
        for s in corpus_structures
        for loc in s.rows()
        if loc.element.key == "henkilotunnus" and loc.repeated_ancestors == 0
    )
    root = _with_value(structure, keys, "010101A900R")
    assert "010101A900R" not in "".join(root.itertext()) and "010101*****" in "".join(root.itertext())


@settings(max_examples=80, deadline=None)
@given(st.dates() | st.text(alphabet="0123456789-W", min_size=10, max_size=10))
def test_whole_dates_read_by_the_fast_path_as_by_their_parts(value: dt.date | str) -> None:
    """format_date reads `YYYY-MM-DD` with the C date parser; it must say what the pattern reading says."""
    text = value.isoformat() if isinstance(value, dt.date) else value
    match = re.fullmatch(r"(-?)([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text)
    if match is None:
        assert format_date(text) == text
        return
    day_month = [str(int(p)) for p in (match[4], match[3]) if p is not None]
    assert format_date(text) == ".".join([*day_month, match[1] + match[2]])
