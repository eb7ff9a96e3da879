"""ECMA-262 regular expressions (the dialect JSON Schema's `pattern` uses) translated to Python `re`.

Python's `re` differs from ECMA-262 where it matters for validation: `\\d`, `\\w` and `\\s` are Unicode-aware
(`\\d` matches '١' and '５'), `$` also matches before a final newline, and `.` matches `\\r`, U+2028 and U+2029.
`translate()` rewrites a pattern so that Python gives ECMA's answers; `compile_ecma()` compiles the result.
Only what the non-Unicode ECMA dialect defines is translated; a pattern Python cannot compile after translation
raises `re.error`.
"""

from __future__ import annotations

import re
from functools import lru_cache

# ECMA-262 WhiteSpace and LineTerminator code points (what \s matches).
_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACE_RANGES = (
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
)
_DIGIT_RANGES = ((0x30, 0x39),)
_WORD_RANGES = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_MAX = 0x10FFFF


def _char(code: int) -> str:
    return f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"


def _ranges(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(_char(a) if a == b else f"{_char(a)}-{_char(b)}" for a, b in ranges)


def _complement(ranges: tuple[tuple[int, int], ...]) -> str:
    out: list[tuple[int, int]] = []
    start = 0
    for a, b in ranges:
        if a > start:
            out.append((start, a - 1))
        start = b + 1
    if start <= _MAX:
        out.append((start, _MAX))
    return _ranges(tuple(out))


# Class escapes: (inside a [...] class, as a stand-alone atom).
_CLASS_ESCAPES = {
    "d": (_ranges(_DIGIT_RANGES), f"[{_ranges(_DIGIT_RANGES)}]"),
    "D": (_complement(_DIGIT_RANGES), f"[^{_ranges(_DIGIT_RANGES)}]"),
    "w": (_ranges(_WORD_RANGES), f"[{_ranges(_WORD_RANGES)}]"),
    "W": (_complement(_WORD_RANGES), f"[^{_ranges(_WORD_RANGES)}]"),
    "s": (_ranges(_SPACE_RANGES), f"[{_ranges(_SPACE_RANGES)}]"),
    "S": (_complement(_SPACE_RANGES), f"[^{_ranges(_SPACE_RANGES)}]"),
}
# Escapes that mean the same in both dialects.
_SAME = set("tnvfr0123456789bB") | set("^$\\.*+?()[]{}|/-")
_DOT = "[^\\n\\r\\u2028\\u2029]"


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """Translate the escape starting at pattern[i] == '\\'; returns (python text, next index)."""
    if i + 1 >= len(pattern):
        raise re.error("pattern ends with a backslash", pattern, i)
    c = pattern[i + 1]
    if c in _CLASS_ESCAPES:
        inside, atom = _CLASS_ESCAPES[c]
        return (inside if in_class else atom), i + 2
    if c == "x" and re.match(r"[0-9A-Fa-f]{2}", pattern[i + 2 : i + 4]):
        return pattern[i : i + 4], i + 4
    if c == "u" and re.match(r"[0-9A-Fa-f]{4}", pattern[i + 2 : i + 6]):
        return pattern[i : i + 6], i + 6
    if c == "c" and i + 2 < len(pattern) and pattern[i + 2].isascii() and pattern[i + 2].isalpha():
        return _char(ord(pattern[i + 2]) % 32), i + 3
    if c == "k" and pattern[i + 2 : i + 3] == "<":
        end = pattern.index(">", i + 3)
        return f"(?P={pattern[i + 3 : end]})", end + 1
    if c == "b" and in_class:
        return "\\x08", i + 2
    if c in _SAME and not (c.isdigit() and in_class and c != "0"):
        return "\\" + c, i + 2
    # ECMA (without the u flag) reads any other escaped character as the character itself.
    return re.escape(c), i + 2


def translate(pattern: str) -> str:
    """The Python `re` pattern that matches exactly what ECMA-262 `new RegExp(pattern)` matches."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            text, i = _escape(pattern, i, in_class=False)
            out.append(text)
        elif c == "[":
            text, i = _class(pattern, i)
            out.append(text)
        elif c == ".":
            out.append(_DOT)
            i += 1
        elif c == "$":
            out.append("\\Z")
            i += 1
        elif pattern.startswith("(?<", i) and pattern[i + 3 : i + 4] not in ("=", "!"):
            out.append("(?P<")
            i += 3
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _class(pattern: str, i: int) -> tuple[str, int]:
    """Translate the character class starting at pattern[i] == '['."""
    j = i + 1
    negated = pattern.startswith("^", j)
    if negated:
        j += 1
    if pattern.startswith("]", j):  # ECMA: [] matches nothing, [^] matches any character
        return ("(?s:.)" if negated else "(?!)"), j + 1
    parts = ["[^" if negated else "["]
    while j < len(pattern) and pattern[j] != "]":
        c = pattern[j]
        if c == "\\":
            text, j = _escape(pattern, j, in_class=True)
            parts.append(text)
        elif c in "[&~|":  # literal in ECMA; Python warns about (or may one day give meaning to) these
            parts.append("\\" + c)
            j += 1
        else:
            parts.append(c)
            j += 1
    if j >= len(pattern):
        raise re.error("unterminated character class", pattern, i)
    parts.append("]")
    return "".join(parts), j + 1


@lru_cache(maxsize=1024)
def compile_ecma(pattern: str) -> re.Pattern[str]:
    """`pattern` (ECMA-262) compiled with ECMA semantics; use `.search()` as JSON Schema does."""
    return re.compile(translate(pattern), re.ASCII)
