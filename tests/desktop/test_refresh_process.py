"""The window's refresh runs its fetching and parsing in a worker process: Cancel kills it at
once, closing the window leaves no process behind, and a sources file the app cannot read
leaves the window open and saying why (real window, real servers on 127.0.0.1)."""

from __future__ import annotations

import multiprocessing
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.refresh import fetch_one
from desktop.sources_writer import write_sources
from scrapers.http import HttpClient
from scrapers.model import Source
from tests.scrapers.test_http import RawServer

RELEASE = threading.Event()


def _hang(conn: socket.socket, head: bytes) -> None:
    if head.startswith(b"GET /robots.txt"):
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        return
    RELEASE.wait(30)


@pytest.fixture
def hanging_sources(tmp_path: Path) -> Iterator[Path]:
    RELEASE.clear()
    server = RawServer(_hang)
    path = tmp_path / "sources.toml"
    write_sources(path, [Source(id="hangs", name="Hangs", kind="feed", url=server.url("/feed.xml"))])
    yield path
    RELEASE.set()
    server.close()


def _worker(timeout: float = 10.0) -> multiprocessing.process.BaseProcess:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if children := multiprocessing.active_children():
            return children[0]
        time.sleep(0.02)
    raise AssertionError("the refresh started no worker process")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_cancel_in_the_window_kills_the_worker_process(
    qtbot, make_window: Callable[..., tuple], small_db: Path, hanging_sources: Path
) -> None:
    window, controller = make_window(small_db, sources_path=hanging_sources)
    with qtbot.waitSignal(controller.refresh_finished, timeout=10_000) as finished:
        assert controller.start_refresh()
        pid = _worker().pid
        assert pid is not None
        window.cancel_button.click()
    assert finished.args[0]["cancelled"]
    assert _gone(pid) and multiprocessing.active_children() == []
    assert window.actions["refresh"].isEnabled()


def test_closing_the_window_mid_refresh_leaves_no_process(
    qtbot, make_window: Callable[..., tuple], small_db: Path, hanging_sources: Path
) -> None:
    window, controller = make_window(small_db, sources_path=hanging_sources)
    assert controller.start_refresh()
    pid = _worker().pid
    assert pid is not None
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 5
    assert _gone(pid) and multiprocessing.active_children() == []


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[[source]]\nid = "x"\nname = "X"\nkind = "feed"\nurl = "http://[::1:8801/x"\n', "line 1"),
        ('[[source]]\nid = "x"\nvalues = ' + "[" * 100_000 + "]" * 100_000 + "\n", "line 3"),
    ],
    ids=["invalid-ipv6", "deep-array"],
)
def test_a_malformed_sources_file_leaves_the_window_open_and_saying_so(
    qtbot, make_window: Callable[..., tuple], small_db: Path, tmp_path: Path, text: str, said: str
) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    window, controller = make_window(small_db, sources_path=path)
    assert window.isVisible()
    message = window.status_bar.currentMessage()
    assert "The sources file cannot be used" in message and str(path) in message and said in message
    assert controller.model.rowCount() > 0  # the records are there as ever


def test_the_add_source_preview_fetches_in_a_worker_process_bounded_by_its_budget(tmp_path: Path) -> None:
    """The preview's fetch (desktop.refresh.fetch_one) ends at its budget whatever the server
    does, and leaves no process behind."""
    RELEASE.clear()
    server = RawServer(_hang)
    try:
        source = Source(id="preview", name="Preview", kind="feed", url=server.url("/feed.xml"))
        started = time.monotonic()
        fetched = fetch_one(source, HttpClient(per_host_delay=0), budget=1.0)
        elapsed = time.monotonic() - started
    finally:
        RELEASE.set()
        server.close()
    assert fetched.error is not None and "1 s" in fetched.error
    assert elapsed < 1.0 + 4.0
    assert multiprocessing.active_children() == []
