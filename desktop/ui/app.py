"""Start the window: the QApplication (names, icon, stylesheet), the store, the main window."""

from __future__ import annotations

import functools
import logging
import shutil
import signal
import socket
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QSocketNotifier, Qt, QThreadPool
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from db.backups import backup_folder, daily_backup, latest_backup, restore_backup
from db.safe_text import shown
from db.store import Store, StoreError
from desktop.paths import APP_ID, APP_NAME, ORGANISATION, data_dir, default_db_path, resource_path
from desktop.ui import settings, theme
from desktop.ui.controllers.tracker import build_window
from desktop.ui.message_box import message_box
from desktop.ui.worker import run_task
from scrapers.http import app_version

logger = logging.getLogger(__name__)

# What ends a desktop app from outside: a service manager or shutdown (TERM), Ctrl+C in the
# terminal that started it (INT), the terminal closing or the session ending (HUP).
QUIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)
)
BACKGROUND_WAIT_MS = 12_000  # a note save on a worker may wait out SQLite's busy timeout


class SignalWatch(QObject):
    """Delivers QUIT_SIGNALS to `on_signal` on Qt's thread, at once.

    Python runs a signal handler only between bytecodes of the main thread, and that thread
    sits in Qt's event loop (C++) until some event arrives: a handler alone would run late or
    never. `signal.set_wakeup_fd` makes the interpreter write the signal's number to a socket
    the moment it arrives; a QSocketNotifier on the other end wakes the event loop.
    """

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {number: signal.signal(number, _note_signal) for number in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._ready)

    def _ready(self) -> None:
        try:
            numbers = self._reader.recv(64)
        except BlockingIOError:
            return
        for number in numbers:
            self._on_signal(number)

    def close(self) -> None:
        """Give the signals back to whoever had them (the tests, the interpreter)."""
        self._notifier.setEnabled(False)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


def _note_signal(number: int, _frame: object) -> None:
    """The Python-level handler: the wakeup socket does the work; this only keeps Python's
    default (KeyboardInterrupt, or death) from happening first."""
    logger.info("received signal %s", number)


def apply_look(app: QApplication) -> None:
    """The chosen theme (light, dark or high contrast; the system's by default) at the system's
    font size, with WCAG AA contrast in each (desktop/ui/theme.py, docs/ACCESSIBILITY.md)."""
    theme.apply(app)


GUI_SWITCH_INTERVAL_S = 0.001


def application() -> QApplication:
    """The one QApplication, named so that QSettings and the desktop find it."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Fractional scaling (125 %, 150 %) as the desktop asks; must precede the app object.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    # Settings live beside the data (one folder to back up; POLICY_TRACKER_HOME isolates both).
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(data_dir()))
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setOrganizationDomain(ORGANISATION)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(app_version())
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource_path("icon.svg"))))
    apply_look(app)
    theme.follow_the_system(app)
    # The window's thread shares the interpreter with the workers reading pages and counts: a
    # worker's Python (turning rows into dicts) holds it for up to the switch interval before
    # the window may run a slot. 1 ms instead of 5 halved the longest stall while sorting 100,000
    # records (benchmarks/heartbeat.py); the workers lose little, most of their time is SQLite's.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    return app


def chosen_db_path(explicit: Path | None) -> Path:
    """An explicit --db wins; then the Settings' data location; then the default path."""
    if explicit is not None:
        return explicit
    location = settings.get("data/location")
    return Path(location).expanduser() if location else default_db_path()


def show_store_error(path: Path, error: StoreError) -> None:
    message_box(
        None,
        f"{APP_NAME} cannot open its data",
        shown(error, 2000),
        f"Data file: {shown(path)}\n\nNothing was changed. Choose another file with --db, or restore a "
        f"backup with `policy-tracker restore FILE` (automatic copies are in {shown(backup_folder(path))}).",
        icon=QMessageBox.Icon.Critical,
        buttons=QMessageBox.StandardButton.Close,
    ).exec()


def looks_damaged(error: StoreError) -> bool:
    """A store that cannot be read, or was found empty where it had backups (as opposed to
    read-only, busy, or made by a newer version)."""
    text = str(error)
    words = ("damaged", "not an SQLite database", "cannot be read as one", "is empty (0 bytes)")
    return any(word in text for word in words)


def offer_restore(path: Path, error: StoreError, backup: Path) -> bool:
    """Ask whether to put the latest automatic backup in place of a damaged store."""
    taken = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%d %B %Y, %H:%M")
    box = message_box(
        None,
        f"{APP_NAME} cannot open its data",
        shown(error, 2000),
        f"Data file: {shown(path)}\n\nRestore the automatic backup of {taken}? Changes made since then "
        f"are not in it. The damaged file is kept in {shown(backup_folder(path))}, nothing is deleted.",
        buttons=QMessageBox.StandardButton.NoButton,
    )
    restore = box.addButton("Restore the backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def open_store(db_path: Path) -> Store | None:
    """The store, or None after telling the user why not; a damaged store with an automatic
    backup is offered the backup (the damaged file is kept)."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        return Store.open(db_path)
    except OSError as exc:
        show_store_error(
            db_path, StoreError(f"Cannot create the folder for the data: {exc.strerror or exc}.")
        )
        return None
    except StoreError as exc:
        logger.error("cannot open %s: %s", db_path, exc)
        backup = latest_backup(db_path) if looks_damaged(exc) else None
        if backup is None or not offer_restore(db_path, exc, backup):
            show_store_error(db_path, exc)
            return None
    try:
        kept = restore_backup(backup, db_path)
        logger.warning("restored %s from %s; the damaged store is kept at %s", db_path, backup, kept)
        return Store.open(db_path)
    except StoreError as exc:
        show_store_error(db_path, exc)
        return None


def read_only_message(db_path: Path) -> str:
    """Why changes cannot be saved: a full disk (which frees up) or a read-only file."""
    try:
        full = shutil.disk_usage(db_path.parent).free == 0
    except OSError:
        full = False
    if full:
        return "The disk is full: you can read, but changes will not be saved until space is freed."
    return "The data file is read-only: you can read, but changes will not be saved."


def take_daily_backup(window: QMainWindow, db_path: Path) -> None:
    """Once a day, on a worker thread (never the window's): a checked copy, as many kept as the
    disk budget setting allows, and a dated copy of the user's work (db.backups)."""

    def failed(message: str) -> None:
        logger.warning("daily backup of %s failed: %s", db_path, message)
        window.statusBar().showMessage(
            f"Today's automatic backup was not taken: {message} The earlier backups are kept in "
            f"{backup_folder(db_path)}."
        )

    budget = functools.partial(daily_backup, budget_gb=settings.get("backups/budget_gb"))
    run_task(budget, db_path, on_error=failed)


def run(db_path: Path | None = None, sources_path: Path | None = None) -> int:
    """Open the window on the store at `db_path` (None: the chosen one); returns the exit code."""
    app = application()
    db_path = chosen_db_path(Path(db_path) if db_path is not None else None)
    store = open_store(db_path)
    if store is None:
        return 1
    try:
        window, controller = build_window(store, sources_path=sources_path)
        if store.readonly:
            window.statusBar().showMessage(read_only_message(db_path))
        else:
            take_daily_backup(window, db_path)
        ending: list[int] = []

        def end(number: int) -> None:
            if ending:
                return
            ending.append(number)
            logger.warning("signal %s: saving the notes and the window, then quitting", number)
            controller.end_session()
            window.close()
            app.quit()

        watch = SignalWatch(end, app)
        app.commitDataRequest.connect(lambda _manager: controller.commit_session())
        window.show()
        try:
            code = app.exec()
        finally:
            watch.close()
        controller.shutdown()
        QThreadPool.globalInstance().waitForDone(BACKGROUND_WAIT_MS)
        return code
    finally:
        store.close()
