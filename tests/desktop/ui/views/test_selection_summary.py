"""The summary of a multiple selection in words: budgets added up within one currency only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from db.bulk import Summary
from desktop.ui.views.selection_summary import SelectionSummary, summary_text

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)


def test_one_currency_is_added_up_and_the_next_deadline_is_given() -> None:
    summary = Summary(5, 2, 3, "2027-02-18T16:00:00Z", (("EUR", 12_500_000.0, 2),))
    text = summary_text(summary, NOW)
    assert text.startswith("5 records selected · 2 starred · 3 unread · Next deadline 18 Feb 2027")
    assert text.endswith("(17 days left) · Budget €12,500,000 (2 records)")


def test_several_currencies_are_listed_each_on_its_own() -> None:
    summary = Summary(3, 0, 0, None, (("GBP", 2_000_000.0, 1), ("EUR", 500_000.0, 2)))
    assert summary_text(summary, NOW) == (
        "3 records selected · 0 starred · 0 unread"
        " · Budgets, per currency: £2,000,000 (1 record), €500,000 (2 records)"
    )


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's limit
def test_the_line_shows_only_for_two_or_more(qtbot) -> None:
    line = SelectionSummary()
    qtbot.addWidget(line)
    line.show()
    line.show_summary(Summary(1, 0, 1, None, ()))
    assert not line.isVisible()
    line.show_summary(Summary(2, 1, 1, None, ()))
    assert line.isVisible() and line.text.text() == "2 records selected · 1 starred · 1 unread"
    line.show_summary(None)
    assert not line.isVisible() and line.text.text() == ""
