"""JSON syntax errors in Finnish, Swedish and English: the fault texts of `safeio.parsing_texts`, and the lines
`validate`, `import` and `cda encode` print for broken JSON in each language (same code and place)."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.generators.cda.jsontext import load_object
from sosmeta.messages import LANGS, Localized, localized
from sosmeta.safeio.jsonl import JsonlLine, parse_line
from sosmeta.safeio.parsing import JsonFault, parse_json
from sosmeta.safeio.parsing_texts import JSON_TEXTS
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.structures.model import Structure
from tests.cda_support import example_envelope

EXAMPLE = Path(__file__).resolve().parent.parent / "example" / "sources" / "perhetyon-seurantamerkinta.json"
SECRET = "Salainen-Arvo-990"
# One text per fault kind, each holding the SECRET value somewhere.
BROKEN = [
    f'{{"a": "{SECRET}", "a": 1}}',
    f'{{"a": "{SECRET}",, "b": 1}}',
    f'{{"a": "{SECRET}", "b": NaN}}',
    f'{{"a": "{SECRET}", "b": 1e999}}',
    f'{{"a": "{SECRET}", "b": {"9" * 301}}}',
    f'{{"a": "{SECRET}", "b": "\\ud800"}}',
    f'{{"a": "{SECRET}", "\\ud800": 1}}',
    f'{{"a": "{SECRET}", "b": ' + "[" * 200 + "]" * 200 + "}",
    f'{{"a": "{SECRET}"',
    f'{{"a": "{SECRET}}}',
    f'{{"a": "{SECRET}"}} x',
]
LINE = re.compile(r"^(?P<head>.*?: line \d+ column \d+): (?P<text>.*) \[(?P<code>[a-z_.]+)\]$")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(JSON_TEXTS))
def test_every_text_has_three_languages_with_the_same_placeholders(key: str) -> None:
    message = JSON_TEXTS[key]
    assert all(message.text(lang).strip() for lang in LANGS)
    assert _fields(message.fi) == _fields(message.sv) == _fields(message.en)


def _faults(text: str) -> list[Localized]:
    """The fault's texts of the three readers of `text`: the strict parser, JSONL and the CDA commands."""
    found: list[Localized] = []
    with pytest.raises(JsonFault) as fault:
        parse_json(text)
    found.append(fault.value.message)  # type: ignore[arg-type]
    problem = parse_line(JsonlLine(1, text.encode("utf-8", "surrogatepass")), "x.jsonl").problem
    assert problem is not None
    found.append(problem.message)  # type: ignore[arg-type]
    with pytest.raises(InputError) as error:
        load_object(text.encode("utf-8", "surrogatepass"), "doc.json", "document", 128)
    found.append(error.value.problems[0].message)  # type: ignore[arg-type]
    return found


@pytest.mark.parametrize("text", BROKEN)
def test_faults_are_localized_and_quote_no_value(text: str) -> None:
    for message in _faults(text):
        assert isinstance(message, Localized), message
        assert message.message.sv != message.message.en and message.message.fi != message.message.en
        assert all(SECRET not in message.message.text(lang) for lang in LANGS)


def _lines(output: str) -> list[re.Match[str]]:
    return [m for m in map(LINE.match, output.splitlines()) if m is not None]


def _same_but_language(args: list[str], lang: str) -> None:
    """The located line of `args` in English and in `lang`: same place and code, another text."""
    english = _lines(CliRunner().invoke(main, ["--lang", "en", *args]).output)
    other = _lines(CliRunner().invoke(main, ["--lang", lang, *args]).output)
    assert english and len(english) == len(other)
    for en, tr in zip(english, other, strict=True):
        assert (en["head"], en["code"]) == (tr["head"], tr["code"])
        assert en["text"] != tr["text"]
        assert SECRET not in tr.group()


@pytest.fixture
def catalog(tmp_path: Path, corpus_structures: list[Structure]) -> tuple[Path, Structure]:
    structure = corpus_structures[0]
    Catalog(tmp_path / "catalog").add(structure)
    return tmp_path, structure


@pytest.mark.parametrize("lang", ["sv", "fi"])
def test_validate_prints_broken_json_and_jsonl_in_the_language(catalog: tuple[Path, Structure], lang: str) -> None:
    tmp, _ = catalog
    (tmp / "bad.json").write_text(f'{{"a": "{SECRET}",, "b": 1}}', encoding="utf-8")
    (tmp / "bad.jsonl").write_text(f'{{"a": 1}}\n{{"a": "{SECRET}", "b": [1,\n', encoding="utf-8")
    args = ["validate", "--catalog", str(tmp / "catalog"), str(tmp / "bad.json"), "--jsonl", str(tmp / "bad.jsonl")]
    _same_but_language(args, lang)


@pytest.mark.parametrize("lang", ["sv", "fi"])
def test_import_of_a_truncated_export_in_the_language(tmp_path: Path, lang: str) -> None:
    (tmp_path / "truncated.json").write_bytes(EXAMPLE.read_bytes()[:500])
    _same_but_language(["import", str(tmp_path / "truncated.json"), "--catalog", str(tmp_path / "catalog")], lang)


@pytest.mark.parametrize("lang", ["sv", "fi"])
def test_cda_encode_of_a_broken_document_in_the_language(catalog: tuple[Path, Structure], lang: str) -> None:
    tmp, structure = catalog
    (tmp / "doc.json").write_text(f'{{"a": "{SECRET}", "b": NaN}}', encoding="utf-8")
    (tmp / "env.json").write_text(example_envelope(structure).model_dump_json(exclude_none=True), encoding="utf-8")
    args = ["cda", "encode", str(tmp / "doc.json"), "--envelope", str(tmp / "env.json")]
    _same_but_language([*args, "--catalog", str(tmp / "catalog"), "--out", str(tmp / "doc.xml")], lang)


def test_english_is_what_a_plain_string_gives() -> None:
    with pytest.raises(JsonFault) as fault:
        parse_json('{"a": 1,, "b": 2}')
    assert str(fault.value.message) == "not valid JSON: Expecting property name enclosed in double quotes"
    assert localized(fault.value.message, "sv") == "inte giltig JSON: förväntade ett nyckelnamn inom citattecken"
    assert json.dumps({"m": fault.value.message}) == json.dumps({"m": str(fault.value.message)})
