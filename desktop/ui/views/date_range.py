"""One date filter of the filter bar: a combo of spans ("Past 7 days", "Next 30 days", "Between…")
and, for "Between…", two date fields. The published, opening and deadline filters are each one
of these, so they read, reset and describe themselves the same way."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QWidget

CUSTOM = "custom"
YEAR = "year"
# A span's key: "" any date, "N" the past N days, "+N" the next N days, "year" since 1 January,
# "custom" between two chosen days.
PUBLISHED_SPANS: tuple[tuple[str, str], ...] = (
    ("", "Any date"),
    ("7", "Past 7 days"),
    ("30", "Past 30 days"),
    ("90", "Past 3 months"),
    (YEAR, "This year"),
    (CUSTOM, "Between…"),
)
# The opening and deadline spans name their filter, so a chosen one still says which it is.
OPENS_SPANS: tuple[tuple[str, str], ...] = (
    ("", "Opens"),
    ("+30", "Opens in 30 days"),
    ("+90", "Opens in 3 months"),
    ("30", "Opened last 30 days"),
    (CUSTOM, "Opens between…"),
)
DEADLINE_SPANS: tuple[tuple[str, str], ...] = (
    ("", "Deadline"),
    ("+7", "Deadline in 7 days"),
    ("+30", "Deadline in 30 days"),
    ("+90", "Deadline in 3 months"),
    (CUSTOM, "Deadline between…"),
)


class DateRange(QObject):
    """The combo and the two date fields of one date filter (the bar lays them out)."""

    changed = Signal()

    def __init__(
        self, name: str, spans: tuple[tuple[str, str], ...], tip: str, parent: QWidget, *, ahead: bool = False
    ) -> None:
        """`ahead`: "Between…" first offers the month ahead (deadlines, openings), else the
        month before (publications)."""
        super().__init__(parent)
        self.name = name
        self.ahead = ahead
        self.spans = dict(spans)
        self.combo = QComboBox(parent)
        self.combo.setAccessibleName(f"{name} filter")
        self.combo.setToolTip(tip)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for key, label in spans:
            self.combo.addItem(label, key)
        self.start = self._date_edit(f"{name} from", parent)
        self.end = self._date_edit(f"{name} until", parent)
        self.dash = QLabel("–", parent)
        self.dash.setTextFormat(Qt.TextFormat.PlainText)
        self.combo.currentIndexChanged.connect(self._on_span_chosen)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.combo, self.start, self.dash, self.end)

    def bounds(self, today: date) -> tuple[date | None, date | None]:
        """The first and last day the span covers (None: open on that side)."""
        key = self.combo.currentData() or ""
        if key.isdigit():
            return today - timedelta(days=int(key)), None
        if key.startswith("+") and key[1:].isdigit():
            return today, today + timedelta(days=int(key[1:]))
        if key == YEAR:
            return date(today.year, 1, 1), None
        if key == CUSTOM:
            return self.start.date().toPython(), self.end.date().toPython()
        return None, None

    def phrase(self) -> str | None:
        """The span in words for the filter strip, None when any date will do."""
        key = self.combo.currentData() or ""
        if not key:
            return None
        if key == CUSTOM:
            start, end = self.start.date().toPython(), self.end.date().toPython()
            return f"{self.name} {start:%-d %b %Y} – {end:%-d %b %Y}"
        label = self.spans[key]
        return label if label.startswith(self.name[:4]) else f"{self.name}: {label.lower()}"

    def reset(self) -> None:
        """Back to any date, without a signal."""
        was = self.combo.blockSignals(True)
        self.combo.setCurrentIndex(0)
        self.combo.blockSignals(was)
        self.show_custom(False)

    def show_custom(self, visible: bool) -> None:
        for widget in (self.start, self.dash, self.end):
            widget.setVisible(visible)

    def _on_span_chosen(self, _index: int) -> None:
        custom = self.combo.currentData() == CUSTOM
        if custom:  # a first guess the user moves: the month before, or the month ahead
            today = QDate.currentDate()
            first, last = (today, today.addDays(30)) if self.ahead else (today.addDays(-30), today)
            for edit, day in ((self.start, first), (self.end, last)):
                edit.blockSignals(True)
                edit.setDate(day)
                edit.blockSignals(False)
        self.show_custom(custom)
        self.changed.emit()

    def _date_edit(self, name: str, parent: QWidget) -> QDateEdit:
        edit = QDateEdit(parent)
        edit.setAccessibleName(name)
        edit.setToolTip(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setDate(QDate.currentDate())
        edit.dateChanged.connect(lambda _d: self.changed.emit())
        return edit
