"""The search box and filters above the table (a view: it reports choices, it filters nothing)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QComboBox, QLineEdit, QWidget

from db.safe_text import shown
from desktop.formatting import STATUS_LABELS, category_label
from desktop.shortcuts import tooltip
from desktop.ui import theme
from desktop.ui.views.date_range import DEADLINE_SPANS, OPENS_SPANS, PUBLISHED_SPANS, DateRange
from desktop.ui.views.flow_layout import FlowLayout

logger = logging.getLogger(__name__)

ANY = ""
CALL_STATUSES: tuple[tuple[str, str], ...] = (
    ("open", "Open"),
    ("forthcoming", "Forthcoming"),
    ("closed", "Closed"),
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
    # The funding facets (docs/EU_SOURCES.md, "Funding facets").
    call_status: tuple[str, ...] = ()
    programme: str | None = None
    action_type: str | None = None
    opens_from: date | None = None
    opens_to: date | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None

    def facets(self) -> dict[str, Any]:
        """The funding facets as `Query` fields, for a query built from the bar."""
        return {
            "call_status": self.call_status,
            "programme": self.programme,
            "action_type": self.action_type,
            "opens_from": self.opens_from,
            "opens_to": self.opens_to,
            "deadline_from": self.deadline_from,
            "deadline_to": self.deadline_to,
        }


SPACING = 6  # between the search and the filters, and between filters
TAG_CHARS = 12  # the Tag filter's width, in characters
FACET_CHARS = 10  # the Programme and Type of action filters' width, in characters


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
        self.published = DateRange("Published", PUBLISHED_SPANS, "Show records published in a period", self)
        self.call_status = self._combo("Call status", "Call status", "Show calls open, forthcoming or closed")
        for key, label in CALL_STATUSES:
            self.call_status.addItem(label, key)
        self.programme = self._combo("Programme", "Programme", "Show one funding programme (or cluster)")
        self.action_type = self._combo(
            "Type of action", "Type of action", "Show one type of action or funding"
        )
        for combo in (self.programme, self.action_type):  # long names: the list shows them whole
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(FACET_CHARS)
        self.opens = DateRange("Opens", OPENS_SPANS, "Show calls opening in a period", self, ahead=True)
        self.deadline = DateRange(
            "Deadline", DEADLINE_SPANS, "Show records whose deadline falls in a period", self, ahead=True
        )
        facets = (self.call_status, self.programme, self.action_type)
        self._combos = (self.category, self.jurisdiction, self.status, self.tag, *facets)
        self._ranges = (self.published, self.deadline, self.opens)
        shown_in_order = (*self._combos[:4], *self.published.widgets(), *facets,
                          *self.deadline.widgets(), *self.opens.widgets())  # fmt: skip
        for widget in shown_in_order:
            self._flow.addWidget(widget)
        layout.addWidget(self._filters)
        for date_range in self._ranges:
            date_range.show_custom(False)
            date_range.changed.connect(self._on_changed)
        for combo in self._combos:
            combo.currentIndexChanged.connect(self._on_changed)
        self._fit()

    # -- filling -----------------------------------------------------------------------------

    def set_choices(self, categories: list[str], jurisdictions: list[str], tags: list[str]) -> None:
        """Refill the combos from the store's distinct values, keeping what is chosen."""
        self._refill(self.category, "Category", [(c, category_label(c)) for c in categories])
        self._refill(self.jurisdiction, "Region", [(j, j) for j in jurisdictions])
        self._refill(self.tag, "Tag", [(t, t) for t in tags])

    def set_facet_choices(
        self, programmes: list[tuple[str, int]], action_types: list[tuple[str, int]]
    ) -> None:
        """The programmes and types of action the store holds, each with its count."""
        self._refill(
            self.programme, "Programme", [(p, f"{shown(p, limit=120)} ({n:,})") for p, n in programmes]
        )
        self._refill(
            self.action_type,
            "Type of action",
            [(a, f"{shown(a, limit=120)} ({n:,})") for a, n in action_types],
        )

    def filters(self, today: date | None = None) -> Filters:
        today = today or date.today()
        date_from, date_to = self.published.bounds(today)
        opens_from, opens_to = self.opens.bounds(today)
        deadline_from, deadline_to = self.deadline.bounds(today)
        status = self.call_status.currentData() or ""
        return Filters(
            search=self.search.text().strip(),
            category=self.category.currentData() or None,
            jurisdiction=self.jurisdiction.currentData() or None,
            status=self.status.currentData() or None,
            tag=self.tag.currentData() or None,
            date_from=date_from,
            date_to=date_to,
            call_status=(status,) if status else (),
            programme=self.programme.currentData() or None,
            action_type=self.action_type.currentData() or None,
            opens_from=opens_from,
            opens_to=opens_to,
            deadline_from=deadline_from,
            deadline_to=deadline_to,
        )

    def range_phrases(self) -> list[str]:
        """The date filters in words, for the filter strip and an empty table's reason."""
        return [phrase for date_range in self._ranges if (phrase := date_range.phrase())]

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
            for combo in self._combos:
                combo.setCurrentIndex(0)
            for date_range in self._ranges:
                date_range.reset()
        finally:
            self.blockSignals(False)
        self._fit()
        self._mark_active()

    # -- helpers -----------------------------------------------------------------------------

    def _combo(self, name: str, any_label: str, tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(f"{name} filter")
        combo.setToolTip(tip)
        combo.addItem(any_label, ANY)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _on_changed(self, *_args: object) -> None:
        self._fit()
        self._mark_active()
        self.filters_changed.emit()

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
        for combo in (*self._combos, *(r.combo for r in self._ranges)):
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
