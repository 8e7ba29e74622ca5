"""The window tests/desktop/ui/test_tray_on_x.py runs on a real X server with a system tray.

It refreshes from the local sources the test serves, and writes to RESULT.json what the user
met: how the alert was told, whether the tray icon and its message balloon were on screen, and
which view a click on the balloon opened; SCREEN.png is the whole screen while the balloon shows.

    python tests/desktop/ui/tray_window.py STORE.sqlite3 SOURCES.toml RESULT.json SCREEN.png
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from db.store import Store
from desktop.ui import settings
from desktop.ui.app import application
from desktop.ui.controllers.tracker import build_window
from desktop.ui.notifier import Alert
from scrapers.http import HttpClient

WAIT_S = 30


def _wait(app: QApplication, condition: object, seconds: float = WAIT_S) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return bool(condition())  # type: ignore[operator]


def _balloon() -> QWidget | None:
    """Qt's own message balloon, which a tray without a notification service shows."""
    for widget in QApplication.topLevelWidgets():
        if widget.metaObject().className() == "QBalloonTip" and widget.isVisible():
            return widget
    return None


def main() -> int:
    store_path, sources_path, result_path, screen_path = map(Path, sys.argv[1:5])
    app = application()
    result: dict[str, object] = {"tray_available": _wait(app, QSystemTrayIcon.isSystemTrayAvailable)}
    settings.put("alerts/quiet_from", 0)  # no quiet hours: the test may run at night
    settings.put("alerts/quiet_to", 0)
    store = Store.open(store_path)
    try:
        window, controller = build_window(
            store, sources_path=sources_path, client_factory=lambda: HttpClient(per_host_delay=0, retries=0)
        )
        window.resize(1200, 760)
        window.show()
        told: list[tuple[Alert, str]] = []
        notifier = controller.alerts.notifier
        notifier.shown.connect(lambda alert, how: told.append((alert, how)))
        controller.refreshing.start_refresh()
        result["alerted"] = _wait(app, lambda: bool(told), 90)
        if told:
            alert, how = told[0]
            result.update(text=alert.text, how=how, target=list(alert.target))
        icon = controller.alerts.tray.icon
        result["icon_visible"] = icon is not None and icon.isVisible()
        balloon = _balloon() if _wait(app, lambda: _balloon() is not None, 10) else None
        result["balloon"] = balloon is not None
        if balloon is not None:
            _wait(app, lambda: False, 0.5)  # painted
            screen = app.primaryScreen()
            screen.grabWindow(0).save(str(screen_path))
            window.sidebar.select("view", "archived", notify=True)  # elsewhere, so the click shows
            QTest.mouseClick(balloon, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))

            def changes_shown() -> bool:
                dialog = controller.alerts.changes_dialog
                return dialog is not None and dialog.isVisible()

            _wait(app, lambda: changes_shown() or window.sidebar.current_choice() != ("view", "archived"), 5)
            choice = window.sidebar.current_choice()
            result["after_click"] = list(choice) if choice else None
            result["changes_shown"] = changes_shown()
            result["balloon_closed"] = _balloon() is None
        window.close()
    finally:
        store.close()
    Path(result_path).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
