"""A compatibility report: one or more compared version pairs, the policy (fail-on, ignores), and the verdict.

The `[breaking]` section of sosmeta.toml sets the policy, as buf.yaml's breaking section does:

    [breaking]
    fail_on = ["DOCUMENT_BACKWARD", "DOCUMENT_FORWARD"]   # default ["DOCUMENT_BACKWARD"]
    ignore = [
      { rule = "EXAMPLE_CHANGED" },                                  # everywhere
      { path = "asiakirja/lisatiedot" },                             # every rule at or below a key path
      { rule = "ELEMENT_REMOVED", path = "asiakirja/vanha_osio" },   # one rule at or below a key path
    ]
    renames = "renames.toml"                              # a renames file (see matching.py), optional
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sosmeta.structures.compat.categories import Category, parse_categories
from sosmeta.structures.compat.findings import Finding
from sosmeta.structures.compat.matching import did_you_mean
from sosmeta.structures.compat.rules import RULES
from sosmeta.structures.model import Structure, newest_versions

DEFAULT_FAIL_ON = frozenset({Category.DOCUMENT_BACKWARD})


class PolicyError(ValueError):
    """A `[breaking]` section or option that cannot be used (unknown rule or category, wrong type)."""


@dataclass(frozen=True)
class Ignore:
    rule: str | None = None
    path: str | None = None

    def covers(self, finding: Finding) -> bool:
        if self.rule is not None and finding.rule != self.rule:
            return False
        return self.path is None or finding.touches(self.path)


@dataclass(frozen=True)
class Policy:
    fail_on: frozenset[Category] = DEFAULT_FAIL_ON
    ignore: tuple[Ignore, ...] = ()
    renames: str | None = None

    def fails(self, finding: Finding) -> bool:
        return bool(finding.categories & self.fail_on)

    def ignored(self, finding: Finding) -> bool:
        return any(i.covers(finding) for i in self.ignore)


_POLICY_KEYS = ("fail_on", "ignore", "renames")


def policy_from_section(section: dict[str, Any], where: str = "[breaking]") -> Policy:
    """Read the `[breaking]` table; PolicyError names the entry at fault (an unknown key too)."""
    for key in section:
        if key not in _POLICY_KEYS:
            raise PolicyError(f"{where}: unknown key {key!r}{did_you_mean(key, _POLICY_KEYS)}")
    try:
        fail_on = parse_categories(section["fail_on"]) if "fail_on" in section else DEFAULT_FAIL_ON
    except (ValueError, AttributeError, TypeError) as exc:
        raise PolicyError(f"{where} fail_on: {exc}") from None
    ignores = []
    entries = section.get("ignore", [])
    if not isinstance(entries, list):
        raise PolicyError(f"{where} ignore must be a list of {{rule, path}} tables")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not set(entry) <= {"rule", "path"} or not entry:
            raise PolicyError(f"{where} ignore[{i}] must be a table with 'rule' and/or 'path'")
        rule, path = entry.get("rule"), entry.get("path")
        if rule is not None and rule not in RULES:
            raise PolicyError(f"{where} ignore[{i}]: unknown rule {rule!r} (see `sosmeta diff --rules`)")
        if path is not None and not isinstance(path, str):
            raise PolicyError(f"{where} ignore[{i}]: path must be a key path string")
        ignores.append(Ignore(rule, path.strip("/") if isinstance(path, str) else None))
    renames = section.get("renames")
    if renames is not None and not isinstance(renames, str):
        raise PolicyError(f"{where} renames must be a file path")
    return Policy(fail_on, tuple(ignores), renames)


@dataclass(frozen=True)
class Side:
    """One version as the report names it."""

    oid: str
    version: str
    version_oid: str
    title: str
    source: str
    """Where it came from: a file path, or a catalog file."""

    @classmethod
    def of(cls, structure: Structure, source: str) -> Side:
        return cls(structure.base_oid, structure.version, structure.version_oid, structure.fi_title, source)


@dataclass(frozen=True)
class Comparison:
    old: Side | None
    new: Side | None
    findings: tuple[Finding, ...]
    ignored: int = 0

    @property
    def side(self) -> Side:
        side = self.new or self.old
        assert side is not None
        return side


@dataclass(frozen=True)
class Report:
    comparisons: tuple[Comparison, ...]
    policy: Policy = field(default_factory=Policy)

    @property
    def findings(self) -> list[Finding]:
        return [f for c in self.comparisons for f in c.findings]

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if self.policy.fails(f)]

    @property
    def failed(self) -> bool:
        return bool(self.failing)

    @property
    def ignored(self) -> int:
        return sum(c.ignored for c in self.comparisons)


def apply_policy(comparisons: Iterable[Comparison], policy: Policy) -> Report:
    """Drop ignored findings (counting them) and attach the policy."""
    out = []
    for comparison in comparisons:
        kept = tuple(f for f in comparison.findings if not policy.ignored(f))
        out.append(
            replace(comparison, findings=kept, ignored=comparison.ignored + len(comparison.findings) - len(kept))
        )
    return Report(tuple(out), policy)


def pair_newest(old: Sequence[Structure], new: Sequence[Structure]) -> list[tuple[Structure | None, Structure | None]]:
    """Pair two sets of structures by base OID, newest version of each; unpaired ones come with None."""

    old_by, new_by = newest_versions(old), newest_versions(new)
    return [(old_by.get(oid), new_by.get(oid)) for oid in sorted(set(old_by) | set(new_by))]


def structure_finding(rule_id: str, structure: Structure) -> Finding:
    """STRUCTURE_ADDED / STRUCTURE_REMOVED for a whole structure."""
    rule = RULES[rule_id]
    added = rule_id == "STRUCTURE_ADDED"
    return Finding(
        rule_id,
        rule.categories,
        structure.fi_title,
        None if added else "",
        "" if added else None,
        old=None if added else structure.version_oid,
        new=structure.version_oid if added else None,
    )
