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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sosmeta.messages import message
from sosmeta.safeio.parsing import read_toml
from sosmeta.safeio.reading import MAX_CONFIG_BYTES, display_name
from sosmeta.sosmeta_import.errors import InputError

FILE_NAME = "sosmeta.toml"


class WorkspaceError(Exception):
    """A workspace file that cannot be used, raised with a `messages.Localized` text (one located line)."""


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
    raise WorkspaceError(message("workspace.strings", where=where))


def _path(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key, key)
    if not isinstance(value, str):
        raise WorkspaceError(message("workspace.folder_path", where=where, key=key))
    return value


def load(path: Path) -> Workspace:
    """Read `sosmeta.toml` (bounded, strict TOML: see safeio.parsing); WorkspaceError names the file and key."""
    try:
        data = read_toml(path, MAX_CONFIG_BYTES, display_name(path), syntax_code="workspace.toml")
    except InputError as exc:
        raise WorkspaceError(exc.problems[0].localized()) from None
    table = data.get("workspace", {})
    if not isinstance(table, dict):
        raise WorkspaceError(message("workspace.not_table", path=path))
    root = path.parent
    return Workspace(
        root=root,
        catalog=root / _path(table, "catalog", str(path)),
        output=root / _path(table, "output", str(path)),
        sources=tuple(root / s for s in _strings(table.get("sources", []), f"{path}: workspace.sources")),
        targets=_strings(table.get("targets", []), f"{path}: workspace.targets"),
        sections={k: v for k, v in data.items() if k != "workspace"},
    )
