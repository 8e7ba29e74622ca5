"""Notes, stars, statuses and tags set in the window land in the store (a second connection);
the triage controller alone, on a real table, detail pane and store: actions and Undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QPushButton

from db.store import Query, Store
from desktop.ui.controllers.triage import TriageController, UndoStep
from desktop.ui.note_saver import NOTE_SAVE_DELAY_MS
from desktop.ui.tracker_columns import COL_STAR, COL_TITLE
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.views.detail_pane import DetailPane
from desktop.ui.views.tracker_table import TrackerTable
from tests.desktop.conftest import landed, rows_settled


def focus_table(qtbot, window, row: int = 0) -> None:
    rows_settled(qtbot)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table)
    index = window.table.model().index(row, COL_TITLE)
    window.table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )


def stored(db_path, record_id: int) -> dict:
    """The record as another connection sees it (what survives the window)."""
    store = Store.open(db_path)
    try:
        return store.record(record_id)
    finally:
        store.close()


def test_note_is_saved_after_the_pause(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 2)
    record_id = controller.place.current_record_id()
    qtbot.keyClick(window.table, Qt.Key.Key_N)
    assert QApplication.focusWidget() is window.detail.note
    window.detail.note.selectAll()
    with qtbot.waitSignal(controller.note_saved, timeout=NOTE_SAVE_DELAY_MS * 10):
        qtbot.keyClicks(window.detail.note, "Brief the minister by Friday")
    assert stored(small_db, record_id)["note"] == "Brief the minister by Friday"
    assert window.detail.note_state.text() == "Saved"
    assert controller.model.row(2)["note_first_line"] == "Brief the minister by Friday"


def test_note_typed_just_before_closing_is_kept(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 5)
    record_id = controller.place.current_record_id()
    window.detail.note.setFocus()
    window.detail.note.selectAll()
    qtbot.keyClicks(window.detail.note, "Never lost")
    window.close()  # before the debounce fires
    assert stored(small_db, record_id)["note"] == "Never lost"


def test_note_is_saved_when_moving_to_another_record(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 1)
    record_id = controller.place.current_record_id()
    window.detail.note.setFocus()
    window.detail.note.selectAll()
    qtbot.keyClicks(window.detail.note, "First thoughts")
    focus_table(qtbot, window, 1)  # focus loss, then a click on the same row
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert controller.place.current_record_id() != record_id
    assert stored(small_db, record_id)["note"] == "First thoughts"


# The tag field's completion popup: the offscreen platform cannot raise it or grab the keyboard.
OFFSCREEN_POPUP = pytest.mark.qt_log_ignore("This plugin does not support")


@OFFSCREEN_POPUP
def test_star_status_archive_and_tag_from_the_keyboard(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 0)
    first = controller.place.current_record_id()
    starred_before = bool(stored(small_db, first)["starred"])
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    assert bool(stored(small_db, first)["starred"]) is not starred_before
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    assert bool(stored(small_db, first)["starred"]) is starred_before

    qtbot.keyClick(window.table, Qt.Key.Key_2)
    assert stored(small_db, first)["status"] == "reviewing"
    assert window.detail.status_combo.currentData() == "reviewing"
    qtbot.keyClick(window.table, Qt.Key.Key_3)
    assert stored(small_db, first)["status"] == "done"

    qtbot.keyClick(window.table, Qt.Key.Key_T)
    assert QApplication.focusWidget() is window.detail.tags.input
    qtbot.waitUntil(lambda: "for Friday" in window.detail.tags.known_tags())  # completion
    qtbot.keyClicks(window.detail.tags.input, "for Friday's brief")
    qtbot.keyClick(window.detail.tags.input, Qt.Key.Key_Return)
    assert "for Friday's brief" in stored(small_db, first)["tags"]
    assert QApplication.focusWidget() is window.detail.tags.input  # room for a second tag
    assert "for Friday's brief" in window.detail.tags.tags()
    qtbot.keyClick(window.detail.tags.input, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.table  # back to triage

    qtbot.keyClick(window.table, Qt.Key.Key_J)
    second = controller.place.current_record_id()
    assert second != first
    qtbot.keyClick(window.table, Qt.Key.Key_K)
    assert controller.place.current_record_id() == first
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    assert stored(small_db, first)["status"] == "archived"
    landed(qtbot, controller)
    assert controller.place.current_record_id() == second  # archived rows leave; triage moves on
    assert controller.model.find_row(first) is None


@OFFSCREEN_POPUP
def test_multi_select_stars_tags_and_sets_status(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    window.sidebar.select("view", "all", notify=True)
    focus_table(qtbot, window, 0)
    for _ in range(3):
        qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    ids = controller.place.selected_ids()
    assert len(ids) == 4
    controller.triage.set_status("new", ids)
    controller.store.set_starred(ids, False)
    controller.place.reload_keeping_place()
    focus_table(qtbot, window, 0)
    for _ in range(3):
        qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    assert all(stored(small_db, i)["starred"] for i in ids)
    qtbot.keyClick(window.table, Qt.Key.Key_2)
    assert all(stored(small_db, i)["status"] == "reviewing" for i in ids)
    qtbot.keyClick(window.table, Qt.Key.Key_T)
    qtbot.keyClicks(window.detail.tags.input, "sovereignty")
    qtbot.keyClick(window.detail.tags.input, Qt.Key.Key_Return)
    assert all("sovereignty" in stored(small_db, i)["tags"] for i in ids)


def test_clicking_the_star_cell_stars(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 0)
    record_id = controller.place.current_record_id()
    before = bool(stored(small_db, record_id)["starred"])
    rect = window.table.visualRect(controller.model.index(0, COL_STAR))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert bool(stored(small_db, record_id)["starred"]) is not before


def test_opening_a_record_marks_it_read_and_unbolds_it(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    model = controller.model
    row = next(r for r in range(model.rowCount()) if not model.row(r)["read_at"])
    assert model.data(model.index(row, COL_TITLE), Qt.ItemDataRole.FontRole).bold()
    focus_table(qtbot, window, row)
    record_id = controller.place.current_record_id()
    qtbot.waitUntil(lambda: bool(stored(small_db, record_id)["read_at"]), timeout=4000)  # after the dwell
    assert model.data(model.index(row, COL_TITLE), Qt.ItemDataRole.FontRole) is None


def test_escape_clears_the_search(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.filter_bar.search
    with qtbot.waitSignal(controller.query_applied):
        qtbot.keyClicks(window.filter_bar.search, "compute")
    qtbot.keyClick(window.filter_bar.search, Qt.Key.Key_Escape)
    assert window.filter_bar.search.text() == ""
    assert controller.model.query.search == ""


def test_every_action_has_its_shortcut_in_the_tooltip(make_window, small_db) -> None:
    window, _controller = make_window(small_db)
    assert "(Space or S)" in window.actions["star"].toolTip()
    assert "(Ctrl+R or F5)" in window.actions["refresh"].toolTip()
    for action in window.actions.values():
        assert action.toolTip().endswith(")")


def test_enter_opens_the_original_in_the_browser(qtbot, monkeypatch, make_window, small_db) -> None:
    from desktop.ui import links

    opened: list[str] = []
    monkeypatch.setattr(links.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 4)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert opened == [controller.model.row(4)["url"]]


def test_a_tag_chip_removes_its_tag(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    focus_table(qtbot, window, 0)
    record_id = controller.place.current_record_id()
    controller.triage.add_tag("to drop")
    chips = [c for c in window.detail.tags.findChildren(QPushButton) if c.text().startswith("to drop")]
    assert len(chips) == 1
    qtbot.mouseClick(chips[0], Qt.MouseButton.LeftButton)
    assert "to drop" not in stored(small_db, record_id)["tags"]
    assert "to drop" not in window.detail.tags.tags()


def _triage(
    qtbot, store: Store, query: Query | None = None
) -> tuple[TriageController, TrackerModel, TrackerTable]:  # type: ignore[no-untyped-def]
    model = TrackerModel(store)
    table = TrackerTable()
    table.setModel(model)
    with qtbot.waitSignal(model.page_ready, timeout=20_000):
        model.request(query or Query())
    detail = DetailPane()
    qtbot.addWidget(table)
    qtbot.addWidget(detail)
    undo = QAction("&Undo", table)
    triage = TriageController(store, model, table, detail, undo)
    return triage, model, table


def _select(table: TrackerTable, *rows: int) -> None:
    """Select exactly `rows` through the selection model: `selectRow` follows the keyboard
    modifiers Qt last saw, which an earlier test's key presses can leave held (Shift extends)."""
    table.setFocus()
    chosen = table.selectionModel()
    flag = chosen.SelectionFlag
    for n, row in enumerate(rows):
        first = flag.ClearAndSelect if n == 0 else flag.Select
        chosen.select(table.model().index(row, 0), first | flag.Rows)
    chosen.setCurrentIndex(table.model().index(rows[0], 0), flag.NoUpdate)


def test_starring_the_selection_is_one_undo_step_that_puts_it_back(qtbot, small_db: Path, open_store) -> None:  # type: ignore[no-untyped-def]
    store = open_store(small_db)
    triage, model, table = _triage(qtbot, store)
    _select(table, 1, 2, 3)
    ids = triage.selected_ids()
    assert len(ids) == 3
    before = {i: store.record(i)["starred"] for i in ids}
    offered: list[str] = []
    stale: list[bool] = []
    triage.undo_offered.connect(offered.append)
    triage.counts_stale.connect(lambda: stale.append(True))
    triage.toggle_star()
    assert all(store.record(i)["starred"] for i in ids)
    assert offered == ["Starred 3 records."] and stale == [True]
    assert [model.row(r)["starred"] for r in (1, 2, 3)] == [True, True, True]
    undone: list[UndoStep] = []
    triage.undone.connect(undone.append)
    triage.undo()
    assert {i: store.record(i)["starred"] for i in ids} == before
    assert [step.text for step in undone] == ["Starred 3 records."]
    assert triage.undo_steps == []


def test_unstarring_in_the_starred_view_asks_for_the_rows_again(qtbot, small_db: Path, open_store) -> None:  # type: ignore[no-untyped-def]
    store = open_store(small_db)
    first = store.page(Query(), 0, 1)[0]["id"]
    store.set_starred([first], True)
    triage, _model, table = _triage(qtbot, store, Query(view="starred"))
    _select(table, 0)
    wanted: list[bool] = []
    triage.reload_wanted.connect(lambda: wanted.append(True))
    triage.toggle_star()
    assert not store.record(first)["starred"] and wanted == [True]


def test_a_read_only_store_says_not_saved_and_offers_no_undo(qtbot, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(small_db, readonly=True)
    try:
        triage, _model, table = _triage(qtbot, store)
        _select(table, 0)
        said: list[str] = []
        triage.status.connect(said.append)
        triage.set_status("done")
        triage.add_tag("AI Act")
        assert said == [
            "Not saved: The database is read-only: changes cannot be saved.",
            "Tag not added: The database is read-only: changes cannot be saved.",
        ]
        assert triage.undo_steps == []
    finally:
        store.close()


def test_an_empty_tag_name_is_refused_in_words(qtbot, small_db: Path, open_store) -> None:  # type: ignore[no-untyped-def]
    store = open_store(small_db)
    triage, _model, table = _triage(qtbot, store)
    _select(table, 0)
    said: list[str] = []
    triage.status.connect(said.append)
    triage.add_tag("   ")
    assert len(said) == 1 and said[0].startswith("Tag not added: ")
    assert triage.undo_steps == []
