"""sosmeta: compile THL's Sosmeta document structures into validators, forms and Kanta CDA R2 documents.

The public Python API, imported lazily so that `import sosmeta` stays cheap:

    import sosmeta
    structure = sosmeta.load_structure("export.json")       # a Sosmeta JSON export or a workbook
    validator = sosmeta.compile_validator(structure)         # full mode; "schema" for the JSON Schema only
    findings = validator.validate(document)                  # [] when valid
    xml = sosmeta.encode(structure, document, envelope)      # a Kanta CDA R2 archive document (bytes)
    decoded = sosmeta.decode(xml)                            # .document, .envelope

Everything else lives in the subpackages (`sosmeta.structures`, `sosmeta.sosmeta_import`, `sosmeta.generators`,
`sosmeta.safeio`, ...) and the modules `sosmeta.cli`, `sosmeta.catalog` and `sosmeta.workspace`.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sosmeta.generators.cda.codec import Decoded, decode, encode
    from sosmeta.generators.cda.envelope import Envelope, build_envelope
    from sosmeta.generators.validator import Validator, compile_validator
    from sosmeta.structures.model import Structure

__version__ = "0.1.0"


def _checkout_root() -> Path | None:
    """The repository root when running from a checkout, whose top-level folders are this package's modules."""
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (root / "structures" / "model.py").is_file():
        return root
    return None


# In a checkout the repository keeps its layout (`structures/`, `generators/`, `cli.py` at the top); an installed
# wheel has them inside this folder instead (setup.py maps them), and this path entry is not added.
_root = _checkout_root()
if _root is not None and str(_root) not in __path__:
    __path__.append(str(_root))

_PUBLIC = {
    "Structure": "sosmeta.structures.model",
    "Validator": "sosmeta.generators.validator",
    "compile_validator": "sosmeta.generators.validator",
    "Envelope": "sosmeta.generators.cda.envelope",
    "build_envelope": "sosmeta.generators.cda.envelope",
    "encode": "sosmeta.generators.cda.codec",
    "decode": "sosmeta.generators.cda.codec",
    "Decoded": "sosmeta.generators.cda.codec",
}

__all__ = [
    "Decoded",
    "Envelope",
    "Structure",
    "Validator",
    "build_envelope",
    "compile_validator",
    "decode",
    "encode",
    "load_structure",
]


def load_structure(path: str | Path) -> Structure:
    """One structure version from a Sosmeta JSON export or a workbook; located errors raise InputError."""
    from sosmeta.sosmeta_import import load_any
    from sosmeta.sosmeta_import.errors import InputError, Problem

    structures = load_any(Path(path))
    if len(structures) != 1:
        problem = Problem(str(path), "", f"holds {len(structures)} structure versions, not one", "sosmeta.not_one")
        raise InputError([problem])
    return structures[0]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'sosmeta' has no attribute {name!r}")
