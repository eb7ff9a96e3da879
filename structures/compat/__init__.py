"""Compatibility between structure versions: match elements, apply the rule catalogue, report findings.

    from sosmeta.structures.compat import compare
    findings = compare(old_structure, new_structure)

The engine reads only the model. Counterexample documents and report formats live in `generators.compat`.
"""

from sosmeta.structures.compat.categories import Category, parse_categories
from sosmeta.structures.compat.diff import compare
from sosmeta.structures.compat.findings import Counterexample, Finding, JsonChange
from sosmeta.structures.compat.matching import Renames, load_renames
from sosmeta.structures.compat.rules import RULES, Rule

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
