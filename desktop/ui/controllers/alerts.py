"""Tell the user without being asked: the scheduled refresh, the tray, and the alerts after it.

Wired to the tracker's controller with a few lines (its `refresh_finished`, `start_refresh`,
its Settings dialog); what it owns: `schedule` (desktop/ui/controllers/schedule.py), `tray`
(desktop/ui/tray.py) and `notifier` (desktop/ui/notifier.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings

from db.store import StoreError
from desktop.refresh import RefreshSummary
from desktop.ui.controllers.schedule import RefreshSchedule
from desktop.ui.notifier import Notifier
from desktop.ui.tray import Tray

if TYPE_CHECKING:
    from desktop.ui.controllers.tracker import TrackerController

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
        tracker: TrackerController,
        qsettings: QSettings,
        *,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__(tracker)
        self._tracker = tracker
        window = tracker.window
        self.tray = Tray(window, qsettings, self)
        self.notifier = Notifier(window, self.tray, qsettings, clock=clock, parent=self)
        try:
            last = last_refresh_moment(tracker.store.source_rows())
        except StoreError as exc:  # a store that cannot say: counted from now
            logger.info("last refresh unknown: %s", exc)
            last = None
        self.schedule = RefreshSchedule(
            window, tracker.start_refresh, qsettings, last_refresh=last, parent=self
        )
        self.tray.refresh_requested.connect(tracker.start_refresh)
        tracker.refresh_finished.connect(self._on_refresh_finished)

    def settings_changed(self) -> None:
        self.tray.settings_changed()

    def _on_refresh_finished(self, _summary: RefreshSummary) -> None:
        self.schedule.refreshed()
        # Asked after the user's first refresh, having just seen what one does; never before.
        self.schedule.offer_if_not_asked()
