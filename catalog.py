"""The catalog: a folder holding one canonical Sosmeta export per structure version.

Layout: `DIR/<base OID>/<YYYY-MM-DD>.json`. The canonical file is the structure written by the sosmeta-json
generator, which for a real export is the export itself, byte for byte. Files are written atomically, inside
the catalog folder only (the OID must be dotted decimal, the version a real date, no link is followed), and
under the catalog's lock (`DIR/.sosmeta.lock`), so the conflict check and the write of one run are never
interleaved with another run's.
"""

from __future__ import annotations

import json
import re
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from sosmeta.messages import message
from sosmeta.safeio.errors import write_failure
from sosmeta.safeio.paths import inside
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.sosmeta_import.identity import version_disagreement
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structure_cache import load_file
from sosmeta.structures.identifiers import oid_problem, version_problem
from sosmeta.structures.model import Structure
from sosmeta.structures.pointers import differences

if TYPE_CHECKING:
    from sosmeta.safeio.locks import FolderLock

_VERSION_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")


class Outcome(StrEnum):
    NEW_STRUCTURE = "new structure"
    NEW_VERSION = "new version"
    UNCHANGED = "unchanged"
    REPLACED = "replaced"


class CatalogError(Exception):
    """A catalog operation that cannot be done (unknown reference, conflicting version)."""


NEAREST = 5
"""How many known OIDs an unknown one is answered with (a catalog holds over 150)."""


class UnknownStructure(CatalogError):
    """No structure with this OID: names the nearest known base OIDs, not all of them (front ends translate it
    from `oid`, `root` and `nearest`)."""

    def __init__(self, oid: str, root: Path, known: list[str]) -> None:
        import difflib

        self.oid, self.root = oid, root
        self.nearest = difflib.get_close_matches(oid, known, n=NEAREST, cutoff=0.0)
        shown = f"nearest: {', '.join(self.nearest)}" if self.nearest else "the catalog is empty"
        super().__init__(f"no structure {oid!r} in catalog {root} ({shown})")


@dataclass(frozen=True)
class Entry:
    base_oid: str
    version: str
    path: Path


_SHOWN_DIFFERENCES = 5


def _what_differs(stored: bytes, incoming: bytes) -> str:
    """Where the stored export and the incoming one differ, by JSON pointer (`/sosmeta/documentSubject
    changed`), at most a few and how many more; never a value (key names only)."""
    try:
        found = differences(json.loads(stored), json.loads(incoming))
    except ValueError:  # a stored file damaged by hand: reading it reports that in its own words
        return "the stored file is not readable JSON"
    if not found:
        return "they differ only in formatting"
    shown = ", ".join(f"{where or '/'} {what}" for where, what in found[:_SHOWN_DIFFERENCES])
    more = len(found) - _SHOWN_DIFFERENCES
    return f"differs at {shown}" + (f" and {more} more place{'s' if more > 1 else ''}" if more > 0 else "")


def oid_key(oid: str) -> tuple[int, ...]:
    """An OID's sort key: its arcs as integers, so OIDs sort as numbers do, not as strings."""
    return tuple(int(arc) for arc in oid.split("."))


class Catalog:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._cache: dict[Path, Structure] = {}
        self._folder_lock: FolderLock | None = None

    # Writing is imported when something is written: reading commands (validate, bulk encoding) start faster.
    @property
    def _lock(self) -> FolderLock:
        if self._folder_lock is None:
            from sosmeta.safeio.locks import FolderLock

            self._folder_lock = FolderLock(self.root)
        return self._folder_lock

    # ---- writing -----------------------------------------------------------------------------------
    def locked(self, wait: bool = True) -> AbstractContextManager[None]:
        """Hold the catalog's lock (re-entrant); `add()` takes it too, so holding it is only needed to keep
        several additions together or to be refused at once (`wait=False`) instead of waiting."""
        return self._lock.hold(wait)

    def path_for(self, structure: Structure) -> Path:
        """`ROOT/<base OID>/<version>.json`, proven inside the catalog folder."""
        if not structure.base_oid:
            raise CatalogError(message("catalog.no_oid", title=repr(structure.fi_title)))
        problem = oid_problem(structure.base_oid)
        if problem is not None:
            raise CatalogError(message("catalog.bad_base_oid", title=repr(structure.fi_title), problem=problem))
        problem = version_problem(structure.version)
        if problem is not None:
            raise CatalogError(message("catalog.bad_version", title=repr(structure.fi_title), problem=problem))
        return inside(self.root, structure.base_oid, f"{structure.version}.json")

    def add(self, structure: Structure, replace: bool = False) -> Outcome:
        """Store `structure`; a different file claiming an existing version is refused unless `replace`.

        The check and the write are done under the catalog's lock. A file that cannot be written raises
        InputError naming it (`file.unwritable`).
        """
        from sosmeta.generators.sosmeta_json import dump_structure

        data = dump_structure(structure).encode("utf-8")
        with self._lock.hold():
            path = self.path_for(structure)
            new_folder = not path.parent.exists()
            try:
                return self._store(structure, path, data, replace)
            except OSError as exc:
                if new_folder:  # an empty folder would make the next import say "new version"
                    with suppress(OSError):
                        path.parent.rmdir()
                raise write_failure(exc, path) from None

    def _store(self, structure: Structure, path: Path, data: bytes, replace: bool) -> Outcome:
        from sosmeta.generators.output import atomic_write

        disagreement = version_disagreement(structure)
        if disagreement is not None:
            raise CatalogError(
                message("catalog.refused", oid=structure.version_oid, why=disagreement.message, code=disagreement.code)
            )
        if path.exists():
            if path.read_bytes() == data:
                return Outcome.UNCHANGED
            self._same_version_oid(structure, path)
            if not replace:
                differs = _what_differs(path.read_bytes(), data)
                raise CatalogError(
                    message(
                        "catalog.conflict",
                        oid=structure.version_oid,
                        version=structure.version,
                        path=path,
                        differs=differs,
                    )
                )
            atomic_write(path, data)
            self._cache.pop(path, None)
            return Outcome.REPLACED
        outcome = Outcome.NEW_VERSION if path.parent.exists() else Outcome.NEW_STRUCTURE
        atomic_write(path, data)
        return outcome

    def _same_version_oid(self, structure: Structure, path: Path) -> None:
        """A stored version whose OID names its date is replaced only by content with the same version OID:
        another OID for the same date would give the version two names that both find it (and lose the name it
        had). A stored OID that does not name its date may be corrected with --replace."""
        stored = load_structure(path)
        names_its_date = stored.oid_date is not None and stored.oid_date.isoformat() == stored.version
        if names_its_date and stored.version_oid != structure.version_oid:
            raise CatalogError(
                message(
                    "catalog.version_oid_differs",
                    oid=structure.version_oid,
                    version=structure.version,
                    stored=stored.version_oid,
                    path=path,
                )
            )

    # ---- reading -----------------------------------------------------------------------------------
    def entries(self) -> list[Entry]:
        """Every version in the catalog, sorted by base OID (numerically, arc by arc: `...1506.1000` before
        `...1506.10001`, `...1505.9` before `...1505.10`) and version.

        Only folders named by an OID holding files named by a real date are versions; anything else (the lock
        file, a person's notes, a leftover from an older sosmeta) is not the catalog's and is passed over.
        """
        if not self.root.is_dir():
            return []
        out = []
        folders = (p for p in self.root.iterdir() if oid_problem(p.name) is None and p.is_dir())
        for folder in sorted(folders, key=lambda p: oid_key(p.name)):
            for file in sorted(folder.iterdir()):
                if _VERSION_FILE.match(file.name) and version_problem(file.name[:-5]) is None:
                    out.append(Entry(folder.name, file.name[:-5], file))
        return out

    def load_entry(self, entry: Entry) -> Structure:
        """The structure of an entry, which must be the one its place names (else CatalogError). Read through
        the structure cache (`structure_cache`): a file read before is built from its cached form."""
        if entry.path not in self._cache:
            structure = load_file(entry.path)
            if (structure.base_oid, structure.version) != (entry.base_oid, entry.version):
                raise CatalogError(message("catalog.misplaced", path=entry.path))
            self._cache[entry.path] = structure
        return self._cache[entry.path]

    def structures(self) -> list[Structure]:
        return [self.load_entry(e) for e in self.entries()]

    def latest(self) -> list[Structure]:
        """The newest version of every structure."""
        newest: dict[str, Entry] = {}
        for entry in self.entries():
            newest[entry.base_oid] = entry
        return [self.load_entry(e) for e in newest.values()]

    def versions(self, oid: str) -> list[Entry]:
        base = self._base_of(oid)
        return [e for e in self.entries() if e.base_oid == base]

    def resolve(self, ref: str) -> Structure:
        """`OID` (newest version), `OID@YYYY-MM-DD`, or a version OID (`...1506.15007.2024.11.28`)."""
        oid, _, version = ref.partition("@")
        candidates = self.versions(oid)
        if not candidates:
            raise UnknownStructure(oid, self.root, sorted({e.base_oid for e in self.entries()}))
        if version:
            chosen = [e for e in candidates if e.version == version]
        elif oid != candidates[0].base_oid:  # a version OID names its version
            chosen = [e for e in candidates if self.load_entry(e).version_oid == oid]
        else:
            chosen = candidates[-1:]
        if not chosen:
            have = ", ".join(e.version for e in candidates)
            raise CatalogError(
                message("catalog.no_version", oid=candidates[0].base_oid, version=repr(version or oid), have=have)
            )
        return self.load_entry(chosen[0])

    def _base_of(self, oid: str) -> str:
        bases = {e.base_oid for e in self.entries()}
        if oid in bases:
            return oid
        match = re.match(r"^(.+)\.\d{4}\.\d{1,2}\.\d{1,2}$", oid)
        return match.group(1) if match else oid


__all__ = ["Catalog", "CatalogError", "Entry", "InputError", "Outcome", "UnknownStructure"]
