"""Small things seen in use: tag chips on first display, the Unread count while reading,
nothing opened (or marked read) without the user asking, the detail pane follows the filter."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from desktop.ui import settings
from desktop.ui.settings import WindowState
from desktop.ui.tracker_columns import COL_TITLE
from tests.desktop.conftest import landed
from tests.desktop.test_keys import changed, press, type_text, user_fields
from tests.desktop.ui.controllers.test_triage import focus_table


def chips(window) -> list[str]:
    return [
        c.text()
        for c in window.detail.tags.findChildren(QPushButton)
        if c.objectName() == "tagChip" and c.isVisibleTo(window)
    ]


def test_tag_chips_show_the_first_time_a_tagged_record_is_shown(qtbot, make_window, small_db) -> None:
    state = WindowState(QSettings())
    state.set_text(WindowState.VIEW, "tag:AI Act")
    state.sync()
    window, controller = make_window(small_db)  # as after a restart: the tag view restored
    assert controller.model.query.tag == "AI Act"
    focus_table(qtbot, window, 0)
    qtbot.waitUntil(lambda: window.detail.tags.tags() != [])
    assert any(text.startswith("AI Act") for text in chips(window))
    area = window.detail.tags._chips
    assert area.height() > 0 and area.isVisibleTo(window)


def test_the_unread_count_follows_reading_with_j(qtbot, make_window, small_db) -> None:
    settings.put("reading/mark_read_after", 0.0)  # read as shown (the dwell: test_reading.py)
    window, _controller = make_window(small_db)
    window.sidebar.select("view", "unread", notify=True)
    qtbot.waitUntil(lambda: window.sidebar.count_of("view", "unread") != "")
    start = int(window.sidebar.count_of("view", "unread").replace(",", ""))
    focus_table(qtbot, window, 0)
    for _ in range(3):
        press(qtbot, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: int(window.sidebar.count_of("view", "unread").replace(",", "")) == start - 4)


def test_escape_opens_nothing_and_marks_nothing_read(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.filter_bar.search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.filter_bar.search)
    type_text(qtbot, "a")
    before = user_fields(small_db)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: controller.model.query.search == "")
    assert QApplication.focusWidget() is window.table
    assert changed(before, user_fields(small_db)) == []
    assert window.detail.record_id is None and not window.table.currentIndex().isValid()
    press(qtbot, Qt.Key.Key_J)  # the first J then opens the first record
    assert window.table.currentIndex().row() == 0 and window.detail.record_id is not None


def test_a_right_click_opens_nothing_and_marks_nothing_read(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 0)
    shown = controller.place.current_record_id()
    before = user_fields(small_db)
    rect = window.table.visualRect(controller.model.index(4, COL_TITLE))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.RightButton, pos=rect.center())
    assert changed(before, user_fields(small_db)) == []
    assert controller.place.current_record_id() == shown and window.detail.record_id == shown
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert controller.place.current_record_id() == controller.model.record_id(4)  # a left click opens


def test_the_detail_pane_drops_a_record_the_new_filter_removed(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 2)
    title = controller.model.row(2)["title"]
    assert window.detail.record_id is not None
    window.filter_bar.search.setText("zzzz-" + title[:3])  # matches nothing
    controller.query.apply_query()
    landed(qtbot, controller)
    assert window.detail.record_id is None
    window.filter_bar.search.setText("")
    controller.query.apply_query()
    landed(qtbot, controller)
    window.sidebar.select("view", "starred", notify=True)
    landed(qtbot, controller)
    shown = window.detail.record_id
    assert shown is None or controller.model.find_row(shown) is not None
