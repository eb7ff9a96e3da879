"""The XML Schema of the transfer frame: `schemas/rcmr_frame.xsd` (ours: Kanta's is not public) on the HL7 V3
data types of the CDA R2 normative set, which is not copied into the project but read from its folder (the
same folder `schema.load_schema` reads: an argument, or the environment variable SOSMETA_CDA_SCHEMAS)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from sosmeta.generators.cda.schema import core_folder

FRAME_FILE = "rcmr_frame.xsd"
DATATYPES = Path("processable/coreschemas")


def frame_schema_path() -> Path:
    return Path(str(resources.files("sosmeta.generators.cda") / "schemas" / FRAME_FILE))


@cache
def load_frame_schema(core: Path | None = None) -> etree.XMLSchema:
    """The frame's schema; its `datatypes.xsd` include resolves against the core folder's data types."""
    folder = core_folder(core) / DATATYPES
    tree = etree.parse(str(frame_schema_path()), etree.XMLParser(resolve_entities=False, no_network=True))
    tree.docinfo.URL = (folder / FRAME_FILE).resolve().as_uri()  # relative includes resolve there
    return etree.XMLSchema(tree)
