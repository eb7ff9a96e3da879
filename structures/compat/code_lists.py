"""When a new structure version binds an element to another version of the same code list
(`classificationOid` `1.2.246.537.6.1221.201601` -> `...1221.202001`) and the catalog stores both versions:
what that does to documents, from the two lists (codes removed or expired break old documents, codes added
are refused by the old version). Which OID is a classification and which arc a version is comes from the
store: an OID is split only where the store has that classification, so two neighbouring lists
(`...1221`, `...1222`) are never taken for versions of one.
"""

from __future__ import annotations

from sosmeta.messages import Lang, composed, message, text
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.diff import CodeListDiff, diff_lists
from sosmeta.structures.codelists.embedded import is_coded
from sosmeta.structures.compat.categories import B, Category, F
from sosmeta.structures.compat.findings import Counterexample, Finding
from sosmeta.structures.compat.matching import Renames, match
from sosmeta.structures.compat.rules import RULES
from sosmeta.structures.model import Structure

RULE = "CODE_LIST_VERSION_CHANGED"
_SHOWN = 10


def split_version(oid: str, lists: CodeLists) -> tuple[str, str | None] | None:
    """(classification, version or None) of a bound OID, as the store knows them; None when it knows neither."""
    if lists.versions(oid):
        return oid, None
    classification, _, version = oid.rpartition(".")
    if classification and lists.versions(classification):
        return classification, version
    return None


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(codes[:_SHOWN]) + (f" (+{len(codes) - _SHOWN})" if len(codes) > _SHOWN else "")


def _change_detail(old_ref: str, new_ref: str, change: CodeListDiff) -> str:
    """` (OLD -> NEW: removed a, b; added c)` in every language."""

    def written(lang: Lang) -> str:
        kinds = (("removed", change.removed), ("expired", change.expired), ("added", change.added))
        parts = [text(f"compat.detail.{kind}", lang, codes=_codes(codes)) for kind, codes in kinds if codes]
        shown = "; ".join(parts) or text("compat.detail.same_codes", lang)
        return text("compat.detail.lists", lang, old=old_ref, new=new_ref, parts=shown)

    return composed(written)


def list_version_findings(
    old: Structure, new: Structure, lists: CodeLists, renames: Renames | None = None
) -> list[Finding]:
    """One finding per matched Koodi element whose bound list version changed."""
    out: list[Finding] = []
    for pair in match(old, new, renames).pairs:
        before, after = pair.old.element, pair.new.element
        if not (is_coded(before) and is_coded(after)):
            continue
        old_oid, new_oid = before.classification_oid_value or "", after.classification_oid_value or ""
        a, b = split_version(old_oid, lists), split_version(new_oid, lists)
        if a is None or b is None or a[0] != b[0] or a[1] == b[1]:
            continue
        classification = a[0]
        old_list = lists.version(classification, a[1]) if a[1] else lists.stored(classification)
        new_list = lists.version(classification, b[1]) if b[1] else lists.stored(classification)
        categories: set[Category] = set()
        notes: list[tuple[Category, str]] = []
        if old_list is None or new_list is None:
            missing = ", ".join(v for v, have in ((a[1], old_list), (b[1], new_list)) if have is None and v)
            detail: str = message("compat.detail.not_stored", classification=classification, missing=missing)
        else:
            change = diff_lists(old_list, new_list)
            ended = change.removed + change.expired
            detail = _change_detail(old_list.ref, new_list.ref, change)
            if ended:
                categories.add(B)
                notes.append((B, message("compat.note.codes_ended", codes=", ".join(ended[:_SHOWN]))))
            if change.added:
                categories.add(F)
                notes.append((F, message("compat.note.codes_added", codes=", ".join(change.added[:_SHOWN]))))
        out.append(
            Finding(
                RULE,
                frozenset(categories) | RULES[RULE].categories,
                after.fi_name,
                pair.old.key_path,
                pair.new.key_path,
                before.row_number,
                after.row_number,
                old=old_oid,
                new=new_oid,
                detail=detail,
                counterexamples=tuple(
                    Counterexample(category, "old" if category is B else "new", note=note) for category, note in notes
                ),
            )
        )
    return out
