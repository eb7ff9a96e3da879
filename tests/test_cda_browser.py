"""The display form in a real browser: each example's XHTML, opened as application/xhtml+xml by headless
chromium (its XML parser refuses anything not well-formed), shows the title, the organisation, the element
blocks and the masked identity code; with the local preview stylesheet it is styled, and without it it is
not (the archived form carries no style of its own). Skips outside CI when chromium or playwright is
missing; in CI that is a failure."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from sosmeta.generators.cda.codec import decode, encode
from sosmeta.generators.cda.display import PREVIEW_STYLESHEET, preview_page
from tests.cda_support import example_documents, example_envelope
from tests.conftest import load_corpus_structure

pytestmark = pytest.mark.browser
BARE = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>display form</title></head><body>{div}</body></html>
"""


def _style(page: Any, selector: str, prop: str) -> str:
    return str(page.eval_on_selector(selector, f"e => getComputedStyle(e).getPropertyValue('{prop}')"))


def test_display_forms_open_as_xhtml(corpus: list[Path], browser: Any, tmp_path: Path) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    shutil.copy(PREVIEW_STYLESHEET, tmp_path / "soc-preview.css")
    for path in corpus[::6]:  # every sixth structure keeps the test short
        structure = load_corpus_structure(path)
        envelope = example_envelope(structure)
        document = example_documents(structure, 1, seed=5)[0]
        display = decode(encode(structure, document, envelope), with_display=True).display
        assert display is not None
        xhtml = display.decode("utf-8")

        styled = tmp_path / f"{structure.version_oid}.xhtml"
        styled.write_text(preview_page(xhtml, title=envelope.title), encoding="utf-8")
        page.goto(styled.as_uri())
        assert page.locator("parsererror").count() == 0, structure.version_oid
        assert page.locator("h1.soc-fulltitle").inner_text() == envelope.title
        assert page.locator(".soc-header .soc-hdr1").inner_text() == envelope.register_keeper.name
        assert page.locator(".soc-list > .soc-item > .soc-content").count() > 0
        assert page.locator(".soc-item > .soc-title").count() > 0
        assert "*****" in page.locator("p.client").inner_text()
        assert _style(page, ".soc-header", "border-bottom-width") == "3px"  # the preview stylesheet applies

        bare = tmp_path / f"{structure.version_oid}.bare.xhtml"
        bare.write_text(BARE.format(div=xhtml.removesuffix("\n")), encoding="utf-8")
        page.goto(bare.as_uri())
        assert page.locator("parsererror").count() == 0, structure.version_oid
        assert _style(page, ".soc-header", "border-bottom-width") == "0px"  # and nothing inside the form styles it
    page.close()
    assert errors == []
