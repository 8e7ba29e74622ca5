"""The window's refresh runs its fetching and parsing in a worker process: Cancel kills it at
once, closing the window leaves no process behind, and a sources file the app cannot read
leaves the window open and saying why (real window, real servers on 127.0.0.1)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.refresh import fetch_one
from desktop.sources_writer import write_sources
from scrapers.http import HttpClient
from scrapers.model import Source
from tests.scrapers.test_http import RawServer

ROOT = Path(__file__).resolve().parents[2]
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
        assert controller.refreshing.start_refresh()
        pid = _worker().pid
        assert pid is not None
        window.cancel_button.click()
    assert finished.args[0].cancelled
    assert _gone(pid) and multiprocessing.active_children() == []
    assert window.actions["refresh"].isEnabled()


def test_closing_the_window_mid_refresh_leaves_no_process(
    qtbot, make_window: Callable[..., tuple], small_db: Path, hanging_sources: Path
) -> None:
    window, controller = make_window(small_db, sources_path=hanging_sources)
    assert controller.refreshing.start_refresh()
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


def _trickle(conn: socket.socket, head: bytes) -> None:
    """A feed that never finishes: a byte every 0.1 s, the way a choked site keeps a read alive."""
    if head.startswith(b"GET /robots.txt"):
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        return
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1000000\r\n\r\n")
    while not RELEASE.is_set():
        conn.sendall(b" ")
        RELEASE.wait(0.1)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with open(task / "children") as handle:
            found += [int(p) for p in handle.read().split()]
    return found


def _ended(pid: int) -> bool:
    """No such process, or a zombie nobody reaps yet (it runs nothing any more)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the worker through /proc")
def test_the_worker_ends_itself_when_the_fetch_command_is_killed(tmp_path: Path) -> None:
    """kill -9 of `policy-tracker fetch` runs none of its clean-up: the worker must notice."""
    RELEASE.clear()
    server = RawServer(_trickle)
    sources = tmp_path / "sources.toml"
    write_sources(sources, [Source(id="slow", name="Slow", kind="feed", url=server.url("/feed.xml"))])
    env: dict[str, Any] = {
        "POLICY_TRACKER_HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "desktop.cli", "--db", str(tmp_path / "s.sqlite3"), "fetch"]
    cli = subprocess.Popen([*command, "--sources", str(sources)], env=env, cwd=ROOT)
    worker = None
    try:
        until = time.monotonic() + 20
        while worker is None and time.monotonic() < until:
            if any(b"/feed.xml" in request for _, request in server.requests):
                spawned = [
                    p for p in _children(cli.pid) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()
                ]
                worker = spawned[0] if spawned else None
            time.sleep(0.05)
        assert worker is not None, "the fetch started no worker, or it never asked for the feed"
        os.kill(cli.pid, signal.SIGKILL)
        cli.wait(5)
        until = time.monotonic() + 5
        while not _ended(worker) and time.monotonic() < until:
            time.sleep(0.05)
        assert _ended(worker), "the worker went on fetching after its parent was killed"
    finally:
        if cli.poll() is None:
            cli.kill()
        if worker is not None and not _ended(worker):
            os.kill(worker, signal.SIGKILL)
        RELEASE.set()
        server.close()
