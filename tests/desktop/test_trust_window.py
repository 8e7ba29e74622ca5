"""The window under faults: closed mid-refresh, sharing its store with a cron fetch,
on a read-only store, on a damaged store with an automatic backup, the daily backup at start,
and a source flagged "the site may have changed"."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from db import connection
from db.backups import daily_backup, daily_backups, list_backups
from db.store import Query, Store
from desktop import health, site_change
from desktop.refresh import refresh
from desktop.sources_writer import write_sources
from desktop.ui import app as app_module
from desktop.ui import settings
from desktop.ui.note_saver import recovery_path
from scrapers.http import HttpClient
from scrapers.model import Announcement, Source
from tests.desktop.answer_box import answer_next_box
from tests.fakeweb import FakeWeb
from tests.scrapers.test_http import RawServer
from tests.small_disk import fill, mounted_small_disk
from tests.trust.conftest import ROOT, cli_command, cli_env, serve_default_sources, store_facts

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<link>https://example.org/</link><description>d</description>{items}</channel></rss>"""


def feed(slug: str, count: int) -> str:
    return RSS.format(
        items="".join(
            f"<item><title>{slug} item {n}</title><link>https://example.org/{slug}/{n}</link></item>"
            for n in range(count)
        )
    )


RELEASE = threading.Event()


def _hang(conn: socket.socket, head: bytes) -> None:
    if head.startswith(b"GET /robots.txt"):
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        return
    RELEASE.wait(30)


@pytest.fixture
def hanging() -> Iterator[RawServer]:
    RELEASE.clear()
    server = RawServer(_hang)
    yield server
    RELEASE.set()
    server.close()


@pytest.fixture
def default_web() -> Iterator[FakeWeb]:
    fake = FakeWeb()
    yield fake
    fake.stop()


def _no_quit_on_close(qapp: QApplication) -> Iterator[None]:
    qapp.setQuitOnLastWindowClosed(False)
    yield
    qapp.setQuitOnLastWindowClosed(True)


no_quit_on_close = pytest.fixture(_no_quit_on_close)


def _run_window(db: Path, inspect: Callable[[object, object], bool], timeout: float = 20) -> int:
    """`app.run(db)`; `inspect(window, controller)` is polled until it returns True, then the
    window closes. Returns run's exit code."""
    made: list[tuple[object, object]] = []
    real_build = app_module.build_window

    def build(*args: object, **kwargs: object) -> tuple[object, object]:
        made.append(real_build(*args, **kwargs))  # type: ignore[arg-type]
        return made[-1]

    app_module.build_window = build  # type: ignore[assignment]
    started = time.monotonic()

    def poll() -> None:
        if made and (inspect(*made[0]) or time.monotonic() - started > timeout):
            made[0][0].close()  # type: ignore[attr-defined]
            QCoreApplication.quit()
        else:
            QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)
    try:
        return app_module.run(db)
    finally:
        app_module.build_window = real_build  # type: ignore[assignment]


# --- closing mid-refresh -------------------------------------------------------------------------


def test_closing_the_window_mid_refresh_loses_nothing(
    qtbot, tmp_path: Path, make_window, small_db: Path, hanging: RawServer
) -> None:
    fast = FakeWeb()
    try:
        for slug in ("alpha", "beta"):
            fast.serve(f"https://{slug}.example/feed.xml", feed(slug, 3), "application/rss+xml")
        path = tmp_path / "sources.toml"
        write_sources(
            path,
            [
                Source(id="hangs", name="Hangs", kind="feed", url=hanging.url("/feed.xml")),
                Source(
                    id="alpha", name="Alpha", kind="feed", url=fast.local("https://alpha.example/feed.xml")
                ),
                Source(id="beta", name="Beta", kind="feed", url=fast.local("https://beta.example/feed.xml")),
            ],
        )
        window, controller = make_window(small_db, sources_path=path, refresh_workers=3)
        before = store_facts(small_db)
        done: list[str] = []
        controller.refreshing.runner.source_done.connect(
            lambda progress: done.append(progress.outcome.source_id)
        )
        controller.refreshing.start_refresh()
        qtbot.waitUntil(
            lambda: sorted(done) == ["alpha", "beta"] and len(hanging.requests) >= 2, timeout=20_000
        )
        controller.place.select_row(3)
        record_id = controller.place.current_record_id()
        window.detail.note.setPlainText("typed while the refresh ran")  # not yet saved (debounce)
        started = time.monotonic()
        window.close()  # mid-refresh: one source still waiting on a server that never answers
        closing = time.monotonic() - started
        assert not controller.refreshing.runner.running or controller.refreshing.runner.wait(5_000)
        assert closing < 3.0, f"closing waited {closing:.1f} s for a dead server"

        after = store_facts(small_db)
        assert after["problems"] == [] and after["duplicates"] == 0
        assert after["urls"] >= before["urls"]  # type: ignore[operator]
        assert {"alpha", "beta"} <= set(after["per_source"])  # type: ignore[arg-type]
        with Store.open(small_db) as store:
            edited = store.record(record_id)
        assert edited is not None and edited["note"] == "typed while the refresh ran"
        others = [row for row in before["user"] if row[0] != edited["url"]]  # type: ignore[union-attr]
        assert set(others) <= set(after["user"])  # type: ignore[arg-type]  # every other note, tag, star

        # The next refresh completes and adds nothing twice.
        summary = refresh(
            small_db,
            [
                Source(id=s, name=s, kind="feed", url=fast.local(f"https://{s}.example/feed.xml"))
                for s in ("alpha", "beta")
            ],
            client=HttpClient(per_host_delay=0),
        )
        assert sorted(o.new for o in summary.outcomes) == [0, 0] and not summary.failed
        final = store_facts(small_db)
        assert final["duplicates"] == 0 and final["user"] == after["user"]
    finally:
        fast.stop()


# --- the window and a cron fetch on one store ------------------------------------------------------


def test_the_window_and_a_cron_fetch_share_the_store(
    qtbot, tmp_path: Path, make_window, small_db: Path, default_web: FakeWeb
) -> None:
    local_sources = serve_default_sources(default_web, tmp_path)
    window, controller = make_window(small_db)
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    expected: dict[int, str] = {}
    fetches = []
    for round_number in range(2):
        child = subprocess.Popen(
            cli_command("--db", small_db, "fetch", "--sources", local_sources, "--delay", "0"),
            cwd=ROOT,
            env=cli_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        saved = 0
        while child.poll() is None or saved < 10:
            row = (round_number * 37 + saved) % 50
            controller.place.select_row(row)
            record_id = controller.place.current_record_id()
            text = f"note {round_number}.{saved} on {record_id}"
            window.detail.note.setPlainText(text)
            assert controller.notes.save_note_now(), messages[-1:]
            expected[record_id] = text
            saved += 1
            qtbot.wait(20)
        out, err = child.communicate(timeout=60)
        fetches.append(saved)
        assert child.returncode == 0, out + err
        assert "locked" not in (out + err).lower() and "busy" not in (out + err).lower()
    assert not [
        m for m in messages if "locked" in m.lower() or "busy" in m.lower() or "not saved" in m.lower()
    ]
    with Store.open(small_db) as store:
        assert store.check_integrity() == []
        notes = dict(
            store.db.conn.execute(
                f"SELECT id, note FROM records WHERE id IN ({','.join(str(i) for i in expected)})"
            ).fetchall()
        )
    assert notes == expected  # every note the window saved, none lost to the fetch
    assert store_facts(small_db)["duplicates"] == 0


# --- read-only, damaged, daily backup --------------------------------------------------------------


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's limit (the question)
def test_a_read_only_store_can_be_reviewed_with_a_clear_message(
    qtbot, no_quit_on_close, small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection.os, "access", lambda path, mode: mode != os.W_OK)
    seen: dict[str, object] = {}

    def inspect(window, controller) -> bool:
        if controller.model.rowCount() == 0:
            return False
        seen["message"] = window.statusBar().currentMessage()
        seen["rows"] = controller.model.rowCount()
        controller.place.select_row(0)
        window.detail.note.setPlainText("cannot be saved here")
        seen["saved"] = controller.notes.save_note_now()
        seen["after"] = window.statusBar().currentMessage()
        seen["asked"] = answer_next_box("Keep in Recovery File and Quit")  # it can never be saved here
        return True

    assert _run_window(small_db, inspect) == 0
    assert "read-only" in str(seen["message"])
    assert seen["rows"] and seen["saved"] is False
    assert "read-only" in str(seen["after"]) and "not be saved" in str(seen["after"])
    assert "Keep in Recovery File and Quit" in seen["asked"]  # type: ignore[operator]
    assert "cannot be saved here" in recovery_path(small_db).read_text(encoding="utf-8")
    assert daily_backups(small_db) == []  # nothing written next to a read-only store


def test_the_day_s_backup_is_taken_at_start(
    qtbot, no_quit_on_close, small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_module.application()  # the settings the window reads: its names and folder
    settings.put("backups/budget_gb", 7.5)
    calls: list[tuple[bool, float]] = []
    real = app_module.daily_backup

    def watched(path: Path, **options: float) -> Path | None:
        calls.append((threading.current_thread() is threading.main_thread(), options["budget_gb"]))
        return real(path, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(app_module, "daily_backup", watched)
    assert _run_window(small_db, lambda window, controller: bool(daily_backups(small_db))) == 0
    assert calls == [(False, 7.5)]  # on a worker thread, with the budget the user set
    [copy] = daily_backups(small_db)
    with Store.open(copy) as store, Store.open(small_db) as live:
        assert store.count(Query()) == live.count(Query())


def test_a_damaged_store_is_offered_its_latest_backup(
    qtbot, no_quit_on_close, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "data" / "tracker.sqlite3"
    db.parent.mkdir()
    with Store.open(db) as store:
        store.save_announcements("src", [_item(n) for n in range(20)])
        store.set_note(1, "in yesterday's backup")
    daily_backup(db)
    with db.open("r+b") as handle:  # the schema page: the store no longer opens
        handle.seek(100)
        handle.write(b"\xa5" * 3996)
    offered: list[str] = []
    monkeypatch.setattr(
        app_module, "offer_restore", lambda path, error, backup: offered.append(str(error)) or True
    )
    monkeypatch.setattr(app_module, "show_store_error", lambda path, error: pytest.fail(f"refused: {error}"))
    assert _run_window(db, lambda window, controller: controller.model.rowCount() == 20) == 0
    assert offered and "damaged" in offered[0]
    with Store.open(db) as store:
        assert store.record(1)["note"] == "in yesterday's backup"  # type: ignore[index]
    kept = [p for p in db.parent.joinpath("backups").iterdir() if "before-restore" in p.name]
    assert kept, "the damaged file was not kept"


def test_a_damaged_store_without_a_backup_says_so(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "tracker.sqlite3"
    with Store.open(db) as store:
        store.save_announcements("src", [_item(1)])
    with db.open("r+b") as handle:
        handle.seek(100)
        handle.write(b"\xa5" * 3996)
    shown: list[str] = []
    monkeypatch.setattr(app_module, "offer_restore", lambda *args: pytest.fail("no backup to offer"))
    monkeypatch.setattr(app_module, "show_store_error", lambda path, error: shown.append(str(error)))
    assert app_module.run(db) == 1
    assert shown and "damaged" in shown[0]
    assert list_backups(db) == []


def _item(n: int) -> Announcement:
    return Announcement(url=f"https://example.org/{n}", title=f"Item {n}")


# --- the site may have changed -----------------------------------------------------------------------


def test_a_source_that_found_nothing_is_flagged_in_the_sidebar(qtbot, make_window, small_db: Path) -> None:
    with Store.open(small_db) as store:
        store.sync_sources(
            [{"id": "quiet", "name": "Quiet site", "kind": "feed", "url": "https://q.example/"}]
        )
        quiet = Source(id="quiet", name="Quiet site", kind="feed", url="https://q.example/")
        for count in (12, 11, 0):  # a usual dozen, then a 200 with nothing in it
            items = [_item(1000 + n) for n in range(count)]
            store.save_announcements("quiet", items)
            site_change.check(store, quiet, items)
        assert {r["id"]: r for r in store.source_rows()}["quiet"]["site_changed"]
    window, controller = make_window(small_db)
    controller.counts.refresh_sidebar()
    shown = lambda: window.sidebar.source_state("quiet") or ("", "")  # noqa: E731
    qtbot.waitUntil(lambda: shown()[0] == health.SITE_CHANGED, timeout=10_000)
    assert "0 items where the last 2 refreshes had 11–12" in shown()[1]


def test_an_emptied_store_is_offered_its_latest_backup_not_started_afresh(
    qtbot, no_quit_on_close, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "data" / "tracker.sqlite3"
    db.parent.mkdir()
    with Store.open(db) as store:
        store.save_announcements("src", [_item(n) for n in range(20)])
        store.set_note(1, "in yesterday's backup")
    daily_backup(db)
    db.write_bytes(b"")
    offered: list[str] = []
    monkeypatch.setattr(
        app_module, "offer_restore", lambda path, error, backup: offered.append(str(error)) or True
    )
    monkeypatch.setattr(app_module, "show_store_error", lambda path, error: pytest.fail(f"refused: {error}"))
    assert _run_window(db, lambda window, controller: controller.model.rowCount() == 20) == 0
    assert offered and "is empty (0 bytes)" in offered[0] and "latest backup" in offered[0]
    with Store.open(db) as store:
        assert store.record(1)["note"] == "in yesterday's backup"  # type: ignore[index]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with mounted_small_disk(tmp_path) as folder:
        yield folder


def test_a_store_on_a_full_disk_opens_for_reading_and_says_why(
    qtbot, no_quit_on_close, small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = small_disk / "tracker.sqlite3"
    with Store.open(db) as store:
        store.save_announcements("src", [_item(n) for n in range(20)])
        store.set_note(1, "written before the disk filled up")
    fill(small_disk)
    monkeypatch.setattr(app_module, "show_store_error", lambda path, error: pytest.fail(f"refused: {error}"))
    seen: dict[str, object] = {}

    def inspect(window, controller) -> bool:  # type: ignore[no-untyped-def]
        seen["rows"] = controller.model.rowCount()
        seen["message"] = window.statusBar().currentMessage()
        return seen["rows"] == 20

    assert _run_window(db, inspect) == 0
    assert seen["rows"] == 20
    assert "The disk is full" in str(seen["message"]) and "not be saved" in str(seen["message"])
