"""Watchlists in the window: the sidebar's counts and new matches, choosing one shows its
matches and marks it seen, the dialog creates, edits and deletes, and refuses what the store
refuses without losing what was typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.store import Store, Watchlist
from desktop.ui.dialogs.watchlist_dialog import WatchlistDialog
from desktop.ui.views.sidebar import WATCHLIST
from tests.desktop.answer_box import answer_next_box
from tests.desktop.sql_trace import statements_during

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's limit


def watchlist_rows(window) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    """{label: (count column, accessible name)} of the sidebar's watchlists."""
    section = window.sidebar._sections[WATCHLIST]
    out = {}
    for i in range(section.childCount()):
        item = section.child(i)
        out[item.text(0)] = (item.text(1), item.data(0, Qt.ItemDataRole.AccessibleTextRole))
    return out


def add_watchlist(db: Path, name: str, words: str, *, seen: str | None = None) -> int:
    store = Store.open(db)
    try:
        saved = store.save_watchlist(Watchlist(id=None, name=name, words=words, last_seen_at=seen))
        assert saved.id is not None
        return saved.id
    finally:
        store.close()


def test_the_sidebar_counts_matches_and_new_ones_and_choosing_marks_seen(
    qtbot, make_window, small_db
) -> None:
    watchlist_id = add_watchlist(small_db, "Everything funded", "photonics", seen="2000-01-01T00:00:00Z")
    window, controller = make_window(small_db)
    watchlists = controller.watchlists
    assert "Everything funded" in watchlist_rows(window)  # listed at once, counted after
    qtbot.waitUntil(lambda: str(watchlist_id) in watchlists.counts, timeout=10_000)
    count = watchlists.counts[str(watchlist_id)]
    assert count.total > 0 and count.new == count.total  # all first seen after 2000
    text, spoken = watchlist_rows(window)["Everything funded"]
    assert text == f"{count.total:,} +{count.new:,}"
    assert f"{count.new:,} new since you last looked" in spoken

    with qtbot.waitSignal(controller.query_applied, timeout=10_000):
        assert window.sidebar.select(WATCHLIST, str(watchlist_id), notify=True)
    assert controller.model.rowCount() == count.total
    assert "photonics" in controller.model.query.search
    assert watchlist_rows(window)["Everything funded"][0] == f"{count.total:,}"  # seen: none new
    store = Store.open(small_db)
    try:
        assert store.watchlist_counts()[watchlist_id].new == 0
    finally:
        store.close()


def test_the_counts_kept_in_the_store_are_shown_at_once(qtbot, make_window, small_db) -> None:
    watchlist_id = add_watchlist(small_db, "Photonics", "photonics", seen="2000-01-01T00:00:00Z")
    window, controller = make_window(small_db)
    qtbot.waitUntil(lambda: str(watchlist_id) in controller.watchlists.counts, timeout=10_000)
    count = controller.watchlists.counts[str(watchlist_id)]  # counted by the worker, and kept
    assert count.new > 0
    controller.watchlists.load()  # as at the next start: read at once, before any worker ran
    assert watchlist_rows(window)["Photonics"][0] == f"{count.total:,} +{count.new:,}"


def test_the_dialog_saves_a_new_watchlist_from_the_search(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    window.filter_bar.search.setText("regulation")
    dialog = controller.watchlists.create()
    assert dialog.words.text() == "regulation" and dialog.name.text() == "regulation"
    dialog.name.setText("Regulation watch")
    dialog.notify.setChecked(False)
    dialog.auto_tag.setText("regulation")
    dialog.accept()
    assert dialog.saved is not None and dialog.saved.id is not None
    store = Store.open(small_db)
    try:
        stored = store.watchlist(dialog.saved.id)
    finally:
        store.close()
    assert stored is not None
    assert (stored.name, stored.words, stored.notify, stored.auto_tag) == (
        "Regulation watch",
        "regulation",
        False,
        "regulation",
    )
    qtbot.waitUntil(lambda: "Regulation watch" in watchlist_rows(window), timeout=10_000)


def test_the_dialog_lists_what_the_sidebar_read_without_reading_the_store_itself(
    qtbot, make_window, small_db
) -> None:
    _window, controller = make_window(small_db)
    qtbot.waitUntil(lambda: controller.counts.latest is not None, timeout=10_000)
    dialog, ran = statements_during(controller.store, controller.watchlists.create)
    assert ran == []  # a million records: 330 ms
    listed = {dialog.source.itemData(i) for i in range(1, dialog.source.count())}
    assert listed == {row["id"] for row in controller.store.source_rows()} and listed
    dialog.reject()


def test_a_name_already_taken_is_said_in_the_dialog_which_keeps_what_was_typed(
    qtbot, make_window, small_db
) -> None:
    add_watchlist(small_db, "Taken", "anything")
    _window, controller = make_window(small_db)
    dialog = controller.watchlists.create()
    dialog.name.setText("taken")
    dialog.words.setText("quantum computing")
    dialog.accept()
    assert dialog.isVisible() and dialog.saved is None
    assert dialog.error.isVisible() and "already a watchlist called" in dialog.error.text()
    assert dialog.words.text() == "quantum computing"
    dialog.name.setText("")
    dialog.accept()
    assert "needs a name" in dialog.error.text() and dialog.saved is None
    dialog.reject()


def test_editing_and_deleting_from_the_sidebar(qtbot, make_window, small_db) -> None:
    watchlist_id = add_watchlist(small_db, "To change", "policy")
    window, controller = make_window(small_db)
    qtbot.waitUntil(lambda: "To change" in watchlist_rows(window), timeout=10_000)
    dialog = controller.watchlists.edit(str(watchlist_id))
    assert dialog is not None and dialog.words.text() == "policy"
    dialog.name.setText("Changed")
    dialog.accept()
    qtbot.waitUntil(lambda: "Changed" in watchlist_rows(window), timeout=10_000)
    again = controller.watchlists.edit(str(watchlist_id))
    assert again is not None and again.delete_button is not None
    seen = answer_next_box("&Yes")
    again.delete_button.click()
    assert any("records and the tags it gave stay" in text for text in seen)
    qtbot.waitUntil(lambda: "Changed" not in watchlist_rows(window), timeout=10_000)
    store = Store.open(small_db)
    try:
        assert store.watchlist(watchlist_id) is None
    finally:
        store.close()


def test_f2_and_the_right_click_menu_open_the_watchlist_for_editing(qtbot, make_window, small_db) -> None:
    watchlist_id = add_watchlist(small_db, "Keyed", "policy")
    window, controller = make_window(small_db)
    value = str(watchlist_id)
    assert window.sidebar.select(WATCHLIST, value)
    window.sidebar.setFocus()
    qtbot.keyClick(window.sidebar, Qt.Key.Key_F2)
    opened = [d for d in window.findChildren(WatchlistDialog) if d.isVisible()]
    assert [d.name.text() for d in opened] == ["Keyed"]
    opened[0].reject()

    menu = controller.watchlists.menu_for(value)
    texts = [action.text() for action in menu.actions()]
    assert texts == ["Edit “Keyed”…", "&New Watchlist…"]
    menu.actions()[0].trigger()
    assert [d.name.text() for d in window.findChildren(WatchlistDialog) if d.isVisible()] == ["Keyed"]
    assert [a.text() for a in controller.watchlists.menu_for("").actions()] == ["&New Watchlist…"]
