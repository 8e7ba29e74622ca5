"""Start the window: the QApplication (names, icon, stylesheet), the store, the main window."""

from __future__ import annotations

import functools
import logging
import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from db.backups import backup_folder, daily_backup, latest_backup, restore_backup
from db.store import Store, StoreError
from desktop import settings
from desktop.message_box import message_box
from desktop.paths import APP_ID, APP_NAME, ORGANISATION, data_dir, default_db_path, resource_path
from desktop.safe_text import shown
from desktop.tracker_controller import build_window
from desktop.worker import run_task
from scrapers.http import app_version

logger = logging.getLogger(__name__)


def load_stylesheet() -> str:
    try:
        return resource_path("style.qss").read_text(encoding="utf-8")
    except OSError as exc:  # a missing stylesheet costs the looks, not the app
        logger.warning("no stylesheet: %s", exc)
        return ""


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
    app.setStyle("Fusion")
    app.setStyleSheet(load_stylesheet())
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
            window.statusBar().showMessage(
                "The data file is read-only: you can read, but changes will not be saved."
            )
        else:
            take_daily_backup(window, db_path)
        window.show()
        code = app.exec()
        controller.shutdown()
        return code
    finally:
        store.close()
