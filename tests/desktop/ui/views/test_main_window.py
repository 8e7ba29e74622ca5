"""The window on a 10,000-record store: search, filters, sidebar views, empty states, memory."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, QSize, Qt

from db.store import VIEWS, Query, Selection, Store
from desktop.ui.tracker_columns import COL_DEADLINE, COL_SOURCE, COL_TITLE, RowRole
from desktop.ui.views.main_window import PAGE_FIRST_RUN, PAGE_NO_RESULTS, PAGE_TABLE
from desktop.ui.views.sidebar import SOURCE, TAG, VIEW, VIEW_LABELS
from tests.desktop import records
from tests.desktop.conftest import landed


def shown_ids(controller) -> list[int]:
    """Every row's record (`record_id` reads a page the table does not hold)."""
    model = controller.model
    return [model.record_id(r) for r in range(model.rowCount())]


def sql_ids(db: Path, where: str, params: tuple = ()) -> set[int]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute(f"SELECT id FROM records WHERE {where}", params)}
    finally:
        conn.close()


def type_search(qtbot, window, controller, text: str) -> None:
    with qtbot.waitSignal(controller.query_applied, timeout=5000):
        qtbot.keyClicks(window.filter_bar.search, text)


def test_title_and_sidebar_views(make_window, big_db) -> None:
    window, controller = make_window(big_db)
    assert window.windowTitle().startswith("Policy Tracker")
    assert set(VIEW_LABELS) == set(VIEWS)
    assert controller.model.rowCount() == len(sql_ids(big_db, "status != 'archived'"))


def test_search_as_you_type_finds_the_right_rows(qtbot, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    type_search(qtbot, window, controller, records.SEARCH_WORD)
    expected = sql_ids(big_db, "title LIKE ? AND status != 'archived'", (f"%{records.SEARCH_WORD}%",))
    assert expected and set(shown_ids(controller)) == expected
    assert window.active_filters.isVisible()
    assert records.SEARCH_WORD in window.active_filters.text.text()


def test_hostile_search_text_never_errors(qtbot, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    type_search(qtbot, window, controller, '"AI-Act" NEAR( -x* ^:')
    assert window.centre_stack.currentIndex() in (PAGE_TABLE, PAGE_NO_RESULTS)


def test_filters_give_the_right_rows(qtbot, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    qtbot.waitUntil(lambda: window.filter_bar.category.count() > 2)
    bar = window.filter_bar
    bar.category.setCurrentIndex(bar.category.findData("funding"))
    landed(qtbot, controller)
    bar.jurisdiction.setCurrentIndex(bar.jurisdiction.findData("UK"))
    landed(qtbot, controller)
    expected = sql_ids(big_db, "category = 'funding' AND jurisdiction = 'UK' AND status != 'archived'")
    assert set(shown_ids(controller)) == expected
    bar.status.setCurrentIndex(bar.status.findData("done"))
    landed(qtbot, controller)
    expected = sql_ids(big_db, "category = 'funding' AND jurisdiction = 'UK' AND status = 'done'")
    assert set(shown_ids(controller)) == expected
    assert "Category: Funding" in window.active_filters.text.text()
    qtbot.mouseClick(window.active_filters.clear_button, Qt.MouseButton.LeftButton)
    landed(qtbot, controller)
    assert controller.model.rowCount() == len(sql_ids(big_db, "status != 'archived'"))
    assert not window.active_filters.isVisible()


def test_tag_filter_and_custom_date_range(qtbot, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    qtbot.waitUntil(lambda: window.filter_bar.tag.findData("compute") > 0)
    bar = window.filter_bar
    bar.tag.setCurrentIndex(bar.tag.findData("compute"))
    landed(qtbot, controller)
    tagged = sql_ids(
        big_db,
        "status != 'archived' AND id IN (SELECT record_id FROM record_tags rt JOIN tags t"
        " ON t.id = rt.tag_id WHERE t.name = 'compute')",
    )
    assert set(shown_ids(controller)) == tagged
    bar.tag.setCurrentIndex(0)
    landed(qtbot, controller)
    bar.published.combo.setCurrentIndex(bar.published.combo.findData("custom"))
    landed(qtbot, controller)
    assert bar.published.start.isVisible()
    rows = [controller.model.row(r) for r in range(controller.model.rowCount())]
    first = bar.published.start.date().toString("yyyy-MM-dd")
    last = bar.published.end.date().toString("yyyy-MM-dd")
    assert rows and all(first <= r["published_at"][:10] <= last for r in rows)


def test_sidebar_views_sources_and_tags_filter_the_table(qtbot, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    qtbot.waitUntil(lambda: window.sidebar.count_of(VIEW, "starred") != "")
    sidebar = window.sidebar
    sidebar.select(VIEW, "starred", notify=True)
    landed(qtbot, controller)
    assert set(shown_ids(controller)) == sql_ids(big_db, "starred = 1 AND status != 'archived'")
    assert sidebar.count_of(VIEW, "starred") == f"{controller.model.rowCount():,}"
    sidebar.select(VIEW, "notes", notify=True)
    landed(qtbot, controller)
    assert set(shown_ids(controller)) == sql_ids(big_db, "note != '' AND status != 'archived'")
    sidebar.select(VIEW, "archived", notify=True)
    landed(qtbot, controller)
    assert set(shown_ids(controller)) == sql_ids(big_db, "status = 'archived'")
    sidebar.select(VIEW, "open_funding", notify=True)
    landed(qtbot, controller)
    assert controller.model.query.sort == "deadline" and not controller.model.query.descending
    header = window.table.horizontalHeader()
    assert header.sortIndicatorSection() == COL_DEADLINE
    rows = [controller.model.row(r) for r in range(controller.model.rowCount())]
    assert rows and all(r["category"] == "funding" for r in rows)
    assert controller.model.rowCount() == controller.store.count(Query(view="open_funding"))
    sidebar.select(SOURCE, "govuk-dsit", notify=True)
    landed(qtbot, controller)
    rows = [controller.model.row(r) for r in range(controller.model.rowCount())]
    assert rows and {r["source_id"] for r in rows} == {"govuk-dsit"}
    sidebar.select(TAG, "AI Act", notify=True)
    landed(qtbot, controller)
    assert all("AI Act" in controller.model.row(r)["tags"] for r in range(controller.model.rowCount()))
    assert "AI Act" in window.active_filters.text.text()


def test_empty_results_say_why(qtbot, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    window.sidebar.select(VIEW, "open_funding", notify=True)
    landed(qtbot, controller)
    type_search(qtbot, window, controller, "xyzzyq")
    landed(qtbot, controller)
    assert window.centre_stack.currentIndex() == PAGE_NO_RESULTS
    assert window.no_results.message.text() == "No records match ‘xyzzyq’ in Open funding."
    qtbot.mouseClick(window.no_results.clear_button, Qt.MouseButton.LeftButton)
    landed(qtbot, controller)
    assert window.centre_stack.currentIndex() == PAGE_TABLE
    assert window.filter_bar.search.text() == ""


def test_first_run_shows_a_big_refresh_button(make_window, empty_db) -> None:
    window, _controller = make_window(empty_db)
    assert window.centre_stack.currentIndex() == PAGE_FIRST_RUN
    button = window.empty_state.refresh_button
    assert button.isVisible() and button.isEnabled()
    assert "European Commission press corner" in window.empty_state.sources.text()
    assert window.last_refresh_label.text() in ("", "Never refreshed")


def test_a_store_with_every_record_archived_is_not_a_first_run(qtbot, make_window, small_db) -> None:
    with Store.open(small_db) as store:
        every = Query()
        assert store.set_status_of(Selection(every, store.count(every)), "archived") > 0
        assert store.has_records() and store.count(every) == 0
    window, controller = make_window(small_db)
    landed(qtbot, controller)
    assert window.centre_stack.currentIndex() == PAGE_NO_RESULTS  # nothing left in All: not a new store
    assert window.no_results.message.text() == "Every record is archived: they are in the Archived view."
    window.sidebar.select(VIEW, "archived", notify=True)
    landed(qtbot, controller)
    assert window.centre_stack.currentIndex() == PAGE_TABLE


def test_sorting_by_header_click_is_in_sql(qtbot, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    header = window.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(COL_TITLE) + 20, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    landed(qtbot, controller)
    first = (controller.model.query.sort, controller.model.query.descending)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    landed(qtbot, controller)
    second = (controller.model.query.sort, controller.model.query.descending)
    assert first[0] == second[0] == "title" and first[1] != second[1]
    titles = [controller.model.row(r)["title"].lower() for r in range(50)]
    assert titles == sorted(titles, reverse=second[1])


def test_window_remembers_layout_sort_and_view(qtbot, make_window, big_db) -> None:
    window, _controller = make_window(big_db)
    window.resize(1300, 800)
    window.sidebar.select(VIEW, "starred", notify=True)
    window.table.horizontalHeader().setSortIndicator(COL_TITLE, Qt.SortOrder.AscendingOrder)
    window.table.setColumnWidth(COL_SOURCE, 133)
    header = window.table.horizontalHeader()
    header.moveSection(header.visualIndex(COL_DEADLINE), 2)
    window.splitter.setSizes([200, 800, 300])
    sizes = window.splitter.sizes()
    window.close()
    QSettings().sync()

    again, controller2 = make_window(big_db, size=None)
    assert controller2.model.query.view == "starred"
    assert controller2.model.query.sort == "title" and not controller2.model.query.descending
    assert again.table.columnWidth(COL_SOURCE) == 133
    assert again.table.horizontalHeader().visualIndex(COL_DEADLINE) == 2
    assert again.splitter.sizes() == sizes
    assert again.sidebar.current_choice() == (VIEW, "starred")
    assert again.size() == QSize(1300, 800)
    assert controller2.model.data(controller2.model.index(0, 0), RowRole)["starred"]


def test_a_new_window_fits_a_small_screen() -> None:
    from PySide6.QtCore import QSize

    from desktop.ui.views.main_window import DEFAULT_SIZE, first_size

    assert first_size(QSize(1920, 1160)) == DEFAULT_SIZE == QSize(1440, 880)
    assert first_size(QSize(1366, 740)) == QSize(1366, 740)  # a laptop with its panel
    assert first_size(QSize(1600, 768)) == QSize(1440, 768)
    assert first_size(None) == DEFAULT_SIZE


def test_a_new_window_on_a_desktop_screen_opens_at_the_default_size(make_window, empty_db) -> None:
    window, _controller = make_window(empty_db, size=None)  # the size the window picks itself
    assert (window.width(), window.height()) == (1440, 880)
