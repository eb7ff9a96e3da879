"""Where the codes a structure states disagree with the stored list of its classification (`sosmeta codes
lint`): a code the list does not have, a code the list has ended, a label that is not the list's name."""

from __future__ import annotations

import datetime as dt

from sosmeta.messages import Localized
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.codelists.embedded import element_codes, is_coded
from sosmeta.structures.lint import LintWarning
from sosmeta.structures.lint_texts import meanings, say
from sosmeta.structures.model import Structure

CONFLICT_CODES: dict[str, str] = meanings(("codes.not_in_list", "codes.ended_in_list", "codes.label_differs"))


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def code_list_conflicts(structure: Structure, lists: CodeLists, today: dt.date | None = None) -> list[LintWarning]:
    today = today or dt.date.today()
    out = []
    for located in structure.walk():
        element = located.element
        oid = element.classification_oid_value
        stored = lists.stored(oid) if oid is not None and is_coded(element) else None
        if stored is None:
            continue
        known = stored.by_code()
        found: list[tuple[str, Localized]] = []
        for code, labels in element_codes(element):
            listed = known.get(code)
            if listed is None:
                found.append(("codes.not_in_list", say("not_in_list", code=code, ref=stored.ref)))
                continue
            if not listed.valid_on(today):
                found.append(("codes.ended_in_list", say("ended_in_list", code=code, ref=stored.ref)))
            for lang, label in labels.items():
                name = listed.names.get(lang)
                if name is not None and not _same(name, label):
                    found.append(
                        (
                            "codes.label_differs",
                            say(
                                "label_differs",
                                code=code,
                                lang=lang,
                                label=repr(label),
                                ref=stored.ref,
                                name=repr(name),
                            ),
                        )
                    )
        out += [LintWarning(c, located.path, element.row_number, element.fi_name, m) for c, m in found]
    return out
