"""HTML preview (`--target html`): a static site to try the forms in a browser, without any server.

Output: `OUT/html/index.html` (search and filters), `OUT/html/<version OID>.html` per structure,
`OUT/html/<organisation id>/<version OID>.html` per organisation variant, and `assets/` (the site's own CSS
and JavaScript; no external resources). Pages are rendered from the form definitions
(`generators.forms.definition`) with jinja2 templates (autoescaped). Unchanged pages are taken from the
previous build. docs/forms.md describes the site.
"""

from __future__ import annotations

from sosmeta.generators.code_choices import build_lists
from sosmeta.generators.forms.definition import FORMAT_VERSION, build_form
from sosmeta.generators.forms.variants import code_version, organisations, variants
from sosmeta.generators.html.render import ASSETS, form_page, index_page
from sosmeta.generators.registry import BuildContext, Target


def build(ctx: BuildContext) -> None:
    lists = build_lists(ctx.options)
    code = code_version("generators/forms", "generators/html", "generators/code_choices.py", "structures")
    salt = f"html {FORMAT_VERSION} {code}" + (f" lists {lists.fingerprint()}" if lists is not None else "")
    entries = []
    for variant in ctx.progress(variants(ctx.structures, organisations(ctx.options)), "html"):
        relative = variant.path("html")
        if not ctx.reuse(variant.key(salt), [relative]):
            form = build_form(variant.structure, variant.organisation, variant.template, lists=lists)
            ctx.write(relative, form_page(form, depth=relative.count("/")).encode("utf-8"))
        entries.append((relative, variant))
    ctx.write("index.html", index_page(entries).encode("utf-8"))
    for asset in sorted(ASSETS.iterdir()):
        ctx.write(f"assets/{asset.name}", asset.read_bytes())


TARGET = Target(
    "html",
    "Static HTML preview of the forms: index, one page per structure and organisation variant "
    "(OUT/html/[<organisation id>/]<version OID>.html)",
    build,
)
