"""Which code list a Koodi element is bound to, by precedence: a stored list (pulled from the code server
or imported), its newest version unless a version is asked for; else the codes the structures state
themselves (embedded); else none, and then nothing is checked or offered."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sosmeta.structures.codelists.embedded import element_list
from sosmeta.structures.codelists.model import CodeList, natural_key
from sosmeta.structures.model import Located, Structure


class CodeLists:
    """Stored and embedded lists, looked up by classification OID (and version)."""

    def __init__(self, stored: Iterable[CodeList] = (), embedded: Iterable[CodeList] = ()) -> None:
        self._stored: dict[str, list[CodeList]] = {}
        for code_list in stored:
            self._stored.setdefault(code_list.classification, []).append(code_list)
        for versions in self._stored.values():
            versions.sort(key=lambda c: (natural_key(c.version), c.version))
        self._embedded = {c.classification: c for c in embedded}

    def versions(self, classification: str) -> list[CodeList]:
        """The stored versions, oldest first."""
        return list(self._stored.get(classification, ()))

    def version(self, classification: str, version: str) -> CodeList | None:
        for code_list in self._stored.get(classification, ()):
            if code_list.version == version:
                return code_list
        return None

    def stored(self, classification: str) -> CodeList | None:
        versions = self._stored.get(classification)
        return versions[-1] if versions else None

    def bound(self, classification: str) -> CodeList | None:
        """The list that counts for `classification`: the newest stored version, else the embedded list."""
        return self.stored(classification) or self._embedded.get(classification)

    def for_element(self, structure: Structure, located: Located) -> CodeList | None:
        """The list of one coded element: stored first, else the codes the element itself states."""
        oid = located.element.classification_oid_value
        if oid is None:
            return None
        return self.stored(oid) or element_list(structure, located)

    def fingerprint(self) -> str:
        """A short text that changes whenever any stored or embedded list does (for build outputs that are
        reused while their structure is unchanged: codes another structure states count too)."""
        digest = hashlib.sha256()
        for classification in sorted(self._stored):
            for code_list in self._stored[classification]:
                digest.update(code_list.model_dump_json(exclude={"provenance"}).encode("utf-8"))
        for classification in sorted(self._embedded):
            digest.update(self._embedded[classification].model_dump_json(exclude={"provenance"}).encode("utf-8"))
        return digest.hexdigest()[:16]
