"""`sosmeta codes pull` against a real HTTP server on the loopback address serving recorded csapi v6 pages:
pagination, a 500 then success, a persistent 500, a time-out, malformed JSON, a page missing. No test reaches
outside the machine."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sosmeta import cli
from sosmeta.codestore import CodeStore
from sosmeta.operations import codes as ops
from sosmeta.sosmeta_import.codelists.server import API, PullSettings
from tests.codes_support import SERVICE_TASK, SOCIAL_SERVICES, dated_list, hierarchical_list, pages

Answer = Callable[[dict[str, str], int], tuple[int, bytes, float]]


class Recorded:
    """What the server answers: per list path, a function of the query and the request count."""

    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.requests: list[str] = []
        self.count: dict[str, int] = {}


def serve_pages(page_list: list[dict[str, Any]], zero_based: bool = False) -> Answer:
    def answer(query: dict[str, str], _n: int) -> tuple[int, bytes, float]:
        first = 0 if zero_based else 1
        number = int(query.get("page", first))
        index = number - first
        if index >= len(page_list):
            return 404, b"{}", 0
        page = dict(page_list[index], page=number)
        return 200, json.dumps(page, ensure_ascii=False).encode("utf-8"), 0

    return answer


@pytest.fixture
def server() -> Iterator[tuple[str, Recorded]]:
    recorded = Recorded()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            recorded.requests.append(self.path)
            n = recorded.count[parts.path] = recorded.count.get(parts.path, 0) + 1
            route = recorded.routes.get(parts.path)
            status, body, delay = (
                (404, b"{}", 0.0) if route is None else route(dict(urllib.parse.parse_qsl(parts.query)), n)
            )
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up waiting
                pass

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", recorded
    finally:
        httpd.shutdown()
        httpd.server_close()


def path_of(classification: str, version: str | None = None) -> str:
    if version:
        return f"{API}/classifications/{classification}/versions/{version}/conceptcodes"
    return f"{API}/classifications/{classification}/conceptcodes"


FAST = PullSettings(timeout=5, tries=3, backoff=0.01)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_pages_are_followed_to_the_end(server: tuple[str, Recorded], tmp_path: Path) -> None:
    url, recorded = server
    recorded.routes[path_of(SERVICE_TASK)] = serve_pages(pages(dated_list(), size=1))  # 4 pages
    code, out, err = run("codes", "pull", SERVICE_TASK, "--server", url, "--catalog", str(tmp_path / "c"))
    assert code == 0, err
    assert f"new list     {SERVICE_TASK}@201601  4 codes" in out
    stored = CodeStore(tmp_path / "c").resolve(SERVICE_TASK)
    assert stored.content() == dated_list().content()
    assert stored.provenance.server == url and stored.provenance.source == "server"
    assert stored.provenance.query == f"{path_of(SERVICE_TASK)}?pageSize=500"
    pages_asked = [dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r).query)).get("page") for r in recorded.requests]
    assert pages_asked == [None, "2", "3", "4"]


def test_zero_based_pages_version_and_valid_on(server: tuple[str, Recorded], tmp_path: Path) -> None:
    url, recorded = server
    recorded.routes[path_of(SOCIAL_SERVICES, "2018")] = serve_pages(pages(hierarchical_list(), size=2), zero_based=True)
    code, _, err = run(
        "codes", "pull", SOCIAL_SERVICES, "--version", "2018", "--valid-on", "2024-05-01",
        "--server", url + "/", "--catalog", str(tmp_path / "c"),
    )  # fmt: skip
    assert code == 0, err
    assert {c.code: c.parent for c in CodeStore(tmp_path / "c").resolve(SOCIAL_SERVICES).codes}["2.1"] == "2"
    assert all("validOn=2024-05-01" in r for r in recorded.requests) and len(recorded.requests) == 3


def test_a_500_then_success_is_retried(server: tuple[str, Recorded], tmp_path: Path) -> None:
    url, recorded = server
    serve = serve_pages(pages(dated_list(), size=2))

    def flaky(query: dict[str, str], n: int) -> tuple[int, bytes, float]:
        return (500, b"oops", 0) if n in (1, 3) else serve(query, n)

    recorded.routes[path_of(SERVICE_TASK)] = flaky
    result = ops.pull_lists(tmp_path / "c", [SERVICE_TASK], url, settings=FAST)
    assert not result.failed and result.stored[0].codes == 4
    assert len(recorded.requests) == 4


def test_one_failing_list_is_one_error_and_the_others_are_stored(server: tuple[str, Recorded], tmp_path: Path) -> None:
    url, recorded = server
    catalog = tmp_path / "c"
    recorded.routes[path_of(SOCIAL_SERVICES)] = serve_pages(pages(hierarchical_list()))
    recorded.routes[path_of(SERVICE_TASK)] = lambda q, n: (500, b"down", 0)
    CodeStore(catalog).write([dated_list()])
    before = (catalog / "codes" / SERVICE_TASK / "201601.json").read_bytes()
    code, out, err = run(
        "codes", "pull", SERVICE_TASK, SOCIAL_SERVICES, "--server", url, "--tries", "2", "--catalog", str(catalog)
    )
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {SERVICE_TASK}: not pulled: {url}{path_of(SERVICE_TASK)}")
    assert "the server answered 500 (Internal Server Error) after 2 tries [codes.pull_failed]" in lines[0]
    assert f"new list     {SOCIAL_SERVICES}@2018" in out
    assert (catalog / "codes" / SERVICE_TASK / "201601.json").read_bytes() == before


def test_a_failure_on_a_later_page_stores_nothing_of_that_list(server: tuple[str, Recorded], tmp_path: Path) -> None:
    url, recorded = server
    serve = serve_pages(pages(dated_list(), size=1))
    recorded.routes[path_of(SERVICE_TASK)] = lambda q, n: (503, b"", 0) if q.get("page") == "3" else serve(q, n)
    result = ops.pull_lists(tmp_path / "c", [SERVICE_TASK], url, settings=FAST)
    assert len(result.failed) == 1 and "page=3" in str(result.failed[0])
    assert not (tmp_path / "c" / "codes").exists()


def test_a_timeout(server: tuple[str, Recorded], tmp_path: Path) -> None:
    url, recorded = server
    recorded.routes[path_of(SERVICE_TASK)] = lambda q, n: (200, b"{}", 1.0)
    result = ops.pull_lists(
        tmp_path / "c", [SERVICE_TASK], url, settings=PullSettings(timeout=0.2, tries=2, backoff=0.01)
    )
    assert len(result.failed) == 1
    assert "no answer in 0.2 s after 2 tries [codes.pull_failed]" in str(result.failed[0])
    assert not (tmp_path / "c" / "codes").exists()


def test_malformed_json_and_wrong_shapes(server: tuple[str, Recorded], tmp_path: Path) -> None:
    url, recorded = server
    recorded.routes[path_of(SERVICE_TASK)] = lambda q, n: (200, b'{"conceptCodes": [\n{"x": }]}', 0)
    recorded.routes[path_of(SOCIAL_SERVICES)] = lambda q, n: (200, b'{"items": []}', 0)
    result = ops.pull_lists(tmp_path / "c", [SERVICE_TASK, SOCIAL_SERVICES], url, settings=FAST)
    texts = [str(p) for p in result.failed]
    assert "line 2 column 7: not valid JSON" in texts[0] and texts[0].endswith("[json.syntax]")
    assert "not a csapi v6 page: no 'conceptCodes' array [codes.not_page]" in texts[1]
    assert recorded.count[path_of(SERVICE_TASK)] == 1  # a malformed answer is not tried again
    assert not (tmp_path / "c" / "codes").exists()


def test_fewer_codes_than_announced(server: tuple[str, Recorded], tmp_path: Path) -> None:
    url, recorded = server
    page = pages(dated_list(), size=10)[0]
    page["totalItems"] = 9
    recorded.routes[path_of(SERVICE_TASK)] = lambda q, n: (200, json.dumps(page).encode(), 0)
    result = ops.pull_lists(tmp_path / "c", [SERVICE_TASK], url, settings=FAST)
    assert "9 codes announced (totalItems), fewer received [codes.count_mismatch]" in str(result.failed[0])


def test_for_catalog_pulls_every_list_the_structures_name(server: tuple[str, Recorded], tmp_path: Path) -> None:
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("no shared exports")
    url, _ = server
    catalog = tmp_path / "c"
    assert run("import", str(CORPUS / "1.2.246.537.6.1506.9001.2023.5.31.json"), "--catalog", str(catalog))[0] == 0
    wanted = ops.catalog_classifications(catalog)
    assert SERVICE_TASK in wanted and all(w[0].isdigit() for w in wanted)
    code, _, err = run("codes", "pull", "--for-catalog", "--server", url, "--tries", "1", "--catalog", str(catalog))
    assert code == 2 and len(err.strip().splitlines()) == len(wanted)  # nothing served: one error per list
    assert "the server answered 404" in err


def test_a_server_that_is_not_http_is_refused(tmp_path: Path) -> None:
    code, _, err = run("codes", "pull", SERVICE_TASK, "--server", "file:///etc", "--catalog", str(tmp_path))
    assert code == 2 and "the server must be an http or https URL [codes.bad_server]" in err
    code, _, err = run("codes", "pull", "--catalog", str(tmp_path))
    assert code == 2 and "name the lists to pull" in err
