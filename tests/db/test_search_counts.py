"""A search's count: right in every view, and read from the search index alone when nothing
but the archive narrows it (docs/SEARCH.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import db.store
from db.queries import VIEWS, Query, count_query
from db.search import expanded, search_terms
from db.store import Store
from tests.db.helpers import NOW, item, open_store


@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(Path(tmp_path_factory.mktemp("counts")) / "counts.sqlite")
    store.save_announcements(
        "src", [item(n, title=f"{'funding' if n % 2 else 'policy'} call {n}") for n in range(1, 41)]
    )
    store.set_status([1, 3, 5, 2], "archived")  # three archived funding records, one policy
    store.set_starred([7, 9, 4], True)
    store.mark_read([11, 13, 6])
    store.set_note(6, "ask about funding")  # a policy record found through its note only
    yield store
    store.close()


def _plan(store: Store, q: Query, cap: int | None = None) -> str:
    sql, params = count_query(q, NOW, expanded(store.db, search_terms(q.search)), cap=cap)
    return " ".join(row[3] for row in store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def _expected(store: Store, q: Query) -> int:
    ids = []
    while page := store.page(q, len(ids), 7):
        ids.extend(row["id"] for row in page)
    return len(ids)


@pytest.mark.parametrize("text", ["funding", "funding ", "fund", "policy", "call", "nothing"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_a_search_counts_what_its_pages_show(searched: Store, view: str, text: str) -> None:
    q = Query(search=text, view=view)
    assert searched.count(q) == _expected(searched, q)


def test_a_bare_search_counts_from_the_search_index_without_looking_up_each_match(searched: Store) -> None:
    assert searched.count(Query(search="funding ")) == 20 - 3 + 1  # less archived, plus the note
    assert searched.count(Query(search="funding ", view="archived")) == 3
    for q in (Query(search="funding "), Query(search="funding", view="archived")):
        assert "records_state" not in _plan(searched, q)
    # A filter on the user's columns still checks each match through records_state.
    assert "records_state" in _plan(searched, Query(search="funding ", view="starred"))
    assert searched.count(Query(search="funding ", view="starred")) == 2


def test_a_capped_search_count_tests_each_match_instead_of_listing_the_archive(searched: Store) -> None:
    # Listing the archived ids cost 6.5 ms at a million records, whatever the matches; testing
    # each of a rare word's 116 matches cost 0.14 ms, and 20,001 of "the" 8 ms against 13.
    for q in (Query(search="funding "), Query(search="funding", view="archived")):
        plan = _plan(searched, q, cap=5)
        assert "records_state" in plan and "records_by_status_value (status=?)" not in plan  # no list
        assert searched.first_count(q, cap=100) == (searched.count(q), True)


def test_about_n_is_read_from_how_densely_the_first_matches_occur(searched: Store) -> None:
    # "funding" is in every other record of 40 (ids 1, 3, ...): the 5th match is record 9, so
    # about 5 x 40 / 9 = 22 records, at the cost of reading five matches instead of all twenty.
    assert searched.first_count(Query(search="funding call"), cap=5) == (22, False)
    assert searched.first_count(Query(search="funding call"), cap=100) == (17 + 1, True)


def test_a_search_in_one_category_tests_each_match_in_the_category_index(store: Store) -> None:
    """The category's own index holds (category, id, status): no table row is read per match."""
    store.save_announcements(
        "src",
        [item(n, title=f"AI Act note {n}", category="funding" if n % 3 else "policy") for n in range(1, 31)],
    )
    store.set_status([1, 2], "archived")
    store.set_note(3, "AI Act")  # a policy record: its note matches, its category does not
    for q in (Query(search='"AI Act" ', category="funding"), Query(search="note ", jurisdiction="EU")):
        assert "COVERING INDEX records_by_" in _plan(store, q)
        assert store.count(q) == _expected(store, q)
    assert store.count(Query(search='"AI Act" ', category="funding")) == 20 - 2
    # With another filter as well, each match is still checked through records_state.
    assert "records_state" in _plan(store, Query(search="note ", category="funding", view="starred"))


def test_a_phrase_is_counted_in_one_pass_over_its_matches(searched: Store) -> None:
    plan = _plan(searched, Query(search='"funding call" '))
    assert plan.count("records_fts VIRTUAL TABLE") == 2  # the text's matches once, the notes' check once
    assert searched.count(Query(search='"funding call" ')) == 20 - 3


def _counts_run(store: Store, action: object) -> list[str]:
    """The count statements SQLite ran during `action()` (its trace of this connection)."""
    ran: list[str] = []
    store.db.conn.set_trace_callback(ran.append)
    try:
        action()  # type: ignore[operator]
    finally:
        store.db.conn.set_trace_callback(None)
    return [sql for sql in ran if "count(*)" in sql]


def test_a_read_mark_or_a_star_keeps_counts_that_do_not_read_them(store: Store) -> None:
    store.save_announcements("src", [item(n, title=f"funding call {n}") for n in range(1, 11)])
    search, unread, starred = Query(search="funding"), Query(view="unread"), Query(view="starred")
    assert (store.count(search), store.count(unread), store.count(starred)) == (10, 10, 0)
    store.mark_read([1, 2])
    store.set_starred([3], True)
    assert _counts_run(store, lambda: store.count(search)) == []  # remembered: no recount
    assert store.count(unread) == 8  # counted again: it depends on read marks
    assert store.count(starred) == 1
    store.set_status([4], "archived")  # any other write: every count is made again
    assert store.known_count(search) is None
    assert store.count(search) == 9


def test_a_count_made_elsewhere_is_remembered_only_for_the_state_it_was_taken_in(
    store: Store, db_path: Path
) -> None:
    store.save_announcements("src", [item(n, title=f"funding call {n}") for n in range(1, 6)])
    q = Query(search="funding")
    stamp = store.count_stamp(q)
    worker = open_store(db_path)  # the window counts on another connection
    try:
        number = worker.count(q)
    finally:
        worker.close()
    store.remember_count(stamp, number)
    assert store.known_count(q) == 5
    later = store.count_stamp(q)
    store.set_note(1, "a note")  # a write after the stamp: the count taken before is not served
    store.remember_count(later, 5)
    assert store.known_count(q) is None
    assert store.count(q) == 5


def test_the_first_count_is_exact_below_its_cap_and_an_estimate_above(store: Store) -> None:
    store.save_announcements("src", [item(n, title=f"funding call {n}") for n in range(1, 31)])
    store.set_status([1, 2], "archived")
    assert store.first_count(Query(search="funding"), cap=100) == (28, True)
    assert store.known_count(Query(search="call")) is None
    number, exact = store.first_count(Query(search="call"), cap=10)
    assert not exact and number == 30  # the search index's matches, archive not yet taken off
    assert store.first_count(Query(view="unread"), cap=10) == (10, False)
    assert store.first_count(Query(), cap=10) == (28, False)  # about: the highest id less the archived
    assert store.first_count(Query(), cap=100) == (28, True)
    q = Query(search="call", sort="title")
    forwards = [row["id"] for row in store.page(q, 0, 50, number, exact=False)]
    assert forwards == [row["id"] for row in store.page(q, 0, 50)]
    assert len(forwards) == 28


def test_a_count_made_obsolete_stops_and_says_so(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.store, "PROGRESS_STEPS", 100)  # asked within these 50 records' count
    store.save_announcements("src", [item(n, title=f"funding call {n}") for n in range(1, 51)])
    stamp = store.count_stamp(Query(search="funding", view="unread"))
    assert store.count_of(stamp, cancelled=lambda: False) == 50
    assert store.count_of(stamp, cancelled=lambda: True) is None
    assert store.count_of(stamp) == 50  # the connection is usable again, unhindered


def test_a_capped_count_stops_at_the_text_matches_without_looking_in_the_notes(searched: Store) -> None:
    q = Query(search="funding")  # 17 matches in the text (three archived), one more in a note

    def capped(cap: int) -> int:
        sql, params = count_query(q, NOW, expanded(searched.db, search_terms(q.search)), cap=cap)
        return int(searched.db.conn.execute(sql, params).fetchone()[0])

    assert capped(5) == 5  # the text alone reached the cap: the notes were not counted
    assert capped(17) == 17
    assert capped(50) == 18 == searched.count(q)  # below the cap: exact, the note's match in it


def test_a_sources_links_drive_its_count_and_it_counts_what_its_pages_show(store: Store) -> None:
    store.save_announcements("one", [item(n) for n in range(1, 31)])
    store.save_announcements("two", [item(n) for n in range(20, 41)])  # 20-30 listed by both
    store.set_status([21, 22], "archived")
    store.mark_read([23, 24, 25])
    for q in (
        Query(source_id="two"),
        Query(source_id="two", view="unread"),
        Query(source_id="two", view="archived"),
    ):
        sql, params = count_query(q, NOW, cap=5)
        plan = " ".join(row[3] for row in store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "SEARCH rs USING COVERING INDEX record_sources_by_source" in plan  # no list of links first
        assert "LIST SUBQUERY" not in plan
        assert store.count(q) == _expected(store, q)
    assert [store.count(Query(source_id="two", view=v)) for v in ("all", "unread", "archived")] == [19, 16, 2]
    assert store.first_count(Query(source_id="one"), cap=5) == (5, False)
