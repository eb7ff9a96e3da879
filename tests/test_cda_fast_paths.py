"""The fast paths of CDA encoding make the same bytes as the general ones they stand in for: the document text from
per-shape templates (`doctext`) as the lxml tree, the display form from precomputed markup (`display_text`) as the
templates from rows, tar headers as tarfile, time stamps as strftime, depth from brackets as the walk, and the bulk
worker's catalog look-up as `Catalog.resolve`. The templates are compared here without the check on first use
that guards them at run time, so that a wrong template cannot hide behind it."""

from __future__ import annotations

import datetime as dt
import io
import json
import tarfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta.catalog import Catalog
from sosmeta.generators.cda import codec, display, display_text, doctext
from sosmeta.generators.cda.bulk_files import _regular_members, tar_bytes
from sosmeta.generators.cda.bulk_worker import Settings, Worker
from sosmeta.generators.cda.envelope import Envelope
from sosmeta.generators.cda.header import format_ts
from sosmeta.generators.cda.jsontext import too_deep
from tests.cda_strategies import envelopes, moments
from tests.cda_support import document_strategy, example_documents, example_envelope, full_envelope
from tests.conftest import load_corpus_structure

_SLOW = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab'),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='[]{"\\x', max_size=3), inner, max_size=3)
    ),
    max_leaves=40,
)


def _tree(envelope: Envelope, display_form: bytes, structured: bytes) -> bytes:
    return codec._tree(envelope, display_form, structured, None, "envelope", codec.DEFAULT_LIMITS)


@_SLOW
@given(data=st.data(), display_form=st.binary(max_size=64), structured=st.binary(max_size=64))
def test_the_document_text_is_the_tree_serialized(
    corpus: list[Path], data: st.DataObject, display_form: bytes, structured: bytes
) -> None:
    """Any envelope (texts with markup characters, tabs and line breaks, every optional field): the template's
    document is byte for byte the lxml tree's."""
    structure = load_corpus_structure(data.draw(st.sampled_from(corpus), label="structure"))
    envelope = data.draw(envelopes(structure.version_oid), label="envelope").model_copy(update={"extra_header": {}})
    made = doctext.template_text(envelope, display_form, structured)
    assert made is not None
    assert made[1] == _tree(envelope, display_form, structured)


def test_the_document_text_steps_aside_for_what_the_tree_keeps_verbatim(corpus_structures: list) -> None:
    structure = corpus_structures[0]
    kept = full_envelope(structure).model_copy(
        update={"extra_header": {"after /ClinicalDocument/custodian": '<hl7fi:x xmlns:hl7fi="urn:hl7finland"/>'}}
    )
    assert doctext.template_text(kept, b"<div/>", b"{}") is None
    assert codec.assemble(kept, b"<div/>", b"{}") == _tree(kept, b"<div/>", b"{}")


def test_every_structure_encodes_as_by_the_general_paths(corpus_structures: list) -> None:
    """The real exports' example documents, with the shapes the build and the tests use: `encode` (fast paths)
    equals the templates from rows and the tree."""
    for number, structure in enumerate(corpus_structures, start=1):
        for shape in (example_envelope, full_envelope):
            envelope = shape(structure, number)
            for document in example_documents(structure, 2, seed=number):
                form = display.render_templates(structure, document, envelope).encode("utf-8")
                assert display.render_display(structure, document, envelope).encode("utf-8") == form
                expected = _tree(envelope, form, codec.document_json(document))
                assert codec.encode(structure, document, envelope) == expected


@_SLOW
@given(data=st.data(), lang=st.sampled_from(["fi", "sv"]))
def test_the_display_form_is_the_templates_from_rows(corpus: list[Path], data: st.DataObject, lang: str) -> None:
    """Any document the structure's strategy makes (also invalid ones: values of other types, empty groups)."""
    structure = load_corpus_structure(data.draw(st.sampled_from(corpus), label="structure"))
    document = data.draw(
        document_strategy(structure) | st.builds(lambda v: {structure.document.key: v}, json_values), label="document"
    )
    envelope = example_envelope(structure, language=lang)
    context = display.page_context(structure, envelope, None, lang)
    context["rows"] = []
    context["body"] = display.markupsafe.Markup(display_text.compiled(display.plan(structure), lang).body(document))
    made = display_text.page_text(context)
    assert made is not None
    assert made[1] == display.render_templates(structure, document, envelope)


@given(
    members=st.dictionaries(
        st.text(st.characters(min_codepoint=1, max_codepoint=0x7F), min_size=1, max_size=120)
        | st.text(min_size=1, max_size=8).filter(lambda n: "\0" not in n),
        st.binary(max_size=1100),
        max_size=5,
    )
)
def test_tar_bytes_are_tarfiles(members: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(content), 0o644, 0
            archive.addfile(info, io.BytesIO(content))
    assert tar_bytes(members) == buffer.getvalue()


@given(moment=moments | st.datetimes(timezones=st.timezones()))
def test_time_stamps_are_what_strftime_writes(moment: dt.datetime) -> None:
    assert format_ts(moment) == moment.strftime("%Y%m%d%H%M%S%z")


@given(value=json_values, limit=st.integers(0, 6))
def test_depth_from_brackets_is_the_walk(value: Any, limit: int) -> None:
    for text in (json.dumps(value), json.dumps(value, indent=1, ensure_ascii=False)):
        assert codec.nests_deeper_than(text.encode("utf-8"), value, limit) == too_deep(value, limit)


def test_the_worker_finds_the_version_the_catalog_resolves(corpus_structures: list, tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog")
    for structure in corpus_structures:
        catalog.add(structure)
    worker = Worker(Settings(out=tmp_path / "out", catalog=tmp_path / "catalog"))
    for structure in corpus_structures:
        found = worker.structure(structure.version_oid)
        assert found.model_dump() == Catalog(tmp_path / "catalog").resolve(structure.version_oid).model_dump()


def test_batch_members_are_read_as_tarfile_finds_them(tmp_path: Path) -> None:
    """A batch file's members, read once for a run's comparisons, are what `TarFile.getmember` finds: the last
    member of a name, and only when it is a regular file."""
    path = tmp_path / "lines-0000000001-0000000002.tar"
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as archive:
        for name, content, kind in (("a.xml", b"1", tarfile.REGTYPE), ("b.xml", b"x", tarfile.REGTYPE)):
            info = tarfile.TarInfo(name)
            info.size, info.type = len(content), kind
            archive.addfile(info, io.BytesIO(content))
        archive.addfile(tarfile.TarInfo("a.xml"), io.BytesIO(b""))  # a later, empty a.xml
        link = tarfile.TarInfo("b.xml")
        link.type, link.linkname = tarfile.SYMTYPE, "a.xml"
        archive.addfile(link)  # a later b.xml that is a link
    expected = {}
    with tarfile.open(path) as archive:
        for name in ("a.xml", "b.xml"):
            info = archive.getmember(name)
            if info.isreg():
                handle = archive.extractfile(info)
                assert handle is not None
                expected[name] = handle.read()
    assert _regular_members(path) == expected == {"a.xml": b""}
    assert _regular_members(tmp_path / "missing.tar") == {}
