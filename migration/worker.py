"""Archiving a batch of legacy records: map, check (full mode), encode, frame, package, publish.

The same function runs in the single process, in a process pool and on Dask workers. A `Job` says everything a
worker needs (paths and settings, picklable); the worker loads the catalog, table and organisation once per
process. Each record gives one `Result`: archived (its package written, or found there with the same bytes, as
after a kill), replaced (a new version of a record whose content or mapping changed) or refused (reason code,
place and a message that never holds a value).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from sosmeta.generators.cda.codec import DocumentRefused, encode
from sosmeta.generators.cda.doctext import HeaderText, header_text
from sosmeta.generators.cda.envelope import Code, Envelope, build_envelope, envelope_problems
from sosmeta.generators.cda.frame import FrameOptions, Person, frame
from sosmeta.generators.cda.frame_text import frame_text
from sosmeta.generators.cda.lifecycle import Change, next_envelope
from sosmeta.generators.cda.publish import Published, publish
from sosmeta.generators.cda.safexml import CdaInputError
from sosmeta.migration.fastpackage import fast_package
from sosmeta.migration.mapping import Mapper, Refusal, Settings, column_place
from sosmeta.migration.sources import Record, SourceConfig
from sosmeta.migration.unstructured import encode_unstructured
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.structures.model import Structure

PACKAGES = "packages"


@dataclass(frozen=True)
class FrameSettings:
    processing_mode: str = "T"
    performer_id: str | None = None
    performer_given: str | None = None
    performer_family: str | None = None
    sender: str | None = None


@dataclass(frozen=True)
class Job:
    catalog: Path
    table: Path
    source: SourceConfig
    settings: Settings
    frame: FrameSettings = field(default_factory=FrameSettings)
    out: Path | None = None
    """Where packages go (OUT/packages/); None: returned in the results (a worker without the folder)."""
    organisation: Path | None = None
    replacement_reason: str = "1"
    durable: bool = False


class Prior(NamedTuple):
    """What the ledger holds of a record from earlier runs."""

    content_hash: str
    state: str
    document_id: str | None
    set_id: str | None
    version: int | None


@dataclass(frozen=True)
class Result:
    record_id: str
    legacy_type: str
    outcome: str  # archived | replaced | refused | skipped
    content_hash: str
    year: int | None = None
    reason: str | None = None
    location: str | None = None
    message: str | None = None
    document_id: str | None = None
    set_id: str | None = None
    version: int | None = None
    file: str | None = None
    file_sha256: str | None = None
    data: bytes | None = field(default=None, repr=False)


def content_hash(record: Record, digest: str) -> str:
    """The record's content and the table's mapping of its type: an archived record with the same hash is
    skipped, a different one gets a new version."""
    text = _HASHED_JSON.encode([record.legacy_type, record.values, digest])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_HASHED_JSON = json.JSONEncoder(sort_keys=True, default=str, ensure_ascii=False)
"""`json.dumps(..., sort_keys=True, default=str, ensure_ascii=False)`, the encoder made once."""


def package_name(document_id: str) -> str:
    return f"{PACKAGES}/{document_id}.mime"


_ENVELOPE_COLUMNS = {
    "client": "client_id",
    "drafting_time": "date",
    "creation_time": "date",
    "author": "author",
    "service_unit": "unit",
}


class Worker:
    """One per process: the loaded catalog, table, organisation and the mapper."""

    def __init__(self, job: Job) -> None:
        from sosmeta.catalog import Catalog
        from sosmeta.generators.cda.envelope import load_organisation
        from sosmeta.migration.table import load_table
        from sosmeta.migration.tablecheck import resolve_structures

        self.job = job
        self.table = load_table(job.table)
        problems: list[Any] = []
        self.structures: dict[str, Structure] = resolve_structures(self.table, Catalog(job.catalog), problems)
        if problems:
            raise InputError(problems)
        self.profile = load_organisation(job.organisation) if job.organisation else None
        self.mapper = Mapper(self.table, self.structures, job.settings, job.source)
        self.digests: dict[str, str] = {}
        self.packages_root = os.fspath(job.out) if job.out is not None else ""  # a text: no Path per record
        performer = None
        if job.frame.performer_id:
            given = (job.frame.performer_given,) if job.frame.performer_given else ()
            performer = Person(job.frame.performer_id, given=given, family=job.frame.performer_family)
        self.frame_options = FrameOptions(
            processing_mode=job.frame.processing_mode, performer=performer, sender=job.frame.sender
        )

    def digest(self, legacy_type: str) -> str:
        if legacy_type not in self.digests:
            self.digests[legacy_type] = self.table.digest(legacy_type)
        return self.digests[legacy_type]

    def hash_of(self, record: Record) -> str:
        return content_hash(record, self.digest(record.legacy_type))

    def year_of(self, record: Record) -> int | None:
        try:
            return self.mapper.record_time(record).year
        except Refusal:
            return None

    def __call__(self, record: Record, prior: Prior | None, hashed: str | None = None) -> Result:
        hashed = hashed or self.hash_of(record)
        try:
            return self._archive(record, prior, hashed)
        except Refusal as exc:
            kept = prior if prior is not None and prior.document_id else None  # the last archived version's ids
            return Result(
                record.record_id,
                record.legacy_type,
                "refused",
                hashed,
                self.year_of(record),
                reason=exc.code,
                location=exc.location,
                message=exc.message,
                document_id=kept.document_id if kept else None,
                set_id=kept.set_id if kept else None,
                version=kept.version if kept else None,
            )

    def _archive(self, record: Record, prior: Prior | None, hashed: str) -> Result:
        plan = self.mapper.plan(record.legacy_type)
        data = self.mapper.envelope_data(record, plan)
        year = data["drafting_time"].year  # the record's time (`year_of`), read once
        where = f"record {record.record_id}"
        structure = plan.structure
        try:
            envelope = build_envelope(data, structure, self.profile)
        except ValidationError as exc:
            problem = envelope_problems(exc, where)[0]
            raise Refusal(
                "cda.envelope",
                self._envelope_place(problem.location, plan.entry.cell.at("legacy_type")),
                problem.message,
            ) from None
        outcome = "archived"
        if prior is not None and prior.document_id and prior.version:
            envelope = self._next_version(envelope, prior, where)
            outcome = "replaced"
        try:
            header = header_text(envelope)  # rendered once: for the document's text and the frame's
            if structure is None:
                text_column = self.job.source.columns.get("text")
                text = str(record.values.get(text_column) or "") if text_column else ""
                attachment_column = self.job.source.columns.get("attachment")
                attachment = record.values.get(attachment_column) if attachment_column else None
                xml = encode_unstructured(envelope, text, str(attachment) if attachment else None, where)
            else:
                document = self.mapper.document(record, plan)
                xml = encode(structure, document, envelope, profile=self.profile, source=where, header=header)
            message = fast_package(self._frame(xml, header, where), xml, envelope.document_id, where)
        except DocumentRefused as exc:
            problem = exc.problems[0]
            raise Refusal(problem.code, self._document_place(plan, problem.location), problem.message) from None
        except (CdaInputError, InputError) as exc:
            problem = exc.problems[0]
            raise Refusal(problem.code, problem.location, problem.message) from None
        name = package_name(envelope.document_id)
        result = Result(  # made whole: dataclasses.replace costs as much as writing the ledger row
            record.record_id,
            record.legacy_type,
            outcome,
            hashed,
            year,
            document_id=envelope.document_id,
            set_id=envelope.set_id,
            version=envelope.version_number,
            file=name,
            file_sha256=hashlib.sha256(message).hexdigest(),
            data=message if self.job.out is None else None,
        )
        if self.job.out is None:
            return result
        if publish(f"{self.packages_root}/{name}", message, self.job.durable) is Published.DIFFERENT:
            raise Refusal("migrate.file_conflict", name, "another file with this document id is in the output folder")
        return result

    def _frame(self, xml: bytes, header: HeaderText | None, where: str) -> bytes:
        """The transfer frame: from its template and the header's values (`frame_text`), else from the document
        (a header with parts kept verbatim, values the template cannot carry)."""
        if header is not None:
            made = frame_text(header, self.frame_options, lambda: frame(xml, self.frame_options, where))
            if made is not None:
                return made
        return frame(xml, self.frame_options, where)

    def _next_version(self, envelope: Envelope, prior: Prior, where: str) -> Envelope:
        assert prior.document_id is not None and prior.version is not None
        old = envelope.model_copy(
            update={
                "document_id": prior.document_id,
                "set_id": prior.set_id or prior.document_id,
                "version_number": prior.version,
            }
        )
        change = Change("replace", Code(code=self.job.replacement_reason), envelope.creation_time)
        try:
            return next_envelope(old, change, where)
        except CdaInputError as exc:
            problem = exc.problems[0]
            raise Refusal(problem.code, problem.location, problem.message) from None

    def _envelope_place(self, pointer: str, type_cell: str) -> str:
        """An envelope error's place: the source column the field came from, else the type's row and field."""
        top = pointer.split("/")[1] if pointer.startswith("/") else pointer
        role = _ENVELOPE_COLUMNS.get(top)
        column = self.job.source.columns.get(role) if role else None
        return column_place(column) if column else f"{type_cell} envelope {pointer}"

    def _document_place(self, plan: Any, pointer: str) -> str:
        """A finding's place: the JSON pointer, and the cell of the field mapping whose target it is under."""
        path = "/".join(p for p in pointer.split("/") if p and not p.isdigit())
        for step in plan.steps:
            target = "/".join(step.keys)
            if path.endswith(target) or target.endswith(path.split("/", 1)[-1]):
                return f"{pointer} ({step.mapping.cell.at('target')})"
        return pointer


_WORKERS: dict[str, Worker] = {}


def worker_for(job: Job) -> Worker:
    """The process's worker for `job` (made once per job and table content: a job is told apart by its settings,
    all plain values, and a table edited between two runs of one process is read again)."""
    from sosmeta.catalog import Catalog
    from sosmeta.migration.table import fingerprint

    listing = [(str(e.path), e.path.stat().st_mtime_ns) for e in Catalog(job.catalog).entries()]
    key = repr((job, fingerprint(job.table), listing))
    worker = _WORKERS.get(key)
    if worker is None:
        _WORKERS.clear()
        worker = _WORKERS[key] = Worker(job)
    return worker


def archive_batch(job: Job, tasks: list[tuple[Record, Prior | None, str]]) -> list[Result]:
    """Archive (record, prior, hash) tasks; runs wherever the job is sent."""
    worker = worker_for(job)
    return [worker(record, prior, hashed) for record, prior, hashed in tasks]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
