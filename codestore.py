"""The code-list store: one canonical JSON file per classification version, beside the structures.

Layout: `CATALOG/codes/<classification OID>/<version>.json` (`codes` is no OID, so the catalog's own
listing passes over it). Files are written under the catalog's lock, atomically, and all or nothing: when one
file of an import cannot be written, those already written are put back as they were. A list whose codes are
unchanged is not written again, so its provenance keeps the time its content was first obtained and a
re-pull that finds nothing new changes no byte.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sosmeta.catalog import CatalogError
from sosmeta.generators.output import atomic_write
from sosmeta.safeio.errors import write_failure
from sosmeta.safeio.locks import FolderLock
from sosmeta.safeio.parsing import read_json
from sosmeta.safeio.paths import inside
from sosmeta.safeio.reading import MAX_STRUCTURE_BYTES
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.structures.codelists.model import CodeList, code_list_from_data, dump_code_list, natural_key
from sosmeta.structures.identifiers import oid_problem

FOLDER = "codes"
_VERSION_FILE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.json$")


class Outcome(StrEnum):
    NEW_LIST = "new list"
    NEW_VERSION = "new version"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class StoreEntry:
    classification: str
    version: str
    path: Path


def version_order(version: str) -> tuple[object, ...]:
    return (natural_key(version), version)


class CodeStore:
    """The code lists of one catalog folder."""

    def __init__(self, catalog_root: Path | str) -> None:
        self.catalog_root = Path(catalog_root)
        self.root = self.catalog_root / FOLDER
        self._lock = FolderLock(self.catalog_root)
        self._cache: dict[Path, CodeList] = {}

    # ---- reading -----------------------------------------------------------------------------------
    def entries(self) -> list[StoreEntry]:
        """Every stored version, by classification and version (natural order); other files are passed over."""
        if not self.root.is_dir():
            return []
        out = []
        for folder in sorted(p for p in self.root.iterdir() if oid_problem(p.name) is None and p.is_dir()):
            found = [m.group(1) for f in folder.iterdir() if (m := _VERSION_FILE.match(f.name))]
            for version in sorted(found, key=version_order):
                out.append(StoreEntry(folder.name, version, folder / f"{version}.json"))
        return out

    def load(self, entry: StoreEntry) -> CodeList:
        """The list of an entry; a file that is not one, or holds another list than its place, is refused."""
        if entry.path not in self._cache:
            data = read_json(entry.path, MAX_STRUCTURE_BYTES, str(entry.path))
            try:
                code_list = code_list_from_data(data)
            except ValueError as exc:
                first = str(exc).splitlines()[0]
                raise CatalogError(f"{entry.path}: not a stored code list ({first})") from None
            if (code_list.classification, code_list.version) != (entry.classification, entry.version):
                raise CatalogError(
                    f"{entry.path}: holds another code list than its place names (moved or edited by hand?)"
                )
            self._cache[entry.path] = code_list
        return self._cache[entry.path]

    def lists(self) -> list[CodeList]:
        return [self.load(e) for e in self.entries()]

    def versions(self, classification: str) -> list[CodeList]:
        return [self.load(e) for e in self.entries() if e.classification == classification]

    def resolve(self, ref: str) -> CodeList:
        """`OID` (its newest version) or `OID@VERSION`."""
        classification, _, version = ref.partition("@")
        have = self.versions(classification)
        if not have:
            known = ", ".join(sorted({e.classification for e in self.entries()})) or "none"
            raise CatalogError(f"no code list {classification!r} in {self.root} (known: {known})")
        if not version:
            return have[-1]
        for code_list in have:
            if code_list.version == version:
                return code_list
        raise CatalogError(
            f"code list {classification} has no version {version!r} (has: {', '.join(c.version for c in have)})"
        )

    # ---- writing -----------------------------------------------------------------------------------
    def path_for(self, code_list: CodeList) -> Path:
        problem = oid_problem(code_list.classification)
        if problem is not None:
            raise CatalogError(f"code list classification {problem}")
        return inside(self.root, code_list.classification, f"{code_list.version}.json")

    def _outcome(self, code_list: CodeList, path: Path) -> Outcome:
        if path.exists():
            stored = self.load(StoreEntry(code_list.classification, code_list.version, path))
            return Outcome.UNCHANGED if stored.content() == code_list.content() else Outcome.UPDATED
        return Outcome.NEW_VERSION if path.parent.exists() else Outcome.NEW_LIST

    def write(self, lists: list[CodeList], wait: bool = True) -> list[tuple[CodeList, Outcome]]:
        """Store `lists` all or nothing, under the catalog's lock; unchanged lists are left as they are."""
        with self._lock.hold(wait):
            plan = []
            outcomes = []
            for code_list in lists:
                path = self.path_for(code_list)
                outcome = self._outcome(code_list, path)
                outcomes.append((code_list, outcome))
                if outcome is not Outcome.UNCHANGED:
                    plan.append((path, dump_code_list(code_list).encode("utf-8")))
            self._apply(plan)
            return outcomes

    def _apply(self, plan: list[tuple[Path, bytes]]) -> None:
        done: list[tuple[Path, bytes | None, bool]] = []
        try:
            for path, data in plan:
                new_folder = not path.parent.exists()
                before = path.read_bytes() if path.exists() else None
                done.append((path, before, new_folder))
                atomic_write(path, data)
                self._cache.pop(path, None)
        except OSError as exc:
            self._undo(done)
            raise write_failure(exc, done[-1][0] if done else self.root) from None
        except BaseException:
            self._undo(done)
            raise

    def _undo(self, done: list[tuple[Path, bytes | None, bool]]) -> None:
        """Put back what `_apply` changed before it failed (best effort: the failure itself is reported)."""
        for path, before, new_folder in reversed(done):
            with suppress(OSError):
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    atomic_write(path, before)
            if new_folder:
                with suppress(OSError):
                    path.parent.rmdir()
            self._cache.pop(path, None)


__all__ = ["CodeStore", "InputError", "Outcome", "StoreEntry"]
