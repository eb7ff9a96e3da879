"""`sosmeta migrate table check`: may this correspondence table be used with this catalog and source?

Checked: every structure exists; every target key path exists and is a value (not a group); every required
element is covered (mapped, or below an optional group nothing is mapped into); every transform fits the
target's representation and has the argument it needs; every code map named exists and its codes are valid in
the target's code list (`codes.CodeLists`); envelope fields and defaults exist; and, with a source, every legacy
type found there has a row and every legacy field is one of its columns. Each problem is located at its cell
(`fields!C7`) and, where a name is wrong, suggests the nearest right one. Values of client records never occur
here: the table holds names, codes and formats only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from sosmeta.catalog import Catalog, CatalogError
from sosmeta.generators.cda.envelope import Envelope
from sosmeta.migration.codes import CodeLists, catalog_code_lists
from sosmeta.migration.table import TRANSFORMS, DocumentType, FieldMapping, Table
from sosmeta.migration.texts import say, suggest
from sosmeta.sosmeta_import.errors import Problem
from sosmeta.structures.identifiers import is_oid
from sosmeta.structures.model import Located, Structure
from sosmeta.structures.representation import Representation as R

DATE_TARGETS = frozenset({R.PVM, R.HETKI})
NUMBER_TARGETS = frozenset({R.NUMERO, R.LKM, R.MAARA, R.MITTA, R.PROSENTTI})
TEXT_TARGETS = frozenset({R.TEKSTI, R.NIMI, R.FRAASI, R.ALLEKIRJOITUS, R.TUNNUS})
FITS: dict[str, frozenset[R] | None] = {
    "copy": TEXT_TARGETS,
    "concat": TEXT_TARGETS,
    "split": TEXT_TARGETS,
    "date": DATE_TARGETS,
    "number": NUMBER_TARGETS,
    "code": frozenset({R.KOODI}),
    "constant": None,  # any value
}
ENVELOPE_DATES = frozenset({"drafting_time", "creation_time", "author.time", "client.birth_time"})
SPECIFIC_ARC = "1.2.246.537.6.1506."


def envelope_fields(model: type[BaseModel] = Envelope, prefix: str = "") -> tuple[str, ...]:
    """Every envelope field a mapping may set, dotted (`client.given`)."""
    out: list[str] = []
    for name, info in model.model_fields.items():
        out.append(prefix + name)
        kind = info.annotation
        for candidate in getattr(kind, "__args__", (kind,)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) and candidate.__name__ != "Code":
                out.extend(envelope_fields(candidate, f"{prefix}{name}."))
    return tuple(out)


ENVELOPE_FIELDS = envelope_fields()
TOP_FIELDS = tuple(Envelope.model_fields)


@dataclass(frozen=True)
class SourceFacts:
    """What the check needs of the source: record counts per legacy type and the column names."""

    type_counts: Mapping[str, int]
    columns: tuple[str, ...]


def resolve_structures(table: Table, catalog: Catalog, problems: list[Problem]) -> dict[str, Structure]:
    """The structure of every structured legacy type (problems for those that cannot be found)."""
    out: dict[str, Structure] = {}
    known: list[str] | None = None
    for entry in table.types:
        if entry.unstructured:
            continue
        try:
            out[entry.legacy_type] = catalog.resolve(entry.structure)
        except CatalogError:
            if known is None:
                known = [e.base_oid for e in catalog.entries()] + [
                    f"{e.base_oid}@{e.version}" for e in catalog.entries()
                ]
            problems.append(
                Problem(
                    table.source,
                    entry.cell.at("structure"),
                    say("no_such_structure", hint=suggest(entry.structure, known)),
                    "table.structure",
                )
            )
    return out


def check_table(
    table: Table,
    catalog: Catalog,
    source: SourceFacts | None = None,
    code_lists: CodeLists | None = None,
) -> list[Problem]:
    """Every problem of `table` (empty: it may be used)."""
    problems: list[Problem] = []
    structures = resolve_structures(table, catalog, problems)
    lists = code_lists or catalog_code_lists(catalog.root, structures.values())
    for entry in table.types:
        problems.extend(_type_problems(table, entry, structures.get(entry.legacy_type)))
    known_types = [t.legacy_type for t in table.types]
    for mapping in table.fields:
        owner = table.type_of(mapping.legacy_type)
        if owner is None:
            problems.append(
                Problem(
                    table.source,
                    mapping.cell.at("legacy_type"),
                    say("unknown_type", hint=suggest(mapping.legacy_type, known_types)),
                    "table.unknown_type",
                )
            )
            continue
        problems.extend(_field_problems(table, mapping, owner, structures.get(mapping.legacy_type), lists, source))
    for entry in table.types:
        structure = structures.get(entry.legacy_type)
        if structure is not None:
            problems.extend(_coverage_problems(table, entry, structure))
    for code in table.codes:
        if code.code_list and not (is_oid(code.code_list) or "/" in code.code_list):
            problems.append(Problem(table.source, code.cell.at("code_list"), say("not_oid"), "table.code_list"))
        elif code.code_list and lists.is_valid(code.code_list, code.code) is False:
            problems.append(Problem(table.source, code.cell.at("code"), say("code_not_in_list"), "table.code"))
    if source is not None:
        for legacy, count in sorted(source.type_counts.items()):
            if table.type_of(legacy) is None:
                problems.append(
                    Problem(
                        table.source,
                        "types",
                        say("unmapped_type", legacy=legacy, count=count, hint=suggest(legacy, known_types)),
                        "table.unmapped_type",
                    )
                )
    return problems


def _type_problems(table: Table, entry: DocumentType, structure: Structure | None) -> list[Problem]:
    out: list[Problem] = []
    src = table.source
    if entry.language and entry.language not in ("fi", "sv"):
        out.append(Problem(src, entry.cell.at("language"), say("language"), "table.language"))
    for name, code in entry.codes.items():
        if not code.code or " " in code.code:
            out.append(Problem(src, entry.cell.at(name), say("not_code"), "table.code"))
    specific = entry.codes.get("specific_type")
    if entry.unstructured:
        if specific is None:
            out.append(
                Problem(
                    src,
                    entry.cell.at("specific_type"),
                    say("needs_specific_type"),
                    "table.missing",
                )
            )
        if not entry.content_specification or not is_oid(entry.content_specification):
            out.append(
                Problem(
                    src,
                    entry.cell.at("content_specification"),
                    say("needs_content_specification"),
                    "table.missing",
                )
            )
    elif structure is not None and specific is not None:
        arc = structure.version_oid.removeprefix(SPECIFIC_ARC).split(".")[0]
        if structure.version_oid.startswith(SPECIFIC_ARC) and specific.code != arc:
            out.append(
                Problem(
                    src,
                    entry.cell.at("specific_type"),
                    say("specific_type", arc=arc),
                    "table.specific_type",
                )
            )
    for key in entry.envelope_defaults:
        if key not in TOP_FIELDS:
            out.append(
                Problem(
                    src,
                    entry.cell.at("envelope_defaults"),
                    say("not_envelope_default", key=key, hint=suggest(key, TOP_FIELDS)),
                    "table.envelope_field",
                )
            )
    return out


def full_path(structure: Structure, target: str) -> str:
    """A target key path with the document element's key in front (head users may leave it out)."""
    key = structure.document.key
    return target if target == key or target.startswith(key + "/") else f"{key}/{target}"


def _field_problems(
    table: Table,
    mapping: FieldMapping,
    entry: DocumentType,
    structure: Structure | None,
    lists: CodeLists,
    source: SourceFacts | None,
) -> list[Problem]:
    out: list[Problem] = []
    src = table.source
    at = mapping.cell.at
    if mapping.transform not in TRANSFORMS:
        return [
            Problem(
                src,
                at("transform"),
                say("unknown_transform", hint=suggest(mapping.transform, TRANSFORMS)),
                "table.transform",
            )
        ]
    if source is not None:
        for name in mapping.legacy_fields:
            if name not in source.columns:
                out.append(
                    Problem(
                        src,
                        at("legacy_field"),
                        say("not_column", name=name, hint=suggest(name, source.columns)),
                        "table.legacy_field",
                    )
                )
    out.extend(_argument_problems(table, mapping))
    envelope_field = mapping.envelope_field
    if envelope_field is not None:
        if envelope_field not in ENVELOPE_FIELDS:
            out.append(
                Problem(
                    src,
                    at("target"),
                    say("not_envelope_field", hint=suggest(envelope_field, ENVELOPE_FIELDS)),
                    "table.target",
                )
            )
        elif mapping.transform == "date" and envelope_field not in ENVELOPE_DATES:
            out.append(Problem(src, at("transform"), say("date_fit"), "table.transform_fit"))
        return out
    if entry.unstructured:
        return [*out, Problem(src, at("target"), say("unstructured_targets"), "table.target")]
    if structure is None:
        return out
    located = structure.by_path(full_path(structure, mapping.target))
    if located is None:
        paths = [loc.key_path for loc in structure.walk()]
        out.append(
            Problem(
                src,
                at("target"),
                say("no_key_path", hint=suggest(full_path(structure, mapping.target), paths)),
                "table.target",
            )
        )
        return out
    rep = located.element.representation
    if rep is None or rep in (R.GROUP, R.OTSIKKO):
        out.append(Problem(src, at("target"), say("target_group"), "table.target"))
        return out
    fits = FITS[mapping.transform]
    if fits is not None and rep not in fits:
        out.append(
            Problem(
                src,
                at("transform"),
                say("transform_fit", transform=mapping.transform, representation=rep.value),
                "table.transform_fit",
            )
        )
    if mapping.transform == "code" and rep is R.KOODI and mapping.argument:
        out.extend(_code_map_problems(table, mapping, located, lists))
    return out


def _argument_problems(table: Table, mapping: FieldMapping) -> list[Problem]:
    src, at, arg = table.source, mapping.cell.at, mapping.argument
    if mapping.transform == "date":
        if not arg or "%" not in arg:
            return [Problem(src, at("argument"), say("date_format_needed"), "table.argument")]
        try:
            sample = dt.datetime(2001, 2, 3, 4, 5, 6)
            dt.datetime.strptime(sample.strftime(arg), arg)
        except ValueError:
            return [Problem(src, at("argument"), say("date_format_bad"), "table.argument")]
    elif mapping.transform == "code":
        if not arg or arg not in table.map_names:
            return [
                Problem(
                    src,
                    at("argument"),
                    say("no_code_map", hint=suggest(arg or "", table.map_names)),
                    "table.code_map",
                )
            ]
    elif mapping.transform == "constant" and arg is None:
        return [Problem(src, at("argument"), say("constant_value"), "table.argument")]
    elif mapping.transform == "concat" and len(mapping.legacy_fields) < 2:
        return [Problem(src, at("legacy_field"), say("concat_fields"), "table.argument")]
    elif mapping.transform == "split":
        separator, _, index = (arg or "").rpartition("|")
        if not separator or not index.lstrip("-").isdigit():
            return [Problem(src, at("argument"), say("split_argument"), "table.argument")]
    elif mapping.transform == "constant" and arg is not None and arg.startswith(("{", "[")):
        try:
            json.loads(arg)
        except ValueError:
            return [Problem(src, at("argument"), say("not_json"), "table.argument")]
    return []


def _code_map_problems(table: Table, mapping: FieldMapping, located: Located, lists: CodeLists) -> list[Problem]:
    out: list[Problem] = []
    element = located.element
    list_oid = element.classification_oid_value
    accepted = set(element.code_values)
    for code in table.code_map(mapping.argument or "").values():
        if code.code_list and list_oid and code.code_list.removeprefix("urn:oid:") != list_oid.removeprefix("urn:oid:"):
            out.append(
                Problem(
                    table.source,
                    code.cell.at("code_list"),
                    say("other_code_list", target=mapping.cell.at("target")),
                    "table.code_list",
                )
            )
        elif accepted and code.code not in accepted:
            out.append(
                Problem(
                    table.source,
                    code.cell.at("code"),
                    say("not_accepted", target=mapping.cell.at("target"), hint=suggest(code.code, accepted)),
                    "table.code",
                )
            )
        elif list_oid and lists.is_valid(list_oid, code.code) is False:
            out.append(Problem(table.source, code.cell.at("code"), say("code_not_in_list"), "table.code"))
    return out


def _coverage_problems(table: Table, entry: DocumentType, structure: Structure) -> list[Problem]:
    """Required elements nothing is mapped to, where their group is there (required, or something is mapped
    into it)."""
    mapped = [full_path(structure, m.target) for m in table.fields_of(entry.legacy_type) if m.envelope_field is None]

    def has_mapping(located: Located) -> bool:
        path = located.key_path
        return any(m == path or m.startswith(path + "/") for m in mapped)

    present: dict[str, bool] = {}
    out: list[Problem] = []
    for located in structure.walk():
        parent = located.parent
        if parent is None:
            present[located.key_path] = True
            continue
        parent_there = present.get(parent.key_path, False)
        covered = has_mapping(located)
        present[located.key_path] = parent_there and (covered or located.element.is_required)
        if parent_there and located.element.is_required and not covered:
            rep = located.element.representation
            if rep is not None and rep not in (R.GROUP, R.OTSIKKO):
                out.append(
                    Problem(
                        table.source,
                        entry.cell.at("legacy_type"),
                        say("required_unmapped", path=located.key_path),
                        "table.required",
                    )
                )
    return out
