"""A whole triage with the keyboard alone, and no keyboard trap in any dialog (WCAG 2.1.1, 2.1.2).

Every step is a key event sent where the keyboard focus is, as a person presses it: F6 to the
views, arrows and Enter to choose one, J and K to move, Space to star, T to tag, N to note, Esc
back to the records, Shift+F6 and arrows to the Starred view, Ctrl+E to export, and the app's
own (non-native) file dialog filled in by typing. The result is read from the store by another
connection and from the exported file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget

from db.store import Store
from desktop.sources_file import Source
from desktop.ui.dialogs.about_dialog import AboutDialog
from desktop.ui.dialogs.add_source_dialog import AddSourceDialog
from desktop.ui.dialogs.brief_dialog import BriefDialog
from desktop.ui.dialogs.changes_dialog import ChangesDialog
from desktop.ui.dialogs.settings_dialog import SettingsDialog
from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from desktop.ui.dialogs.sources_dialog import SourcesDialog
from desktop.ui.dialogs.watchlist_dialog import WatchlistDialog
from desktop.ui.note_saver import NOTE_SAVE_DELAY_MS

# Pop-ups and dialogs: the offscreen platform cannot raise them or pass size hints on.
OFFSCREEN_POPUP = pytest.mark.qt_log_ignore("This plugin does not support")


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QWidget:
    """A key where the keyboard focus is; returns where the focus is then."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def stored(db_path: Path, record_id: int) -> dict:
    store = Store.open(db_path)
    try:
        return store.record(record_id)
    finally:
        store.close()


@OFFSCREEN_POPUP
def test_a_whole_triage_by_keyboard_ends_in_the_store_and_the_export(
    qtbot, tmp_path, make_window, small_db
) -> None:
    window, controller = make_window(small_db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    # F6 until the views and tags, then Down to "Unread" and Enter to go to its records.
    for _ in range(5):
        if press(qtbot, Qt.Key.Key_F6) is window.sidebar:
            break
    assert QApplication.focusWidget() is window.sidebar
    while window.sidebar.currentItem().text(0) != "Unread":
        press(qtbot, Qt.Key.Key_Down)
    assert press(qtbot, Qt.Key.Key_Return) is window.table
    qtbot.waitUntil(lambda: controller.model.query.view == "unread")

    # Move: J twice, K once; the second record is the one triaged.
    press(qtbot, Qt.Key.Key_J)
    press(qtbot, Qt.Key.Key_J)
    press(qtbot, Qt.Key.Key_K)
    while stored(small_db, controller.place.current_record_id())["starred"]:
        press(qtbot, Qt.Key.Key_J)  # one not starred yet
    record_id = controller.place.current_record_id()

    press(qtbot, Qt.Key.Key_Space)  # star
    assert stored(small_db, record_id)["starred"]

    assert press(qtbot, Qt.Key.Key_T) is window.detail.tags.input  # tag
    type_text(qtbot, "keyboard only")
    press(qtbot, Qt.Key.Key_Return)
    assert "keyboard only" in stored(small_db, record_id)["tags"]
    assert press(qtbot, Qt.Key.Key_Escape) is window.table

    assert press(qtbot, Qt.Key.Key_N) is window.detail.note  # note
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(controller.note_saved, timeout=NOTE_SAVE_DELAY_MS * 10):
        type_text(qtbot, "Typed without a mouse")
    assert press(qtbot, Qt.Key.Key_Escape) is window.table
    assert stored(small_db, record_id)["note"] == "Typed without a mouse"

    # Shift+F6 back to the views, Up to "Starred", Enter: the record is there now.
    for _ in range(5):
        if press(qtbot, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier) is window.sidebar:
            break
    while window.sidebar.currentItem().text(0) != "Starred":
        press(qtbot, Qt.Key.Key_Down)
    assert press(qtbot, Qt.Key.Key_Return) is window.table
    qtbot.waitUntil(lambda: controller.model.query.view == "starred")

    # Export: Ctrl+E, then the file dialog is filled in by typing and Enter.
    target = tmp_path / "by keyboard.csv"
    typed: list[str] = []

    def fill_the_file_dialog() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)), None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(50, fill_the_file_dialog)
            return
        dialog.activateWindow()  # what the window manager does with a new dialog
        qtbot.waitUntil(dialog.isActiveWindow)
        typed.append(type(QApplication.focusWidget()).__name__)
        press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(qtbot, str(target))
        press(qtbot, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill_the_file_dialog)
    with qtbot.waitSignal(controller.export_finished, timeout=20_000) as done:
        press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert typed == ["QLineEdit"]  # the app's own dialog, its file name field focused
    assert done.args[0].error is None
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    url = stored(small_db, record_id)["url"]
    exported = next(row for row in rows if row["url"] == url)
    assert "keyboard only" in exported["tags"]
    assert exported["note"] == "Typed without a mouse"
    assert len(rows) == controller.model.rowCount()  # the view chosen by keyboard: Starred
    assert all(row["starred"] == "1" for row in rows)


def dialogs(tmp_path: Path) -> list[QDialog]:
    sources = [Source(id="a", name="A", kind="feed", url="https://a.example/feed")]
    return [
        SettingsDialog(QSettings()),
        SourcesDialog(sources, [], sources_path_text="x"),
        AddSourceDialog(set(), per_host_delay=0),
        ShortcutsDialog(),
        AboutDialog(tmp_path / "data.sqlite3", None),
        BriefDialog(selected_count=2, view_label="All", tags=["AI Act"]),
        ChangesDialog(),
        WatchlistDialog(None, save=lambda watchlist: watchlist, delete=lambda _id: None),
    ]


@OFFSCREEN_POPUP
def test_tab_goes_round_every_dialog_and_esc_closes_it(qtbot, tmp_path) -> None:
    for dialog in dialogs(tmp_path):
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(lambda d=dialog: d.isActiveWindow())
        first = QApplication.focusWidget()
        assert first is not None and dialog.isAncestorOf(first), dialog.windowTitle()
        seen = [first]
        for _ in range(60):  # Tab goes through the dialog and comes back: no trap
            now = press(qtbot, Qt.Key.Key_Tab)
            assert now is not None and dialog.isAncestorOf(now), dialog.windowTitle()
            if now is first:
                break
            seen.append(now)
        assert QApplication.focusWidget() is first, f"{dialog.windowTitle()}: Tab never came back"
        assert len(seen) >= 2, dialog.windowTitle()
        press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # and back the other way
        assert QApplication.focusWidget() is seen[-1], dialog.windowTitle()
        press(qtbot, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())
        assert dialog.result() == QDialog.DialogCode.Rejected, dialog.windowTitle()
