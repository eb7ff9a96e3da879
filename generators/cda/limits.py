"""Every size and depth bound of the CDA commands, in one place (docs/cda.md lists them).

The numbers follow from one fact: libxml2, which reads every document, refuses a text node or attribute value
longer than 10,000,000 bytes unless its protections are switched off (`huge_tree`, which we never do). The
JSON, the display form and, inside an archiving message, the whole document each travel as one base64 text
node, so each must stay under that bound once encoded; `encode` refuses what would not, so it never writes
what `decode` refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024
LIBXML2_TEXT_BYTES = 10_000_000
"""libxml2's XML_MAX_TEXT_LENGTH: the longest text node or attribute value it reads without `huge_tree`."""
MESSAGE_ALLOWANCE = 1 * MiB
"""What an archiving message adds beside the base64 document: its own elements and the header parts it copies
(bounded by the envelope's text limits: a few hundred kB at most)."""


def base64_size(size: int) -> int:
    """Bytes of the base64 text (no line breaks) of `size` bytes."""
    return 4 * ((size + 2) // 3)


@dataclass(frozen=True)
class Limits:
    """Bounds checked before the work they guard; the defaults are what the commands use."""

    max_bytes: int = 16 * MiB
    """An XML file decode or frame reads: a CDA document or an archiving message."""
    max_document_bytes: int = 7 * MiB
    """The largest CDA document encode writes: its base64 in an archiving message stays one readable text node."""
    max_input_bytes: int = 16 * MiB
    """A client document file, or one line of a bulk documents file, that encode reads (before parsing)."""
    max_envelope_bytes: int = 1 * MiB
    """An envelope file, or one line of a bulk envelopes file."""
    max_json_bytes: int = 7 * MiB
    """The structured form (compact UTF-8 JSON), written by encode and read by decode."""
    max_display_bytes: int = 7 * MiB
    """The display form (XHTML), written by encode and read by decode."""
    max_depth: int = 40
    """Elements nested in a CDA document or message."""
    max_nodes: int = 50_000
    """Elements and attributes in one XML file (counted as '<' and '=' bytes before parsing): a real document
    has a few hundred, and each costs libxml2 about 100 bytes of memory."""
    max_json_depth: int = 64
    """Arrays and objects nested in the structured form."""

    def __post_init__(self) -> None:
        for name in ("max_document_bytes", "max_json_bytes", "max_display_bytes"):
            if base64_size(getattr(self, name)) > LIBXML2_TEXT_BYTES:
                raise ValueError(f"Limits.{name}: its base64 would exceed libxml2's text node bound")

    def message_fits(self) -> bool:
        """Whether the archiving message of the largest document encode writes is still one decode reads."""
        return base64_size(self.max_document_bytes) + MESSAGE_ALLOWANCE <= self.max_bytes


DEFAULT_LIMITS = Limits()
