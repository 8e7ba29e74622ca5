"""The sidebar (desktop/ui/views/sidebar.py) on its own: counts that fit its narrow column."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.ui.views.sidebar import VIEW, WATCHLIST, Sidebar, ValueRole


def _item(sidebar: Sidebar, kind: str, value: str):  # type: ignore[no-untyped-def]
    return next(i for i in sidebar._children(kind) if i.data(0, ValueRole) == value)


def test_large_counts_are_shortened_and_the_exact_one_is_in_the_tooltip_and_the_spoken_name(qtbot) -> None:  # type: ignore[no-untyped-def]
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_view_counts({"all": 970_123, "starred": 12})
    sidebar.set_watchlists([(1, "AI Act", 14_085, 14_085), (2, "Compute", 35, 0)])
    assert sidebar.count_of(VIEW, "all") == "970k" and sidebar.count_of(VIEW, "starred") == "12"
    assert sidebar.count_of(WATCHLIST, "1") == "14k +14k" and sidebar.count_of(WATCHLIST, "2") == "35"
    everything = _item(sidebar, VIEW, "all")
    assert everything.toolTip(1) == "970,123 records"
    assert "970,123 records" in everything.data(0, Qt.ItemDataRole.AccessibleTextRole)
    watched = _item(sidebar, WATCHLIST, "1")
    assert "14,085 matches, 14,085 new" in watched.toolTip(1)


def test_the_names_keep_their_room_beside_a_million_record_count(qtbot) -> None:  # type: ignore[no-untyped-def]
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.resize(200, 600)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    sidebar.set_view_counts({"all": 1_234_567, "unread": 970_000})
    sidebar.set_watchlists([(1, "DSA and Online Safety Act enforcement", 350_000, 350_000)])
    qtbot.wait(10)
    assert sidebar.header().sectionSize(1) <= 100  # "350k +350k": "350,000 +350,000" took 130 px
    assert sidebar.header().sectionSize(0) >= 100
