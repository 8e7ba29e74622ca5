"""The place controller alone, on a real table and store: the current record across re-reads."""

from __future__ import annotations

from pathlib import Path

from db.store import Query
from desktop.ui.controllers.place import PlaceController
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.views.tracker_table import TrackerTable
from tests.desktop.ui.controllers.damage import damaged


def _place(qtbot, store) -> tuple[PlaceController, TrackerModel, TrackerTable]:  # type: ignore[no-untyped-def]
    model = TrackerModel(store)
    table = TrackerTable()
    table.setModel(model)
    table.resize(900, 500)
    qtbot.addWidget(table)
    return PlaceController(table, model), model, table


def _shown(qtbot, place: PlaceController, query: Query) -> None:  # type: ignore[no-untyped-def]
    """Ask for the rows of `query` and wait for them to land (they are read on a worker)."""
    with qtbot.waitSignal(place.rows_changed, timeout=20_000):
        place.show_query(query)


def test_the_current_record_stays_current_under_a_new_sort_and_is_said(
    qtbot, small_db: Path, open_store
) -> None:  # type: ignore[no-untyped-def]
    place, model, _table = _place(qtbot, open_store(small_db))
    current: list[int] = []
    place.record_current.connect(current.append)
    _shown(qtbot, place, Query())
    place.select_row(7)
    chosen = place.current_record_id()
    assert chosen is not None and current[-1] == chosen
    with qtbot.waitSignal(place.query_shown) as shown:
        place.show_query(Query(sort="title", descending=False))
    assert shown.args == [model.rowCount()]
    assert place.current_record_id() == chosen and current[-1] == chosen
    assert model.query.sort == "title"


def test_a_filter_that_leaves_the_record_out_says_it_left(qtbot, small_db: Path, open_store) -> None:  # type: ignore[no-untyped-def]
    store = open_store(small_db)
    place, model, _table = _place(qtbot, store)
    _shown(qtbot, place, Query())
    place.select_row(0)
    chosen = place.current_record_id()
    row = model.row(0)
    assert chosen is not None and row is not None
    other = next(c for c in store.categories() if c != row["category"])
    left: list[int] = []
    place.record_left.connect(left.append)
    _shown(qtbot, place, Query(category=other))
    assert model.rowCount() > 0 and left == [chosen]
    assert place.current_record_id() != chosen


def test_archiving_the_current_record_moves_on_to_the_next_with_advance(
    qtbot, small_db: Path, open_store
) -> None:  # type: ignore[no-untyped-def]
    store = open_store(small_db)
    place, model, _table = _place(qtbot, store)
    _shown(qtbot, place, Query())
    place.select_row(3)
    archived = place.current_record_id()
    following = model.record_id(4)
    assert archived is not None
    store.set_status([archived], "archived")
    with qtbot.waitSignal(place.rows_changed, timeout=20_000):
        place.reload_keeping_place(advance=True)
    assert place.current_record_id() == following


def test_a_store_failing_under_a_reload_says_so_once_and_changes_nothing(
    qtbot, small_db: Path, open_store
) -> None:  # type: ignore[no-untyped-def]
    place, model, _table = _place(qtbot, open_store(small_db))
    _shown(qtbot, place, Query())
    place.select_row(2)
    chosen, count = place.current_record_id(), model.rowCount()
    said: list[str] = []
    changed: list[bool] = []
    model.read_failed.connect(said.append)
    place.rows_changed.connect(lambda: changed.append(True))
    with damaged(small_db):
        place.show_query(Query(sort="title"))
        place.reload_keeping_place()  # the newer ask: the older one's failure is not said
        qtbot.waitUntil(lambda: not model.reading, timeout=20_000)
    assert len(said) == 1 and said[0].startswith("Could not read the records: ")
    assert "damaged" in said[0]
    assert changed == []  # nothing was re-read, so nothing is said to have changed
    assert model.query == Query() and model.rowCount() == count  # still the query it had
    assert place.current_record_id() == chosen


def test_a_record_a_half_typed_search_left_out_comes_back_with_the_next_query_that_has_it(
    qtbot, small_db: Path, open_store
) -> None:  # type: ignore[no-untyped-def]
    store = open_store(small_db)
    place, model, _table = _place(qtbot, store)
    _shown(qtbot, place, Query())
    place.select_row(2)
    chosen = place.current_record_id()
    row = model.row(2)
    assert chosen is not None and row is not None
    other = next(c for c in store.categories() if c != row["category"])
    _shown(qtbot, place, Query(search="zzqx"))  # as "p" of "photonics" would: nothing matches
    assert model.rowCount() == 0 and place.current_record_id() is None
    _shown(qtbot, place, Query(category=other))  # another query that leaves it out
    assert place.current_record_id() != chosen
    _shown(qtbot, place, Query())
    assert place.current_record_id() == chosen  # still the user's record
    place.select_row(0)  # the user goes to another one: the left one is let go
    mine = place.current_record_id()
    _shown(qtbot, place, Query(category=other))
    _shown(qtbot, place, Query())
    assert mine != chosen and place.current_record_id() == mine  # the one the user went to, not the first
