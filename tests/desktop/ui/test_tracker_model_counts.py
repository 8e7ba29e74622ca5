"""The first page first: a new query shows rows before its exact count, which a worker makes
on its own connection; a newer query makes older counts obsolete (docs/SEARCH.md)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex

from db.store import Query, Store
from desktop.ui.tracker_columns import RecordIdRole
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.worker import running_tasks
from tests.desktop.sql_trace import statements_during

CAP = 500  # the 10,000-record store's common words match a few thousand records


@pytest.fixture
def capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TrackerModel, "FIRST_COUNT_CAP", CAP)


def _fresh_count(db_path, q: Query) -> int:  # type: ignore[no-untyped-def]
    other = Store.open(db_path)
    try:
        return other.count(q)
    finally:
        other.close()


def _shown(qtbot, model: TrackerModel, q: Query) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(model.page_ready, timeout=10_000):
        model.request(q)


def test_a_search_shows_its_first_page_then_its_exact_count(qtbot, big_db, open_store, capped) -> None:
    store = open_store(big_db)
    model = TrackerModel(store)
    q = Query(search="research")

    landed: list[int] = []

    def shown_and_counted() -> None:
        with qtbot.waitSignal(model.counted, timeout=10_000) as counted:
            _shown(qtbot, model, q)
            assert not model.count_is_exact
            assert model.count_text().startswith("about ") and model.count_text().endswith("(counting…)")
            assert model.data(model.index(0, 0), RecordIdRole) is not None  # the first page is there
        landed.extend(counted.args)
        qtbot.waitUntil(lambda: running_tasks() == 0, timeout=10_000)  # the count kept by now

    _none, ran = statements_during(store, shown_and_counted)
    assert ran == []  # nor read nor wrote on its thread

    exact = _fresh_count(big_db, q)
    assert landed == [exact] and model.rowCount() == exact and model.count_is_exact
    assert model.count_text() == f"{exact:,} records"
    assert store.known_count(q) == exact  # remembered: scrolling and sorting do not recount
    ids = [model.record_id(row) for row in range(model.rowCount())]
    assert len(set(ids)) == exact and None not in ids


def test_the_scroll_range_grows_when_the_count_lands(qtbot, big_db, open_store, capped) -> None:
    model = TrackerModel(open_store(big_db))
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    with qtbot.waitSignal(model.counted, timeout=10_000):
        _shown(qtbot, model, Query(view="unread"))
        assert model.rowCount() == CAP and model.count_text() == f"over {CAP:,} records (counting…)"
    exact = _fresh_count(big_db, Query(view="unread"))
    assert exact > CAP and inserted == [(CAP, exact - 1)] and model.rowCount() == exact


def test_all_shows_about_its_number_at_once_then_its_exact_count(qtbot, big_db, open_store, capped) -> None:
    store = open_store(big_db)
    store.set_status([1, 2, 3], "archived")
    model = TrackerModel(store)
    with qtbot.waitSignal(model.counted, timeout=10_000) as counted:
        _shown(qtbot, model, Query())
        assert not model.count_is_exact  # not SQLite's whole count before the first page
        about = model.count_text()
    exact = _fresh_count(big_db, Query())
    assert about == f"about {exact:,} records (counting…)"  # no record was deleted: the right number
    assert counted.args == [exact] and model.rowCount() == exact and model.count_is_exact


def test_a_newer_query_wins_over_older_reads_and_counts(qtbot, big_db, open_store, capped) -> None:
    model = TrackerModel(open_store(big_db))
    landed: list[int] = []
    pages: list[str] = []
    model.counted.connect(landed.append)
    model.page_ready.connect(lambda: pages.append(model.query.search))
    for text in ("research", "research innovation", "research innovation climate", "data"):
        model.request(Query(search=text))  # typed faster than any read
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=10_000)
    qtbot.wait(50)  # any late result is delivered by now
    assert pages == ["data"]  # only the last query's rows were ever shown
    assert landed == [_fresh_count(big_db, Query(search="data"))]
    assert model.rowCount() == landed[0] and model.query.search == "data"


def test_a_small_result_is_counted_with_its_first_page(qtbot, big_db, open_store, capped) -> None:
    model = TrackerModel(open_store(big_db))
    counted: list[int] = []
    model.counted.connect(counted.append)
    _shown(qtbot, model, Query(search="photonics"))  # every 37th record
    assert model.count_is_exact
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=10_000)
    assert counted == []  # exact with the first page: no count made after it
    assert model.rowCount() == _fresh_count(big_db, Query(search="photonics"))
    assert model.rowCount(QModelIndex()) < CAP


def test_the_title_tooltip_shows_the_hit_in_bold_and_never_markup_from_the_text(
    qtbot, empty_db, open_store
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from desktop.ui.tracker_columns import COL_TITLE
    from scrapers.model import Announcement

    store = open_store(empty_db)
    store.save_announcements(
        "s",
        [
            Announcement(
                url="https://example.org/a",
                title="<img src=x> Compute <b>call</b>",
                summary="Sovereign compute for research\x1b[31m, <script>alert(1)</script> and more",
            )
        ],
    )
    store.set_note(1, "ask about the <i>quota</i>")
    model = TrackerModel(store)
    _shown(qtbot, model, Query(search="sovereign"))
    tip = model.data(model.index(0, COL_TITLE), Qt.ItemDataRole.ToolTipRole)
    assert "<b>Sovereign</b> compute for research" in tip
    assert "<script>" not in tip and "&lt;script&gt;" in tip and "\x1b" not in tip and "\\x1b" in tip
    assert "<img" not in tip and "&lt;img src=x&gt;" in tip
    _shown(qtbot, model, Query(search="quota"))  # found through the note
    tip = model.data(model.index(0, COL_TITLE), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;i&gt;<b>quota</b>&lt;/i&gt;" in tip
    _shown(qtbot, model, Query())
    assert "<b>" not in model.data(model.index(0, COL_TITLE), Qt.ItemDataRole.ToolTipRole)


def test_the_window_says_about_n_then_the_exact_count(qtbot, make_window, big_db, capped) -> None:
    window, controller = make_window(big_db)
    qtbot.waitUntil(lambda: controller.model.count_is_exact, timeout=10_000)  # All: about N, then counted
    with qtbot.waitSignal(controller.model.counted, timeout=10_000):
        with qtbot.waitSignal(controller.query_applied, timeout=5_000):
            qtbot.keyClicks(window.filter_bar.search, "research")
        assert not controller.model.count_is_exact
        assert window.count_label.text().startswith("about ")
        assert window.active_filters.text.text().startswith("about ")
        assert controller.model.data(controller.model.index(0, 0), RecordIdRole) is not None
    exact = _fresh_count(big_db, Query(search="research"))
    assert window.count_label.text() == f"{exact:,} records"
    assert window.active_filters.text.text().startswith(f"{exact:,} in ")
