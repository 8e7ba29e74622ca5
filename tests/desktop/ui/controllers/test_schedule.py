"""Scheduled refresh: off until the user says yes, every N hours on the wall clock, the tray
setting disabled with its reason where the desktop has no tray."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QToolBar
from pytest_httpserver import HTTPServer

from desktop.ui import settings
from desktop.ui.controllers.schedule import RefreshSchedule
from desktop.ui.dialogs.settings_dialog import SettingsDialog
from desktop.ui.tray import tray_unavailable_reason
from tests.desktop.conftest import landed
from tests.desktop.feeds import serve_feed, sources_file


class Clock:
    """The wall clock the schedule reads, moved by the test (seconds since the epoch)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def web(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    return httpserver


def test_a_due_refresh_runs_through_the_window_and_the_next_waits_an_interval(
    qtbot, web, tmp_path: Path, make_window, small_db
) -> None:
    serve_feed(web, "/a.xml", "alpha", ["Scheduled arrival one", "Scheduled arrival two"])
    window, controller = make_window(small_db, sources_path=sources_file(tmp_path, web, {"alpha": "/a.xml"}))
    before = controller.model.rowCount()
    clock = Clock()
    qsettings = QSettings()
    schedule = RefreshSchedule(
        window,
        controller.refreshing.start_refresh,
        qsettings,
        last_refresh=clock.now,
        clock=clock,
        check_ms=20,
    )
    controller.refresh_finished.connect(lambda _summary: schedule.refreshed())

    clock.now += 10 * 3600
    assert not schedule.check()  # off by default: never refreshes on its own
    settings.put("refresh/every_hours", 2.0, qsettings)
    clock.now += 1
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000) as finished:
        pass  # the schedule's own timer finds it due
    assert finished.args[0].new == 2
    landed(qtbot, controller)
    assert controller.model.rowCount() == before + 2
    assert not schedule.due()  # counted again from the refresh's end
    assert controller.alerts.schedule.offer is None  # on already: nothing to offer
    clock.now += 2 * 3600 - 60
    assert not schedule.due()
    clock.now += 60
    assert schedule.due()


def refreshed_window(qtbot, web, tmp_path: Path, make_window, db: Path):  # type: ignore[no-untyped-def]
    serve_feed(web, "/a.xml", "alpha", ["First arrival"])
    window, controller = make_window(db, sources_path=sources_file(tmp_path, web, {"alpha": "/a.xml"}))
    assert controller.alerts.schedule.offer is None  # nothing asked before a refresh
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000):
        assert controller.refreshing.start_refresh()
    return window, controller


def test_the_offer_is_asked_once_and_yes_turns_the_schedule_on(
    qtbot, web, tmp_path: Path, make_window, small_db
) -> None:
    window, controller = refreshed_window(qtbot, web, tmp_path, make_window, small_db)
    qsettings = QSettings()
    schedule = controller.alerts.schedule  # asked after the first refresh, in a line, not a dialog
    offer = schedule.offer
    assert offer is not None and offer.isVisible()
    assert "every 4 hours" in offer.text.text()
    assert window.findChild(QToolBar, "scheduleOfferBar") is not None
    offer.yes.click()
    assert settings.get("refresh/every_hours", qsettings) == 4.0
    assert settings.get("refresh/schedule_offered", qsettings) is True
    qtbot.waitUntil(lambda: window.findChild(QToolBar, "scheduleOfferBar") is None)
    assert "every 4 hours" in window.status_bar.currentMessage()
    again = RefreshSchedule(window, controller.refreshing.start_refresh, qsettings)
    assert not again.offer_if_not_asked()  # answered: never asked again


def test_the_offer_comes_below_the_records_and_moves_no_row(
    qtbot, web, tmp_path: Path, make_window, small_db
) -> None:
    """It appears as a refresh ends, while the user may be clicking a row."""
    window, controller = refreshed_window(qtbot, web, tmp_path, make_window, small_db)
    assert controller.alerts.schedule.offer is not None
    table = window.table.viewport()
    top_with_offer = table.mapTo(window, table.rect().topLeft())
    controller.alerts.schedule.offer.no.click()
    qtbot.waitUntil(lambda: window.findChild(QToolBar, "scheduleOfferBar") is None)
    qtbot.wait(50)  # the layout settles
    assert table.mapTo(window, table.rect().topLeft()) == top_with_offer
    bar = window.findChild(QToolBar)
    assert bar is not None and window.toolBarArea(bar) == Qt.ToolBarArea.TopToolBarArea  # the main one


def test_no_thanks_keeps_it_off_and_is_not_asked_again(
    qtbot, web, tmp_path: Path, make_window, small_db
) -> None:
    window, controller = refreshed_window(qtbot, web, tmp_path, make_window, small_db)
    qsettings = QSettings()
    schedule = controller.alerts.schedule
    assert schedule.offer is not None
    schedule.offer.no.click()
    assert settings.get("refresh/every_hours", qsettings) == 0.0
    assert not RefreshSchedule(window, controller.refreshing.start_refresh, qsettings).offer_if_not_asked()


def test_settings_offer_the_interval_quiet_hours_and_the_tray_or_say_why_not(qtbot) -> None:
    qsettings = QSettings()
    dialog = SettingsDialog(qsettings)
    qtbot.addWidget(dialog)
    assert "refresh/schedule_offered" not in dialog.editors  # the window's own memory
    every = dialog.editors["refresh/every_hours"]
    assert every.specialValueText() == "Off" and every.value() == 0.0
    every.setValue(6.0)
    dialog.editors["alerts/quiet_from"].setValue(21)
    tray = dialog.editors["window/minimise_to_tray"]
    reason = tray_unavailable_reason()
    if reason is not None:  # offscreen and trayless desktops: disabled, and the reason shown
        assert not tray.isEnabled()
        labels = [label.text() for label in dialog.findChildren(QLabel)]
        assert reason in labels
    dialog.accept()
    assert settings.get("refresh/every_hours", qsettings) == 6.0
    assert settings.get("alerts/quiet_from", qsettings) == 21
    assert settings.get("alerts/quiet_to", qsettings) == 7


def test_without_a_tray_the_window_minimises_as_usual(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    alerts = controller.alerts
    settings.put("window/minimise_to_tray", True, QSettings())
    if alerts.tray.icon is None:  # no tray here: minimising must not hide the window for good
        window.showMinimized()
        qtbot.wait(50)
        assert window.isVisible()
