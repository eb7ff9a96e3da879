"""What a comparison reports: findings with their JSON-level evidence and, once proved, counterexamples."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import JsonValue

from sosmeta.messages import Lang, localized, text
from sosmeta.structures.compat.categories import DOCUMENT, Category, ordered, strictest
from sosmeta.structures.compat.rules import RULES

Version = Literal["old", "new"]


@dataclass(frozen=True)
class JsonChange:
    """One difference in the JSON Schema keywords documents are validated against, and what it breaks."""

    keyword: str
    """`required` (listed in the parent's required), `array` (wrapped as a list), `minItems`, `minLength`,
    `pattern`, `enum`, `type`, `additionalProperties`, `key` (renamed), `property` (added or removed), or
    `<sub-property>.<keyword>` for Koodi/Tunnus/quantity helpers (e.g. `code.enum`, `system.pattern`)."""
    old: JsonValue
    new: JsonValue
    breaks: frozenset[Category]
    """The DOCUMENT_* categories this difference breaks (empty when it changes no document's validity)."""


@dataclass(frozen=True)
class Counterexample:
    """A document valid under one version and invalid under the other (or why none could be built)."""

    category: Category
    valid_under: Version
    document: JsonValue = None
    verified: bool = False
    rejected_at: tuple[tuple[str, str], ...] = ()
    """(JSON pointer, rule code) of what the other version's validator rejects, in schema mode."""
    full_mode: bool | None = None
    """Also valid/invalid that way under the validators' full mode (None: not checked)."""
    adapted: bool = False
    """The other version checked the document adapted to it: other elements' renamed keys and changed list
    shapes carried over (see generators.compat.proof.Adaptation)."""
    note: str = ""
    """Why there is no verified counterexample (a `messages.Localized` text)."""

    @property
    def invalid_under(self) -> Version:
        return "new" if self.valid_under == "old" else "old"


@dataclass(frozen=True)
class Finding:
    rule: str
    categories: frozenset[Category]
    name: str
    """The Finnish name of the element (or of the structure for structure-level findings)."""
    old_path: str | None
    new_path: str | None
    old_row: int | None = None
    new_row: int | None = None
    old: JsonValue = None
    new: JsonValue = None
    lang: str | None = None
    detail: str = ""
    """Added to the message (codes, counts, a template's place); a `messages.Localized` text for words."""
    json_changes: tuple[JsonChange, ...] = ()
    old_parent: str | None = None
    """Key path of the element's parent in OLD (for an added element: its new parent's partner)."""
    new_parent: str | None = None
    source: str | None = None
    """The file the finding is about when it is not the compared structure (an organisation template)."""
    counterexamples: tuple[Counterexample, ...] = field(default=())

    @property
    def path(self) -> str:
        return self.new_path if self.new_path is not None else (self.old_path or "")

    @property
    def row(self) -> int | None:
        return self.new_row if self.new_row is not None else self.old_row

    @property
    def document_categories(self) -> list[Category]:
        return [c for c in ordered(self.categories) if c in DOCUMENT]

    @property
    def severity(self) -> Category | None:
        """The strictest category (reports group by it); None for a finding that breaks nothing."""
        return strictest(self.categories)

    def message(self, lang: Lang = "en") -> str:
        return (
            RULES[self.rule]
            .message.text(lang)
            .format(
                name=self.name,
                old=_show(self.old, lang),
                new=_show(self.new, lang),
                lang=self.lang or "",
                detail=localized(self.detail, lang),
            )
        )

    def touches(self, prefix: str) -> bool:
        """Whether the finding's old or new key path is `prefix` or below it."""
        prefix = prefix.strip("/")
        return any(
            p is not None and (p == prefix or p.startswith(prefix + "/") or not prefix)
            for p in (self.old_path, self.new_path)
        )


def _show(value: JsonValue, lang: Lang) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return text("compat.yes" if value else "compat.no", lang)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
