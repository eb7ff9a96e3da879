"""Hostile input on decode: every case gives one clear error (exit 2 on the command line), never a traceback,
never a hang, never a network or file access."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from sosmeta.cli import main
from sosmeta.generators.cda.codec import CdaInputError, Limits, decode, encode
from tests.cda_support import example_documents, example_envelope
from tests.conftest import CORPUS, load_corpus_structure, require_corpus

NAME = "1.2.246.537.6.1506.15007.2024.11.28.json"


@pytest.fixture(scope="module")
def good() -> bytes:
    path = CORPUS / NAME
    if not path.is_file():
        require_corpus()
    structure = load_corpus_structure(path)
    return encode(structure, example_documents(structure, 1)[0], example_envelope(structure))


def with_json(good: bytes, payload: bytes, representation: str | None = None) -> bytes:
    """The good document with its hl7fi:json content replaced by `payload` (already encoded)."""
    start = good.index(b"<hl7fi:json>") + len(b"<hl7fi:json>")
    end = good.index(b"</hl7fi:json>")
    head = good[:start]
    if representation:
        head = head.replace(b"<hl7fi:json>", f'<hl7fi:json representation="{representation}">'.encode())
    return head + payload + good[end:]


def refused(data: bytes, code: str, limits: Limits | None = None) -> str:
    start = time.perf_counter()
    with pytest.raises(CdaInputError) as caught:
        decode(data, "hostile.xml", limits or Limits())
    assert time.perf_counter() - start < 5  # no hang (generous bound; a hang would take far longer)
    problems = caught.value.problems
    assert [p.code for p in problems] == [code], problems
    text = str(caught.value)
    assert "\n" not in text and "hostile.xml" in text
    return text


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol9;</title></ClinicalDocument>"""


def test_xxe_is_refused() -> None:
    refused(XXE, "cda.doctype")


def test_billion_laughs_is_refused() -> None:
    refused(LAUGHS, "cda.doctype")


def test_external_dtd_is_refused() -> None:
    refused(b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.invalid/x.dtd"><x/>', "cda.doctype")


@pytest.mark.parametrize(
    "attribute",
    [
        b'xsi:schemaLocation="urn:hl7-org:v3 http://example.invalid/CDA.xsd"',
        b'xsi:schemaLocation="urn:hl7-org:v3 CDA.xsd urn:hl7finland file:///etc/passwd"',
        b'xsi:noNamespaceSchemaLocation="//example.invalid/share/x.xsd"',
    ],
)
def test_external_schema_location_is_refused(good: bytes, attribute: bytes) -> None:
    hostile = good.replace(
        b'xmlns:hl7fi="urn:hl7finland"',
        b'xmlns:hl7fi="urn:hl7finland" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' + attribute,
        1,
    )
    refused(hostile, "cda.schema_location")


def test_local_schema_location_is_only_ignored(good: bytes) -> None:
    relaxed = good.replace(
        b'xmlns:hl7fi="urn:hl7finland"',
        b'xmlns:hl7fi="urn:hl7finland" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        b'xsi:schemaLocation="urn:hl7-org:v3 ../../cda/CDA_Fi_sos.xsd"',
        1,
    )
    assert decode(relaxed).document == decode(good).document


def test_xinclude_is_refused(good: bytes) -> None:
    hostile = good.replace(
        b"<realmCode",
        b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/><realmCode',
        1,
    )
    refused(hostile, "cda.xinclude")


def test_huge_base64_is_refused_before_decoding(good: bytes) -> None:
    refused(with_json(good, b"QUFB" * (512 * 1024)), "cda.too_large", Limits(max_json_bytes=1024 * 1024))
    refused(with_json(good, b"QUFB" * (3 * 1024 * 1024)), "cda.too_large")  # over libxml2's text-node bound


def test_oversize_document_is_refused(good: bytes) -> None:
    refused(good, "cda.too_large", Limits(max_bytes=len(good) - 1))


def test_deep_nesting_is_refused() -> None:
    deep = b'<ClinicalDocument xmlns="urn:hl7-org:v3">' + b"<a>" * 200 + b"</a>" * 200 + b"</ClinicalDocument>"
    refused(deep, "cda.too_deep")


def test_non_utf8_json_is_refused(good: bytes) -> None:
    latin1 = json.dumps({"x": "ä"}, ensure_ascii=False).encode("latin-1")
    refused(with_json(good, base64.b64encode(latin1)), "cda.json_encoding")


def test_json_that_is_not_an_object_is_refused(good: bytes) -> None:
    for payload in (b"[1, 2]", b'"text"', b"42", b"null"):
        refused(with_json(good, base64.b64encode(payload)), "cda.not_object")


def test_broken_base64_and_json_are_refused(good: bytes) -> None:
    refused(with_json(good, b"not*base64"), "cda.base64")
    refused(with_json(good, base64.b64encode(b"{broken")), "cda.json")
    refused(with_json(good, base64.b64encode(b'{"a": NaN}')), "cda.json_number")


def test_deep_json_is_refused(good: bytes) -> None:
    deep = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    refused(with_json(good, base64.b64encode(deep)), "cda.too_deep")
    refused(with_json(good, base64.b64encode(b'{"a":' * 100 + b"1" + b"}" * 100)), "cda.too_deep")


def test_json_as_text_is_read(good: bytes) -> None:
    document = decode(good).document
    text = json.dumps(document, ensure_ascii=False).replace("&", "&amp;").replace("<", "&lt;").encode()
    assert decode(with_json(good, text, "TXT")).document == document


def test_utf16_and_other_encodings_are_refused(good: bytes) -> None:
    refused(good.decode("utf-8").encode("utf-16"), "cda.encoding")
    refused(b'<?xml version="1.0" encoding="ISO-8859-1"?><ClinicalDocument xmlns="urn:hl7-org:v3"/>', "cda.encoding")


def test_malformed_xml_and_wrong_root_are_refused() -> None:
    refused(b"<ClinicalDocument", "cda.xml")
    refused(b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "cda.root")


def test_header_errors_name_the_place_not_the_value(good: bytes) -> None:
    broken = good.replace(b'extension="010101A900R"', b'extension="010101A900S"')
    text = refused(broken, "cda.header")
    assert "recordTarget/patientRole/id@extension" in text and "010101A900" not in text


@pytest.mark.parametrize("case", ["xxe", "laughs", "not_object"])
def test_command_line_exits_2_without_traceback(case: str, good: bytes, tmp_path: Path) -> None:
    data = {"xxe": XXE, "laughs": LAUGHS, "not_object": with_json(good, base64.b64encode(b"[]"))}[case]
    file = tmp_path / "hostile.xml"
    file.write_bytes(data)
    result = CliRunner().invoke(
        main, ["cda", "decode", str(file), "--catalog", str(tmp_path), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2, result.output
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "error:" in result.output and not (tmp_path / "out").exists()


def test_upper_case_language_code_is_read(good: bytes) -> None:
    assert b'<languageCode code="fi"/>' in good
    assert decode(good.replace(b'<languageCode code="fi"/>', b'<languageCode code="FI"/>')).envelope.language == "fi"


def test_display_form_is_carried_as_well_formed_xhtml(good: bytes) -> None:
    from lxml import etree

    decoded = decode(good, with_display=True)
    assert decoded.display is not None
    root = etree.fromstring(decoded.display)
    assert root.tag == "{http://www.w3.org/1999/xhtml}div"
    assert root.get("id") == "OID" + decoded.envelope.document_id


def test_lone_surrogates_are_refused(good: bytes) -> None:
    refused(with_json(good, base64.b64encode(b'{"a": "\\ud800"}')), "cda.json_encoding")
    assert decode(with_json(good, base64.b64encode(b'{"a": "\\ud83d\\ude00"}'))).document == {"a": "\U0001f600"}


def test_encoding_refuses_text_utf8_cannot_carry(corpus_structures: list) -> None:
    structure = corpus_structures[0]
    document = {structure.document.key: {"x": "\ud800"}}
    with pytest.raises(CdaInputError) as caught:
        encode(structure, document, example_envelope(structure), allow_invalid=True)
    assert caught.value.problems[0].code == "cda.text"


def test_deeply_nested_input_files_fail_cleanly(corpus_structures: list, tmp_path: Path) -> None:
    from sosmeta.catalog import Catalog

    structure = corpus_structures[0]
    Catalog(tmp_path / "catalog").add(structure)
    deep = tmp_path / "deep.json"
    deep.write_text('{"a":' * 100_000 + "1" + "}" * 100_000)
    (tmp_path / "env.json").write_text(example_envelope(structure).model_dump_json(exclude_none=True))
    args = ["--envelope", str(tmp_path / "env.json"), "--catalog", str(tmp_path / "catalog")]
    result = CliRunner().invoke(main, ["cda", "encode", str(deep), *args, "--out", str(tmp_path / "x.xml")])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit) and "deep.json" in result.output
    (tmp_path / "docs.jsonl").write_text(deep.read_text() + "\n")
    (tmp_path / "envs.jsonl").write_text((tmp_path / "env.json").read_text() + "\n")
    bulk = ["--jsonl", str(tmp_path / "docs.jsonl"), "--envelopes", str(tmp_path / "envs.jsonl")]
    result = CliRunner().invoke(main, ["cda", "encode", *bulk, *args[2:], "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "1 failed" in result.output, result.output


# ---- header parts kept verbatim (extra_header, signature_collection): XML from an envelope ---------------------
LEGAL = '<legalAuthenticator xmlns="urn:hl7-org:v3"><time value="20240101120000+0200"/></legalAuthenticator>'
AFTER_CUSTODIAN = "after /ClinicalDocument/custodian"
HOSTILE_XML = {
    "doctype": '<!DOCTYPE x [<!ENTITY e "KANARIA">]><x xmlns="urn:hl7-org:v3">&e;</x>',
    "entity": '<x xmlns="urn:hl7-org:v3">&KANARIA;</x>',
    "malformed": "<x xmlns='urn:hl7-org:v3'><KANARIA></x>",
    "text outside": "KANARIA" + LEGAL,
    "no element": "KANARIA",
    "body": '<component xmlns="urn:hl7-org:v3"><nonXMLBody/></component>',
    "nested body": f'<x xmlns="urn:hl7-org:v3"><nonXMLBody ID="OID1"/></x>{LEGAL}',
    "json": '<x xmlns="urn:hl7-org:v3"><json xmlns="urn:hl7finland">e30=</json></x>',
    "schema location": '<x xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="urn:hl7-org:v3 http://example.invalid/KANARIA.xsd"/>',
    "xinclude": '<x xmlns="urn:hl7-org:v3">'
    '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/></x>',
    "too many nodes": "<a/>" * 60_000,
    "too deep": "<a>" * 45 + "</a>" * 45,
}


def envelope_with(corpus_structures: list, **fields: object) -> dict:
    data = json.loads(example_envelope(corpus_structures[0]).model_dump_json(exclude_none=True))
    return {**data, **fields}


@pytest.mark.parametrize("case", list(HOSTILE_XML))
def test_hostile_xml_in_an_envelope_is_refused(case: str, corpus_structures: list) -> None:
    from pydantic import ValidationError

    from sosmeta.generators.cda.envelope import Envelope

    for fields in ({"extra_header": {AFTER_CUSTODIAN: HOSTILE_XML[case]}}, {"signature_collection": HOSTILE_XML[case]}):
        start = time.perf_counter()
        with pytest.raises(ValidationError) as caught:
            Envelope.model_validate(envelope_with(corpus_structures, **fields))
        assert time.perf_counter() - start < 5
        text = str(caught.value.errors(include_input=False, include_url=False))
        assert "KANARIA" not in text and "example.invalid" not in text


@pytest.mark.parametrize(
    "key,value",
    [
        ("KANARIA 131052-308T", LEGAL),  # not a place: it is never repeated
        ("after /ClinicalDocument/custodian[@root='131052-308T']", LEGAL),  # no element the table writes
        ("after /ClinicalDocument/KANARIA", LEGAL),
        ("after /ClinicalDocument", LEGAL),  # nothing follows the root
        ("/ClinicalDocument/@xsi:schemaLocation", "urn:hl7-org:v3 http://example.invalid/KANARIA.xsd"),
        ("/ClinicalDocument/title/text()", "KANARIA\x00"),
    ],
)
def test_bad_extra_header_entries_are_refused_by_place(key: str, value: str, corpus_structures: list) -> None:
    from pydantic import ValidationError

    from sosmeta.generators.cda.envelope import Envelope

    with pytest.raises(ValidationError) as caught:
        Envelope.model_validate(envelope_with(corpus_structures, extra_header={key: value}))
    text = str(caught.value.errors(include_input=False, include_url=False))
    assert "KANARIA" not in text and "131052" not in text and "example.invalid" not in text


@pytest.mark.parametrize(
    "key,value,message",
    [
        ("after /ClinicalDocument/authorization/consent/code", LEGAL, "no such element"),
        ("first in /ClinicalDocument/authorization/consent", LEGAL, "no such element"),
        ("/ClinicalDocument/languageCode/@code", "FI", "already write this attribute"),
        ("/ClinicalDocument/custodian/assignedCustodian/representedCustodianOrganization/name/text()", "X", "text"),
    ],
)
def test_kept_parts_whose_place_is_not_written_are_refused(
    key: str, value: str, message: str, corpus_structures: list
) -> None:
    from sosmeta.generators.cda.envelope import Envelope

    structure = corpus_structures[0]
    envelope = Envelope.model_validate(envelope_with(corpus_structures, extra_header={key: value}))
    with pytest.raises(CdaInputError) as caught:
        encode(structure, example_documents(structure, 1)[0], envelope)
    (problem,) = caught.value.problems
    assert problem.code == "cda.envelope" and problem.location == f"/extra_header/{key}" and message in problem.message


def test_a_kept_part_whose_neighbour_is_gone_goes_to_the_end_of_its_parent(corpus_structures: list) -> None:
    from sosmeta.generators.cda.envelope import Envelope

    structure = corpus_structures[0]
    place = "after /ClinicalDocument/fi:localSocialHeader/fi:signatureCollection"  # a new version has none
    kept = '<later xmlns="urn:hl7finland"/>'
    envelope = Envelope.model_validate(envelope_with(corpus_structures, extra_header={place: kept}))
    root = etree.fromstring(encode(structure, example_documents(structure, 1)[0], envelope))
    assert etree.QName(root.find("{urn:hl7finland}localSocialHeader")[-1]).localname == "later"


def test_kept_parts_that_would_nest_too_deep_are_refused_on_encode(corpus_structures: list) -> None:
    """A fragment within the bound on its own, deeper than decode reads at its place: encode refuses it."""
    from sosmeta.generators.cda.envelope import Envelope

    structure = corpus_structures[0]
    deep = '<a xmlns="urn:hl7-org:v3">' * 38 + "</a>" * 38
    place = "after /ClinicalDocument/recordTarget/patientRole/patient/name/given"
    envelope = Envelope.model_validate(envelope_with(corpus_structures, extra_header={place: deep}))
    with pytest.raises(CdaInputError) as caught:
        encode(structure, example_documents(structure, 1)[0], envelope)
    assert [p.code for p in caught.value.problems] == ["cda.too_deep"]


def test_unvalidated_envelopes_are_checked_again_on_encode(corpus_structures: list) -> None:
    """model_construct skips validation: the kept XML is checked again when it is written."""
    structure = corpus_structures[0]
    envelope = example_envelope(structure)
    for fields in (
        {"extra_header": {AFTER_CUSTODIAN: HOSTILE_XML["doctype"]}},
        {"extra_header": {"KANARIA": LEGAL}},
        {"signature_collection": LEGAL},
    ):
        forged = envelope.model_construct(**{**dict(envelope), **fields})
        with pytest.raises(CdaInputError) as caught:
            encode(structure, example_documents(structure, 1)[0], forged)
        assert caught.value.problems[0].code == "cda.envelope" and "KANARIA" not in str(caught.value)


def test_an_envelope_with_hostile_kept_xml_fails_cleanly_on_the_command_line(
    corpus_structures: list, tmp_path: Path
) -> None:
    from sosmeta.catalog import Catalog

    structure = corpus_structures[0]
    Catalog(tmp_path / "catalog").add(structure)
    (tmp_path / "doc.json").write_text(json.dumps(example_documents(structure, 1)[0]), encoding="utf-8")
    for case in ("doctype", "body", "too many nodes"):
        data = envelope_with(corpus_structures, extra_header={AFTER_CUSTODIAN: HOSTILE_XML[case]})
        (tmp_path / "env.json").write_text(json.dumps(data), encoding="utf-8")
        result = CliRunner().invoke(
            main,
            ["cda", "encode", str(tmp_path / "doc.json"), "--envelope", str(tmp_path / "env.json"),
             "--catalog", str(tmp_path / "catalog"), "--out", str(tmp_path / "x.xml")],
        )  # fmt: skip
        assert result.exit_code == 2, result.output
        assert "/extra_header" in result.output and "KANARIA" not in result.output
        assert not (tmp_path / "x.xml").exists()
