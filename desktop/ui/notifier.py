"""Alerts after a refresh: "3 new in AI Act · 1 deadline moved", clickable, never at night.

An alert pops up from the system tray where the desktop has one (desktop/ui/tray.py) and is
always also put in the status bar as a link beside the refresh's summary, so that a desktop
without a tray, or a user who was away, still sees it, and a screen reader hears it (the link
is announced, desktop/ui/announce.py). During
the quiet hours (Settings) nothing pops up: the link in the status bar is all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QPushButton

from desktop.paths import APP_NAME
from desktop.ui import settings
from desktop.ui.announce import announce
from desktop.ui.tray import Tray
from desktop.ui.views.main_window import MainWindow

logger = logging.getLogger(__name__)

TRAY = "tray"  # popped up from the tray (and in the status bar)
STATUS = "status"  # no tray here: the status bar only
QUIET = "quiet"  # quiet hours: the status bar only


@dataclass(frozen=True)
class Alert:
    """What to tell (`text`) and what clicking it opens (`target`: a sidebar entry, kind and
    value, as `Sidebar.chosen` gives them)."""

    text: str
    target: tuple[str, str]


def in_quiet_hours(hour: int, start: int, end: int) -> bool:
    """Whether `hour` (0–23, local) falls in the quiet hours [start, end), which may span
    midnight (22 → 7); start == end means no quiet hours at all."""
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


class Notifier(QObject):
    """`notify(alert)` tells the user; `shown(alert, how)` says how (TRAY, STATUS or QUIET), and
    `opened(alert)` is emitted when the user clicks the alert (the tray message or the link)."""

    shown = Signal(Alert, str)
    opened = Signal(Alert)

    def __init__(
        self,
        window: MainWindow,
        tray: Tray,
        qsettings: QSettings,
        *,
        clock: Callable[[], datetime] = datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tray = tray
        self._qsettings = qsettings
        self._clock = clock
        self._status = window.status_bar
        self.last: Alert | None = None
        self.link = QPushButton()
        self.link.setObjectName("linkButton")
        self.link.setCursor(Qt.CursorShape.PointingHandCursor)
        self.link.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.link.setVisible(False)
        self.link.clicked.connect(self._open)
        self._status.insertWidget(2, self.link)  # after the message and its Undo link
        tray.message_clicked.connect(self._open)

    def quiet_now(self) -> bool:
        start = settings.get("alerts/quiet_from", self._qsettings)
        end = settings.get("alerts/quiet_to", self._qsettings)
        return in_quiet_hours(self._clock().hour, start, end)

    def notify(self, alert: Alert) -> str:
        """Tell the user `alert`; returns how it was told."""
        self.last = alert
        self.link.setText(f"{alert.text} ›")
        self.link.setToolTip(f"Show what this alert is about: {alert.text}")
        self.link.setVisible(True)
        announce(self.link, "Show", alert.text)  # named "Show: …" and spoken, the focus left alone
        if self.quiet_now():
            how = QUIET
        elif self._tray.show_message(APP_NAME, alert.text):
            how = TRAY
        else:
            how = STATUS
        logger.info("alert (%s): %s", how, alert.text)
        self.shown.emit(alert, how)
        return how

    def clear(self) -> None:
        self.last = None
        self.link.setVisible(False)

    def _open(self) -> None:
        if self.last is None:
            return
        alert = self.last
        self._tray.restore()
        self.clear()
        self.opened.emit(alert)
