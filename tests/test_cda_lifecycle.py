"""Versions of an archive document: `cda replace` and `cda nullify` write the next version (same setId,
versionNumber + 1, relatedDocument RPLC to the old id, the reason) and keep every header field of the old version
unless told otherwise; per reason code, per kept field, signatures, the Kanta sample, errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.generators.cda import lifecycle
from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.codec import CdaInputError, decode, encode, load_signing
from sosmeta.generators.cda.envelope import Code, Envelope
from sosmeta.generators.cda.signing import verify
from sosmeta.structures.model import Structure
from tests.cda_support import SAMPLE_STRUCTURE, example_documents, full_envelope, header_triples, sample_bytes

STRUCTURE = "1.2.246.537.6.1506.15007.2024.11.28"
LATER = dt.datetime(2025, 2, 3, 10, 11, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))
REASONS = [
    Code(code="1"),
    Code(code="2", display="Virheellinen tieto korjattu"),
    Code(code="3", system="1.2.246.10.1234567.99.1", display="Asiakirja tallennettu väärälle asiakkaalle"),
    Code(code="K9", system="1.2.3.4.5", system_name="Oma koodisto"),
]
CHANGED = {
    "document_id", "version_number", "replaces", "creation_time", "drafting_time", "replacement_reason",
    "nullification", *m.OWN_TO_A_VERSION,
}  # fmt: skip
KEPT = sorted(set(Envelope.model_fields) - CHANGED)


@pytest.fixture(scope="module")
def structure(corpus_structures: list[Structure]) -> Structure:
    return next(s for s in corpus_structures if s.version_oid == STRUCTURE)


@pytest.fixture(scope="module")
def documents(structure: Structure) -> list[dict[str, Any]]:
    return example_documents(structure, 2, seed=5)


@pytest.fixture(scope="module")
def old(structure: Structure, documents: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A first version with every field set, header parts kept verbatim, signed."""
    from tests.cda_support import signing_files

    key, cert = signing_files(tmp_path_factory.mktemp("keys"))
    envelope = full_envelope(
        structure,
        extra_header={"/ClinicalDocument/@xsi:schemaLocation": "urn:hl7-org:v3 CDA_Fi_sos.xsd"},
        case_id="1.2.246.10.1234567.96.2024.1",
        title="Asiakassuunnitelma",
        document_group={"code": "5", "display": "Toisen tai myöhemmän vaiheen asiakasasiakirja"},
    )
    return encode(structure, documents[0], envelope, signing=load_signing(key, cert))


def structures(structure: Structure) -> Any:
    return lambda oid: structure if oid == structure.version_oid else pytest.fail(f"asked for {oid}")


def replaced(old: bytes, structure: Structure, document: dict[str, Any], reason: Code = REASONS[0]) -> bytes:
    return lifecycle.next_version(old, lifecycle.Change("replace", reason, LATER), structures(structure), document)


def nullified(old: bytes, structure: Structure, reason: Code = REASONS[0]) -> bytes:
    return lifecycle.next_version(old, lifecycle.Change("nullify", reason, LATER), structures(structure))


def one(data: bytes, path: str) -> etree._Element:
    (found,) = etree.fromstring(data).xpath(path, namespaces={"v3": m.V3, "fi": m.HL7FI})
    return found


# ---- per reason code --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("reason", REASONS, ids=[r.code for r in REASONS])
def test_replace_writes_the_next_version_with_its_reason(
    old: bytes, structure: Structure, documents: list[dict[str, Any]], reason: Code
) -> None:
    before = decode(old).envelope
    new = replaced(old, structure, documents[1], reason)
    after = decode(new)
    assert after.document == documents[1]
    envelope = after.envelope
    assert envelope.set_id == before.set_id == before.document_id
    assert envelope.version_number == before.version_number + 1
    assert envelope.document_id == f"{before.set_id}.2" != before.document_id
    assert envelope.replaces == before.document_id and envelope.replacement_reason == reason
    assert envelope.nullification is None
    assert envelope.creation_time == envelope.drafting_time == LATER
    assert one(new, "v3:relatedDocument[@typeCode='RPLC']/v3:parentDocument/v3:id").get("root") == before.document_id
    written = one(new, "fi:localSocialHeader/fi:reasonOfCorrection")
    assert (written.get("code"), written.get("codeSystem"), written.get("displayName")) == (
        reason.code, reason.system, reason.display,
    )  # fmt: skip
    assert written.get("codeSystemName") == reason.system_name


@pytest.mark.parametrize("reason", REASONS, ids=[r.code for r in REASONS])
def test_nullify_writes_the_nullifying_version_with_its_reason(old: bytes, structure: Structure, reason: Code) -> None:
    before = decode(old)
    new = nullified(old, structure, reason)
    after = decode(new)
    assert after.document == before.document  # the nullified content, as it was archived
    envelope = after.envelope
    assert envelope.set_id == before.envelope.set_id and envelope.version_number == 2
    assert envelope.replaces == before.envelope.document_id and envelope.replacement_reason is None
    assert envelope.nullification is not None and envelope.nullification.reason == reason
    assert envelope.nullification.time == LATER
    assert one(new, "fi:localSocialHeader/fi:nullification/fi:reason").get("code") == reason.code


# ---- per kept field ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def versions(old: bytes, structure: Structure, documents: list[dict[str, Any]]) -> dict[str, Envelope]:
    return {
        "old": decode(old).envelope,
        "replace": decode(replaced(old, structure, documents[1])).envelope,
        "nullify": decode(nullified(old, structure)).envelope,
    }


@pytest.mark.parametrize("kind", ["replace", "nullify"])
@pytest.mark.parametrize("name", KEPT)
def test_every_other_header_field_is_kept(versions: dict[str, Envelope], kind: str, name: str) -> None:
    assert getattr(versions[kind], name) == getattr(versions["old"], name)


def test_the_fields_under_test_are_set(versions: dict[str, Envelope]) -> None:
    """Each kept field is really present in the old version (else keeping it would prove nothing)."""
    defaults = Envelope.model_fields
    unset = [n for n in KEPT if getattr(versions["old"], n) in (None, (), {}, defaults[n].default)]
    assert set(unset) <= {"language", "confidentiality", "registry", "ready_state", "structured_format"}


@pytest.mark.parametrize("kind", ["replace", "nullify"])
def test_the_old_signatures_are_not_carried_and_a_new_one_can_be_made(
    old: bytes, structure: Structure, documents: list[dict[str, Any]], kind: str, tmp_path: Path
) -> None:
    from tests.cda_support import signing_files

    assert decode(old).envelope.signature_collection is not None and [c.ok for c in verify(old)] == [True]
    change = lifecycle.Change(kind, REASONS[1], LATER)  # type: ignore[arg-type]
    content = documents[1] if kind == "replace" else None
    unsigned = lifecycle.next_version(old, change, structures(structure), content)
    assert verify(unsigned) == [] and decode(unsigned).envelope.signature is None
    signing = load_signing(*signing_files(tmp_path), "professional")
    signed = lifecycle.next_version(old, change, structures(structure), content, signing=signing)
    assert [(c.ok, c.signature_type) for c in verify(signed)] == [(True, "professional")]


def test_told_otherwise_and_a_chain_of_versions(old: bytes, structure: Structure, documents: list[dict]) -> None:
    author = {"time": LATER, "registration_id": "100054321", "given": "Toinen", "family": "Tekijä"}
    change = lifecycle.Change("replace", REASONS[0], LATER, "1.2.246.10.1234567.95.2025.7", {"author": author})
    second = lifecycle.next_version(old, change, structures(structure), documents[1])
    envelope = decode(second).envelope
    assert envelope.document_id == "1.2.246.10.1234567.95.2025.7" and envelope.author.given == "Toinen"
    third = nullified(second, structure)
    final = decode(third).envelope
    assert (final.version_number, final.set_id, final.replaces) == (
        3,
        decode(old).envelope.document_id,
        envelope.document_id,
    )
    assert final.document_id == f"{final.set_id}.3" and final.author == envelope.author


def test_the_kanta_sample_is_replaced_with_its_header_kept(corpus_structures: list[Structure]) -> None:
    """Every element, attribute and value of the sample's header is in its next version, except what belongs to
    a version alone (id, version, times, signatures)."""
    sample = sample_bytes()
    structure = next(s for s in corpus_structures if s.version_oid == SAMPLE_STRUCTURE)
    document = decode(sample).document
    change = lifecycle.Change("replace", REASONS[2], LATER.replace(year=2027))  # the sample is from 2026
    new = lifecycle.next_version(sample, change, structures(structure), document, allow_invalid=True)
    own = ("signatureCollection", "softwareSupport")
    moved = {"/ClinicalDocument/id", "/ClinicalDocument/effectiveTime", "/ClinicalDocument/versionNumber",
             "/ClinicalDocument/localSocialHeader/creationTime"}  # fmt: skip
    lost = {t for t in header_triples(sample, own) - header_triples(new, own) if t[0] not in moved}
    assert lost == set()
    assert one(new, "v3:setId").get("root") == one(sample, "v3:id").get("root")


# ---- errors --------------------------------------------------------------------------------------------------
def test_versions_that_cannot_be_are_refused(old: bytes, structure: Structure, documents: list[dict]) -> None:
    def refused(change: lifecycle.Change, data: bytes = old) -> str:
        with pytest.raises(CdaInputError) as caught:
            lifecycle.next_version(data, change, structures(structure), documents[1])
        (problem,) = caught.value.problems
        return problem.code

    before = decode(old).envelope
    assert (
        refused(lifecycle.Change("replace", REASONS[0], before.creation_time - dt.timedelta(days=1))) == "cda.lifecycle"
    )
    assert refused(lifecycle.Change("replace", REASONS[0], LATER, before.document_id)) == "cda.lifecycle"
    assert (
        refused(lifecycle.Change("replace", REASONS[0], LATER, fields={"client": {"id": "KANARIA"}})) == "cda.envelope"
    )
    last = encode(structure, documents[0], full_envelope(structure, version_number=99999))
    assert refused(lifecycle.Change("nullify", REASONS[0], LATER), last) == "cda.lifecycle"
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><ClinicalDocument xmlns="urn:hl7-org:v3"/>'
    assert refused(lifecycle.Change("nullify", REASONS[0], LATER), hostile) == "cda.doctype"


@pytest.mark.parametrize(
    "reason,when,code",
    [(("a b", None, None), None, "cda.lifecycle"), (("1", "not-an-oid", None), None, "cda.lifecycle"),
     (("1", None, None), "yesterday", "cda.lifecycle"), (("1", None, None), "2025-02-03T10:11:12", "cda.lifecycle")],
)  # fmt: skip
def test_bad_options_are_refused(reason: tuple[str, str | None, str | None], when: str | None, code: str) -> None:
    with pytest.raises(CdaInputError) as caught:
        lifecycle.change("replace", reason, when)
    assert [p.code for p in caught.value.problems] == [code]


# ---- the commands --------------------------------------------------------------------------------------------
def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_replace_and_nullify_commands(
    old: bytes, structure: Structure, documents: list[dict[str, Any]], tmp_path: Path
) -> None:
    Catalog(tmp_path / "catalog").add(structure)
    (tmp_path / "old.xml").write_bytes(old)
    (tmp_path / "new.json").write_text(json.dumps(documents[1], ensure_ascii=False), encoding="utf-8")
    (tmp_path / "changes.json").write_text(json.dumps({"title": "Korjattu"}), encoding="utf-8")
    common = ["--catalog", str(tmp_path / "catalog"), "--time", LATER.isoformat()]
    result = run(
        "cda", "replace", str(tmp_path / "old.xml"), str(tmp_path / "new.json"), "--reason", "2",
        "--reason-display", "Korjaus", "--envelope", str(tmp_path / "changes.json"), "--out", str(tmp_path / "v2.xml"),
        *common,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    v2 = decode((tmp_path / "v2.xml").read_bytes())
    assert v2.document == documents[1] and v2.envelope.title == "Korjattu" and v2.envelope.version_number == 2
    assert v2.envelope.replacement_reason == Code(code="2", display="Korjaus")
    result = run(
        "cda", "nullify", str(tmp_path / "v2.xml"), "--reason", "9", "--out", str(tmp_path / "v3.xml"), *common
    )
    assert result.exit_code == 0, result.output
    v3 = decode((tmp_path / "v3.xml").read_bytes()).envelope
    assert v3.version_number == 3 and v3.nullification is not None and v3.replaces == v2.envelope.document_id
    for bad in (["--reason", "a b"], ["--reason", "1", "--time", "KANARIA"]):
        result = run("cda", "nullify", str(tmp_path / "v2.xml"), *bad, "--out", str(tmp_path / "x.xml"), *common[:2])
        assert result.exit_code == 2 and "KANARIA" not in result.output and not (tmp_path / "x.xml").exists()
    result = run("cda", "nullify", str(tmp_path / "v2.xml"), "--out", str(tmp_path / "x.xml"), *common)
    assert result.exit_code == 2 and "--reason" in result.output  # required
