"""The XML Schema of sosmeta's CDA documents: HL7 CDA R2 core plus our urn:hl7finland extension.

The extension (`schemas/hl7fi_social.xsd`) is ours and ships with the package. The CDA core schema is HL7's
and is not copied into the project: `load_schema(core)` reads it from a folder laid out like HL7's normative
set (`infrastructure/cda/POCD_MT000040.xsd` and `processable/coreschemas/`), given as an argument or by the
environment variable SOSMETA_CDA_SCHEMAS, and adds references to our two extension elements at the points
listed in EXTENSION_POINTS, in memory, the same way Kela's POCD_MT000040_Fi.xsd adds `hl7fi:localHeader`.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from sosmeta.generators.cda import mapping as m

XS = "http://www.w3.org/2001/XMLSchema"
ENV_VAR = "SOSMETA_CDA_SCHEMAS"
CORE_FILE = Path("infrastructure/cda/POCD_MT000040.xsd")
CDA_ENTRY = Path("infrastructure/cda/CDA.xsd")
EXTENSION_FILE = "hl7fi_social.xsd"

# (complex type in POCD_MT000040.xsd, element after which the reference goes, referenced hl7fi element)
EXTENSION_POINTS: tuple[tuple[str, str, str], ...] = (
    ("POCD_MT000040.ClinicalDocument", "componentOf", "localSocialHeader"),
    ("POCD_MT000040.NonXMLBody", "text", m.JSON_ELEMENT),
)
# (complex type, attribute, XSD type): the signature target id on nonXMLBody, as in Kela's Finnish schema.
EXTENSION_ATTRIBUTES: tuple[tuple[str, str, str], ...] = (("POCD_MT000040.NonXMLBody", "ID", "xs:ID"),)


class SchemaError(Exception):
    """The core CDA schema folder is missing or not laid out as HL7's normative set."""


def extension_path() -> Path:
    return Path(str(resources.files("sosmeta.generators.cda") / "schemas" / EXTENSION_FILE))


def core_folder(core: Path | None = None) -> Path:
    folder = core or (Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else None)
    if folder is None or not (folder / CORE_FILE).is_file():
        raise SchemaError(f"no HL7 CDA R2 schema folder (expected {CORE_FILE} under {folder or '$' + ENV_VAR})")
    return folder


def _extended_core(core: Path) -> etree._Element:
    """POCD_MT000040.xsd with our extension imported and referenced at EXTENSION_POINTS."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.parse(str(core / CORE_FILE), parser)
    old = tree.getroot()
    root = etree.Element(old.tag, dict(old.attrib), nsmap={**old.nsmap, "hl7fi": m.HL7FI})
    root.extend(list(old))
    root.insert(0, etree.Element(f"{{{XS}}}import", namespace=m.HL7FI, schemaLocation=extension_path().as_uri()))
    for type_name, after, element in EXTENSION_POINTS:
        found = root.xpath(
            f"xs:complexType[@name='{type_name}']/xs:sequence/xs:element[@name='{after}']", namespaces={"xs": XS}
        )
        if len(found) != 1:
            raise SchemaError(f"{core / CORE_FILE}: no element {after} in {type_name}")
        found[0].addnext(etree.Element(f"{{{XS}}}element", ref=f"hl7fi:{element}", minOccurs="0"))
    for type_name, attribute, xsd_type in EXTENSION_ATTRIBUTES:
        (complex_type,) = root.xpath(f"xs:complexType[@name='{type_name}']", namespaces={"xs": XS})
        complex_type.find(f"{{{XS}}}sequence").addnext(
            etree.Element(f"{{{XS}}}attribute", name=attribute, type=xsd_type, use="optional")
        )
    root.append(etree.Element(f"{{{XS}}}element", name="ClinicalDocument", type="POCD_MT000040.ClinicalDocument"))
    tree._setroot(root)
    tree.docinfo.URL = (core / CORE_FILE).resolve().as_uri()  # relative includes resolve against the core folder
    return root


@cache
def load_schema(core: Path | None = None) -> etree.XMLSchema:
    """The schema of sosmeta's CDA documents (CDA R2 core + hl7fi social extension)."""
    return etree.XMLSchema(_extended_core(core_folder(core)).getroottree())


@cache
def load_core_schema(core: Path | None = None) -> etree.XMLSchema:
    """The unmodified HL7 CDA R2 schema."""
    folder = core_folder(core)
    return etree.XMLSchema(etree.parse(str(folder / CDA_ENTRY), etree.XMLParser(no_network=True)))


FINNISH_ENTRY = Path("CDA_Fi.xsd")


@cache
def load_finnish_schema(folder: Path) -> etree.XMLSchema:
    """Kela's Finnish CDA R2 schema (`CDA_Fi.xsd`, the health side's `hl7fi:localHeader`), unmodified: a document
    without our extensions must satisfy it too."""
    if not (folder / FINNISH_ENTRY).is_file():
        raise SchemaError(f"no Finnish CDA schema (expected {FINNISH_ENTRY} in {folder})")
    return etree.XMLSchema(etree.parse(str(folder / FINNISH_ENTRY), etree.XMLParser(no_network=True)))


def without_extensions(root: etree._Element) -> etree._Element:
    """A copy of a ClinicalDocument without our extensions: every urn:hl7finland element and the attributes of
    EXTENSION_ATTRIBUTES (for the check against the unmodified core schema)."""
    copy = etree.fromstring(etree.tostring(root))
    for type_name, attribute, _ in EXTENSION_ATTRIBUTES:
        element = type_name.removeprefix("POCD_MT000040.")
        for found in copy.xpath(f"//v3:{element[0].lower() + element[1:]}", namespaces={"v3": m.V3}):
            found.attrib.pop(attribute, None)
    for element in copy.xpath("//fi:*", namespaces={"fi": m.HL7FI}):
        parent = element.getparent()
        if parent is not None and element.getparent().tag.startswith("{" + m.V3):
            parent.remove(element)
    return copy
