"""Columns per view on the real window: the header's menu, View → Columns, reordering, what
survives a new window on the same settings, corrupt settings, and the fit at 1366×768."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from desktop.ui.column_layout import DEFAULT_COLUMNS, FUNDING
from desktop.ui.settings import WindowState
from desktop.ui.tracker_columns import COLUMNS
from desktop.ui.views.column_menu import logical_index
from desktop.ui.views.sidebar import VIEW
from tests.desktop.conftest import rows_settled

KEYS = tuple(column.sort_key for column in COLUMNS)
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: no raise, no grab


def shown(window) -> list[str]:
    header = window.table.horizontalHeader()
    visible = [n for n in range(len(COLUMNS)) if not header.isSectionHidden(n)]
    return [COLUMNS[n].sort_key for n in sorted(visible, key=header.visualIndex)]


def choose(qtbot, window, view: str) -> None:
    """Pick a view in the sidebar and wait for its rows (and so its columns) to land."""
    window.sidebar.select(VIEW, view, notify=True)
    rows_settled(qtbot)


def right_click_header(qtbot, window) -> QMenu:
    """A real context-menu event on the header, as a right click sends; the menu it opens."""
    header = window.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(logical_index("title")) + 10, header.height() // 2)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, header.viewport().mapToGlobal(where))
    QApplication.sendEvent(header.viewport(), event)
    qtbot.waitUntil(lambda: window.column_menu.isVisible())
    return window.column_menu


def test_the_header_menu_hides_a_column_and_a_new_window_remembers_it(qtbot, make_window, big_db) -> None:
    window, _controller = make_window(big_db)
    assert "source" in shown(window)
    menu = right_click_header(qtbot, window)
    assert [a.objectName() for a in menu.actions() if a.isCheckable()] == [f"column_{k}" for k in KEYS]
    menu.column_actions["source"].trigger()
    menu.close()
    assert "source" not in shown(window)
    window.close()
    QSettings().sync()

    again, _controller2 = make_window(big_db, size=None)
    assert "source" not in shown(again)
    assert not again.column_menu.column_actions["source"].isChecked()
    assert again.column_menu.column_actions["title"].isChecked()


def test_the_view_menu_lists_the_columns_and_each_view_keeps_its_own(qtbot, make_window, big_db) -> None:
    window, _controller = make_window(big_db)
    view_menu = window.view_menu
    assert window.column_menu.menuAction() in view_menu.actions()
    assert shown(window)[:3] == ["star", "title", "category"]
    choose(qtbot, window, "open_funding")
    funding = shown(window)
    assert funding == [k for k in DEFAULT_COLUMNS[FUNDING] if k in KEYS] and "category" not in funding
    window.column_menu.column_actions["note"].trigger()  # shown last, in this view only
    assert shown(window)[-1] == "note"
    choose(qtbot, window, "all")
    assert "note" not in shown(window) and "category" in shown(window)
    choose(qtbot, window, "open_funding")
    assert shown(window)[-1] == "note"


def test_a_reordered_header_and_a_width_are_remembered_per_view(qtbot, make_window, big_db) -> None:
    window, _controller = make_window(big_db)
    choose(qtbot, window, "starred")
    header = window.table.horizontalHeader()
    header.moveSection(header.visualIndex(logical_index("status")), 1)  # as a drag does
    window.table.setColumnWidth(logical_index("published"), 150)
    assert shown(window)[:2] == ["star", "status"]
    window.close()
    QSettings().sync()

    again, _controller2 = make_window(big_db, size=None)
    assert again.sidebar.current_choice() == (VIEW, "starred")
    assert shown(again)[:2] == ["star", "status"]
    assert again.table.columnWidth(logical_index("published")) == 150
    choose(qtbot, again, "all")
    assert shown(again)[:2] == ["star", "title"]


def test_reset_columns_gives_the_views_defaults_back(qtbot, make_window, big_db) -> None:
    window, _controller = make_window(big_db)
    defaults = shown(window)
    window.column_menu.column_actions["tags"].trigger()
    window.column_menu.column_actions["budget"].trigger()
    assert shown(window) != defaults
    window.column_menu.reset_action.trigger()
    assert shown(window) == defaults
    assert "view:all" not in QSettings().value(WindowState.COLUMN_LAYOUTS)


def test_the_last_column_shown_cannot_be_hidden(qtbot, make_window, big_db) -> None:
    window, _controller = make_window(big_db)
    actions = window.column_menu.column_actions
    for key in shown(window)[:-1]:
        actions[key].trigger()
    last = shown(window)
    assert len(last) == 1 and not actions[last[0]].isEnabled()
    actions[last[0]].trigger()
    assert shown(window) == last


def test_corrupt_stored_layouts_fall_back_to_the_defaults(qtbot, make_window, big_db) -> None:
    window, _controller = make_window(big_db)
    defaults = shown(window)
    window.close()
    settings = QSettings()
    settings.setValue(WindowState.COLUMN_LAYOUTS, '{"view:all": {"visible": ["nope", 3], "widths": 9}')
    settings.sync()
    again, _controller2 = make_window(big_db, size=None)
    assert shown(again) == defaults
    again.close()
    hidden = [key for key in KEYS if key not in ("title", "star")]
    kept = {"view:all": {"visible": ["gone", "title", "star"], "hidden": [*hidden, "gone too"]}}
    settings.setValue(WindowState.COLUMN_LAYOUTS, json.dumps(kept))
    settings.sync()
    third, _controller3 = make_window(big_db, size=None)
    assert shown(third) == ["title", "star"]  # the unknown column is ignored, the rest kept


def test_at_1366x768_the_funding_columns_fit_and_title_is_the_widest(qtbot, make_window, big_db) -> None:
    for view in ("open_funding", "all"):
        window, _controller = make_window(big_db, size=(1366, 768), restore_state=False)
        choose(qtbot, window, view)
        qtbot.wait(20)
        table = window.table
        widths = {key: table.columnWidth(logical_index(key)) for key in shown(window)}
        assert sum(widths.values()) <= table.viewport().width(), widths
        assert widths["title"] == max(widths.values()), widths
        assert table.horizontalScrollBar().maximum() == 0
        window.close()


def test_budgets_and_dates_fit_in_full(qtbot, make_window, big_db) -> None:
    window, _controller = make_window(big_db, size=(1366, 768))
    choose(qtbot, window, "open_funding")
    metrics = window.table.fontMetrics()
    for key, text in (("budget", "€1,250,000,000"), ("budget", "£125,800,000"), ("deadline", "31 Dec 2026")):
        assert window.table.columnWidth(logical_index(key)) > metrics.horizontalAdvance(text) + 8


def test_the_detail_pane_collapses_with_a_key_and_stays_so(qtbot, make_window, big_db) -> None:
    window, _controller = make_window(big_db)
    action = window.actions["toggle_detail"]
    assert QKeySequence("Ctrl+\\") in action.shortcuts()
    assert action in window.view_menu.actions()
    before = window.table.viewport().width()
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table)
    qtbot.keyClick(window.table, Qt.Key.Key_Backslash, Qt.KeyboardModifier.ControlModifier)
    assert not window.detail.isVisible()
    sidebar = window.sidebar.width()
    qtbot.waitUntil(lambda: window.table.viewport().width() > before + 200)  # the records get its width
    assert window.sidebar.width() == sidebar
    window.close()
    QSettings().sync()
    again, _controller2 = make_window(big_db, size=None)
    assert not again.detail.isVisible() and not again.actions["toggle_detail"].isChecked()
    again.activateWindow()
    again.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is again.table)
    qtbot.keyClick(again.table, Qt.Key.Key_F9)
    assert again.detail.isVisible()


def test_the_detail_panes_width_is_remembered(qtbot, make_window, big_db) -> None:
    window, _controller = make_window(big_db)
    total = sum(window.splitter.sizes())
    window.splitter.setSizes([200, total - 200 - 500, 500])
    width = window.detail.width()
    window.close()
    QSettings().sync()
    again, _controller2 = make_window(big_db, size=None)
    assert again.detail.width() == width
