"""Diff and breaking: what changed between structure versions (or whole catalogs) and what it breaks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import sosmeta.workspace as ws
from sosmeta.catalog import Catalog, CatalogError
from sosmeta.messages import Lang, Message, message, text
from sosmeta.operations.progress import Progress, no_progress
from sosmeta.sosmeta_import import InputError, load_any, supported_suffixes
from sosmeta.structures.model import Structure


class FailOnError(ValueError):
    """A --fail-on value that names no category."""


@dataclass(frozen=True)
class CompatSettings:
    """What both comparisons share: the policy's overrides, renames, proofs and organisation templates."""

    fail_on: str | None = None
    renames_file: Path | None = None
    proof: bool = True
    full_mode: bool = False
    org_files: tuple[Path, ...] = ()


def policy_and_renames(workspace: ws.Workspace | None, settings: CompatSettings) -> tuple[Any, Any]:
    """The [breaking] policy of the workspace with the overrides of `settings`, and the renames to apply."""
    from sosmeta.structures.compat import load_renames, parse_categories
    from sosmeta.structures.compat.matching import Renames
    from sosmeta.structures.compat.report import PolicyError, policy_from_section

    section = workspace.section("breaking") if workspace else {}
    where = f"{workspace.root / ws.FILE_NAME} [breaking]" if workspace else "[breaking]"
    try:
        policy = policy_from_section(section, where)
    except PolicyError as exc:
        raise ws.WorkspaceError(str(exc)) from None
    if settings.fail_on is not None:
        try:
            policy = replace(policy, fail_on=parse_categories(settings.fail_on))
        except ValueError as exc:
            raise FailOnError(str(exc)) from None
    renames_file = settings.renames_file
    if renames_file is None and policy.renames and workspace is not None:
        renames_file = workspace.root / policy.renames
    return policy, (load_renames(renames_file) if renames_file is not None else Renames())


def _organisations(org_files: tuple[Path, ...]) -> list[Any]:
    from sosmeta.sosmeta_import.organisation import load_organisation

    return [load_organisation(path) for path in org_files]


def is_file_ref(ref: str) -> bool:
    """Whether `ref` names a file rather than a catalog reference."""
    path = Path(ref)
    return path.exists() and not path.is_dir()  # a FIFO or device too: the reader refuses it by name


def side(ref: str, catalog: Any) -> tuple[Structure, str]:
    """A file (JSON export or workbook holding one structure) or a catalog reference, with its source.

    `catalog` is called only for a catalog reference.
    """
    path = Path(ref)
    if is_file_ref(ref):
        structures = load_any(path)
        if len(structures) != 1:
            raise InputError.one(
                str(path),
                "",
                message("compat.many_structures", n=len(structures)),
                "compat.input",
            )
        return structures[0], str(path)
    if path.suffix.lower() in supported_suffixes() or path.exists():
        raise InputError.one(str(path), "", message("compat.no_such_file"), "compat.input")
    store = catalog()
    structure = store.resolve(ref)
    return structure, str(store.path_for(structure))


def newest_two(catalog: Catalog, ref: str, lang: Lang = "en") -> tuple[tuple[Structure, str], tuple[Structure, str]]:
    """The catalog's two newest versions of the structure `ref` names, with their sources."""
    oid = ref.partition("@")[0]
    entries = catalog.versions(oid)
    if not entries:
        catalog.resolve(oid)  # raises UnknownStructure, naming the nearest known OIDs
    if len(entries) < 2:
        raise CatalogError(text("compat.too_few_versions", lang, ref=ref, catalog=catalog.root, n=len(entries)))
    old, new = entries[-2:]
    return (catalog.load_entry(old), str(old.path)), (catalog.load_entry(new), str(new.path))


def diff(
    old: tuple[Structure, str],
    new: tuple[Structure, str],
    policy: tuple[Any, Any],
    settings: CompatSettings,
    *,
    unrelated: bool = False,
    lists: Any = None,
) -> Any:
    """The report (`structures.compat.report.Report`) of comparing two structure versions; `policy` is what
    `policy_and_renames` gives; `lists` the catalog's stored code lists (a bound list's version change)."""
    from sosmeta.generators.compat.check import compare_pair
    from sosmeta.structures.compat.report import apply_policy

    rules, renames = policy
    comparison = compare_pair(
        old[0],
        new[0],
        old[1],
        new[1],
        renames,
        settings.proof,
        full_mode=settings.full_mode,
        organisations=_organisations(settings.org_files),
        unrelated=unrelated,
        lists=lists,
    )
    return apply_policy([comparison], rules)


def breaking(
    catalog: Catalog,
    against: Catalog,
    policy: tuple[Any, Any],
    settings: CompatSettings,
    progress: Progress = no_progress,
    lang: Lang = "en",
) -> Any:
    """The report of comparing the newest version of every structure of `against` with that of `catalog`."""
    from sosmeta.generators.compat.check import compare_sets
    from sosmeta.operations.codes import stored_lists
    from sosmeta.structures.compat.report import apply_policy

    rules, renames = policy
    new_structures, old_structures = catalog.structures(), against.structures()
    if not new_structures and not old_structures:
        raise CatalogError(text("compat.both_empty", lang, catalog=catalog.root, against=against.root))
    sources = {id(s): str(against.path_for(s)) for s in old_structures}
    sources.update({id(s): str(catalog.path_for(s)) for s in new_structures})
    comparisons = compare_sets(
        old_structures,
        new_structures,
        lambda s: sources[id(s)],
        renames,
        proof=settings.proof,
        progress=progress,
        full_mode=settings.full_mode,
        organisations=_organisations(settings.org_files),
        lists=stored_lists(catalog.root),
    )
    return apply_policy(comparisons, rules)


@dataclass(frozen=True)
class RuleLine:
    id: str
    categories: tuple[str, ...]
    why: Message


def rules() -> list[RuleLine]:
    """The rule catalogue: every rule's id, the categories it breaks and why (fi, sv, en)."""
    from sosmeta.structures.compat import RULES
    from sosmeta.structures.compat.categories import ordered

    return [RuleLine(r.id, tuple(c.value for c in ordered(r.categories)), r.why) for r in RULES.values()]
