"""Typed classes: generated for every shared structure, lint-clean, and JSON -> model -> JSON unchanged."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sosmeta.generators.examples import example_documents, maximal_document, minimal_document
from sosmeta.generators.pyclasses import docstring, py_literal, render_module, render_package
from sosmeta.generators.pyclasses.naming import FIELD_RESERVED, class_base, field_names, fold
from sosmeta.generators.registry import BuildContext, discover
from sosmeta.generators.strategies import documents
from sosmeta.structures.model import Structure
from tests.awkward import NASTY, awkward_structure
from tests.conftest import ROOT, corpus_files, load_corpus_structure
from tests.docwalk import schema_errors

PACKAGE = "sosmeta_documents_under_test"


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package for the awkward structure and every shared export (when present), importable."""
    out = tmp_path_factory.mktemp("python")
    structures = [awkward_structure()] + [load_corpus_structure(p) for p in corpus_files()]
    for relative, source in render_package(structures, PACKAGE).items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    sys.path.insert(0, str(out))
    return out


def module_of(structure: Structure, generated: Path) -> ModuleType:
    package = importlib.import_module(PACKAGE)
    return package.module_for(structure.version_oid)  # type: ignore[no-any-return]


def round_trip(module: ModuleType, document: dict[str, Any]) -> dict[str, Any]:
    return module.Document.model_validate(document).to_json_data()  # type: ignore[no-any-return]


# ---- every shared structure ------------------------------------------------------------------------------------
def test_example_documents_round_trip_exactly(corpus_path: Path, generated: Path) -> None:
    structure = load_corpus_structure(corpus_path)
    module = module_of(structure, generated)
    for document in [minimal_document(structure), maximal_document(structure), *example_documents(structure, 3)]:
        assert dumps(round_trip(module, document)) == dumps(document)  # same keys, order, values, types


def test_drawn_documents_round_trip_exactly(corpus_path: Path, generated: Path) -> None:
    structure = load_corpus_structure(corpus_path)
    module = module_of(structure, generated)

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(documents(structure))
    def check(document: dict[str, Any]) -> None:
        assert dumps(round_trip(module, document)) == dumps(document)

    check()


def test_models_reject_what_the_schema_rejects(corpus_structures: list[Structure], generated: Path) -> None:
    """Mutations of valid documents: each one rejected by jsonschema is rejected by the model too."""
    compared = 0
    for structure in corpus_structures[::8]:
        module = module_of(structure, generated)
        for mutant in mutants(structure, maximal_document(structure))[:40]:
            assert schema_errors(structure, mutant), "the mutation should be invalid"
            with pytest.raises(ValidationError):
                module.Document.model_validate(mutant)
            compared += 1
    assert compared > 30


def mutants(structure: Structure, document: dict[str, Any]) -> list[dict[str, Any]]:
    """Invalid variants: an extra key, a missing required key, a wrong type, a code outside the list, bad date."""
    out = []
    key = structure.document.key
    out.append({key: {**document[key], "tuntematon": 1}})
    out.append({key: document[key], "toinen": {}})
    for located in structure.rows():
        element = located.element
        parent_value = _value_at(document, located.keys[:-1])
        if not isinstance(parent_value, dict) or element.key not in parent_value:
            continue
        if element.is_required:
            out.append(_replace(document, located.keys, None, delete=True))
        out.append(_replace(document, located.keys, [] if element.wrapper is None else {}))
        sub = element.sub("code")
        if sub is not None and sub.enum:
            value = parent_value[element.key]
            item = value[0] if isinstance(value, list) else value
            out.append(_replace(document, located.keys, _wrap(element, {**item, "code": "ei-listalla"})))
        if element.pattern:
            out.append(_replace(document, located.keys, _wrap(element, "2024-13-01")))
    return out


def _wrap(element: Any, value: Any) -> Any:
    return [value] if element.wrapper is not None else value


def _value_at(document: Any, keys: tuple[str, ...]) -> Any:
    value = document
    for key in keys:
        value = value[0] if isinstance(value, list) and value else value
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value[0] if isinstance(value, list) and value else value


def _replace(document: Any, keys: tuple[str, ...], new: Any, delete: bool = False) -> Any:
    """A deep copy of `document` with the value at `keys` (first item of each array) replaced or deleted."""
    copy = json.loads(json.dumps(document))
    value = copy
    for key in keys[:-1]:
        value = value[key]
        value = value[0] if isinstance(value, list) else value
    if delete:
        del value[keys[-1]]
    else:
        value[keys[-1]] = new
    return copy


# ---- the awkward structure ---------------------------------------------------------------------------------------
def test_awkward_structure_round_trips(generated: Path) -> None:
    structure = awkward_structure()
    module = module_of(structure, generated)
    for document in [minimal_document(structure), maximal_document(structure), *example_documents(structure, 5)]:
        assert schema_errors(structure, document) == []
        assert dumps(round_trip(module, document)) == dumps(document)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_awkward_structure_round_trips_drawn_documents(generated: Path, data: st.DataObject) -> None:
    structure = awkward_structure()
    document = data.draw(documents(structure))
    assert dumps(round_trip(module_of(structure, generated), document)) == dumps(document)


def test_awkward_names_are_valid_unique_and_keep_the_keys(generated: Path) -> None:
    structure = awkward_structure()
    module = module_of(structure, generated)
    top = module.HankalaAsiakirja
    aliases = {name: info.alias for name, info in top.model_fields.items()}
    assert sorted(aliases.values()) == sorted(c.key for c in structure.document.children)
    for name in aliases:
        assert name.isidentifier() and name.isascii() and name not in FIELD_RESERVED and len(name) <= 50
    assert aliases["class_"] == "class" and aliases["model_config_"] == "model_config"
    assert aliases["a_b"] == "a-b" and aliases["a_b_"] == "a_b"  # sibling collision after sanitizing
    classes = [n for n, v in vars(module).items() if isinstance(v, type) and v.__module__ == module.__name__]
    assert {"Osoite", "HuoltajaOsoite", "Asuminen", "AsuminenAsuminen", "Laake", "AakkosetAao"} <= set(classes)
    assert "Tilanne" not in classes and all(len(c) <= 40 for c in classes)


def test_docstrings_carry_fi_sv_names_and_descriptions_verbatim(generated: Path) -> None:
    module = module_of(awkward_structure(), generated)
    doc = module.HankalaAsiakirja.__doc__
    assert 'Hankala "asiakirja" \\ 1 2 / Grupp' in doc
    source = (generated / PACKAGE / f"{module.__name__.rsplit('.', 1)[1]}.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    texts = [n.value.value for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)]
    assert any(" ".join(NASTY.split()) in " ".join(str(t).split()) for t in texts)


def test_rendering_is_stable_and_independent_of_the_other_structures(corpus_structures: list[Structure]) -> None:
    structure = corpus_structures[3]
    alone = render_package([structure], PACKAGE)
    together = render_package(corpus_structures, PACKAGE)
    name, source = render_module(structure)
    assert alone[f"{PACKAGE}/{name}.py"] == together[f"{PACKAGE}/{name}.py"] == source
    assert render_package(corpus_structures, PACKAGE) == together


def test_package_imports_lazily(generated: Path) -> None:
    code = (
        f"import sys, {PACKAGE} as p; assert not [m for m in sys.modules if m.startswith('{PACKAGE}.')]; "
        f"m = getattr(p, sorted(p.MODULES.values())[0]); assert m.Document"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=generated)


def test_build_target_writes_the_package(tmp_path: Path) -> None:
    ctx = BuildContext(
        structures=[awkward_structure()], out_dir=tmp_path, options={"python": {"package": "asiakirjat"}}
    )
    discover()["python"].build(ctx)
    assert sorted(p.name for p in (tmp_path / "asiakirjat").iterdir()) == [
        "__init__.py",
        "_base.py",
        "hankala_asiakirja_1506_99999_2025_1_1.py",
        "py.typed",
    ]


@pytest.mark.slow
def test_generated_code_passes_mypy_strict_ruff_and_ruff_format(generated: Path) -> None:
    started = time.perf_counter()
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", str(ROOT / "pyproject.toml"), "--no-cache", PACKAGE],
        cwd=generated,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout[-3000:]
    formatted = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--check",
            "--config",
            str(ROOT / "pyproject.toml"),
            "--no-cache",
            PACKAGE,
        ],
        cwd=generated,
        capture_output=True,
        text=True,
    )
    assert formatted.returncode == 0, formatted.stdout[-3000:]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", "", PACKAGE],
        cwd=generated,
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    print(
        f"ruff + mypy --strict on {len(list((generated / PACKAGE).glob('*.py')))} files: "
        f"{time.perf_counter() - started:.1f} s"
    )


# ---- the pieces --------------------------------------------------------------------------------------------------
@given(st.text())
def test_string_literals_evaluate_to_the_text(text: str) -> None:
    literal = py_literal(text, 8)
    assert ast.literal_eval(literal) == text
    assert all(len(line) + 8 <= 120 or " " not in line.strip() for line in literal.splitlines())


@given(st.text(st.characters(codec="utf-8")))
def test_docstrings_compile_and_keep_the_words(text: str) -> None:
    rendered = docstring(text, 4)
    tree = ast.parse(f"def f() -> None:\n{rendered}\n")
    value = ast.get_docstring(tree.body[0], clean=False)  # type: ignore[arg-type]
    assert value is not None
    assert value.split() == (text.split() or ["-"])


def test_names_fold_finnish_letters_and_avoid_reserved_words() -> None:
    assert fold("Lääkäri Åsa Öljy") == "Laakari Asa Oljy"
    assert class_base("tilapainen_yksilointitunnus") == "TilapainenYksilointitunnus"
    assert class_base("123_abc") == "N123Abc"
    assert field_names(["json", "copy", "schema", "model_config", "class", "x"], ()) == [
        "json_",
        "copy_",
        "schema_",
        "model_config_",
        "class_",
        "x",
    ]


def test_pattern_no_engine_compiles_is_reported_not_enforced() -> None:
    structure = awkward_structure()
    document = structure.document
    odd = document.child("tunniste")
    assert odd is not None
    broken = odd.model_copy(update={"node": (("type", "string"), ("pattern", "(?<nimi>a)(?=b)"), ("sosmeta", None))})
    members = tuple(broken if m is odd else m for m in document.members)
    changed = structure.model_copy(update={"document": document.model_copy(update={"members": members})})
    warnings: list[str] = []
    _, source = render_module(changed, warnings=warnings)
    assert len(warnings) == 1 and "hankala_asiakirja/tunniste" in warnings[0]
    assert "(?<nimi>a)(?=b)" not in source
    compile(source, "module.py", "exec")


def test_lookahead_pattern_is_enforced_with_python_re(generated: Path) -> None:
    module = module_of(awkward_structure(), generated)
    assert module.HankalaAsiakirja.model_config.get("regex_engine") == "python-re"
    valid = maximal_document(awkward_structure())
    invalid = json.loads(json.dumps(valid))
    invalid["hankala_asiakirja"]["tunniste"] = "ABCDEF"  # no digit: the look-ahead fails
    module.Document.model_validate(valid)
    with pytest.raises(ValidationError):
        module.Document.model_validate(invalid)
