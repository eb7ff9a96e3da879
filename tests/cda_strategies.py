"""Hypothesis strategies for CDA envelopes: every field, with texts and times at the edges XML and TS allow, and
header parts kept verbatim (extra_header, signatureCollection) at places HL7's schema admits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from lxml import etree

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.envelope import Envelope, check_xml_text

_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
DS = "http://www.w3.org/2000/09/xmldsig#"
_SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}

texts = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda t: _ok(check_xml_text, t)
)
tokens = st.text(st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=12).filter(
    lambda t: not any(c.isspace() for c in t) and _ok(check_xml_text, t)
)
oids = st.lists(st.integers(0, 10**6), min_size=1, max_size=8).flatmap(
    lambda arcs: st.sampled_from(["1", "2", "0"]).map(lambda first: ".".join([first, *map(str, arcs)]))
)
zones = st.integers(-14 * 4, 14 * 4).map(lambda q: dt.timezone(dt.timedelta(minutes=15 * q)))
moments = st.builds(
    lambda d, z: d.replace(microsecond=0, tzinfo=z),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)),
    zones,
)
days = st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31))


def _ok(check: Any, value: str) -> bool:
    try:
        check(value)
    except ValueError:
        return False
    return True


@st.composite
def hetus(draw: st.DrawFn) -> str:
    born = draw(st.dates(dt.date(1800, 1, 1), dt.date(2099, 12, 31)))
    century = born.year // 100 * 100
    sign = draw(st.sampled_from(_SIGNS[century]))
    number = draw(st.integers(2, 999))
    body = born.strftime("%d%m%y")
    return f"{body}{sign}{number:03d}{_CHECK[int(body + f'{number:03d}') % 31]}"


def codes(system: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    base: dict[str, Any] = {"code": tokens}
    optional: dict[str, Any] = {"display": texts, "system_name": texts}
    if system:
        optional["system"] = oids
    return st.fixed_dictionaries(base, optional=optional)


special_contents = st.one_of(
    st.booleans(),
    st.fixed_dictionaries({"code": st.sampled_from(["K", "E"])}, optional={"display": texts, "system_name": texts}),
)
signatures = st.fixed_dictionaries(
    {"signer_id": tokens},
    optional={"given": texts, "family": texts, "method": codes(), "time": moments},
)
layouts = st.sampled_from(["", "\n", "\n\t\t", "  "])  # whitespace inside XML kept verbatim


def _xml(element: etree._Element, layout: str) -> str:
    """`element` serialized with `layout` as the whitespace between its children (kept verbatim)."""
    if layout:
        for node in element.iter():
            if len(node):
                node.text = layout
                for child in node:
                    child.tail = layout
    return etree.tostring(element, encoding="unicode")


def _v3(tag: str, **attrs: str) -> etree._Element:
    return etree.Element(f"{{{m.V3}}}{tag}", attrs, nsmap={None: m.V3})


@st.composite
def signature_collections(draw: st.DrawFn) -> str:
    """A signatureCollection shaped like the sample's (its XML-DSig part a stand-in: this is about keeping it)."""
    collection = etree.Element(f"{{{m.HL7FI}}}signatureCollection", nsmap={None: m.HL7FI})
    for number in range(1, draw(st.integers(1, 2)) + 1):
        signature = etree.SubElement(collection, f"{{{m.HL7FI}}}signature", ID=f"s{number}")
        etree.SubElement(signature, f"{{{m.HL7FI}}}signatureDescription", code=draw(st.sampled_from(["1", "3"])))
        stamp = etree.SubElement(signature, f"{{{m.HL7FI}}}signatureTimestamp", ID=f"t{number}")
        stamp.text = draw(moments).isoformat()
        ds = etree.SubElement(signature, f"{{{DS}}}Signature", nsmap={None: DS})
        etree.SubElement(etree.SubElement(ds, f"{{{DS}}}SignedInfo"), f"{{{DS}}}Reference", URI=f"#t{number}")
    return _xml(collection, draw(layouts))


@st.composite
def extra_headers(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, str]:
    """Header parts without an envelope field, at places where HL7's schema admits them (given the envelope)."""
    extras: dict[str, str] = {}
    if draw(st.booleans()):
        extras["/ClinicalDocument/@xsi:schemaLocation"] = "urn:hl7-org:v3 " + draw(
            tokens.filter(lambda t: ":" not in t)
        )
    if draw(st.booleans()):
        signer = _v3("legalAuthenticator")
        etree.SubElement(signer, f"{{{m.V3}}}time", value=draw(moments).strftime("%Y%m%d%H%M%S%z"))
        etree.SubElement(signer, f"{{{m.V3}}}signatureCode", code="S")
        etree.SubElement(etree.SubElement(signer, f"{{{m.V3}}}assignedEntity"), f"{{{m.V3}}}id", root=draw(oids))
        extras["after /ClinicalDocument/custodian"] = _xml(signer, draw(layouts))
    if data["client"].get("given") is not None and draw(st.booleans()):
        call_names = [_v3("given", qualifier="CL") for _ in range(draw(st.integers(1, 2)))]
        for given in call_names:
            given.text = draw(texts)
        extras["after /ClinicalDocument/recordTarget/patientRole/patient/name/given"] = "".join(
            _xml(g, "") for g in call_names
        )
    if data.get("case_id") is not None and draw(st.booleans()):
        extras["/ClinicalDocument/componentOf/encompassingEncounter/id/@nullFlavor"] = "NA"
    return extras


@st.composite
def language_codes(draw: st.DrawFn, language: str) -> str:
    """languageCode@code in another letter case than the envelope's language."""
    return draw(st.sampled_from([v for v in (language.upper(), language.title(), language[0] + language[1].upper())]))


organisations = st.fixed_dictionaries({"oid": oids, "name": texts})


def clients() -> st.SearchStrategy[dict[str, Any]]:
    hetu_client = st.fixed_dictionaries({"id": hetus()})
    other = st.fixed_dictionaries({"id_root": oids.filter(lambda o: o != m.HETU_OID), "id": tokens})
    return st.tuples(
        st.one_of(hetu_client, other),
        st.fixed_dictionaries({}, optional={"given": texts, "family": texts, "sex": codes(), "birth_time": days}),
    ).map(lambda pair: {**pair[0], **pair[1]})


@st.composite
def envelopes(draw: st.DrawFn, content_specification_id: str, kept_signatures: bool = False) -> Envelope:
    """Any envelope; `kept_signatures`: also a signatureCollection kept verbatim (stand-ins that do not verify)."""
    data = draw(
        st.fixed_dictionaries(
            {
                "document_id": oids,
                "drafting_time": moments,
                "creation_time": moments,
                "content_specification_id": st.just(content_specification_id),
                "client": clients(),
                "register_keeper": organisations,
            },
            optional={
                "author": st.fixed_dictionaries(
                    {}, optional={"time": moments, "registration_id": tokens, "given": texts, "family": texts}
                ),
                "title": texts,
                "set_id": oids,
                "version_number": st.integers(1, 99999),
                "general_type": codes(),
                "specific_type": codes(),
                "service_task": codes(),
                "process_phase": codes(),
                "document_group": codes(),
                "case_id": oids,
                "client_relationship_id": oids,
                "service_organiser": organisations,
                "service_unit": organisations,
                "confidentiality": codes(),
                "language": st.sampled_from(["fi", "sv"]),
                "ready_state": codes(),
                "registry": codes(),
                "retention_class": codes(),
                "special_content": special_contents,
                "file_format": codes(),
                "structured_format": codes(),
                "authorization_restrictions": st.lists(st.one_of(texts, codes(system=True)), max_size=3),
                "inaccessible_arguments": st.lists(codes(), max_size=3),
                "minor_disclosure": codes(),
                "outsourcing_customer": organisations,
                "software": st.fixed_dictionaries({"product": texts}, optional={"moderator": texts, "version": texts}),
                "replaces": oids,
                "replacement_reason": codes(system=True),
                "nullification": st.fixed_dictionaries({"reason": codes(system=True)}, optional={"time": moments}),
                "signature": signatures,
                **({"signature_collection": signature_collections()} if kept_signatures else {}),
            },
        )
    )
    if draw(st.booleans()):
        data["language_code"] = draw(language_codes(data.get("language", "fi")))
    data["extra_header"] = draw(extra_headers(data))
    return Envelope.model_validate(data)
