"""Full-mode rules: what the schema cannot say, emitted into the validator's functions.

Real calendar dates and times (Pvm, Hetki), fixed phrases (Fraasi), the code system, codes and display labels
of a Koodi, the system and the identity-code or OID value of a Tunnus, and the implementation note's condition
behind a conditionally required element. Each function writes lines for an `Emitter` (keyword_checks.py), which
calls them only in `full` mode.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sosmeta.generators.validator.pysource import Lines
from sosmeta.structures import identifiers
from sosmeta.structures.identifiers import (
    HETU_CHECKSUM,
    HETU_DATE,
    HETU_FORMAT,
    HETU_INDIVIDUAL,
    HETU_OID,
    HETU_OK,
    HETU_SYSTEM,
    HETU_TEMPORARY,
)
from sosmeta.structures.model import Element
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.shape import DATE_PATTERN, DATETIME_PATTERN, internal_system, system_pattern
from sosmeta.structures.texts import first, meaningful
from sosmeta.structures.value_sets import parse_code_labels

if TYPE_CHECKING:
    from sosmeta.generators.validator.keyword_checks import Emitter, Ptr
    from sosmeta.generators.validator.schema_tree import Node

_CONDITION_MARKERS = ("ehdollisesti pakollinen", "villkorligt obligatorisk")


def parse_value_set(texts: list[str]) -> dict[str, set[str]]:
    """Labels per code (raw and normalized) from every valueSet entry, whatever its language."""
    labels: dict[str, set[str]] = {}
    for text in texts:
        for code, label in parse_code_labels(text).items():
            labels.setdefault(code, set()).update({label, " ".join(label.split()).casefold()})
    return labels


def _label_table(labels: dict[str, set[str]]) -> str:
    """Source of `{code: frozenset({label, ...})}` written in sorted order: the repr of a set follows string
    hashing, which changes from run to run, and generated modules must be the same on every build."""
    items = []
    for code, names in sorted(labels.items()):
        items.append(f"{code!r}: frozenset({{{', '.join(map(repr, sorted(names)))}}})")
    return "{" + ", ".join(items) + "}"


def condition_text(note: str | None) -> str | None:
    """The sentences of an implementation note that state the condition (the whole note when none says so)."""
    note = meaningful(note)
    if note is None:
        return None
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", note) if s.strip()]
    stating = [s for s in sentences if any(m in s.casefold() for m in _CONDITION_MARKERS)]
    return " ".join(stating) if stating else " ".join(note.split())


def is_oid_named(element: Element) -> bool:
    """A Tunnus whose value is an OID: its Finnish name or description says `OID`."""
    text = (first(element.name, "fi") or "") + " " + (first(element.description, "fi") or "")
    return re.search(r"\bOID\b", text) is not None


def full_string(e: Emitter, node: Node, element: Element, v: str, ptr: Ptr) -> Lines:
    """The full-mode checks of string `v` of `element`: a real date or time, the fixed phrase."""
    rep = element.representation
    pattern = node.kw.get("pattern")
    if rep is R.PVM:
        return _calendar(e, node, v, ptr, "date", pattern == DATE_PATTERN)
    if rep is R.HETKI:
        return _calendar(e, node, v, ptr, "datetime", pattern == DATETIME_PATTERN)
    if rep is R.FRAASI:
        phrase = first(element.phrase, "fi")
        if phrase is None or node.kw.get("enum") == [phrase]:
            return []
        return e.when(f"{v} != {phrase!r}", e.error(e.m.message("phrase.text", node), ptr))
    return []


def _calendar(e: Emitter, node: Node, v: str, ptr: Ptr, kind: str, standard: bool) -> Lines:
    """Real dates: with the standard pattern only the calendar can still be wrong, else also the form."""
    problem = e.m.helper(f"{kind}_problem")
    calendar = e.m.message(f"{kind}.calendar", node)
    if standard and kind == "date":
        # The pattern fixed the form and the month; only a day 00 or past the 28th can be wrong.
        test = f"({v}[-2:] > '28' or {v}[-2:] == '00') and {problem}({v}) == 2"
        return e.when(test, e.error(calendar, ptr))
    if standard:
        return e.when(f"{problem}({v}) == 2", e.error(calendar, ptr))
    p = e.var("p")
    form = e.m.message(f"{kind}.format", node)
    return [
        f"{p} = {problem}({v})",
        *e.when(f"{p} == 1", e.error(form, ptr)),
        *e.when(f"{p} == 2", e.error(calendar, ptr)),
    ]


def full_object(e: Emitter, node: Node, element: Element, v: str, ptr: Ptr) -> Lines:
    """The full-mode checks of object `v` of `element`: the members of a Koodi or a Tunnus."""
    rep = element.representation
    if rep is R.KOODI:
        return _koodi(e, node, element, v, ptr)
    if rep is R.TUNNUS:
        return _tunnus(e, node, element, v, ptr)
    return []


def _koodi(e: Emitter, node: Node, element: Element, v: str, ptr: Ptr) -> Lines:
    out: Lines = []
    props = node.properties or {}
    sys_ptr, code_ptr, disp_ptr = (*ptr, ("s", "system")), (*ptr, ("s", "code")), (*ptr, ("s", "display"))
    sys_node = props.get("system")
    raw_oid = element.classification_oid_value  # None also for THL's "-" placeholder
    oid = raw_oid.strip().removeprefix("urn:oid:") if raw_oid is not None else None
    s = e.member(node, v, "system", out)
    oid_error = e.error(e.m.message("oid.syntax", None, element=element, sub_key="system"), sys_ptr)
    is_oid = e.m.helper("is_oid")
    if oid is not None and identifiers.is_oid(oid):
        covered = sys_node is not None and sys_node.kw.get("pattern") == system_pattern(oid)
        leading_zero = f"'.0' in {s} and not {is_oid}({s}[8:])"
        if covered:  # the pattern fixed the prefix and ASCII digits; arcs may still have leading zeros
            out += e.when(f"isinstance({s}, str) and {leading_zero}", oid_error)
        else:
            params = dict.fromkeys(("fi", "sv", "en"), f"urn:oid:{oid}")
            index = e.m.message("code.system", None, element=element, sub_key="system", params=params)
            wrong = e.error(index, sys_ptr)
            matches = e.m.helper("system_matches")
            out += e.when(
                f"isinstance({s}, str)",
                [
                    *e.when(
                        f"not {matches}({s}, {oid!r})",
                        wrong,
                        e.when(f"{s}.startswith('urn:oid:') and not {is_oid}({s}[8:])", oid_error),
                    )
                ],
            )
    elif raw_oid is not None:
        # The format's own derivation, from the text as written; an export that already fixes `system`
        # with an enum has the last word (full mode never contradicts the schema).
        expected = internal_system(raw_oid)
        if sys_node is None or "enum" not in sys_node.kw:
            params = dict.fromkeys(("fi", "sv", "en"), expected)
            index = e.m.message("code.system", None, element=element, sub_key="system", params=params)
            wrong = e.error(index, sys_ptr)
            out += e.when(f"isinstance({s}, str) and {s} != {expected!r}", wrong)
    else:
        out += e.when(f"isinstance({s}, str) and {s}.startswith('urn:oid:') and not {is_oid}({s}[8:])", oid_error)
    codes = list(element.code_values)
    code_node = props.get("code")
    labels = parse_value_set([t.value for t in element.value_set or ()])
    check_code = bool(codes) and (code_node is None or code_node.kw.get("enum") != codes)
    if not check_code and not (labels and e.flavour == "report"):
        return out
    c = e.member(node, v, "code", out)
    if check_code:
        accepted = e.m.const(f"frozenset({sorted(set(codes))!r})", "A")
        shown = ", ".join(dict.fromkeys(codes))
        params = dict.fromkeys(("fi", "sv", "en"), shown if len(shown) <= 80 else shown[:77] + "...")
        index = e.m.message("code.value", None, element=element, sub_key="code", params=params)
        out += e.when(f"isinstance({c}, str) and {c} not in {accepted}", e.error(index, code_ptr))
    if labels and e.flavour == "report":
        table = e.m.const(_label_table(labels), "V")
        norm = e.m.helper("normalize_label")
        index = e.m.message("code.display", None, element=element, sub_key="display")
        d = e.member(node, v, "display", out)
        out += [
            *e.when(
                f"isinstance({d}, str) and isinstance({c}, str) and {c} in {table} "
                f"and {d} not in {table}[{c}] and {norm}({d}) not in {table}[{c}]",
                e.warning(index, disp_ptr),
            ),
        ]
    return out


def _tunnus(e: Emitter, node: Node, element: Element, v: str, ptr: Ptr) -> Lines:
    out: Lines = []
    h = e.var("h")
    sys_ptr, val_ptr = (*ptr, ("s", "system")), (*ptr, ("s", "value"))
    system_uri = element.system_uri_value
    hetu_element = system_uri is not None and system_uri.removeprefix("urn:oid:") == HETU_OID
    s, t = e.member(node, v, "system", out), e.member(node, v, "value", out)
    problem = e.m.helper("hetu_problem")
    # hetu_problem's answer -> message index of its rule
    codes = {
        HETU_FORMAT: "hetu.format",
        HETU_DATE: "hetu.date",
        HETU_INDIVIDUAL: "hetu.individual",
        HETU_CHECKSUM: "hetu.checksum",
        HETU_TEMPORARY: "hetu.temporary",
    }
    indexes = [
        e.m.message(codes[i], None, element=element, sub_key="value") if i in codes else None
        for i in range(max(codes) + 1)
    ]
    table = e.m.const(repr(tuple(indexes)), "H")
    if e.flavour == "check":  # a temporary code is only a warning
        hetu_check = e.when(f"{problem}({t}) not in ({HETU_OK}, {HETU_TEMPORARY})", ["return False"])
    else:
        hetu_check = [
            f"{h} = {problem}({t})",
            *e.when(h, [f"out.append(({e.pointer(val_ptr)}, {table}[{h}]))"]),
        ]
    oid_error = e.error(e.m.message("oid.syntax", None, element=element, sub_key="system"), sys_ptr)
    oid_like = f"isinstance({s}, str) and {s}.startswith('urn:oid:') and not {e.m.helper('is_oid')}({s}[8:])"
    if hetu_element:
        params = dict.fromkeys(("fi", "sv", "en"), HETU_SYSTEM)
        wrong = e.m.message("identifier.system", None, element=element, sub_key="system", params=params)
        out += e.when(f"isinstance({s}, str) and {s} != {HETU_SYSTEM!r}", e.error(wrong, sys_ptr))
        out += e.when(f"isinstance({t}, str)", hetu_check)
    else:
        out += e.when(f"{s} == {HETU_SYSTEM!r} and isinstance({t}, str)", hetu_check, e.when(oid_like, oid_error))
    if is_oid_named(element):
        index = e.m.message("oid.syntax", None, element=element, sub_key="value")
        out += e.when(f"isinstance({t}, str) and not {e.m.helper('is_oid_or_urn')}({t})", e.error(index, val_ptr))
    return out


def conditional_message(e: Emitter, element: Element) -> int:
    """The message of a conditionally required `element` that is absent, quoting its condition."""
    fi = condition_text(first(element.implementation_note, "fi")) or "-"
    sv = condition_text(first(element.implementation_note, "sv")) or fi
    return e.m.message("conditional.missing", None, element=element, params={"fi": fi, "sv": sv, "en": fi})
