"""Starting the window: names, icon and stylesheet; a store that cannot open gives a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from desktop.paths import APP_NAME, ORGANISATION, default_db_path, resource_path
from desktop.ui import app as app_module
from desktop.ui import settings, theme
from desktop.ui.views.main_window import MainWindow


@pytest.fixture
def no_quit_on_close(qapp: QApplication):
    """Closing the last window posts a Quit event; handled after `run` returned, it would make
    every later event loop of the test session return at once. Quit explicitly instead."""
    qapp.setQuitOnLastWindowClosed(False)
    yield
    qapp.setQuitOnLastWindowClosed(True)


def close_soon() -> None:
    """Quit the event loop `run` enters as soon as it starts."""

    def close() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()
        QCoreApplication.quit()

    QTimer.singleShot(0, close)


def test_run_opens_the_window_and_returns_its_exit_code(qtbot, no_quit_on_close, tmp_path: Path) -> None:
    shown: list[MainWindow] = []
    QTimer.singleShot(
        0,
        lambda: shown.extend(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ),
    )
    close_soon()
    assert app_module.run(tmp_path / "new" / "tracker.sqlite3") == 0
    assert shown and shown[0].windowTitle() == APP_NAME
    assert (tmp_path / "new" / "tracker.sqlite3").exists()
    assert QCoreApplication.organizationName() == ORGANISATION
    assert QCoreApplication.applicationName() == APP_NAME
    assert not QApplication.windowIcon().isNull()
    assert "QTableView#trackerTable" in QApplication.instance().styleSheet()


def test_a_store_error_is_a_message_not_a_traceback(monkeypatch, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"this is not a database at all" * 100)
    shown: list[str] = []
    monkeypatch.setattr(app_module, "show_store_error", lambda path, error: shown.append(str(error)))
    assert app_module.run(bad) == 1
    assert shown and "not a Policy Tracker database" in shown[0]


def test_settings_data_location_replaces_only_the_default(tmp_path: Path) -> None:
    chosen = tmp_path / "elsewhere.sqlite3"
    settings.put("data/location", str(chosen))
    assert app_module.chosen_db_path(None) == chosen
    explicit = default_db_path()  # even when it names the default file, --db is obeyed
    assert app_module.chosen_db_path(explicit) == explicit
    settings.put("data/location", "")
    assert app_module.chosen_db_path(None) == default_db_path()


def test_resources_exist() -> None:
    assert resource_path("icon.svg").read_text(encoding="utf-8").startswith("<svg")
    assert "@accent" in theme.load_template()


def test_the_window_gets_the_interpreter_back_from_workers_within_a_millisecond() -> None:
    """A worker's Python holds the interpreter for up to the switch interval; the window's
    application asks for a short one (the stall it halves is measured in benchmarks/)."""
    import sys

    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        app_module.application()
        assert sys.getswitchinterval() == pytest.approx(app_module.GUI_SWITCH_INTERVAL_S)
    finally:
        sys.setswitchinterval(before)
