"""The records table's look and the two mouse and focus habits it must not have."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


class TrackerTable(QTableView):
    """The tracker's table: row-wise selection, no editing, a quiet look."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trackerTable")
        self.setAccessibleName("Records")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTabKeyNavigation(False)
        self.setCornerButtonEnabled(False)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(30)
        vertical.setMinimumSectionSize(24)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setMinimumSectionSize(28)

    def setSelectionModel(self, selection_model: QItemSelectionModel) -> None:
        """The header gets a selection model of its own, always empty: Qt's header asks, at
        every paint after a selection change, whether each column is wholly selected, which
        walks every row through the model (10 s for a select all of 100,000 rows). Rows are
        what this table selects; its header has no selection to show."""
        super().setSelectionModel(selection_model)
        header = self.horizontalHeader()
        header.setSelectionModel(QItemSelectionModel(selection_model.model(), header))

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Focus alone opens nothing: Qt makes the first row current when a table without a
        current row gets focus, which would show that record and mark it read."""
        selection = self.selectionModel()
        had_current = selection is None or selection.currentIndex().isValid()
        if not had_current:
            selection.blockSignals(True)
        try:
            super().focusInEvent(event)
            if not had_current:
                selection.clear()
        finally:
            if not had_current:
                selection.blockSignals(False)
        self.viewport().update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A right click selects nothing (it has no menu here): only a left click opens."""
        if event.button() == Qt.MouseButton.RightButton:
            event.accept()
            return
        super().mousePressEvent(event)
