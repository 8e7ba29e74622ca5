"""The system-tray icon: where a minimised window goes when the user wants it, and where alerts
pop up.

Not every desktop has a tray (GNOME without an extension, some Wayland sessions, a server's
offscreen display). There the window minimises as usual, the Settings dialog shows the tray
setting disabled with `tray_unavailable_reason()`, and alerts go to the status line
(desktop/ui/notifier.py).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSystemTrayIcon

from desktop.paths import APP_NAME
from desktop.ui import settings

logger = logging.getLogger(__name__)

MESSAGE_MS = 10_000  # how long a tray message stays, where the platform lets us choose


def tray_unavailable_reason() -> str | None:
    """None when this desktop has a system tray; else the one line the Settings dialog shows."""
    if QSystemTrayIcon.isSystemTrayAvailable():
        return None
    return "Not available here: this desktop has no system tray, so the window minimises as usual."


class Tray(QObject):
    """The tray icon of `window` where the desktop has a tray (`icon` is None where not).

    Emits `message_clicked` when the user clicks the last message shown, `refresh_requested`
    from the icon's menu. A minimised window hides into the tray while the setting
    "window/minimise_to_tray" is on; clicking the icon brings it back.
    """

    message_clicked = Signal()
    refresh_requested = Signal()

    def __init__(self, window: QMainWindow, qsettings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._qsettings = qsettings
        self.icon: QSystemTrayIcon | None = None
        if tray_unavailable_reason() is not None:
            return
        icon = window.windowIcon()
        app = QApplication.instance()
        if icon.isNull() and isinstance(app, QApplication):
            icon = app.windowIcon()
        self.icon = QSystemTrayIcon(icon if not icon.isNull() else QIcon(), self)
        self.icon.setToolTip(APP_NAME)
        menu = QMenu(window)
        show = QAction(f"Show {APP_NAME}", menu)
        show.triggered.connect(self.restore)
        refresh = QAction("Refresh Now", menu)
        refresh.triggered.connect(self.refresh_requested.emit)
        quit_action = QAction("Quit", menu)
        quit_action.triggered.connect(window.close)
        menu.addActions([show, refresh, quit_action])
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(self._on_activated)
        self.icon.messageClicked.connect(self.message_clicked.emit)
        self.icon.setVisible(self._to_tray())
        window.installEventFilter(self)

    def _to_tray(self) -> bool:
        return bool(settings.get("window/minimise_to_tray", self._qsettings))

    def settings_changed(self) -> None:
        if self.icon is not None:
            self.icon.setVisible(self._to_tray() or not self._window.isVisible())

    def show_message(self, title: str, text: str) -> bool:
        """Pop `text` up from the tray; False when there is no tray to do it."""
        if self.icon is None:
            return False
        self.icon.show()
        self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)
        return True

    def restore(self) -> None:
        """Bring the window back from the tray or the task bar (a window on screen stays as it is)."""
        window = self._window
        if window.isVisible() and not window.isMinimized():
            return
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)  # kept maximised
        window.show()
        window.raise_()
        window.activateWindow()
        if self.icon is not None and not self._to_tray():
            self.icon.hide()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.restore()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._window
            and event.type() == QEvent.Type.WindowStateChange
            and self._window.isMinimized()
            and self.icon is not None
            and self._to_tray()
        ):
            self.icon.show()
            QTimer.singleShot(0, self._window.hide)  # hiding inside the state change confuses some WMs
        return False
