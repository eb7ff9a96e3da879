"""`header_entries`, compiled from the header table (`header_plan`), gives what walking the table gives: the same
items with the same values, in order, and the same envelope shape, for arbitrary envelopes (every optional
field, NA items, conditions, repeated items) and for the real structures' sample envelopes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.envelope import Envelope
from sosmeta.generators.cda.header import _applies, field_value, header_entries
from sosmeta.generators.cda.header_plan import NA, compile_entries
from tests.cda_strategies import envelopes
from tests.cda_support import example_envelope, full_envelope
from tests.conftest import load_corpus_structure


def _walked(envelope: Envelope) -> tuple[list[tuple[m.Item, Any]], tuple[int, ...]]:
    """The table walked item by item, as `header_entries` did before it was compiled."""
    entries: list[tuple[m.Item, Any]] = []
    shape: list[int] = []
    for item in m.HEADER:
        if item.conv == "fixed":
            present = _applies(envelope, item.when)
            shape.append(int(present))
            if present:
                entries.append((item, None))
            continue
        if item.conv == "lang":
            value = envelope.language_code or envelope.language
        else:
            value = field_value(envelope, item.field or "")
        if item.repeat:
            entries.extend((item, v) for v in value or ())
            shape.append(len(value or ()))
        elif value is not None:
            entries.append((item, value))
            shape.append(1)
        elif item.na and _applies(envelope, item.when):
            entries.append((item, NA))
            shape.append(-1)
        else:
            shape.append(0)
    return entries, tuple(shape)


def _same(envelope: Envelope) -> None:
    made, expected = header_entries(envelope), _walked(envelope)
    assert made[1] == expected[1]
    assert len(made[0]) == len(expected[0])
    for (item, value), (other, wanted) in zip(made[0], expected[0], strict=True):
        assert item is other and value is wanted


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    envelope=envelopes("1.2.246.537.6.1506.15007.2024.11.28"),
    dropped=st.sets(
        st.sampled_from(
            [
                "author",
                "general_type",
                "case_id",
                "service_organiser",
                "service_unit",
                "minor_disclosure",
                "process_phase",
            ]
        )
    ),
)
def test_compiled_entries_are_the_table_walked(envelope: Envelope, dropped: set[str]) -> None:
    _same(envelope)
    _same(envelope.model_copy(update={name: None for name in dropped}))


def test_sample_envelopes_of_every_structure(corpus: list[Path]) -> None:
    shapes = set()
    for number, path in enumerate(corpus, start=1):
        structure = load_corpus_structure(path)
        for envelope in (example_envelope(structure, number), full_envelope(structure)):
            _same(envelope)
            shapes.add(header_entries(envelope)[1])
    assert len(shapes) > 1


def test_a_table_of_its_own_compiles_too() -> None:
    """The compiler takes any table: here every NA item alone, with and without its conditions holding."""
    items = tuple(i for i in m.HEADER if i.na or i.when)
    entries = compile_entries(items)
    bare = Envelope.model_validate(
        {
            "document_id": "1.2.3",
            "drafting_time": "2024-01-02T03:04:05+02:00",
            "creation_time": "2024-01-02T03:04:05+02:00",
            "content_specification_id": "1.2.3.4",
            "client": {"id": "131052-308T"},
            "register_keeper": {"oid": "1.2.3.5", "name": "Kunta"},
        }
    )
    made, shape = entries(bare)
    assert [value for _, value in made if value is NA] and len(shape) == len(items)
