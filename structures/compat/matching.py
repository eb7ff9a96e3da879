"""Pairing the elements of two versions: by key path, by confirmed renames, and by suspected renames.

Elements are the same when their key paths are the same (the key path is what documents carry). Below a
matched parent, an unmatched old child and an unmatched new child are a *suspected rename* when they sit in
the same slot (after the same matched sibling) or anywhere below the parent with very similar names, and
their fi and sv names are similar (difflib ratio). A renames file turns suspicions into facts, or rules
them out:

    # renames.toml
    [[rename]]
    old = "asiakirja/asiakas/nimi"        # key path in OLD
    new = "asiakirja/asiakas/sukunimi"    # key path in NEW

    [[distinct]]                          # not a rename, even if it looks like one
    old = "asiakirja/lisatiedot"
    new = "asiakirja/lisatietoja"

The same content as JSON (`{"rename": [{"old": ..., "new": ...}], "distinct": [...]}`) is read from a .json file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher, get_close_matches
from pathlib import Path
from typing import Any, Literal

from sosmeta.safeio.parsing import read_json, read_toml
from sosmeta.safeio.reading import MAX_CONFIG_BYTES, display_name
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.structures.model import Located, Structure

How = Literal["key", "renamed", "suspected"]
SLOT_RATIO = 0.6
"""Names at least this similar are a suspected rename when the two elements sit in the same slot."""
ANYWHERE_RATIO = 0.85
"""Names at least this similar are a suspected rename anywhere below the same parent."""


@dataclass(frozen=True)
class Renames:
    """Confirmed renames (old key path -> new key path) and pairs declared not to be renames."""

    confirmed: dict[str, str] = field(default_factory=dict)
    distinct: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Pair:
    old: Located
    new: Located
    how: How
    similarity: float = 1.0


@dataclass
class Matching:
    pairs: list[Pair] = field(default_factory=list)
    removed: list[Located] = field(default_factory=list)
    """Old elements without a partner whose parent has one (their descendants are gone with them)."""
    added: list[Located] = field(default_factory=list)
    """New elements without a partner whose parent has one."""


_TABLES = ("rename", "distinct")


def _entries(data: Any, name: str, source: str) -> list[tuple[str, str]]:
    items = data.get(name, [])
    if not isinstance(items, list):
        raise InputError.one(source, name, f"'{name}' must be a list of {{old, new}} entries", "renames.format")
    out = []
    for i, item in enumerate(items):
        if not (isinstance(item, dict) and isinstance(item.get("old"), str) and isinstance(item.get("new"), str)):
            raise InputError.one(
                source, f"{name}[{i}]", "each entry needs string keys 'old' and 'new' (key paths)", "renames.format"
            )
        unknown = sorted(set(item) - {"old", "new"})
        if unknown:
            raise InputError.one(
                source,
                f"{name}[{i}]",
                f"unknown key {unknown[0]!r}{did_you_mean(unknown[0], ('old', 'new'))}",
                "renames.format",
            )
        out.append((item["old"].strip("/"), item["new"].strip("/")))
    return out


def did_you_mean(name: str, known: tuple[str, ...]) -> str:
    """`; did you mean 'x'?` for the closest known name, or a list of the known ones."""
    close = get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"


def load_renames(path: Path) -> Renames:
    """Read a renames file (.toml or .json, bounded and strict: safeio.parsing); bad content raises InputError
    naming the file and entry."""
    source = display_name(path)
    if path.suffix.lower() == ".json":
        data = read_json(path, MAX_CONFIG_BYTES, source)
    else:
        data = read_toml(path, MAX_CONFIG_BYTES, source, syntax_code="renames.syntax")
    if not isinstance(data, dict):
        raise InputError.one(source, "", "expected a table with 'rename' and 'distinct' lists", "renames.format")
    for key in data:
        if key not in _TABLES:
            raise InputError.one(
                source, key, f"unknown table {key!r}{did_you_mean(key, _TABLES)}", "renames.unknown_table"
            )
    return Renames(dict(_entries(data, "rename", source)), frozenset(_entries(data, "distinct", source)))


def name_similarity(old: Located, new: Located) -> float:
    """The smaller of the fi and sv name ratios (fi alone when either has no sv name)."""
    fi = SequenceMatcher(None, old.element.fi_name.lower(), new.element.fi_name.lower()).ratio()
    old_sv, new_sv = old.element.sv_name, new.element.sv_name
    if old_sv is None or new_sv is None:
        return fi
    return min(fi, SequenceMatcher(None, old_sv.lower(), new_sv.lower()).ratio())


def _children(structure: Structure) -> dict[str, list[Located]]:
    out: dict[str, list[Located]] = defaultdict(list)
    for loc in structure.rows():
        assert loc.parent is not None
        out[loc.parent.key_path].append(loc)
    return out


def _slots(children: list[Located], matched: set[str]) -> dict[str, str | None]:
    """For each child key: the key of the nearest earlier sibling that has a partner (None at the start)."""
    slots: dict[str, str | None] = {}
    last: str | None = None
    for child in children:
        slots[child.element.key] = last
        if child.element.key in matched:
            last = child.element.key
    return slots


class _Matcher:
    def __init__(self, old: Structure, new: Structure, renames: Renames) -> None:
        self.old_children = _children(old)
        self.new_children = _children(new)
        self.renames = renames
        self.result = Matching()

    def visit(self, pair: Pair) -> None:
        self.result.pairs.append(pair)
        olds = self.old_children.get(pair.old.key_path, [])
        news = self.new_children.get(pair.new.key_path, [])
        new_by_key = {c.element.key: c for c in news}
        by_key = [(o, new_by_key[o.element.key]) for o in olds if o.element.key in new_by_key]
        common = {o.element.key for o, _ in by_key}
        old_left = [o for o in olds if o.element.key not in common]
        new_left = [n for n in news if n.element.key not in common]
        found: list[Pair] = [Pair(o, n, "key") for o, n in by_key]
        found += self._confirmed(old_left, new_left)
        taken_old = {p.old.key_path for p in found}
        taken_new = {p.new.key_path for p in found}
        old_left = [o for o in old_left if o.key_path not in taken_old]
        new_left = [n for n in new_left if n.key_path not in taken_new]
        found += self._suspected(old_left, new_left, olds, news, common)
        taken_old = {p.old.key_path for p in found}
        taken_new = {p.new.key_path for p in found}
        self.result.removed += [o for o in olds if o.key_path not in taken_old]
        self.result.added += [n for n in news if n.key_path not in taken_new]
        order = {o.key_path: i for i, o in enumerate(olds)}
        for child in sorted(found, key=lambda p: order[p.old.key_path]):
            self.visit(child)

    def _confirmed(self, olds: list[Located], news: list[Located]) -> list[Pair]:
        new_by_path = {n.key_path: n for n in news}
        out = []
        for o in olds:
            target = self.renames.confirmed.get(o.key_path)
            if target is not None and target in new_by_path:
                partner = new_by_path.pop(target)
                out.append(Pair(o, partner, "renamed", name_similarity(o, partner)))
        return out

    def _suspected(
        self, olds: list[Located], news: list[Located], all_old: list[Located], all_new: list[Located], common: set[str]
    ) -> list[Pair]:
        if not olds or not news:
            return []
        old_slot = _slots(all_old, common)
        new_slot = _slots(all_new, common)
        scored = []
        for o in olds:
            for n in news:
                if (o.key_path, n.key_path) in self.renames.distinct:
                    continue
                ratio = name_similarity(o, n)
                same_slot = old_slot[o.element.key] == new_slot[n.element.key]
                if ratio >= ANYWHERE_RATIO or (same_slot and ratio >= SLOT_RATIO):
                    scored.append((-ratio, not same_slot, o.key_path, n.key_path, o, n))
        out = []
        used_old: set[str] = set()
        used_new: set[str] = set()
        for neg_ratio, _, op, np_, o, n in sorted(scored, key=lambda s: s[:4]):
            if op in used_old or np_ in used_new:
                continue
            used_old.add(op)
            used_new.add(np_)
            out.append(Pair(o, n, "suspected", -neg_ratio))
        return out


def match(old: Structure, new: Structure, renames: Renames | None = None) -> Matching:
    """Pair the elements of `old` and `new`. The document elements are always paired (same structure)."""
    renames = renames or Renames()
    old_root, new_root = next(old.walk()), next(new.walk())
    if old_root.element.key == new_root.element.key:
        how: How = "key"
    elif renames.confirmed.get(old_root.key_path) == new_root.key_path:
        how = "renamed"
    else:
        how = "suspected"
    matcher = _Matcher(old, new, renames)
    matcher.visit(Pair(old_root, new_root, how, name_similarity(old_root, new_root)))
    return matcher.result
