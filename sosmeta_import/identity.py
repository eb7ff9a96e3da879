"""A structure's identity (its OID and version) checked where it enters, by every importer.

The OID and the version become folder and file names (`CATALOG/<base OID>/<YYYY-MM-DD>.json`,
`OUT/<target>/<version OID>.*`), so an OID must be dotted decimal and a version a real calendar date before
anything else looks at them. The messages name the field, never its value.

A version has two names, its version OID (`...1506.1005.2023.9.8`) and its date (`documentDefinitionVersion`,
`2023-09-08`); the format writes the same date in both, and the catalog files a version by its date and finds
it by either name. `version_disagreement()` is the check that they agree, made by importers (not by catalog
reads, so that `sosmeta lint` can still report a stored version that disagrees).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sosmeta.sosmeta_import.problem_texts import identifier_problem, say
from sosmeta.structures.identifiers import oid_problem, version_problem
from sosmeta.structures.model import Structure


@dataclass(frozen=True)
class IdentityProblem:
    key: str
    """The top-level sosmeta key at fault: `oid` or `documentDefinitionVersion`."""
    message: str
    code: str
    """`bad_oid` or `bad_version`; importers prefix their own format (`sosmeta.`, `excel.`)."""


def identity_problems(structure: Structure) -> Iterator[IdentityProblem]:
    """What is wrong with the structure's OID and definition version, when they are given."""
    if structure.oid is not None:
        problem = oid_problem(structure.oid)
        if problem is None and structure.base_oid != structure.oid:
            base = oid_problem(structure.base_oid)
            problem = None if base is None else say("identity.without_arcs", problem=identifier_problem(base))
        else:
            problem = identifier_problem(problem) if problem is not None else None
        if problem is not None:
            yield IdentityProblem("oid", say("identity.field", field="oid", problem=problem), "bad_oid")
    if structure.definition_version is not None:
        problem = version_problem(structure.definition_version)
        if problem is not None:
            field = "documentDefinitionVersion"
            yield IdentityProblem(
                field, say("identity.field", field=field, problem=identifier_problem(problem)), "bad_version"
            )


def version_disagreement(structure: Structure) -> IdentityProblem | None:
    """A problem when the version OID ends in date arcs that name another date than documentDefinitionVersion.

    Both names have passed `identity_problems` (dotted decimal, a real date), so the message may show the dates.
    """
    version = structure.definition_version
    if version is None or version_problem(version) is not None or structure.base_oid == structure.version_oid:
        return None
    arcs = structure.version_oid[len(structure.base_oid) + 1 :]
    if structure.oid_date is not None and structure.oid_date.isoformat() == version:
        return None
    return IdentityProblem(
        "oid",
        say("identity.mismatch", arcs=arcs, version=version),
        "version_mismatch",
    )
