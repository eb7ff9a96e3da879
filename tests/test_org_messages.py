"""`org check` speaks the file's own terms: a misspelt key gets the nearest known one, a missing key is named,
a wrong value says what it must be; pydantic's own words never reach the user, and no value is quoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from sosmeta.sosmeta_import.errors import InputError
from sosmeta.sosmeta_import.organisation import load_organisation

GOOD = """[organisation]
id = "jarvimaa"
name = { fi = "Järvimaan hyvinvointialue" }
oid = "1.2.246.10.2345678.10.0"

[[template]]
structure = "1.2.246.537.6.1506.99001"

[template.elements."tapaamiset"]
max_items = 10
instructions = { fi = "Kirjaa" }
"""

PYDANTIC_WORDS = ("Extra inputs are not permitted", "Field required", "Input should be", "valid string", "pattern")


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "org.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_organisation(path)
    lines = [str(p) for p in caught.value.problems]
    for line in lines:
        assert not any(words in line for words in PYDANTIC_WORDS), line
        assert "Järvimaan" not in line and "Kirjaa" not in line
    return lines


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("name =", "nmae =", "organisation.nmae: unknown key 'nmae'; did you mean 'name'? [org.unknown_key]"),
        ("name =", "nmae =", "organisation.name: the key 'name' is missing; it is required here [org.missing]"),
        (
            "structure =",
            "structur =",
            "template[0].structur: unknown key 'structur'; did you mean 'structure'? [org.unknown_key]",
        ),
        (
            "max_items = 10",
            "max_itmes = 10",
            "template[0].elements.tapaamiset.max_itmes: unknown key 'max_itmes'; did you mean 'max_items'?",
        ),
        (
            'instructions = { fi = "Kirjaa" }',
            'instructions = { fi = "Kirjaa", sw = "x" }',
            "template[0].elements.tapaamiset.instructions.sw: unknown key 'sw' (known here: fi, sv)",
        ),
        ("max_items = 10", 'max_items = "10"', "template[0].elements.tapaamiset.max_items: must be a whole number"),
        ('id = "jarvimaa"', 'id = "järvi maa"', "organisation.id: may hold only letters, digits"),
        ('oid = "1.2.246.10.2345678.10.0"', 'oid = "1.x"', "organisation.oid: not an OID"),
        ("[organisation]", "[organisatoin]", "organisatoin: unknown table 'organisatoin' (expected [organisation]"),
        ("[organisation]", "[organisatoin]", "; did you mean 'organisation'? [org.unknown_key]"),
    ],
    ids=[
        "misspelt-name",
        "missing-name",
        "misspelt-structure",
        "misspelt-rule",
        "unknown-language",
        "string-for-integer",
        "bad-id",
        "bad-oid",
        "misspelt-table",
        "misspelt-table-hint",
    ],
)
def test_messages_in_the_files_terms(tmp_path: Path, old: str, new: str, expected: str) -> None:
    lines = problems(tmp_path, GOOD.replace(old, new))
    assert any(expected in line for line in lines), lines


def test_a_good_file_reads(tmp_path: Path) -> None:
    path = tmp_path / "org.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_organisation(path).name.fi.startswith("Järvimaan")
