"""What changed between two versions (or two retrievals) of a code list: codes added, removed, renamed,
expired, and other changes (parent, validity, attributes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sosmeta.structures.codelists.model import CodeList, natural_key


@dataclass(frozen=True)
class Renamed:
    code: str
    lang: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class CodeListDiff:
    old: str
    new: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    renamed: tuple[Renamed, ...] = ()
    expired: tuple[str, ...] = ()
    """Codes that end in the new list (an expiration date or DELETED status they did not have)."""
    changed: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    """Other changes: code and the fields that differ (parent, begin, expires, status, attributes)."""

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.expired or self.changed)


def _sorted(codes: set[str]) -> tuple[str, ...]:
    return tuple(sorted(codes, key=lambda c: (natural_key(c), c)))


def diff_lists(old: CodeList, new: CodeList) -> CodeListDiff:
    a, b = old.by_code(), new.by_code()
    renamed: list[Renamed] = []
    expired: list[str] = []
    changed: list[tuple[str, tuple[str, ...]]] = []
    for code in _sorted(set(a) & set(b)):
        x, y = a[code], b[code]
        for lang in sorted(set(x.names) | set(y.names)):
            if x.names.get(lang) != y.names.get(lang):
                renamed.append(Renamed(code, lang, x.names.get(lang), y.names.get(lang)))
        ended = (y.expires is not None and y.expires != x.expires) or (y.status == "DELETED" != x.status)
        if ended:
            expired.append(code)
        fields = [f for f in ("parent", "begin", "attributes") if getattr(x, f) != getattr(y, f)]
        if not ended:
            fields += [f for f in ("expires", "status") if getattr(x, f) != getattr(y, f)]
        if fields:
            changed.append((code, tuple(fields)))
    return CodeListDiff(
        old=old.ref,
        new=new.ref,
        added=_sorted(set(b) - set(a)),
        removed=_sorted(set(a) - set(b)),
        renamed=tuple(renamed),
        expired=tuple(expired),
        changed=tuple(changed),
    )
