"""The tags controller in the real window: the Tags dialog reached from the menu and the
sidebar, rename (chips and sidebar follow), merge and delete asked first and undone by Ctrl+Z,
colours on chips and in the sidebar, a bad name refused in the dialog with nothing changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QPushButton

from db.store import Query
from desktop.ui import tag_colours
from desktop.ui.views.sidebar import TAG
from desktop.ui.worker import running_tasks
from tests.desktop.answer_box import answer_next_box

WAIT_MS = 20_000
# The offscreen platform cannot raise a window, grab the keyboard for a menu or pass size
# hints on; a real desktop does.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", r"raise\(\)", "grabbing the keyboard")


def _tags(db_path: Path) -> list[tuple[str, str | None, int]]:
    """Every tag with its colour and its records, read through a second connection."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT t.name, t.colour, (SELECT count(*) FROM record_tags WHERE tag_id = t.id) FROM tags t"
            " ORDER BY t.name COLLATE NOCASE"
        ).fetchall()
    finally:
        conn.close()


def _user_work(db_path: Path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT id, tags_text FROM records ORDER BY id").fetchall()
        return [*rows, *conn.execute("SELECT * FROM record_tags ORDER BY 1, 2"), *_tags(db_path)]
    finally:
        conn.close()


def _settle(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: running_tasks() == 0 and not controller.tags.busy and not controller.counts.running,
        timeout=WAIT_MS,
    )


def _sidebar_tags(window) -> list[str]:  # type: ignore[no-untyped-def]
    section = window.sidebar._sections[TAG]
    return [section.child(i).data(0, Qt.ItemDataRole.UserRole + 2) for i in range(section.childCount())]


def _open_dialog(qtbot, window, controller, name: str):  # type: ignore[no-untyped-def]
    window.actions["manage_tags"].trigger()
    _settle(qtbot, controller)
    dialog = controller.tags.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.choose(name)
    return dialog


def _show_a_record_tagged(qtbot, window, controller, name: str) -> int:  # type: ignore[no-untyped-def]
    window.sidebar.select(TAG, name, notify=True)
    _settle(qtbot, controller)
    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.record_id is not None, timeout=WAIT_MS)
    return window.detail.record_id


def _chips(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        c.property("tag") for c in window.detail.tags.findChildren(QPushButton, "tagChip") if c.isVisible()
    ]


def test_the_dialog_lists_every_tag_with_its_count(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    _settle(qtbot, controller)
    dialog = _open_dialog(qtbot, window, controller, "compute")
    listed = [
        (dialog.list.topLevelItem(i).text(0), int(dialog.list.topLevelItem(i).text(1).replace(",", "")))
        for i in range(dialog.list.topLevelItemCount())
    ]
    assert listed == [(name, n) for name, _colour, n in _tags(small_db)]
    assert len(listed) == 3


def test_a_rename_in_the_dialog_updates_the_chips_and_the_sidebar(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    _settle(qtbot, controller)
    record_id = _show_a_record_tagged(qtbot, window, controller, "compute")
    assert "compute" in _chips(window)
    dialog = _open_dialog(qtbot, window, controller, "compute")
    dialog.rename_field.setText("Compute capacity")
    dialog.rename_button.click()
    _settle(qtbot, controller)
    assert "Compute capacity" in _chips(window) and "compute" not in _chips(window)
    assert "Compute capacity" in _sidebar_tags(window) and "compute" not in _sidebar_tags(window)
    assert window.sidebar.current_choice() == (TAG, "Compute capacity")  # the view follows the name
    assert controller.model.query.tag == "Compute capacity"
    assert window.detail.record_id == record_id
    assert "Renamed the tag “compute” to “Compute capacity”" in dialog.message.text()


def test_a_merge_asks_first_and_cancel_changes_nothing(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    _settle(qtbot, controller)
    before = _user_work(small_db)
    dialog = _open_dialog(qtbot, window, controller, "compute")
    dialog.rename_field.setText("ai act")
    seen = answer_next_box("Cancel")
    dialog.rename_button.click()
    _settle(qtbot, controller)
    compute = next(n for name, _c, n in _tags(small_db) if name == "compute")
    assert "Merge the tag “compute” into “AI Act”?" in seen
    assert any(f"The {compute} records tagged “compute” will be tagged “AI Act”" in text for text in seen)
    assert _user_work(small_db) == before

    seen = answer_next_box("Merge")
    dialog.rename_button.click()
    _settle(qtbot, controller)
    assert [name for name, _c, _n in _tags(small_db)] == ["AI Act", "for Friday"]
    assert "compute" not in _sidebar_tags(window)


def test_a_delete_asks_with_the_count_and_undo_puts_everything_back(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    _settle(qtbot, controller)
    _show_a_record_tagged(qtbot, window, controller, "for Friday")
    before = _user_work(small_db)
    friday = next(n for name, _c, n in _tags(small_db) if name == "for Friday")
    dialog = _open_dialog(qtbot, window, controller, "for Friday")
    seen = answer_next_box("Remove Tag")
    dialog.delete_button.click()
    _settle(qtbot, controller)
    assert f"Remove the tag “for Friday” from {friday} records?" in seen
    assert "for Friday" not in [name for name, _c, _n in _tags(small_db)]
    assert window.sidebar.current_choice() == ("view", "all")  # the view of the deleted tag gave way
    window.actions["undo"].trigger()
    _settle(qtbot, controller)
    assert _user_work(small_db) == before
    assert "for Friday" in _sidebar_tags(window)
    window.sidebar.select(TAG, "for Friday", notify=True)
    _settle(qtbot, controller)
    assert controller.model.rowCount() == controller.store.count(Query(tag="for Friday")) > 0


def test_a_colour_shows_on_the_chips_and_in_the_sidebar_and_is_undone(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    _settle(qtbot, controller)
    _show_a_record_tagged(qtbot, window, controller, "AI Act")
    menu = controller.tags.menu_for("AI Act")
    colours = next(a.menu() for a in menu.actions() if a.menu() is not None)
    next(a for a in colours.actions() if a.text() == "Teal").trigger()
    _settle(qtbot, controller)
    assert ("AI Act", "teal") in [(n, c) for n, c, _ in _tags(small_db)]
    assert window.sidebar.tag_colour("AI Act") == "teal"
    assert window.actions["undo"].text() == "&Undo: Coloured the tag “AI Act” teal"
    chip = next(
        c for c in window.detail.tags.findChildren(QPushButton, "tagChip") if c.property("tag") == "AI Act"
    )
    assert tag_colours.shade("teal").chip in chip.styleSheet()  # type: ignore[union-attr]
    window.actions["undo"].trigger()
    _settle(qtbot, controller)
    assert ("AI Act", None) in [(n, c) for n, c, _ in _tags(small_db)]
    assert window.sidebar.tag_colour("AI Act") is None and chip.styleSheet() == ""


def test_a_bad_name_is_refused_in_the_dialog_and_nothing_changes(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    _settle(qtbot, controller)
    before = _user_work(small_db)
    dialog = _open_dialog(qtbot, window, controller, "compute")
    for bad, reason in (
        ("", "needs a name"),
        ("evil\x1b[2J", "control characters"),
        ("x" * 61, "at most 60"),
    ):
        dialog.rename_field.setText(bad)
        dialog.rename_button.click()
        _settle(qtbot, controller)
        assert reason in dialog.message.text() and "\x1b" not in dialog.message.text()
    assert _user_work(small_db) == before


def test_the_sidebar_menu_of_the_tags_section_opens_the_dialog(qtbot, make_window, small_db) -> None:
    _window, controller = make_window(small_db)
    _settle(qtbot, controller)
    section_menu = controller.tags.menu_for("")
    assert [a.text() for a in section_menu.actions()] == ["Manage &Tags…"]
    tag_menu = controller.tags.menu_for("compute")
    assert [a.text() for a in tag_menu.actions() if a.text()] == [
        "&Rename or merge…",
        "&Colour",
        "&Delete…",
        "Manage &Tags…",
    ]
    next(a for a in tag_menu.actions() if a.text() == "&Rename or merge…").trigger()
    _settle(qtbot, controller)
    dialog = controller.tags.dialog
    assert dialog is not None and dialog.chosen() == "compute"
    assert dialog.rename_field.hasFocus() or dialog.rename_field.selectedText() == "compute"


def test_a_right_click_on_a_tag_or_the_tags_section_asks_for_its_menu(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    _settle(qtbot, controller)
    asked: list[str] = []
    window.sidebar.tag_menu.connect(lambda name, _at: asked.append(name))
    section = window.sidebar._sections[TAG]
    for item in (section, section.child(0)):
        window.sidebar.scrollToItem(item)
        at = window.sidebar.visualItemRect(item).center()
        window.sidebar.contextMenuEvent(
            QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, window.sidebar.viewport().mapToGlobal(at))
        )
    for menu in QApplication.topLevelWidgets():
        if isinstance(menu, QMenu):
            menu.close()
    assert asked == ["", "AI Act"]
