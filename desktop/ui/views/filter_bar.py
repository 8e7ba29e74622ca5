"""The search box and filters above the table (a view: it reports choices, it filters nothing)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QComboBox, QDateEdit, QLabel, QLineEdit, QWidget

from desktop.formatting import STATUS_LABELS, category_label
from desktop.shortcuts import tooltip
from desktop.ui import theme
from desktop.ui.views.flow_layout import FlowLayout

logger = logging.getLogger(__name__)

ANY = ""
DATE_RANGES: tuple[tuple[str, str], ...] = (
    ("", "Any date"),
    ("7", "Past 7 days"),
    ("30", "Past 30 days"),
    ("90", "Past 3 months"),
    ("year", "This year"),
    ("custom", "Between…"),
)


@dataclass(frozen=True)
class Filters:
    search: str = ""
    category: str | None = None
    jurisdiction: str | None = None
    status: str | None = None
    tag: str | None = None
    date_from: date | None = None
    date_to: date | None = None


SPACING = 6  # between the search and the filters, and between filters
TAG_CHARS = 12  # the Tag filter's width, in characters


class FilterBar(QWidget):
    search_edited = Signal(str)  # every keystroke; the controller debounces
    filters_changed = Signal()  # a combo or date changed

    def __init__(self, icon_dir: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # One row when it fits; when the window is narrow or the text large (200 %), the search
        # takes a row of its own and the filters wrap below it rather than overlapping it.
        self._rows = layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(SPACING)

        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("Search text and notes  (Ctrl+F)")
        self.search.setAccessibleName("Search")
        self.search.setToolTip(tooltip("search") + ". Esc clears it.")
        self.search.setClearButtonEnabled(True)
        if icon_dir is not None:
            self.search.addAction(
                theme.icon(icon_dir / "search.svg"), QLineEdit.ActionPosition.LeadingPosition
            ).setText("Search")
        for action in self.search.findChildren(QAction, "_q_qlineeditclearaction"):
            action.setText("Clear the search")  # a screen reader names the × button by it
        self.search.textEdited.connect(self.search_edited)
        layout.addWidget(self.search, 1)
        self._filters = QWidget(self)  # after the search: Tab goes search, then the filters
        self._flow = FlowLayout(self._filters, spacing=SPACING)

        self.category = self._combo("Category", "Category", "Show one category only")
        self.jurisdiction = self._combo("Region", "Region", "Show one jurisdiction only (EU, UK, …)")
        self.status = self._combo("Status", "Status", "Show one triage status only")
        for key, label in STATUS_LABELS.items():
            self.status.addItem(label, key)
        self.tag = self._combo("Tag", "Tag", "Show records with one tag")
        # As wide as a short tag, whatever tags the store has: a long one no longer widens it
        # and shrinks the search (its list still shows every name whole).
        self.tag.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tag.setMinimumContentsLength(TAG_CHARS)
        self.dates = self._combo("Published", "Any date", "Show records published in a period")
        self.dates.clear()
        for key, label in DATE_RANGES:
            self.dates.addItem(label, key)
        for combo in (self.category, self.jurisdiction, self.status, self.tag, self.dates):
            self._flow.addWidget(combo)
        self.date_from = self._date_edit("Published from")
        self.date_to = self._date_edit("Published until")
        self.date_dash = QLabel("–")
        self.date_dash.setTextFormat(Qt.TextFormat.PlainText)
        self._flow.addWidget(self.date_from)
        self._flow.addWidget(self.date_dash)
        self._flow.addWidget(self.date_to)
        layout.addWidget(self._filters)
        self._show_custom_dates(False)
        for combo in (self.category, self.jurisdiction, self.status, self.tag, self.dates):
            combo.currentIndexChanged.connect(self._on_combo_changed)

    # -- filling -----------------------------------------------------------------------------

    def set_choices(self, categories: list[str], jurisdictions: list[str], tags: list[str]) -> None:
        """Refill the combos from the store's distinct values, keeping what is chosen."""
        self._refill(self.category, "Category", [(c, category_label(c)) for c in categories])
        self._refill(self.jurisdiction, "Region", [(j, j) for j in jurisdictions])
        self._refill(self.tag, "Tag", [(t, t) for t in tags])

    def filters(self, today: date | None = None) -> Filters:
        today = today or date.today()
        date_from = date_to = None
        key = self.dates.currentData() or ""
        if key.isdigit():
            date_from = today - timedelta(days=int(key))
        elif key == "year":
            date_from = date(today.year, 1, 1)
        elif key == "custom":
            date_from = self.date_from.date().toPython()
            date_to = self.date_to.date().toPython()
        return Filters(
            search=self.search.text().strip(),
            category=self.category.currentData() or None,
            jurisdiction=self.jurisdiction.currentData() or None,
            status=self.status.currentData() or None,
            tag=self.tag.currentData() or None,
            date_from=date_from,
            date_to=date_to,
        )

    def set_tag(self, name: str | None) -> None:
        self._choose(self.tag, name or ANY)

    def choose(self, combo: QComboBox, value: str | None) -> None:
        """Set a combo by its data, adding the entry when the store has not listed it yet."""
        self._choose(combo, value or ANY)

    def clear(self) -> None:
        """Back to no search and no filter, without a signal per widget."""
        self.blockSignals(True)
        try:
            self.search.clear()
            for combo in (self.category, self.jurisdiction, self.status, self.tag, self.dates):
                combo.setCurrentIndex(0)
            self._show_custom_dates(False)
        finally:
            self.blockSignals(False)
        self._mark_active()

    # -- helpers -----------------------------------------------------------------------------

    def _combo(self, name: str, any_label: str, tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(f"{name} filter")
        combo.setToolTip(tip)
        combo.addItem(any_label, ANY)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setAccessibleName(name)
        edit.setToolTip(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setDate(QDate.currentDate())
        edit.dateChanged.connect(lambda _d: self.filters_changed.emit())
        return edit

    def _on_combo_changed(self, _index: int) -> None:
        if self.sender() is self.dates:
            custom = self.dates.currentData() == "custom"
            if custom:
                self.date_from.blockSignals(True)
                self.date_from.setDate(QDate.currentDate().addDays(-30))
                self.date_from.blockSignals(False)
            self._show_custom_dates(custom)
        self._mark_active()
        self.filters_changed.emit()

    def _show_custom_dates(self, visible: bool) -> None:
        for widget in (self.date_from, self.date_dash, self.date_to):
            widget.setVisible(visible)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Search and filters on one row if they fit at their natural sizes, else two rows."""
        shown = [self._flow.itemAt(i).widget() for i in range(self._flow.count())]
        widths = [w.sizeHint().width() for w in shown if w is not None and not w.isHidden()]
        one_row = sum(widths) + SPACING * (len(widths) - 1)
        margins = self._rows.contentsMargins()
        room = self.width() - margins.left() - margins.right() - self._rows.spacing()
        wide = room >= self.search.minimumSizeHint().width() + one_row
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        self._filters.setMinimumWidth(one_row if wide else 0)
        if self._rows.direction() != direction:
            self._rows.setDirection(direction)

    def _mark_active(self) -> None:
        """A chosen filter looks chosen (the `active` property is styled in style.qss)."""
        for combo in (self.category, self.jurisdiction, self.status, self.tag, self.dates):
            active = combo.currentIndex() > 0
            if combo.property("active") != active:
                combo.setProperty("active", active)
                combo.style().unpolish(combo)
                combo.style().polish(combo)

    def _refill(self, combo: QComboBox, any_label: str, entries: list[tuple[str, str]]) -> None:
        chosen = combo.currentData() or ANY
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(any_label, ANY)
            for value, label in entries:
                combo.addItem(label, value)
            self._choose(combo, chosen, signal=False)
        finally:
            combo.blockSignals(False)

    def _choose(self, combo: QComboBox, value: str, *, signal: bool = False) -> None:
        index = combo.findData(value)
        if index < 0 and value:
            combo.addItem(value, value)
            index = combo.count() - 1
        was = combo.blockSignals(not signal)
        try:
            combo.setCurrentIndex(max(0, index))
        finally:
            combo.blockSignals(was)
        self._mark_active()
