"""Compatibility between structure versions: match elements, apply the rule catalogue, report findings.

    from structures.compat import compare
    findings = compare(old_structure, new_structure)

The engine reads only the model. Counterexample documents and report formats live in `generators.compat`.
"""

from structures.compat.categories import Category, parse_categories
from structures.compat.diff import compare
from structures.compat.findings import Counterexample, Finding, JsonChange
from structures.compat.matching import Renames, load_renames
from structures.compat.rules import RULES, Rule

__all__ = [
    "RULES",
    "Category",
    "Counterexample",
    "Finding",
    "JsonChange",
    "Renames",
    "Rule",
    "compare",
    "load_renames",
    "parse_categories",
]
