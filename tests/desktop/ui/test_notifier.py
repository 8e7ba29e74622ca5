"""Alerts: the tray where there is one, else the status bar as a link; quiet hours kept."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QSettings

from desktop.ui import settings
from desktop.ui.notifier import QUIET, STATUS, TRAY, Alert, in_quiet_hours
from desktop.ui.views.sidebar import VIEW


@pytest.mark.parametrize(
    ("hour", "start", "end", "quiet"),
    [(23, 22, 7, True), (3, 22, 7, True), (7, 22, 7, False), (12, 22, 7, False), (13, 12, 14, True),
     (14, 12, 14, False), (5, 5, 5, False)],
)  # fmt: skip
def test_quiet_hours_may_span_midnight(hour: int, start: int, end: int, quiet: bool) -> None:
    assert in_quiet_hours(hour, start, end) is quiet


def test_an_alert_is_a_link_in_the_status_bar_and_opens_its_view(qtbot, make_window, small_db) -> None:
    _window, controller = make_window(small_db)
    notifier = controller.alerts.notifier
    notifier._clock = lambda: datetime(2026, 12, 2, 12, 0)  # noon: outside the quiet hours
    alert = Alert("3 new in AI Act · 1 deadline moved", (VIEW, "starred"))
    with qtbot.waitSignal(notifier.shown) as shown:
        how = notifier.notify(alert)
    assert shown.args == [alert, how]
    assert how == (TRAY if controller.alerts.tray.icon is not None else STATUS)
    assert notifier.link.accessibleName() == "Show: 3 new in AI Act · 1 deadline moved"
    assert notifier.link.isVisible() and "3 new in AI Act" in notifier.link.text()
    with qtbot.waitSignal(notifier.opened) as opened:
        notifier.link.click()
    assert opened.args == [alert]
    assert not notifier.link.isVisible()


def test_in_the_quiet_hours_nothing_pops_up(qtbot, make_window, small_db) -> None:
    _window, controller = make_window(small_db)
    notifier = controller.alerts.notifier
    settings.put("alerts/quiet_from", 22, QSettings())
    notifier._clock = lambda: datetime(2026, 12, 2, 23, 30)
    assert notifier.notify(Alert("1 new in Compute", (VIEW, "all"))) == QUIET
    assert notifier.link.isVisible()  # still there to see in the morning
