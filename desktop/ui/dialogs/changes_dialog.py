"""What changed in the last refresh: deadlines moved (old → new), budgets changed, calls opened
or closed, new records per watchlist. A window of its own beside the main one (not modal), so
that the user can go through the list while working in the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.safe_text import shown
from desktop.ui import theme

RecordRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ChangeLine:
    """One record's change in words ("Horizon call — deadline 3 Mar → 17 Mar 2026")."""

    record_id: int
    title: str
    what: str


@dataclass(frozen=True)
class ChangeSection:
    title: str  # "Deadlines moved", "New in AI Act"
    lines: tuple[ChangeLine, ...]


class ChangesDialog(QDialog):
    """Emits `record_chosen(record_id)` when the user opens a line (Enter or double click)."""

    record_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("What changed")
        self.setAccessibleName("What changed in the last refresh")
        self.setModal(False)
        self.resize(640, 520)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Summary")
        layout.addWidget(self.heading)
        self.tree = QTreeWidget()
        self.tree.setObjectName("changesTree")
        self.tree.setAccessibleName("Changes")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(14)
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the title takes the room
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._on_activated)
        layout.addWidget(self.tree, 1)
        hint = QLabel("Enter or double-click shows the record in the main window.")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setProperty("role", "fieldName")
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    def show_changes(self, heading: str, sections: Sequence[ChangeSection]) -> None:
        """Fill the list; sections without lines are left out, and an empty list says so."""
        self.heading.setText(heading)
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        shown_sections = [s for s in sections if s.lines]
        for section in shown_sections:
            head = QTreeWidgetItem(self.tree, [f"{section.title} ({len(section.lines)})", ""])
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            head.setFirstColumnSpanned(True)
            for line in section.lines:
                title = shown(line.title, 300)
                what = shown(line.what, 300)
                item = QTreeWidgetItem(head, [title, what])
                item.setData(0, RecordRole, line.record_id)
                item.setToolTip(0, f"{title}\n{what}")
                item.setForeground(1, theme.brush("muted"))  # 4.5:1 in every theme
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{title}: {what}")
        if not shown_sections:
            empty = QTreeWidgetItem(
                self.tree, ["Nothing moved: no deadline, budget or call status changed.", ""]
            )
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            empty.setFirstColumnSpanned(True)
        self.tree.expandAll()

    def lines(self) -> list[tuple[str, str, str]]:
        """(section, title, what) of every line shown, for tests and accessibility checks."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            for j in range(head.childCount()):
                child = head.child(j)
                out.append((head.text(0), child.text(0), child.text(1)))
        return out

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        record_id = item.data(0, RecordRole)
        if record_id is not None:
            self.record_chosen.emit(int(record_id))
