"""Pulling code lists from THL's code server (csapi v6), page by page, with retries, backoff and time-outs.

`GET {server}/codeserver/csapi/v6/classifications/{id}/conceptcodes` (or `.../versions/{version}/conceptcodes`)
with `pageSize`, `page` and optionally `validOn`; each answer is a `conceptcodes` page (`csapi.py`). The first
request asks for no page number, so the server's own numbering (from 0 or 1) is followed; the next pages are
asked until `totalPages` pages are in. A connection refused or reset, a time-out, 429 or a 5xx answer is tried
again after a growing pause; any other answer, or a page that is not JSON or not a page, ends the list at once.
Nothing is returned for a list unless every page came in, so the store never holds half a list.
"""

from __future__ import annotations

import datetime as dt
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from sosmeta.safeio.parsing import loads_json
from sosmeta.safeio.reading import MAX_STRUCTURE_BYTES
from sosmeta.sosmeta_import.codelists.concepts import Concept, build_lists, now_utc
from sosmeta.sosmeta_import.codelists.csapi import page_concepts
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.codelists.model import CodeList, Provenance

DEFAULT_SERVER = "https://koodistopalvelu.kanta.fi"
API = "/codeserver/csapi/v6"
PAGE_SIZE = 500
"""The largest page the API serves."""
MAX_PAGES = 10_000
"""A bound on pages per list (5 million codes): a server that never stops paging is refused."""


@dataclass(frozen=True)
class PullSettings:
    timeout: float = 30.0
    """Seconds to wait for a connection or for data before a try counts as failed."""
    tries: int = 4
    backoff: float = 1.0
    """The pause after the first failed try, doubled after each further one."""
    page_size: int = PAGE_SIZE
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


class _Retry(Exception):
    """A failure worth another try (time-out, refused connection, 429 or 5xx)."""


def list_path(classification: str, version: str | None) -> str:
    quoted = urllib.parse.quote(classification, safe="")
    if version:
        return f"{API}/classifications/{quoted}/versions/{urllib.parse.quote(version, safe='')}/conceptcodes"
    return f"{API}/classifications/{quoted}/conceptcodes"


def _query(page_size: int, valid_on: dt.date | None, page: int | None) -> str:
    params: list[tuple[str, str]] = [("pageSize", str(page_size))]
    if valid_on is not None:
        params.append(("validOn", valid_on.isoformat()))
    if page is not None:
        params.append(("page", str(page)))
    return urllib.parse.urlencode(params)


def _fetch_once(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "sosmeta"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read(MAX_STRUCTURE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        reason = say("codes.http", status=exc.code, reason=str(exc.reason))
        if exc.code == 429 or exc.code >= 500:
            raise _Retry(reason) from None
        raise InputError.one(url, "", reason, "codes.pull_http") from None
    except TimeoutError:
        raise _Retry(say("codes.no_answer", seconds=f"{timeout:g}")) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            raise _Retry(say("codes.no_answer", seconds=f"{timeout:g}")) from None
        raise _Retry(say("codes.no_connection", reason=str(exc.reason))) from None
    except (ConnectionError, OSError) as exc:
        raise _Retry(say("codes.connection_failed", reason=exc.strerror or type(exc).__name__)) from None
    if len(body) > MAX_STRUCTURE_BYTES:
        raise InputError.one(url, "", say("codes.too_large", limit=MAX_STRUCTURE_BYTES), "codes.pull_too_large")
    return body


def fetch(url: str, settings: PullSettings) -> bytes:
    """The body of `url`, tried `settings.tries` times with doubling pauses; InputError when all fail."""
    pause = settings.backoff
    for attempt in range(1, settings.tries + 1):
        try:
            return _fetch_once(url, settings.timeout)
        except _Retry as exc:
            if attempt == settings.tries:
                why = say("codes.after_tries", why=exc.args[0], n=attempt)
                raise InputError.one(url, "", why, "codes.pull_failed") from None
            settings.sleep(pause)
            pause *= 2
    raise AssertionError("unreachable")


def _check_server(server: str) -> str:
    parts = urllib.parse.urlsplit(server)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError.one(server, "", say("codes.bad_server"), "codes.bad_server")
    return server.rstrip("/")


def pull(
    server: str,
    classification: str,
    version: str | None = None,
    valid_on: dt.date | None = None,
    settings: PullSettings | None = None,
    retrieved: str | None = None,
) -> list[CodeList]:
    """Every version of `classification` the server returns (one, given `version`), complete, or InputError."""
    settings = settings or PullSettings()
    base = _check_server(server) + list_path(classification, version)
    concepts: list[Concept] = []
    seen_pages: set[int] = set()
    page: int | None = None
    total_pages: int | None = None
    total_items: int | None = None
    while True:
        url = f"{base}?{_query(settings.page_size, valid_on, page)}"
        body = fetch(url, settings)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError.one(url, f"byte {exc.start}", say("codes.not_utf8"), "file.encoding") from None
        problems: list[Problem] = []
        found, counters = page_concepts(loads_json(text, url), url, "", problems)
        if problems:
            raise InputError(problems)
        concepts.extend(found)
        number = counters.page if counters.page is not None else (page or 0)
        seen_pages.add(number)
        total_pages = counters.total_pages if counters.total_pages is not None else 1
        total_items = counters.total_items
        if len(seen_pages) >= total_pages or not found:
            break
        if len(seen_pages) >= MAX_PAGES:
            raise InputError.one(url, "", say("codes.too_many_pages", limit=MAX_PAGES), "codes.pull_too_many_pages")
        page = number + 1
    for concept in concepts:
        if concept.fields.get("classificationId") != classification:
            raise InputError.one(
                concept.source,
                concept.where("classificationId"),
                say("codes.other_list"),
                "codes.pull_other_list",
            )
    if total_items is not None and len({str(c.fields.get("conceptCodeId")) for c in concepts}) < total_items:
        raise InputError.one(base, "", say("codes.fewer_received", n=total_items), "codes.count_mismatch")
    provenance = Provenance(
        source="server",
        retrieved=retrieved or now_utc(),
        server=_check_server(server),
        query=f"{list_path(classification, version)}?{_query(settings.page_size, valid_on, None)}",
    )
    return build_lists(concepts, provenance)
