"""The display form in a real browser: each example's XHTML, opened as application/xhtml+xml by headless
chromium (its XML parser refuses anything not well-formed), shows the title and every element heading.
Skips outside CI when chromium or playwright is missing; in CI that is a failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generators.cda.codec import decode, encode
from tests.cda_support import example_documents, example_envelope
from tests.conftest import load_corpus_structure

pytestmark = pytest.mark.browser
PAGE = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>display form</title></head><body>{div}</body></html>
"""


def test_display_forms_open_as_xhtml(corpus: list[Path], browser: Any, tmp_path: Path) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in corpus[::6]:  # every sixth structure keeps the test short
        structure = load_corpus_structure(path)
        envelope = example_envelope(structure)
        document = example_documents(structure, 1, seed=5)[0]
        display = decode(encode(structure, document, envelope), with_display=True).display
        assert display is not None
        file = tmp_path / f"{structure.version_oid}.xhtml"
        file.write_text(PAGE.format(div=display.decode("utf-8").removesuffix("\n")), encoding="utf-8")
        page.goto(file.as_uri())
        assert page.locator("parsererror").count() == 0, structure.version_oid
        assert page.locator("h1").inner_text() == envelope.title
        assert page.locator(".body h2, .body h3, .body h4, .body h5, .body h6").count() > 0
        assert "****" in page.locator("dl.client").inner_text()
    page.close()
    assert errors == []
