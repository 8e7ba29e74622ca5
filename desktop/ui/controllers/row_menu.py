"""The table's context menu and the clipboard: copy the link, copy as citation.

A right click on a row that is not selected selects it first (as a file manager does); on a
selected row the menu acts on the whole selection. The menu key and Shift+F10 open the same
menu at the current row.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

from db.store import Store
from desktop.briefs.model import web_address
from desktop.citation import citation
from desktop.ui import table_selection
from desktop.ui.store_guard import StoreGuard
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.views.row_menu import row_menu
from desktop.ui.views.tracker_table import TrackerTable


class RowMenuController(QObject):
    status = Signal(str)

    def __init__(
        self,
        store: Store,
        model: TrackerModel,
        table: TrackerTable,
        actions: dict[str, QAction],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._model = model
        self._table = table
        self._actions = actions
        self._guard = StoreGuard(self.status.emit)
        self.menu: QMenu | None = None
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self.show_menu)
        table.menu_key_pressed.connect(lambda: self.show_menu(QPoint(-1, -1)))
        actions["copy_link"].triggered.connect(self.copy_links)
        actions["copy_citation"].triggered.connect(self.copy_citations)

    def show_menu(self, pos: QPoint) -> QMenu | None:
        """The menu at `pos` (viewport coordinates), for the row there or the current one."""
        table = self._table
        index = table.indexAt(pos)
        if index.isValid():
            if not table.selectionModel().isRowSelected(index.row(), index.parent()):
                table.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
        else:
            index = table.currentIndex()
            if not index.isValid():
                return None
            pos = table.visualRect(index).center()
        self.menu = row_menu(self._actions, table)
        self.menu.popup(table.viewport().mapToGlobal(pos))
        return self.menu

    def copy_links(self) -> None:
        records = self._records()
        links = [link for link in (web_address(r.get("url")) for r in records) if link]
        if not links:
            if records:
                self.status.emit("No web address to copy.")
            return
        QApplication.clipboard().setText("\n".join(links))
        self.status.emit(f"Copied {len(links)} link{'s' if len(links) != 1 else ''}.")

    def copy_citations(self) -> None:
        records = self._records()
        if not records:
            return
        QApplication.clipboard().setText("\n".join(citation(r) for r in records))
        self.status.emit(f"Copied {len(records)} citation{'s' if len(records) != 1 else ''}.")

    def _records(self) -> list[dict[str, object]]:
        ids = table_selection.selected_ids(self._table, self._model, self.status.emit)
        found: list[dict[str, object] | None] = []
        with self._guard("Could not read the records") as attempt:
            found = [self._store.record(i) for i in ids]
        if attempt.failed:
            return []
        return [r for r in found if r is not None]
