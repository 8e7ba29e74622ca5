"""Read marks: read after a dwell rather than on every row passed, mark unread, mark every record
of a view read (undoable), and the summary of a multiple selection. Real window, real store,
read back through a second connection."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer

from db.store import Query, Store
from desktop.ui import settings
from desktop.ui.tracker_columns import COL_TITLE
from tests.desktop.ui.controllers.test_triage import focus_table, stored

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: no raise, no grab


def read_marks(db_path) -> dict[int, object]:
    store = Store.open(db_path)
    try:
        return dict(store.db.conn.execute("SELECT id, read_at FROM records").fetchall())
    finally:
        store.close()


def dwell(seconds: float) -> None:
    settings.put("reading/mark_read_after", seconds, QSettings())


def unread_rows(model, count: int) -> list[int]:
    rows = [r for r in range(min(model.rowCount(), 200)) if not model.row(r)["read_at"]]
    assert len(rows) >= count
    return rows


def test_passing_over_records_leaves_them_unread_and_the_one_stopped_on_is_read(
    qtbot, make_window, small_db
) -> None:
    dwell(0.3)
    window, controller = make_window(small_db)
    model = controller.model
    first, second, *_ = unread_rows(model, 2)
    focus_table(qtbot, window, first)
    passed = controller.place.current_record_id()
    controller.place.select_row(second)  # moved on at once, as J does
    stopped = controller.place.current_record_id()
    qtbot.wait(100)
    assert not stored(small_db, passed)["read_at"] and not stored(small_db, stopped)["read_at"]
    qtbot.waitUntil(lambda: bool(stored(small_db, stopped)["read_at"]), timeout=3000)
    qtbot.wait(400)
    assert not stored(small_db, passed)["read_at"]  # its dwell was cut short
    assert model.data(model.index(second, COL_TITLE), Qt.ItemDataRole.FontRole) is None  # unbolded


def test_no_dwell_reads_at_once(qtbot, make_window, small_db) -> None:
    dwell(0)
    window, controller = make_window(small_db)
    focus_table(qtbot, window, unread_rows(controller.model, 1)[0])
    assert stored(small_db, controller.place.current_record_id())["read_at"]


def test_the_dwell_is_a_setting_with_a_default_of_a_second_and_a_half() -> None:
    spec = settings.setting("reading/mark_read_after")
    assert spec.default == 1.5 and spec.in_dialog


def test_u_marks_the_selection_unread_and_staying_on_it_does_not_read_it_again(
    qtbot, make_window, small_db
) -> None:
    dwell(0.2)
    window, controller = make_window(small_db)
    focus_table(qtbot, window, unread_rows(controller.model, 1)[0])
    record_id = controller.place.current_record_id()
    qtbot.waitUntil(lambda: bool(stored(small_db, record_id)["read_at"]), timeout=3000)
    qtbot.keyClick(window.table, Qt.Key.Key_U)
    assert stored(small_db, record_id)["read_at"] is None
    assert window.status_bar.currentMessage() == "1 record marked unread."
    qtbot.wait(500)
    assert stored(small_db, record_id)["read_at"] is None
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(small_db, record_id)["read_at"]  # undone: read again, at its first time


def test_mark_all_in_view_read_is_one_change_over_the_view_and_undo_takes_it_back(
    qtbot, make_window, small_db
) -> None:
    window, controller = make_window(small_db)
    before = read_marks(small_db)
    query = Query(search="compute")
    window.filter_bar.search.setFocus()
    with qtbot.waitSignal(controller.query_applied):
        qtbot.keyClicks(window.filter_bar.search, "compute")
    shown = controller.model.rowCount()
    store = Store.open(small_db)
    try:
        in_view = {r["id"] for r in store.full_rows(query)}
    finally:
        store.close()
    assert shown == len(in_view) and any(before[i] is None for i in in_view)
    focus_table(qtbot, window, 0)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    qtbot.keyClick(window.table, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    assert window.status_bar.currentMessage() == f"Marking {shown:,} records read…"
    qtbot.waitUntil(lambda: controller.reading.marking is None, timeout=20_000)
    timer.stop()
    assert ticks  # the window went on while a worker marked the view
    after = read_marks(small_db)
    assert all(after[i] for i in in_view)
    assert all(after[i] == before[i] for i in after if i not in in_view)  # nothing else touched
    assert all(after[i] == before[i] for i in in_view if before[i])  # earlier reads kept
    newly = sum(1 for i in in_view if before[i] is None)
    assert window.status_bar.currentMessage().startswith(f"{newly:,} records marked read.")
    controller.triage.undo()
    assert read_marks(small_db) == before


def test_several_selected_rows_are_summed_up(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    summary = window.selection_summary
    focus_table(qtbot, window, 0)
    qtbot.wait(300)
    assert not summary.isVisible()  # one row: the details pane says it all
    window.table.selectAll()
    total = controller.model.rowCount()
    qtbot.waitUntil(summary.isVisible)
    store = Store.open(small_db)
    try:
        rows = store.full_rows(Query())
    finally:
        store.close()
    text = summary.text.text()
    assert text.startswith(f"{total:,} records selected · {sum(r['starred'] for r in rows):,} starred · ")
    assert f"{sum(1 for r in rows if not r['read_at']):,} unread" in text
    currencies = {r["budget_currency"] for r in rows if r["budget_amount"] is not None}
    assert ("Budgets, per currency" in text) == (len(currencies) > 1)
    focus_table(qtbot, window, 1)
    qtbot.waitUntil(lambda: not summary.isVisible())


def test_u_on_a_select_all_marks_the_whole_view_unread_by_its_query(qtbot, make_window, big_db) -> None:
    dwell(30.0)  # the record under the cursor stays as it was: only U changes read marks
    window, controller = make_window(big_db)
    before = read_marks(big_db)
    focus_table(qtbot, window, 0)
    window.table.selectAll()
    shown = controller.model.rowCount()
    assert shown > 500  # more than table_selection lists one by one
    qtbot.keyClick(window.table, Qt.Key.Key_U)
    assert window.status_bar.currentMessage() == f"Marking {shown:,} records unread…"
    qtbot.waitUntil(lambda: controller.reading.marking is None, timeout=20_000)
    store = Store.open(big_db)
    try:
        in_view = {r["id"] for r in store.full_rows(Query())}
    finally:
        store.close()
    after = read_marks(big_db)
    assert all(after[i] is None for i in in_view)
    assert all(after[i] == before[i] for i in after if i not in in_view)  # archived ones kept
    controller.triage.undo()  # a change this large is put back on a worker too
    qtbot.waitUntil(lambda: window.status_bar.currentMessage().startswith("Undone:"), timeout=20_000)
    assert read_marks(big_db) == before
