"""The search box keeps its width as the store gains tags: the Tag filter used to grow to its
longest tag and take the room from the search."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.ui.views.filter_bar import TAG_CHARS

LONG_TAGS = [
    "Artificial Intelligence Act implementation",
    "compute and supercomputing access",
    "for Friday's briefing to the minister",
    "digital sovereignty",
    "skills and talent programmes",
    "Horizon Europe cluster 4",
]


def test_six_long_tags_leave_the_search_as_wide_as_it_was(qtbot, make_window, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window, _controller = make_window(small_db, size=(1920, 1080))
    bar = window.filter_bar
    qtbot.waitUntil(lambda: bar.tag.count() > 1)  # the store's tags are in
    qtbot.wait(100)  # and the layout has settled
    before = bar.search.width()
    tag_width = bar.tag.width()
    bar.set_choices(["funding", "policy"], ["EU", "UK"], LONG_TAGS)
    bar.set_tag(LONG_TAGS[0])
    qtbot.wait(100)  # the layout settles
    assert bar.search.width() == before  # it was 845 px, then 621 with these six
    assert bar.tag.width() == tag_width
    assert bar.tag.width() < bar.fontMetrics().horizontalAdvance("m" * (TAG_CHARS + 6))
    assert bar.search.width() >= bar.search.minimumSizeHint().width()


@pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen platform's popups
def test_the_tag_list_still_shows_each_name_whole(qtbot, make_window, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window, _controller = make_window(small_db, size=(1920, 1080))
    bar = window.filter_bar
    bar.set_choices(["funding"], ["EU"], LONG_TAGS)
    bar.tag.showPopup()
    try:
        view = bar.tag.view()
        qtbot.waitUntil(view.isVisible)
        widest = max(view.fontMetrics().horizontalAdvance(name) for name in LONG_TAGS)
        assert view.viewport().width() >= widest
    finally:
        bar.tag.hidePopup()
