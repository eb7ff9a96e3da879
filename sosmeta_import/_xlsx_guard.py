"""Safety checks on a workbook file before any XML in it is parsed.

An .xlsx (or .xlsm) file is a zip archive. A zip bomb (a small file that inflates to gigabytes), an archive
with a huge number of entries, or a file that is not a workbook at all is refused here, from the zip's
central directory alone. The declared sizes are binding, because Python's zip reader never inflates an entry
past its declared size. Only then are the XML parts streamed through once, in bounded chunks, to refuse any
document type declaration: workbooks never have one, and it is how entity expansion (XXE) and external DTDs
get in. Every reader that opens a workbook (structure import, organisation template columns) calls
`inspect` first.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from sosmeta.safeio.reading import check_regular
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.sosmeta_import.problem_texts import say

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_ENTRIES = 5_000
MAX_RATIO = 200
"""Largest uncompressed/compressed ratio accepted for an entry bigger than RATIO_FLOOR (sheet XML stays
well under 100; bombs are in the thousands)."""
RATIO_FLOOR = 1024 * 1024


@dataclass(frozen=True)
class ZipFacts:
    """What the archive holds, as far as the importer cares."""

    has_macros: bool
    has_external_links: bool


def inspect(path: Path, source: str) -> ZipFacts:
    """Refuse files that are not a workbook or would inflate too far; raises `InputError`."""
    size = check_regular(path, 1 << 62, source)  # a folder, FIFO or device is refused before it is opened
    if size > MAX_FILE_BYTES:
        raise InputError.one(source, "", say("excel.too_large", size=size, limit=MAX_FILE_BYTES), "excel.too_large")
    try:
        is_zip = zipfile.is_zipfile(path)
    except OSError as exc:
        raise InputError.one(source, "", say("file.unreadable", why=exc.strerror), "file.unreadable") from None
    if not is_zip:
        raise InputError.one(
            source,
            "",
            say("excel.not_zip"),
            "excel.not_zip",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError.one(source, "", say("excel.damaged_zip", why=str(exc)), "excel.not_zip") from None
    if len(infos) > MAX_ENTRIES:
        raise InputError.one(source, "", say("excel.zip_entries", n=len(infos), limit=MAX_ENTRIES), "excel.zip_entries")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise InputError.one(
                source,
                info.filename,
                say("excel.zip_ratio", ratio=f"{ratio:.0f}", limit=MAX_RATIO),
                "excel.zip_bomb",
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputError.one(
            source,
            "",
            say("excel.zip_total", total=total, limit=MAX_UNCOMPRESSED_BYTES),
            "excel.zip_bomb",
        )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
        raise InputError.one(source, "", say("excel.not_workbook"), "excel.not_workbook")
    _refuse_doctypes(path, source, [i for i in infos if i.filename.lower().endswith(_XML_SUFFIXES)])
    return ZipFacts(
        has_macros=any(n.lower().endswith("vbaproject.bin") for n in names),
        has_external_links=any(n.startswith("xl/externalLinks/") for n in names),
    )


_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DOCTYPE = tuple(b"<!DOCTYPE".decode().encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be"))
_TAIL = max(len(d) for d in _DOCTYPE)


def _refuse_doctypes(path: Path, source: str, parts: list[zipfile.ZipInfo]) -> None:
    """Refuse a part that declares a document type (DTD): entity tricks and external DTDs start there."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in parts:
                with archive.open(info) as part:
                    tail = b""
                    while chunk := part.read(1 << 20):
                        window = tail + chunk
                        if any(d in window for d in _DOCTYPE):
                            raise InputError.one(
                                source,
                                info.filename,
                                say("excel.doctype"),
                                "excel.doctype",
                            )
                        tail = window[-_TAIL:]
    except InputError:
        raise
    except Exception as exc:  # zipfile, zlib, lzma and bz2 each raise their own kinds on a damaged entry
        message = " ".join(str(exc).split())
        raise InputError.one(source, "", say("excel.damaged_zip", why=message), "excel.not_zip") from None
