"""What a forms-like target builds: one variant per structure, and one per organisation template.

A template naming a base OID applies to the newest version of that structure in the build; one naming a
version OID applies to that version. Each variant has a content key (structure + template + generator code)
so that an unchanged variant is taken from the previous build instead of being generated again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sosmeta_import.organisation import load_organisation
from structures.model import Structure
from structures.organisation import Organisation, Template

ORGANISATION_MODELS = "organisation_models"
"""Build option holding the organisations, loaded and checked by the build command."""


def organisations(options: Mapping[str, Any]) -> list[Organisation]:
    """The build's organisations: as loaded by the build command, else read from `[organisations] files`
    (paths relative to `workspace_root`, default the current folder)."""
    models = options.get(ORGANISATION_MODELS)
    if models is not None:
        return list(models)
    section = options.get("organisations", {})
    files = section.get("files", []) if isinstance(section, dict) else []
    root = Path(str(options.get("workspace_root", ".")))
    return [load_organisation(root / str(f)) for f in files]


@dataclass(frozen=True)
class Variant:
    structure: Structure
    digest: str
    """Hash of the structure's model (see `structure_digest`)."""
    organisation: Organisation | None = None
    template: Template | None = None

    def path(self, suffix: str) -> str:
        """`<version OID>.<suffix>`, inside `<organisation id>/` for an organisation variant."""
        name = f"{self.structure.version_oid}.{suffix}"
        return f"{self.organisation.id}/{name}" if self.organisation is not None else name

    def key(self, salt: str) -> str:
        """A hash of everything the variant's output depends on; `salt` names the generator and its code."""
        digest = hashlib.sha256(salt.encode())
        digest.update(self.digest.encode())
        if self.organisation is not None:
            digest.update(self.organisation.model_dump_json(exclude={"templates", "source"}).encode())
        if self.template is not None:
            digest.update(self.template.model_dump_json().encode())
        return digest.hexdigest()


def structure_digest(structure: Structure) -> str:
    """A hash of the whole structure model (every text, flag and keyword)."""
    return hashlib.sha256(structure.model_dump_json().encode()).hexdigest()


def variants(structures: Iterable[Structure], orgs: Iterable[Organisation]) -> list[Variant]:
    """National variants in build order, then every organisation template that names a structure present."""
    structures = list(structures)
    digests = {id(s): structure_digest(s) for s in structures}
    out = [Variant(s, digests[id(s)]) for s in structures]
    by_version = {s.version_oid: s for s in structures}
    newest: dict[str, Structure] = {}
    for s in structures:
        if s.base_oid not in newest or s.version > newest[s.base_oid].version:
            newest[s.base_oid] = s
    for org in orgs:
        for template in org.templates:
            target = by_version.get(template.structure) or newest.get(template.structure)
            if target is not None:
                out.append(Variant(target, digests[id(target)], org, template))
    return out


@cache
def code_version(*packages: str) -> str:
    """A hash of the source files (code, templates, assets) of the given folders of the project
    (`generators/forms`, `structures`)."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent.parent
    for package in packages:
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def dump_json(data: Any) -> bytes:
    """Deterministic JSON bytes for output files (UTF-8, 1-space indent, trailing newline)."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
