"""File → Export Calendar…: the deadlines of the records shown, as an iCalendar file.

The file is written by `desktop.calendar_export.write_calendar` (the same as `policy-tracker
export --ics`) on a worker with its own Store; a calendar program that imports it again
updates its events instead of adding copies. Reminders come from the Settings
("calendar/reminders"); a value there that is not a list of days stops the export with the
reason, nothing written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from db.safe_text import shown
from db.store import Query, Store
from desktop.calendar_export import CalendarOptions, write_calendar
from desktop.ui import settings
from desktop.ui.message_box import warn
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.views.main_window import MainWindow
from desktop.ui.worker import run_task

logger = logging.getLogger(__name__)

MAX_REMINDER_DAYS = 365


@dataclass(frozen=True)
class CalendarResult:
    """A calendar export's end: how many events went to `path`, or why it failed."""

    path: str
    events: int = 0
    error: str | None = None


def reminder_days(text: str) -> tuple[int, ...]:
    """ "14, 3" → (14, 3); "" or "none" → no reminder; ValueError saying what is wrong."""
    cleaned = text.strip().lower()
    if cleaned in ("", "none"):
        return ()
    try:
        days = {int(part) for part in cleaned.replace(";", ",").split(",") if part.strip()}
    except ValueError:
        raise ValueError(f"“{shown(text, 60)}” is not a list of days such as 14, 3") from None
    if not all(0 <= day <= MAX_REMINDER_DAYS for day in days):
        raise ValueError(f"reminders are 0 to {MAX_REMINDER_DAYS} days before the deadline")
    return tuple(sorted(days, reverse=True))


def export_calendar(db_path: Path, query: Query, path: Path, days: tuple[int, ...]) -> CalendarResult:
    """Runs in a worker."""
    store = Store.open(db_path)
    try:
        events = write_calendar(store, query, path, CalendarOptions(alarm_days=days))
    finally:
        store.close()
    return CalendarResult(str(path), events)


class CalendarController(QObject):
    """Emits `before_export()` (pending notes first), `status(text)` and `finished(result)`."""

    before_export = Signal()
    status = Signal(str)
    finished = Signal(CalendarResult)

    def __init__(self, window: MainWindow, db_path: Path, model: TrackerModel, qsettings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self._db_path = db_path
        self._model = model
        self._qsettings = qsettings
        self._closed = False
        self.action = QAction("Export &Calendar…", window)
        self.action.setStatusTip(
            "The deadlines of the records shown as calendar events (the Followed view: those you follow)"
        )
        self.action.triggered.connect(self.choose)
        actions = window.file_menu.actions()  # right after File → Export CSV…
        export = window.actions["export"]
        at = actions.index(export) + 1 if export in actions else len(actions)
        if at < len(actions):
            window.file_menu.insertAction(actions[at], self.action)
        else:
            window.file_menu.addAction(self.action)

    def close(self) -> None:
        self._closed = True

    def choose(self) -> None:
        view = self._model.query.view.replace("_", "-")
        suggested = Path.home() / f"policy-tracker-{view}-deadlines-{date.today():%Y-%m-%d}.ics"
        path, _ = QFileDialog.getSaveFileName(
            self._window, "Export the deadlines to a calendar", str(suggested), "iCalendar files (*.ics)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        """Write the deadlines of what the table shows to `path`, in the background; False when
        the reminders setting is not usable (said, nothing written)."""
        try:
            days = reminder_days(settings.get("calendar/reminders", self._qsettings))
        except ValueError as exc:
            self._failed(CalendarResult(str(path), error=f"The reminders setting cannot be used: {exc}."))
            return False
        self.before_export.emit()
        self.status.emit("Exporting the deadlines to a calendar file…")
        run_task(
            export_calendar,
            self._db_path,
            self._model.query,
            path,
            days,
            on_result=self._done,
            on_error=lambda message: self._done(CalendarResult(str(path), error=message)),
        )
        return True

    def _done(self, result: CalendarResult) -> None:
        if result.error is not None:
            self._failed(result)
            return
        events = f"{result.events} event{'s' if result.events != 1 else ''}"
        self.status.emit(
            f"Exported {events} to {result.path}: import it into your calendar; importing it again "
            "updates the events."
        )
        self.finished.emit(result)

    def _failed(self, result: CalendarResult) -> None:
        self.status.emit(f"Calendar not exported: {result.error}")
        if not self._closed:
            warn(self._window, "Calendar not exported", shown(result.path), shown(result.error or "", 2000))
        self.finished.emit(result)
