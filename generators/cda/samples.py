"""Example envelopes for the build's example archive documents (test-range identities, example OIDs only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sosmeta.generators.cda.envelope import Envelope, build_envelope
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation

EXAMPLE_ORGANISATION_OID = "1.2.246.10.1234567.10.0"  # 1234567: an example business id, not a real one
EXAMPLE_TIME = dt.datetime(2024, 11, 28, 13, 33, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
EXAMPLE_HETU = "010101A900R"  # individual number 900-999: the range reserved for test identities


def example_envelope_data(structure: Structure, number: int = 1) -> dict[str, Any]:
    """Plain envelope data for one example document of `structure` (the structure fills the rest)."""
    year = EXAMPLE_TIME.year
    return {
        "document_id": f"1.2.246.10.1234567.95.{year}.{number}",
        "drafting_time": EXAMPLE_TIME,
        "creation_time": EXAMPLE_TIME,
        "client": {
            "id": EXAMPLE_HETU,
            "given": "Aino",
            "family": "Esimerkki",
            "sex": {"code": "2"},
            "birth_time": dt.date(2001, 1, 1),
        },
        "author": {"time": EXAMPLE_TIME, "registration_id": "100012345", "given": "Sanna", "family": "Laine"},
        "register_keeper": {"oid": EXAMPLE_ORGANISATION_OID, "name": "Esimerkkikunta"},
        "case_id": f"1.2.246.10.1234567.96.{year}.{number}",
        "client_relationship_id": f"1.2.246.10.1234567.97.{year}.1",
        "software": {"moderator": "sosmeta", "product": "sosmeta", "version": "0.1.0"},
    }


def example_envelope(
    structure: Structure, number: int = 1, profile: Organisation | None = None, **overrides: Any
) -> Envelope:
    data = example_envelope_data(structure, number)
    if profile is not None:
        data.pop("register_keeper")
    data.update(overrides)
    return build_envelope(data, structure, profile)
