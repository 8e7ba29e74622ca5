"""Hostile sources against the real `policy-tracker fetch` and `sources` (child processes), with
real servers on 127.0.0.1: a lone surrogate in a JSON answer, a server that trickles its answer
past the time limit, a status line full of terminal escapes, a password in a source URL. Each
fails (or saves) that source only, with one readable line; the others are fetched and saved
(docs/TRUST.md, "One bad source never stops or hangs the others", "Messages, files and secrets").
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from db.store import Store
from tests.scrapers.test_http import RawServer
from tests.trust.conftest import ROOT, cli, cli_command, cli_env

RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    "<item><title>Healthy item</title><link>https://example.org/healthy</link></item></channel></rss>"
)
ESCAPES = "\x1b]0;pwned\x07\x1b[2J"


def write_sources(path: Path, *entries: tuple[str, str, str]) -> Path:
    text = "".join(
        f'[[source]]\nid = "{source_id}"\nname = "{source_id}"\nkind = "{kind}"\nurl = "{url}"\n\n'
        for source_id, kind, url in entries
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def healthy(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow:\n")
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, content_type="application/rss+xml")
    return httpserver.url_for("/feed.xml")


@pytest.fixture
def raw_servers() -> Iterator[list[RawServer]]:
    made: list[RawServer] = []
    yield made
    for server in made:
        server.close()


def test_a_lone_surrogate_in_json_is_saved_as_a_replacement_and_later_sources_still_are(
    httpserver: HTTPServer, healthy: str, tmp_path: Path
) -> None:
    search = (
        '{"results": [{"title": "Bad \\ud800 title", "link": "https://example.org/elsewhere"}], "total": 1}'
    )
    httpserver.expect_request("/api/search.json").respond_with_data(search, content_type="application/json")
    sources = write_sources(
        tmp_path / "sources.toml",
        ("surrogate", "govuk_search", httpserver.url_for("/api/search.json")),
        ("healthy", "feed", healthy),
    )
    db = tmp_path / "tracker.sqlite3"
    run = cli("--db", db, "fetch", "--sources", sources, "--delay", "0", home=tmp_path / "home")
    assert "Traceback" not in run.stdout + run.stderr
    assert run.returncode == 0, run.stdout + run.stderr
    assert "surrogate: 1 new" in run.stdout and "healthy: 1 new" in run.stdout
    with Store.open(db) as store:
        titles = {r[0] for r in store.db.conn.execute("SELECT title FROM records")}
    assert titles == {"Bad \ufffd title", "Healthy item"}


def _trickle(conn: socket.socket, head: bytes) -> None:
    if head.startswith(b"GET /robots.txt"):
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        return
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n<rss><channel>")
    for _ in range(600):  # a byte every 50 ms, for far longer than the time limit
        try:
            conn.sendall(b" ")
        except OSError:
            return
        time.sleep(0.05)


def _children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find the fetch process")
def test_fetch_time_limit_ends_a_trickling_source_promptly_and_leaves_no_process(
    healthy: str, raw_servers: list[RawServer], tmp_path: Path
) -> None:
    raw_servers.append(RawServer(_trickle))
    sources = write_sources(
        tmp_path / "sources.toml",
        ("trickle", "feed", raw_servers[0].url("/feed.xml")),
        ("healthy", "feed", healthy),
    )
    db = tmp_path / "tracker.sqlite3"
    started = time.monotonic()
    child = subprocess.Popen(
        cli_command("--db", db, "fetch", "--sources", sources, "--delay", "0", "--time-limit", "3"),
        cwd=ROOT,
        env=cli_env(tmp_path / "home"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: set[int] = set()
    while child.poll() is None and time.monotonic() - started < 30:
        workers |= _children_of(child.pid)
        time.sleep(0.05)
    out, err = child.communicate(timeout=30)
    elapsed = time.monotonic() - started
    assert elapsed < 10, (elapsed, out, err)  # the limit, the grace, the start: not the trickle's 30 s
    assert "Traceback" not in out + err
    assert "trickle: FAILED: the refresh reached its time limit (3 s) before this source finished" in out
    assert "healthy: 1 new" in out
    assert child.returncode == 1
    assert workers, "the fetch ran in a worker process"
    deadline = time.monotonic() + 3  # multiprocessing's resource tracker ends just after its parent
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.05)
    left = {pid: _cmdline(pid) for pid in workers if Path(f"/proc/{pid}").exists()}
    assert not left


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "(gone)"


def _hostile_status(conn: socket.socket, head: bytes) -> None:
    status = f"HTTP/1.1 404 Not Found {ESCAPES}\r\nContent-Length: 0\r\n\r\n"
    conn.sendall(status.encode("latin-1"))


def test_escapes_in_a_status_line_and_passwords_in_urls_are_never_printed_or_stored(
    healthy: str, raw_servers: list[RawServer], tmp_path: Path
) -> None:
    raw_servers.append(RawServer(_hostile_status))
    port = raw_servers[0].port
    sources = write_sources(
        tmp_path / "sources.toml",
        ("hostile", "feed", f"http://127.0.0.1:{port}/feed.xml"),
        ("secret", "feed", f"http://alice:hunter2@127.0.0.1:{port}/other.xml"),
        ("healthy", "feed", healthy),
    )
    db = tmp_path / "tracker.sqlite3"
    home = tmp_path / "home"
    fetched = cli("--db", db, "fetch", "--sources", sources, "--delay", "0", home=home)
    listed = cli("--db", db, "sources", "--sources", sources, home=home)
    for run in (fetched, listed):
        printed = run.stdout + run.stderr
        assert "\x1b" not in printed and "\x07" not in printed
        assert "hunter2" not in printed
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in fetched.stdout  # shown, escaped
    assert "healthy: 1 new" in fetched.stdout
    with Store.open(db) as store:
        errors = {r["id"]: r["last_error"] for r in store.source_rows()}
    assert errors["hostile"] is not None and "\x1b" not in errors["hostile"] and "404" in errors["hostile"]
    assert errors["secret"] is not None and "hunter2" not in errors["secret"]
    assert errors["healthy"] is None


def test_the_cli_never_prints_an_old_raw_stored_error(healthy: str, tmp_path: Path) -> None:
    """An error stored raw by an earlier version is escaped when `sources` shows it."""
    sources = write_sources(tmp_path / "sources.toml", ("healthy", "feed", healthy))
    db = tmp_path / "tracker.sqlite3"
    with Store.open(db) as store:
        store.sync_sources(
            [{"id": "healthy", "name": "h", "kind": "feed", "url": healthy, "enabled": True, "config": {}}]
        )
        store.record_failure("healthy", f"http://bob:pw123@127.0.0.1/ answered 404 {ESCAPES}")
    listed = cli("--db", db, "sources", "--sources", sources, home=tmp_path / "home")
    assert "\x1b" not in listed.stdout and "pw123" not in listed.stdout
    assert "FAILING: http://***@127.0.0.1/ answered 404 \\x1b]0;pwned" in listed.stdout


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            '[[source]]\nid = "x"\nname = "X"\nkind = "feed"\nurl = "http://[::1:8801/x"\n',
            "line 1: source 'x' url is not a valid address (Invalid IPv6 URL)",
        ),
        (
            '[[source]]\nid = "x"\nvalues = ' + "[" * 100_000 + "]" * 100_000 + "\n",
            "line 3: values nested more than 100 deep",
        ),
    ],
    ids=["invalid-ipv6", "deep-array"],
)
def test_a_malformed_sources_file_is_one_line_with_file_and_line(
    tmp_path: Path, text: str, said: str
) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    for command in ("fetch", "sources"):
        run = cli("--db", tmp_path / "tracker.sqlite3", command, "--sources", path, home=tmp_path / "home")
        assert run.returncode == 2, run.stderr
        assert "Traceback" not in run.stderr and run.stdout == ""
        assert run.stderr.count("\n") == 1
        assert f"{path}, {said}" in run.stderr


def _hang(conn: socket.socket, head: bytes) -> None:
    if head.startswith(b"GET /robots.txt"):
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        return
    time.sleep(20)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find the fetch process")
def test_fetch_time_limit_holds_even_when_the_worker_answers_nothing(
    raw_servers: list[RawServer], tmp_path: Path
) -> None:
    """The worker frozen by SIGSTOP (as a parser busy for hours would be: its own deadlines never
    run): `fetch --time-limit 2` still ends at the limit plus the grace, killing it."""
    raw_servers.append(RawServer(_hang))
    sources = write_sources(tmp_path / "sources.toml", ("stuck", "feed", raw_servers[0].url("/feed.xml")))
    started = time.monotonic()
    child = subprocess.Popen(
        cli_command("--db", tmp_path / "t.sqlite3", "fetch", "--sources", sources, "--time-limit", "2"),
        cwd=ROOT,
        env=cli_env(tmp_path / "home"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stopped: set[int] = set()
    while child.poll() is None and time.monotonic() - started < 30:
        for pid in _children_of(child.pid) - stopped:
            if "spawn_main" in _cmdline(pid) and "resource_tracker" not in _cmdline(pid):
                os.kill(pid, signal.SIGSTOP)
                stopped.add(pid)
        time.sleep(0.02)
    out, err = child.communicate(timeout=30)
    assert stopped, "the fetch ran in a worker process"
    assert time.monotonic() - started < 10, (out, err)
    assert "stuck: FAILED: the refresh reached its time limit (2 s) before this source finished" in out
    assert "Traceback" not in out + err and child.returncode == 1
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in stopped):
        time.sleep(0.05)
    assert not [pid for pid in stopped if Path(f"/proc/{pid}").exists()]
