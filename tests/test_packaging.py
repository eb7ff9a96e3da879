"""The installed package: a wheel built from the checkout puts only `sosmeta` at the top of site-packages, and
`sosmeta --help` and the Python API work from a fresh virtual environment."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_corpus

TOP_NAMES = {"sosmeta", "sosmeta-0.1.0.dist-info"}
# The repository's top-level folders and modules: inside the tree they are imported as sosmeta.<name> only.
REPO_NAMES = {p.stem for p in ROOT.glob("*.py") if p.name != "setup.py"} | {
    p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name not in {"tests", "bench", "sosmeta"}
}


# The fresh environment sees nothing of the checkout (an editable install's egg-info would count as installed).
CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"SOSMETA_CACHE_DIR": "off"}


def purelib(python: Path) -> Path:
    """The site-packages folder of the environment of `python`."""
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    return Path(subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    (found,) = out.glob("sosmeta-*.whl")
    return found


@pytest.fixture(scope="module")
def fresh(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed; dependencies come from this environment's packages."""
    venv = tmp_path_factory.mktemp("venv") / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # What `python -m venv` itself put there (pip), to tell apart from what the wheel adds.
    (venv / "before.json").write_text(json.dumps(sorted(p.name for p in purelib(python).iterdir())))
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--ignore-installed", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
        env=CLEAN_ENV,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # A plain path entry: the dependencies, without running this environment's .pth files (its editable install).
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def test_wheel_holds_only_the_sosmeta_name(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/", 1)[0] for name in names} == TOP_NAMES
    assert "sosmeta/cli.py" in names and "sosmeta/generators/cda/schemas/hl7fi_social.xsd" in names
    assert any(n.startswith("sosmeta/generators/cda/templates/") and n.endswith(".j2") for n in names)


def test_every_data_file_of_the_checkout_is_in_the_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    wanted = {f"sosmeta/{path}" for path in tracked if path.split("/", 1)[0] in REPO_NAMES and "/" in path}
    assert wanted - names == set()


def test_fresh_environment_installs_nothing_else_at_the_top(fresh: Path) -> None:
    before = set(json.loads((fresh / "before.json").read_text())) | {"zz_dependencies.pth"}
    assert {p.name for p in purelib(fresh / "bin" / "python").iterdir()} - before == TOP_NAMES


def test_console_script_runs_from_the_fresh_environment(fresh: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [fresh / "bin" / "sosmeta", "--help"], cwd=tmp_path, env=CLEAN_ENV, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Usage: sosmeta" in run.stdout
    module = subprocess.run(
        [fresh / "bin" / "python", "-m", "sosmeta", "--help"],
        cwd=tmp_path,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert module.returncode == 0 and module.stdout == run.stdout


SNIPPET = """
import importlib.util, json, sys
import sosmeta
from sosmeta.generators.examples import example_documents
from sosmeta.generators.cda.samples import example_envelope

structure = sosmeta.load_structure(sys.argv[1])
validator = sosmeta.compile_validator(structure)
document = example_documents(structure, 1, seed=7)[0]
broken = dict(document)
broken.pop(next(iter(broken)))
xml = sosmeta.encode(structure, document, example_envelope(structure))
print(json.dumps({
    "file": sosmeta.__file__,
    "path": list(sosmeta.__path__),
    "valid": validator.is_valid(document),
    "broken": not validator.is_valid(broken),
    "round_trip": sosmeta.decode(xml).document == document,
    "top_level_cli": importlib.util.find_spec("cli") is not None,
    "top_level_generators": importlib.util.find_spec("generators") is not None,
}))
"""


def test_python_api_from_the_fresh_environment(fresh: Path, tmp_path: Path) -> None:
    export = require_corpus()[0]
    run = subprocess.run(
        [fresh / "bin" / "python", "-c", SNIPPET, str(export)],
        cwd=tmp_path,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout)
    assert result["file"].startswith(str(fresh)) and len(result["path"]) == 1
    assert result["valid"] and result["broken"] and result["round_trip"]
    assert not result["top_level_cli"] and not result["top_level_generators"]


def test_example_workspace_builds_every_target_from_the_fresh_environment(fresh: Path, tmp_path: Path) -> None:
    # Modules found at run time (the generator registry, templates, schemas) must resolve inside the package.
    workspace = tmp_path / "example"
    shutil.copytree(ROOT / "example", workspace, ignore=shutil.ignore_patterns("catalog"))
    for command in (["import"], ["build"]):
        run = subprocess.run(
            [fresh / "bin" / "sosmeta", *command],
            cwd=workspace,
            env=CLEAN_ENV,
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stderr[-3000:]
    built = {p.name for p in (tmp_path / "output" / "example").iterdir()}
    assert {"sosmeta-json", "excel", "validators", "python", "examples", "forms", "html", "cda"} <= built


def top_level_imports(path: Path) -> list[str]:
    """`import X` / `from X import` of a repository name without the sosmeta prefix, as file:line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found += [f"{path.relative_to(ROOT)}:{node.lineno}" for n in names if n.split(".")[0] in REPO_NAMES]
    return found


def test_the_tree_imports_its_modules_through_the_sosmeta_name() -> None:
    files = [
        p
        for p in ROOT.rglob("*.py")
        if p.relative_to(ROOT).parts[0] not in {".venv", "output", "build"} and ".typecheck" not in p.parts
    ]
    assert [hit for path in files for hit in top_level_imports(path)] == []
