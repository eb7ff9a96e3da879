"""A starting point for an organisation template: `sosmeta org new` writes one for a structure.

Every optional element is listed, commented out, under `omit`, and every field that takes rules (code
lists, repeats, values) has a commented `[template.elements."..."]` block, so a head user uncomments
instead of typing paths. The text is TOML made with jinja2; every value goes through the `toml` filter.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from sosmeta.generators.forms.codes import code_options
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import (
    PLACEHOLDER_INSTRUCTIONS,
    PLACEHOLDER_NAME,
    PLACEHOLDER_OID,
    PLACEHOLDER_TEXT,
    template_path,
    version_ref,
)
from sosmeta.structures.representation import Representation as R


def toml_value(value: Any) -> Markup:
    """A string or number as a TOML value (JSON strings are valid TOML basic strings)."""
    return Markup(json.dumps(value, ensure_ascii=False))


def comment(text: Any) -> Markup:
    """Text for a TOML comment: one line."""
    return Markup(" ".join(str(text).split()))


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["toml"] = toml_value
    env.filters["comment"] = comment
    return env


def _rules(rep: R | None, repeatable: bool, codes: list[str]) -> list[Markup]:
    """Example lines (commented out in the file) for the rules an element can take."""
    out: list[str] = []
    if rep is R.KOODI:
        out.append(
            f"codes = {json.dumps(codes, ensure_ascii=False)}"
            if codes
            else 'default = "1"  # a code of the list on the national code server'
        )
        if codes:
            out.append(f"default = {json.dumps(codes[0], ensure_ascii=False)}")
    elif rep in (R.TEKSTI, R.NIMI):
        out.append(f"default = {json.dumps(PLACEHOLDER_TEXT, ensure_ascii=False)}")
    elif rep is R.KYTKIN:
        out.append("default = false")
    elif rep in (R.NUMERO, R.LKM):
        out.append("default = 0")
    if repeatable:
        out.append("max_items = 5")
    return [Markup(line) for line in out]  # TOML made here from JSON values, not markup


def structure_line(structure: Structure, ref: str | None) -> str:
    """What the template's `structure` says: the base OID when `ref` (as the user gave it) is one or is not
    given, so the template follows the newest version; else the version the user named, in the form named
    (`OID@YYYY-MM-DD` or the version OID)."""
    if ref is None or ref == structure.base_oid:
        return structure.base_oid
    return version_ref(structure) if "@" in ref else structure.version_oid


def organisation_template(structure: Structure, org_id: str = "oma-organisaatio", ref: str | None = None) -> str:
    """The text of a starting template for `structure`, which `ref` named (see `structure_line`). The
    organisation's name and OID are placeholders (`structures.organisation.PLACEHOLDER_*`) that reading the
    template refuses until they are replaced."""
    rows = []
    paths = [template_path(structure, loc) for loc in structure.rows()]
    width = max((len(p) for p in paths), default=0)
    for loc, path in zip(structure.rows(), paths, strict=True):
        e = loc.element
        rep = e.representation
        codes = [o["code"] for o in code_options(e)] if rep is R.KOODI else []
        kind = (rep.fi if rep not in (None, R.GROUP) else "ryhmä") if rep is not None else "?"
        rows.append(
            {
                "path": path,
                "pad": width - len(path) + 1,
                "number": e.row_number,
                "name": e.fi_name,
                "kind": f"{kind}, {e.cardinality}",
                "required": e.is_required,
                "conditional": bool(e.conditional_required),
                "codes": codes,
                "rules": _rules(rep, e.is_repeatable, codes) if rep is not R.FRAASI else [],
            }
        )
    return (
        _environment()
        .get_template("organisation.toml.j2")
        .render(
            structure=structure,
            structure_ref=structure_line(structure, ref),
            follows_newest=structure_line(structure, ref) == structure.base_oid,
            placeholder={"name": PLACEHOLDER_NAME, "oid": PLACEHOLDER_OID, "instructions": PLACEHOLDER_INSTRUCTIONS},
            title=structure.fi_title,
            org_id=org_id,
            rows=rows,
            bilingual=structure.document.sv_name is not None,
            first_keys=[c.key for c in structure.document.children][:2],
        )
    )
