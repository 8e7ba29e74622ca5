"""Fixtures for the window's tests: isolated settings and data, generated stores, a built window."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from db import readers
from db.store import Store
from desktop.paths import APP_NAME, ORGANISATION
from desktop.ui.app import apply_look
from desktop.ui.controllers.tracker import TrackerController, build_window
from desktop.ui.views.main_window import MainWindow
from desktop.ui.worker import running_tasks
from scrapers.http import HttpClient
from tests.desktop import records


def _offscreen_desktop_screen() -> None:
    """Qt's offscreen screen is 800×800: give it a desktop's size so that saved window
    geometry is restored as saved (Qt shrinks a window to fit its screen). Must run before
    the QApplication exists, hence at import."""
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        return
    screen = {
        "name": "Desktop",
        "x": 0,
        "y": 0,
        "width": 1920,
        "height": 1200,
        "logicalDpi": 96,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }
    folder = Path(tempfile.gettempdir()) / "policy-tracker-tests-qpa"
    folder.mkdir(exist_ok=True)
    config = folder / "offscreen.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


_offscreen_desktop_screen()


@pytest.fixture(autouse=True)
def isolated_app(qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads or writes the real settings or data folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("POLICY_TRACKER_HOME", str(home))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APP_NAME)
    if not qapp.styleSheet():
        apply_look(qapp)  # a bad stylesheet rule would fail the tests (Qt warning)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    # A command run in process (`desktop.cli.main`) sets up the log file in its test's folder; left
    # on the root logger, a later test would be told to look for its log there.
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture(scope="session")
def big_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10,000 generated records with user data, built once; tests work on copies."""
    return records.build(tmp_path_factory.mktemp("big") / "big.sqlite3", 10_000)


@pytest.fixture(scope="session")
def small_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return records.build(tmp_path_factory.mktemp("small") / "small.sqlite3", 400)


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return target


def _closing_reads(path: Path) -> Iterator[Path]:
    """`path`, whose Stores kept for the window's reads (db/readers.py) close after the test,
    though a test's model was never closed."""
    yield path
    readers.close_idle(path)


@pytest.fixture
def big_db(big_store_file: Path, tmp_path: Path) -> Iterator[Path]:
    yield from _closing_reads(_copy(big_store_file, tmp_path))


@pytest.fixture
def small_db(small_store_file: Path, tmp_path: Path) -> Iterator[Path]:
    yield from _closing_reads(_copy(small_store_file, tmp_path))


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "data" / "empty.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    yield from _closing_reads(path)


@pytest.fixture
def open_store() -> Iterator[Callable[[Path], Store]]:
    """Opens stores that are all closed after the test."""
    opened: list[Store] = []

    def opener(path: Path) -> Store:
        store = Store.open(path)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()


def fast_client() -> HttpClient:
    return HttpClient(per_host_delay=0, retries=0, connect_timeout=5, read_timeout=10, deadline=20)


Window = tuple[MainWindow, TrackerController]


def landed(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    """Wait for the rows the window asked for: the table reads them on a worker."""
    qtbot.waitUntil(lambda: not controller.model.reading, timeout=20_000)


def rows_settled(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the rows every open window asked for, as a person sees them land before the
    next key (the helpers that press keys and click wait here)."""

    def settled() -> bool:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        return not any(getattr(w.table.model(), "reading", False) for w in windows)

    qtbot.waitUntil(settled, timeout=20_000)


@pytest.fixture
def make_window(qtbot, open_store) -> Iterator[Callable[..., Window]]:  # type: ignore[no-untyped-def]
    """Builds the real window on a real store; closes it (and waits for its work) afterwards."""
    made: list[Window] = []

    def maker(db_path: Path, size: tuple[int, int] | None = (1400, 850), **kwargs: object) -> Window:
        kwargs.setdefault("client_factory", fast_client)
        store = open_store(db_path)
        window, controller = build_window(store, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        if size is not None:
            window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        made.append((window, controller))
        landed(qtbot, controller)
        return window, controller

    yield maker
    for window, controller in made:
        window.close()
        controller.refreshing.runner.wait(20_000)
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=20_000)
