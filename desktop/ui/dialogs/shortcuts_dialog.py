"""Help → Keyboard Shortcuts: the table of desktop.shortcuts, nothing more.

As tall as its rows when the screen has the room (a fixed 620 px cut the list short and made
the last rows a scroll away even on a large screen); on a shorter screen, as tall as the screen
allows, with Close on it and the rest of the list a scroll away.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.shortcuts import SHORTCUTS, keys_label

WIDTH = 600
FRAME_ROOM = 60  # the window's title bar and frame, which the dialog's own height leaves out


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(SHORTCUTS), 2, self)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.table.setAccessibleName("Shortcut list")
        self.table.setHorizontalHeaderLabels(["Keys", "Action"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        for row, shortcut in enumerate(SHORTCUTS):
            self.table.setItem(row, 0, QTableWidgetItem(keys_label(shortcut.keys + shortcut.also)))
            self.table.setItem(row, 1, QTableWidgetItem(shortcut.text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(True)  # a long action takes two lines, its row grows to show them
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self._fit_the_screen(parent)

    def _fit_the_screen(self, parent: QWidget | None) -> None:
        """Every row's height at the dialog's width, then as tall as they need or the screen has."""
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        width = min(WIDTH, room.width() - 40) if room is not None else WIDTH
        self.resize(width, 400)
        self.layout().activate()
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(row) for row in range(self.table.rowCount()))
        chrome = self.sizeHint().height() - self.table.sizeHint().height()
        table = rows + self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        wanted = chrome + table
        self.resize(width, min(wanted, room.height() - FRAME_ROOM) if room is not None else wanted)
