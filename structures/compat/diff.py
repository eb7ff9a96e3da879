"""The comparison engine: two versions of a structure in, findings out. It reads only the model.

Each matched element pair is compared twice: at the sosmeta level (flags, representation, codes, texts) and at
the JSON level (what documents are validated against). Every JSON-level difference is claimed by exactly one
finding: a sosmeta-level rule claims the differences it explains (optional -> required claims the parent's
`required` entry, `minItems` and `minLength`), and what no rule explains is reported by a JSON rule of its own.
A finding's DOCUMENT_* categories are the union of what its claimed differences break.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from difflib import SequenceMatcher

from pydantic import JsonValue

from sosmeta.messages import message
from sosmeta.structures.compat.categories import DOCUMENT, B, Category, F
from sosmeta.structures.compat.findings import Finding, JsonChange
from sosmeta.structures.compat.matching import Matching, Pair, Renames, match
from sosmeta.structures.compat.rules import RULES
from sosmeta.structures.model import Element, Keywords, Located, Structure, keyword
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.texts import Texts

_SKIP_KEYWORDS = frozenset(
    {"sosmeta", "properties", "required", "title", "description", "$comment", "examples", "default"}
)
"""Keywords compared elsewhere (required, properties) or without effect on validity (annotations)."""
_NONE: frozenset[Category] = frozenset()
BOTH = frozenset({B, F})

# sosmeta text fields reported per language: (model field, rule).
TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "NAME_CHANGED"),
    ("title", "TITLE_CHANGED"),
    ("description", "DESCRIPTION_CHANGED"),
    ("example", "EXAMPLE_CHANGED"),
    ("implementation_note", "IMPLEMENTATION_NOTE_CHANGED"),
    ("classification", "CLASSIFICATION_TEXT_CHANGED"),
    ("value_set", "VALUE_SET_CHANGED"),
)
FLAG_FIELDS: tuple[tuple[str, str], ...] = (
    ("conditional_required", "CONDITIONAL_REQUIRED_CHANGED"),
    ("hidden_field", "HIDDEN_FIELD_CHANGED"),
    ("hidden_title", "HIDDEN_TITLE_CHANGED"),
    ("nationally_recorded", "NATIONALLY_RECORDED_CHANGED"),
)
META_FIELDS: tuple[tuple[str, str], ...] = (
    ("status", "STATUS_CHANGED"),
    ("document_type", "DOCUMENT_TYPE_CHANGED"),
    ("document_subject", "DOCUMENT_SUBJECT_CHANGED"),
    ("document_author", "DOCUMENT_AUTHOR_CHANGED"),
    ("title", "STRUCTURE_TITLE_CHANGED"),
)
LEFTOVER_RULES = {
    "minLength": "MIN_LENGTH_CHANGED",
    "minItems": "MIN_ITEMS_CHANGED",
    "pattern": "PATTERN_CHANGED",
    "enum": "ENUM_CHANGED",
    "type": "JSON_TYPE_CHANGED",
}


# ---- JSON-level facts ----------------------------------------------------------------------------------------
def parent_node(loc: Located, structure: Structure) -> Keywords:
    return structure.root if loc.parent is None else loc.parent.element.node


def in_parent_required(loc: Located, structure: Structure) -> bool:
    value = keyword(parent_node(loc, structure), "required")
    return isinstance(value, list) and loc.element.key in value


def closed(node: Keywords | dict[str, JsonValue]) -> bool:
    """additionalProperties: false, so a document with an unknown member is invalid."""
    value = node.get("additionalProperties") if isinstance(node, dict) else keyword(node, "additionalProperties")
    return value is False


def _keywords(element: Element) -> dict[str, JsonValue]:
    return {k: v for k, v in element.node if k not in _SKIP_KEYWORDS}


def keyword_breaks(name: str, old: JsonValue, new: JsonValue) -> frozenset[Category]:
    """What changing keyword `name` from `old` to `new` (None = absent) breaks."""
    if name == "minLength" or name == "minItems":
        low_old = old if isinstance(old, int) else 0
        low_new = new if isinstance(new, int) else 0
        return frozenset({B}) if low_new > low_old else frozenset({F}) if low_new < low_old else _NONE
    if name == "enum":
        if old is None:
            return frozenset({B})
        if new is None:
            return frozenset({F})
        old_set = set(map(str, old)) if isinstance(old, list) else set()
        new_set = set(map(str, new)) if isinstance(new, list) else set()
        return frozenset(({B} if old_set - new_set else set()) | ({F} if new_set - old_set else set()))
    if name == "pattern":
        return frozenset({B}) if old is None else frozenset({F}) if new is None else BOTH
    if name == "additionalProperties":
        if (old is False) == (new is False):
            return _NONE
        return frozenset({B}) if new is False else frozenset({F})
    return BOTH


def _node_changes(old: dict[str, JsonValue], new: dict[str, JsonValue], prefix: str) -> list[JsonChange]:
    out = []
    for name in dict.fromkeys([*old, *new]):
        if name in _SKIP_KEYWORDS:
            continue
        a, b = old.get(name), new.get(name)
        if a != b or (name in old) != (name in new):
            out.append(JsonChange(prefix + name, a, b, keyword_breaks(name, a, b)))
    return out


def _sub_changes(o: Element, n: Element) -> list[JsonChange]:
    old_subs = {s.key: s.node for s in o.sub_properties}
    new_subs = {s.key: s.node for s in n.sub_properties}
    old_req, new_req = set(o.required_keys), set(n.required_keys)
    out = []
    for key in dict.fromkeys([*old_subs, *new_subs]):
        if key not in old_subs:
            breaks = ({F} if closed(o.node) else set()) | ({B} if key in new_req else set())
            out.append(JsonChange(f"{key}.property", None, "added", frozenset(breaks)))
        elif key not in new_subs:
            breaks = ({B} if closed(n.node) else set()) | ({F} if key in old_req else set())
            out.append(JsonChange(f"{key}.property", "removed", None, frozenset(breaks)))
        else:
            out += _node_changes(old_subs[key], new_subs[key], f"{key}.")
            if (key in old_req) != (key in new_req):
                out.append(
                    JsonChange(
                        f"{key}.required", key in old_req, key in new_req, frozenset({B} if key in new_req else {F})
                    )
                )
    return out


def json_changes(pair: Pair, old: Structure, new: Structure) -> list[JsonChange]:
    """Every difference between the JSON Schema nodes of a matched pair, with what it breaks."""
    o, n = pair.old.element, pair.new.element
    out: list[JsonChange] = []
    if o.key != n.key:
        breaks = ({B} if closed(parent_node(pair.new, new)) or in_parent_required(pair.new, new) else set()) | (
            {F} if closed(parent_node(pair.old, old)) or in_parent_required(pair.old, old) else set()
        )
        out.append(JsonChange("key", o.key, n.key, frozenset(breaks)))
    req_old, req_new = in_parent_required(pair.old, old), in_parent_required(pair.new, new)
    if req_old != req_new:
        out.append(JsonChange("required", req_old, req_new, frozenset({B} if req_new else {F})))
    if (o.wrapper is None) != (n.wrapper is None):
        out.append(JsonChange("array", o.wrapper is not None, n.wrapper is not None, BOTH))
    elif o.wrapper is not None and n.wrapper is not None:
        wrap_old = {k: v for k, v in o.wrapper if k != "items"}
        wrap_new = {k: v for k, v in n.wrapper if k != "items"}
        out += _node_changes(wrap_old, wrap_new, "")
    out += _node_changes(_keywords(o), _keywords(n), "")
    out += _sub_changes(o, n)
    return out


# ---- building findings ----------------------------------------------------------------------------------------
def _categories(rule_id: str, changes: Iterable[JsonChange]) -> frozenset[Category]:
    rule = RULES[rule_id]
    if not rule.document_from_json:
        return rule.categories
    document: set[Category] = set()
    for change in changes:
        document |= change.breaks
    return (rule.categories - DOCUMENT) | frozenset(document)


class _Claims:
    """The JSON-level changes of one pair that no finding has claimed yet."""

    def __init__(self, changes: list[JsonChange]) -> None:
        self.left = list(changes)

    def take(self, keep: Callable[[JsonChange], bool]) -> list[JsonChange]:
        taken = [c for c in self.left if keep(c)]
        self.left = [c for c in self.left if not keep(c)]
        return taken


def _texts_by_lang(texts: Texts | None, lang: str) -> tuple[str, ...]:
    return tuple(t.value for t in texts or () if t.lang == lang)


def _joined(values: tuple[str, ...]) -> str | None:
    return " | ".join(values) if values else None


def _brief(value: JsonValue) -> str:
    return "-" if value is None else str(value)


def _rep_label(element: Element) -> str | None:
    rep = element.representation
    if rep is R.GROUP:
        return "ryhmä"
    if rep is None:
        return (
            "?" if element.representation_texts is None else _joined(_texts_by_lang(element.representation_texts, "fi"))
        )
    return rep.fi


class _PairDiff:
    def __init__(self, pair: Pair, old: Structure, new: Structure) -> None:
        self.pair = pair
        self.o, self.n = pair.old.element, pair.new.element
        self.claims = _Claims(json_changes(pair, old, new))
        self.out: list[Finding] = []

    def add(
        self,
        rule_id: str,
        changes: Iterable[JsonChange] = (),
        old: JsonValue = None,
        new: JsonValue = None,
        lang: str | None = None,
        detail: str = "",
    ) -> None:
        changes = tuple(changes)
        self.out.append(
            Finding(
                rule=rule_id,
                categories=_categories(rule_id, changes),
                name=self.n.fi_name,
                old_path=self.pair.old.key_path,
                new_path=self.pair.new.key_path,
                old_row=self.o.row_number,
                new_row=self.n.row_number,
                old=old,
                new=new,
                lang=lang,
                detail=detail,
                json_changes=changes,
                old_parent=_parent_path(self.pair.old),
                new_parent=_parent_path(self.pair.new),
            )
        )

    def run(self) -> list[Finding]:
        self.key()
        self.repeatable()
        self.required()
        self.representation()
        self.codes()
        self.phrase()
        self.flags()
        self.texts()
        self.leftovers()
        return self.out

    def key(self) -> None:
        if self.pair.how == "key":
            return
        rule = "ELEMENT_RENAMED" if self.pair.how == "renamed" else "ELEMENT_RENAME_SUSPECTED"
        self.add(
            rule,
            self.claims.take(lambda c: c.keyword == "key"),
            self.pair.old.key_path,
            self.pair.new.key_path,
            detail=f"{self.pair.similarity:.2f}",
        )

    def repeatable(self) -> None:
        array = self.claims.take(lambda c: c.keyword == "array")
        if not array and self.o.is_repeatable == self.n.is_repeatable:
            return
        now = bool(array[0].new) if array else self.n.is_repeatable
        array += self.claims.take(lambda c: c.keyword == "minItems")
        self.add("REPEATABLE_ADDED" if now else "REPEATABLE_REMOVED", array, not now, now)

    def required(self) -> None:
        listed = self.claims.take(lambda c: c.keyword == "required")
        if not listed and self.o.is_required == self.n.is_required:
            return
        now = bool(listed[0].new) if listed else self.n.is_required
        direction = frozenset({B}) if now else frozenset({F})
        listed += self.claims.take(lambda c: c.keyword in ("minItems", "minLength") and c.breaks == direction)
        self.add("REQUIRED_ADDED" if now else "REQUIRED_REMOVED", listed, not now, now)

    def representation(self) -> None:
        old, new = _rep_label(self.o), _rep_label(self.n)
        if old == new:
            return
        self.add("REPRESENTATION_CHANGED", self.claims.take(lambda c: True), old, new)

    def codes(self) -> None:
        if R.KOODI not in (self.o.representation, self.n.representation):
            return
        system = self.claims.take(lambda c: c.keyword.startswith("system."))
        old_oid, new_oid = self.o.classification_oid_value, self.n.classification_oid_value
        if old_oid != new_oid:
            self.add("CODE_SYSTEM_CHANGED", system, old_oid, new_oid)
        elif system:  # same list, but the JSON constraint on `system` differs (older exports had none)
            detail = "; ".join(f"{c.keyword} {_brief(c.old)} -> {_brief(c.new)}" for c in system)
            self.add("CODE_SYSTEM_CHANGED", system, old_oid, new_oid, detail=f" (JSON: {detail})")
        enum = self.claims.take(lambda c: c.keyword == "code.enum")
        old_codes, new_codes = self.o.code_values, self.n.code_values
        # No acceptedValues means any code: a list where there was none restricts, and dropping the list widens.
        removed = [c for c in dict.fromkeys(old_codes) if c not in new_codes] if new_codes else []
        added = [c for c in dict.fromkeys(new_codes) if c not in old_codes] if old_codes else []
        narrowing = [JsonChange(c.keyword, c.old, c.new, frozenset({B})) for c in enum if B in c.breaks]
        widening = [JsonChange(c.keyword, c.old, c.new, frozenset({F})) for c in enum if F in c.breaks]
        if removed or narrowing:
            self.add(
                "CODES_NARROWED",
                narrowing,
                list(old_codes) or None,
                list(new_codes) or None,
                detail=", ".join(removed) or message("compat.detail.restricted"),
            )
        if added or widening:
            self.add(
                "CODES_WIDENED",
                widening,
                list(old_codes) or None,
                list(new_codes) or None,
                detail=", ".join(added) or message("compat.detail.unrestricted"),
            )
        if not (removed or added) and old_codes != new_codes and set(old_codes) == set(new_codes):
            self.add("CODES_REORDERED", [c for c in enum if not c.breaks], list(old_codes), list(new_codes))

    def phrase(self) -> None:
        is_phrase = R.FRAASI in (self.o.representation, self.n.representation)
        enum = self.claims.take(lambda c: c.keyword == "enum") if is_phrase else []
        for lang in ("fi", "sv"):
            old, new = _texts_by_lang(self.o.phrase, lang), _texts_by_lang(self.n.phrase, lang)
            changes = enum if lang == "fi" else []
            if old != new or changes:
                self.add("PHRASE_CHANGED", changes, _joined(old), _joined(new), lang=lang)
                enum = [] if lang == "fi" else enum

    def flags(self) -> None:
        for field, rule_id in FLAG_FIELDS:
            old, new = bool(getattr(self.o, field)), bool(getattr(self.n, field))
            if old != new:
                self.add(rule_id, (), old, new)
        if self.o.system_uri_value != self.n.system_uri_value:
            self.add("SYSTEM_URI_CHANGED", (), self.o.system_uri_value, self.n.system_uri_value)
        old_link = _joined(_texts_by_lang(self.o.classification_link, ""))
        new_link = _joined(_texts_by_lang(self.n.classification_link, ""))
        if old_link != new_link:
            self.add("CLASSIFICATION_LINK_CHANGED", (), old_link, new_link)

    def texts(self) -> None:
        for field, rule_id in TEXT_FIELDS:
            if field == "name" and self.pair.how != "key":
                continue  # the rename finding carries the names
            for lang in ("fi", "sv"):
                old = _texts_by_lang(getattr(self.o, field), lang)
                new = _texts_by_lang(getattr(self.n, field), lang)
                if old != new:
                    self.add(rule_id, (), _joined(old), _joined(new), lang=lang)

    def leftovers(self) -> None:
        for change in self.claims.take(lambda c: True):
            rule_id = LEFTOVER_RULES.get(change.keyword, "JSON_CONSTRAINT_CHANGED")
            detail = "" if rule_id != "JSON_CONSTRAINT_CHANGED" else change.keyword
            if rule_id in ("PATTERN_CHANGED", "ENUM_CHANGED"):
                detail = ""
            self.add(rule_id, [change], change.old, change.new, detail=detail)


def _parent_path(loc: Located | None) -> str | None:
    return loc.parent.key_path if loc is not None and loc.parent is not None else None


def _below(matching_pairs: dict[str, Located], loc: Located) -> Located | None:
    """The partner (in the other version) of `loc`'s parent."""
    return matching_pairs.get(loc.parent.key_path) if loc.parent is not None else None


def _count_below(loc: Located, structure: Structure) -> int:
    prefix = loc.key_path + "/"
    return sum(1 for other in structure.rows() if other.key_path.startswith(prefix))


def _removed(loc: Located, partner_parent: Located | None, old: Structure, new: Structure) -> Finding:
    was_required = in_parent_required(loc, old)
    breaks = ({B} if partner_parent is not None and closed(partner_parent.element.node) else set()) | (
        {F} if was_required else set()
    )
    changes = (JsonChange("property", "present", None, frozenset(breaks)),)
    below = _count_below(loc, old)
    return Finding(
        "ELEMENT_REMOVED",
        _categories("ELEMENT_REMOVED", changes),
        loc.element.fi_name,
        loc.key_path,
        None,
        loc.element.row_number,
        None,
        old=loc.element.key,
        detail=message("compat.detail.below", n=below) if below else "",
        json_changes=changes,
        old_parent=_parent_path(loc),
        new_parent=partner_parent.key_path if partner_parent else None,
    )


def _added(loc: Located, partner_parent: Located | None, old: Structure, new: Structure) -> Finding:
    required = in_parent_required(loc, new)
    breaks = ({F} if partner_parent is not None and closed(partner_parent.element.node) else set()) | (
        {B} if required else set()
    )
    changes = (JsonChange("property", None, "present", frozenset(breaks)),)
    rule_id = "ELEMENT_ADDED_REQUIRED" if required or loc.element.is_required else "ELEMENT_ADDED_OPTIONAL"
    below = _count_below(loc, new)
    return Finding(
        rule_id,
        _categories(rule_id, changes),
        loc.element.fi_name,
        None,
        loc.key_path,
        None,
        loc.element.row_number,
        new=loc.element.key,
        detail=message("compat.detail.below", n=below) if below else "",
        json_changes=changes,
        old_parent=partner_parent.key_path if partner_parent else None,
        new_parent=_parent_path(loc),
    )


def _order(matching: Matching, new: Structure) -> list[Finding]:
    """Matched siblings whose relative order changed (the fewest moves that explain the new order)."""
    position = {loc.key_path: i for i, loc in enumerate(new.walk())}
    siblings: dict[tuple[str, str], list[Pair]] = {}
    for pair in matching.pairs[1:]:
        assert pair.old.parent is not None and pair.new.parent is not None
        siblings.setdefault((pair.old.parent.key_path, pair.new.parent.key_path), []).append(pair)
    out = []
    for group in siblings.values():
        old_order = [p.old.key_path for p in group]
        new_order = [p.old.key_path for p in sorted(group, key=lambda p: position[p.new.key_path])]
        if old_order == new_order:
            continue
        kept: set[str] = set()
        for block in SequenceMatcher(None, old_order, new_order, autojunk=False).get_matching_blocks():
            kept.update(old_order[block.a : block.a + block.size])
        for pair in group:
            if pair.old.key_path not in kept:
                out.append(
                    Finding(
                        "ROW_ORDER_CHANGED",
                        RULES["ROW_ORDER_CHANGED"].categories,
                        pair.new.element.fi_name,
                        pair.old.key_path,
                        pair.new.key_path,
                        pair.old.element.row_number,
                        pair.new.element.row_number,
                        pair.old.element.row_number,
                        pair.new.element.row_number,
                    )
                )
    return out


def _meta(old: Structure, new: Structure) -> list[Finding]:
    out = []
    for field, rule_id in META_FIELDS:
        a, b = getattr(old, field), getattr(new, field)
        if a != b:
            out.append(Finding(rule_id, RULES[rule_id].categories, new.fi_title, "", "", old=a, new=b))
    return out


def compare(old: Structure, new: Structure, renames: Renames | None = None) -> list[Finding]:
    """Every difference between two versions of a structure, as findings in document order."""
    matching = match(old, new, renames)
    old_partner = {p.old.key_path: p.new for p in matching.pairs}
    new_partner = {p.new.key_path: p.old for p in matching.pairs}
    findings = _meta(old, new)
    for pair in matching.pairs:
        findings += _PairDiff(pair, old, new).run()
    findings += [_removed(loc, _below(old_partner, loc), old, new) for loc in matching.removed]
    findings += [_added(loc, _below(new_partner, loc), old, new) for loc in matching.added]
    findings += _order(matching, new)
    return sorted(findings, key=_document_order(old, new))


def _document_order(old: Structure, new: Structure) -> Callable[[Finding], tuple[int, int, str]]:
    def key(f: Finding) -> tuple[int, int, str]:
        row = f.new_row if f.new_row is not None else f.old_row
        return (row if row is not None else -1, 0 if f.new_row is not None else 1, f.rule)

    return key
