"""The typed model: the one representation every importer produces and every generator consumes."""

from structures.model import Element, Keywords, Located, Structure, SubProperty
from structures.representation import Representation
from structures.texts import LangText, Texts

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
