"""Keys typed into a field never act on records; the sidebar reaches the table without a mouse.

Keys go to whatever widget has focus, as a person's typing does (never straight to a chosen
widget), and every record's user fields are compared before and after.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu

from db.store import Store
from desktop.shortcuts import SHORTCUTS
from desktop.ui.controllers.query import SEARCH_DELAY_MS
from tests.desktop.conftest import rows_settled
from tests.desktop.ui.controllers.test_triage import OFFSCREEN_POPUP, focus_table

USER_SQL = "SELECT id, note, status, starred, read_at, tags_text FROM records ORDER BY id"
BARE_KEYS = [
    Qt.Key.Key_J,
    Qt.Key.Key_K,
    Qt.Key.Key_Space,
    Qt.Key.Key_S,
    Qt.Key.Key_E,
    Qt.Key.Key_1,
    Qt.Key.Key_2,
    Qt.Key.Key_3,
    Qt.Key.Key_4,
    Qt.Key.Key_T,
    Qt.Key.Key_N,
    Qt.Key.Key_U,
    Qt.Key.Key_Return,
]


def user_fields(db_path: Path) -> dict[int, tuple[object, ...]]:
    """Every record's user fields and tag links, as another connection sees them."""
    store = Store.open(db_path)
    try:
        rows = {row[0]: tuple(row[1:]) for row in store.db.conn.execute(USER_SQL)}
        for record_id, tag_id in store.db.conn.execute("SELECT record_id, tag_id FROM record_tags"):
            rows[record_id] = (*rows[record_id], tag_id)
        return rows
    finally:
        store.close()


def changed(before: dict[int, tuple[object, ...]], after: dict[int, tuple[object, ...]]) -> list[int]:
    return sorted(i for i in before.keys() | after.keys() if before.get(i) != after.get(i))


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key where the keyboard focus is, as a person presses it (once the rows asked for by
    the key before have landed)."""
    rows_settled(qtbot)
    widget = QApplication.focusWidget()
    qtbot.keyClick(widget, key, modifier)
    _after_keys(qtbot, widget)


def type_text(qtbot, text: str) -> None:
    rows_settled(qtbot)
    widget = QApplication.focusWidget()
    qtbot.keyClicks(widget, text)
    _after_keys(qtbot, widget)


def _after_keys(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    """Keys in a text field may start a search after its pause: let it start, then land."""
    if isinstance(widget, QLineEdit):
        qtbot.wait(SEARCH_DELAY_MS + 20)
    rows_settled(qtbot)


class Browser(QObject):
    """Catches what would open in the system browser (Qt's own URL handler hook)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def browser() -> Iterator[Browser]:
    catcher = Browser()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    yield catcher
    for scheme in ("http", "https"):
        QDesktopServices.unsetUrlHandler(scheme)


def untagged_row(controller) -> int:
    for row in range(controller.model.rowCount()):
        if not controller.model.row(row)["tags"]:
            return row
    raise AssertionError("no untagged record")


@OFFSCREEN_POPUP
def test_two_tags_typed_in_a_row_change_that_record_only(qtbot, make_window, small_db, browser) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 0)
    focus_table(qtbot, window, untagged_row(controller))
    record_id = controller.place.current_record_id()
    before = user_fields(small_db)

    press(qtbot, Qt.Key.Key_T)
    type_text(qtbot, "AI Act")
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "Horizon")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Escape)

    after = user_fields(small_db)
    assert changed(before, after) == [record_id]
    assert after[record_id][4] == "AI Act; Horizon"
    assert after[record_id][:4] == before[record_id][:4]  # note, status, star, read mark
    assert window.detail.tags.tags() == ["AI Act", "Horizon"]
    assert controller.place.current_record_id() == record_id
    assert QApplication.focusWidget() is window.table  # Esc: back to triage
    assert browser.opened == []


def _field(window, name: str):
    return {
        "tag field": window.detail.tags.input,
        "note": window.detail.note,
        "search": window.filter_bar.search,
    }[name]


@pytest.mark.parametrize("name", ["tag field", "note", "search"])
def test_no_bare_key_acts_on_records_while_typing_in_a_field(
    qtbot, make_window, small_db, browser, name: str
) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 3)
    record_id = controller.place.current_record_id()
    field = _field(window, name)
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    before = user_fields(small_db)
    for key in BARE_KEYS:
        if key == Qt.Key.Key_Return and name != "note":
            continue  # Enter in a one-line field is that field's own (add a tag, search)
        press(qtbot, key)
        assert QApplication.focusWidget() is field, key
    controller.notes.save_note_now()
    after = user_fields(small_db)
    if name == "note":  # the note took the letters, nothing else did
        assert changed(before, after) == [record_id]
        assert after[record_id][1:] == before[record_id][1:]
    else:
        assert changed(before, after) == []
    if name == "search":  # the letters searched (a record they leave out is no longer current)
        assert controller.model.query.search == field.text() != ""
    else:
        assert controller.place.current_record_id() == record_id
    assert browser.opened == []


def test_sidebar_keys_reach_the_table_and_act_on_nothing_else(qtbot, make_window, small_db, browser) -> None:
    window, controller = make_window(small_db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    before = user_fields(small_db)
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.sidebar
    press(qtbot, Qt.Key.Key_Down)  # All → Unread
    qtbot.waitUntil(lambda: controller.model.query.view == "unread")
    for key in (Qt.Key.Key_Space, Qt.Key.Key_S, Qt.Key.Key_E, Qt.Key.Key_2, Qt.Key.Key_T, Qt.Key.Key_N):
        press(qtbot, key)
        assert QApplication.focusWidget() is window.sidebar, key
    assert changed(before, user_fields(small_db)) == []
    press(qtbot, Qt.Key.Key_J)  # J right after choosing a view: to the table, first record
    assert QApplication.focusWidget() is window.table
    assert window.table.currentIndex().row() == 0
    press(qtbot, Qt.Key.Key_J)
    assert window.table.currentIndex().row() == 1
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_Return)  # Enter in the list: to the table, opening nothing
    assert QApplication.focusWidget() is window.table
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.table
    assert browser.opened == []


def test_every_bare_key_shortcut_is_bound_to_the_table_alone(qtbot, make_window, small_db) -> None:
    """The rule for every shortcut, present and future: a key without a modifier (letters,
    digits, Space, Enter) acts only while the table (or its viewport) has the focus."""
    window, _controller = make_window(small_db)
    bare = set()
    for shortcut in SHORTCUTS:
        sequences = [QKeySequence(key) for key in shortcut.keys]
        if any(_is_bare(seq) for seq in sequences):
            bare.add(shortcut.action)
            action = window.actions[shortcut.action]
            assert shortcut.table_only, shortcut.action
            assert action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
            widgets = [w for w in action.associatedObjects() if not isinstance(w, QMenu)]
            assert widgets == [window.table], shortcut.action
    assert {"next", "previous", "star", "archive", "tag", "note", "open"} <= bare


def _is_bare(sequence: QKeySequence) -> bool:
    combination = sequence[0]
    key = combination.key()
    printable = Qt.Key.Key_Space <= key <= Qt.Key.Key_AsciiTilde
    return not combination.keyboardModifiers() and (printable or key in (Qt.Key.Key_Return, Qt.Key.Key_Enter))


def test_the_shortcuts_dialog_lists_the_new_keys() -> None:
    from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog()
    rows = {
        dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())
    }
    assert "views, sources and tags" in rows["Ctrl+1"]
    assert "records" in rows["Ctrl+2"]
    assert "Undo" in rows["Ctrl+Z"]
    dialog.deleteLater()
