"""What several selected records add up to, shown under the table while they are selected.

"3 records selected · 2 starred · 1 unread · Next deadline 18 Feb 2027, 17:00 CET (78 days left)
· Budget €1,500,000 (2 records)". Budgets are added up only within one currency: amounts in
euros and pounds are listed per currency, never summed into one number.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from db.bulk import Summary
from desktop.formatting import date_time, days_left, days_left_phrase, money
from desktop.ui.announce import announce


def summary_text(summary: Summary, now: datetime | None = None) -> str:
    """The summary in one line of plain words."""
    noun = "record" if summary.records == 1 else "records"
    parts = [
        f"{summary.records:,} {noun} selected",
        f"{summary.starred:,} starred",
        f"{summary.unread:,} unread",
    ]
    if summary.next_deadline:
        phrase = days_left_phrase(days_left(summary.next_deadline, now=now))
        parts.append(f"Next deadline {date_time(summary.next_deadline)} ({phrase})")
    budgets = [
        f"{money(total, currency)} ({count:,} record{'s' if count != 1 else ''})"
        for currency, total, count in summary.budgets
    ]
    if len(budgets) == 1:
        parts.append(f"Budget {budgets[0]}")
    elif budgets:
        parts.append(f"Budgets, per currency: {', '.join(budgets)}")
    return " · ".join(parts)


class SelectionSummary(QFrame):
    """A line under the table; hidden unless two or more records are selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("selectionSummary")
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.text, 1)
        self.setVisible(False)

    def show_summary(self, summary: Summary | None, now: datetime | None = None) -> None:
        if summary is None or summary.records < 2:
            self.setVisible(False)
            self.text.clear()
            return
        text = summary_text(summary, now)
        self.text.setText(text)
        announce(self.text, "Selection", text)
        self.setVisible(True)

    def show_problem(self, text: str) -> None:
        self.text.setText(text)
        self.setVisible(True)
