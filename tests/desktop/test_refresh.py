"""desktop/refresh.py under faults: a time budget that dead servers cannot stretch, a Cancel that
ends requests in flight, a full disk that costs only the source being saved."""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from db.store import Store
from desktop import refresh as refresh_module
from desktop.refresh import refresh
from scrapers.http import HttpClient
from scrapers.model import Announcement, Source
from tests.scrapers.test_http import RawServer

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<link>https://example.org/</link><description>d</description>{items}</channel></rss>"""
ITEM = "<item><title>{slug} item {n}</title><link>https://example.org/{slug}/{n}</link></item>"


def feed(slug: str, count: int, body: str = "") -> str:
    items = "".join(
        ITEM.format(slug=slug, n=n).replace("</item>", f"<description>{body}</description></item>")
        for n in range(count)
    )
    return RSS.format(items=items)


def source(source_id: str, url: str) -> Source:
    return Source(id=source_id, name=source_id.title(), kind="feed", url=url, jurisdiction="EU")


RELEASE = threading.Event()


def _hang(conn: socket.socket, head: bytes) -> None:
    if head.startswith(b"GET /robots.txt"):
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        return
    RELEASE.wait(30)


def _silent_after_headers(conn: socket.socket, head: bytes) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5000\r\n\r\n<rss>")
    RELEASE.wait(30)


@pytest.fixture
def dead_servers() -> Iterator[Callable[[Callable[[socket.socket, bytes], None]], RawServer]]:
    made: list[RawServer] = []
    RELEASE.clear()

    def start(handler: Callable[[socket.socket, bytes], None]) -> RawServer:
        made.append(RawServer(handler))
        return made[-1]

    yield start
    RELEASE.set()
    for server in made:
        server.close()


def default_client() -> HttpClient:
    """The real limits (30 s read timeout, three retries with backoff), no delay between requests."""
    return HttpClient(per_host_delay=0)


def test_dead_servers_cost_one_budget_and_the_rest_is_saved(
    dead_servers: Callable[..., RawServer], httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/good.xml").respond_with_data(
        feed("good", 3), content_type="application/rss+xml"
    )
    hang, silent = dead_servers(_hang), dead_servers(_silent_after_headers)
    sources = [
        source("hangs", hang.url("/feed.xml")),
        source("silent", silent.url("/feed.xml")),
        source("good", httpserver.url_for("/good.xml")),
    ]
    db = tmp_path / "tracker.sqlite3"
    client = default_client()
    started = time.monotonic()
    summary = refresh(db, sources, client=client, budget=1.5)
    elapsed = time.monotonic() - started
    client.close()
    assert elapsed < 1.5 + 1.0, elapsed  # not 4 × 30 s of read timeouts
    outcomes = {o.source_id: o for o in summary.outcomes}
    assert outcomes["good"].new == 3
    for dead in ("hangs", "silent"):
        assert (
            outcomes[dead].error == "the refresh reached its time limit (1.5 s) before this source finished"
        )
    with Store.open(db) as store:
        rows = {r["id"]: r for r in store.source_rows()}
        assert rows["good"]["record_count"] == 3 and rows["hangs"]["last_error"]
    assert client._stop is None  # the budget is lifted from a client the caller owns


def test_cancel_ends_the_requests_in_flight(dead_servers: Callable[..., RawServer], tmp_path: Path) -> None:
    hang = dead_servers(_hang)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    summary = refresh(
        tmp_path / "tracker.sqlite3",
        [source("hangs", hang.url("/feed.xml"))],
        client=default_client(),
        cancel=cancel,
    )
    assert time.monotonic() - started < 1.5
    assert summary.cancelled
    assert [(o.cancelled, o.error) for o in summary.outcomes] == [(True, None)]
    assert summary.failed == []  # the user's Cancel is not the site's failure
    with Store.open(tmp_path / "tracker.sqlite3") as store:
        (row,) = store.source_rows()
    assert row["last_error"] is None


def test_a_full_disk_costs_only_the_batch_being_saved(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/small.xml").respond_with_data(
        feed("small", 2), content_type="application/rss+xml"
    )
    httpserver.expect_request("/huge.xml").respond_with_data(
        feed("huge", 300, body="many words " * 400), content_type="application/rss+xml"
    )
    db = tmp_path / "tracker.sqlite3"
    with Store.open(db) as store:
        store.save_announcements("earlier", [Announcement(url="https://example.org/kept", title="Kept")])
        store.set_note(1, "precious")
    real_open = Store.open

    def nearly_full(path: Path, readonly: bool = False) -> Store:
        store = real_open(path, readonly)
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 40}")  # room for a little, not a lot
        return store

    monkeypatch.setattr(refresh_module.Store, "open", nearly_full)
    sources = [
        source("small", httpserver.url_for("/small.xml")),
        source("huge", httpserver.url_for("/huge.xml")),
    ]
    summary = refresh(db, sources, client=HttpClient(per_host_delay=0, respect_robots=False), workers=1)
    monkeypatch.undo()
    outcomes = {o.source_id: o for o in summary.outcomes}
    assert outcomes["small"].new == 2
    assert outcomes["huge"].error is not None and "disk is full" in outcomes["huge"].error
    assert outcomes["huge"].line().startswith("huge: FAILED: could not save: The disk is full")
    with Store.open(db) as store:
        assert store.check_integrity() == []
        assert store.record(1)["note"] == "precious"  # type: ignore[index]
        per_source = dict(
            store.db.conn.execute(
                "SELECT source_id, count(*) FROM record_sources GROUP BY source_id"
            ).fetchall()
        )
        assert per_source == {"earlier": 1, "small": 2}  # no half of the huge batch
        failed = {r["id"]: r for r in store.source_rows()}["huge"]
        assert "disk is full" in failed["last_error"]


def _fetch_process(timeout: float = 10.0) -> multiprocessing.process.BaseProcess:
    """The refresh's worker process, once it has started."""
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        children = multiprocessing.active_children()
        if children:
            return children[0]
        time.sleep(0.01)
    raise AssertionError("no fetch process started")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs SIGSTOP")
def test_a_fetch_process_that_answers_nothing_is_killed_at_the_time_limit(
    dead_servers: Callable[..., RawServer], tmp_path: Path
) -> None:
    """Whatever the worker does (here: frozen by SIGSTOP, as a parser busy for hours would be,
    its own deadlines never run), the refresh ends at the budget plus the grace and kills it."""
    hang = dead_servers(_hang)
    result: list[object] = []
    runner = threading.Thread(
        target=lambda: result.append(
            refresh(tmp_path / "tracker.sqlite3", [source("stuck", hang.url("/feed.xml"))], budget=1.0)
        )
    )
    started = time.monotonic()
    runner.start()
    child = _fetch_process()
    pid = child.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    runner.join(15)
    assert not runner.is_alive()
    assert time.monotonic() - started < 1.0 + refresh_module.OVERRUN_GRACE_S + 2.0
    [summary] = result
    assert isinstance(summary, refresh_module.RefreshSummary)
    [outcome] = summary.outcomes
    assert outcome.error == "the refresh reached its time limit (1 s) before this source finished"
    assert _gone(pid) and multiprocessing.active_children() == []
    with Store.open(tmp_path / "tracker.sqlite3") as store:
        (row,) = store.source_rows()
    assert row["last_error"] == outcome.error


def test_cancel_kills_the_fetch_process_at_once(
    dead_servers: Callable[..., RawServer], tmp_path: Path
) -> None:
    hang = dead_servers(_hang)
    cancel = threading.Event()
    result: list[refresh_module.RefreshSummary] = []
    runner = threading.Thread(
        target=lambda: result.append(
            refresh(tmp_path / "tracker.sqlite3", [source("hangs", hang.url("/feed.xml"))], cancel=cancel)
        )
    )
    runner.start()
    child = _fetch_process()
    pid = child.pid
    assert pid is not None
    time.sleep(0.2)
    assert child.is_alive()
    pressed = time.monotonic()
    cancel.set()
    runner.join(10)
    assert not runner.is_alive() and time.monotonic() - pressed < 2.0
    assert [o.cancelled for o in result[0].outcomes] == [True]
    assert _gone(pid) and multiprocessing.active_children() == []
