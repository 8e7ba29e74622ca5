"""F follows the selected calls (again: stops), the Followed view lists them by deadline, Undo
takes it back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from db.store import Query, Store
from desktop.ui.views.sidebar import VIEW


def followed_ids(db: Path) -> set[int]:
    store = Store.open(db)
    try:
        return {int(r["id"]) for r in store.page(Query(view="followed"), 0, 1000)}
    finally:
        store.close()


def test_f_follows_and_the_followed_view_sorts_by_deadline(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    controller.place.select_row(2)
    first = controller.place.current_record_id()
    qtbot.keyClick(window.table, Qt.Key.Key_F)
    assert followed_ids(small_db) == {first}
    assert "Following 1 record" in window.status_bar.currentMessage()
    controller.place.select_row(5)
    second = controller.place.current_record_id()
    qtbot.keyClick(window.table, Qt.Key.Key_F)
    assert followed_ids(small_db) == {first, second}

    with qtbot.waitSignal(controller.query_applied, timeout=10_000):
        window.sidebar.select(VIEW, "followed", notify=True)
    assert controller.model.rowCount() == 2
    assert (controller.model.query.sort, controller.model.query.descending) == ("deadline", False)
    deadlines = [controller.model.row(r)["deadline_at"] for r in range(2)]
    dated = [d for d in deadlines if d]
    assert dated == sorted(dated) and deadlines[: len(dated)] == dated  # undated last

    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    controller.place.select_row(0)
    shown = controller.place.current_record_id()
    qtbot.keyClick(window.table, Qt.Key.Key_F)  # followed already: stops following, and leaves the view
    assert followed_ids(small_db) == {first, second} - {shown}
    qtbot.waitUntil(lambda: controller.model.rowCount() == 1, timeout=10_000)
    window.actions["undo"].trigger()
    assert followed_ids(small_db) == {first, second}
