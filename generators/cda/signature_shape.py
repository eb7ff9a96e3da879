"""The shape of a Kanta signature in a CDA document, in both directions: where it goes, what it holds, what its
references must resolve to (the sample's shape, kanta-cda.md "What real traffic shows"). `signing` does the
cryptography with signxml and reads the rules it checks beyond signxml's from here.

`hl7fi:localSocialHeader/signatureCollection` (the namespace declared as default there) holds one
`signature@ID` per signature: `signatureDescription` (1.2.246.537.5.40127.2006: 1 professional's, 3 system
signature), `signatureTimestamp@ID` (xs:dateTime) and an enveloped XML-DSig `Signature` whose references are
the timestamp and `#OID{document id}`, the nonXMLBody.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from lxml import etree
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureConstructionMethod, SignatureMethod

from sosmeta.generators.cda import mapping as m

DS = "http://www.w3.org/2000/09/xmldsig#"
FI, DSIG = f"{{{m.HL7FI}}}", f"{{{DS}}}"  # Clark prefixes of the two namespaces
SignatureType = Literal["system", "professional"]

# What the sample shows (kanta-cda.md, "What real traffic shows"). The professional signature's display name
# is not in any material we have, so it is left out rather than invented.
SIGNATURE_TYPE_SYSTEM = "1.2.246.537.5.40127.2006"
SIGNATURE_TYPE_SYSTEM_NAME = "KanTa-palvelut - Sähköisen allekirjoituksen tyyppi"
SIGNATURE_TYPES: dict[str, tuple[str, str | None]] = {
    "professional": ("1", None),
    "system": ("3", "Järjestelmäallekirjoitus"),
}
# Our choice of IDs, shaped like the sample's ("Epic.HL7Finland.Signature.1", "CDA-aikaleima.1").
SIGNATURE_ID = "sosmeta.HL7Finland.Signature.{n}"
TIMESTAMP_ID = "CDA-aikaleima.{n}"

EXC_C14N = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0
ENVELOPED = SignatureConstructionMethod.enveloped
# What verify accepts: Kanta's algorithms and their longer-hash siblings, nothing weaker.
SIGNATURE_METHODS = frozenset({SignatureMethod.RSA_SHA256, SignatureMethod.RSA_SHA384, SignatureMethod.RSA_SHA512})
DIGESTS = frozenset({DigestAlgorithm.SHA256, DigestAlgorithm.SHA384, DigestAlgorithm.SHA512})
TRANSFORMS = frozenset({ENVELOPED.value, EXC_C14N.value})


def nonxml_body(root: etree._Element) -> tuple[etree._Element | None, bool]:
    """The document's one nonXMLBody, and whether its ID is "OID" + the document id."""
    found, ids = root.findall(f"{{{m.V3}}}component/{{{m.V3}}}nonXMLBody"), root.findall(f"{{{m.V3}}}id")
    body = found[0] if len(found) == 1 else None
    return body, body is not None and len(ids) == 1 and body.get("ID") == m.BODY_ID_PREFIX + (ids[0].get("root") or "")


def by_id(root: etree._Element, value: str) -> list[etree._Element]:
    """Every element carrying `value` in an attribute named ID (any namespace): what signxml resolves with
    id_attribute="ID", so one hit here is the element signxml digests."""
    found: list[etree._Element] = root.xpath("//*[@*[local-name()='ID']=$v]", v=value)
    return found


def add_signature_element(
    root: etree._Element, header: etree._Element, signature_type: SignatureType, when: dt.datetime
) -> str:
    """signatureCollection/signature with its description, timestamp (`when` in UTC) and a placeholder
    ds:Signature, which signxml replaces; the timestamp's ID."""
    collection = header.find(FI + "signatureCollection")
    if collection is None:
        collection = etree.SubElement(header, FI + "signatureCollection", nsmap={None: m.HL7FI})
    number = len(collection.findall(FI + "signature")) + 1
    while by_id(root, SIGNATURE_ID.format(n=number)) or by_id(root, TIMESTAMP_ID.format(n=number)):
        number += 1  # IDs are unique in the whole document
    wrapper = etree.SubElement(collection, FI + "signature", ID=SIGNATURE_ID.format(n=number))
    code, display = SIGNATURE_TYPES[signature_type]
    description = etree.SubElement(wrapper, FI + "signatureDescription", code=code)
    if display is not None:
        description.set("displayName", display)
    description.set("codeSystem", SIGNATURE_TYPE_SYSTEM)
    description.set("codeSystemName", SIGNATURE_TYPE_SYSTEM_NAME)
    timestamp_id = TIMESTAMP_ID.format(n=number)
    etree.SubElement(wrapper, FI + "signatureTimestamp", ID=timestamp_id).text = when.isoformat().replace("+00:00", "Z")
    etree.SubElement(wrapper, DSIG + "Signature", Id="placeholder", nsmap={None: DS})
    return timestamp_id


_PREFIXES = {m.V3: "", m.HL7FI: "hl7fi:", DS: "ds:"}


def _steps(element: etree._Element) -> list[tuple[etree._Element, int, int]]:
    """(element, position among same-named siblings, how many there are) from the root down to `element`."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        same = [c for c in parent if c.tag == node.tag] if parent is not None else [node]
        steps.append((node, same.index(node) + 1, len(same)))
        node = parent
    return steps[::-1]


def xpath_of(element: etree._Element) -> str:
    """An absolute XPath of `element` (prefixes as the docs use them; positions where a name repeats)."""
    names = [(etree.QName(node), at, count) for node, at, count in _steps(element)]
    return "".join(
        f"/{_PREFIXES.get(q.namespace or '', f'Q{{{q.namespace}}}')}{q.localname}" + (f"[{at}]" if count > 1 else "")
        for q, at, count in names
    )


def location(wrapper: etree._Element) -> str:
    """signxml's `location` of the ds:Signature inside `wrapper`: an ElementPath from the root with positions,
    so that verifying (and its enveloped-signature transform) works on this signature and no other."""
    return "./" + "".join(f"{node.tag}[{at}]/" for node, at, _ in _steps(wrapper)[1:])


_PLACED = etree.XPath(
    "boolean(parent::fi:signature/parent::fi:signatureCollection/parent::fi:localSocialHeader"
    "/parent::v3:ClinicalDocument[not(parent::*)])",
    namespaces=m.XPATH_NS,
)


def wrapper_of(signature: etree._Element) -> etree._Element | None:
    """The `signature` element around a ds:Signature placed as Kanta places it (in
    ClinicalDocument/localSocialHeader/signatureCollection), else None."""
    return signature.getparent() if _PLACED(signature) else None


def signature_kind(wrapper: etree._Element) -> str | None:
    """ "system", "professional", another signatureDescription code as it is, or None."""
    code = str(wrapper.xpath("string(fi:signatureDescription/@code)", namespaces=m.XPATH_NS))
    return next((name for name, (known, _) in SIGNATURE_TYPES.items() if known == code), code or None)


def algorithms_ok(signed_info: etree._Element) -> bool:
    """Every algorithm of SignedInfo is one verify accepts."""

    def algorithm(path: str) -> list[str]:
        return [e.get("Algorithm") or "" for e in signed_info.findall(path, {"ds": DS})]

    return (
        algorithm("ds:CanonicalizationMethod") == [EXC_C14N.value]
        and len(method := algorithm("ds:SignatureMethod")) == 1
        and method[0] in {s.value for s in SIGNATURE_METHODS}
        and all(a in {d.value for d in DIGESTS} for a in algorithm("ds:Reference/ds:DigestMethod"))
        and all(a in TRANSFORMS for a in algorithm("ds:Reference/ds:Transforms/ds:Transform"))
    )


def reference_fault(
    root: etree._Element, signed_info: etree._Element, timestamp: etree._Element
) -> tuple[str, str | None] | None:
    """Why the references are not exactly this document's body and this signature's timestamp, if they are not."""
    body, fits = nonxml_body(root)
    targets = {"body": body, "timestamp": timestamp}
    seen: list[str] = []
    for reference in signed_info.findall(DSIG + "Reference"):
        uri = reference.get("URI") or ""
        found = by_id(root, uri[1:]) if uri.startswith("#") and len(uri) > 1 else []
        if not uri.startswith("#") or len(found) > 1:
            return "wrong_reference", None
        if not found:
            return "missing_reference", None
        role = next((r for r, target in targets.items() if found[0] is target), None)
        if role is None or role in seen:
            return "wrong_reference", role
        seen.append(role)
    for role in targets:
        if role not in seen:
            return "missing_reference", role
    if not fits:
        return "wrong_reference", "body"
    return None
