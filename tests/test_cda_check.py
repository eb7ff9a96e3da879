"""The pre-flight check (`cda check`, generators.cda.preflight): a test for every finding code, each made by one
change to a clean frame and document from the project's own encoder; the real sample pair checks clean but for
what the sample's README explains; the three formats and languages; exit codes; and no value ever shown."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from sosmeta.catalog import Catalog
from sosmeta.generators.cda import codesystems as cs
from sosmeta.generators.cda.frame import FrameOptions, Person, frame
from sosmeta.generators.cda.localnames import find
from sosmeta.generators.cda.package import package
from sosmeta.generators.cda.preflight import CheckFinding, Message, check
from sosmeta.generators.cda.preflight_rules import RULES
from sosmeta.generators.cda.signing import sign
from sosmeta.structures.identifiers import hetu_check_character
from tests.cda_frame_support import (
    CLIENT_RELATIONSHIP,
    PLAN,
    SAMPLE_DOCUMENT,
    SAMPLE_FRAME,
    encoded,
    make_catalog,
    make_signer,
    run,
    sample_bytes,
)

USER = Person("010101A900R", given=("Testi",), family="Käyttäjä")
REAL = f"131052-308{hetu_check_character('131052308')}"
"""A valid personal identity code outside the test range (individual number 308), made up for the test."""
TEST = "010101A900R"
NEEDLES = re.compile(r"131052|KANARIA", re.IGNORECASE)
Tree = etree._Element


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return Catalog(make_catalog(tmp_path_factory.mktemp("check") / "catalog"))


@pytest.fixture(scope="module")
def clean() -> dict[str, tuple[bytes, bytes]]:
    """(document, frame) per structure: clean but for the author id the frame takes from the user."""
    out = {}
    for oid in (CLIENT_RELATIONSHIP, PLAN):
        document = encoded(oid)
        out[oid] = (document, frame(document, FrameOptions(performer=USER)))
    return out


def codes(found: list[CheckFinding], severity: str | None = None) -> set[str]:
    return {f.code for f in found if severity is None or f.severity == severity}


def checked(catalog: Catalog, document: bytes, framed: bytes | None, **options: object) -> list[CheckFinding]:
    return check(Message(document, "doc.xml", framed, "frame.xml"), catalog, **options).findings  # type: ignore[arg-type]


def edit(data: bytes, change: Callable[[Tree], None]) -> bytes:
    root = etree.fromstring(data)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def at(path: str, **attributes: str | None) -> Callable[[Tree], None]:
    """Set (None: remove) attributes of the first element at `path` (local names)."""

    def change(root: Tree) -> None:
        element = find(root, path)
        assert element is not None, path
        for name, value in attributes.items():
            if value is None:
                element.attrib.pop(name, None)
            else:
                element.set(name, value)

    return change


def without(path: str) -> Callable[[Tree], None]:
    def change(root: Tree) -> None:
        element = find(root, path)
        assert element is not None, path
        element.getparent().remove(element)  # type: ignore[union-attr]

    return change


def body(part: str, transform: Callable[[bytes], bytes]) -> Callable[[Tree], None]:
    """Change the decoded content of nonXMLBody's `text` (display) or `json` and put it back as base64."""

    def change(root: Tree) -> None:
        element = find(root, f"component/nonXMLBody/{part}")
        assert element is not None and element.text
        element.text = base64.b64encode(transform(base64.b64decode(element.text))).decode("ascii")

    return change


def test_our_own_frame_and_document_check_clean(catalog: Catalog, clean: dict[str, tuple[bytes, bytes]]) -> None:
    for document, framed in clean.values():
        found = checked(catalog, document, framed)
        assert codes(found, "error") == set(), found
        # the one warning: the frame's author is the sending user (identity code), the document's a registration
        # number, as in Kanta's second vendor pair (kanta-cda.md)
        assert codes(found) == {"check.frame_differs"}


# ---- each finding code -----------------------------------------------------------------------------------------------
S = cs.SUBJECT
FRAME_CASES: dict[str, tuple[str, Callable[[Tree], None], str]] = {
    "another document id": (PLAN, at(f"{S}/id", root="1.2.246.10.1234567.95.2024.9"), "check.frame_mismatch"),
    "another version": (PLAN, at(f"{S}/versionNumber", value="2"), "check.frame_mismatch"),
    "another patient": (PLAN, at(f"{S}/recordTarget/patient/id", extension="020202A902A"), "check.frame_mismatch"),
    "another custodian": (
        PLAN, at(f"{S}/custodian/assignedCustodian/representedOrganization/id", root="1.2.246.10.7.10.0"),
        "check.frame_mismatch",
    ),
    "another sender": (PLAN, at("sender/device/id", root="1.2.246.10.7.10.0"), "check.frame_mismatch"),
    "another drafting time": (PLAN, at(f"{S}/effectiveTime", value="20241128133331+0200"), "check.frame_differs"),
    "no priority": (PLAN, without("controlActProcess/priorityCode"), "check.frame_missing"),
    "no user": (PLAN, without("controlActProcess/authorOrPerformer"), "check.frame_missing"),
    "no set id": (PLAN, without(f"{S}/setId"), "check.frame_missing"),
    "no use situation": (
        PLAN, without(f"controlActProcess/reasonCode[@codeSystem='{cs.USE_SITUATION.oid}']"), "check.frame_missing"
    ),
    "processing code": (PLAN, at("processingCode", code="T"), "check.frame_value"),
    "status": (PLAN, at(f"{S}/statusCode", code="active"), "check.frame_value"),
    "interaction": (PLAN, at("interactionId", extension="RCMR_IN000002UV01"), "check.frame_value"),
    "accept ack": (PLAN, at("acceptAckCode", code="AL"), "check.frame_unusual"),
    "receiver": (PLAN, at("receiver/device/id", root="1.2.246.10.7.10.0"), "check.frame_unusual"),
    "completion": (PLAN, at(f"{S}/completionCode", code="AU"), "check.frame_unusual"),
    "completion system": (PLAN, at(f"{S}/completionCode", codeSystem="1.2.3"), "check.code_system"),
    "control act system": (PLAN, at("controlActProcess/code", codeSystem="1.2.3"), "check.code_system"),
    "reason of another system": (PLAN, at("controlActProcess/reasonCode", codeSystem="1.2.3"), "check.code_system"),
    "SP17 for the client-relationship document": (
        CLIENT_RELATIONSHIP, at("controlActProcess/reasonCode", code="SP17"), "check.service_request",
    ),
    "SP1 for a plan": (PLAN, at("controlActProcess/reasonCode", code="SP1"), "check.service_request"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(FRAME_CASES))
def test_a_changed_frame_is_found(catalog: Catalog, clean: dict[str, tuple[bytes, bytes]], case: str) -> None:
    oid, change, code = FRAME_CASES[case]
    document, framed = clean[oid]
    found = checked(catalog, document, edit(framed, change))
    assert code in codes(found), found
    for finding in (f for f in found if f.code == code):
        assert finding.source == "frame.xml" and finding.location.startswith("/RCMR_IN200002FI01/")
        assert finding.severity == RULES[code].severity


def _display(transform: Callable[[str], str]) -> Callable[[Tree], None]:
    return body("text", lambda raw: transform(raw.decode("utf-8")).encode("utf-8"))


def _json(transform: Callable[[str], str]) -> Callable[[Tree], None]:
    return body("json", lambda raw: transform(raw.decode("utf-8")).encode("utf-8"))


def _both_ids(root: Tree) -> None:
    at("component/nonXMLBody", ID="OID1.2.3")(root)
    _display(lambda x: x.replace('id="OID1.2.246.10.1234567.95.2024.1"', 'id="OID1.2.3"', 1))(root)


LSH = cs.LSH
DOCUMENT_CASES: dict[str, tuple[str, Callable[[Tree], None], str]] = {
    "confidentiality system": (PLAN, at("confidentialityCode", codeSystem="1.2.3"), "check.code_system"),
    "file format system": (PLAN, at(f"{LSH}/fileFormat", codeSystem="1.2.3"), "check.code_system"),
    "registry system": (PLAN, at(f"{LSH}/registryType", codeSystem="1.2.246.537.6.1264"), "check.code_system"),
    "no content specification": (PLAN, without(f"{LSH}/contentSpecificationId"), "check.content_specification"),
    "unknown structure": (
        PLAN, lambda r: _set_text(r, f"{LSH}/contentSpecificationId", "1.2.246.537.6.1506.99999.2020.1.1"),
        "check.structure_unknown",
    ),
    "specific type": (PLAN, at(f"{LSH}/specificDocumentType", code="15008"), "check.specific_type"),
    "document group": (CLIENT_RELATIONSHIP, at(f"{LSH}/documentGroup", code="5"), "check.document_group"),
    "JSON not valid": (
        PLAN, _json(lambda x: '{"lapsiperheiden_palvelujen_asiakassuunnitelma": {}}'), "schema.required"
    ),
    "JSON not base64": (PLAN, lambda r: _set_text(r, "component/nonXMLBody/json", "!!!"), "check.json_unreadable"),
    "JSON not JSON": (PLAN, _json(lambda x: x[:-3]), "check.json_unreadable"),
    "no JSON": (PLAN, without("component/nonXMLBody/json"), "check.json_unreadable"),
    "bare OID": (
        CLIENT_RELATIONSHIP, _json(lambda x: x.replace('"system":"urn:oid:1.2.246.21"', '"system":"1.2.246.21"', 1)),
        "check.oid_spelling",
    ),
    "display media type": (PLAN, at("component/nonXMLBody/text", mediaType="text/html"), "check.display_form"),
    "display not XML": (PLAN, _display(lambda x: "<div>" + x), "check.display_form"),
    "display not XHTML": (
        PLAN, _display(lambda x: x.replace("http://www.w3.org/1999/xhtml", "urn:other", 1)), "check.display_form"
    ),
    "display id": (PLAN, _display(lambda x: x.replace('id="OID', 'id="XOID', 1)), "check.display_id"),
    "body id": (PLAN, _both_ids, "check.body_id"),
}  # fmt: skip


def _set_text(root: Tree, path: str, text: str) -> None:
    element = find(root, path)
    assert element is not None
    element.text = text


@pytest.mark.parametrize("case", sorted(DOCUMENT_CASES))
def test_a_changed_document_is_found(catalog: Catalog, clean: dict[str, tuple[bytes, bytes]], case: str) -> None:
    oid, change, code = DOCUMENT_CASES[case]
    document, framed = clean[oid]
    found = checked(catalog, edit(document, change), framed)
    assert code in codes(found), found
    finding = next(f for f in found if f.code == code)
    assert finding.source == "doc.xml" and finding.location.startswith("/ClinicalDocument/")
    if code == "check.oid_spelling":
        assert finding.severity == "warning" and not codes(found, "error")
        assert finding.location.endswith("hl7fi:json#/asiakkuusasiakirja/asiakas/henkilotunnus/system")


def test_another_oid_without_the_prefix_stays_an_error(catalog: Catalog, clean: dict[str, tuple[bytes, bytes]]) -> None:
    document, framed = clean[CLIENT_RELATIONSHIP]
    change = _json(lambda x: x.replace('"system":"urn:oid:1.2.246.21"', '"system":"1.2.246.22"', 1))
    assert "identifier.system" in codes(checked(catalog, edit(document, change), framed), "error")


def test_a_package_whose_frame_refers_elsewhere_is_found(
    catalog: Catalog, clean: dict[str, tuple[bytes, bytes]]
) -> None:
    document, framed = clean[PLAN]
    found = check(Message(document, "p#document", framed, "p#frame", document_cid="another@x"), catalog).findings
    assert codes(found, "error") == {"check.frame_reference"}


# ---- signatures ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def signed(clean: dict[str, tuple[bytes, bytes]]) -> bytes:
    signer = make_signer()
    return sign(clean[PLAN][0], signer.key, signer.cert, "system", dt.datetime.now(dt.UTC))


def _retouch_json(root: Tree) -> None:
    _json(lambda x: x.replace('":"', '":"X', 1))(root)


@pytest.mark.parametrize(
    ("change", "when", "code"),
    [
        (None, None, None),
        (_retouch_json, None, "cda.signature.digest_mismatch"),
        (lambda r: _set_text(r, f"{LSH}/signatureCollection/signature/Signature/SignatureValue", "AAAA"), None,
         "cda.signature.bad_signature_value"),
        (None, dt.datetime(2099, 1, 1, tzinfo=dt.UTC), "cda.signature.cert_expired"),
        (None, dt.datetime(2020, 1, 1, tzinfo=dt.UTC), "cda.signature.cert_not_yet_valid"),
        (without(f"{LSH}/signatureCollection/signature/signatureTimestamp"), None, "cda.signature.malformed"),
    ],
)  # fmt: skip
def test_signatures_verify_or_the_failed_one_is_named(
    catalog: Catalog,
    clean: dict[str, tuple[bytes, bytes]],
    signed: bytes,
    change: Callable[[Tree], None] | None,
    when: dt.datetime | None,
    code: str | None,
) -> None:
    document = edit(signed, change) if change else signed
    found = checked(catalog, document, clean[PLAN][1], at=when)
    signatures = [f for f in found if f.area == "signatures"]
    if code is None:
        assert signatures == []
        return
    (finding,) = signatures
    assert finding.code == code and finding.location.endswith("hl7fi:signature/ds:Signature")
    assert "1" in finding.message["fi"] and finding.message["fi"] != finding.message["en"]
    assert [
        f for f in checked(catalog, document, clean[PLAN][1], at=when, signatures=False) if f.area == "signatures"
    ] == []


def test_every_signature_reason_has_a_message_in_three_languages() -> None:
    from sosmeta.generators.cda.signing import REASONS

    for reason in REASONS:
        rule = RULES[f"cda.signature.{reason}"]
        assert len({rule.fi, rule.sv, rule.en}) == 3 and all("{param}" in t for t in (rule.fi, rule.sv, rule.en))


# ---- identity codes --------------------------------------------------------------------------------------------------
IDENTITY_CASES: dict[str, tuple[str, Callable[[Tree], None] | None, Callable[[Tree], None] | None, str]] = {
    "header": ("doc.xml", at("recordTarget/patientRole/id", extension=REAL), None,
               "/ClinicalDocument/recordTarget/patientRole/id/@extension"),
    "frame": ("frame.xml", None, at("controlActProcess/authorOrPerformer/assignedPerson/id", extension=REAL),
              "/RCMR_IN200002FI01/controlActProcess/authorOrPerformer/assignedPerson/id/@extension"),
    "JSON": ("doc.xml", _json(lambda x: x.replace('"value":"291007A922A"', f'"value":"{REAL}"', 1)), None,
             "/ClinicalDocument/component/nonXMLBody/hl7fi:json#/asiakkuusasiakirja/asiakas/henkilotunnus/value"),
    "JSON free text": ("doc.xml", _json(lambda x: x.replace('"sukunimi":"', f'"sukunimi":"tunnus {REAL}: ', 1)), None,
                       "/ClinicalDocument/component/nonXMLBody/hl7fi:json#/asiakkuusasiakirja/asiakas/sukunimi"),
    "display form": ("doc.xml", _display(lambda x: x.replace(">", f"><p>tunnus {REAL}</p>", 1)), None,
                     "/ClinicalDocument/component/nonXMLBody/text#/x:div/"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(IDENTITY_CASES))
def test_a_real_identity_code_in_a_test_message_is_named_by_place(
    catalog: Catalog, clean: dict[str, tuple[bytes, bytes]], case: str, tmp_path: Path
) -> None:
    source, document_change, frame_change, place = IDENTITY_CASES[case]
    document, framed = clean[CLIENT_RELATIONSHIP]
    document = edit(document, document_change) if document_change else document
    framed = edit(framed, frame_change) if frame_change else framed
    found = [f for f in checked(catalog, document, framed) if f.code == "check.real_identity_code"]
    assert found and all(f.source == source and f.severity == "error" for f in found), found
    assert any(f.location.startswith(place) for f in found), [f.location for f in found]
    (tmp_path / "doc.xml").write_bytes(document)
    (tmp_path / "frame.xml").write_bytes(framed)
    for fmt in ("text", "json", "junit"):
        result = run(
            "cda",
            "check",
            str(tmp_path / "frame.xml"),
            str(tmp_path / "doc.xml"),
            "--catalog",
            str(catalog.root),
            "--format",
            fmt,
        )
        assert result.exit_code == 1 and "check.real_identity_code" in result.output
        assert "131052" not in result.output


def test_a_test_code_in_a_production_message_is_a_warning(
    catalog: Catalog, clean: dict[str, tuple[bytes, bytes]]
) -> None:
    document, framed = clean[PLAN]
    found = checked(catalog, document, edit(framed, at("processingModeCode", code="P")))
    assert codes(found, "warning") >= {"check.test_identity_code"} and not codes(found, "error")


def test_without_a_frame_the_mode_comes_from_the_option(
    catalog: Catalog, clean: dict[str, tuple[bytes, bytes]]
) -> None:
    document = edit(clean[PLAN][0], at("recordTarget/patientRole/id", extension=REAL))
    assert "check.real_identity_code" not in codes(checked(catalog, document, None))
    assert "check.real_identity_code" in codes(checked(catalog, document, None, mode="T"))


def test_every_rule_is_tested() -> None:
    tested = {c for *_, c in FRAME_CASES.values()} | {c for *_, c in DOCUMENT_CASES.values()}
    tested |= {"check.frame_reference", "check.real_identity_code", "check.test_identity_code"}
    tested |= {"check.unstructured", "check.unstructured_json"}  # test_cda_check_unstructured.py
    tested |= {
        "check.code_unknown",
        "check.code_not_valid",
        "check.code_display",
        "check.code_list_version",
    }  # test_codes_use_cda_diff.py
    tested |= {"cda.signature.digest_mismatch", "cda.signature.bad_signature_value", "cda.signature.cert_expired",
               "cda.signature.cert_not_yet_valid", "cda.signature.malformed"}  # fmt: skip
    signing_own = {"misplaced", "unsupported_algorithm", "missing_reference", "wrong_reference", "untrusted_cert"}
    assert set(RULES) - tested == {f"cda.signature.{r}" for r in signing_own}  # tests/test_cda_signing.py


# ---- the real sample -------------------------------------------------------------------------------------------------
def test_the_sample_pair_checks_clean_but_for_its_truncated_signature(catalog: Catalog) -> None:
    """The sample's README: the SignatureValue and certificate were shortened, so its signature cannot verify.
    Everything else is clean; the warnings are the vendor's bare OID spelling and the validator's notes on
    conditionally required elements."""
    document, framed = sample_bytes(SAMPLE_DOCUMENT), sample_bytes(SAMPLE_FRAME)
    found = checked(catalog, document, framed)
    assert codes(found, "error") == {"cda.signature.malformed"}
    assert codes(found, "warning") == {"check.oid_spelling", "conditional.missing"}
    assert not codes(checked(catalog, document, framed, signatures=False), "error")


def test_our_frame_of_the_sample_and_its_package_check_clean(catalog: Catalog, tmp_path: Path) -> None:
    document = sample_bytes(SAMPLE_DOCUMENT)
    framed = frame(document, FrameOptions(performer=Person("010714-9983", given=("Holger",), family="Ovaskainen")))
    (tmp_path / "sample.mime").write_bytes(package(framed, document))
    result = run(
        "cda",
        "check",
        str(tmp_path / "sample.mime"),
        "--catalog",
        str(catalog.root),
        "--skip-signatures",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output and "processing mode T" in result.output


# ---- formats, languages, exit codes, privacy -------------------------------------------------------------------------
@pytest.fixture
def pair(tmp_path: Path, clean: dict[str, tuple[bytes, bytes]]) -> tuple[Path, Path]:
    document, framed = clean[PLAN]
    (tmp_path / "doc.xml").write_bytes(edit(document, at("confidentialityCode", codeSystem="1.2.3")))
    (tmp_path / "frame.xml").write_bytes(framed)
    return tmp_path / "frame.xml", tmp_path / "doc.xml"


def test_the_formats_and_languages(catalog: Catalog, pair: tuple[Path, Path]) -> None:
    args = ("cda", "check", str(pair[0]), str(pair[1]), "--catalog", str(catalog.root))
    text = {lang: run(*args, "--lang", lang).output for lang in ("fi", "sv", "en")}
    assert "koodiston tunnisteen on oltava 1.2.246.777.5.99902.2006" in text["fi"]
    assert "kodsystemets identifierare ska vara" in text["sv"] and "the code system must be" in text["en"]
    assert "error: " in text["en"] and "/ClinicalDocument/confidentialityCode/@codeSystem" in text["en"]
    result = run(*args, "--format", "json", "--lang", "en")
    data = json.loads(result.output)
    assert result.exit_code == 1 and data["errors"] == 1 and data["mode"] == "T"
    assert data["findings"][-1]["code"] == "check.code_system"
    junit = etree.fromstring(run(*args, "--format", "junit").output.encode("utf-8"))
    assert junit.get("failures") == "1"
    suites = {s.get("name"): s for s in junit.iter("testsuite")}
    assert set(suites) == {
        "frame",
        "codes",
        "structure",
        "json",
        "display",
        "signatures",
        "service_request",
        "identities",
    }
    assert suites["codes"].find("testcase/failure").get("type") == "check.code_system"  # type: ignore[union-attr]


def test_exit_codes(catalog: Catalog, clean: dict[str, tuple[bytes, bytes]], tmp_path: Path) -> None:
    document, framed = clean[PLAN]
    (tmp_path / "doc.xml").write_bytes(document)
    (tmp_path / "frame.xml").write_bytes(framed)
    (tmp_path / "bad.xml").write_bytes(b"<ClinicalDocument><unclosed></ClinicalDocument>")
    base = ("--catalog", str(catalog.root))
    assert run("cda", "check", str(tmp_path / "frame.xml"), str(tmp_path / "doc.xml"), *base).exit_code == 0
    assert run("cda", "check", str(tmp_path / "doc.xml"), *base).exit_code == 0
    refused = run("cda", "check", str(tmp_path / "bad.xml"), *base)
    assert refused.exit_code == 2 and "[cda.xml]" in refused.output
    alone = run("cda", "check", str(tmp_path / "frame.xml"), *base)
    assert alone.exit_code == 2 and "give the document" in alone.output
    assert run("cda", "check", str(tmp_path / "doc.xml")).exit_code == 2  # no catalog


def test_no_header_value_reaches_any_report(
    catalog: Catalog, clean: dict[str, tuple[bytes, bytes]], tmp_path: Path
) -> None:
    """Every attribute and text of the header and frame replaced by a marked value, one kind at a time, plus a
    real identity code: every format and language reports places and rules only."""
    document, framed = clean[CLIENT_RELATIONSHIP]

    def plant(data: bytes, mark: str) -> bytes:
        def change(root: Tree) -> None:
            for element in root.iter():
                if not isinstance(element.tag, str) or etree.QName(element).localname in ("text", "json"):
                    continue
                for name in element.attrib:
                    element.set(name, f"KANARIA-{mark}-{REAL}")
                if element.text and element.text.strip():
                    element.text = f"KANARIA {REAL}"

        return edit(data, change)

    (tmp_path / "doc.xml").write_bytes(plant(document, "d"))
    (tmp_path / "frame.xml").write_bytes(plant(framed, "f"))
    for fmt in ("text", "json", "junit"):
        for lang in ("fi", "sv", "en"):
            result = run("cda", "check", str(tmp_path / "frame.xml"), str(tmp_path / "doc.xml"), "--catalog",
                         str(catalog.root), "--format", fmt, "--lang", lang)  # fmt: skip
            assert result.exit_code in (1, 2)
            assert not NEEDLES.search(result.output), result.output[:2000]


def test_findings_of_one_code_stop_at_a_hundred_per_file(
    catalog: Catalog, clean: dict[str, tuple[bytes, bytes]]
) -> None:
    """A hostile document repeating one element 9,000 times (within the node limit) gives at most 100 findings
    of a code, so it cannot make the check locate every repetition (each XPath walks the siblings)."""
    from sosmeta.generators.cda.preflight import MAX_PLACES

    def repeat(root: Tree) -> None:
        code = find(root, "confidentialityCode")
        assert code is not None
        for _ in range(9_000):
            copy = etree.SubElement(root, code.tag, code="6", codeSystem="1.2.3", displayName=REAL)
            code.addnext(copy)

    document, framed = clean[PLAN]
    found = checked(catalog, edit(document, repeat), framed)
    assert sum(f.code == "check.code_system" for f in found) == MAX_PLACES
    assert sum(f.code == "check.real_identity_code" for f in found) == MAX_PLACES
