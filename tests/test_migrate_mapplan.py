"""The compiled mapping plan (migration/mapplan.py) gives what the interpreted table gives: the same document,
the same envelope data, the same refusal (code, place, message), over the example's records and generated
ones, and the fixed-width time reader reads what strptime reads."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosmeta.migration import mapping as m
from sosmeta.migration.mapplan import TimeReader, _fixed_width
from sosmeta.migration.sources import Record
from sosmeta.migration.table import load_table
from sosmeta.migration.worker import worker_for
from tests import migrate_support as ms

# Envelope rows of every transform (the example has copies only): a date to the birth time, a copy of two
# columns, a number, a code, a split, constants (a JSON object: a fresh one per record)
EXTRA_FIELDS = """\
SEUR,pvm,envelope:client.birth_time,date,%d.%m.%Y
SEUR,"etunimi,sukunimi",envelope:extra.both,copy,
SEUR,osallistujia,envelope:extra.count,number,
SEUR,paikka,envelope:extra.place,code,paikka
SEUR,laatija_tiedot,envelope:extra.title,split, / |1
SEUR,laatija_tiedot,envelope:extra.third,split, / |-2
SEUR,,envelope:extra.constant,constant,"{""a"": [1]}"
SEUR,"aihe,teksti",envelope:extra.joined,concat,
"""


def _mapper(tmp: Path, table: Path) -> m.Mapper:
    setup = ms.prepared(tmp, 300)
    worker = worker_for(setup.job)
    return m.Mapper(load_table(table), worker.structures, setup.job.settings, setup.job.source)


@pytest.fixture(scope="module")
def mappers(tmp_path_factory: pytest.TempPathFactory) -> tuple[m.Mapper, m.Mapper, list[Record]]:
    tmp = tmp_path_factory.mktemp("mapplan")
    table = tmp / "table"
    shutil.copytree(ms.TABLE, table)
    with (table / "fields.csv").open("a", encoding="utf-8") as fields:
        fields.write(EXTRA_FIELDS)
    example = _mapper(tmp, ms.TABLE)
    extended = _mapper(tmp, table)
    with sqlite3.connect(tmp / "legacy.sqlite") as db:
        db.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.execute("SELECT * FROM asiakirjat ORDER BY id")]
    records = [Record(str(r["id"]), str(r["tyyppi"]), r, r["id"]) for r in rows]
    return example, extended, records


def _outcome(make: Callable[[], Any]) -> tuple[str, Any]:
    try:
        made = make()
    except m.Refusal as refused:
        return "refused", (refused.code, refused.location, refused.message)
    except (ValueError, TypeError) as failed:  # a table the check refuses fails alike on both paths
        return "failed", type(failed).__name__
    return "made", (repr(made), made)


def _same(mapper: m.Mapper, record: Record) -> None:
    try:
        plan = mapper.plan(record.legacy_type)
    except m.Refusal:
        return
    compiled = _outcome(lambda: mapper.envelope_data(record, plan))
    assert compiled == _outcome(lambda: mapper.interpreted_envelope_data(record, plan))
    if plan.structure is not None:
        assert _outcome(lambda: mapper.document(record, plan)) == _outcome(
            lambda: mapper.interpreted_document(record, plan)
        )


def test_compiled_equals_interpreted_over_the_example(mappers: tuple[m.Mapper, m.Mapper, list[Record]]) -> None:
    example, extended, records = mappers
    for mapper in (example, extended):
        made = Counter()
        for record in records:
            _same(mapper, record)
            if mapper.table.type_of(record.legacy_type) is None:
                continue
            plan = mapper.plan(record.legacy_type)
            made[_outcome(lambda: mapper.envelope_data(record, plan))[0]] += 1  # noqa: B023
        assert made["made"] and made["refused"]  # both paths met records that map and records that do not


def _texts() -> st.SearchStrategy[Any]:
    digits = st.text(alphabet="0123456789./-: ", max_size=12)
    return st.one_of(
        st.none(),
        st.sampled_from(["", "  ", "KOTI", " TSTO ", "PUISTO", "a / b", "a / b / c", "3", "2,5", "x"]),
        st.sampled_from(["1.2.2020", "01.02.2020", "31.02.2020", "29.02.2024", "2020-02-01", "00.01.2020"]),
        digits,
        st.text(max_size=8),
        st.integers(-3, 10**6),
        st.floats(allow_nan=False, allow_infinity=False),
        st.dates(min_value=dt.date(900, 1, 1)),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_compiled_equals_interpreted_over_varied_records(
    mappers: tuple[m.Mapper, m.Mapper, list[Record]], data: st.DataObject
) -> None:
    example, extended, records = mappers
    base = data.draw(st.sampled_from([r for r in records if r.legacy_type == "SEUR"][:40] + records[:10]))
    columns = sorted(base.values)
    changed = data.draw(st.dictionaries(st.sampled_from(columns), _texts(), max_size=6))
    values = {**base.values, **changed}
    record = Record(base.record_id, base.legacy_type, values, base.key)
    for mapper in (example, extended):
        _same(mapper, record)


@pytest.mark.parametrize("fmt", ["%d.%m.%Y", "%Y-%m-%d", "%Y%m%d", "%d.%m.%Y_%H:%M:%S", "%Y/%m/%d-%H.%M"])
@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(alphabet="0123456789./-:_", max_size=20), st.datetimes().map(str)))
def test_fixed_width_reading_equals_strptime(fmt: str, text: str) -> None:
    assert _fixed_width(fmt) is not None
    zone = ZoneInfo("Europe/Helsinki")
    read = TimeReader(fmt, zone, "column pvm")

    def strptime() -> Any:
        return m.parse_time(text, fmt, zone, "column pvm")

    expected = _outcome(strptime)
    assert _outcome(lambda: read(text)) == expected
    assert _outcome(lambda: read(text)) == expected  # and when read again


@pytest.mark.parametrize("fmt", ["%d %m %Y", "%d.%b.%Y", "%y%m%d", "%d.%m", "%d.%m.%Y%d", "%%d%m%Y"])
def test_other_formats_are_read_by_strptime(fmt: str) -> None:
    assert _fixed_width(fmt) is None
