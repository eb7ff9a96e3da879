"""Hypothesis strategies for CDA envelopes: every field, with texts and times at the edges XML and TS allow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from generators.cda import mapping as m
from generators.cda.envelope import Envelope, check_xml_text

_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
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
    optional: dict[str, Any] = {"display": texts}
    if system:
        optional["system"] = oids
    return st.fixed_dictionaries(base, optional=optional)


organisations = st.fixed_dictionaries({"oid": oids, "name": texts})


def clients() -> st.SearchStrategy[dict[str, Any]]:
    hetu_client = st.fixed_dictionaries({"id": hetus()})
    other = st.fixed_dictionaries({"id_root": oids.filter(lambda o: o != m.HETU_OID), "id": tokens})
    return st.tuples(
        st.one_of(hetu_client, other),
        st.fixed_dictionaries({}, optional={"given": texts, "family": texts, "sex": codes(), "birth_time": days}),
    ).map(lambda pair: {**pair[0], **pair[1]})


@st.composite
def envelopes(draw: st.DrawFn, content_specification_id: str) -> Envelope:
    data = draw(
        st.fixed_dictionaries(
            {
                "document_id": oids,
                "title": texts,
                "drafting_time": moments,
                "creation_time": moments,
                "content_specification_id": st.just(content_specification_id),
                "client": clients(),
                "author": st.fixed_dictionaries(
                    {"time": moments}, optional={"registration_id": tokens, "given": texts, "family": texts}
                ),
                "register_keeper": organisations,
            },
            optional={
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
                "special_content": st.booleans(),
                "authorization_restrictions": st.lists(codes(system=True), max_size=3),
                "inaccessible_arguments": st.lists(codes(), max_size=3),
                "minor_disclosure": codes(),
                "outsourcing_customer": organisations,
                "software": st.fixed_dictionaries({"product": texts}, optional={"moderator": texts, "version": texts}),
                "replaces": oids,
                "replacement_reason": codes(system=True),
                "nullification": st.fixed_dictionaries({"reason": codes(system=True)}, optional={"time": moments}),
            },
        )
    )
    return Envelope.model_validate(data)
