"""Shared fixtures. Tests that need the real Sosmeta exports read them from ../shared/sosmeta.

The folder can be moved with SOSMETA_SHARED. When it is missing the tests skip with a message, except in CI
(CI=true), where a missing corpus is a failure: CI must test against the real files. The same holds for the
`browser` fixture (headless chromium driven by playwright; SOSMETA_CHROMIUM moves the binary).
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import pytest
from hypothesis import settings

from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import Structure

# CI runs the same examples every time (a red run then means a change broke something, not that a new
# random example was found); local runs keep drawing new examples, which is where new bugs turn up.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")

# Compiled validators are cached in a folder of this run (inherited by the commands tests start), never in the
# developer's own cache; tests of the cache itself set their own.
os.environ["SOSMETA_CACHE_DIR"] = _TEST_CACHE = tempfile.mkdtemp(prefix="sosmeta-test-cache-")
atexit.register(shutil.rmtree, _TEST_CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SOSMETA_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "sosmeta"
EXAMPLE = ROOT / "example"
CHROMIUM = Path(os.environ.get("SOSMETA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def unavailable(message: str) -> NoReturn:
    """Skip the test for a missing tool or file; in CI (CI=true) fail instead, since CI must run it."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def corpus_files() -> list[Path]:
    """The real exports, sorted; [] when the folder is missing."""
    return sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []


def require_corpus() -> list[Path]:
    files = corpus_files()
    if not files:
        unavailable(f"the real Sosmeta exports are missing: expected JSON files in {CORPUS} (set SOSMETA_SHARED)")
    return files


def ruff_generated(path: Path) -> subprocess.CompletedProcess[str]:
    """ruff on generated code, by the rules generated modules promise (the project's own, without the ones
    that flag Finnish letters in strings), independent of any ruff configuration found near `path`."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    rules = ["--line-length", "120", "--select", "E,F,W,I,B,UP,SIM,RUF", "--ignore", "RUF001,RUF002,RUF003"]
    return subprocess.run(
        [ruff, "check", "--no-cache", "--isolated", *rules, str(path)], capture_output=True, text=True, check=False
    )


@cache
def load_corpus_structure(path: Path) -> Structure:
    return load_structure(path)


@pytest.fixture(scope="session")
def corpus() -> list[Path]:
    return require_corpus()


@pytest.fixture(scope="session")
def corpus_structures(corpus: list[Path]) -> list[Structure]:
    return [load_corpus_structure(p) for p in corpus]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`corpus_file` parametrizes a test over every real export (one test id per file)."""
    if "corpus_file" in metafunc.fixturenames:
        files = corpus_files()
        if files:
            metafunc.parametrize("corpus_file", files, ids=[p.name for p in files])
        else:
            metafunc.parametrize("corpus_file", [None], ids=["corpus-missing"])


@pytest.fixture
def corpus_path(corpus_file: Path | None) -> Path:
    """One real export (parametrized); fails in CI and skips elsewhere when the corpus is missing."""
    if corpus_file is None:
        require_corpus()
        raise AssertionError("unreachable")
    return corpus_file


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless chromium (Debian's package) under playwright, shared by every browser test."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.is_file():
        unavailable(f"no chromium at {CHROMIUM}: install Debian's package (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
