"""What a forms-like target builds: one variant per structure, and one per organisation template.

A template naming a base OID applies to the newest version of that structure in the build; one naming a
version OID applies to that version. Each variant has a content key (structure + template + generator code)
so that an unchanged variant is taken from the previous build instead of being generated again.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation, Template, template_structure

ORGANISATION_MODELS = "organisation_models"
"""Build option holding the organisations, loaded and checked by the build command."""


def organisations(options: Mapping[str, Any]) -> list[Organisation]:
    """The build's organisations, as the build command loaded and checked them (none when it did not)."""
    return list(options.get(ORGANISATION_MODELS) or [])


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


_DIGESTS: OrderedDict[int, tuple[Structure, str]] = OrderedDict()


def structure_digest(structure: Structure) -> str:
    """A hash of the whole structure model (every text, flag and keyword), computed once per structure
    object, so that the targets of one build share it (it is most of an unchanged rebuild's time)."""
    hit = _DIGESTS.get(id(structure))
    if hit is not None and hit[0] is structure:
        return hit[1]
    digest = hashlib.sha256(structure.model_dump_json().encode()).hexdigest()
    _DIGESTS[id(structure)] = (structure, digest)  # holding the structure keeps its id from being reused
    if len(_DIGESTS) > 4096:
        _DIGESTS.popitem(last=False)
    return digest


def variants(structures: Iterable[Structure], orgs: Iterable[Organisation]) -> list[Variant]:
    """National variants in build order, then every organisation template that names a structure present."""
    structures = list(structures)
    digests = {id(s): structure_digest(s) for s in structures}
    out = [Variant(s, digests[id(s)]) for s in structures]
    for org in orgs:
        for template in org.templates:
            target = template_structure(template, structures)
            if target is not None:
                out.append(Variant(target, digests[id(target)], org, template))
    return out


@cache
def code_version(*packages: str) -> str:
    """A hash of the source files (code, templates, assets) of the given folders or files of the project
    (`generators/forms`, `structures`, `generators/code_choices.py`)."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent.parent
    for package in packages:
        top = root / package
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def dump_json(data: Any) -> bytes:
    """Deterministic JSON bytes for output files (UTF-8, 1-space indent, trailing newline)."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
