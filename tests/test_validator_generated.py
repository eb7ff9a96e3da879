"""The generated validator modules (`sosmeta build --target validators`): ruff-clean, importable, and the
same findings as the in-memory validators."""

from __future__ import annotations

import importlib.util
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sosmeta.generators.registry import BuildContext, discover
from sosmeta.generators.validator import compile_validator
from tests.conftest import load_corpus_structure, ruff_generated
from tests.docgen import corpus_documents

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, corpus: list[Path]) -> tuple[Path, list[Any]]:
    structures = [load_corpus_structure(p) for p in corpus]
    out = tmp_path_factory.mktemp("validators")
    discover()["validators"].build(BuildContext(structures=structures, out_dir=out))
    return out, structures


def test_one_module_per_structure_and_mode(built: tuple[Path, list[Any]]) -> None:
    out, structures = built
    for mode in ("full", "schema"):
        assert len(list((out / mode).glob("v_*.py"))) == len({s.version_oid for s in structures})


def test_generated_modules_pass_ruff(built: tuple[Path, list[Any]]) -> None:
    out, _ = built
    done = ruff_generated(out)
    assert done.returncode == 0, done.stdout[-3000:]


def _load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_modules_give_the_same_findings(built: tuple[Path, list[Any]]) -> None:
    out, structures = built
    rng = random.Random(3)
    for structure in rng.sample(structures, 6):
        for mode in ("full", "schema"):
            module = _load(out / mode / f"v_{structure.version_oid.replace('.', '_')}.py")
            validator = compile_validator(structure, mode)
            good, bad = corpus_documents(structure, 2, 8)
            for doc in good + bad:
                pairs: list[tuple[str, int]] = []
                module.findings(doc, pairs)
                expected = validator.validate(doc)
                assert [(p, module.MESSAGES[i][0]) for p, i in pairs] == [(f.pointer, f.code) for f in expected]
                assert module.is_valid(doc) == validator.is_valid(doc)


def test_first_use_from_many_threads(built: tuple[Path, list[Any]]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from sosmeta.generators.validator import Validator

    _, structures = built
    structure = structures[-1]
    _, bad = corpus_documents(structure, 2, 6)
    expected = [(compile_validator(structure).validate(d), compile_validator(structure).is_valid(d)) for d in bad]
    fresh = Validator(structure, "full")
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda d: (fresh.validate(d), fresh.is_valid(d)), bad * 4))
    assert got == expected * 4


def test_generated_source_does_not_depend_on_string_hashing(corpus: list[Path]) -> None:
    """Builds must be deterministic: the same structure gives the same module under any PYTHONHASHSEED."""
    script = (
        "import sys\n"
        "from sosmeta.generators.validator.codegen import generate\n"
        "from sosmeta.sosmeta_import.sosmeta_json import load_structure\n"
        "for path in sys.argv[1:]:\n"
        "    sys.stdout.write(generate(load_structure(path), 'full'))\n"
    )
    paths = [str(p) for p in corpus]
    sources = [
        subprocess.run(
            [sys.executable, "-c", script, *paths],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert "frozenset({" in sources[0] and sources[0] == sources[1]
