"""Watchlists: named saved queries counted like a search, new matches since the last look,
auto-tags on new records, defaults seeded once (docs/WATCHLISTS.md)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from db import schema
from db.store import Query, Store, StoreError, Watchlist, WatchlistCount
from db.user_work import user_work_path
from tests.db.helpers import NOW, item, open_store

DEFAULT_NAMES = {name for name, _words, _category in schema.DEFAULT_WATCHLISTS}


def _by_name(store: Store) -> dict[str, Watchlist]:
    return {w.name: w for w in store.watchlists()}


def _ids(store: Store, q: Query) -> list[int]:
    return sorted(row["id"] for row in store.page(q, 0, 1000))


def _news(store: Store) -> None:
    store.save_announcements(
        "src",
        [
            item(1, title="Sovereign compute for Europe", category="policy"),
            item(2, title="DeepSeek and the open model question"),
            item(3, title="Model open days", summary="An open day about a model railway"),
            item(4, title="AI Act: guidelines on prohibited practices", jurisdiction="EU"),
            item(5, title="EuroHPC selects new AI Factories", category="funding"),
            item(6, title="Funding for AI in health", category="funding", deadline_at="2026-03-20T16:00:00Z"),
            item(7, title="Funding for bridges", category="funding"),
        ],
    )


def test_a_new_store_has_the_defaults_and_a_deleted_one_never_comes_back(db_path: Path) -> None:
    store = open_store(db_path)
    assert set(_by_name(store)) == DEFAULT_NAMES
    assert _by_name(store)["AI funding"].category == "funding"
    store.delete_watchlist(_by_name(store)["AI Act"].id or 0)
    store.close()
    store = open_store(db_path)
    assert set(_by_name(store)) == DEFAULT_NAMES - {"AI Act"}
    store.close()


def test_an_or_group_and_a_phrase_find_either_and_the_words_side_by_side(db_path: Path) -> None:
    store = open_store(db_path)
    _news(store)
    assert _ids(store, Query(search='sovereign OR "open model" ')) == [1, 2]
    assert _ids(store, Query(search="open model ")) == [2, 3]  # both words, anywhere
    assert _ids(store, Query(search='funding AI OR "machine learning" ')) == [6]  # AND of an OR
    assert _ids(store, Query(search="OR")) == []  # a lone OR is the word "or"
    store.close()


def test_counts_are_the_search_counts_and_new_means_first_seen_since_the_last_look(db_path: Path) -> None:
    store = open_store(db_path)
    _news(store)
    lists = _by_name(store)
    counts = store.watchlist_counts()
    assert set(counts) == {w.id for w in lists.values()}
    assert counts[lists["AI sovereignty"].id or 0] == WatchlistCount(total=2, new=2)  # never looked
    assert counts[lists["AI funding"].id or 0] == WatchlistCount(total=2, new=2)  # 5 and 6, category funding
    for w in lists.values():
        assert counts[w.id or 0].total == store.count(store.watchlist_query(w))
    sovereignty = lists["AI sovereignty"].id or 0
    store.clock = lambda: NOW + timedelta(minutes=1)
    store.mark_watchlist_seen(sovereignty)
    assert store.watchlist_counts()[sovereignty] == WatchlistCount(total=2, new=0)
    store.clock = lambda: NOW + timedelta(minutes=2)
    store.save_announcements("src", [item(8, title="GPT-NL released"), item(9, title="Unrelated")])
    assert store.watchlist_counts()[sovereignty] == WatchlistCount(total=3, new=1)
    store.close()


def test_a_new_watchlist_starts_seen_and_an_edit_keeps_its_id(db_path: Path) -> None:
    store = open_store(db_path)
    _news(store)
    made = store.save_watchlist(Watchlist(None, "  Bridges ", words="bridges", category="funding"))
    assert made.id is not None and made.name == "Bridges" and made.last_seen_at is not None
    assert store.watchlist_counts()[made.id] == WatchlistCount(total=1, new=0)
    edited = store.save_watchlist(Watchlist(made.id, "Bridges", words="bridges OR health", notify=False))
    assert (edited.id, edited.notify, edited.last_seen_at) == (made.id, False, made.last_seen_at)
    assert store.watchlist_counts()[made.id].total == 2  # 6 and 7, now in any category
    store.close()


def test_a_deadline_window_keeps_deadlines_still_to_come_within_it(db_path: Path) -> None:
    store = open_store(db_path)
    _news(store)
    soon = store.save_watchlist(Watchlist(None, "Closing", category="funding", deadline_within_days=30))
    later = store.save_watchlist(Watchlist(None, "Closing in a week", deadline_within_days=7))
    assert _ids(store, store.watchlist_query(soon)) == [6]
    assert _ids(store, store.watchlist_query(later)) == []
    assert store.watchlist_query(soon).sort == "deadline"
    store.close()


@pytest.mark.parametrize(
    ("watchlist", "message"),
    [
        (Watchlist(None, "   "), "needs a name"),
        (Watchlist(None, "x", status="someday"), "unknown status"),
        (Watchlist(None, "x", deadline_within_days=-1), "deadline window"),
        (Watchlist(None, "x", auto_tag="a;b"), "cannot contain ';'"),
    ],
)
def test_a_value_that_cannot_be_kept_is_refused_and_nothing_saved(
    db_path: Path, watchlist: Watchlist, message: str
) -> None:
    store = open_store(db_path)
    before = store.watchlists()
    with pytest.raises(ValueError, match=message):
        store.save_watchlist(watchlist)
    assert store.watchlists() == before
    store.close()


def test_a_name_already_taken_or_a_deleted_watchlist_is_a_clear_error(db_path: Path) -> None:
    store = open_store(db_path)
    with pytest.raises(StoreError, match="already a watchlist called 'ai act'"):
        store.save_watchlist(Watchlist(None, "ai act"))
    with pytest.raises(StoreError, match="no longer exists"):
        store.save_watchlist(Watchlist(9999, "Gone"))
    with pytest.raises(StoreError, match="no longer exists"):
        store.mark_watchlist_seen(9999)
    store.close()


def test_new_matches_get_the_auto_tag_and_a_refresh_never_takes_it_back(db_path: Path) -> None:
    store = open_store(db_path)
    lists = _by_name(store)
    store.save_watchlist(replace(lists["AI sovereignty"], auto_tag="sovereignty"))
    _news(store)
    assert _ids(store, Query(tag="sovereignty")) == [1, 2]
    assert store.record(1)["tags"] == ["sovereignty"]  # type: ignore[index]
    assert store.record(3)["tags"] == []  # type: ignore[index]
    store.remove_tag([2], "sovereignty")  # the user disagrees
    store.clock = lambda: NOW + timedelta(minutes=1)
    store.save_announcements("src", [item(2, title="DeepSeek and the open model question, updated")])
    assert store.record(2)["tags"] == []  # type: ignore[index]  # only new records are tagged
    store.save_announcements("src", [item(10, title="Apertus released")])
    assert store.record(8)["tags"] == ["sovereignty"]  # type: ignore[index]  # item 10 is record 8
    assert ("sovereignty", 2) in store.tag_counts()
    store.close()
    conn = sqlite3.connect(user_work_path(db_path))  # the user's own work: kept in its file
    try:
        tagged = dict(conn.execute("SELECT url, tags FROM work").fetchall())
    finally:
        conn.close()
    assert tagged == {
        "https://example.org/news/1": "sovereignty",
        "https://example.org/news/10": "sovereignty",
    }


def test_a_deleted_watchlist_leaves_its_tags(db_path: Path) -> None:
    store = open_store(db_path)
    made = store.save_watchlist(Watchlist(None, "Bridges", words="bridges", auto_tag="bridges"))
    _news(store)
    store.delete_watchlist(made.id or 0)
    assert store.record(7)["tags"] == ["bridges"]  # type: ignore[index]
    store.close()


def test_an_auto_tag_follows_the_watchlists_filters_and_a_words_free_watchlist_tags_by_filter(
    db_path: Path,
) -> None:
    store = open_store(db_path)
    lists = _by_name(store)
    store.save_watchlist(replace(lists["AI funding"], auto_tag="ai funding"))
    store.save_watchlist(Watchlist(None, "EU", jurisdiction="EU", auto_tag="eu"))
    _news(store)
    assert _ids(store, Query(tag="ai funding")) == [5, 6]  # funding and AI: not 4 (policy), not 7
    assert _ids(store, Query(tag="eu")) == [4]
    store.close()


def test_a_new_record_matching_through_its_note_alone_is_new(db_path: Path) -> None:
    store = open_store(db_path)
    _news(store)
    sovereignty = _by_name(store)["AI sovereignty"].id or 0
    store.clock = lambda: NOW + timedelta(minutes=1)
    store.mark_watchlist_seen(sovereignty)
    store.clock = lambda: NOW + timedelta(minutes=2)
    store.save_announcements("src", [item(20, title="Unrelated"), item(21, title="Also unrelated")])
    assert store.watchlist_counts()[sovereignty] == WatchlistCount(total=2, new=0)
    store.set_note(9, "see the Apertus release")  # record 9 is item 21
    assert store.watchlist_counts()[sovereignty] == WatchlistCount(total=3, new=1)
    store.set_note(9, "")
    store.set_note(1, "Apertus again")  # an old record: a match, never new
    assert store.watchlist_counts()[sovereignty] == WatchlistCount(total=2, new=0)
    store.close()


def test_a_watchlist_never_looked_at_is_counted_once(db_path: Path) -> None:
    """Never looked at, every match is new: its total is its new count, not counted again."""
    store = open_store(db_path)
    _news(store)
    ran: list[str] = []
    store.db.conn.set_trace_callback(ran.append)
    counts = store.watchlist_counts()
    store.db.conn.set_trace_callback(None)
    assert all(c.new == c.total for c in counts.values())
    assert sum("count(*)" in sql for sql in ran) == len(counts)
    store.close()
