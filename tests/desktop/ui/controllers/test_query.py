"""The query controller in the real window: what the sidebar, filters and search ask for; text
with nothing to search for says so, and the text the user typed is shown with its control
characters escaped."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.store import Query
from desktop.ui.controllers.query import SEARCH_DELAY_MS
from desktop.ui.views.sidebar import SOURCE, TAG, VIEW
from tests.desktop.conftest import landed


@pytest.mark.parametrize("text", ["*", '"', "AND", "(", "---"])
def test_text_with_no_word_says_it_was_not_searched(qtbot, make_window, big_db, text: str) -> None:
    window, controller = make_window(big_db)
    everything = controller.model.rowCount()
    with qtbot.waitSignal(controller.query.query_built, timeout=5_000):
        qtbot.keyClicks(window.filter_bar.search, text)
    qtbot.waitUntil(lambda: window.active_filters.isVisible())
    strip = window.active_filters.text.text()
    if text == "AND":  # a word like any other: searched for, not an operator
        assert "not searched" not in strip
        assert controller.model.rowCount() == controller.store.count(Query(search="AND"))
    else:
        assert f"search ‘{text}’ has no word in it: not searched" in strip
        assert controller.model.rowCount() == everything


def test_the_search_text_is_shown_with_control_characters_escaped(qtbot, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    window.filter_bar.search.setText("data\u202eatad")  # pasted: Qt types no such key
    controller.query.apply_query()
    qtbot.waitUntil(lambda: window.active_filters.isVisible())
    strip = window.active_filters.text.text()
    assert "\u202e" not in strip and "data\\u202eatad" in strip


def test_a_tag_in_the_sidebar_scopes_every_view_and_says_so_when_empty(
    qtbot, make_window, small_db: Path
) -> None:  # type: ignore[no-untyped-def]
    window, controller = make_window(small_db)
    query = controller.query
    query.choose(TAG, "no-such-tag")
    built = query.build_query()
    assert (built.view, built.tag, built.source_id) == ("all", "no-such-tag", None)
    landed(qtbot, controller)
    assert controller.model.rowCount() == 0
    assert window.no_results.message.text() == "No records with tag “no-such-tag”."
    query.choose(SOURCE, "nowhere")
    assert query.build_query().source_id == "nowhere" and query.build_query().tag is None


def test_a_sort_is_kept_per_view(qtbot, make_window, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window, controller = make_window(small_db)
    query = controller.query
    header = window.table.horizontalHeader()
    title = controller.model.column_for_sort_key("title")
    header.setSortIndicator(title, header.sortIndicatorOrder().AscendingOrder)
    assert (controller.model.query.sort, controller.model.query.descending) == ("title", False)
    query.choose(VIEW, "starred")
    assert controller.model.query.sort != "title"  # the starred view has its own order
    query.choose(VIEW, "all")
    assert (controller.model.query.sort, controller.model.query.descending) == ("title", False)


def test_a_search_typed_just_before_closing_never_reads_the_closed_store(
    qtbot, make_window, small_db: Path
) -> None:  # type: ignore[no-untyped-def]
    window, controller = make_window(small_db)
    before = controller.model.query
    qtbot.keyClicks(window.filter_bar.search, "funding")  # the search waits SEARCH_DELAY_MS for more
    window.close()
    qtbot.wait(SEARCH_DELAY_MS * 2)
    assert controller.model.query == before


def test_sort_by_relevance_ranks_a_search_and_a_header_click_brings_the_column_sort_back(
    qtbot, make_window, big_db
) -> None:
    window, controller = make_window(big_db)
    query, model = controller.query, controller.model
    header = window.table.horizontalHeader()
    assert query.relevance_action in window.view_menu.actions()
    query.relevance_action.setChecked(True)  # no search: nothing to rank, the column sort stays
    assert model.query.sort == "published"
    title = str(controller.store.page(Query(), 0, 1)[0]["title"])
    word = max(title.split(), key=len).strip(".,:;()")  # a word the store has
    window.filter_bar.search.setText(word)
    query.apply_query()
    landed(qtbot, controller)
    assert model.rowCount() >= 1
    assert model.query.sort == "relevance" and header.sortIndicatorSection() == -1
    ranked = model.query
    assert [model.record_id(n) for n in range(5)] == [
        row["id"] for row in controller.store.page(ranked, 0, 5)
    ]
    assert model.rowCount() == controller.store.count(replace(ranked, sort="published"))  # the same rows
    header.setSortIndicator(model.column_for_sort_key("title"), Qt.SortOrder.AscendingOrder)
    assert model.query.sort == "title" and not query.relevance_action.isChecked()
    window.filter_bar.search.setText("")
    query.apply_query()
    assert model.query.sort == "title"


def test_an_empty_result_says_what_is_being_looked_for_while_the_next_is_read(
    qtbot, make_window, big_db
) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.views.main_window import PAGE_NO_RESULTS, PAGE_TABLE

    window, controller = make_window(big_db)
    window.filter_bar.search.setText("res")  # a whole word no record has: nothing found
    controller.query.apply_query()
    landed(qtbot, controller)
    assert window.centre_stack.currentIndex() == PAGE_NO_RESULTS
    assert window.no_results.message.text().startswith("No records match ‘res’")
    window.filter_bar.search.setText("research")  # typed on: read on a worker, not landed yet
    controller.query.apply_query()
    assert controller.model.reading
    assert window.no_results.message.text() == "Searching for ‘research’…"  # not the older word's
    assert not window.no_results.clear_button.isVisible()
    landed(qtbot, controller)
    assert window.centre_stack.currentIndex() == PAGE_TABLE and controller.model.rowCount() > 0
