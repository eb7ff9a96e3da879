"""Forms and HTML preview benchmark: building both targets for the whole shared corpus, cold and unchanged.

A cold build generates every file; an unchanged rebuild takes every file from the previous build by content
key (BuildContext.reuse). The baseline is the sosmeta-json target on the same structures in the same run.

    python bench/forms_bench.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, best_of, corpus_files
from sosmeta.generators.forms import TARGET as FORMS
from sosmeta.generators.forms.variants import _DIGESTS, ORGANISATION_MODELS
from sosmeta.generators.html import TARGET as HTML
from sosmeta.generators.output import StagedDirectory
from sosmeta.generators.registry import BuildContext, Target
from sosmeta.generators.sosmeta_json import TARGET as SOSMETA_JSON
from sosmeta.sosmeta_import.organisation import load_organisation
from sosmeta.sosmeta_import.sosmeta_json import load_structure

TEST_ORG = ROOT / "tests" / "data" / "orgs" / "merikaupunki-sijaishuolto.toml"


def build(target: Target, structures: list, out: Path, options: dict) -> BuildContext:
    """One build as `sosmeta build` runs it: staged folder, previous output for reuse, swap in."""
    final = out / target.name
    staged = StagedDirectory(final)
    ctx = BuildContext(
        structures=structures, out_dir=staged.staging, options=options, previous=final if final.is_dir() else None
    )
    target.build(ctx)
    ctx.finish()
    staged.commit()
    return ctx


def main() -> None:
    structures = [load_structure(f) for f in corpus_files()]
    options = {ORGANISATION_MODELS: [load_organisation(TEST_ORG)]}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        baseline = best_of(3, lambda: build(SOSMETA_JSON, structures, out / "base", {}))
        print(f"{len(structures)} structures; baseline sosmeta-json build: {baseline * 1000:.0f} ms")
        for target in (FORMS, HTML):
            cold, written = measure_cold(target, structures, out, options)
            warm_ctx: list[BuildContext] = []

            def rebuild(t: Target = target, into: list[BuildContext] = warm_ctx) -> None:
                _DIGESTS.clear()  # as in a new process: the structures' content hashes are computed again
                into.append(build(t, structures, out / "cold0", options))

            warm = best_of(5, rebuild)
            reused = len(warm_ctx[-1].reused)
            print(
                f"{target.name:<6} cold {cold * 1000:6.0f} ms ({written} files, {cold / baseline:.1f}x baseline)"
                f"   unchanged {warm * 1000:5.0f} ms ({reused} files reused, {warm / baseline:.2f}x baseline, "
                f"{cold / warm:.0f}x faster than cold)"
            )

        def both() -> None:
            _DIGESTS.clear()
            for t in (FORMS, HTML):
                build(t, structures, out / "cold0", options)

        print(f"forms + html unchanged, as one build: {best_of(5, both) * 1000:.0f} ms")


def measure_cold(target: Target, structures: list, out: Path, options: dict) -> tuple[float, int]:
    """Best of three builds into empty folders (cold0 is kept for the unchanged rebuilds)."""
    runs = []
    written = 0
    for i in range(3):
        start = time.perf_counter()
        ctx = build(target, structures, out / f"cold{i}", options)
        runs.append(time.perf_counter() - start)
        written = len(ctx.written)
    return min(runs), written


if __name__ == "__main__":
    main()
