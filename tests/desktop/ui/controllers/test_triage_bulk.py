"""A selection too large to list is changed by the query's predicate on a worker: select all,
star, archive, tag and Undo in the real window, checked through a second connection."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt

from db.store import Store
from desktop.ui import table_selection
from desktop.ui.tracker_columns import COLUMNS
from desktop.ui.worker import running_tasks
from tests.db.helpers import item
from tests.desktop.conftest import landed

WAIT_MS = 30_000


def user_columns(db_path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT id, status, starred, read_at, note, tags_text FROM records ORDER BY id")
        return rows.fetchall()
    finally:
        conn.close()


def ids_where(db_path, sql: str) -> set[int]:
    conn = sqlite3.connect(db_path)
    try:
        return {row[0] for row in conn.execute(f"SELECT id FROM records WHERE {sql}")}
    finally:
        conn.close()


def select_all(qtbot, window) -> None:
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)


def done(qtbot, controller) -> None:
    qtbot.waitUntil(lambda: running_tasks() == 0 and controller.triage._bulk is None, timeout=WAIT_MS)


def test_select_all_then_star_changes_every_listed_record_and_undo_puts_them_back(
    qtbot, make_window, big_db
) -> None:
    window, controller = make_window(big_db)
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    before = user_columns(big_db)
    shown = controller.model.rowCount()
    listed = ids_where(big_db, "status != 'archived'")
    assert shown == len(listed) > 5_000  # more than the old limit of one change
    select_all(qtbot, window)
    assert table_selection.bulk_selection(window.table, controller.model).ranges == ()
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    done(qtbot, controller)
    assert ids_where(big_db, "starred = 1") >= listed
    assert ids_where(big_db, "starred = 1 AND status = 'archived'") == ids_where(
        big_db, "status = 'archived'"
    ) & {r[0] for r in before if r[2]}  # archived records were not listed: untouched
    assert "Starred" in controller.triage.undo_steps[-1].text
    controller.triage.undo()
    done(qtbot, controller)
    assert user_columns(big_db) == before


def test_runs_of_rows_archive_exactly_those_rows(qtbot, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    model = controller.model
    chosen = [model.record_id(row) for row in [*range(0, 400), *range(1_000, 1_300)]]
    selection = QItemSelection()
    for first, last in ((0, 399), (1_000, 1_299)):
        selection.select(model.index(first, 0), model.index(last, len(COLUMNS) - 1))
    window.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    before = ids_where(big_db, "status = 'archived'")
    window.actions["archive"].trigger()
    done(qtbot, controller)
    assert ids_where(big_db, "status = 'archived'") == before | set(chosen)
    assert model.rowCount() == len(ids_where(big_db, "status != 'archived'"))  # the rows were re-read


def test_a_tag_for_all_and_a_refused_change_when_the_list_moved(qtbot, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    select_all(qtbot, window)
    other = Store.open(big_db)  # a refresh lands after the window counted its rows
    try:
        other.save_announcements("ec-news", [item(999_999, title="A record the window never listed")])
    finally:
        other.close()
    before = user_columns(big_db)
    controller.triage.add_tag("Horizon")
    done(qtbot, controller)
    assert user_columns(big_db) == before
    assert "list changed since it was shown" in window.statusBar().currentMessage()
    controller.place.reload_keeping_place()
    landed(qtbot, controller)
    select_all(qtbot, window)
    controller.triage.add_tag("Horizon")
    done(qtbot, controller)
    tagged = ids_where(big_db, "id IN (SELECT record_id FROM record_tags JOIN tags ON tags.id = tag_id"
                       " WHERE tags.name = 'Horizon')")  # fmt: skip
    assert tagged == ids_where(big_db, "status != 'archived'")


def test_an_undo_of_many_records_landing_after_the_window_closed_still_undoes_and_touches_nothing(
    qtbot, make_window, big_db
) -> None:
    window, controller = make_window(big_db)
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    before = user_columns(big_db)
    select_all(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    done(qtbot, controller)
    undo_text = window.actions["undo"].text()
    controller.triage.undo()  # on a worker: more records than the window lists one by one
    controller.shutdown()
    window.close()
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=WAIT_MS)
    qtbot.wait(50)  # the result's queued call has arrived
    assert user_columns(big_db) == before  # the Undo was carried out to its end
    assert window.actions["undo"].text() == undo_text  # and no widget was touched after the close
