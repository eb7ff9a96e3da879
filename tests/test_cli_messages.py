"""The message catalogue: every key in fi, sv and en, the language from --lang or the locale, and every command
speaking it."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.generators.examples import example_documents
from sosmeta.messages import LANGS, MESSAGES, count, lang_from_environment, text
from sosmeta.sosmeta_import import load_any
from tests.cda_support import example_envelope
from tests.conftest import EXAMPLE

SOURCE = EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json"
ORG = EXAMPLE / "orgs" / "jarvimaa-lastensuojelu.toml"
OID = "1.2.246.537.6.1506.99001"


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    result = CliRunner(env=env).invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_all_three_languages_with_the_same_placeholders(key: str) -> None:
    message = MESSAGES[key]
    texts = [message.text(lang) for lang in LANGS]
    assert all(t.strip() for t in texts), key
    assert placeholders(texts[0]) == placeholders(texts[1]) == placeholders(texts[2]), key


def test_counted_messages_have_both_forms() -> None:
    for key in MESSAGES:
        stem, _, form = key.rpartition(".")
        if form in ("one", "other"):
            assert f"{stem}.one" in MESSAGES and f"{stem}.other" in MESSAGES, key


def test_counts_agree_in_number() -> None:
    assert count("lint.warnings", 1, "en") == "1 warning" and count("lint.warnings", 2, "en") == "2 warnings"
    assert count("lint.warnings", 1, "fi") == "1 varoitus" and count("lint.warnings", 0, "fi") == "0 varoitusta"
    assert count("lint.warnings", 1, "sv") == "1 varning" and count("lint.warnings", 3, "sv") == "3 varningar"


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "fi"),
        ({"LANG": "C.UTF-8"}, "fi"),
        ({"LANG": "de_DE.UTF-8"}, "fi"),
        ({"LANG": "sv_FI.UTF-8"}, "sv"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "fi_FI.UTF-8", "LC_MESSAGES": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "sv_FI", "LC_MESSAGES": "en_US", "LC_ALL": "fi_FI.UTF-8"}, "fi"),
        ({"LC_ALL": "", "LANG": "EN_us"}, "en"),  # an empty variable is not set
        ({"LC_ALL": "POSIX", "LANG": "sv_FI.UTF-8"}, "fi"),  # the first set one decides
    ],
)
def test_language_from_the_locale_environment(environ: dict[str, str], lang: str) -> None:
    assert lang_from_environment(environ) == lang


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Path]:
    catalog = tmp_path / "catalog"
    assert run("--lang", "en", "import", SOURCE, "--catalog", catalog).exit_code == 0
    (structure,) = load_any(SOURCE)
    document = example_documents(Catalog(catalog).resolve(OID), 1, 0)[0]
    (tmp_path / "doc.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    envelope = example_envelope(structure).model_dump_json(exclude_none=True)
    (tmp_path / "env.json").write_text(envelope, encoding="utf-8")
    return {"tmp": tmp_path, "catalog": catalog}


def outputs(args: list[object]) -> dict[str, str]:
    """stdout and stderr of the same command in each language (the language as the root option)."""
    found = {}
    for lang in LANGS:
        result = run("--lang", lang, *args)
        assert result.exit_code in (0, 1), (lang, result.output)
        found[lang] = result.output
    return found


def commands(paths: dict[str, Path], tmp_path: Path) -> dict[str, list[object]]:
    cat, tmp = paths["catalog"], paths["tmp"]
    return {
        "import": ["import", SOURCE, "--catalog", cat],
        "list": ["list", "--catalog", cat],
        "lint": ["lint", "--catalog", cat],
        "build": ["build", "--catalog", cat, "--out", tmp_path / "out"],
        "validate": ["validate", "--catalog", cat, tmp / "doc.json"],
        "org check": ["org", "check", ORG, "--catalog", cat],
        "cda encode": [
            "cda",
            "encode",
            tmp / "doc.json",
            "--envelope",
            tmp / "env.json",
            "--catalog",
            cat,
            "--out",
            tmp / "doc.xml",
        ],
        "diff": ["diff", SOURCE, SOURCE],
        "codes list": ["codes", "list", "--catalog", cat],
        "codes lint": ["codes", "lint", "--catalog", cat],
    }


def test_every_command_speaks_the_language_asked_for(setup: dict[str, Path], tmp_path: Path) -> None:
    for name, args in commands(setup, tmp_path).items():
        found = outputs(args)
        assert len(set(found.values())) == 3, (name, found)


def test_cda_decode_frame_and_check_speak_it_too(setup: dict[str, Path]) -> None:
    tmp, cat = setup["tmp"], setup["catalog"]
    encode = ["cda", "encode", tmp / "doc.json", "--envelope", tmp / "env.json", "--catalog", cat]
    assert run(*encode, "--out", tmp / "doc.xml").exit_code == 0
    for args in (
        ["cda", "decode", tmp / "doc.xml", "--catalog", cat, "--out", tmp / "decoded"],
        ["cda", "frame", tmp / "doc.xml", "--out", tmp / "frame.xml"],
    ):
        assert len(set(outputs(args).values())) == 3, args
    check = outputs(["cda", "check", tmp / "frame.xml", tmp / "doc.xml", "--catalog", cat, "--skip-signatures"])
    assert check["fi"] != check["en"]


def test_the_locale_decides_without_lang_and_a_command_lang_overrides_it(setup: dict[str, Path]) -> None:
    cat = setup["catalog"]
    swedish = run("list", "--catalog", cat, env={"LC_ALL": "sv_FI.UTF-8"})
    assert swedish.output.splitlines()[-1] == "1 strukturversion"
    finnish = run("list", "--catalog", cat, env={"LC_ALL": "C", "LC_MESSAGES": "", "LANG": ""})
    assert finnish.output.splitlines()[-1] == "1 rakenneversio"
    doc = setup["tmp"] / "doc.json"
    overridden = run("--lang", "fi", "validate", "--lang", "sv", "--catalog", cat, doc)
    assert "kontrollerade" in overridden.output and "tarkistettu" not in overridden.output


def test_english_stays_for_logs(setup: dict[str, Path]) -> None:
    assert text("import.summary", "en", catalog="c", summary="1 new structure") == "imported into c: 1 new structure"
    result = run("--lang", "en", "lint", "--catalog", setup["catalog"])
    assert result.output.splitlines()[-1].startswith("1 structure, ")


def test_show_in_swedish_names_elements_and_representations_in_swedish(setup: dict[str, Path]) -> None:
    from sosmeta.structures.representation import Representation

    structure = Catalog(setup["catalog"]).resolve(OID)
    swedish = run("--lang", "sv", "show", OID, "--catalog", setup["catalog"]).output.splitlines()[1:]
    finnish = run("--lang", "fi", "show", OID, "--catalog", setup["catalog"]).output.splitlines()[1:]
    rows = list(structure.rows())
    assert len(swedish) == len(finnish) == len(rows)
    for line, loc in zip(swedish, rows, strict=True):
        element = loc.element
        assert f'"{element.sv_name or element.fi_name}"' in line, line
        if element.representation not in (None, Representation.GROUP):
            assert f"  {element.representation.sv}  " in line, line
    assert any(e.element.sv_name and e.element.sv_name != e.element.fi_name for e in rows)  # it can fail
