"""One legacy record -> a client document (or a text, for unstructured types) and its envelope's data.

A `Plan` per legacy type is made once from the table: each field mapping with its target element, what the
value must look like (Koodi system, Tunnus system, unit) and the transform. Applying it to a record needs no
look-ups. A record that cannot be mapped raises `Refusal` naming the column or cell and the rule, never a value.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sosmeta.migration.sources import Record, SourceConfig
from sosmeta.migration.table import DocumentType, FieldMapping, Table
from sosmeta.migration.tablecheck import TEXT_TARGETS, full_path
from sosmeta.structures import identifiers
from sosmeta.structures.model import Located, Structure
from sosmeta.structures.representation import Representation as R
from sosmeta.structures.shape import internal_system


class Refusal(Exception):
    """Why a record is not archived: a reason code, the place (a column, a cell, a JSON pointer), a message."""

    def __init__(self, code: str, location: str, message: str) -> None:
        super().__init__(message)
        self.code, self.location, self.message = code, location, message


@dataclass(frozen=True)
class Settings:
    """The `[migration]` settings every record needs."""

    document_id_root: str
    register_keeper: Mapping[str, str] | None = None
    time_zone: str = "Europe/Helsinki"
    date_format: str | None = None


@dataclass(frozen=True)
class Step:
    mapping: FieldMapping
    keys: tuple[str, ...]
    repeated: tuple[bool, ...]
    """For each key below the document element: whether that element is repeatable."""
    representation: R | None
    system: str | None = None
    unit: str | None = None


@dataclass
class Plan:
    entry: DocumentType
    structure: Structure | None
    steps: list[Step] = field(default_factory=list)
    envelope_steps: list[FieldMapping] = field(default_factory=list)
    codes: dict[str, dict[str, tuple[str, str | None]]] = field(default_factory=dict)
    document: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    """The compiled document (`mapplan.document_function`); None for an unstructured type."""
    envelope: Callable[[Record], dict[str, Any]] | None = None
    """The compiled envelope data (`mapplan.envelope_function`)."""


def make_plan(table: Table, entry: DocumentType, structure: Structure | None) -> Plan:
    plan = Plan(entry, structure)
    for mapping in table.fields_of(entry.legacy_type):
        if mapping.transform == "code" and mapping.argument:
            plan.codes[mapping.argument] = {
                e.legacy_value: (e.code, e.display) for e in table.code_map(mapping.argument).values()
            }
        if mapping.envelope_field is not None:
            plan.envelope_steps.append(mapping)
            continue
        assert structure is not None
        located = structure.by_path(full_path(structure, mapping.target))
        assert located is not None  # the table check found every target
        plan.steps.append(_step(mapping, located))
    return plan


def _step(mapping: FieldMapping, located: Located) -> Step:
    chain: list[Located] = []
    node: Located | None = located
    while node is not None and node.parent is not None:
        chain.append(node)
        node = node.parent
    chain.reverse()
    element = located.element
    rep = element.representation
    system = None
    if rep is R.KOODI:
        raw = element.classification_oid_value
        oid = raw.strip().removeprefix("urn:oid:") if raw else None
        system = f"urn:oid:{oid}" if oid and identifiers.is_oid(oid) else (internal_system(raw) if raw else None)
    elif rep is R.TUNNUS:
        system = element.system_uri_value or mapping.argument
    unit = mapping.argument if rep in (R.MAARA, R.MITTA, R.PROSENTTI) else None
    return Step(
        mapping, tuple(c.element.key for c in chain), tuple(c.element.is_repeatable for c in chain), rep, system, unit
    )


# ---- values ----------------------------------------------------------------------------------------------------------
def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_place(name: str) -> str:
    return f"column {name}"


def parse_time(value: Any, fmt: str | None, zone: ZoneInfo, where: str) -> dt.datetime:
    """A legacy date or time as an aware datetime in whole seconds (a date alone is midnight, local time)."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        moment = _text_time(str(value).strip(), fmt, where)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    if not 1000 <= moment.year <= 9999:
        raise Refusal("migrate.date", where, "year out of range")
    return moment.replace(microsecond=0)


@lru_cache(maxsize=4096)
def _text_time(text: str, fmt: str | None, where: str) -> dt.datetime:
    """A legacy time's text read (remembered: a record's date is read for its year, its envelope and often a
    field, and strptime is slow; a refusal is raised again every time)."""
    try:
        return dt.datetime.strptime(text, fmt) if fmt else dt.datetime.fromisoformat(text)
    except ValueError:
        raise Refusal("migrate.date", where, "not a date in the expected format") from None


def _iso_time(moment: dt.datetime) -> str:
    """ISO 8601 with the offset as the validator and the envelope want it (+02:00)."""
    return moment.isoformat()


class Mapper:
    """Maps records of every legacy type of a table (one per process; plans made on first use)."""

    def __init__(self, table: Table, structures: Mapping[str, Structure], settings: Settings, source: SourceConfig):
        self.table, self.structures, self.settings, self.source = table, structures, settings, source
        self.zone = ZoneInfo(settings.time_zone)
        self.plans: dict[str, Plan] = {}
        self.units = table.code_map("unit") if "unit" in table.map_names else None  # once, not per record
        from sosmeta.migration.mapplan import TimeReader

        self.time_reader = TimeReader(source.date_format, self.zone, column_place(source.columns["date"]))

    def plan(self, legacy_type: str) -> Plan:
        plan = self.plans.get(legacy_type)
        if plan is None:
            entry = self.table.type_of(legacy_type)
            if entry is None:
                raise Refusal("migrate.unmapped_type", "types", "the legacy type has no row in the table")
            plan = make_plan(self.table, entry, self.structures.get(legacy_type))
            self.plans[legacy_type] = _compiled(self, plan)
        return plan

    def record_time(self, record: Record) -> dt.datetime:
        column = self.source.columns["date"]
        value = record.values.get(column)
        if _empty(value):
            raise Refusal("migrate.missing", column_place(column), "the record has no date")
        return self.time_reader(value)

    def document_id(self, record: Record) -> str:
        if isinstance(record.key, int) and record.key >= 0:
            number = record.key
        else:  # a text id: a stable number derived from it (an OID arc is digits)
            import hashlib

            number = int.from_bytes(hashlib.sha256(record.record_id.encode("utf-8")).digest()[:8], "big")
        return f"{self.settings.document_id_root}.{number}"

    def envelope_data(self, record: Record, plan: Plan) -> dict[str, Any]:
        """The envelope's data of the record (the plan's compiled function)."""
        assert plan.envelope is not None
        return plan.envelope(record)

    def document(self, record: Record, plan: Plan) -> dict[str, Any]:
        """The client document of the record (the plan's compiled function)."""
        assert plan.document is not None
        return plan.document(record.values)

    def interpreted_envelope_data(self, record: Record, plan: Plan) -> dict[str, Any]:
        """The envelope's data, the table's rows read for this record (the compiled plan's reference)."""
        entry = plan.entry
        columns = self.source.columns
        column = columns["date"]
        if _empty(record.values.get(column)):
            raise Refusal("migrate.missing", column_place(column), "the record has no date")
        when = parse_time(record.values[column], self.source.date_format, self.zone, column_place(column))
        data: dict[str, Any] = dict(entry.envelope_defaults)
        data.update(document_id=self.document_id(record), drafting_time=when, creation_time=when)
        client_id = record.values.get(columns["client_id"])
        if _empty(client_id):
            raise Refusal("migrate.missing", column_place(columns["client_id"]), "the record has no client")
        client: dict[str, Any] = {"id": str(client_id).strip()}
        for role, key in (("client_given", "given"), ("client_family", "family")):
            if role in columns and not _empty(record.values.get(columns[role])):
                client[key] = str(record.values[columns[role]]).strip()
        data["client"] = client
        if "author" in columns and not _empty(record.values.get(columns["author"])):
            *given, family = str(record.values[columns["author"]]).split()
            data["author"] = {"time": when, "family": family, **({"given": " ".join(given)} if given else {})}
        if "unit" in columns and not _empty(record.values.get(columns["unit"])) and self.units is not None:
            unit = self.units.get(str(record.values[columns["unit"]]).strip())
            if unit is None:
                raise Refusal(
                    "migrate.code_unmapped", column_place(columns["unit"]), "the unit is not in code map unit"
                )
            data["service_unit"] = {"oid": unit.code, "name": unit.display or unit.code}
        if self.settings.register_keeper:
            data.setdefault("register_keeper", dict(self.settings.register_keeper))
        for name, code in entry.codes.items():
            data[name] = {"code": code.code, **({"display": code.display} if code.display else {})}
        if entry.confidentiality:
            c = entry.confidentiality
            data["confidentiality"] = {"code": c.code, **({"display": c.display} if c.display else {})}
        if entry.language:
            data["language"] = entry.language
        if entry.title:
            data["title"] = entry.title
        if entry.unstructured:
            data["content_specification_id"] = entry.content_specification
        for mapping in plan.envelope_steps:
            value = interpreted_value(record.values, mapping, plan, None, self.zone)
            if value is not None:
                put_dotted(data, mapping.envelope_field or "", value)
        return data

    def interpreted_document(self, record: Record, plan: Plan) -> dict[str, Any]:
        """The client document, the table's rows read for this record (the compiled plan's reference)."""
        assert plan.structure is not None
        body: dict[str, Any] = {}
        for step in plan.steps:
            value = interpreted_value(record.values, step.mapping, plan, step, self.zone)
            if value is not None:
                put(body, step, value)
        return {plan.structure.document.key: body}


def _compiled(mapper: Mapper, plan: Plan) -> Plan:
    from sosmeta.migration.mapplan import document_function, envelope_function

    plan.envelope = envelope_function(mapper, plan)
    if plan.structure is not None:
        plan.document = document_function(plan, mapper.zone)
    return plan


def interpreted_value(
    values: Mapping[str, Any], mapping: FieldMapping, plan: Plan, step: Step | None, zone: ZoneInfo
) -> Any:
    """A field mapping's value in a record, the row read now (None: its columns are empty)."""
    transform, arg = mapping.transform, mapping.argument
    if transform == "constant":
        return constant(arg or "", step.representation if step else None)
    raw = [values.get(name) for name in mapping.legacy_fields]
    where = column_place(",".join(mapping.legacy_fields))
    if all(_empty(v) for v in raw):
        return None
    first = raw[0]
    rep = step.representation if step else None
    if transform == "concat":
        text: Any = (arg if arg is not None else " ").join(str(v).strip() for v in raw if not _empty(v))
    elif transform == "split":
        separator, _, index = (arg or "").rpartition("|")
        parts = str(first).split(separator)
        try:
            text = parts[int(index)].strip()
        except IndexError:
            raise Refusal("migrate.split", where, f"fewer parts than {mapping.cell.at('argument')} asks") from None
    elif transform == "date":
        moment = parse_time(first, arg, zone, where)
        if step is None:
            return moment.date() if mapping.envelope_field == "client.birth_time" else moment
        return moment.date().isoformat() if rep is R.PVM else _iso_time(moment)
    elif transform == "number":
        try:
            number = float(str(first).replace(",", ".")) if not isinstance(first, int | float) else first
        except ValueError:
            raise Refusal("migrate.number", where, "not a number") from None
        if isinstance(number, float) and number.is_integer() and rep in (R.LKM, R.NUMERO):
            number = int(number)
        if step is not None and step.unit is not None:
            return {"value": number, "code": step.unit}
        return number
    elif transform == "code":
        found = plan.codes.get(arg or "", {}).get(str(first).strip())
        if found is None:
            raise Refusal("migrate.code_unmapped", where, f"the value is not in code map {arg} (sheet codes)")
        code, display = found
        if step is None:
            return {"code": code, **({"display": display} if display else {})}
        value = {"code": code, **({"display": display} if display else {})}
        return {"system": step.system, **value} if step.system else value
    else:  # copy
        text = first if isinstance(first, str) else str(first)
        text = text.strip()
    if rep is R.TUNNUS and step is not None:
        return {"system": step.system, "value": text} if step.system else {"value": text}
    return text


def constant(arg: str, rep: R | None) -> Any:
    if rep in TEXT_TARGETS:
        return arg
    try:
        return json.loads(arg)
    except ValueError:
        return arg


def put(body: dict[str, Any], step: Step, value: Any) -> None:
    """Set `value` at the step's keys (a repeatable group gets one item; a repeatable value is appended)."""
    node = body
    for key, repeated in zip(step.keys[:-1], step.repeated[:-1], strict=True):
        if repeated:
            items = node.setdefault(key, [{}])
            node = items[0]
        else:
            node = node.setdefault(key, {})
    last, repeated = step.keys[-1], step.repeated[-1]
    if repeated:
        node.setdefault(last, []).append(value)
    else:
        node[last] = value


def put_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    node = data
    for part in parents:
        child = node.get(part)
        node[part] = child = dict(child) if isinstance(child, dict) else {}
        node = child
    node[last] = value
