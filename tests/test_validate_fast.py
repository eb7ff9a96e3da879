"""The fast paths of `sosmeta validate` give what the plain ones give: the JSON line of a verdict built without
dicts is the text json.dumps writes, and worker processes (--jobs) give the same lines in the same order."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sosmeta.commands.validate import _record, _record_line
from sosmeta.generators.validator.findings import Finding
from sosmeta.operations.validate import Verdict

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


class _Shown:
    """Stands for a structure in a verdict: what the record shows of it."""

    def __init__(self, oid: str) -> None:
        self.version_oid = oid


_findings = st.lists(
    st.builds(
        Finding,
        _text,
        _text,
        st.sampled_from(["error", "warning"]),
        st.fixed_dictionaries({"fi": _text, "sv": _text, "en": _text}),
        st.none() | st.integers(min_value=0, max_value=10**6),
        _text,
    ),
    max_size=4,
)


@given(_text, st.none() | _text, st.none() | _text, _findings, st.sampled_from(["fi", "sv", "en"]))
def test_record_line_is_the_json_dumps_text(
    source: str, oid: str | None, error: str | None, findings: list[Any], lang: str
) -> None:
    verdict = Verdict(source, _Shown(oid) if oid is not None else None, findings, error)  # type: ignore[arg-type]
    assert _record_line(verdict, lang) == json.dumps(_record(verdict, lang), ensure_ascii=False)
