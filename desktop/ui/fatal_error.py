"""A clear dialog, not a console traceback, when the app cannot start; stderr when Qt itself cannot."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from desktop.paths import APP_NAME, log_dir

logger = logging.getLogger(__name__)

EXIT_FATAL = 1
TITLE = f"{APP_NAME} cannot start"
_keep: dict[str, object] = {}  # a QApplication made here must outlive the dialog


def _logging_to() -> Path | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return Path(handler.baseFilename)
    return None


def current_log_path() -> Path:
    """The file the rotating log handler writes to (see logging_setup), else where it would be."""
    return _logging_to() or log_dir() / "policy-tracker.log"


def ensure_log_file() -> Path:
    """The log file's path, setting up the rotating log first if nothing has yet."""
    from desktop.logging_setup import setup_logging

    return _logging_to() or setup_logging() or current_log_path()


def qt_unavailable_reason() -> str | None:
    """Why Qt cannot open a window here, when that can be told before trying (Qt aborts otherwise)."""
    from desktop.platform_check import explain_missing, missing_qt_packages

    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if (
        sys.platform.startswith("linux")
        and platform in ("", "xcb", "wayland")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        return (
            f"{APP_NAME} cannot open its window: no graphical display was found "
            "(neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
            "Start it from a desktop session, or use the command line (policy-tracker --help)."
        )
    missing = [package for package in missing_qt_packages() if not _in_bundle(package)]
    if missing:
        return explain_missing(missing)
    try:
        import PySide6.QtWidgets  # noqa: F401  (a missing libGL/libEGL shows up here)
    except ImportError as exc:
        return f"{APP_NAME} cannot load Qt, the toolkit it draws its window with: {exc}"
    return None


def _in_bundle(package: str) -> bool:
    """A frozen build carries the xcb libraries of the machine it was built on: those count."""
    bundle = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or not bundle:
        return False
    from desktop.platform_check import XCB_LIBRARIES

    libraries = [lib for lib, name in XCB_LIBRARIES.items() if name == package]
    return bool(libraries) and all(any(Path(bundle).glob(f"lib{lib}.so*")) for lib in libraries)


def show_fatal_error(message: str, *, details: str = "", log_path: Path | None = None) -> None:
    """Tell the user the app cannot go on: a Qt dialog with the log file's path when Qt can start.

    `message` is one or two plain sentences for a person; `details` (a traceback, say) is kept
    behind the dialog's "Show Details..." button. When Qt cannot start, the same text goes to
    stderr, or on Windows (where a windowed build has no stderr) to a native message box.
    """
    log_path = log_path or ensure_log_file()
    logger.critical("%s%s", message, f"\n{details}" if details else "")
    if qt_unavailable_reason() is None:
        try:
            _qt_dialog(message, details, log_path)
            return
        except Exception:  # Qt failed after all: fall back to plain text below
            logger.exception("could not show the fatal-error dialog")
    _plain_report(message, log_path)


def run_guarded(start: Callable[[], int], *, gui: bool = True) -> int:
    """Run `start()`; an exception escaping it is logged and reported, not printed as a traceback.

    With `gui` the report is the dialog of `show_fatal_error`; without (a command-line command)
    it is one line on stderr naming the log file. Returns `start()`'s exit code, or EXIT_FATAL.
    """
    try:
        return start()
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:
        details = traceback.format_exc()
        message = f"{APP_NAME} stopped because of an unexpected error: {exc or type(exc).__name__}"
        if gui:
            show_fatal_error(message, details=details)
        else:
            log_path = ensure_log_file()
            logger.critical("%s\n%s", message, details)
            _write_stderr(f"{message}\nDetails are in the log file: {log_path}\n")
        return EXIT_FATAL


def run_window(db_path: Path | None) -> int:
    """Open the window (desktop.ui.app.run) with every start-up failure shown as a clear message."""
    reason = qt_unavailable_reason()
    if reason is not None:
        show_fatal_error(reason)  # Qt cannot start, so this is plain text on stderr
        return EXIT_FATAL

    def start() -> int:
        from desktop.ui.app import run

        return run(db_path)

    return run_guarded(start, gui=True)


def _qt_dialog(message: str, details: str, log_path: Path) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.ui.message_box import message_box

    if QApplication.instance() is None:
        _keep["app"] = QApplication(sys.argv[:1])
    box = message_box(
        None,
        TITLE,
        message,
        f"Details are in the log file:\n{log_path}",
        icon=QMessageBox.Icon.Critical,
        buttons=QMessageBox.StandardButton.NoButton,
    )
    if details:
        box.setDetailedText(details)
    open_folder = box.addButton("Open Log Folder", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_path.parent)))


def _plain_report(message: str, log_path: Path) -> None:
    text = f"{TITLE}.\n{message}\nDetails are in the log file: {log_path}\n"
    if not _write_stderr(text) and sys.platform == "win32":
        try:  # a windowed Windows build has no stderr: use the system's own message box
            import ctypes

            ctypes.windll.user32.MessageBoxW(None, text, TITLE, 0x10)  # MB_ICONERROR
        except Exception:
            logger.exception("could not show a native message box")


def _write_stderr(text: str) -> bool:
    stream = sys.stderr
    if stream is None:
        return False
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        return False
    return True
