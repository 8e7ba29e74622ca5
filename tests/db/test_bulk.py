"""Bulk changes by the query's predicate: exactly the records the window listed, undoable,
refused without a write when the list moved, and with no limit on their number."""

from __future__ import annotations

import sqlite3

import pytest

from db import bulk
from db.store import Query, Selection, Store, StoreError
from db.user_work import user_work_path
from tests.db.helpers import item, open_store, user_data


@pytest.fixture
def twelve(store: Store) -> Store:
    """Twelve records; 3 archived, 5 and 6 mention "horizon", 1 has a note and a tag."""
    store.save_announcements(
        "src",
        [item(n, summary="Horizon Europe call" if n in (5, 6) else "Other news") for n in range(1, 13)],
    )
    store.set_status([3], "archived")
    store.set_note(1, "brief the minister")
    store.add_tag([1], "compute")
    return store


def ids_where(store: Store, sql: str) -> list[int]:
    return [row[0] for row in store.db.conn.execute(f"SELECT id FROM records WHERE {sql} ORDER BY id")]


def test_star_all_rows_of_a_view_changes_exactly_those_records(twelve: Store) -> None:
    shown = twelve.count(Query())
    changed = twelve.set_starred_of(Selection(Query(), shown), True)
    assert shown == 11 and changed == 11
    assert ids_where(twelve, "starred = 1") == [n for n in range(1, 13) if n != 3]


def test_a_search_selection_archives_only_its_matches_and_undo_puts_them_back(twelve: Store) -> None:
    before = user_data(twelve)
    q = Query(search="horizon")
    with twelve.recording() as change:
        changed = twelve.set_status_of(Selection(q, twelve.count(q)), "archived")
    assert changed == 2
    assert ids_where(twelve, "status = 'archived'") == [3, 5, 6]
    assert sorted(change.changed_ids) == [5, 6]
    twelve.undo(change)
    assert user_data(twelve) == before


def test_tagging_all_rows_writes_links_and_the_same_tags_text_as_one_by_one(twelve: Store, tmp_path) -> None:
    changed = twelve.add_tag_to(Selection(Query(), 11), "AI Act")
    assert changed == 11
    tagged = (
        "id IN (SELECT record_id FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE t.name = 'AI Act')"
    )
    assert ids_where(twelve, tagged) == [n for n in range(1, 13) if n != 3]
    assert twelve.record(1)["tags_text"] == "AI Act; compute"
    one_by_one = Store.open(tmp_path / "other.sqlite")
    try:
        one_by_one.save_announcements("src", [item(1)])
        one_by_one.add_tag([1], "compute")
        one_by_one.add_tag([1], "AI Act")
        assert one_by_one.record(1)["tags_text"] == twelve.record(1)["tags_text"]
    finally:
        one_by_one.close()
    assert twelve.add_tag_to(Selection(Query(), 11), "ai act") == 0  # the same tag, any case


def test_runs_of_rows_change_those_rows_in_the_query_order(twelve: Store) -> None:
    q = Query(sort="title", descending=False)  # Announcement 1, 10, 11, 12, 2, 4, ...
    order = [row["id"] for row in twelve.page(q, 0, 20)]
    changed = twelve.set_starred_of(Selection(q, len(order), ranges=((1, 2), (5, 1))), True)
    assert changed == 3
    assert ids_where(twelve, "starred = 1") == sorted([order[1], order[2], order[5]])


def test_a_list_that_moved_since_it_was_shown_is_refused_and_nothing_changes(twelve: Store) -> None:
    before = user_data(twelve)
    twelve.save_announcements("src", [item(99)])  # a refresh came in after the window counted 11
    after_refresh = user_data(twelve)
    with pytest.raises(StoreError, match=r"list changed since it was shown \(11 records then, 12 now\)"):
        twelve.set_status_of(Selection(Query(), 11), "done")
    with pytest.raises(StoreError, match="list changed"):
        twelve.set_starred_of(Selection(Query(), 11, ranges=((0, 3),)), True)
    assert user_data(twelve) == after_refresh != before
    assert twelve.set_status_of(Selection(Query(), 12), "done") == 12  # the list is usable again


def test_bad_input_changes_nothing(twelve: Store) -> None:
    before = user_data(twelve)
    with pytest.raises(ValueError, match="unknown status"):
        twelve.set_status_of(Selection(Query(), 11), "binned")
    with pytest.raises(ValueError, match="cannot contain ';'"):
        twelve.add_tag_to(Selection(Query(), 11), "a;b")
    with pytest.raises(StoreError, match="cannot start at row -1"):
        twelve.set_starred_of(Selection(Query(), 11, ranges=((-1, 2),)), True)
    assert user_data(twelve) == before


def test_more_than_five_thousand_records_in_chunks_with_progress(store: Store, monkeypatch) -> None:
    store.save_announcements("src", [item(n) for n in range(1, 6_002)])
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 2_000)
    seen: list[tuple[int, int]] = []
    changed = store.set_status_of(
        Selection(Query(), 6_001), "reviewing", lambda done, total: seen.append((done, total))
    )
    assert changed == 6_001
    assert seen == [(2_000, 6_001), (4_000, 6_001), (6_000, 6_001), (6_001, 6_001)]
    assert store.count(Query(status="reviewing")) == 6_001


def test_mark_all_in_a_view_read_keeps_earlier_read_marks_and_is_undoable(twelve: Store) -> None:
    twelve.mark_read([5])
    first_read = twelve.record(5)["read_at"]
    before = user_data(twelve)
    q = Query(search="horizon")
    with twelve.recording() as change:
        changed = twelve.mark_read_of(Selection(q, twelve.count(q)))
    assert changed == 1  # 6; 5 was read already
    assert twelve.record(5)["read_at"] == first_read
    assert ids_where(twelve, "read_at IS NOT NULL") == [5, 6]
    twelve.undo(change)
    assert user_data(twelve) == before


def test_mark_unread_by_the_view(twelve: Store) -> None:
    twelve.mark_read([1, 2, 3])
    assert twelve.mark_read_of(Selection(Query(), 11), read=False) == 2  # 3 is archived: not in the view
    assert ids_where(twelve, "read_at IS NOT NULL") == [3]


def test_a_summary_counts_stars_unread_the_next_deadline_and_budgets_per_currency(tmp_path) -> None:
    store = open_store(tmp_path / "s.sqlite")
    try:
        store.save_announcements(
            "src",
            [
                item(1, deadline_at="2026-04-10T16:00:00Z", budget_amount=1_000_000.0, budget_currency="EUR"),
                item(2, deadline_at="2026-01-01T16:00:00Z", budget_amount=500_000.0, budget_currency="EUR"),
                item(3, deadline_at="2026-06-01T16:00:00Z", budget_amount=2_000_000.0, budget_currency="GBP"),
                item(4),
            ],
        )
        store.set_starred([1, 4], True)
        store.mark_read([2])
        everything = store.summarise(Selection(Query(sort="title", descending=False), 4))
        assert (everything.records, everything.starred, everything.unread) == (4, 2, 3)
        assert everything.next_deadline == "2026-04-10T16:00:00Z"  # 2's has passed (now: 2 March 2026)
        assert everything.budgets == (("GBP", 2_000_000.0, 1), ("EUR", 1_500_000.0, 2))
        two = store.summarise(Selection(Query(sort="title", descending=False), 4, ranges=((1, 1), (3, 1))))
        assert (two.records, two.starred, two.budgets) == (2, 1, (("EUR", 500_000.0, 1),))
        assert two.next_deadline is None
        with pytest.raises(StoreError, match="The list changed"):
            store.summarise(Selection(Query(), 9))
        assert store.db.conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0
    finally:
        store.close()


def _work_urls(store: Store) -> set[str]:
    conn = sqlite3.connect(user_work_path(store.path))
    try:
        return {row[0] for row in conn.execute("SELECT url FROM work")}
    finally:
        conn.close()


def _url(store: Store, record_id: int) -> str:
    return str(store.db.conn.execute("SELECT url FROM records WHERE id = ?", (record_id,)).fetchone()[0])


def test_the_user_work_file_has_every_record_a_bulk_change_gave_work_and_none_it_took_it_from(
    twelve: Store,
) -> None:
    twelve.set_starred([2], True)  # 1 has a note and a tag, 3 is archived: work of their own
    assert _work_urls(twelve) == {_url(twelve, n) for n in (1, 2, 3)}
    twelve.set_starred_of(Selection(Query(), 11), True)
    assert _work_urls(twelve) == {_url(twelve, n) for n in range(1, 13)}
    twelve.set_starred_of(Selection(Query(), 11), False)  # 2 and the others carry nothing now
    assert _work_urls(twelve) == {_url(twelve, n) for n in (1, 3)}
    twelve.add_tag_to(Selection(Query(search="horizon"), 2), "Horizon")
    assert _work_urls(twelve) == {_url(twelve, n) for n in (1, 3, 5, 6)}
    conn = sqlite3.connect(user_work_path(twelve.path))
    try:
        assert conn.execute("SELECT tags FROM work WHERE url = ?", (_url(twelve, 5),)).fetchone() == (
            "Horizon",
        )
        assert {row[0] for row in conn.execute("SELECT name FROM tags")} == {"compute", "Horizon"}
    finally:
        conn.close()


def test_a_bulk_change_whose_user_work_write_failed_is_in_the_file_after_the_next_change(
    twelve: Store,
) -> None:
    twelve.set_starred([2], True)
    blocker = user_work_path(twelve.path)
    blocker.rename(blocker.with_name("moved-away.sqlite"))
    blocker.mkdir()  # a folder where the file should be: every write fails
    assert twelve.set_starred_of(Selection(Query(), 11), True) == 10  # saved in the store all the same
    blocker.rmdir()
    twelve.set_note(4, "the next change")
    assert _work_urls(twelve) == {_url(twelve, n) for n in range(1, 13)}


def test_a_bulk_tag_gives_each_kind_of_tags_text_the_tag_in_its_place(twelve: Store) -> None:
    twelve.add_tag([2], "zebra")
    twelve.add_tag([4, 5], "alpha")
    twelve.add_tag([5], "Zulu")
    twelve.add_tag([6], "Beta")  # already has the tag below, in another case: no second one
    twelve.add_tag([6], "Mid")
    assert twelve.add_tag_to(Selection(Query(), 11), "mid") == 10
    texts = dict(twelve.db.conn.execute("SELECT id, tags_text FROM records"))
    assert texts[1] == "compute; Mid"
    assert texts[2] == "Mid; zebra"
    assert texts[4] == "alpha; Mid"
    assert texts[5] == "alpha; Mid; Zulu"
    assert texts[6] == "Beta; Mid"
    assert texts[7] == "Mid"
    assert texts[3] == ""  # archived: not in the list
    assert twelve.db.conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0
