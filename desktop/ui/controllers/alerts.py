"""Tell the user without being asked: the scheduled refresh, the tray, and the alerts after it.

Wired by the tracker's controller with a few lines (the way to start a refresh, and
`refresh_finished` / `settings_changed` called when those happen); what it owns: `schedule`
(desktop/ui/controllers/schedule.py), `tray` (desktop/ui/tray.py) and `notifier`
(desktop/ui/notifier.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QSettings

from db.store import Store, StoreError
from desktop.refresh import RefreshSummary
from desktop.ui.controllers.schedule import RefreshSchedule
from desktop.ui.notifier import Notifier
from desktop.ui.tray import Tray
from desktop.ui.views.main_window import MainWindow

logger = logging.getLogger(__name__)


def last_refresh_moment(rows: list[dict[str, object]]) -> float | None:
    """When any source was last fetched (seconds since the epoch), from `store.source_rows()`;
    None when none ever was."""
    moments = [str(r["last_attempt_at"]) for r in rows if r.get("last_attempt_at")]
    if not moments:
        return None
    return datetime.fromisoformat(max(moments).replace("Z", "+00:00")).timestamp()


class AlertsController(QObject):
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
        self.tray = Tray(window, qsettings, self)
        self.notifier = Notifier(window, self.tray, qsettings, clock=clock, parent=self)
        try:
            last = last_refresh_moment(store.source_rows())
        except StoreError as exc:  # a store that cannot say: counted from now
            logger.info("last refresh unknown: %s", exc)
            last = None
        self.schedule = RefreshSchedule(window, start_refresh, qsettings, last_refresh=last, parent=self)
        self.tray.refresh_requested.connect(start_refresh)

    def settings_changed(self) -> None:
        self.tray.settings_changed()

    def refresh_finished(self, _summary: RefreshSummary) -> None:
        self.schedule.refreshed()
        # Asked after the user's first refresh, having just seen what one does; never before.
        self.schedule.offer_if_not_asked()
