"""Language-tagged texts, kept as the ordered (lang, value) lists the exports use.

A Sosmeta text field is not a fi/sv pair: real files contain fi-only lists, duplicated tags, Swedish text
tagged `fi` and odd orders. The model keeps the list exactly and offers lookups on top of it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

PLACEHOLDER = "-"


class LangText(BaseModel):
    """One `{"lang": ..., "value": ...}` entry. `lang` is `fi`, `sv`, or `""` for language-neutral lists."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lang: str
    value: str


Texts = tuple[LangText, ...]


def first(texts: Texts | None, lang: str) -> str | None:
    """The first value tagged `lang`, or None. The first fi entry is the one keys are derived from."""
    if not texts:
        return None
    for text in texts:
        if text.lang == lang:
            return text.value
    return None


def meaningful(value: str | None) -> str | None:
    """`value` unless it is missing or the `-` placeholder THL uses for "no text"."""
    if value is None or value.strip() in ("", PLACEHOLDER, "."):
        return None
    return value


def pick(texts: Texts | None, lang: str, fallback: str = "fi") -> str | None:
    """Text for display in `lang`, falling back to `fallback` (Swedish output uses Finnish when sv is missing)."""
    return first(texts, lang) or first(texts, fallback)


def values(texts: Texts | None) -> tuple[str, ...]:
    """All values in file order, language ignored (for language-neutral lists such as acceptedValues)."""
    return tuple(t.value for t in texts) if texts else ()
