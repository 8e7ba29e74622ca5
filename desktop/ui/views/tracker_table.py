"""The records table's look, and the mouse, focus and scroll habits it must not have."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFocusEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

_ENSURE = QAbstractItemView.ScrollHint.EnsureVisible
_TO_ENDS = (QAbstractItemView.CursorAction.MoveHome, QAbstractItemView.CursorAction.MoveEnd)
_SIDEWAYS = (QAbstractItemView.CursorAction.MoveLeft, QAbstractItemView.CursorAction.MoveRight)


class TrackerTable(QTableView):
    """The tracker's table: row-wise selection, no editing, a quiet look."""

    # The menu key (or Shift+F10): the menu belongs at the current row, not the pane's middle
    # where Qt would put it. Told by the table itself, not through another object's event
    # filter: a filter object torn down before the table once crashed the interpreter.
    menu_key_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trackerTable")
        self._sideways = False  # the last key moved left or right: its scroll may go sideways
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
        header.setStretchLastSection(False)  # Title stretches (desktop/ui/column_layout.py)
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

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ContextMenu
            and isinstance(event, QContextMenuEvent)
            and event.reason() == QContextMenuEvent.Reason.Keyboard
        ):
            self.menu_key_pressed.emit()
            return True
        return super().event(event)

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

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Home and End (with or without Ctrl) go to the first and the last record, keeping
        the column: a table of rows has no first or last cell to go to, and Qt's own move to
        the last column scrolled sideways, hiding the star and the titles."""
        self._sideways = cursorAction in _SIDEWAYS
        current = self.currentIndex()
        model = self.model()
        if cursorAction not in _TO_ENDS or model is None or model.rowCount() == 0:
            return super().moveCursor(cursorAction, modifiers)
        row = 0 if cursorAction == QAbstractItemView.CursorAction.MoveHome else model.rowCount() - 1
        column = current.column() if current.isValid() else self.horizontalHeader().logicalIndexAt(0)
        return model.index(row, max(column, 0))

    def scrollTo(
        self, index: QModelIndex | QPersistentModelIndex, hint: QAbstractItemView.ScrollHint = _ENSURE
    ) -> None:
        """Up, down, Home, End and a record chosen elsewhere scroll up or down only: the
        sideways scroll stays where the user left it (Left and Right may move it)."""
        bar = self.horizontalScrollBar()
        kept = bar.value()
        super().scrollTo(index, hint)
        if not self._sideways:
            bar.setValue(kept)
        self._sideways = False
