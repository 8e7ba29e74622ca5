"""A date filter's spans as days: past, next, this year and between two chosen days."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from desktop.ui.views.date_range import CUSTOM, DEADLINE_SPANS, PUBLISHED_SPANS, DateRange

TODAY = date(2026, 12, 2)


def test_each_span_gives_its_days_and_its_words(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    published = DateRange("Published", PUBLISHED_SPANS, "tip", parent)
    deadline = DateRange("Deadline", DEADLINE_SPANS, "tip", parent, ahead=True)
    assert published.bounds(TODAY) == (None, None) and published.phrase() is None
    published.combo.setCurrentIndex(published.combo.findData("30"))
    assert published.bounds(TODAY) == (date(2026, 11, 2), None)
    assert published.phrase() == "Published: past 30 days"
    published.combo.setCurrentIndex(published.combo.findData("year"))
    assert published.bounds(TODAY) == (date(2026, 1, 1), None)
    deadline.combo.setCurrentIndex(deadline.combo.findData("+7"))
    assert deadline.bounds(TODAY) == (TODAY, date(2026, 12, 9))
    assert deadline.phrase() == "Deadline in 7 days"


def test_between_offers_the_month_around_today_and_says_the_days(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    deadline = DateRange("Deadline", DEADLINE_SPANS, "tip", parent, ahead=True)
    with qtbot.waitSignal(deadline.changed):
        deadline.combo.setCurrentIndex(deadline.combo.findData(CUSTOM))
    today = QDate.currentDate()
    assert (deadline.start.date(), deadline.end.date()) == (today, today.addDays(30))
    deadline.start.setDate(QDate(2027, 1, 5))
    deadline.end.setDate(QDate(2027, 2, 28))
    assert deadline.bounds(TODAY) == (date(2027, 1, 5), date(2027, 2, 28))
    assert deadline.phrase() == "Deadline 5 Jan 2027 – 28 Feb 2027"
    deadline.reset()
    assert deadline.bounds(TODAY) == (None, None) and not deadline.start.isVisibleTo(parent)
