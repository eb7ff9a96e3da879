"""The progress callback that long operations take: wraps an iterable and reports as it is consumed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

Progress = Callable[[Iterable[Any], str], Iterator[Any]]
"""`progress(items, label)` yields `items` unchanged, showing how far it got (the same shape as
`generators.registry.ProgressFn`, so a front end passes one function everywhere)."""


def no_progress(items: Iterable[T], label: str) -> Iterator[T]:
    """Report nothing."""
    return iter(items)
