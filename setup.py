"""Builds one installed `sosmeta` package from the repository's top-level folders and modules.

The repository keeps its layout (`structures/`, `sosmeta_import/`, `generators/`, `cli.py` ... at the top); here
each top-level folder that is a package becomes `sosmeta.<folder>` and the top-level modules become modules of
`sosmeta` itself, so nothing but `sosmeta` lands at the top of site-packages (tests/test_packaging.py checks it).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
# Folders at the top that are not part of the installed package.
NOT_PACKAGED = {"sosmeta", "tests", "bench", "docs", "example", "output", "build", "dist", "tools"}
# Every module at the top belongs to the package, except this file.
TOP_MODULES = tuple(sorted(p.stem for p in ROOT.glob("*.py") if p.name != "setup.py"))


def folders() -> list[str]:
    """The top-level folders that are Python packages and go into the installed package."""
    return sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name not in NOT_PACKAGED)


def packages() -> list[str]:
    """`sosmeta` and every package below the mapped folders, as installed names."""
    names = ["sosmeta"]
    for folder in folders():
        # Every folder below counts, with or without __init__.py: templates/, schemas/ and assets/ carry data.
        for path in sorted([ROOT / folder, *(ROOT / folder).rglob("*")]):
            if path.is_dir() and "__pycache__" not in path.parts:
                names.append(".".join(("sosmeta", *path.relative_to(ROOT).parts)))
    return names


class BuildPy(build_py):
    """build_py that also places the top-level modules inside the `sosmeta` package."""

    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules = list(super().find_package_modules(package, package_dir))
        if package == "sosmeta":
            modules += [(package, name, f"{name}.py") for name in TOP_MODULES]
        return modules


if __name__ == "__main__":  # setuptools runs this file as __main__; tools/typecheck.py imports the rules
    setup(
        packages=packages(),
        package_dir={"sosmeta": "sosmeta", **{f"sosmeta.{folder}": folder for folder in folders()}},
        cmdclass={"build_py": BuildPy},
    )
