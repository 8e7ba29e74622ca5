"""The Columns menu and the header helpers on real widgets."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from desktop.ui.tracker_columns import COLUMNS
from desktop.ui.views.column_menu import ColumnMenu, apply_layout, logical_index, shown_order, typical_width


def test_the_menu_lists_every_registered_column_and_says_what_is_chosen(qtbot) -> None:
    menu = ColumnMenu()
    qtbot.addWidget(menu)
    assert list(menu.column_actions) == [column.sort_key for column in COLUMNS]
    assert menu.column_actions["star"].text() == "Star (★)"
    chosen: list[tuple[str, bool]] = []
    menu.toggled.connect(lambda key, shown: chosen.append((key, shown)))
    menu.show_checked(("star", "title"))
    assert chosen == []  # ticking to match the header is no choice
    menu.column_actions["budget"].trigger()
    assert chosen == [("budget", True)]
    menu.show_checked(("title",))
    assert not menu.column_actions["title"].isEnabled() and menu.column_actions["budget"].isEnabled()


def test_a_layout_put_on_a_header_reads_back_in_its_order(qtbot, small_db, open_store) -> None:
    from desktop.ui.tracker_model import TrackerModel

    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(TrackerModel(open_store(small_db)))
    header = table.horizontalHeader()
    apply_layout(header, ("budget", "title", "star"), {"budget": 123})
    assert shown_order(header) == ("budget", "title", "star")
    assert header.sectionSize(logical_index("budget")) == 123
    assert header.isSectionHidden(logical_index("note"))


def test_a_typical_width_holds_the_text_and_the_header(qtbot) -> None:
    table = QTableView()
    qtbot.addWidget(table)
    metrics = (table.fontMetrics(), table.fontMetrics())
    assert typical_width("budget", "Budget", metrics) > metrics[0].horizontalAdvance("€1,250,000,000")
    assert typical_width("new_column", "A long header text", metrics) > metrics[1].horizontalAdvance(
        "A long header text"
    )
    assert typical_width("star", "★", metrics) < 40
