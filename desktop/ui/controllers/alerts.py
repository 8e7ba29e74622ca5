"""Tell the user without being asked: the scheduled refresh, the tray, and the alerts after it.

Wired by the tracker's controller with a few lines (the way to start a refresh, and
`refresh_started` / `refresh_finished` / `settings_changed` called when those happen); what it
owns: `schedule` (desktop/ui/controllers/schedule.py), `tray` (desktop/ui/tray.py), `notifier`
(desktop/ui/notifier.py) and the "What changed" window (desktop/ui/dialogs/changes_dialog.py).

After each refresh it asks the store what changed since that refresh started
(`Store.changes_since`, on a worker with its own Store), alerts when a watchlist with alerts on
got new matches or a followed call's deadline or budget moved (desktop/ui/change_alerts.py),
and keeps the answer for View → What Changed….
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction

from db.changes import Changes
from db.rows import stamp
from db.store import Store, StoreError
from desktop.refresh import RefreshSummary
from desktop.ui.change_alerts import CHANGES, alert_for, heading_of, sections_of
from desktop.ui.controllers.schedule import RefreshSchedule
from desktop.ui.dialogs.changes_dialog import ChangesDialog
from desktop.ui.notifier import Alert, Notifier
from desktop.ui.tray import Tray
from desktop.ui.views.main_window import MainWindow
from desktop.ui.worker import run_task

logger = logging.getLogger(__name__)


def last_refresh_moment(store: Store) -> float | None:
    """When any source was last fetched (seconds since the epoch); None when none ever was."""
    last = store.last_attempt_at()
    return None if last is None else datetime.fromisoformat(last.replace("Z", "+00:00")).timestamp()


def read_changes(db_path: Path, since: str) -> Changes:
    """Runs in a worker: what refreshes changed after `since`."""
    store = Store.open(db_path)
    try:
        return store.changes_since(since)
    finally:
        store.close()


class AlertsController(QObject):
    """Emits `changes_read(Changes)` after each refresh, and `record_wanted(record_id)` when the
    user opens a line of the "What changed" window."""

    changes_read = Signal(Changes)
    record_wanted = Signal(int)

    def __init__(
        self,
        window: MainWindow,
        store: Store,
        qsettings: QSettings,
        start_refresh: Callable[[], bool],
        *,
        clock: Callable[[], datetime] = datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._store = store
        self._since: str | None = None
        self._closed = False
        self.last_changes: Changes | None = None
        self.changes_dialog: ChangesDialog | None = None
        self.tray = Tray(window, qsettings, self)
        self.notifier = Notifier(window, self.tray, qsettings, clock=clock, parent=self)
        try:
            last = last_refresh_moment(store)
        except StoreError as exc:  # a store that cannot say: counted from now
            logger.info("last refresh unknown: %s", exc)
            last = None
        self.schedule = RefreshSchedule(window, start_refresh, qsettings, last_refresh=last, parent=self)
        self.tray.refresh_requested.connect(start_refresh)
        self.notifier.opened.connect(self.open_alert)
        self.changes_action = QAction("What C&hanged…", window)
        self.changes_action.setStatusTip(
            "What the last refresh changed: deadlines, budgets, calls, watchlists"
        )
        self.changes_action.setEnabled(False)  # until a refresh has run
        self.changes_action.triggered.connect(self.show_changes)
        window.view_menu.addAction(self.changes_action)

    def settings_changed(self) -> None:
        self.tray.settings_changed()

    def refresh_started(self) -> None:
        """Remember when: what changed is what changed after this moment (the store's clock)."""
        self._since = stamp(self._store.clock())

    def refresh_finished(self, _summary: RefreshSummary) -> None:
        self.schedule.refreshed()
        # Asked after the user's first refresh, having just seen what one does; never before.
        self.schedule.offer_if_not_asked()
        since, self._since = self._since, None
        if since is None or self._closed:
            return
        run_task(read_changes, self._store.path, since, on_result=self._on_changes, on_error=self._on_error)

    def _on_changes(self, changes: Changes) -> None:
        if self._closed:
            return
        self.last_changes = changes
        self.changes_action.setEnabled(True)
        if self.changes_dialog is not None and self.changes_dialog.isVisible():
            self._fill(self.changes_dialog, changes)
        alert = alert_for(changes)
        if alert is not None:
            self.notifier.notify(alert)
        self.changes_read.emit(changes)

    def _on_error(self, message: str) -> None:
        logger.warning("what changed could not be read: %s", message)
        self._window.statusBar().showMessage(f"What the refresh changed could not be read: {message}")

    def open_alert(self, alert: Alert) -> None:
        """The user clicked an alert: show what it is about."""
        kind, value = alert.target
        if kind == CHANGES:
            self.show_changes()
        elif not self._window.sidebar.select(kind, value, notify=True):
            self.show_changes()  # the watchlist was deleted meanwhile: the list still names it

    def show_changes(self) -> ChangesDialog | None:
        if self.last_changes is None:
            return None
        if self.changes_dialog is None:
            self.changes_dialog = ChangesDialog(self._window)
            self.changes_dialog.record_chosen.connect(self.record_wanted)
        self._fill(self.changes_dialog, self.last_changes)
        if self.changes_dialog.isVisible():
            self.changes_dialog.raise_()
        else:
            self.changes_dialog.show()
        return self.changes_dialog

    @staticmethod
    def _fill(dialog: ChangesDialog, changes: Changes) -> None:
        dialog.show_changes(heading_of(changes), sections_of(changes))

    def close(self) -> None:
        self._closed = True
