"""The pre-flight check (`cda check`): locally, what Kanta's validation service checks of a frame and its
document, as coded findings located by XPath (and JSON pointer inside the body), in fi, sv and en.

Checked: the frame's own shape and that it agrees with the document (`preflight_rules.AGREEMENT`); the code
system of every coded place (`codesystems`); that contentSpecificationId names a structure of the catalog and
specificDocumentType/documentGroup fit its OID; the JSON in full mode; the display form; the signatures
(`signing.verify`); the service request against the document group; and, in a test message, that every
identity code anywhere is a test code (`preflight_body`). The XML is read by local names from the hardened
parser's tree, so any vendor's document can be checked; nothing here uses the envelope model. No finding holds
a value of the document or the frame.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from sosmeta.catalog import Catalog, CatalogError
from sosmeta.generators.cda import codesystems as cs
from sosmeta.generators.cda.codec import CdaInputError, parse_safely
from sosmeta.generators.cda.limits import DEFAULT_LIMITS, Limits
from sosmeta.generators.cda.localnames import attr, find, find_all, local, place_of
from sosmeta.generators.cda.preflight_rules import AGREEMENT, FRAME_SHAPE, RULES, Agree, Severity, render
from sosmeta.sosmeta_import.errors import Problem
from sosmeta.structures.identifiers import is_oid
from sosmeta.structures.model import Structure

SPECIFIC_PREFIX = "1.2.246.537.6.1506."
GROUP_PREFIX = "1.2.246.537.6.1505."


@dataclass(frozen=True)
class CheckFinding:
    source: str
    location: str
    code: str
    severity: Severity
    message: dict[str, str]
    area: str

    def problem(self, lang: str = "en") -> Problem:
        return Problem(self.source, self.location, self.message[lang], self.code)

    def as_dict(self, lang: str) -> dict[str, object]:
        return {
            "source": self.source,
            "location": self.location,
            "code": self.code,
            "severity": self.severity,
            "area": self.area,
            "message": self.message[lang],
        }


MAX_PLACES = 100
"""At most this many findings of one code per input: enough to act on, and a hostile file of 50,000 repeated
elements cannot make the check name (and locate, which walks the siblings) every one of them."""


@dataclass
class Findings:
    """Findings collected by the checks, one source at a time."""

    items: list[CheckFinding] = field(default_factory=list)
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def wants(self, source: str, code: str) -> bool:
        """Whether another finding of `code` in `source` is still reported (ask before locating it)."""
        return self.counts[(source, code)] < MAX_PLACES

    def add(self, source: str, location: str, code: str, param: str = "", severity: Severity | None = None) -> None:
        if not self.wants(source, code):
            return
        self.counts[(source, code)] += 1
        rule = RULES[code]
        self.items.append(
            CheckFinding(source, location, code, severity or rule.severity, render(code, param), rule.area)
        )

    def extend(self, found: Iterable[CheckFinding]) -> None:
        self.items.extend(found)


@dataclass(frozen=True)
class Report:
    findings: list[CheckFinding]
    structure: str | None
    mode: str | None
    """The processing mode the identity check used (the frame's, or the one given), None when unknown."""

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


@dataclass(frozen=True)
class Message:
    """What is checked: the document and, optionally, its frame (from a package: also the parts' Content-IDs)."""

    document: bytes
    document_source: str
    frame: bytes | None = None
    frame_source: str = "frame"
    document_cid: str | None = None
    """The Content-ID of the document's part when both came in one package."""


def parse_document(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> etree._Element:
    root = parse_safely(data, source, limits)
    if local(root) != "ClinicalDocument":
        raise CdaInputError([Problem(source, "/", "the root element is not a ClinicalDocument", "cda.root")])
    return root


def parse_frame(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> etree._Element:
    root = parse_safely(data, source, limits)
    if local(root) != cs.MESSAGE_TYPE:
        raise CdaInputError([Problem(source, "/", f"the root element is not {cs.MESSAGE_TYPE}", "cda.root")])
    return root


def check(
    message: Message,
    catalog: Catalog,
    *,
    mode: str | None = None,
    signatures: bool = True,
    at: dt.datetime | None = None,
    limits: Limits = DEFAULT_LIMITS,
    unstructured: bool | None = None,
) -> Report:
    """Every finding of `message`; a document or frame that cannot be read at all raises CdaInputError.
    `unstructured`: True checks the document as an old free-form one carried as a display form only (header,
    frame, display form, signatures and identities; no structure, no hl7fi:json); None recognises one (no
    hl7fi:json, and no structure in the catalog has its contentSpecificationId: a warning says so)."""
    from sosmeta.generators.cda import preflight_body as body

    doc = parse_document(message.document, message.document_source, limits)
    frame = parse_frame(message.frame, message.frame_source, limits) if message.frame is not None else None
    out = Findings()
    dsrc, fsrc = message.document_source, message.frame_source
    if frame is not None:
        frame_shape(frame, fsrc, out)
        agreement(frame, doc, fsrc, out)
        if message.document_cid is not None:
            reference(frame, fsrc, message.document_cid, out)
        service_request(frame, doc, fsrc, out)
        code_systems(frame, fsrc, cs.FRAME_CODES, out)
        reason_systems(frame, fsrc, out)
    code_systems(doc, dsrc, cs.DOCUMENT_CODES, out)
    listed_codes(doc, frame, dsrc, fsrc, catalog, at, out)
    structure, unstructured = named_structure(doc, dsrc, catalog, out, unstructured)
    stated = attr(frame, "processingModeCode", "code") if frame is not None else None
    used = stated if stated in cs.PROCESSING_MODES else None if frame is not None else mode  # never a stray value
    parts = body.body_parts(doc, dsrc, limits, out, unstructured)
    if structure is not None and parts.document is not None:
        body.json_findings(structure, parts, dsrc, used == "T", out)
    body.display_findings(doc, parts, dsrc, out)
    if signatures:
        body.signature_findings(message.document, dsrc, at, limits, out)
    if used is not None:
        body.identity_findings(doc, frame, parts, dsrc, fsrc, used, out)
    return Report(out.items, structure.version_oid if structure is not None else None, used)


def listed_codes(
    doc: etree._Element,
    frame: etree._Element | None,
    dsrc: str,
    fsrc: str,
    catalog: Catalog,
    at: dt.datetime | None,
    out: Findings,
) -> None:
    """The header's and the frame's codes against the catalog's stored lists (preflight_codes.py)."""
    from sosmeta.codestore import CodeStore
    from sosmeta.generators.cda.preflight_codes import document_day, header_code_findings
    from sosmeta.structures.codelists.binding import CodeLists

    lists = CodeLists(CodeStore(catalog.root).lists())
    day = document_day(doc) or (at or dt.datetime.now()).date()
    header_code_findings(doc, dsrc, cs.DOCUMENT_CODES, lists, day, out)
    if frame is not None:
        header_code_findings(frame, fsrc, cs.FRAME_CODES, lists, day, out)


# ---- the frame -------------------------------------------------------------------------------------------------------
def frame_shape(frame: etree._Element, source: str, out: Findings) -> None:
    """Every part FRAME_SHAPE names is there, with one of its allowed values."""
    for expect in FRAME_SHAPE:
        found = find_all(frame, expect.path)
        values = [e.get(expect.attribute) for e in found]
        if not any(values):
            where = place_of(found[0]) if found else f"/{cs.MESSAGE_TYPE}/{expect.path}"
            out.add(source, where, "check.frame_missing", f"{expect.path}@{expect.attribute}")
            continue
        if expect.values:
            code = "check.frame_value" if expect.severity == "error" else "check.frame_unusual"
            for element, value in zip(found, values, strict=True):
                if value not in expect.values and out.wants(source, code):
                    out.add(source, f"{place_of(element)}/@{expect.attribute}", code, " / ".join(expect.values))


def _key(element: etree._Element, attributes: tuple[str, ...]) -> tuple[object, ...] | None:
    """What is compared of one element (None when it carries none of the attributes: a bare nullFlavor id)."""
    if attributes == ("#text",):
        parts = sorted(
            (local(c), c.get("qualifier") or "", "".join(c.itertext()).strip())
            for c in element
            if isinstance(c.tag, str)
        )
        return tuple(parts) or None
    values = tuple(element.get(a) for a in attributes)
    if all(v is None for v in values):
        return None
    if "code" in attributes and element.tag.endswith("languageCode"):  # fi and FI both occur
        return tuple(v.lower() if isinstance(v, str) else v for v in values)
    return values


def _keys(elements: list[etree._Element], attributes: tuple[str, ...]) -> Counter[tuple[object, ...]]:
    return Counter(k for e in elements if (k := _key(e, attributes)) is not None)


def _compare(frame: etree._Element, doc: etree._Element, rule: Agree, source: str, out: Findings) -> None:
    mine = find_all(frame, rule.frame)
    if not mine:  # a missing required part is FRAME_SHAPE's finding; optional parts may be left out
        return
    theirs = find_all(doc, rule.document)
    expected = _keys(theirs, rule.attributes)
    if _keys(mine, rule.attributes) == expected:
        return
    if not expected and rule.severity == "warning":  # the frame says what the document leaves open (the sample's
        return  # author: nullFlavor in the document, the sending user in the frame)
    code = "check.frame_mismatch" if rule.severity == "error" else "check.frame_differs"
    where = place_of(theirs[0]) if theirs else f"/ClinicalDocument/{rule.document}"
    out.add(source, place_of(mine[0]), code, where)


def agreement(frame: etree._Element, doc: etree._Element, source: str, out: Findings) -> None:
    """The frame repeats the document: ids, set id, version, patient and organisations must agree (errors),
    times, author and names may differ (warnings)."""
    for rule in AGREEMENT:
        _compare(frame, doc, rule, source, out)
    sender = find(frame, "sender/device/id")
    allowed = {
        attr(doc, "custodian/assignedCustodian/representedCustodianOrganization/id", "root"),
        attr(doc, f"{cs.LSH}/outsourcingServiceCustomer", "root"),
    } - {None}
    if sender is not None and sender.get("root") and sender.get("root") not in allowed:
        out.add(source, place_of(sender) + "/@root", "check.frame_mismatch", "/ClinicalDocument/custodian")


def reference(frame: etree._Element, source: str, document_cid: str, out: Findings) -> None:
    text = find(frame, f"{cs.SUBJECT}/text")
    value = attr(text, "reference", "value") if text is not None else None
    if value != f"cid:{document_cid}":
        where = place_of(text) if text is not None else f"/{cs.MESSAGE_TYPE}/{cs.SUBJECT}/text"
        out.add(source, where, "check.frame_reference", "reference@value = cid:<Content-ID>")


def service_request(frame: etree._Element, doc: etree._Element, source: str, out: Findings) -> None:
    """SP1 for the client-relationship document group, SP17 otherwise."""
    expected = cs.service_request_for(attr(doc, f"{cs.LSH}/documentGroup", "code"))
    reasons = [
        r for r in find_all(frame, "controlActProcess/reasonCode") if r.get("codeSystem") == cs.SERVICE_REQUEST.oid
    ]
    if not reasons:
        out.add(
            source,
            f"/{cs.MESSAGE_TYPE}/controlActProcess/reasonCode",
            "check.frame_missing",
            "reasonCode (service request)",
        )
    for reason in reasons:
        if reason.get("code") != expected.code and out.wants(source, "check.service_request"):
            out.add(source, place_of(reason) + "/@code", "check.service_request", expected.code)
    uses = [r for r in find_all(frame, "controlActProcess/reasonCode") if r.get("codeSystem") == cs.USE_SITUATION.oid]
    if not uses:
        out.add(
            source,
            f"/{cs.MESSAGE_TYPE}/controlActProcess/reasonCode",
            "check.frame_missing",
            "reasonCode (use situation)",
        )


# ---- code systems and the structure ----------------------------------------------------------------------------------
def code_systems(
    root: etree._Element, source: str, table: tuple[tuple[str, cs.CodeSystem], ...], out: Findings
) -> None:
    """Every coded element of the table that carries a code names the expected code system."""
    for path, system in table:
        for element in find_all(root, path):
            if element.get("code") is None:  # nullFlavor, or a code left out: not this check's business
                continue
            if element.get("codeSystem") != system.oid and out.wants(source, "check.code_system"):
                out.add(source, place_of(element) + "/@codeSystem", "check.code_system", system.oid)


def reason_systems(frame: etree._Element, source: str, out: Findings) -> None:
    allowed = {s.oid for s in cs.REASON_SYSTEMS}
    for reason in find_all(frame, "controlActProcess/reasonCode"):
        if reason.get("codeSystem") not in allowed and out.wants(source, "check.code_system"):
            out.add(source, place_of(reason) + "/@codeSystem", "check.code_system", " / ".join(sorted(allowed)))


def content_specification(doc: etree._Element) -> tuple[etree._Element | None, str | None]:
    """The contentSpecificationId element and the OID it carries (as text, or in @root as older writers have it)."""
    element = find(doc, f"{cs.LSH}/contentSpecificationId")
    if element is None:
        return None, None
    value = "".join(element.itertext()).strip() or (element.get("root") or "").strip()
    return element, value or None


def named_structure(
    doc: etree._Element, source: str, catalog: Catalog, out: Findings, unstructured: bool | None = False
) -> tuple[Structure | None, bool]:
    """The structure contentSpecificationId names (None when there is none to check against), and whether the
    document is checked as unstructured (`unstructured`: True, False, or None to recognise it: no hl7fi:json
    and no such structure in the catalog). The specific type and group must fit the OID either way."""
    from sosmeta.generators.cda.preflight_body import has_json

    element, oid = content_specification(doc)
    where = place_of(element) if element is not None else f"/ClinicalDocument/{cs.LSH}/contentSpecificationId"
    if oid is None or not is_oid(oid):
        out.add(source, where, "check.content_specification")
        return None, bool(unstructured)
    if unstructured:
        type_codes(doc, oid, source, out)
        return None, True
    try:
        structure = catalog.resolve(oid)
    except CatalogError:
        if unstructured is None and not has_json(doc):
            out.add(source, where, "check.unstructured")
            type_codes(doc, oid, source, out)
            return None, True
        out.add(source, where, "check.structure_unknown")
        return None, False
    type_codes(doc, structure.version_oid, source, out)
    return structure, False


def type_codes(doc: etree._Element, version: str, source: str, out: Findings) -> None:
    """specificDocumentType and documentGroup as the structure version's OID has them (where it has them)."""
    for prefix, path, code in (
        (SPECIFIC_PREFIX, "specificDocumentType", "check.specific_type"),
        (GROUP_PREFIX, "documentGroup", "check.document_group"),
    ):
        if not version.startswith(prefix):
            continue
        expected = version.removeprefix(prefix).split(".")[0]
        found = find(doc, f"{cs.LSH}/{path}")
        if found is None or found.get("code") != expected:
            place = place_of(found) + "/@code" if found is not None else f"/ClinicalDocument/{cs.LSH}/{path}"
            out.add(source, place, code, expected)
