"""The display form's generated element code (`display_code`) and page parts (`display_text.Page`) make the same
bytes as the paths they stand in for: the plan walker (`display_text.Compiled`, the reference), the blocks
template's macros over the rows (`display.Blocks.body` of `display.document_rows`) and the page template
rendered by jinja2. Compared without the check on first use that guards them at run time, so that a wrong
function cannot hide behind it: over every shared structure in Finnish and Swedish (the display's languages),
with the structures' example documents, the project's document strategy and documents of odd values (markup
characters, line breaks, characters XML cannot carry, empty strings, unicode, numbers, booleans, nested arrays,
values of the wrong shape) in every element."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta.generators.cda import display, display_code, display_text
from sosmeta.generators.cda.display import Plan
from sosmeta.structures.identifiers import HETU_FORMAT, hetu_problem
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation
from sosmeta.structures.representation import Representation as R
from tests.cda_strategies import envelopes, hetus
from tests.cda_support import document_strategy, example_documents, example_envelope
from tests.conftest import load_corpus_structure

LANGUAGES = ("fi", "sv")
_SETTINGS = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# ---- odd values ------------------------------------------------------------------------------------------------
_AWKWARD = "&<>\"'\n\r\t\x00\x01\x08\x0b\x0c\x1f\x7f\x85\u2028\ufffd\ufffe\uffff\u00a0 aZ09.,:-*äöåÅ€–😀\u0301"
_SHAPED = [
    "",
    " ",
    "010101A900X",
    "010101-9&<X",
    "31129+999Y.",
    "2024-03-05",
    "2024-02-30",
    "2024-3-5",
    "2024-03",
    "2024",
    "-0001",
    "0999-01-01",
    "2024-03-05T13:33:00Z",
    "2024-03-05T13:33:00+02:00",
    "2024-03-05T13:33",
    "2024-13-05T13:33:00Z",
    "T",
    "1.2.246.21",
    "urn:oid:1.2.246.21",
]
_PLAIN = "aZ09 .,:-*"


def _texts(awkward: str) -> st.SearchStrategy[str]:
    """Texts of a document: of plain letters and the document's own few awkward characters (so that one kind of
    markup character can be the only one in a document), shaped values and any text."""
    return st.text(st.sampled_from(_PLAIN + awkward), max_size=8) | st.sampled_from(_SHAPED) | st.text(max_size=6)


def _scalars(texts: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | texts


def _leaves(texts: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """Odd scalars, dictionaries shaped like codes, identifiers and quantities with odd values in every field,
    and (nested) lists."""
    scalars = _scalars(texts)
    fields = {"code": scalars, "display": scalars, "value": scalars, "system": texts, "system_name": texts}
    return (
        scalars
        | st.fixed_dictionaries({}, optional=fields)
        | st.lists(scalars | st.lists(scalars, max_size=2), max_size=3)
    )


def _typical(plan: Plan, texts: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """Values of the shape the element's representation expects (and its phrase), with odd texts in them."""
    numbers = st.integers(-(10**6), 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    by_rep: dict[R | None, st.SearchStrategy[Any]] = {
        R.KOODI: st.fixed_dictionaries({"code": texts}, optional={"display": texts, "system": texts}),
        R.TUNNUS: st.fixed_dictionaries(
            {"value": texts | hetus()}, optional={"system": st.sampled_from(["1.2.246.21", "1.2.3"]) | texts}
        ),
        R.KYTKIN: st.booleans(),
        R.NUMERO: numbers,
        R.LKM: st.integers(0, 10**9),
        R.MAARA: st.fixed_dictionaries({"value": numbers}, optional={"code": texts | _scalars(texts)}),
        R.MITTA: st.fixed_dictionaries({"value": numbers | _scalars(texts)}, optional={"code": texts}),
        R.PROSENTTI: st.fixed_dictionaries({"value": numbers}, optional={"code": st.just("%")}),
        R.PVM: st.dates().map(dt.date.isoformat) | texts,
        R.HETKI: st.datetimes(timezones=st.timezones() | st.none()).map(dt.datetime.isoformat) | texts,
    }
    typical = by_rep.get(plan.rep, texts)
    phrase = plan.phrase[""]
    return st.just(phrase) | typical if phrase is not None else typical


@st.composite
def odd_value(draw: st.DrawFn, plan: Plan, texts: st.SearchStrategy[str]) -> Any:
    """Any value for an element: mostly of its expected shape (a group: some of its members, each with any value
    of its own, once or in a list), else odd scalars, odd leaves or a list of them."""
    kind = draw(st.integers(0, 9))
    if not plan.group:
        if kind < 5:
            return draw(_typical(plan, texts))
        if kind < 8:
            return draw(_scalars(texts))
        return draw(_leaves(texts) if kind < 9 else st.lists(_typical(plan, texts) | _leaves(texts), max_size=3))
    if kind < 7:
        return _members(draw, plan, texts)
    if kind < 9:
        count = draw(st.integers(0, 3))
        return [_members(draw, plan, texts) if draw(st.booleans()) else draw(_leaves(texts)) for _ in range(count)]
    return draw(_leaves(texts))


def _members(draw: st.DrawFn, plan: Plan, texts: st.SearchStrategy[str]) -> dict[str, Any]:
    return {child.key: draw(odd_value(child, texts)) for child in plan.children if draw(st.integers(0, 3))}


def odd_documents(plan: Plan) -> st.SearchStrategy[dict[str, Any]]:
    """A document of `plan` with odd values anywhere (its texts with one to three awkward characters of its
    own), or an odd value in place of its body."""
    awkward = st.text(st.sampled_from(_AWKWARD), min_size=1, max_size=3)
    return awkward.flatmap(lambda chars: odd_value(plan, _texts(chars))).map(lambda body: {plan.key: body})


# ---- the paths compared ----------------------------------------------------------------------------------------
def _outcome(make: Any, *args: Any) -> tuple[str, Any]:
    """What a path makes of a document: its markup, or the kind of error it stops with (as the walker does, for a
    few malformed values)."""
    try:
        return "markup", make(*args)
    except (TypeError, ValueError, OverflowError) as exc:
        return "error", type(exc)


_GENERATED: dict[tuple[int, str], tuple[Plan, display_code.Body]] = {}


def _generated(root: Plan, lang: str) -> display_code.Body:
    """The generated function without the check on first use (the tests are the check)."""
    hit = _GENERATED.get((id(root), lang))
    if hit is None or hit[0] is not root:
        hit = _GENERATED[(id(root), lang)] = (root, display_code.generate(root, lang))
    return hit[1]


def assert_same_body(structure: Structure, document: dict[str, Any], lang: str) -> str:
    """The generated code's markup is the walker's and the blocks template's (rows through the macros)."""
    root = display.plan(structure)
    made = _outcome(_generated(root, lang), document)
    assert made == _outcome(display_text.compiled(root, lang).body, document)
    rows = _outcome(lambda doc: str(display.blocks(None).body(display.document_rows(structure, doc, lang))), document)
    assert made == rows
    return made[1] if made[0] == "markup" else ""


def test_every_structure_and_language_as_the_walker_and_the_templates(corpus_structures: list[Structure]) -> None:
    """The real exports' example documents, every structure in both languages, whole display forms too: the
    fast path (`render_display`) equals jinja2 from the rows (`render_templates`)."""
    assert len(corpus_structures) >= 62
    for number, structure in enumerate(corpus_structures, start=1):
        for lang in LANGUAGES:
            envelope = example_envelope(structure, number, language=lang)
            for document in example_documents(structure, 3, seed=number):
                assert assert_same_body(structure, document, lang)
                assert display.render_display(structure, document, envelope) == display.render_templates(
                    structure, document, envelope
                )


@_SETTINGS
@given(data=st.data(), lang=st.sampled_from(LANGUAGES))
def test_odd_values_as_the_walker_and_the_templates(corpus: list[Path], data: st.DataObject, lang: str) -> None:
    """Any document of a real structure, with odd values in any element (or in place of the whole body)."""
    structure = load_corpus_structure(data.draw(st.sampled_from(corpus), label="structure"))
    document = data.draw(odd_documents(display.plan(structure)), label="document")
    assert_same_body(structure, document, lang)


@settings(_SETTINGS, max_examples=50)
@given(data=st.data(), lang=st.sampled_from(LANGUAGES))
def test_valid_documents_as_the_walker_and_the_templates(corpus: list[Path], data: st.DataObject, lang: str) -> None:
    """The project's strategy for valid documents of a real structure."""
    structure = load_corpus_structure(data.draw(st.sampled_from(corpus), label="structure"))
    assert_same_body(structure, data.draw(document_strategy(structure), label="document"), lang)


ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -7,
    10**20,
    1.5,
    -0.0,
    1e300,
    float("nan"),
    "",
    "x\ny\r\n",
    [],
    [1, [2, "<"]],
    {},
    {"code": "<K>", "display": ""},
    {"code": None, "display": 3},
    {"display": ["&"]},
    {"value": "010101A900X"},
    {"value": "1.2.3&", "system": "1.2.246.21"},
    {"value": 3, "code": "€ <"},
    {"value": True},
    {"value": None, "code": "kg"},
    {"value": 2.5, "code": 7},
    {"value": 1, "code": ["m"]},
    {"value": "12", "code": "kg"},
    {"value": ["010101A900X"]},
    {"code": "K", "display": "Kyllä\n<b>"},
    {"code": None, "display": None},
    *_SHAPED,
]


def test_every_element_of_every_structure_with_odd_values(corpus_structures: list[Structure]) -> None:
    """Each odd value in every element of a structure at once (groups as one occurrence of their members, and
    as the value itself), every structure, both languages."""
    for structure in corpus_structures:
        root = display.plan(structure)
        for value in ODD_VALUES:
            for document in (_filled(root, value, False), _filled(root, value, True)):
                for lang in LANGUAGES:
                    assert_same_body(structure, document, lang)


def test_escaping_is_exact_for_every_awkward_character(corpus_structures: list[Structure]) -> None:
    """Each awkward character alone, doubled and inside a text, in every element of the five largest structures
    at once: the markup is the walker's, and no raw `<`, `&` or control character of a value reaches it."""
    largest = sorted(corpus_structures, key=lambda s: -len(json.dumps(example_documents(s, 1)[0])))[:5]
    for structure in largest:
        root = display.plan(structure)
        for character in _AWKWARD:
            for text in (character, character * 2, f"a{character}b"):
                for lang in LANGUAGES:
                    markup = assert_same_body(structure, _filled(root, text, False), lang)
                    assert "\x00" not in markup and "\x1f" not in markup and "\ufffe" not in markup
                    if character in "<&":
                        assert f"a{character}b" not in markup


def _filled(plan: Plan, value: Any, groups_too: bool) -> dict[str, Any]:
    """A document with `value` in every element that takes one, its groups one occurrence of their members
    (`groups_too`: the innermost groups hold `value` itself)."""

    def fill(node: Plan) -> Any:
        if node.group:
            if groups_too and not any(child.group for child in node.children):
                return value
            return {child.key: fill(child) for child in node.children}
        return [value] if node.repeatable else value

    return {plan.key: fill(plan)}


# ---- deep plans and the check on first use --------------------------------------------------------------------
def _chain(depth: int, repeatable: bool) -> Plan:
    """A plan of `depth` nested groups (deeper than Python lets one function nest its blocks) with a text at
    the bottom."""
    titles: dict[str, str | None] = {"fi": "Otsikko <&>", "sv": None}
    phrase: dict[str, str | None] = {"fi": None, "sv": None, "": None}
    leaf = Plan(
        "arvo", titles, R.TEKSTI, False, False, False, False, {"fi": None, "sv": None, "": None}, (), True, True
    )
    node = leaf
    for level in range(depth):
        node = Plan(f"g{level}", titles, R.GROUP, True, level % 5 == 4, repeatable, False, phrase, (node,), False, True)
    return Plan("juuri", titles, R.GROUP, True, False, False, False, phrase, (node,), False, True)


@pytest.mark.parametrize("repeatable", [False, True])
def test_plans_deeper_than_a_function_can_nest(repeatable: bool) -> None:
    root = _chain(80, repeatable)
    value: Any = {"arvo": "x & y\n<z>"}
    for level in range(80):
        value = {f"g{level}": [value] if repeatable and level % 2 else value}
    document = {"juuri": value}
    for lang in LANGUAGES:
        text, _ = display_code.source(root, lang)
        assert "def _members" in text  # the members of deep groups went into functions of their own
        made = display_code.generate(root, lang)(document)
        assert made == display_text.compiled(root, lang).body(document)
        assert "x &amp; y<br />&lt;z&gt;" in made


def test_a_function_that_differs_from_the_walker_on_its_first_document_is_never_used(
    corpus_structures: list[Structure], monkeypatch: pytest.MonkeyPatch
) -> None:
    structure = corpus_structures[0]
    root = display.plan(structure)
    document = example_documents(structure, 1)[0]
    monkeypatch.setattr(display_code, "_BODIES", {})
    monkeypatch.setattr(display_code, "generate", lambda root, lang: lambda document: "<p>wrong</p>")
    walker = display_text.compiled(root, "fi").body
    assert display_code.body(root, "fi")(document) == walker(document)
    assert display_code.body(root, "fi") == walker  # from then on the walker
    monkeypatch.setattr(display_code, "_BODIES", {})
    monkeypatch.setattr(display_code, "generate", lambda root, lang: lambda document: walker(document))
    display_code.body(root, "fi")(document)
    assert display_code.body(root, "fi") != walker  # the same markup: the generated function stays


def test_a_plan_python_cannot_compile_is_walked(
    corpus_structures: list[Structure], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = display.plan(corpus_structures[1])

    def refuse(root: Plan, lang: str) -> display_code.Body:
        raise SyntaxError("too many statically nested blocks")

    monkeypatch.setattr(display_code, "_BODIES", {})
    monkeypatch.setattr(display_code, "generate", refuse)
    assert display_code.body(root, "sv") == display_text.compiled(root, "sv").body


# ---- the page --------------------------------------------------------------------------------------------------
letterheads = st.none() | st.builds(
    lambda fi, sv: Organisation(id="org", name={"fi": fi, "sv": sv}, oid="1.2.246.10.1", letterhead={"fi": fi}),
    st.text(st.sampled_from("&<>\"'% aä\n{}"), min_size=1, max_size=8),
    st.none() | st.text(st.sampled_from("&<>\"'% sv"), min_size=1, max_size=8),
)


@settings(_SETTINGS, max_examples=150)
@given(data=st.data(), body=st.sampled_from(["", "<p>x</p>\n", "%s %% {body}"]))
def test_the_page_is_the_template_rendered_by_jinja2(corpus: list[Path], data: st.DataObject, body: str) -> None:
    """Any envelope (markup characters, `%` and line breaks in every text; every optional field or none) and
    organisation file: the page from its pattern's parts is jinja2's page, byte for byte."""
    structure = load_corpus_structure(data.draw(st.sampled_from(corpus), label="structure"))
    envelope = data.draw(envelopes(structure.version_oid), label="envelope")
    profile = data.draw(letterheads, label="profile")
    lang = envelope.language
    values = display.page_values(structure, envelope, profile, lang)
    page = display_text._page(lang, values)
    assert page.usable
    expected = display.environment(None).get_template(display.TEMPLATE).render(display_text.context(lang, values, body))
    assert page.render(values, body) == expected
    context = {
        **display.page_context(structure, envelope, profile, lang),
        "rows": [],
        "body": display.markupsafe.Markup(body),
    }
    assert display.environment(None).get_template(display.TEMPLATE).render(context) == expected


@given(given_name=st.none() | st.text(max_size=3), family=st.none() | st.text(max_size=3), family_first=st.booleans())
def test_names_are_their_parts_joined(given_name: str | None, family: str | None, family_first: bool) -> None:
    parts = (family, given_name) if family_first else (given_name, family)
    assert display._person(given_name, family, family_first) == (" ".join(p for p in parts if p) or None)


@given(st.text(st.sampled_from("0123456789+-ABCDEFUVWXY*&é\u0660"), min_size=9, max_size=12) | hetus() | st.text())
def test_the_shape_of_an_identity_code_is_what_hetu_problem_says(value: str) -> None:
    assert display.hetu_shaped(value) == (hetu_problem(value) != HETU_FORMAT)


# ---- the on-disk cache of compiled display code ----------------------------------------------------------------
def test_compiled_display_code_is_cached_and_a_bad_entry_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOSMETA_CACHE_DIR", str(tmp_path / "cache"))
    text, name = "def body(value):\n    return 'x' + str(value)\n", "<sosmeta display test fi>"
    calls: list[str] = []
    real = compile

    def counting(source: Any, filename: str, mode: str) -> Any:
        calls.append(filename)
        return real(source, filename, mode)

    monkeypatch.setattr("builtins.compile", counting)
    first = display_code.compiled_code(text, name)
    again = display_code.compiled_code(text, name)
    assert calls == [name]  # the second came from the cache folder
    assert first.co_filename == again.co_filename == name
    namespace: dict[str, Any] = {}
    exec(again, namespace)
    assert namespace["body"](5) == "x5"
    entries = list((tmp_path / "cache").glob("display-*.bin"))
    assert len(entries) == 1
    entries[0].write_bytes(entries[0].read_bytes()[:-3] + b"zzz")  # edited: fails its seal
    display_code.compiled_code(text, name)
    assert calls == [name, name]
    display_code.compiled_code(text + "# other\n", name)  # other source: another entry
    assert len(calls) == 3 and len(list((tmp_path / "cache").glob("display-*.bin"))) == 2
    monkeypatch.setenv("SOSMETA_CACHE_DIR", "off")
    display_code.compiled_code(text, name)
    assert len(calls) == 4


def test_a_body_from_cached_code_makes_the_walkers_bytes(
    corpus: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOSMETA_CACHE_DIR", str(tmp_path / "cache"))
    structure = load_corpus_structure(max(corpus, key=lambda p: p.stat().st_size))
    root = display.plan(structure)
    documents = example_documents(structure, 5, seed=8)
    for lang in LANGUAGES:
        display_code.generate(root, lang)  # fills the cache
        cached = display_code.generate(root, lang)  # from it
        walker = display_text.compiled(root, lang).body
        assert [cached(d) for d in documents] == [walker(d) for d in documents]
