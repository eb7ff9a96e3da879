"""Bad input never gives a traceback: one located error line, exit code 2; odd but valid input is kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sosmeta.cli import main
from sosmeta.generators.sosmeta_json import dump_structure
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.sosmeta_import.sosmeta_json import load_structure, parse_structure
from sosmeta.structures.lint import lint

EXAMPLE = Path(__file__).resolve().parent.parent / "example" / "sources" / "perhetyon-seurantamerkinta.json"


def _example_data() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def _import(tmp_path: Path, name: str, content: bytes) -> tuple[int, str]:
    source = tmp_path / name
    source.write_bytes(content)
    result = CliRunner().invoke(main, ["import", str(source), "--catalog", str(tmp_path / "catalog")])
    return result.exit_code, result.output


def _doc(data: dict) -> dict:
    (key,) = data["properties"]
    return data["properties"][key]


@pytest.mark.parametrize(
    ("name", "content", "place", "code"),
    [
        ("truncated.json", EXAMPLE.read_bytes()[:500], "line ", "json.syntax"),
        ("not-json.json", b"this is not json", "line 1 column 1", "json.syntax"),
        ("array.json", b"[1, 2]", ": /:", "sosmeta.not_object"),
        ("no-sosmeta.json", b'{"type": "object"}', ": /:", "sosmeta.missing"),
        ("dup.json", b'{"sosmeta": {}, "sosmeta": {}}', "line 1 column 17", "json.duplicate_key"),
        ("latin1.json", '{"sosmeta": {"title": "Päätös"}}'.encode("latin-1"), "byte ", "file.encoding"),
        ("nan.json", b'{"sosmeta": {}, "x": NaN}', "", "json.syntax"),
        ("empty.json", b'{"sosmeta": {}, "properties": {}}', "/properties", "sosmeta.no_document"),
        ("no-props.json", b'{"sosmeta": {}}', "/properties", "sosmeta.no_document"),
    ],
)
def test_bad_files_give_one_located_error(tmp_path: Path, name: str, content: bytes, place: str, code: str) -> None:
    exit_code, output = _import(tmp_path, name, content)
    assert exit_code == 2
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert name in errors[0] and place in errors[0] and f"[{code}]" in errors[0]


def _wrong_type_cases() -> list[tuple[str, object, str]]:
    return [
        ("/sosmeta/oid", 3, "'oid' must be a string"),
        ("/properties/DOC/sosmeta", [], "'sosmeta' must be an object"),
        ("/properties/DOC/properties/asiakas/sosmeta/required", "true", "must be true or false"),
        ("/properties/DOC/properties/asiakas/sosmeta/rowNumber", 1.5, "must be an integer"),
        ("/properties/DOC/properties/asiakas/sosmeta/name", {"fi": "x"}, "expected a list"),
        ("/properties/DOC/properties/asiakas/sosmeta/name/0", {"value": "x", "lang": "fi"}, "exactly 'lang' and"),
        ("/properties/DOC/properties/asiakas/properties", [], "'properties' must be an object"),
    ]


@pytest.mark.parametrize(("pointer", "value", "message"), _wrong_type_cases())
def test_wrong_types_are_located_by_json_pointer(pointer: str, value: object, message: str) -> None:
    data = _example_data()
    doc_key = next(iter(data["properties"]))
    parts = pointer.replace("DOC", doc_key).strip("/").split("/")
    target = data
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    with pytest.raises(InputError) as info:
        parse_structure(json.dumps(data), "bad.json")
    (problem,) = info.value.problems
    assert problem.location == pointer.replace("DOC", doc_key)
    assert message in problem.message


def test_unknown_keys_and_keywords_are_kept_and_linted() -> None:
    data = _example_data()
    data["sosmeta"]["publisher"] = {"name": "THL"}
    doc = _doc(data)
    asiakas = doc["properties"]["asiakas"]
    asiakas["sosmeta"] = {"lisatieto": [1, 2], **asiakas["sosmeta"]}  # unknown key first: order is data too
    asiakas["properties"]["sukunimi"]["maxLength"] = 80
    text = json.dumps(data, ensure_ascii=False, indent=2)
    structure = parse_structure(text, "odd.json")
    assert json.loads(dump_structure(structure)) == data
    written = json.loads(dump_structure(structure))
    asiakas_written = written["properties"][next(iter(data["properties"]))]["properties"]["asiakas"]
    assert next(iter(asiakas_written["sosmeta"])) == "lisatieto"
    codes = {w.code for w in lint(structure)}
    assert {"unknown.meta_key", "unknown.sosmeta_key", "unknown.keyword"} <= codes


def test_placeholders_and_irregular_language_lists_are_kept() -> None:
    data = _example_data()
    sosmeta = _doc(data)["properties"]["asiakas"]["sosmeta"]
    sosmeta["description"] = [{"lang": "sv", "value": "x"}, {"lang": "fi", "value": "-"}, {"lang": "fi", "value": "y"}]
    structure = parse_structure(json.dumps(data), "odd.json")
    located = structure.by_path(f"{next(iter(data['properties']))}/asiakas")
    assert located is not None
    assert [(t.lang, t.value) for t in located.element.description or ()] == [("sv", "x"), ("fi", "-"), ("fi", "y")]
    assert {"lang.duplicate_tag"} <= {w.code for w in lint(structure)}


def test_example_source_loads_and_uses_every_representation() -> None:
    structure = load_structure(EXAMPLE)
    from sosmeta.structures.representation import Representation

    assert {loc.element.representation for loc in structure.rows()} == set(Representation)
    assert lint(structure) == []
