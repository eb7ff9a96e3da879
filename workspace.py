"""The workspace file `sosmeta.toml`: where the catalog and output live and which targets a build makes.

    [workspace]
    catalog = "catalog"          # folder of canonical structure versions
    output = "output"            # where `sosmeta build` writes
    sources = ["sources"]        # what a plain `sosmeta import` reads
    targets = ["sosmeta-json"]   # what a plain `sosmeta build` makes

Paths are relative to the folder holding the file. Other tables (`[breaking]`, `[organisations]`, ...) belong
to the commands that read them and are kept in `Workspace.sections`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILE_NAME = "sosmeta.toml"


class WorkspaceError(Exception):
    pass


@dataclass(frozen=True)
class Workspace:
    root: Path
    catalog: Path
    output: Path
    sources: tuple[Path, ...] = ()
    targets: tuple[str, ...] = ()
    sections: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        value = self.sections.get(name, {})
        return value if isinstance(value, dict) else {}


def find(start: Path) -> Path | None:
    """The nearest `sosmeta.toml` in `start` or a folder above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise WorkspaceError(f"{where} must be a string or a list of strings")


def load(path: Path) -> Workspace:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise WorkspaceError(f"{path}: not valid TOML: {exc}") from None
    table = data.get("workspace", {})
    if not isinstance(table, dict):
        raise WorkspaceError(f"{path}: [workspace] must be a table")
    root = path.parent
    return Workspace(
        root=root,
        catalog=root / str(table.get("catalog", "catalog")),
        output=root / str(table.get("output", "output")),
        sources=tuple(root / s for s in _strings(table.get("sources", []), f"{path}: workspace.sources")),
        targets=_strings(table.get("targets", []), f"{path}: workspace.targets"),
        sections={k: v for k, v in data.items() if k != "workspace"},
    )
