"""The real version pairs of the shared corpus (older "Vanhentunut" exports beside current ones, paired by base
OID): approved report snapshots, verified counterexamples, and sampled archive documents.

The snapshot keeps only this project's own analysis (rule IDs, key paths, categories, counts), never content of
the exports. Regenerate it after reviewing a change with SOSMETA_UPDATE_SNAPSHOTS=1.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from sosmeta.generators.compat.proof import Adaptation, adapt, adaptation, pointer_keys, prove_all
from sosmeta.generators.sosmeta_json import structure_data
from sosmeta.generators.strategies import documents
from sosmeta.structures.compat import Category, Finding, compare
from sosmeta.structures.compat.categories import ordered
from sosmeta.structures.model import Structure
from tests.conftest import corpus_files, load_corpus_structure, require_corpus

SNAPSHOT = Path(__file__).parent / "snapshots" / "compat_real_pairs.json"
B = Category.DOCUMENT_BACKWARD


def version_pairs() -> list[tuple[Path, Path]]:
    """Consecutive versions of each structure in the corpus (by base OID)."""
    by_oid: dict[str, list[tuple[str, Path]]] = defaultdict(list)
    for path in corpus_files():
        structure = load_corpus_structure(path)
        by_oid[structure.base_oid].append((structure.version, path))
    pairs = []
    for versions in by_oid.values():
        versions.sort()
        pairs += [(a[1], b[1]) for a, b in pairwise(versions)]
    return sorted(pairs)


PAIRS = version_pairs()
PAIR_IDS = [f"{a.stem}->{b.stem}" for a, b in PAIRS]


def pair_key(old: Structure, new: Structure) -> str:
    return f"{old.base_oid} {old.version} -> {new.version}"


@cache
def proved(old_path: Path, new_path: Path) -> tuple[Finding, ...]:
    old, new = load_corpus_structure(old_path), load_corpus_structure(new_path)
    return tuple(prove_all(compare(old, new), old, new))


def summary(findings: tuple[Finding, ...]) -> dict[str, Any]:
    """What the snapshot keeps: counts per rule, and every finding that is not wording only."""
    return {
        "counts": dict(sorted(Counter(f.rule for f in findings).items())),
        "findings": [
            f"{f.rule} {f.path} {','.join(c.value for c in ordered(f.categories))}"
            for f in findings
            if f.categories - {Category.TEXT}
        ],
        "counterexamples": dict(
            Counter("verified" if e.verified else "unverified" for f in findings for e in f.counterexamples)
        ),
    }


def test_real_pairs_exist(corpus: list[Path]) -> None:
    assert PAIRS, "the corpus has no two versions of any structure"


def test_reports_match_approved_snapshot(corpus: list[Path]) -> None:
    current = {pair_key(load_corpus_structure(a), load_corpus_structure(b)): summary(proved(a, b)) for a, b in PAIRS}
    if os.environ.get("SOSMETA_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(current, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    approved = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    shared = sorted(set(approved) & set(current))
    assert shared, "no snapshot pair is in the corpus"
    for key in shared:
        assert current[key] == approved[key], key


def oracle(structure: Structure) -> Draft7Validator:
    return Draft7Validator(structure_data(structure))


@pytest.mark.parametrize(("old_path", "new_path"), PAIRS, ids=PAIR_IDS)
def test_every_document_finding_has_a_verified_counterexample(old_path: Path, new_path: Path) -> None:
    require_corpus()
    old, new = load_corpus_structure(old_path), load_corpus_structure(new_path)
    findings = proved(old_path, new_path)
    validators = {"old": oracle(old), "new": oracle(new)}
    for finding in findings:
        assert {e.category for e in finding.counterexamples} == set(finding.document_categories)
        for example in finding.counterexamples:
            assert example.verified, (finding.rule, finding.path, example.note)
            how = adaptation(findings, finding, example.valid_under)
            assert validators[example.valid_under].is_valid(example.document)
            assert not validators[example.invalid_under].is_valid(adapt(example.document, how))


def _covered(keys: str, findings: tuple[Finding, ...]) -> bool:
    """Whether a rejection at key path `keys` is explained by a DOCUMENT_BACKWARD finding."""
    for finding in findings:
        if B not in finding.categories:
            continue
        for path in (finding.old_path, finding.new_path):
            if path is None:
                continue
            parent = path.rsplit("/", 1)[0] if "/" in path else ""
            if keys in (path, parent) or keys.startswith(path + "/"):
                return True
        if keys in (finding.old_parent, finding.new_parent):
            return True
    return False


@pytest.mark.parametrize(("old_path", "new_path"), PAIRS, ids=PAIR_IDS)
def test_archived_documents_stay_valid_unless_reported(old_path: Path, new_path: Path) -> None:
    """Documents valid under OLD are valid under NEW except where the report says DOCUMENT_BACKWARD."""
    require_corpus()
    old, new = load_corpus_structure(old_path), load_corpus_structure(new_path)
    findings = proved(old_path, new_path)
    renamed = Adaptation({f.old_path: f.new_path for f in findings if f.rule.startswith("ELEMENT_RENAME")})
    old_check, new_check = oracle(old), oracle(new)
    backward = any(B in f.categories for f in findings)

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data: st.DataObject) -> None:
        document = data.draw(documents(old))
        assert old_check.is_valid(document)
        errors = list(new_check.iter_errors(adapt(document, renamed)))
        if not backward:
            assert not errors
        for error in errors:
            keys = pointer_keys("".join(f"/{p}" for p in error.absolute_path))
            assert _covered(keys, findings), (keys, error.validator)

    check()
