"""Watchlist counts moved in step with a write (db/count_steps.py): after a refresh or a user's
change of a few records, each kept watchlist count is known at once for the new generation,
and is the number a count made afresh gives."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from db import count_steps
from db.store import Query, Store, Watchlist
from tests.db.helpers import item
from tests.db.test_kept_counts import STEPS

# One watchlist of each shape a step must get right: words alone, a phrase, words and a
# category, words and a status, a tag, a source, words and a deadline window, words and a tag
# that an auto-tag gives.
SHAPES = (
    Watchlist(None, "Words", words="funding OR sovereign"),
    Watchlist(None, "Phrase", words='"AI Act"'),
    Watchlist(None, "Funding calls", words="sovereign", category="funding"),
    Watchlist(None, "Done", words="funding", status="done"),
    Watchlist(None, "Tagged", tag="y"),
    Watchlist(None, "Other source", source_id="other"),
    Watchlist(None, "Closing", words="call", deadline_within_days=30),
    Watchlist(None, "Auto", words="gigafactory", auto_tag="compute"),
    Watchlist(None, "Auto tagged", words="sovereign", tag="compute"),
)
# The writes that name the records they touch: their counts are moved, not made again.
STEPPED = {
    "set_note", "set_status", "set_starred", "set_followed", "mark_read", "set_tags", "add_tag",
    "remove_tag",
}  # fmt: skip


def _seed_item(n: int) -> object:
    title = f"funding call {n}" if n % 3 else f"sovereign AI Act call {n}"
    category = "funding" if n % 2 else "news"
    return item(n, title=title, category=category, deadline_at="2026-03-20T17:00:00+01:00")


def _seed(store: Store) -> None:
    store.save_announcements("src", [_seed_item(n) for n in range(1, 21)])
    for shape in SHAPES:
        store.save_watchlist(shape)


def _truth(store: Store, q: Query) -> int:
    stamp = store.count_stamp(q)
    return int(store.db.conn.execute(stamp.sql, stamp.params).fetchone()[0])


def _queries(store: Store) -> list[tuple[str, Query]]:
    return [(w.name, store.watchlist_query(w)) for w in store.watchlists()]


def test_each_write_leaves_every_kept_watchlist_count_true(store: Store, tmp_path: Path) -> None:
    _seed(store)
    stepped: list[str] = []
    for name, step in STEPS:
        queries = _queries(store)
        for _watch, q in queries:
            store.count(q)
        step(store, tmp_path)
        known = [(watch, q, store.known_count(q)) for watch, q in _queries(store)]
        wrong = [(watch, n, _truth(store, q)) for watch, q, n in known if n not in (None, _truth(store, q))]
        assert wrong == [], f"after {name}: (watchlist, kept, true) {wrong}"
        if name in STEPPED:
            not_moved = [watch for watch, _q, number in known if number is None]
            assert not_moved == [], f"{name} left counts to be made again: {not_moved}"
            stepped.append(name)
    assert set(stepped) == STEPPED


def test_a_refresh_moves_the_counts_by_its_new_changed_and_newly_listed_records(store: Store) -> None:
    _seed(store)
    before = {watch: store.count(q) for watch, q in _queries(store)}
    store.save_announcements(
        "src",
        [
            item(1, title="a quiet title"),  # matched "funding": now matches nothing
            item(40, title="gigafactory of sovereign compute", category="funding"),  # new, auto-tagged
            item(41, title="funding for the AI Act", category="news"),  # new
        ],
    )
    store.save_announcements("other", [item(3), item(42, title="a call from elsewhere")])  # 3: listed again
    after = {watch: store.known_count(q) for watch, q in _queries(store)}
    assert None not in after.values(), after
    assert after == {watch: _truth(store, q) for watch, q in _queries(store)}
    assert after["Words"] == before["Words"] + 1  # one lost, two gained
    assert after["Phrase"] == before["Phrase"] + 1
    assert (after["Other source"], after["Auto tagged"]) == (2, 1)


def test_a_write_of_many_records_has_its_counts_made_again(store: Store) -> None:
    _seed(store)
    q = store.watchlist_query(store.watchlists()[0])
    store.count(q)
    store.set_status(list(range(1, count_steps.STEP_MAX + 1)), "done")
    assert store.known_count(q) is not None
    store.set_status(list(range(1, count_steps.STEP_MAX + 2)), "reviewing")
    assert store.known_count(q) is None
    assert store.count(q) == _truth(store, q)


def test_a_refresh_of_records_seen_again_moves_no_count(store: Store) -> None:
    _seed(store)
    queries = _queries(store)
    numbers = [store.count(q) for _watch, q in queries]
    store.save_announcements("src", [replace(item(2), title="funding call 2")])  # as it was
    assert [store.known_count(q) for _watch, q in queries] == numbers
