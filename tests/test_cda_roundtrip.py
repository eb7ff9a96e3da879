"""CDA round trip: every shared structure encodes to schema-valid CDA and decodes back to the same document and
envelope; output is deterministic. Schemas: our extension over the HL7 CDA R2 normative schema in ../shared,
and, for the document without our extensions, the unmodified HL7 schema and Kela's Finnish CDA_Fi.xsd."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda import samples
from sosmeta.generators.cda.codec import decode, encode
from sosmeta.generators.cda.schema import load_core_schema, load_finnish_schema, load_schema, without_extensions
from tests.cda_strategies import envelopes
from tests.cda_support import CORE, FINNISH, document_strategy, example_documents, example_envelope, full_envelope
from tests.conftest import load_corpus_structure, require_corpus


@pytest.fixture(scope="session")
def schemas() -> tuple[etree.XMLSchema, ...]:
    if not (CORE / "infrastructure/cda/CDA.xsd").is_file() or not (FINNISH / "CDA_Fi.xsd").is_file():
        require_corpus()  # same rule as the corpus: fail in CI, skip elsewhere
        pytest.skip(f"HL7 CDA R2 or Kela's schema missing in {CORE.parent}")
    return load_schema(CORE.resolve()), load_core_schema(CORE.resolve()), load_finnish_schema(FINNISH.resolve())


def assert_schema_valid(data: bytes, schemas: tuple[etree.XMLSchema, ...]) -> None:
    """Ours (with the extensions); HL7's and, when given, Kela's without them; and HL7's refuses the extensions."""
    ours, core, *finnish = schemas
    root = etree.fromstring(data)
    assert ours.validate(root), ours.error_log
    bare = without_extensions(root)
    assert core.validate(bare), core.error_log
    for schema in finnish:
        assert schema.validate(bare), schema.error_log
    assert not core.validate(root)  # the extensions really are outside core CDA


def test_every_structure_round_trips(corpus_path: Path, schemas: tuple[etree.XMLSchema, ...]) -> None:
    structure = load_corpus_structure(corpus_path)
    shapes = (samples.example_envelope, example_envelope, full_envelope)  # as the build writes, with a title, full
    for number, document in enumerate(example_documents(structure, 3, seed=7), start=1):
        envelope = shapes[number - 1](structure, number)
        data = encode(structure, document, envelope)
        assert_schema_valid(data, schemas)
        decoded = decode(data)
        assert decoded.document == document
        assert decoded.envelope == envelope
        assert encode(structure, document, envelope) == data  # deterministic


def test_swedish_and_minimal_envelopes_round_trip(corpus_structures: list, schemas: tuple) -> None:
    structure = corpus_structures[0]
    document = example_documents(structure, 1)[0]
    for envelope in (
        example_envelope(structure, language="sv", case_id=None, software=None),
        example_envelope(structure, general_type=None, client={"id": "010101A900R"}),
    ):
        data = encode(structure, document, envelope)
        assert_schema_valid(data, schemas)
        assert decode(data).envelope == envelope


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_property_round_trip(corpus: list[Path], data: st.DataObject, schemas: tuple) -> None:
    """Any structure, any document its strategy makes, any envelope: decode(encode(x)) == x, schema-valid."""
    structure = load_corpus_structure(data.draw(st.sampled_from(corpus), label="structure"))
    document = data.draw(document_strategy(structure), label="document")
    envelope = data.draw(envelopes(structure.version_oid, kept_signatures=True), label="envelope")
    encoded = encode(structure, document, envelope, allow_invalid=True)
    assert_schema_valid(encoded, schemas)
    decoded = decode(encoded)
    assert decoded.document == document
    assert decoded.envelope == envelope
    assert decoded.envelope.model_dump() == envelope.model_dump()


def test_every_envelope_field_has_a_place_in_the_mapping() -> None:
    from sosmeta.generators.cda.envelope import Envelope

    mapped = {item.field.split(".")[0] for item in m.HEADER if item.field}
    assert mapped | set(m.EXTRA_FIELDS) == set(Envelope.model_fields)


def test_optional_parts_may_come_in_any_order(corpus_structures: list) -> None:
    """Reading goes by path, not position: shuffle the header and the body and read the same values."""
    structure = corpus_structures[0]
    document = example_documents(structure, 1)[0]
    envelope = example_envelope(
        structure,
        service_unit={"oid": "1.2.246.10.1234567.10.3", "name": "Yksikkö"},
        special_content=True,
        inaccessible_arguments=[{"code": "1"}, {"code": "2"}],
    )
    root = etree.fromstring(encode(structure, document, envelope))
    for parent in [root, *root.iter()]:
        children = list(parent)
        for child in children:
            parent.remove(child)
        for child in reversed(children):
            parent.append(child)
    shuffled = etree.tostring(root)
    decoded = decode(shuffled)
    assert decoded.document == document
    assert decoded.envelope.model_copy(update={"inaccessible_arguments": envelope.inaccessible_arguments}) == envelope


def test_signing_hook_output_is_schema_valid_and_kept(corpus_structures: list, schemas: tuple) -> None:
    """A tree hook may add a bare ds:Signature where the extension schema admits it; decode keeps it verbatim in
    extra_header and encoding that envelope writes it back at its place."""
    structure = corpus_structures[0]
    document = example_documents(structure, 1)[0]
    envelope = example_envelope(structure)
    ds = "http://www.w3.org/2000/09/xmldsig#"

    def signer(root: etree._Element) -> None:
        header = root.find(f"{{{m.HL7FI}}}localSocialHeader")
        signature = etree.SubElement(header, f"{{{ds}}}Signature")
        reference = etree.SubElement(etree.SubElement(signature, f"{{{ds}}}SignedInfo"), f"{{{ds}}}Reference")
        reference.set("URI", "#" + m.BODY_ID_PREFIX + envelope.document_id)

    signed = encode(structure, document, envelope, signer=signer)
    assert_schema_valid(signed, schemas)
    decoded = decode(signed)
    assert decoded.document == document
    (key,) = decoded.envelope.extra_header
    assert key == "after /ClinicalDocument/fi:localSocialHeader/fi:encompassingClientRelationship"
    assert decoded.envelope.model_copy(update={"extra_header": {}}) == envelope
    again = encode(structure, document, decoded.envelope)
    assert again == signed and decode(again) == decoded
