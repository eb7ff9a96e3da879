"""The transfer frame from its text template (`frame_text`) is byte for byte `frame.frame` of the document, over
any envelope and any frame options, also for a second envelope of the template's shape (the templates are
rendered here without the check on first use that guards them at run time); what a template cannot carry takes
the tree path; and every migrated package holds the frame `frame.frame` makes of its document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from sosmeta.generators.cda import codesystems as cs
from sosmeta.generators.cda import frame_text as ft
from sosmeta.generators.cda.codec import assemble
from sosmeta.generators.cda.doctext import HeaderText, header_text
from sosmeta.generators.cda.envelope import Envelope
from sosmeta.generators.cda.frame import FrameOptions, Person, Unit, frame
from sosmeta.generators.cda.package import unpack
from sosmeta.migration.worker import worker_for
from sosmeta.operations import migrate as op
from tests import migrate_support as ms
from tests.cda_strategies import envelopes, hetus, moments, oids, texts, tokens
from tests.cda_support import full_envelope
from tests.conftest import load_corpus_structure

_SLOW = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
people = st.builds(
    Person,
    id=hetus(),
    given=st.lists(texts, max_size=2).map(tuple),
    family=st.none() | texts,
)
frame_options = st.builds(
    FrameOptions,
    processing_mode=st.sampled_from(["T", "P"]),
    message_root=st.none() | oids,
    message_number=st.none() | tokens,
    created=st.none() | moments,
    sender=st.none() | oids,
    use_situation=st.sampled_from([cs.DEFAULT_USE_SITUATION, "X1"]),
    performer=st.none() | people,
    performer_type=st.sampled_from(["PRF", "AUT"]),
    performer_unit=st.none() | st.builds(Unit, oid=oids, name=st.none() | texts),
    version_code=st.sampled_from([cs.VERSION_CODE, None]),
)


def _plain(value: Any) -> Any:
    """The envelope's data with every text stripped (a text of white space only becomes "x")."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return value.strip() or "x"
    return value


def _plain_envelope(envelope: Envelope) -> Envelope | None:
    data = _plain(envelope.model_dump(exclude_none=True))
    data["extra_header"] = {}
    try:
        return Envelope.model_validate(data)
    except ValueError:
        return None


def _header(envelope: Envelope) -> HeaderText:
    header = header_text(envelope)
    assert header is not None
    return header


def _document(envelope: Envelope) -> bytes:
    return assemble(envelope, b"<div/>", b"{}")


def _key(header: HeaderText) -> tuple[Any, ...]:
    return header.shape, header.forms, ft._group(header)


def _other(envelope: Envelope, draw: Any) -> Envelope | None:
    """Another envelope of the same shape: other ids, times, client and names."""
    data = envelope.model_dump(exclude_none=True)
    data.update(document_id=draw(oids), creation_time=draw(moments), drafting_time=draw(moments))
    data["client"]["id"] = draw(hetus()) if "id_root" not in data["client"] else draw(tokens)
    for part, name in (("client", "given"), ("client", "family"), ("author", "given"), ("author", "family")):
        if name in data.get(part, {}):
            data[part][name] = draw(texts).strip() or "y"
    if "title" in data:
        data["title"] = draw(texts).strip() or "z"
    try:
        return Envelope.model_validate(data)
    except ValueError:  # a client id that the envelope's other fields do not allow
        return None


@_SLOW
@given(data=st.data(), options=frame_options)
def test_the_frame_text_is_the_frame_of_the_document(corpus: list[Path], data: st.DataObject, options: Any) -> None:
    """Any plain envelope and any frame options: the template's frame equals `frame.frame`, for the envelope the
    template was made from and for another of its shape."""
    structure = load_corpus_structure(data.draw(st.sampled_from(corpus), label="structure"))
    envelope = _plain_envelope(data.draw(envelopes(structure.version_oid), label="envelope"))
    assume(envelope is not None)
    assert envelope is not None
    header = _header(envelope)
    assert header.plain
    template = ft.FrameTemplate(header, options, ft._group(header))
    assert template.usable
    assert template.render(header) == frame(_document(envelope), options)
    second = _other(envelope, data.draw)
    second_header = header_text(second) if second is not None else None
    reused = second is not None and second_header is not None and _key(second_header) == _key(header)
    event("a second envelope of the shape" if reused else "one envelope of the shape")
    if reused:
        assert second is not None and second_header is not None
        assert template.render(second_header) == frame(_document(second), options)


@_SLOW
@given(data=st.data(), options=frame_options)
def test_what_the_template_cannot_carry_takes_the_tree_path(
    corpus: list[Path], data: st.DataObject, options: Any
) -> None:
    """Any envelope as drawn (texts padded with white space, parts kept verbatim): `frame_text` gives the frame
    of the document or nothing, never other bytes."""
    structure = load_corpus_structure(data.draw(st.sampled_from(corpus), label="structure"))
    envelope = data.draw(envelopes(structure.version_oid), label="envelope")
    header = header_text(envelope)
    if envelope.extra_header:
        assert header is None
        return
    assert header is not None
    expected = frame(_document(envelope), options)
    made = ft.frame_text(header, options, lambda: expected)
    if not header.plain:
        assert made is None
    assert made in (None, expected)


def test_a_padded_name_falls_back(corpus_structures: list) -> None:
    envelope = full_envelope(corpus_structures[0])
    padded = envelope.model_copy(update={"client": envelope.client.model_copy(update={"family": " Virtanen "})})
    header = _header(padded)
    assert not header.plain
    assert ft.frame_text(header, FrameOptions(), lambda: frame(_document(padded))) is None
    header = _header(envelope)
    assert header.plain
    assert ft.frame_text(header, FrameOptions(), lambda: frame(_document(envelope))) == frame(_document(envelope))


def test_a_template_that_differs_from_the_tree_is_never_used(corpus_structures: list) -> None:
    envelope = full_envelope(corpus_structures[0])
    options = FrameOptions(message_root="1.2.246.10.29999999.4242")  # a key no other test makes
    header = _header(envelope)
    assert ft.frame_text(header, options, lambda: b"<other/>") is None
    assert ft.frame_text(header, options, lambda: frame(_document(envelope), options)) is None


def test_an_organisation_file_takes_the_tree_path(corpus_structures: list) -> None:
    from sosmeta.generators.cda.envelope import load_organisation

    envelope = full_envelope(corpus_structures[0])
    options = FrameOptions(organisation=load_organisation(ms.ORG))
    assert ft.frame_text(_header(envelope), options, lambda: frame(_document(envelope), options)) is None


def _migrated(tmp_path: Path, performer: bool) -> tuple[op.Setup, int]:
    legacy = ms.legacy_db(tmp_path / "legacy.sqlite", 160)
    section = ms.section(f"sqlite:///{legacy}", tmp_path / "out")
    if not performer:
        del section["performer_id"]
    setup = op.setup(section, tmp_path, ms.catalog(tmp_path / "catalog"), "sosmeta.toml", op.Overrides())
    ft._TEMPLATES.clear()
    summary = op.run(setup)
    return setup, summary.total("archived")


def test_every_migrated_frame_is_the_frame_of_its_document(tmp_path: Path) -> None:
    """The migration's packages, with the configured user and with the document's author as the user: each frame
    is `frame.frame` of the document beside it, and it was made from a template."""
    for performer in (True, False):
        setup, archived = _migrated(tmp_path / str(performer), performer)
        assert setup.job.out is not None
        options = worker_for(setup.job).frame_options
        files = sorted((setup.job.out / "packages").glob("*.mime"))
        assert len(files) == archived > 50
        for file in files:
            parts = unpack(file.read_bytes())
            assert parts.frame == frame(parts.document, options)
        assert ft._TEMPLATES and all(t.usable and t.checked for t in ft._TEMPLATES.values())
