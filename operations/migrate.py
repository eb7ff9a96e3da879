"""Legacy migration use cases: start a correspondence table, check it, run the migration, report on it.

Settings come from the workspace's `[migration]` table (docs/migration.md), each overridable by the caller.
No click, no printing: results are dataclasses, long work takes a `progress` callback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sosmeta.catalog import Catalog
from sosmeta.migration.ledger import default_url
from sosmeta.migration.mapping import Settings
from sosmeta.migration.run import Progress, RunSummary, run_migration
from sosmeta.migration.sources import SourceConfig, config_from, open_source
from sosmeta.migration.table import load_table, new_workbook
from sosmeta.migration.tablecheck import SourceFacts, check_table
from sosmeta.migration.texts import say
from sosmeta.migration.worker import FrameSettings, Job
from sosmeta.sosmeta_import.errors import InputError, Problem


@dataclass(frozen=True)
class Overrides:
    """What the caller says instead of the workspace."""

    catalog: Path | None = None
    table: Path | None = None
    out: Path | None = None
    ledger: str | None = None
    source: str | None = None
    """A database URL, or a .csv / .jsonl file, instead of the workspace's source location."""


@dataclass(frozen=True)
class Setup:
    job: Job
    ledger_url: str


def _source_override(config: SourceConfig, location: str) -> SourceConfig:
    from dataclasses import replace

    lowered = location.lower()
    if lowered.endswith(".csv"):
        return replace(config, kind="csv", location=str(Path(location).resolve()))
    if lowered.endswith((".jsonl", ".ndjson")):
        return replace(config, kind="jsonl", location=str(Path(location).resolve()))
    if "://" not in location:  # a plain path: an SQLite database file
        location = f"sqlite:///{Path(location).resolve()}"
    return replace(config, kind="sql", location=location)


def source_config(section: Mapping[str, Any], root: Path, where: str, override: str | None) -> SourceConfig:
    table = section.get("source", {})
    if not isinstance(table, dict):
        raise InputError.one(where, "migration.source", say("must_be_table"), "migrate.source")
    if override is not None and not (table.get("url") or table.get("path")):
        table = {**table, "url": "sqlite:///:memory:"}  # replaced below
    config = config_from(table, root, where)
    return _source_override(config, override) if override is not None else config


def setup(section: Mapping[str, Any], root: Path, catalog: Path | None, where: str, over: Overrides) -> Setup:
    """The job and ledger of a run from `[migration]` (paths relative to `root`) and the overrides."""
    problems: list[Problem] = []

    def path(key: str, given: Path | None) -> Path | None:
        if given is not None:
            return given
        value = section.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            problems.append(Problem(where, f"migration.{key}", say("must_be_path"), "migrate.config"))
            return None
        return root / value

    table = path("table", over.table)
    out = path("output", over.out)
    organisation = path("organisation", None)
    catalog_dir = over.catalog or catalog
    for name, value in (("table", table), ("output", out), ("catalog", catalog_dir)):
        if value is None:
            problems.append(Problem(where, f"migration.{name}", say("missing_setting"), "migrate.config"))
    root_oid = section.get("document_id_root")
    from sosmeta.structures.identifiers import is_oid

    if not isinstance(root_oid, str) or not is_oid(root_oid):
        problems.append(
            Problem(
                where,
                "migration.document_id_root",
                say("document_id_root"),
                "migrate.config",
            )
        )
    keeper = section.get("register_keeper")
    if keeper is not None and not (isinstance(keeper, dict) and {"oid", "name"} <= set(keeper)):
        problems.append(Problem(where, "migration.register_keeper", say("keeper_table"), "migrate.config"))
    if organisation is None and keeper is None:
        problems.append(Problem(where, "migration.organisation", say("keeper_needed"), "migrate.config"))
    source = source_config(section, root, where, over.source)
    if problems:
        raise InputError(problems)
    assert table is not None and out is not None and catalog_dir is not None and isinstance(root_oid, str)
    settings = Settings(root_oid, dict(keeper) if keeper else None, str(section.get("time_zone", "Europe/Helsinki")))
    frame = FrameSettings(
        processing_mode=str(section.get("processing_mode", "T")),
        performer_id=section.get("performer_id"),
        performer_given=section.get("performer_given"),
        performer_family=section.get("performer_family"),
        sender=section.get("sender"),
    )
    job = Job(
        catalog_dir.resolve(),
        table.resolve(),
        source,
        settings,
        frame,
        out.resolve(),
        organisation.resolve() if organisation else None,
        str(section.get("replacement_reason", "1")),
        bool(section.get("durable", False)),
    )
    ledger = over.ledger or section.get("ledger") or default_url(out)
    return Setup(job, str(ledger))


# ---- table new / check -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NewTable:
    path: Path
    types: dict[str, int]


def table_new(source: SourceConfig, path: Path) -> NewTable:
    """A starting workbook listing every legacy type in the source with its record count."""
    from sosmeta.generators.output import atomic_write

    counts = dict(sorted(open_source(source).type_counts().items()))
    atomic_write(path, new_workbook(counts.items()))
    return NewTable(path, counts)


@dataclass(frozen=True)
class TableCheck:
    table: Path
    types: int
    fields: int
    codes: int
    problems: list[Problem] = field(default_factory=list)


def table_check(table_path: Path, catalog: Path, source: SourceConfig | None) -> TableCheck:
    table = load_table(table_path)
    facts = None
    if source is not None:
        opened = open_source(source)
        facts = SourceFacts(opened.type_counts(), opened.columns())
    problems = check_table(table, Catalog(catalog), facts)
    return TableCheck(table_path, len(table.types), len(table.fields), len(table.codes), problems)


# ---- run and report ------------------------------------------------------------------------------------------------
def run(
    prepared: Setup,
    jobs: int = 1,
    progress: Progress | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    shared_output: bool = False,
) -> RunSummary:
    return run_migration(prepared.job, prepared.ledger_url, jobs, progress, scheduler, workers, shared_output)


@dataclass(frozen=True)
class Report:
    html: Path
    json: Path
    data: dict[str, Any]


def report(prepared: Setup, out: Path | None = None) -> Report:
    from sosmeta.migration.report import build_report, write_report

    data = build_report(prepared.job, prepared.ledger_url)
    folder = out or (prepared.job.out or Path("."))
    html, json_path = write_report(data, folder)
    return Report(html, json_path, data)
