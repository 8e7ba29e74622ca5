"""The query controller's words about a search: text with nothing to search for says so, and
the text the user typed is shown with its control characters escaped."""

from __future__ import annotations

import pytest

from db.store import Query


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
