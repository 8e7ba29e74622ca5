"""The tracker's table model: Qt's model contract, lazy pages, and SQL order for every column."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db.store import SORT_KEYS, Query
from desktop.ui.tracker_columns import (
    COL_BUDGET,
    COL_DAYS_LEFT,
    COL_STAR,
    COL_TITLE,
    COLUMNS,
    RecordIdRole,
    SortRole,
)
from desktop.ui.tracker_model import TrackerModel

_STATUS_ORDER = {"new": 0, "reviewing": 1, "done": 2}
_NULLS_LAST = {"published", "deadline", "days_left", "budget"}
_FIELD = {
    "star": "starred",
    "title": "title",
    "category": "category",
    "jurisdiction": "jurisdiction",
    "source": "source_id",
    "published": "published_at",
    "deadline": "deadline_at",
    "days_left": "deadline_at",
    "budget": "budget_amount",
    "status": "status",
    "tags": "tags_text",
    "note": "note",
    "call_status": "call_status",
    "programme": "programme",
    "action_type": "action_type",
    "opens": "opens_at",
}


def expected_order(db_path: Path, key: str, descending: bool) -> list[int]:
    """The order the documented sort rules give, computed in Python from the raw table.

    Text compares case-insensitively (ASCII, as SQLite's NOCASE); status in workflow order;
    empty dates and budgets last in both directions; SQL NULL first otherwise (ascending);
    ties by id in the same direction.
    """
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM records WHERE status != 'archived'")]
    conn.close()
    field = _FIELD[key]

    def value(row: dict[str, Any]) -> Any:
        raw = row[field]
        if key == "status":
            return _STATUS_ORDER.get(raw, 3)
        if key in ("title", "tags", "note", "call_status", "programme", "action_type") and raw is not None:
            return raw.lower()
        return raw

    if key in _NULLS_LAST:
        present = [r for r in rows if r[field] is not None]
        empty = [r for r in rows if r[field] is None]
        present.sort(key=lambda r: (value(r), r["id"]), reverse=descending)
        empty.sort(key=lambda r: r["id"], reverse=descending)
        ordered = present + empty
    else:
        blank = 0 if key in ("star", "status") else ""
        ordered = sorted(
            rows,
            key=lambda r: (value(r) is not None, blank if value(r) is None else value(r), r["id"]),
            reverse=descending,
        )
    return [r["id"] for r in ordered]


def loaded(qtbot, store, query: Query | None = None) -> TrackerModel:  # type: ignore[no-untyped-def]
    """A model showing `query` once its first pages have landed (read on a worker)."""
    model = TrackerModel(store)
    shown(qtbot, model, query or Query())
    return model


def shown(qtbot, model: TrackerModel, query: Query) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(model.page_ready, timeout=20_000):
        model.request(query)


def model_ids(model: TrackerModel) -> list[int]:
    """Every row's record, read as an action reads them (`row` reads a page not held)."""
    return [model.record_id(row) for row in range(model.rowCount())]  # type: ignore[misc]


def test_passes_qt_model_tester(qtbot, qtmodeltester, small_db, open_store) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, open_store(small_db))
    qtmodeltester.check(model)
    shown(qtbot, model, Query(sort="title", descending=False))
    qtmodeltester.check(model)


SORTABLE = [number for number, c in enumerate(COLUMNS) if c.sortable]


def test_every_column_maps_to_a_store_sort_key() -> None:
    # every sort key but the relevance of a search, which is chosen in the View menu
    assert [c.sort_key for c in COLUMNS if c.sortable] == [k for k in SORT_KEYS if k != "relevance"]


@pytest.mark.parametrize("column", SORTABLE, ids=[COLUMNS[n].sort_key for n in SORTABLE])
def test_sorting_each_column_matches_sql_order(qtbot, big_db, open_store, column: int) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, open_store(big_db))
    assert model.rowCount() > 9_000
    key = COLUMNS[column].sort_key
    for descending in (False, True):
        shown(qtbot, model, Query(sort=key, descending=descending))
        assert model.query.sort == key
        assert model_ids(model) == expected_order(big_db, key, descending)
        assert model.cached_pages() <= TrackerModel.MAX_PAGES


def test_rows_are_read_a_page_at_a_time_on_a_worker_and_painted_when_they_land(
    qtbot, big_db, open_store
) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, open_store(big_db))
    assert model.cached_pages() == 1  # the first page came with the count
    last = model.index(model.rowCount() - 1, COL_TITLE)
    assert model.data(last) == "…" and model.data(last, RecordIdRole) is None  # asked, not waited for
    with qtbot.waitSignal(model.dataChanged, timeout=20_000) as painted:
        pass
    assert painted.args[0].row() <= last.row() <= painted.args[1].row()
    assert model.data(last) not in (None, "…") and model.cached_pages() == 2
    for row in range(0, model.rowCount(), TrackerModel.PAGE_SIZE):
        model.data(model.index(row, COL_TITLE))
    qtbot.waitUntil(lambda: not model.reading, timeout=20_000)
    assert model.cached_pages() == TrackerModel.MAX_PAGES


def test_display_formats_budget_days_left_and_star(qtbot, open_store, empty_db) -> None:  # type: ignore[no-untyped-def]
    from scrapers.model import Announcement

    store = open_store(empty_db)
    store.save_announcements(
        "s",
        [
            Announcement(
                url="https://example.org/a",
                title="<b>Call</b> for compute",
                category="funding",
                budget_amount=12_500_000.0,
                budget_currency="EUR",
                deadline_at="2001-01-01T12:00:00Z",
                published_at="2026-02-03T10:00:00Z",
            )
        ],
    )
    model = loaded(qtbot, store)
    index = model.index(0, COL_BUDGET)
    assert model.data(index) == "€12,500,000"
    assert model.data(model.index(0, COL_TITLE)) == "<b>Call</b> for compute"  # literal, never markup
    assert model.data(model.index(0, COL_DAYS_LEFT)) == ""  # closed long ago: nothing to count
    assert model.data(model.index(0, COL_DAYS_LEFT), SortRole) < -9000  # still sorts as the oldest
    muted = model.data(model.index(0, COL_DAYS_LEFT), Qt.ItemDataRole.ForegroundRole)
    assert muted is not None and muted.color().name() == "#596470"
    assert model.data(model.index(0, COL_STAR)) == "☆"
    assert model.data(model.index(0, COL_TITLE), Qt.ItemDataRole.FontRole).bold()  # unread
    assert model.data(model.index(0, COL_BUDGET), SortRole) == 12_500_000.0


def test_a_reread_holds_the_pages_around_the_row_so_find_row_needs_no_read(big_db, open_store, qtbot) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, open_store(big_db), Query(sort="title", descending=False))
    target, far = model.record_id(1234), model.record_id(9000)
    assert target is not None and far is not None
    with qtbot.waitSignal(model.page_ready, timeout=20_000):
        model.request_reload(around_row=1234)
    assert model.find_row(target) == 1234  # its page and those beside it came with the re-read
    assert model.find_row(far) is None  # never read again: found only where held
    with qtbot.waitSignal(model.dataChanged):
        model.update_rows([target], starred=True)
    assert model.data(model.index(1234, COL_STAR)) == "★"


def test_a_store_that_fails_under_the_table_leaves_it_painting_with_one_message(
    qtbot, big_db: Path, open_store
) -> None:  # type: ignore[no-untyped-def]
    """The file is damaged while the window shows it (a disk fault, another program writing into
    it): the rows already read stay, the rest show "…", the model says why once and no
    exception reaches Qt's paint (pytest-qt fails a test on one)."""
    from PySide6.QtWidgets import QTableView

    store = open_store(big_db)
    model = loaded(qtbot, store)
    said: list[str] = []
    model.read_failed.connect(said.append)
    view = QTableView()
    view.setModel(model)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    first_title = model.data(model.index(0, COL_TITLE))
    assert first_title and model.cached_pages() == 1
    other = sqlite3.connect(big_db)  # another program writes into the file (its log only) ...
    other.execute("PRAGMA wal_autocheckpoint = 0")
    other.execute("CREATE TABLE other_program (x)")
    with big_db.open("r+b") as damaged:  # ... and every page after the header is overwritten
        damaged.seek(4096)
        damaged.write(b"\xff" * (big_db.stat().st_size - 4096))
    view.scrollToBottom()
    assert not view.grab().isNull()  # painted: the rows not held are asked for on a worker
    qtbot.waitUntil(lambda: said != [], timeout=20_000)
    qtbot.waitUntil(lambda: not model.reading, timeout=20_000)
    assert not view.grab().isNull()  # painted again, "…" where nothing could be read
    last = model.rowCount() - 1
    assert model.data(model.index(last, COL_TITLE)) == "…"
    assert model.data(model.index(0, COL_TITLE)) == first_title  # what was read is still shown
    assert len(said) == 1 and said[0].startswith("Could not read the records: ")
    assert "damaged" in said[0]
    other.close()


def test_a_moved_deadline_and_budget_are_marked_with_the_old_value_in_the_tooltip(
    qtbot, open_store, empty_db
) -> None:  # type: ignore[no-untyped-def]
    """A refresh moves a call's deadline and raises its budget: the cells carry the moved
    mark, the tooltip says from what and when, a screen reader hears it, and What changed
    says both; a record no refresh changed has no mark."""
    from datetime import UTC, datetime, timedelta

    from scrapers.model import Announcement

    first = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    store = open_store(empty_db)
    store.clock = lambda: first

    def call(deadline: str, budget: float) -> list[Announcement]:
        return [
            Announcement(
                url="https://example.org/call", title="Call", category="funding",
                deadline_at=deadline, budget_amount=budget, budget_currency="EUR",
            ),
            Announcement(url="https://example.org/other", title="Other", deadline_at="2027-03-01T12:00:00Z"),
        ]  # fmt: skip

    store.save_announcements("s", call("2027-01-21T12:00:00Z", 2e6))
    store.clock = lambda: first + timedelta(days=2)
    store.save_announcements("s", call("2027-02-18T12:00:00Z", 3e6))
    model = loaded(qtbot, store, Query(sort="title", descending=False))
    columns = {c.sort_key: number for number, c in enumerate(COLUMNS)}

    def cell(key: str, role: int = Qt.ItemDataRole.DisplayRole, row: int = 0) -> Any:
        return model.data(model.index(row, columns[key]), role)

    assert cell("deadline") == "18 Feb 2027 ↻"
    assert "Moved from 21 Jan 2027" in cell("deadline", Qt.ItemDataRole.ToolTipRole)
    assert " on 3 Dec 2026" in cell("deadline", Qt.ItemDataRole.ToolTipRole)
    assert cell("deadline", Qt.ItemDataRole.AccessibleTextRole) == "18 Feb 2027, moved from 21 Jan 2027"
    assert cell("budget") == "€3,000,000 ↻"
    assert cell("budget", Qt.ItemDataRole.ToolTipRole) == (
        "<p style='white-space:pre-wrap'>Changed from €2,000,000 on 3 Dec 2026</p>"
    )
    assert cell("budget", Qt.ItemDataRole.AccessibleTextRole) == "€3,000,000, changed from €2,000,000"
    assert cell("budget", SortRole) == 3e6  # sorts on the value, not the mark
    assert cell("what_changed") == "Deadline 21 Jan → 18 Feb 2027; budget €2,000,000 → €3,000,000"
    assert cell("deadline", row=1) == "1 Mar 2027"  # never moved: no mark
    assert cell("what_changed", row=1) == ""
    assert cell("what_changed", Qt.ItemDataRole.AccessibleTextRole, row=1) == (
        "Nothing changed since you last read it"
    )
