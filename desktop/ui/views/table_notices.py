"""What the centre column shows instead of the table or above it: the first-run screen, the
"no records" screen with a way out, and the line naming the filters in force."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.paths import resource_path
from desktop.shortcuts import tooltip

CLEAR_FILTERS = "Clear search and filters"
SHOW_ALL = "Show all records"  # a tag, source or watchlist with nothing in it, and no filter


class EmptyState(QWidget):
    """First run: what will be fetched, and one big Refresh button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.addStretch(2)
        icon = QLabel()
        icon.setPixmap(QIcon(str(resource_path("icon.svg"))).pixmap(QSize(72, 72)))
        icon.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(icon)
        layout.addSpacing(12)
        title = QLabel("Nothing tracked yet")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setObjectName("emptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(title)
        self.text = QLabel(
            "Policy Tracker keeps EU and UK AI-policy news, consultations and research-funding "
            "calls in one place on this computer, so that you can search, star, tag and annotate "
            "them — even offline.\n\nPress Refresh to fetch the latest announcements from:"
        )
        self.text.setObjectName("emptyText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.text.setMaximumWidth(620)
        layout.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        self.sources = QLabel()
        self.sources.setObjectName("emptySources")
        self.sources.setTextFormat(Qt.TextFormat.PlainText)
        self.sources.setWordWrap(True)
        self.sources.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.sources.setMaximumWidth(620)
        layout.addWidget(self.sources, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(18)
        self.refresh_button = QPushButton("Refresh now")
        self.refresh_button.setObjectName("bigRefreshButton")
        self.refresh_button.setAccessibleName("Refresh now: fetch every enabled source")
        self.refresh_button.setToolTip(tooltip("refresh"))
        self.refresh_button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(10)
        self.hint = QLabel("Or import a spreadsheet of records: File → Import CSV…")
        self.hint.setObjectName("emptySources")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.hint)
        layout.addStretch(3)

    def set_sources(self, names: list[str]) -> None:
        shown = names[:12]
        text = "\n".join(f"• {name}" for name in shown)
        if len(names) > len(shown):
            text += f"\n… and {len(names) - len(shown)} more"
        self.sources.setText(text or "(no source is enabled: open Sources to add or enable one)")


class NoResults(QWidget):
    """Shown instead of an empty table: why nothing is shown, and a way out when there is one
    (a view that is empty with nothing narrowing it has none: clearing would change nothing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noResults")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("emptyText")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what the user typed
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.message.setAccessibleName("No records")
        layout.addWidget(self.message)
        layout.addSpacing(10)
        self.clear_button = QPushButton(CLEAR_FILTERS)
        self.clear_button.setToolTip(tooltip("clear_search"))
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.show_reason("", None)

    def show_reason(self, text: str, way_out: str | None) -> None:
        """Say why the table is empty; `way_out` names the button that widens it (CLEAR_FILTERS,
        SHOW_ALL), None when nothing narrows the view."""
        self.message.setText(text)
        self.clear_button.setText(way_out or "")
        self.clear_button.setAccessibleName(way_out or "")
        self.clear_button.setVisible(way_out is not None)


class ActiveFilters(QWidget):
    """One line naming what narrows the table, with a one-click way back to everything."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activeFilters")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 10, 4)
        self.text = QLabel()
        self.text.setObjectName("activeFiltersText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setAccessibleName("Active filters")
        layout.addWidget(self.text, 1)
        self.clear_button = QPushButton("Clear all ×")
        self.clear_button.setObjectName("linkButton")
        self.clear_button.setAccessibleName("Clear search and filters")
        self.clear_button.setToolTip(tooltip("clear_search"))
        self.clear_button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout.addWidget(self.clear_button)
