"""A legacy type's field mappings compiled once into plain functions of a record's values.

`Mapper.interpreted_document` and `Mapper.interpreted_envelope_data` read the table's rows for every record:
which transform, which columns, what the target looks like. Here each row becomes one small function made for
its transform, columns and target (the code map as a dict, the place of a refusal as a ready string, a constant
made once), and each target's keys a setter; a legacy time's text is read once per process (`TimeReader`).
The results equal the interpreted ones, refusals included (tests/test_migrate_mapplan.py checks both over the
example table and generated records); a row the compiled forms do not cover runs interpreted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from sosmeta.migration import mapping as m
from sosmeta.migration.sources import Record
from sosmeta.migration.table import FieldMapping
from sosmeta.structures.representation import Representation as R

Values = dict[str, Any]
Getter = Callable[[Values], Any]
"""A field mapping's value from a record's values (None: the columns are empty); raises `Refusal`."""
Setter = Callable[[dict[str, Any], Any], None]

_CACHED_TIMES = 8192
_FAST_DIRECTIVES = {"d": ("day", 2), "m": ("month", 2), "Y": ("year", 4), "H": ("hour", 2), "M": ("minute", 2)}
_FAST_DIRECTIVES["S"] = ("second", 2)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fixed_width(fmt: str) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    """A strptime format of zero-padded numbers and plain separators as a regular expression (None: any other
    format). A text it matches gives, when datetime() takes the numbers, what strptime gives: strptime's own
    pattern matches two-digit days 01-31, months 01-12, hours 00-23, minutes and seconds 00-59 first."""
    pattern, names, i = [], [], 0
    while i < len(fmt):
        char = fmt[i]
        if char == "%":
            directive = _FAST_DIRECTIVES.get(fmt[i + 1 : i + 2])
            if directive is None or directive[0] in names:
                return None
            names.append(directive[0])
            pattern.append(f"([0-9]{{{directive[1]}}})")
            i += 2
            continue
        if char.isspace() or char.isalnum():  # strptime: any whitespace, letters in either case
            return None
        pattern.append(re.escape(char))
        i += 1
    if not {"year", "month", "day"} <= set(names):
        return None
    return re.compile("".join(pattern)), tuple(names)


class TimeReader:
    """`mapping.parse_time` for one format, zone and place, each text read once per process (a refusal is raised
    again every time)."""

    def __init__(self, fmt: str | None, zone: ZoneInfo, where: str) -> None:
        self.fmt, self.zone, self.where = fmt, zone, where
        self.known: dict[str, dt.datetime] = {}
        self.fixed = _fixed_width(fmt) if fmt else None

    def __call__(self, value: Any) -> dt.datetime:
        if not isinstance(value, str):
            return m.parse_time(value, self.fmt, self.zone, self.where)
        moment = self.known.get(value)
        if moment is None:
            moment = self._read(value)
            if len(self.known) >= _CACHED_TIMES:
                self.known.clear()
            self.known[value] = moment
        return moment

    def _read(self, value: str) -> dt.datetime:
        if self.fixed is not None:
            pattern, names = self.fixed
            found = pattern.fullmatch(value.strip())
            if found is not None:
                try:
                    parts: dict[str, Any] = dict(zip(names, map(int, found.groups()), strict=True))
                    naive = dt.datetime(**parts)
                except ValueError:
                    pass  # strptime says why
                else:
                    return m.parse_time(naive, None, self.zone, self.where)
        return m.parse_time(value, self.fmt, self.zone, self.where)


def value_getter(mapping: FieldMapping, plan: m.Plan, step: m.Step | None, zone: ZoneInfo) -> Getter:
    """The compiled form of `Mapper._value` for one field mapping."""
    transform, arg = mapping.transform, mapping.argument
    rep = step.representation if step else None
    if transform == "constant":
        made = m.constant(arg or "", rep)
        if isinstance(made, dict | list):  # a value of its own for every record
            return lambda values: m.constant(arg or "", rep)
        return lambda values: made
    fields = mapping.legacy_fields
    where = m.column_place(",".join(fields))
    if transform == "concat":
        return _concat(fields, " " if arg is None else arg, _text_wrapper(step))
    if len(fields) != 1:  # several columns to a one-column transform: as interpreted
        return _interpreted(mapping, plan, step, zone)
    name = fields[0]
    if transform == "copy":
        return _copy(name, _text_wrapper(step))
    if transform == "date":
        return _date(name, TimeReader(arg, zone, where), step, mapping.envelope_field == "client.birth_time")
    if transform == "number":
        return _number(name, where, rep in (R.LKM, R.NUMERO), step.unit if step else None)
    if transform == "code":
        return _code(name, where, plan.codes.get(arg or "", {}), arg, step)
    if transform == "split":
        separator, _, index = (arg or "").rpartition("|")
        try:
            position = int(index)
        except ValueError:
            position = None
        if not separator or position is None:  # fails as interpreted, on the first record with a value
            return _interpreted(mapping, plan, step, zone)
        message = f"fewer parts than {mapping.cell.at('argument')} asks"
        return _split(name, separator, position, where, message, _text_wrapper(step))
    return _interpreted(mapping, plan, step, zone)


def _interpreted(mapping: FieldMapping, plan: m.Plan, step: m.Step | None, zone: ZoneInfo) -> Getter:
    return lambda values: m.interpreted_value(values, mapping, plan, step, zone)


def _text_wrapper(step: m.Step | None) -> Callable[[str], Any] | None:
    """A Tunnus target's text as {system, value}; None: the text itself."""
    if step is None or step.representation is not R.TUNNUS:
        return None
    system = step.system
    if system:
        return lambda text: {"system": system, "value": text}
    return lambda text: {"value": text}


def _copy(name: str, wrap: Callable[[str], Any] | None) -> Getter:
    def copy(values: Values) -> Any:
        value = values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
        else:
            text = str(value).strip()
        return text if wrap is None else wrap(text)

    return copy


def _concat(fields: tuple[str, ...], joiner: str, wrap: Callable[[str], Any] | None) -> Getter:
    def concat(values: Values) -> Any:
        present = [v for v in [values.get(n) for n in fields] if not _empty(v)]
        if not present:
            return None
        text = joiner.join([str(v).strip() for v in present])
        return text if wrap is None else wrap(text)

    return concat


def _date(name: str, read: TimeReader, step: m.Step | None, birth: bool) -> Getter:
    as_date = step is not None and step.representation is R.PVM

    def date(values: Values) -> Any:
        value = values.get(name)
        if _empty(value):
            return None
        moment = read(value)
        if step is None:
            return moment.date() if birth else moment
        return moment.date().isoformat() if as_date else moment.isoformat()

    return date


def _number(name: str, where: str, whole: bool, unit: str | None) -> Getter:
    def number(values: Values) -> Any:
        value = values.get(name)
        if _empty(value):
            return None
        try:
            found = value if isinstance(value, int | float) else float(str(value).replace(",", "."))
        except ValueError:
            raise m.Refusal("migrate.number", where, "not a number") from None
        if whole and isinstance(found, float) and found.is_integer():
            found = int(found)
        return found if unit is None else {"value": found, "code": unit}

    return number


def _code(
    name: str, where: str, codes: dict[str, tuple[str, str | None]], map_name: str | None, step: m.Step | None
) -> Getter:
    system = step.system if step is not None else None
    made: dict[str, dict[str, Any]] = {}
    for legacy, (code, display) in codes.items():
        value = {"code": code, **({"display": display} if display else {})}
        made[legacy] = {"system": system, **value} if system else value
    message = f"the value is not in code map {map_name} (sheet codes)"

    def coded(values: Values) -> Any:
        value = values.get(name)
        if _empty(value):
            return None
        found = made.get(str(value).strip())
        if found is None:
            raise m.Refusal("migrate.code_unmapped", where, message)
        return dict(found)

    return coded


def _split(
    name: str, separator: str, index: int, where: str, message: str, wrap: Callable[[str], Any] | None
) -> Getter:
    def split(values: Values) -> Any:
        value = values.get(name)
        if _empty(value):
            return None
        try:
            text = str(value).split(separator)[index].strip()
        except IndexError:
            raise m.Refusal("migrate.split", where, message) from None
        return text if wrap is None else wrap(text)

    return split


def setter(step: m.Step) -> Setter:
    """`mapping.put` for one step's keys (no default list or dict made when the parent is there)."""
    parents = tuple(zip(step.keys[:-1], step.repeated[:-1], strict=True))
    last, last_repeated = step.keys[-1], step.repeated[-1]

    def put(body: dict[str, Any], value: Any) -> None:
        node: Any = body
        for key, repeated in parents:
            child = node.get(key)
            if child is None:
                child = node[key] = [{}] if repeated else {}
            node = child[0] if repeated else child
        if last_repeated:
            items = node.get(last)
            if items is None:
                items = node[last] = []
            items.append(value)
        else:
            node[last] = value

    if len(parents) != 1 or last_repeated:
        return put
    ((first, repeated),) = parents
    if repeated:  # an item of a repeatable group

        def put_in_item(body: dict[str, Any], value: Any) -> None:
            items = body.get(first)
            if items is None:
                items = body[first] = [{}]
            items[0][last] = value

        return put_in_item

    def put_in_group(body: dict[str, Any], value: Any) -> None:
        node = body.get(first)
        if node is None:
            node = body[first] = {}
        node[last] = value

    return put_in_group


def document_function(plan: m.Plan, zone: ZoneInfo) -> Callable[[Values], dict[str, Any]]:
    """The plan's document (as `Mapper.interpreted_document`) from a record's values."""
    assert plan.structure is not None
    key = plan.structure.document.key
    ops = [(value_getter(s.mapping, plan, s, zone), setter(s)) for s in plan.steps]

    def document(values: Values) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for get, put in ops:
            value = get(values)
            if value is not None:
                put(body, value)
        return {key: body}

    return document


def envelope_function(mapper: m.Mapper, plan: m.Plan) -> Callable[[Record], dict[str, Any]]:
    """The plan's envelope data (as `Mapper.interpreted_envelope_data`) from a record."""
    entry, columns, settings = plan.entry, mapper.source.columns, mapper.settings
    defaults = entry.envelope_defaults
    date_column, client_column = columns["date"], columns["client_id"]
    when_of = mapper.time_reader
    roles = (("client_given", "given"), ("client_family", "family"))
    names = [(key, columns[role]) for role, key in roles if role in columns]
    author = columns.get("author")
    unit_column = columns["unit"] if "unit" in columns and mapper.units is not None else None
    units = {legacy: {"oid": u.code, "name": u.display or u.code} for legacy, u in (mapper.units or {}).items()}
    keeper = settings.register_keeper
    tail = _envelope_tail(plan)
    steps = [(value_getter(s, plan, None, mapper.zone), s.envelope_field or "") for s in plan.envelope_steps]
    no_date = (m.column_place(date_column), "the record has no date")
    no_client = (m.column_place(client_column), "the record has no client")
    unit_refusal = (m.column_place(unit_column or ""), "the unit is not in code map unit")

    def envelope(record: Record) -> dict[str, Any]:
        values = record.values
        raw_time = values.get(date_column)
        if _empty(raw_time):
            raise m.Refusal("migrate.missing", *no_date)
        when = when_of(raw_time)
        data: dict[str, Any] = dict(defaults)
        data.update(document_id=mapper.document_id(record), drafting_time=when, creation_time=when)
        client_id = values.get(client_column)
        if _empty(client_id):
            raise m.Refusal("migrate.missing", *no_client)
        client: dict[str, Any] = {"id": str(client_id).strip()}
        for key, column in names:
            value = values.get(column)
            if not _empty(value):
                client[key] = str(value).strip()
        data["client"] = client
        if author is not None:
            value = values.get(author)
            if not _empty(value):
                *given, family = str(value).split()
                data["author"] = {"time": when, "family": family, **({"given": " ".join(given)} if given else {})}
        if unit_column is not None:
            value = values.get(unit_column)
            if not _empty(value):
                unit = units.get(str(value).strip())
                if unit is None:
                    raise m.Refusal("migrate.code_unmapped", *unit_refusal)
                data["service_unit"] = dict(unit)
        if keeper:
            data.setdefault("register_keeper", dict(keeper))
        for name, value in tail:
            data[name] = dict(value) if isinstance(value, dict) else value
        for get, dotted in steps:
            value = get(values)
            if value is not None:
                m.put_dotted(data, dotted, value)
        return data

    return envelope


def _envelope_tail(plan: m.Plan) -> list[tuple[str, Any]]:
    """The envelope fields the type's row gives, in `interpreted_envelope_data`'s order."""
    entry = plan.entry
    tail: list[tuple[str, Any]] = []
    for name, code in entry.codes.items():
        tail.append((name, {"code": code.code, **({"display": code.display} if code.display else {})}))
    if entry.confidentiality:
        c = entry.confidentiality
        tail.append(("confidentiality", {"code": c.code, **({"display": c.display} if c.display else {})}))
    if entry.language:
        tail.append(("language", entry.language))
    if entry.title:
        tail.append(("title", entry.title))
    if entry.unstructured:
        tail.append(("content_specification_id", entry.content_specification))
    return tail
