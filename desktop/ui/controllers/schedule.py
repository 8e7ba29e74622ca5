"""Refresh every N hours while the window is open, and ask once, calmly, whether to.

The interval is counted on the wall clock from the last refresh (one the user started too),
checked once a minute: a QTimer of hours does not count while a laptop sleeps, so a machine
woken after a night would wait hours more; this way it refreshes once at waking, never a burst
of missed ones. A refresh that could not start (one is running) is simply tried at the next
check. Off by default: after the first refresh the window shows a one-line offer
(ScheduleOffer) in place of a dialog; the answer is kept and the offer never shown again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QToolBar

from desktop.ui import settings
from desktop.ui.views.schedule_offer import OFFERED_HOURS, ScheduleOffer

logger = logging.getLogger(__name__)

CHECK_MS = 60_000


class RefreshSchedule(QObject):
    """Calls `start_refresh` when `refresh/every_hours` have passed since `last_refresh`
    (seconds since the epoch; None: never refreshed, counted from now)."""

    def __init__(
        self,
        window: QMainWindow,
        start_refresh: Callable[[], bool],
        qsettings: QSettings,
        *,
        last_refresh: float | None = None,
        clock: Callable[[], float] = time.time,
        check_ms: int = CHECK_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._start_refresh = start_refresh
        self._qsettings = qsettings
        self._clock = clock
        self.last_refresh = last_refresh if last_refresh is not None else clock()
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        self.offer: ScheduleOffer | None = None
        self._banner: QToolBar | None = None

    def every_hours(self) -> float:
        return float(settings.get("refresh/every_hours", self._qsettings))

    def due(self) -> bool:
        hours = self.every_hours()
        return hours > 0 and self._clock() - self.last_refresh >= hours * 3600

    def check(self) -> bool:
        """Start the refresh that is due; True when one was started."""
        if not self.due():
            return False
        logger.info("scheduled refresh (every %s h)", self.every_hours())
        started = self._start_refresh()
        if started:
            self.last_refresh = self._clock()
        return started

    def refreshed(self) -> None:
        """A refresh ended (scheduled or not): the next one is due an interval from now."""
        self.last_refresh = self._clock()

    # -- the one-time offer ------------------------------------------------------------------

    def offer_if_not_asked(self) -> bool:
        """Show the offer below the records, above the status line, unless the user has answered
        it; True if shown. Below, not above: it comes as a refresh ends, and a line pushing the
        table down would move the row under the user's pointer as they click it."""
        if self.offer is not None:  # on screen already
            return False
        if settings.get("refresh/schedule_offered", self._qsettings) or self.every_hours() > 0:
            return False
        self.offer = ScheduleOffer()
        self.offer.answered.connect(self._answered)
        banner = QToolBar("Automatic refresh", self._window)
        banner.setObjectName("scheduleOfferBar")
        banner.setMovable(False)
        banner.setFloatable(False)
        banner.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        banner.addWidget(self.offer)
        self._window.addToolBar(Qt.ToolBarArea.BottomToolBarArea, banner)
        banner.setVisible(True)  # a toolbar added to a window already shown starts hidden
        self._banner = banner
        return True

    def _answered(self, yes: bool) -> None:
        settings.put("refresh/every_hours", OFFERED_HOURS if yes else 0.0, self._qsettings)
        settings.put("refresh/schedule_offered", True, self._qsettings)
        self._qsettings.sync()
        if yes:
            self.refreshed()  # counted from the answer: no refresh the user did not see coming
        if self._banner is not None:
            self._window.removeToolBar(self._banner)
            self._banner.deleteLater()
        self._banner = None
        self.offer = None
        if yes:
            self._window.statusBar().showMessage(
                f"Refreshing every {OFFERED_HOURS:g} hours while Policy Tracker is open (Settings to change)."
            )
