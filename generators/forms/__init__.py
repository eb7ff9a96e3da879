"""Form definitions (`--target forms`): one JSON file per structure and per organisation variant.

Output: `OUT/forms/<version OID>.json`, `OUT/forms/<organisation id>/<version OID>.json`, `index.json`
listing them, and the format's JSON Schema (`form-definition.schema.json`). Unchanged variants are taken
from the previous build (content keys, see `variants.Variant.key`). Format: docs/forms.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sosmeta.generators.code_choices import build_lists
from sosmeta.generators.forms.definition import FORMAT_VERSION, build_form
from sosmeta.generators.forms.variants import code_version, dump_json, organisations, variants
from sosmeta.generators.registry import BuildContext, Target

SCHEMA_FILE = Path(__file__).with_name("form-definition.schema.json")


def generator_name() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"sosmeta {version('sosmeta')}"
    except PackageNotFoundError:
        return "sosmeta"


def build(ctx: BuildContext) -> None:
    name = generator_name()
    lists = build_lists(ctx.options)
    salt = (
        f"forms {FORMAT_VERSION} {name} {code_version('generators/forms', 'generators/code_choices.py', 'structures')}"
    )
    salt += f" lists {lists.fingerprint()}" if lists is not None else ""
    index: list[dict[str, Any]] = []
    for variant in ctx.progress(variants(ctx.structures, organisations(ctx.options)), "forms"):
        relative = variant.path("json")
        if not ctx.reuse(variant.key(salt), [relative]):
            form = build_form(variant.structure, variant.organisation, variant.template, generator=name, lists=lists)
            ctx.write(relative, dump_json(form))
        s = variant.structure
        index.append(
            {
                "path": relative,
                "oid": s.version_oid,
                "baseOid": s.base_oid,
                "version": s.version,
                "title": s.fi_title,
                "documentType": s.document_type,
                "documentSubject": s.document_subject,
                "organisation": variant.organisation.id if variant.organisation else None,
            }
        )
    ctx.write("index.json", dump_json({"formatVersion": FORMAT_VERSION, "forms": index}))
    ctx.write(SCHEMA_FILE.name, SCHEMA_FILE.read_bytes())


TARGET = Target(
    "forms",
    "Form definitions per structure version and organisation variant "
    "(OUT/forms/[<organisation id>/]<version OID>.json)",
    build,
)
