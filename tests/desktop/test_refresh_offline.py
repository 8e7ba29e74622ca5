"""What a refresh says: "you seem to be offline" only when no server answered at all, and a
source whose records another source already brought says so instead of "0 new, 8 unchanged"."""

from __future__ import annotations

import socket
from pathlib import Path

from pytest_httpserver import HTTPServer

from db.store import Store
from desktop.refresh import refresh
from desktop.sources_writer import write_sources
from scrapers.http import HttpClient
from scrapers.model import Source
from tests.cli_run import run_cli
from tests.desktop.test_refresh import feed, source


def closed_port() -> int:
    """A port nobody listens on: connecting is refused, as with no network."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unreachable(source_id: str) -> Source:
    return source(source_id, f"http://127.0.0.1:{closed_port()}/feed.xml")


def run(tmp_path: Path, sources: list[Source]):  # type: ignore[no-untyped-def]
    client = HttpClient(per_host_delay=0, retries=0)
    try:
        return refresh(tmp_path / "t.sqlite3", sources, client=client, budget=30)
    finally:
        client.close()


def test_every_source_unreachable_is_offline(tmp_path: Path) -> None:
    summary = run(tmp_path, [unreachable("a"), unreachable("b"), unreachable("c")])
    assert len(summary.failed) == 3 and summary.offline
    assert all(o.unreachable for o in summary.outcomes)
    text = summary.offline_text()
    assert text.startswith("You seem to be offline") and "any of the 3 sources" in text
    with Store.open(tmp_path / "t.sqlite3") as store:  # each failure is still recorded
        assert all("connection refused" in (row["last_error"] or "") for row in store.source_rows())


def test_one_source_answering_is_not_offline(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/ok.xml").respond_with_data(feed("ok", 2), content_type="application/rss+xml")
    summary = run(tmp_path, [unreachable("a"), source("ok", httpserver.url_for("/ok.xml"))])
    assert len(summary.failed) == 1 and not summary.offline


def test_servers_that_answer_with_errors_are_not_offline(httpserver: HTTPServer, tmp_path: Path) -> None:
    """A 404 or a 500 is a server answering: the network is there, the sources are wrong."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/gone.xml").respond_with_data("gone", status=404)
    httpserver.expect_request("/broken.xml").respond_with_data("oops", status=500)
    summary = run(
        tmp_path,
        [
            source("gone", httpserver.url_for("/gone.xml")),
            source("broken", httpserver.url_for("/broken.xml")),
        ],
    )
    assert len(summary.failed) == 2 and not summary.offline
    assert not any(o.unreachable for o in summary.outcomes)


def test_a_first_fetch_of_records_another_source_brought(httpserver: HTTPServer, tmp_path: Path) -> None:
    """Two feeds of one site listing the same items: the second is not "0 new, 3 unchanged"."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/a.xml").respond_with_data(feed("x", 3), content_type="application/rss+xml")
    httpserver.expect_request("/b.xml").respond_with_data(feed("x", 3), content_type="application/rss+xml")
    a, b = source("a", httpserver.url_for("/a.xml")), source("b", httpserver.url_for("/b.xml"))
    first = run(tmp_path, [a])
    assert first.lines() == ["a: 3 new"]
    both = run(tmp_path, [a, b])
    lines = sorted(both.lines())
    assert lines[1] == "b: 0 new, 3 already brought by another source"
    assert lines[0] in ("a: unchanged (not modified since last fetch)", "a: 0 new, 3 unchanged")
    again = run(tmp_path, [b])
    assert again.lines() in (["b: 0 new, 3 unchanged"], ["b: unchanged (not modified since last fetch)"])


def test_fetch_says_offline_once_with_the_same_exit_code(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    write_sources(sources, [unreachable("a"), unreachable("b")])
    result = run_cli(
        "--db", tmp_path / "t.sqlite3", "fetch", "--sources", sources, "--delay", "0", home=tmp_path
    )
    assert result.returncode == 1, result.stderr
    out = result.stdout.splitlines()
    assert out[-2] == "0 new, 0 changed, 2 sources failed"
    assert out[-1].startswith("You seem to be offline") and "any of the 2 sources" in out[-1]
    assert result.stdout.count("You seem to be offline") == 1


def test_fetch_only_a_disabled_source_says_it_is_skipped(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    off = Source(id="off", name="Off", kind="feed", url="http://127.0.0.1:9/x.xml", enabled=False)
    write_sources(sources, [off, unreachable("a")])
    db = tmp_path / "t.sqlite3"
    result = run_cli("--db", db, "fetch", "--sources", sources, "--only", "off", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "off: disabled in the sources file: skipped" in result.stdout
    assert "You seem to be offline" not in result.stdout
