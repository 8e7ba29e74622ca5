"""Refresh from the window against a local HTTP server: new rows, kept selection, cancel, errors."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from desktop import health
from desktop.sources_writer import write_sources
from desktop.ui.tracker_columns import COL_TITLE
from scrapers.model import Source
from tests.desktop.conftest import landed

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{name}</title><link>https://example.org/</link>
<description>d</description>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>https://example.org/{slug}/{n}</link>
<description>About {title}</description><pubDate>{date}</pubDate>
<guid>https://example.org/{slug}/{n}</guid></item>"""


def feed(slug: str, count: int) -> str:
    """A feed of `count` items published now: newer than every record already stored."""
    now = format_datetime(datetime.now(UTC), usegmt=True)
    items = "\n".join(
        ITEM.format(title=f"{slug} announcement {n}", slug=slug, n=n, date=now) for n in range(count)
    )
    return RSS.format(name=slug, items=items)


@pytest.fixture
def web(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    return httpserver


def sources_file(tmp_path: Path, server: HTTPServer, paths: dict[str, str]) -> Path:
    path = tmp_path / "sources.toml"
    write_sources(
        path,
        [
            Source(
                id=sid,
                name=f"Feed {sid}",
                kind="feed",
                url=server.url_for(p),
                jurisdiction="EU",
                category="press",
            )
            for sid, p in paths.items()
        ],
    )
    return path


def requested(server: HTTPServer, path: str) -> bool:
    return any(request.path == path for request, _response in server.log)


def test_refresh_adds_rows_and_keeps_the_selection(qtbot, web, tmp_path, make_window, small_db) -> None:
    web.expect_request("/a.xml").respond_with_data(feed("alpha", 3), content_type="application/rss+xml")
    web.expect_request("/b.xml").respond_with_data(feed("beta", 2), content_type="application/rss+xml")
    path = sources_file(tmp_path, web, {"alpha": "/a.xml", "beta": "/b.xml"})
    window, controller = make_window(small_db, sources_path=path)
    before = controller.model.rowCount()
    controller.place.select_row(7)
    chosen = controller.place.current_record_id()
    title = controller.model.data(controller.model.index(7, COL_TITLE))
    on_screen = window.table.rowViewportPosition(7)

    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000) as finished:
        assert controller.refreshing.start_refresh()
        assert window.progress.isVisible() and window.cancel_button.isVisible()
        assert not window.actions["refresh"].isEnabled()
    summary = finished.args[0]
    assert summary.text() == "5 new, 0 changed"
    landed(qtbot, controller)
    assert controller.model.rowCount() == before + 5
    assert controller.place.current_record_id() == chosen  # same record, though 5 rows came in above
    row = window.table.currentIndex().row()
    assert row == 7 + 5  # the new records came in above it
    assert window.table.rowViewportPosition(row) == on_screen  # and it did not move on screen
    assert controller.model.data(controller.model.index(row, COL_TITLE)) == title
    assert window.detail.record_id == chosen
    assert window.table.selectionModel().isRowSelected(row)
    assert not window.progress.isVisible()
    assert "5 new, 0 changed" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.sidebar.source_state("alpha") is not None)
    qtbot.waitUntil(lambda: window.sidebar.source_state("alpha")[0] == health.OK)
    assert window.last_refresh_label.text().startswith("Last refresh: today")


def test_window_stays_usable_during_a_refresh(qtbot, web, tmp_path, make_window, small_db) -> None:
    started = threading.Event()
    release = threading.Event()

    def slow(_request: Request) -> Response:
        started.set()
        release.wait(20)
        return Response(feed("slow", 2), content_type="application/rss+xml")

    web.expect_request("/slow.xml").respond_with_handler(slow)
    path = sources_file(tmp_path, web, {"slow": "/slow.xml"})
    _window, controller = make_window(small_db, sources_path=path)
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000):
        controller.refreshing.start_refresh()
        qtbot.waitUntil(started.is_set)
        controller.place.select_row(3)  # reading, starring and searching go on meanwhile
        controller.triage.toggle_star()
        assert controller.store.record(controller.place.current_record_id())["starred"] is not None
        release.set()
    assert controller.model.rowCount() > 0


def test_cancel_stops_the_refresh(qtbot, web, tmp_path, make_window, small_db) -> None:
    started = threading.Event()
    release = threading.Event()

    def first(_request: Request) -> Response:
        started.set()
        release.wait(20)
        return Response(feed("first", 1), content_type="application/rss+xml")

    web.expect_request("/first.xml").respond_with_handler(first)
    web.expect_request("/second.xml").respond_with_data(feed("second", 4), content_type="application/rss+xml")
    web.expect_request("/third.xml").respond_with_data(feed("third", 4), content_type="application/rss+xml")
    path = sources_file(
        tmp_path, web, {"first": "/first.xml", "second": "/second.xml", "third": "/third.xml"}
    )
    window, controller = make_window(small_db, sources_path=path, refresh_workers=1)
    before = controller.model.rowCount()
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000) as finished:
        controller.refreshing.start_refresh()
        qtbot.waitUntil(started.is_set)
        window.cancel_button.click()
        release.set()
    summary = finished.args[0]
    assert summary.cancelled
    assert "cancelled" in summary.text()
    assert not requested(web, "/second.xml") and not requested(web, "/third.xml")
    assert controller.model.rowCount() <= before + 1
    assert window.actions["refresh"].isEnabled()


def test_a_failing_source_shows_its_error(qtbot, web, tmp_path, make_window, small_db) -> None:
    web.expect_request("/ok.xml").respond_with_data(feed("ok", 2), content_type="application/rss+xml")
    web.expect_request("/gone.xml").respond_with_data("gone", status=404)
    path = sources_file(tmp_path, web, {"good": "/ok.xml", "broken": "/gone.xml"})
    window, controller = make_window(small_db, sources_path=path)
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000) as finished:
        controller.refreshing.start_refresh()
    summary = finished.args[0]
    assert summary.text() == "2 new, 0 changed, 1 source failed"
    assert [o.source_id for o in summary.failed] == ["broken"]
    state, tooltip = window.sidebar.source_state("broken")
    assert state == health.FAILING and "404" in tooltip
    assert "Feed broken" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: "failing" in window.last_refresh_label.text())  # re-read from the store
    state, tooltip = window.sidebar.source_state("broken")
    assert state == health.FAILING and "404" in tooltip
    assert window.sidebar.source_state("good")[0] == health.OK


def test_first_refresh_replaces_the_empty_state(qtbot, web, tmp_path, make_window, empty_db) -> None:
    web.expect_request("/a.xml").respond_with_data(feed("alpha", 3), content_type="application/rss+xml")
    path = sources_file(tmp_path, web, {"alpha": "/a.xml"})
    window, controller = make_window(empty_db, sources_path=path)
    assert window.centre_stack.currentWidget() is window.empty_state
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000):
        window.empty_state.refresh_button.click()
    landed(qtbot, controller)
    assert window.centre_stack.currentWidget() is window.table
    assert controller.model.rowCount() == 3


def test_an_unreadable_sources_file_is_reported_not_raised(
    qtbot, monkeypatch, tmp_path, make_window, small_db
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[source]\n", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(
        "desktop.ui.controllers.refreshing.warn", lambda _parent, _title, text, *_: shown.append(text)
    )
    window, controller = make_window(small_db, sources_path=bad)
    assert controller.refreshing.start_refresh() is False
    assert shown and "bad.toml" in shown[0]
    assert window.actions["refresh"].isEnabled()


def test_progress_names_the_sources_and_the_one_it_waits_for(
    qtbot, web, tmp_path, make_window, small_db
) -> None:
    release = threading.Event()

    def slow(_request: Request) -> Response:
        release.wait(20)
        return Response(feed("slow", 2), content_type="application/rss+xml")

    web.expect_request("/fast.xml").respond_with_data(feed("fast", 3), content_type="application/rss+xml")
    web.expect_request("/slow.xml").respond_with_handler(slow)
    path = sources_file(tmp_path, web, {"fast": "/fast.xml", "slow": "/slow.xml"})
    _window, controller = make_window(small_db, sources_path=path)
    said: list[str] = []
    controller.refreshing.status.connect(said.append)
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000):
        controller.refreshing.start_refresh()
        qtbot.waitUntil(lambda: any(text.startswith("Feed fast:") for text in said), timeout=20_000)
        release.set()
    assert said[0] == "Refreshing 2 sources: waiting for Feed fast… (0 of 2)"
    assert "Feed fast: 3 new. Waiting for Feed slow… (1 of 2)" in said
    assert "Feed slow: 2 new (2 of 2)" in said
    assert not any(text.startswith(("fast:", "slow:")) for text in said)  # never the bare id
    assert said[-1] == "Refresh done: 5 new, 0 changed."


def test_offline_is_said_once_instead_of_a_failure_per_source(qtbot, tmp_path, make_window, small_db) -> None:
    ports = []
    for _ in range(3):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
    path = tmp_path / "sources.toml"
    write_sources(
        path,
        [
            Source(id=f"s{n}", name=f"Source {n}", kind="feed", url=f"http://127.0.0.1:{port}/f.xml")
            for n, port in enumerate(ports)
        ],
    )
    window, controller = make_window(small_db, sources_path=path)
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000) as finished:
        controller.refreshing.start_refresh()
    assert finished.args[0].offline
    message = window.statusBar().currentMessage()
    assert message.startswith("You seem to be offline: could not reach any of the 3 sources")
    assert "Failing:" not in message
    qtbot.waitUntil(lambda: window.sidebar.source_state("s0") is not None)
    assert window.sidebar.source_state("s0")[0] == health.FAILING  # each source still shows it


def test_one_failing_source_is_not_offline(qtbot, web, tmp_path, make_window, small_db) -> None:
    web.expect_request("/ok.xml").respond_with_data(feed("ok", 1), content_type="application/rss+xml")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = tmp_path / "sources.toml"
    write_sources(
        path,
        [
            Source(id="ok", name="Fine feed", kind="feed", url=web.url_for("/ok.xml")),
            Source(id="dead", name="Dead feed", kind="feed", url=f"http://127.0.0.1:{port}/f.xml"),
        ],
    )
    window, controller = make_window(small_db, sources_path=path)
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000):
        controller.refreshing.start_refresh()
    message = window.statusBar().currentMessage()
    assert "offline" not in message
    assert message == "Refresh done: 1 new, 0 changed, 1 source failed. Failing: Dead feed (see Sources)."
