"""Unchanged rebuilds: outputs are taken from the previous build by content key, and only what changed is
generated again; a reused file is byte-identical to a freshly generated one."""

from __future__ import annotations

from pathlib import Path

from sosmeta.generators.forms import TARGET as FORMS
from sosmeta.generators.forms.variants import ORGANISATION_MODELS
from sosmeta.generators.html import TARGET as HTML
from sosmeta.generators.output import StagedDirectory
from sosmeta.generators.registry import REUSE_MANIFEST, BuildContext, Target
from sosmeta.sosmeta_import.organisation import load_organisation
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Bilingual, Organisation

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_STRUCTURE = ROOT / "example" / "sources" / "perhetyon-seurantamerkinta.json"
EXAMPLE_ORG = ROOT / "example" / "orgs" / "jarvimaa-lastensuojelu.toml"


def build(target: Target, structures: list[Structure], orgs: list[Organisation], out: Path) -> BuildContext:
    """One build as `sosmeta build` runs it."""
    final = out / target.name
    staged = StagedDirectory(final)
    ctx = BuildContext(
        structures=structures,
        out_dir=staged.staging,
        options={ORGANISATION_MODELS: orgs},
        previous=final if final.is_dir() else None,
    )
    target.build(ctx)
    ctx.finish()
    staged.commit()
    return ctx


def relative(ctx: BuildContext, paths: list[Path]) -> set[str]:
    return {p.relative_to(ctx.out_dir).as_posix() for p in paths}


def test_unchanged_rebuild_reuses_every_variant_and_a_changed_template_only_its_own(tmp_path: Path) -> None:
    structure = load_structure(EXAMPLE_STRUCTURE)
    org = load_organisation(EXAMPLE_ORG)
    for target, suffix in ((FORMS, "json"), (HTML, "html")):
        national = f"{structure.version_oid}.{suffix}"
        variant = f"{org.id}/{structure.version_oid}.{suffix}"
        first = build(target, [structure], [org], tmp_path)
        assert first.reused == [] and (tmp_path / target.name / REUSE_MANIFEST).is_file()
        fresh = {name: (tmp_path / target.name / name).read_bytes() for name in (national, variant)}

        again = build(target, [structure], [org], tmp_path)
        assert relative(again, again.reused) == {national, variant}
        assert {n: (tmp_path / target.name / n).read_bytes() for n in fresh} == fresh

        renamed = org.model_copy(update={"letterhead": Bilingual(fi="Uusi kirjelomake", sv="Nytt brevhuvud")})
        changed = build(target, [structure], [renamed], tmp_path)
        assert relative(changed, changed.reused) == {national}
        assert (tmp_path / target.name / variant).read_bytes() != fresh[variant]
        assert "Uusi kirjelomake" in (tmp_path / target.name / variant).read_text(encoding="utf-8")


def test_output_is_deterministic(tmp_path: Path) -> None:
    structure = load_structure(EXAMPLE_STRUCTURE)
    org = load_organisation(EXAMPLE_ORG)
    for target in (FORMS, HTML):
        one = build(target, [structure], [org], tmp_path / "one")
        two = build(target, [structure], [org], tmp_path / "two")
        first, second = tmp_path / "one" / target.name, tmp_path / "two" / target.name
        assert {p.relative_to(first) for p in first.rglob("*")} == {p.relative_to(second) for p in second.rglob("*")}
        for path in first.rglob("*"):
            if path.is_file():
                assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path.name
        assert one.reused == two.reused == []
