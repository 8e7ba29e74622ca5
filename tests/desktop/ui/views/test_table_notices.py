"""The notices in place of the table: an empty view says what would fill it and offers no
button that would change nothing; an empty result of a search or a filter offers to clear it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from db.store import Query
from desktop.ui.views.main_window import PAGE_NO_RESULTS, PAGE_TABLE
from desktop.ui.views.sidebar import TAG, VIEW
from desktop.ui.views.table_notices import CLEAR_FILTERS, SHOW_ALL
from tests.desktop.conftest import landed


def test_an_empty_view_with_nothing_narrowing_it_offers_no_clearing(
    qtbot, make_window, small_db: Path
) -> None:  # type: ignore[no-untyped-def]
    window, controller = make_window(small_db)
    assert controller.store.count(Query(view="followed")) == 0
    window.sidebar.select(VIEW, "followed", notify=True)
    landed(qtbot, controller)
    notice = window.no_results
    assert window.centre_stack.currentIndex() == PAGE_NO_RESULTS
    assert notice.message.text() == "No call followed yet. Press F on a call to follow its deadline."
    assert not notice.clear_button.isVisible()  # it used to offer "Clear search and filters"


def test_an_empty_search_still_offers_to_clear_it(qtbot, make_window, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window, controller = make_window(small_db)
    window.sidebar.select(VIEW, "followed", notify=True)
    landed(qtbot, controller)
    window.filter_bar.search.setText("zzzz")
    controller.query.apply_query()
    landed(qtbot, controller)
    notice = window.no_results
    assert notice.clear_button.isVisible() and notice.clear_button.text() == CLEAR_FILTERS
    assert notice.clear_button.accessibleName() == CLEAR_FILTERS
    window.filter_bar.search.clear()  # the search gone, the view is empty by itself again
    controller.query.apply_query()
    landed(qtbot, controller)
    assert not notice.clear_button.isVisible()


def test_an_empty_tag_offers_the_whole_list(qtbot, make_window, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window, controller = make_window(small_db)
    controller.query.choose(TAG, "no-such-tag")
    landed(qtbot, controller)
    button = window.no_results.clear_button
    assert button.isVisible() and button.text() == SHOW_ALL
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    landed(qtbot, controller)
    assert controller.query.choice == (VIEW, "all")
    assert window.centre_stack.currentIndex() == PAGE_TABLE
