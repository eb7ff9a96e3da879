"""The typed model: the one representation every importer produces and every generator consumes."""

from sosmeta.structures.model import Element, Keywords, Located, Structure, SubProperty
from sosmeta.structures.representation import Representation
from sosmeta.structures.texts import LangText, Texts

__all__ = [
    "Element",
    "Keywords",
    "LangText",
    "Located",
    "Representation",
    "Structure",
    "SubProperty",
    "Texts",
]
