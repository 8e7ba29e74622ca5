"""File → Export Calendar: the deadlines of the records shown, parsed back with `icalendar`;
a reminders setting that is not a list of days stops the export with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import QSettings

from db.store import Query
from desktop.ui import settings
from desktop.ui.controllers.calendar import reminder_days
from desktop.ui.views.sidebar import VIEW
from tests.desktop.answer_box import answer_next_box

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's limit


def test_reminder_days_are_read_or_refused_with_the_reason() -> None:
    assert reminder_days("14, 3") == (14, 3)
    assert reminder_days("3;14;14") == (14, 3)
    assert reminder_days(" none ") == () and reminder_days("") == ()
    with pytest.raises(ValueError, match="not a list of days"):
        reminder_days("two weeks")
    with pytest.raises(ValueError, match="0 to 365"):
        reminder_days("400")


def test_the_followed_view_exports_one_event_per_deadline_with_reminders(
    qtbot, make_window, small_db, tmp_path: Path
) -> None:
    window, controller = make_window(small_db)
    store = controller.store
    with_deadline = [
        r["id"] for r in store.page(Query(sort="deadline", descending=False), 0, 50) if r["deadline_at"]
    ]
    followed = with_deadline[:3]
    store.set_followed(followed, True)
    with qtbot.waitSignal(controller.query_applied, timeout=10_000):
        window.sidebar.select(VIEW, "followed", notify=True)
    assert controller.calendar.action in window.file_menu.actions()

    target = tmp_path / "deadlines.ics"
    with qtbot.waitSignal(controller.calendar.finished, timeout=20_000) as done:
        assert controller.calendar.export_to(target)
    result = done.args[0]
    assert result.error is None and result.events >= len(followed)
    calendar = Calendar.from_ical(target.read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == result.events
    assert len({str(e["UID"]) for e in events}) == len(events)  # one stable UID per event
    assert all(len(e.walk("VALARM")) == 2 for e in events)  # 14 and 3 days before
    assert f"Exported {result.events} event" in window.status_bar.currentMessage()


def test_a_bad_reminders_setting_writes_nothing_and_says_why(
    qtbot, make_window, small_db, tmp_path: Path
) -> None:
    _window, controller = make_window(small_db)
    settings.put("calendar/reminders", "fortnightly", QSettings())
    target = tmp_path / "deadlines.ics"
    seen = answer_next_box("OK")
    assert not controller.calendar.export_to(target)
    assert not target.exists()
    assert any("not a list of days" in text for text in seen)
