"""`make lint`'s type check: mypy over the package as it is installed (`sosmeta.*`), with the repository's paths.

mypy does not follow the path entry that sosmeta/__init__.py adds in a checkout, so this lays out the installed
shape as symbolic links in .typecheck/ (the top-level folders and modules inside `sosmeta/`), runs mypy on it and
prints its findings with the files' real paths.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from setup import TOP_MODULES, folders  # noqa: E402  (the packaging rules are the single source)

TREE = ROOT / ".typecheck"


def lay_out() -> Path:
    """Build .typecheck/sosmeta/ from links to the package's own files, its folders and its top-level modules."""
    shutil.rmtree(TREE, ignore_errors=True)
    package = TREE / "sosmeta"
    package.mkdir(parents=True)
    links = {path.name: path for path in (ROOT / "sosmeta").glob("*.py")}
    links |= {folder: ROOT / folder for folder in folders()}
    links |= {f"{name}.py": ROOT / f"{name}.py" for name in TOP_MODULES}
    for name, target in sorted(links.items()):
        os.symlink(os.path.relpath(target, package), package / name)
    return package


def real_path(line: str) -> str:
    """A mypy line with the link path replaced by the file's path in the repository."""
    prefix = ".typecheck/sosmeta/"
    if not line.startswith(prefix):
        return line
    rest = line[len(prefix) :]
    own = rest.split(":", 1)[0]
    return ("sosmeta/" + rest) if (ROOT / "sosmeta" / own).is_file() else rest


def main() -> int:
    lay_out()
    env = {**os.environ, "MYPYPATH": str(TREE)}
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "-p", "sosmeta", *sys.argv[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in (run.stdout + run.stderr).splitlines():
        print(real_path(line))
    return run.returncode


if __name__ == "__main__":
    raise SystemExit(main())
