"""Undo in the window: Ctrl+Z, Edit → Undo and the status line's Undo link take back each
triage action and an import exactly, read marks included, and touch no other record."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QPushButton

from desktop.ui import settings
from tests.desktop.conftest import rows_settled
from tests.desktop.test_keys import changed, press, type_text, untagged_row, user_fields
from tests.desktop.ui.controllers.test_triage import OFFSCREEN_POPUP, focus_table

CTRL = Qt.KeyboardModifier.ControlModifier


def undo_by(qtbot, window, how: str) -> None:
    if how == "ctrl+z":
        press(qtbot, Qt.Key.Key_Z, CTRL)
    elif how == "link":
        assert window.status_bar.undo_button.isVisible()
        qtbot.mouseClick(window.status_bar.undo_button, Qt.MouseButton.LeftButton)
    else:
        edit = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Edit")
        action = next(a for a in edit.actions() if a.objectName() == "action_undo")
        assert action.isEnabled()
        action.trigger()
    rows_settled(qtbot)  # the rows are re-read on a worker


def star_key(qtbot, window, controller) -> list[int]:
    press(qtbot, Qt.Key.Key_Space)
    return [controller.place.current_record_id()]


def status_key(qtbot, window, controller) -> list[int]:
    press(qtbot, Qt.Key.Key_3)
    return [controller.place.current_record_id()]


def archive_key(qtbot, window, controller) -> list[int]:
    first = controller.place.current_record_id()
    press(qtbot, Qt.Key.Key_E)  # moves on to the next record, which is marked read
    assert controller.model.row(window.table.currentIndex().row())["read_at"]
    return [first, controller.place.current_record_id()]


def row_before_an_unread_one(controller) -> int:
    """An untagged record followed by an unread one: archiving it reads the next one."""
    model = controller.model
    for row in range(model.rowCount() - 1):
        if not model.row(row)["tags"] and model.row(row)["read_at"] and not model.row(row + 1)["read_at"]:
            return row
    raise AssertionError("no such row")


def tag_add(qtbot, window, controller) -> list[int]:
    press(qtbot, Qt.Key.Key_T)
    type_text(qtbot, "Horizon")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Escape)
    return [controller.place.current_record_id()]


ACTIONS = {"star": star_key, "status": status_key, "archive": archive_key, "tag": tag_add}


@OFFSCREEN_POPUP
@pytest.mark.parametrize("how", ["ctrl+z", "link", "menu"])
@pytest.mark.parametrize("kind", list(ACTIONS))
def test_undo_takes_back_one_action_exactly(qtbot, make_window, small_db, kind: str, how: str) -> None:
    settings.put("reading/mark_read_after", 0.0)  # a record shown by the action is read in it
    window, controller = make_window(small_db)
    focus_table(qtbot, window, row_before_an_unread_one(controller))
    before = user_fields(small_db)
    touched = ACTIONS[kind](qtbot, window, controller)
    after = user_fields(small_db)
    assert changed(before, after) == sorted(set(touched))
    assert window.status_bar.undo_button.isVisible()
    window.table.setFocus()
    undo_by(qtbot, window, how)
    assert user_fields(small_db) == before
    assert "Undone" in window.status_bar.currentMessage()
    assert controller.place.current_record_id() == touched[0]  # back on the record it was made on
    assert not window.actions["undo"].isEnabled()


@OFFSCREEN_POPUP
def test_undo_of_removing_a_tag_chip(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, untagged_row(controller))
    tag_add(qtbot, window, controller)
    before = user_fields(small_db)
    chip = next(c for c in window.detail.tags.findChildren(QPushButton) if c.objectName() == "tagChip")
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert changed(before, user_fields(small_db)) == [controller.place.current_record_id()]
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert user_fields(small_db) == before
    assert window.detail.tags.tags() == ["Horizon"]


def test_undo_of_a_bulk_change_and_a_stack_of_steps(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 0)
    for _ in range(3):
        qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    ids = controller.place.selected_ids()
    assert len(ids) == 4
    before = user_fields(small_db)
    press(qtbot, Qt.Key.Key_Space)  # star all four (or unstar)
    starred = user_fields(small_db)
    press(qtbot, Qt.Key.Key_2)  # all four Reviewing
    assert set(changed(before, user_fields(small_db))) <= set(ids)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert user_fields(small_db) == starred
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert user_fields(small_db) == before
    assert sorted(controller.place.selected_ids()) == sorted(ids)  # the selection stays for another try
    assert not window.actions["undo"].isEnabled()  # nothing more to undo


def test_undo_of_an_import(qtbot, make_window, small_db, tmp_path: Path) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 0)
    shown = controller.model.row(1)
    csv_path = tmp_path / "tracker.csv"
    csv_path.write_text(
        "url,title,note,tags,status,starred\n"
        f"{shown['url']},x,Imported note,Imported tag,done,yes\n"
        "https://example.org/brand-new,Brand new,its note,,reviewing,\n",
        encoding="utf-8",
    )
    before = user_fields(small_db)
    with qtbot.waitSignal(controller.import_finished, timeout=20_000) as finished:
        controller.transfer.import_from(csv_path)
    assert (finished.args[0].new, finished.args[0].updated) == (1, 1)
    assert len(user_fields(small_db)) == len(before) + 1
    assert window.status_bar.undo_button.isVisible()
    qtbot.mouseClick(window.status_bar.undo_button, Qt.MouseButton.LeftButton)
    assert user_fields(small_db) == before  # the new record gone, the changed one as it was
    assert "1 record it added removed" in window.status_bar.currentMessage()
