"""The filter bar's funding facets in the real window: a programme, a type of action, a call
status and date ranges narrow the table, compose with the search and clear all at once."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from desktop.ui.tracker_columns import RecordIdRole
from scrapers.model import Announcement

CLUSTER_4 = "Horizon Europe · Cluster 4: Digital, Industry and Space"
DIGITAL = "Digital Europe Programme"
SOON = (date.today() + timedelta(days=5)).isoformat() + "T16:00:00Z"
LATER = (date.today() + timedelta(days=60)).isoformat() + "T16:00:00Z"


def call(number: int, programme: str | None, deadline: str, **fields: str) -> Announcement:
    return Announcement(
        url=f"https://example.org/call/{number}",
        title=f"Call {number} on AI" if number % 2 else f"Call {number} on chips",
        category="funding",
        programme=programme,
        deadline_at=deadline,
        **fields,  # type: ignore[arg-type]
    )


def facet_db(open_store, path: Path) -> Path:
    store = open_store(path)
    store.save_announcements(
        "ec",
        [
            call(
                1, CLUSTER_4, SOON, action_type="HORIZON Research and Innovation Actions", call_status="open"
            ),
            call(
                2,
                CLUSTER_4,
                LATER,
                action_type="HORIZON Coordination and Support Actions",
                call_status="open",
            ),
            call(3, DIGITAL, SOON, action_type="DIGITAL Simple Grants", call_status="forthcoming"),
            call(4, None, LATER, call_status="closed"),
        ],
    )
    return path


def titles(controller) -> set[str]:
    model = controller.model
    return {model.row(r)["title"] for r in range(model.rowCount())}


def shows(qtbot, controller, expected: set[str]) -> None:
    """The table comes to show exactly these titles (a page may be read in a worker)."""
    qtbot.waitUntil(lambda: titles(controller) == expected, timeout=5000)


def ids(controller) -> set[int]:
    model = controller.model
    return {model.data(model.index(r, 0), RecordIdRole) for r in range(model.rowCount())}


def test_a_programme_narrows_the_table_and_a_deadline_range_leaves_out_later_calls(
    qtbot, make_window, open_store, empty_db
) -> None:
    window, controller = make_window(facet_db(open_store, empty_db))
    bar = window.filter_bar
    qtbot.waitUntil(lambda: bar.programme.findData(CLUSTER_4) > 0)
    assert bar.programme.itemText(bar.programme.findData(CLUSTER_4)) == f"{CLUSTER_4} (2)"  # counted
    qtbot.waitUntil(lambda: len(ids(controller)) == 4)

    bar.programme.setCurrentIndex(bar.programme.findData(CLUSTER_4))
    shows(qtbot, controller, {"Call 1 on AI", "Call 2 on chips"})
    assert f"Programme: {CLUSTER_4}" in window.active_filters.text.text()

    bar.deadline.combo.setCurrentIndex(bar.deadline.combo.findData("+7"))
    shows(qtbot, controller, {"Call 1 on AI"})  # call 2 closes in 60 days
    assert "Deadline in 7 days" in window.active_filters.text.text()

    bar.programme.setCurrentIndex(0)
    shows(qtbot, controller, {"Call 1 on AI", "Call 3 on AI"})
    with qtbot.waitSignal(controller.query_applied, timeout=5000):
        qtbot.keyClicks(bar.search, "chips")
    shows(qtbot, controller, set())  # call 2 has the word but a later deadline
    assert "Deadline in 7 days" in window.no_results.message.text()

    controller.query.clear_filters()
    qtbot.waitUntil(lambda: len(ids(controller)) == 4)
    assert bar.deadline.combo.currentIndex() == 0 and not bar.deadline.start.isVisible()
    assert not window.active_filters.isVisible()


def test_call_status_type_of_action_and_a_custom_deadline_range(
    qtbot, make_window, open_store, empty_db
) -> None:
    window, controller = make_window(facet_db(open_store, empty_db))
    bar = window.filter_bar
    qtbot.waitUntil(lambda: bar.action_type.count() > 1)
    bar.call_status.setCurrentIndex(bar.call_status.findData("open"))
    shows(qtbot, controller, {"Call 1 on AI", "Call 2 on chips"})
    bar.call_status.setCurrentIndex(bar.call_status.findData("closed"))
    shows(qtbot, controller, {"Call 4 on chips"})
    bar.call_status.setCurrentIndex(0)

    bar.action_type.setCurrentIndex(bar.action_type.findData("DIGITAL Simple Grants"))
    shows(qtbot, controller, {"Call 3 on AI"})
    bar.action_type.setCurrentIndex(0)

    bar.deadline.combo.setCurrentIndex(bar.deadline.combo.findData("custom"))
    assert bar.deadline.start.isVisible() and bar.deadline.end.isVisible()
    shows(qtbot, controller, {"Call 1 on AI", "Call 3 on AI"})  # the month ahead: not day 60
    bar.deadline.end.setDate(bar.deadline.end.date().addDays(60))
    qtbot.waitUntil(lambda: len(ids(controller)) == 4)
