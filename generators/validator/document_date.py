"""The document's own date, the day code lists are checked on (`codelist.not_valid`).

The rule (docs/validation.md): a structure has an obvious document date when it has a date (Pvm) element
that is not repeatable and not inside a repeatable group, keyed as one of DATE_KEYS (the decision date
before the date of drawing up, of notification, and the plain date); the first of those keys found wins, the
shallowest element of a key first. The date is that element's value when it is a real calendar date;
otherwise (no such element, absent, not a date) it is today. Of the 62 shared structures, 56 have one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sosmeta.structures.model import Located, Structure
from sosmeta.structures.representation import Representation

DATE_KEYS = ("paatospaivamaara", "laatimispaivamaara", "ilmoittamispaivamaara", "paivamaara")
"""Decision date, date drawn up, date of notification, date: the keys the national structures use."""


def date_element(structure: Structure) -> tuple[str, ...] | None:
    """The key path (from the document element) of the structure's document date, or None."""
    found: list[tuple[int, int, Located]] = []
    for located in structure.walk():
        element = located.element
        if element.representation is not Representation.PVM or located.repeated_ancestors:
            continue
        if element.key in DATE_KEYS:
            found.append((DATE_KEYS.index(element.key), located.depth, located))
    if not found:
        return None
    _, _, best = min(found, key=lambda f: (f[0], f[1]))
    return best.keys


def document_date(doc: Any, keys: tuple[str, ...] | None) -> dt.date | None:
    """The date at `keys` (from `date_element`) in `doc`, or None when it has none (the caller takes today)."""
    if keys is None:
        return None
    value = doc
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
