"""Small helpers for writing Python source as lists of lines: indentation, negated and combined conditions,
and `if` statements written the way ruff wants them (no empty branch, no `not a is b`, nested ifs without else
collapsed into one condition)."""

from __future__ import annotations

Lines = list[str]


def indent(lines: Lines) -> Lines:
    return ["    " + line for line in lines]


def returning(body: Lines) -> Lines:
    """`body` (check code) followed by `return True`; a final top-level `if C: return False` becomes
    `return not C`, as ruff prefers."""
    if len(body) >= 2 and body[-2].startswith("if ") and body[-1] == "    return False":
        return [*body[:-2], f"return {negate(body[-2][3:-1])}"]
    return [*body, "return True"]


def _single_if(body: Lines) -> bool:
    """`body` is one `if` statement without `else`/`elif`."""
    return (
        len(body) >= 2
        and body[0].startswith("if ")
        and body[0].endswith(":")
        and all(line.startswith("    ") for line in body[1:])
    )


def _top_level(condition: str) -> tuple[bool, bool]:
    """(the whole condition is one parenthesized group, it has a top-level `or`/`and`/`not`)."""
    depth, quote, wrapped, operator = 0, "", True, False
    i = 0
    while i < len(condition):
        c = condition[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0 and i < len(condition) - 1:
                wrapped = False
        elif depth == 0:
            wrapped = False
            if condition.startswith((" or ", " and "), i) or condition.startswith("not ", i):
                operator = True
        i += 1
    return wrapped and condition.startswith("("), operator


_OPPOSITE = (
    (" is not ", " is "),
    (" not in ", " in "),
    (" is ", " is not "),
    (" in ", " not in "),
    (" == ", " != "),
    (" != ", " == "),
)


def negate(condition: str) -> str:
    """The negation of `condition`: `a is not b` rather than `not a is b`, `not (...)` for compound ones."""
    if condition.startswith("not "):
        rest = condition[4:]
        rest_wrapped, rest_operator = _top_level(rest)
        if rest_wrapped:
            return rest[1:-1]
        if not rest_operator:
            return rest
    wrapped, operator = _top_level(condition)
    if operator and not wrapped:
        return f"not ({condition})"
    if not wrapped and "'" not in condition and '"' not in condition:
        for op, opposite in _OPPOSITE:
            if condition.count(op) == 1 and sum(condition.count(o) for o, _ in _OPPOSITE[2:]) == 1:
                return condition.replace(op, opposite)
    return f"not {condition}"


def conjoin(first: str, second: str) -> str:
    parts = []
    for part in (first, second):
        wrapped, operator = _top_level(part)
        parts.append(f"({part})" if " or " in part and operator and not wrapped else part)
    return " and ".join(parts)


def when(condition: str, body: Lines, otherwise: Lines | None = None) -> Lines:
    """`if condition: body else: otherwise`, omitting what is empty."""
    if not body and not otherwise:
        return []
    if not body:
        return when(negate(condition), otherwise or [])
    if _top_level(condition)[0]:
        condition = condition[1:-1]  # `if (a or b):` reads better as `if a or b:`
    comments = body[:1] if body[0].startswith("#") else []  # a comment naming the element stays on top
    rest = body[len(comments) :]
    if not otherwise and _single_if(rest):
        return [*comments, f"if {conjoin(condition, rest[0][3:-1])}:", *indent([line[4:] for line in rest[1:]])]
    out = [f"if {condition}:", *indent(body)]
    if otherwise:
        out += ["else:", *indent(otherwise)]
    return out
