"""Code labels written as prose in a structure: `valueSet` (and internal lists' `classification`) texts.

THL writes a code list's labels as `1 = Label, 2 = Label` (comma, semicolon or line separated), sometimes after
an internal-classification heading (`Sisäinen luokitus:`), sometimes with the Swedish listing in the Finnish
entry after its own heading, and sometimes as one entry per code. This is the one reader of that prose; the
example generator, the validator's display check and the forms all ask it.
"""

from __future__ import annotations

import re

from sosmeta.structures.texts import Texts, meaningful

# A `code =` at the start of the text or after a separator (comma, semicolon, line break).
_ITEM = re.compile(r"(?:^|(?<=[,;\n]))[ \t]*([A-Za-z0-9][A-Za-z0-9._-]*)[ \t]*=[ \t]*")
_HEADING = re.compile(r"^\s*(Sisäinen luokitus|Internt kodsystem|Intern klassificering)\s*:\s*", re.I | re.M)


def parse_code_labels(text: str) -> dict[str, str]:
    """`{"1": "Label", ...}` from a `code = label` listing; the first label of a code wins, labels lose
    trailing separators and whitespace."""
    text = _HEADING.sub("\n", text)  # a fi entry may hold the sv listing too, after its own heading
    matches = list(_ITEM.finditer(text))
    labels: dict[str, str] = {}
    for here, after in zip(matches, [*matches[1:], None], strict=False):
        end = after.start() if after is not None else len(text)
        label = text[here.end() : end].strip().rstrip(",;").strip()
        labels.setdefault(here.group(1), label)
    return labels


def code_labels(texts: Texts | None, lang: str) -> dict[str, str]:
    """Labels from every meaningful entry tagged `lang` (a value set may be split into one entry per code)."""
    joined = "\n".join(t.value for t in texts or () if t.lang == lang and meaningful(t.value))
    return parse_code_labels(joined) if joined else {}
