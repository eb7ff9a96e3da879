"""Rendering the preview site's pages with jinja2 (autoescape on) from form definitions."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from sosmeta.generators.forms.variants import Variant

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
SEARCH_AT = 20
"""A code list longer than this gets a search box that narrows its choices (municipalities: some 300)."""


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["SEARCH_AT"] = SEARCH_AT
    return env


class Ids:
    """Element ids for a page: unique, and marked `__R__` inside repeat templates (the page script replaces
    the marker with a fresh number whenever it adds an item)."""

    def __init__(self) -> None:
        self.count = 0

    def next(self, repeated: bool) -> str:
        self.count += 1
        return f"f{self.count}" + ("-__R__" if repeated else "")


def form_page(form: dict[str, Any], depth: int = 0) -> str:
    """The page of one form definition; `depth` = folders below the site root (assets are relative)."""
    return (
        environment().get_template("form.html.j2").render(form=form, root=form["root"], ids=Ids(), base="../" * depth)
    )


def index_page(entries: Iterable[tuple[str, Variant]]) -> str:
    rows = []
    for relative, v in entries:
        s = v.structure
        rows.append(
            {
                "href": relative,
                "title": s.fi_title,
                "sv_title": s.document.sv_name,
                "oid": s.version_oid,
                "version": s.version,
                "status": s.status or "",
                "type": s.document_type or "",
                "subject": s.document_subject or "",
                "organisation": v.organisation.name.fi if v.organisation is not None else "",
            }
        )
    types = sorted({r["type"] for r in rows if r["type"]})
    subjects = sorted({r["subject"] for r in rows if r["subject"]})
    return environment().get_template("index.html.j2").render(rows=rows, types=types, subjects=subjects)
