"""Network faults through the real `policy-tracker fetch` (tests/trust/README.md, "The network").

tests/scrapers/test_http.py shows each fault against the client alone; here they all happen in
one fetch, each on its own host as on the web: every faulty source fails alone with a plain
reason, the healthy ones (and the one whose charset lies) are saved, and the whole fetch ends
within its time limit although one server accepts connections and never answers.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from db.store import Store
from tests.fakeweb import FakeWeb
from tests.scrapers.test_http import RawServer
from tests.trust.conftest import ROOT, cli

FIXTURES = ROOT / "tests" / "fixtures"
GREEK_POLISH = "Ψηφιακή Ευρώπη: łączność w Łodzi – «nowe» środki"
MISLABELLED_FEED = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Mislabelled</title><link>https://example.org/</link>
<description>UTF-8 bytes under a Latin-1 label</description>
<item><title>{GREEK_POLISH}</title><link>https://example.org/greek-polish</link>
<pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate></item>
</channel></rss>"""
TIME_LIMIT_S = 3.0
MOJIBAKE = ("Ã", "â€", "Î", "Å")

Handler = Callable[[socket.socket, bytes], None]


def _answer(conn: socket.socket, status: str, headers: str = "", body: bytes = b"") -> None:
    head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n{headers}\r\n"
    conn.sendall(head.encode("latin-1") + body)


def _with_robots(handler: Handler) -> Handler:
    """Every fault server has no robots.txt (404: everything allowed), then misbehaves."""

    def handle(conn: socket.socket, head: bytes) -> None:
        if head.startswith(b"GET /robots.txt"):
            _answer(conn, "404 Not Found")
        else:
            handler(conn, head)

    return handle


def _reset(conn: socket.socket, head: bytes) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST


def _endless(conn: socket.socket, head: bytes) -> None:
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"<item>" + b"x" * 65530
    frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    for _ in range(2000):  # 128 MB at most: far past the 20 MB cap
        conn.sendall(frame)


RELEASE = threading.Event()  # lets the hanging server go when the test ends


def _hang(conn: socket.socket, head: bytes) -> None:
    RELEASE.wait(30)


FAULTS: dict[str, tuple[str, Handler | None, str]] = {
    # source id: (kind, what its server does, what the line must say)
    "reset": ("feed", _reset, "connection reset"),
    "refused": ("feed", None, "connection refused"),
    "html-for-feed": (
        "feed",
        lambda c, h: _answer(
            c, "200 OK", "Content-Type: text/html\r\n", b"<html><body>Maintenance</body></html>"
        ),
        "not a feed (got an HTML page)",
    ),
    "empty-for-json": (
        "govuk_search",
        lambda c, h: _answer(c, "200 OK", "Content-Type: application/json\r\n"),
        "empty answer",
    ),
    "html-for-json": (
        "presscorner",
        lambda c, h: _answer(
            c, "200 OK", "Content-Type: text/html\r\n", b"<!DOCTYPE html><html>Sorry</html>"
        ),
        "web page where JSON was expected",
    ),
    "over-the-cap": ("feed", _endless, "larger than the 20 MB limit"),
    "answers-503": ("feed", lambda c, h: _answer(c, "503 Service Unavailable"), "answered 503"),
    "answers-429": (
        "feed",
        lambda c, h: _answer(c, "429 Too Many Requests", "Retry-After: 1\r\n"),
        "answered 429",
    ),
    "redirect-loop": (
        "feed",
        lambda c, h: _answer(c, "302 Found", "Location: /feed.xml?again\r\n"),
        "redirects in a loop",
    ),
    "gone": ("feed", lambda c, h: _answer(c, "404 Not Found"), "answered 404"),
    "dead": ("feed", _hang, f"time limit ({TIME_LIMIT_S:g} s)"),
}
TECHNICAL = ("Traceback", "HTTPConnectionPool", "urllib3", "Max retries", "Errno", "object at 0x")


@pytest.fixture
def servers() -> Iterator[list[RawServer]]:
    made: list[RawServer] = []
    RELEASE.clear()
    yield made
    RELEASE.set()
    for server in made:
        server.close()


def _entry(source_id: str, kind: str, url: str) -> str:
    return f'[[source]]\nid = "{source_id}"\nname = "Source {source_id}"\nkind = "{kind}"\nurl = "{url}"\n\n'


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_each_fault_fails_its_own_source_in_plain_words(
    servers: list[RawServer], tmp_path: Path, figures: Counter[str]
) -> None:
    web = FakeWeb()
    try:
        text = ""
        for source_id, fixture in (
            ("good-a", "digital-strategy-rss.xml"),
            ("good-b", "europarl-press-releases.xml"),
        ):
            url = f"https://{source_id}.example/feed.xml"
            web.serve(url, (FIXTURES / "feed" / "constructed" / fixture).read_bytes(), "application/rss+xml")
            text += _entry(source_id, "feed", web.local(url))
        url = "https://mislabelled.example/feed.xml"
        web.serve(url, MISLABELLED_FEED.encode("utf-8"), "application/rss+xml; charset=ISO-8859-1")
        text += _entry("mislabelled", "feed", web.local(url))
        for source_id, (kind, behaviour, _reason) in FAULTS.items():
            if behaviour is None:
                address = f"http://127.0.0.1:{_closed_port()}/feed.xml"
            else:
                servers.append(RawServer(_with_robots(behaviour)))
                address = servers[-1].url("/feed.xml")
            text += _entry(source_id, kind, address)
        sources = tmp_path / "sources.toml"
        sources.write_text(text, encoding="utf-8")
        db = tmp_path / "tracker.sqlite3"

        started = time.monotonic()
        result = cli(
            "--db",
            db,
            "fetch",
            "--sources",
            sources,
            "--delay",
            "0",
            "--time-limit",
            str(TIME_LIMIT_S),
            home=tmp_path,
        )
        elapsed = time.monotonic() - started
        listing = cli("--db", db, "sources", "--sources", sources, home=tmp_path)
    finally:
        web.stop()

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = {line.split(":", 1)[0]: line for line in result.stdout.splitlines() if ":" in line}
    for source_id, (_kind, _behaviour, reason) in FAULTS.items():
        line = lines[source_id]
        assert line.startswith(f"{source_id}: FAILED: ") and reason in line, line
        assert not any(word in line for word in TECHNICAL), line
        assert f"{source_id} [" in listing.stdout and reason in listing.stdout
    for source_id in ("good-a", "good-b", "mislabelled"):
        assert "FAILED" not in lines[source_id] and " new" in lines[source_id], lines[source_id]
    assert f"{len(FAULTS)} sources failed" in result.stdout.splitlines()[-1]
    # Python start-up, then everything within the limit (the dead server included) and the saves.
    assert elapsed < TIME_LIMIT_S + 4, elapsed

    with Store.open(db) as store:
        conn = store.db.conn
        saved = dict(
            conn.execute("SELECT source_id, count(*) FROM record_sources GROUP BY source_id").fetchall()
        )
        assert set(saved) == {"good-a", "good-b", "mislabelled"} and min(saved.values()) >= 1
        titles = [r[0] for r in conn.execute("SELECT title FROM records")]
        assert GREEK_POLISH in titles
        assert not [t for t in titles if any(bad in t for bad in MOJIBAKE)]
        errors = dict(
            conn.execute("SELECT id, last_error FROM sources WHERE last_error IS NOT NULL").fetchall()
        )
        assert set(errors) == set(FAULTS)
        assert store.check_integrity() == []
    figures["network faults injected through fetch"] += len(FAULTS)
