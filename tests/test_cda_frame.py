"""The transfer frame (`cda frame`, generators.cda.frame): parity with the real sample frame, built from any
vendor's document by local names, the codes by document group, where sender and user come from, determinism,
and refusals that name the option or place and never a value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from sosmeta.generators.cda import codesystems as cs
from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.codec import CdaInputError
from sosmeta.generators.cda.frame import FrameOptions, Person, Unit, frame, options_from, read_frame
from sosmeta.generators.cda.frame_schema import load_frame_schema
from sosmeta.generators.cda.localnames import find
from sosmeta.generators.cda.preflight import Findings, agreement
from tests.cda_frame_support import (
    CLIENT_RELATIONSHIP,
    PLAN,
    SAMPLE_CLI,
    SAMPLE_DOCUMENT,
    SAMPLE_FRAME,
    SAMPLE_OPTIONS,
    encoded,
    items,
    run,
    sample_bytes,
)
from tests.conftest import EXAMPLE, SHARED, require_corpus

S = "RCMR_IN200002FI01/controlActProcess/subject/clinicalDocument"
VENDOR_REFERENCE = f"{S}/text/"
"""Below the frame's text the sample has a vendor's own reference (mimeEncode/DXS); ours is an HL7 reference to
the package part (docs/cda.md, Package): the one place parity sets aside."""
OUR_EXTRAS = {
    "RCMR_IN200002FI01/versionCode",  # kanta-cda.md: optional versionCode V3-2006
    f"{S}/text/reference",
    f"{S}/confidentialityCode",  # kanta-cda.md lists both in the frame's clinicalDocument
    f"{S}/languageCode",
    f"{S}/recordTarget/patient/patientPerson/administrativeGenderCode",  # "patientPerson name, gender, birthTime"
    f"{S}/custodian/assignedCustodian/representedOrganization/name",  # "representedOrganization (id, name)"
}


def tree(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def test_frame_parity_with_the_sample() -> None:
    """Every element, attribute and value of the real frame is in ours (the sample's message id, time, sender
    and user given as options, as a record system gives its own)."""
    ours = items(tree(frame(sample_bytes(SAMPLE_DOCUMENT), SAMPLE_OPTIONS)))
    sample = items(tree(sample_bytes(SAMPLE_FRAME)))
    kept = {k: n for k, n in sample.items() if not k[0].startswith(VENDOR_REFERENCE)}
    missing = {k: n - ours[k] for k, n in kept.items() if ours[k] < n}
    assert not missing, missing
    extra = {key[0] for key, n in ours.items() if n > sample[key]}
    assert extra <= OUR_EXTRAS | {f"{S}/text"}, extra - OUR_EXTRAS


def test_the_command_writes_what_the_api_does(tmp_path: Path) -> None:
    out = tmp_path / "frame.xml"
    result = run("cda", "frame", str(SAMPLE_DOCUMENT), "--out", str(out), *SAMPLE_CLI)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == frame(sample_bytes(SAMPLE_DOCUMENT), SAMPLE_OPTIONS)


@pytest.mark.parametrize(("version_oid", "request_code"), [(CLIENT_RELATIONSHIP, "SP1"), (PLAN, "SP17")])
def test_the_frame_repeats_the_document_and_names_the_service_request(version_oid: str, request_code: str) -> None:
    document = encoded(version_oid)
    framed = tree(frame(document))
    found = Findings()
    agreement(framed, tree(document), "frame", found)
    assert found.items == []
    reasons = {r.get("codeSystem"): r for r in framed.iterfind(".//{*}reasonCode")}
    assert reasons[cs.SERVICE_REQUEST.oid].get("code") == request_code
    use = reasons[cs.USE_SITUATION.oid]
    assert (use.get("code"), use.get("displayName")) == ("1", "Palvelunjärjestäjän rekisterin oma käyttö")


def test_sp17_carries_no_invented_display_name() -> None:
    reason = tree(frame(encoded(PLAN))).find(f".//{{{m.V3}}}reasonCode[@code='SP17']")
    assert reason is not None and reason.get("displayName") is None


def test_another_use_situation_is_written_without_a_display_name() -> None:
    framed = tree(frame(encoded(PLAN), FrameOptions(use_situation="2")))
    use = framed.find(f".//{{{m.V3}}}reasonCode[@codeSystem='{cs.USE_SITUATION.oid}']")
    assert use is not None and use.get("code") == "2" and use.get("displayName") is None


def test_the_user_defaults_to_the_documents_author() -> None:
    fields = read_frame(tree(frame(encoded(PLAN))))
    performer = fields["performer"]
    assert isinstance(performer, dict)
    assert performer["ids"] == [{"root": m.PROFESSIONAL_OID, "extension": "100012345"}]
    assert performer["name"] == {"given": ["Sanna"], "family": ["Laine"]}


def test_without_a_user_the_frame_has_no_performer_and_the_command_says_so(tmp_path: Path) -> None:
    framed = frame(sample_bytes(SAMPLE_DOCUMENT))  # the sample's author is nullFlavor
    assert find(tree(framed), "controlActProcess/authorOrPerformer") is None
    result = run("cda", "frame", str(SAMPLE_DOCUMENT), "--out", str(tmp_path / "f.xml"))
    assert result.exit_code == 0 and "note: no sending user" in result.output


def test_sender_comes_from_the_options_then_the_organisation_file_then_the_custodian() -> None:
    from sosmeta.generators.cda.envelope import load_organisation

    organisation = load_organisation(EXAMPLE / "orgs" / "jarvimaa-lastensuojelu.toml")
    document = encoded(PLAN)
    senders = [
        read_frame(tree(frame(document, options)))["sender"]
        for options in (
            FrameOptions(),
            FrameOptions(organisation=organisation),
            FrameOptions(organisation=organisation, sender="1.2.246.10.7654321.10.0"),
        )
    ]
    assert senders == ["1.2.246.10.1234567.10.0", organisation.oid, "1.2.246.10.7654321.10.0"]


def test_the_users_unit_comes_from_the_options_the_document_or_the_organisation_file() -> None:
    from sosmeta.generators.cda.envelope import load_organisation

    organisation = load_organisation(EXAMPLE / "orgs" / "jarvimaa-lastensuojelu.toml")
    user = Person("010101A900R", given=("Testi",), family="Käyttäjä")
    sample = sample_bytes(SAMPLE_DOCUMENT)
    plan = encoded(PLAN)  # no service unit in the example envelope: the organisation file's only unit

    def unit(document: bytes, options: FrameOptions) -> object:
        performer = read_frame(tree(frame(document, options)))["performer"]
        assert isinstance(performer, dict)
        return performer["unit"]

    assert unit(sample, FrameOptions(performer=user)) == {
        "ids": [{"root": "1.2.246.10.1246109.10.2001213"}],
        "name": "Lapsiperheiden palvelutarpeen arviointi, Vantaan ja Keravan hyvinvointialue",
    }
    assert unit(plan, FrameOptions(performer=user, organisation=organisation)) == {
        "ids": [{"root": "1.2.246.10.29999999.10.1204"}],
        "name": "Lastensuojelun avohuolto, Järvimaa",
    }
    given = Unit("1.2.246.10.1234567.10.7", "Yksikkö")
    assert unit(sample, FrameOptions(performer=user, performer_unit=given)) == {
        "ids": [{"root": given.oid}],
        "name": "Yksikkö",
    }


def test_the_frame_is_deterministic_and_numbers_each_version_apart() -> None:
    first, again = frame(encoded(PLAN)), frame(encoded(PLAN))
    assert first == again
    second = frame(encoded(PLAN, version_number=2, replaces="1.2.246.10.1234567.95.2024.1"))
    numbers = [read_frame(tree(f))["id"] for f in (first, second)]
    assert numbers[0] != numbers[1]
    created = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    fields = read_frame(tree(frame(encoded(PLAN), FrameOptions(created=created))))
    assert fields["creation_time"] == "20250102030405+0000"


def _as_another_vendor(data: bytes) -> bytes:
    """The sample written as another vendor might: every element under a prefix (`v3:`, `x:` for urn:hl7finland)
    and a comment before every element."""

    def rebuild(source: etree._Element, parent: etree._Element | None) -> etree._Element:
        if parent is None:
            element = etree.Element(source.tag, nsmap={"v3": m.V3, "x": m.HL7FI})
        else:
            parent.append(etree.Comment(" huomautus "))
            element = etree.SubElement(parent, source.tag)
        element.attrib.update(dict(source.attrib))
        element.text, element.tail = source.text, source.tail
        for child in source:
            if isinstance(child.tag, str):
                rebuild(child, element)
        return element

    return etree.tostring(rebuild(etree.fromstring(data), None), encoding="UTF-8")


def test_a_document_with_other_prefixes_and_comments_gives_the_same_frame() -> None:
    sample = sample_bytes(SAMPLE_DOCUMENT)
    other = _as_another_vendor(sample)
    assert b"<v3:recordTarget>" in other and b"<x:localSocialHeader" in other
    assert frame(other, SAMPLE_OPTIONS) == frame(sample, SAMPLE_OPTIONS)


# ---- refusals -------------------------------------------------------------------------------------------------------
def _refused(tmp_path: Path, data: bytes, *options: str) -> str:
    source = tmp_path / "in.xml"
    source.write_bytes(data)
    result = run("cda", "frame", str(source), "--out", str(tmp_path / "f.xml"), *options)
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: "), result.output
    assert not (tmp_path / "f.xml").exists()
    return result.output


def test_a_document_without_an_id_is_refused(tmp_path: Path) -> None:
    data = sample_bytes(SAMPLE_DOCUMENT).replace(b'<id root="1.2.246.10.32213561.95777.2026.688883.2809773"/>', b"")
    assert "[cda.frame]" in _refused(tmp_path, data)


def test_a_frame_is_not_framed(tmp_path: Path) -> None:
    assert "[cda.root]" in _refused(tmp_path, sample_bytes(SAMPLE_FRAME))


def test_a_doctype_is_refused(tmp_path: Path) -> None:
    data = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + sample_bytes(SAMPLE_DOCUMENT)
    assert "[cda.doctype]" in _refused(tmp_path, data)


@pytest.mark.parametrize(
    ("option", "value", "named"),
    [
        ("--performer-id", "131052-308U", "--performer-id"),  # a wrong check character (T is right)
        ("--performer-id", "1310523088", "--performer-id"),
        ("--created", "2026-07-17T13:06:54", "--created"),  # no offset
        ("--created", "tomorrow-131052", "--created"),
        ("--sender", "1.2.246.010", "sender"),
        ("--message-id", "not an oid 131052", "id@root"),
        ("--message-number", "13 10 52", "--message-number"),
        ("--use-situation", "a b 131052", "--use-situation"),
        ("--performer-unit", "131052.x", "representedOrganization"),
    ],
)
def test_a_bad_option_is_named_and_its_value_never_shown(tmp_path: Path, option: str, value: str, named: str) -> None:
    extra = ("--performer-id", "010101A900R") if option == "--performer-unit" else ()
    output = _refused(tmp_path, sample_bytes(SAMPLE_DOCUMENT), option, value, *extra)
    assert named in output and "131052" not in output and value not in output


def test_a_name_without_an_id_is_refused() -> None:
    with pytest.raises(Exception, match="needs the user's id"):
        options_from({"performer_family": "Laine"})


def test_the_api_refuses_a_bad_mode() -> None:
    with pytest.raises(CdaInputError, match="processing mode"):
        frame(sample_bytes(SAMPLE_DOCUMENT), FrameOptions(processing_mode="X"))


def test_the_sample_frame_reads_into_its_fields() -> None:
    fields = read_frame(tree(sample_bytes(SAMPLE_FRAME)))
    assert fields["processing_mode"] == "T" and fields["receiver"] == cs.KANTA_RECEIVER
    assert fields["service_request"] == {
        "code": "SP1",
        "system": cs.SERVICE_REQUEST.oid,
        "system_name": cs.SERVICE_REQUEST.name,
        "display": "Asiakkuusasiakirjan arkistointi",
    }
    document = fields["document"]
    assert isinstance(document, dict)
    assert document["ids"] == [{"root": "1.2.246.10.32213561.95777.2026.688883.2809773"}]
    assert document["patient"]["name"]["given"] == ["Kanta-Jade", {"value": "Kanta-Jade", "qualifier": "CL"}]
    assert document["author"]["time"] == {"null": "NA"}


def test_the_code_system_table_agrees_with_the_mapping() -> None:
    """codesystems (what the frame writes and check expects) and mapping (what encode writes) name the same
    OIDs wherever both name one."""
    pairs = [
        (cs.DOCUMENT_TYPE, m.DOCUMENT_TYPE_SYSTEM), (cs.CONFIDENTIALITY, m.CONFIDENTIALITY_SYSTEM),
        (cs.SEX, m.SEX_SYSTEM), (cs.MINOR_DISCLOSURE, m.MINOR_DISCLOSURE_SYSTEM),
        (cs.SERVICE_TASK, m.SERVICE_TASK_SYSTEM), (cs.PROCESS_PHASE, m.PROCESS_PHASE_SYSTEM),
        (cs.DOCUMENT_GROUP, m.DOCUMENT_GROUP_SYSTEM), (cs.FILE_FORMAT, m.FILE_FORMAT_SYSTEM),
        (cs.STRUCTURED_FORMAT, m.STRUCTURED_FORMAT_SYSTEM), (cs.RECORD_STATUS, m.RECORD_STATUS_SYSTEM),
        (cs.REGISTRY, m.REGISTRY_TYPE_SYSTEM), (cs.RETENTION, m.RETENTION_SYSTEM),
        (cs.SPECIAL_CONTENT, m.SPECIAL_CONTENT_SYSTEM), (cs.INACCESSIBLE, m.INACCESSIBLE_SYSTEM),
    ]  # fmt: skip
    assert [table.oid for table, _ in pairs] == [mapped for _, mapped in pairs]


# ---- the frame's schema (ours: Kanta's is not public) ------------------------------------------------------------
CORE = SHARED / "schemas" / "cda-r2-normative"


@pytest.fixture(scope="module")
def frame_schema() -> etree.XMLSchema:
    if not (CORE / "processable/coreschemas/datatypes.xsd").is_file():
        require_corpus()
    return load_frame_schema(CORE)


def test_the_sample_frame_and_ours_fit_the_frame_schema(frame_schema: etree.XMLSchema) -> None:
    document = sample_bytes(SAMPLE_DOCUMENT)
    for data in (sample_bytes(SAMPLE_FRAME), frame(document, SAMPLE_OPTIONS), frame(document), frame(encoded(PLAN))):
        assert frame_schema.validate(tree(data)), frame_schema.error_log


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.remove(find(r, "interactionId")),  # a required part
        lambda r: find(r, "controlActProcess").insert(0, find(r, "controlActProcess/priorityCode")),  # the order
        lambda r: find(r, "controlActProcess/code").set("code", "a b"),  # not a code (cs has no spaces)
        lambda r: find(r, f"{S.removeprefix('RCMR_IN200002FI01/')}/versionNumber").set("value", "one"),
        lambda r: r.set("ITSVersion", "XML_2.0"),
    ],
)
def test_the_frame_schema_refuses_what_does_not_fit(frame_schema: etree.XMLSchema, change: Any) -> None:
    root = tree(frame(encoded(PLAN)))
    change(root)
    assert not frame_schema.validate(root)


# ---- any envelope (hypothesis) ---------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_property_the_frame_of_any_document_agrees_with_it(frame_schema: etree.XMLSchema, data: st.DataObject) -> None:
    """Any envelope of either structure: the frame repeats the document's ids, set id, version, patient and
    custodian (no agreement error), names the service request of its document group, fits the frame schema,
    and travels with the document through a package unchanged."""
    from sosmeta.generators.cda.codec import encode
    from sosmeta.generators.cda.package import package, unpack
    from tests.cda_frame_support import structure
    from tests.cda_strategies import envelopes
    from tests.cda_support import example_documents

    chosen = structure(data.draw(st.sampled_from([CLIENT_RELATIONSHIP, PLAN]), label="structure"))
    envelope = data.draw(envelopes(chosen.version_oid), label="envelope")
    document = encode(chosen, example_documents(chosen, 1)[0], envelope, allow_invalid=True)
    framed = frame(document, FrameOptions(performer=Person("010101A900R")))
    found = Findings()
    agreement(tree(framed), tree(document), "frame", found)
    assert [f for f in found.items if f.severity == "error"] == []
    fields = read_frame(tree(framed))
    assert fields["document"]["ids"] == [{"root": envelope.document_id}]  # type: ignore[index]
    assert fields["document"]["set_id"] == {"root": envelope.set_id}  # type: ignore[index]
    group = envelope.document_group.code if envelope.document_group else None
    assert fields["service_request"]["code"] == ("SP1" if group == "1" else "SP17")  # type: ignore[index]
    assert frame_schema.validate(tree(framed)), frame_schema.error_log
    back = unpack(package(framed, document))
    assert (back.frame, back.document) == (framed, document)
