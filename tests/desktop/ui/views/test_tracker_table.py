"""The records table's keys on the real window: Home and End go up and down, never sideways."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def wide_table(qtbot, make_window, db):  # type: ignore[no-untyped-def]
    """The window at 1366×768 with every column shown: wider than its viewport."""
    window, controller = make_window(db, size=(1366, 768))
    for action in window.column_menu.column_actions.values():
        action.setChecked(True)
    table = window.table
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() > 0)
    window.activateWindow()
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    controller.place.select_row(0)
    return window, controller


def test_ctrl_end_goes_to_the_last_row_without_scrolling_sideways(qtbot, make_window, big_db) -> None:
    window, controller = wide_table(qtbot, make_window, big_db)
    table = window.table
    bar = table.horizontalScrollBar()
    assert bar.value() == 0
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().row() == controller.model.rowCount() - 1
    assert bar.value() == 0  # the star and the titles stay in sight
    assert table.verticalScrollBar().value() == table.verticalScrollBar().maximum()
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().row() == 0 and bar.value() == 0
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert table.currentIndex().row() == controller.model.rowCount() - 1 and bar.value() == 0


def test_a_record_chosen_elsewhere_keeps_the_sideways_scroll(qtbot, make_window, big_db) -> None:
    window, controller = wide_table(qtbot, make_window, big_db)
    table = window.table
    bar = table.horizontalScrollBar()
    bar.setValue(bar.maximum())
    controller.place.select_row(controller.model.rowCount() - 1)  # as J, Undo or a search does
    assert table.currentIndex().row() == controller.model.rowCount() - 1
    assert bar.value() == bar.maximum()
