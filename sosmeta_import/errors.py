"""Errors an importer raises: one line that names the file and the place (JSON pointer, sheet!cell)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sosmeta.messages import Lang, Localized, composed, localized


def one_line(text: str) -> str:
    """`text` with its line breaks made spaces: every problem is one line, whatever a library's message or a
    file name holds."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


@dataclass(frozen=True)
class Problem:
    """One located problem found in an input file."""

    source: str
    location: str
    message: str
    """English as a string; a `messages.Localized` text (`problem_texts.say`) knows its Finnish and Swedish."""
    code: str = "input"

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: Lang) -> str:
        """The problem as one line in `lang` (a `Localized` message; a plain one stays as it is)."""
        place = f"{self.source}: {self.location}" if self.location else self.source
        return one_line(f"{place}: {localized(self.message, lang)} [{self.code}]")

    def localized(self) -> Localized:
        """The line in every language: English as a string, `messages.localized` gives the others."""
        return composed(self.text)


@dataclass
class InputError(Exception):
    """Raised when an input cannot be imported; carries every problem found (at least one)."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def one(cls, source: str, location: str, message: str, code: str = "input") -> InputError:
        return cls([Problem(source, location, message, code)])
