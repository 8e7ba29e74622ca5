"""The row menu: the window's own actions on the row under the pointer (or the current row, from
the keyboard), and the clipboard: copy link, copy as citation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from desktop.citation import citation
from desktop.ui.tracker_columns import COL_TITLE
from tests.desktop.ui.controllers.test_triage import focus_table, stored

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: no raise, no grab


def test_the_row_menu_acts_on_the_row_under_the_pointer(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 0)
    rect = window.table.visualRect(controller.model.index(3, COL_TITLE))
    menu = controller.row_menu.show_menu(rect.center())
    assert isinstance(menu, QMenu)
    qtbot.waitUntil(menu.isVisible)
    assert window.table.currentIndex().row() == 3  # the row right-clicked is the one acted on
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    mnemonics = [t[t.index("&") + 1].lower() for t in texts]
    assert len(set(mnemonics)) == len(mnemonics)  # each entry has a letter of its own
    assert texts[:3] == ["&Star", "St&atus", "Add &Tag…"]
    assert {
        "Copy &Link",
        "Copy as &Citation",
        "&Open Original",
        "Mark &Unread",
        "Mark All in &View as Read",
    } <= set(texts)
    status_menu = next(a.menu() for a in menu.actions() if a.text() == "St&atus")
    assert [a.text() for a in status_menu.actions()] == [
        "Mark as &New",
        "Mark as &Reviewing",
        "Mark as &Done",
        "Mark as Arc&hived",
    ]
    record_id = controller.place.current_record_id()
    next(a for a in menu.actions() if a.text() == "Copy as &Citation").trigger()
    menu.close()
    assert QApplication.clipboard().text() == citation(stored(small_db, record_id))


def test_the_keyboard_opens_the_row_menu_at_the_current_row(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 2)
    middle = window.table.rect().center()  # where Qt puts a menu-key event: the pane's middle
    key = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, middle, window.table.mapToGlobal(middle))
    QApplication.sendEvent(window.table, key)
    menu = controller.row_menu.menu
    assert menu is not None and menu.isVisible()
    assert window.table.currentIndex().row() == 2  # the current row, not the one in the middle
    assert len(window.table.selectionModel().selectedRows()) == 1
    rect = window.table.visualRect(controller.model.index(2, COL_TITLE))
    assert menu.pos() == window.table.viewport().mapToGlobal(rect.center())
    menu.close()


def test_copy_link_copies_every_selected_link(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 0)
    selection = QItemSelection(controller.model.index(0, 0), controller.model.index(2, COL_TITLE))
    window.table.selectionModel().select(
        selection, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    )
    qtbot.keyClick(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    urls = [stored(small_db, controller.model.record_id(r))["url"] for r in range(3)]
    assert QApplication.clipboard().text().split("\n") == urls
    assert window.status_bar.currentMessage() == "Copied 3 links."
