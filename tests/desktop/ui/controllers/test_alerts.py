"""After a refresh against local servers: the alert for a watchlist's new match or a followed
call's moved deadline is raised (the notification call observed), clicking it opens what it
is about, and the "What changed" window lists exactly what moved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from db.store import Query, Store, Watchlist
from desktop.paths import resource_path
from desktop.sources_file import load_sources
from desktop.sources_writer import write_sources
from desktop.ui.change_alerts import WHAT_CHANGED
from desktop.ui.notifier import STATUS, TRAY
from desktop.ui.views.sidebar import WATCHLIST
from scrapers.kinds import get_kind
from tests.default_web import DETAILS, FIXTURES
from tests.desktop.feeds import serve_feed, sources_file
from tests.fakeweb import FakeWeb

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "This plugin does not support")

EU_PAGE = FIXTURES / "eu_funding/constructed/search-page-constructed.json"
CALL = "Generative AI for public administrations"
DEADLINE = "2026-09-17T17:00:00.000+0200"
MOVED = "2026-10-15T17:00:00.000+0200"


@pytest.fixture
def web(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    return httpserver


@pytest.fixture
def fake_web() -> Iterator[FakeWeb]:
    web = FakeWeb()
    try:
        yield web
    finally:
        web.stop()


def add_watchlist(db: Path, watchlist: Watchlist) -> int:
    store = Store.open(db)
    try:
        saved = store.save_watchlist(watchlist)
        assert saved.id is not None
        return saved.id
    finally:
        store.close()


def noon() -> datetime:
    return datetime(2026, 12, 2, 12, 0)  # outside the default quiet hours (22:00 to 7:00)


def test_a_refresh_that_adds_a_match_raises_the_alert_and_clicking_opens_the_watchlist(
    qtbot, web, tmp_path: Path, make_window, small_db
) -> None:
    loud = add_watchlist(small_db, Watchlist(id=None, name="Teleportation", words="teleportation"))
    add_watchlist(small_db, Watchlist(id=None, name="Muted", words="teleportation", notify=False))
    serve_feed(web, "/a.xml", "alpha", ["Quantum teleportation call opens", "Unrelated news"])
    window, controller = make_window(small_db, sources_path=sources_file(tmp_path, web, {"alpha": "/a.xml"}))
    alerts = controller.alerts
    alerts.notifier._clock = noon

    with qtbot.waitSignal(alerts.notifier.shown, timeout=30_000) as shown:
        assert controller.refreshing.start_refresh()
    alert, how = shown.args
    assert alert.text == "1 new in Teleportation"  # the muted watchlist is not in the alert
    assert alert.target == (WATCHLIST, str(loud))
    assert how == (TRAY if alerts.tray.icon is not None else STATUS)
    assert alerts.notifier.link.isVisible()
    assert alerts.notifier.link.accessibleName() == "Show: 1 new in Teleportation"
    assert window.status_bar.currentMessage().startswith("Refresh done")  # the summary stays

    with qtbot.waitSignal(controller.query_applied, timeout=10_000):
        alerts.notifier.link.click()
    assert window.sidebar.current_choice() == (WATCHLIST, str(loud))
    assert [controller.model.row(r)["title"] for r in range(controller.model.rowCount())] == [
        "Quantum teleportation call opens"
    ]

    dialog = alerts.show_changes()  # the muted one is listed here, not popped up
    assert dialog is not None
    sections = {section for section, _title, _what in dialog.lines()}
    assert {"New in Teleportation (1)", "New in Muted (1)"} <= sections


def test_nothing_asked_for_means_no_alert(qtbot, web, tmp_path: Path, make_window, small_db) -> None:
    serve_feed(web, "/a.xml", "alpha", ["Unrelated news"])
    _window, controller = make_window(small_db, sources_path=sources_file(tmp_path, web, {"alpha": "/a.xml"}))
    alerts = controller.alerts
    raised: list[object] = []
    alerts.notifier.shown.connect(lambda alert, _how: raised.append(alert))
    with qtbot.waitSignal(alerts.changes_read, timeout=30_000):
        assert controller.refreshing.start_refresh()
    assert raised == [] and not alerts.notifier.link.isVisible()


def _serve_eu(fake_web: FakeWeb, sources_path: Path, payload: str) -> None:
    source = load_sources(sources_path)[0]
    fake_web.serve(source.url, payload.encode("utf-8"), "application/json", method="POST")
    details = fake_web.rewrite(DETAILS["eu_funding"][0].read_text("utf-8"))
    for item in get_kind("eu_funding").parse(payload.encode("utf-8"), source, base_url=source.url):
        if item.detail_url:
            fake_web.serve(item.detail_url, details, "application/json")


def test_a_followed_calls_moved_deadline_is_alerted_and_listed_old_to_new(
    qtbot, fake_web: FakeWeb, tmp_path: Path, make_window, empty_db
) -> None:
    eu = next(s for s in load_sources(resource_path("sources.toml")) if s.kind == "eu_funding")
    fake_web.local(eu.url)
    sources_path = tmp_path / "sources.toml"
    write_sources(sources_path, [eu])
    sources_path.write_text(fake_web.rewrite(sources_path.read_text("utf-8")), encoding="utf-8")
    page = fake_web.rewrite(EU_PAGE.read_text("utf-8"))
    assert DEADLINE in page
    _serve_eu(fake_web, sources_path, page)
    window, controller = make_window(empty_db, sources_path=sources_path)
    alerts = controller.alerts
    alerts.notifier._clock = noon
    with qtbot.waitSignal(alerts.changes_read, timeout=60_000):
        assert controller.refreshing.start_refresh()
    call = next(r for r in controller.store.page(Query(), 0, 500) if r["title"].startswith(CALL))
    controller.store.set_followed([call["id"]], True)

    _serve_eu(fake_web, sources_path, page.replace(DEADLINE, MOVED))
    with qtbot.waitSignal(alerts.notifier.shown, timeout=60_000) as shown:
        assert controller.refreshing.start_refresh()
    alert, _how = shown.args
    assert alert.text == "1 deadline moved" and alert.target == WHAT_CHANGED

    alerts.notifier.link.click()  # opens the What changed window
    dialog = alerts.changes_dialog
    assert dialog is not None and dialog.isVisible()
    moved = [
        (title, what) for section, title, what in dialog.lines() if section.startswith("Deadlines moved")
    ]
    assert len(moved) == 1
    title, what = moved[0]
    assert title == CALL
    assert what == "deadline 17 Sep → 15 Oct 2026 · ★ you follow it"
    assert "1 deadline moved" in dialog.heading.text()

    with qtbot.waitSignal(controller.record_shown, timeout=10_000) as record:
        dialog.tree.itemActivated.emit(dialog.tree.topLevelItem(0).child(0), 0)
    assert record.args == [call["id"]]
    assert window.detail.record_id == call["id"]


def test_the_schedule_counts_from_the_last_refresh_the_store_recorded(make_window, tmp_path: Path) -> None:
    db = tmp_path / "data" / "refreshed.sqlite3"
    db.parent.mkdir()
    store = Store.open(db)
    try:
        store.clock = lambda: datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        store.record_failure("eu-funding", "HTTP 503")  # an attempt is a refresh, failed or not
    finally:
        store.close()
    _window, controller = make_window(db)
    assert controller.alerts.schedule.last_refresh == datetime(2026, 12, 1, 8, 0, tzinfo=UTC).timestamp()
