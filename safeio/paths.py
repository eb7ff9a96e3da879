"""Containment: every path the project writes is proven to stay inside the folder it belongs to.

Names that come from data (an export's OID and version, a document id, an organisation id) become file and
folder names; `inside()` is the one gate they pass before anything is written, so no name can climb out of
its root, be absolute, or follow a symlink planted inside the root.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

# A name component as the project makes them: letters, digits, dot, dash, underscore; not hidden.
_SAFE_COMPONENT = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$")


class UnsafePath(Exception):
    """A path that would leave its root, or pass through a symlink; the message names the root only."""


def check_component(name: str, what: str = "name") -> str:
    """`name` if it can be one file or folder name as the project writes them, else UnsafePath."""
    if not isinstance(name, str) or not _SAFE_COMPONENT.match(name) or name in (".", ".."):
        raise UnsafePath(f"{what} is not a safe file name (letters, digits, '.', '-', '_'; not '.' or '..')")
    return name


def inside(root: Path, *parts: str) -> Path:
    """`root/parts...`, proven to stay inside `root`; no part may be absolute, '..', or a symlink.

    `parts` may hold '/'-separated relative paths (a generator's `sub/file.json`); each component is checked.
    Components that already exist below `root` must be real folders or files, never symlinks.
    """
    root = Path(root)
    components: list[str] = []
    for part in parts:
        if "\\" in part or "\0" in part or part.startswith("/"):
            raise UnsafePath(f"a path inside {root} is absolute or holds a backslash or NUL")
        for piece in part.split("/"):
            components.append(check_component(piece, f"a path component inside {root}"))
    path = root
    for piece in components:
        path = path / piece
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            break  # nothing further exists, so nothing further can be a link
        if stat.S_ISLNK(mode):
            raise UnsafePath(f"{path}: is a symbolic link; sosmeta never writes through links in its folders")
    return root.joinpath(*components)


def refuse_link(path: Path) -> Path:
    """`path` unless it is a symlink (a folder the project creates, removes or renames must be real)."""
    if Path(path).is_symlink():
        raise UnsafePath(f"{path}: is a symbolic link; sosmeta never writes through links in its folders")
    return Path(path)
