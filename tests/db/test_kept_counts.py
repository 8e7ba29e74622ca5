"""Counts kept in the store file: known to every connection and process and after a restart,
never served after a write that could change them, and never a cost to the count itself."""

from __future__ import annotations

import inspect
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils.migrations import Migrations

from db import kept_counts, schema
from db.store import VIEWS, Query, Selection, Store, Watchlist, WatchlistCount
from db.user_work import write_user_work
from tests.db.helpers import NOW, item, open_store
from tests.repo_paths import REPO_ROOT

SEARCH = Query(search="funding")
QUERIES = (
    *(Query(view=view) for view in VIEWS),
    SEARCH,
    Query(search="funding", view="unread"),
    Query(search="note"),
    Query(tag="x"),
    Query(tag="bulk"),
    Query(status="done"),
    Query(source_id="src"),
)
MARK_COLUMNS = ("read_at", "starred")


def _items() -> list[Any]:
    return [item(n, title=f"funding call {n}", category="funding" if n % 2 else "news") for n in range(1, 21)]


def _seed(store: Store) -> None:
    store.save_announcements("src", _items())


def _kept_rows(store: Store) -> int:
    return int(store.db.conn.execute("SELECT count(*) FROM kept_counts").fetchone()[0])


def _counts_run(store: Store, action: Callable[[], object]) -> list[str]:
    """The count statements SQLite ran on the Store's connection during `action()`."""
    ran: list[str] = []
    store.db.conn.set_trace_callback(ran.append)
    try:
        action()
    finally:
        store.db.conn.set_trace_callback(None)
    return [sql for sql in ran if "count(*)" in sql and "kept_counts" not in sql]


def _truth(store: Store, q: Query) -> int:
    """The count of `q` made now by SQLite, past every kept or remembered number."""
    stamp = store.count_stamp(q)
    return int(store.db.conn.execute(stamp.sql, stamp.params).fetchone()[0])


def test_a_count_made_in_one_store_is_known_to_another_and_after_reopening(db_path: Path) -> None:
    with open_store(db_path) as first:
        _seed(first)
        assert first.count(SEARCH) == 20
        with open_store(db_path) as second:
            assert second.known_count(SEARCH) == 20
            assert _counts_run(second, lambda: second.count(SEARCH)) == []
    with open_store(db_path) as reopened:
        assert _counts_run(reopened, lambda: reopened.count(SEARCH)) == []
        assert reopened.count(SEARCH) == 20
        assert reopened.first_count(SEARCH, cap=5) == (20, True)  # kept: exact at once


def test_a_count_kept_by_another_process_is_read_here_and_its_write_makes_ours_stale(db_path: Path) -> None:
    with open_store(db_path) as store:
        _seed(store)
        assert store.count(SEARCH) == 20
        script = (
            "from db.store import Query, Store; from tests.db.helpers import item; import sys\n"
            "s = Store.open(sys.argv[1])\n"
            "assert s.known_count(Query(search='funding')) == 20\n"
            "s.save_announcements('src', [item(99, title='funding call 99')])\n"
            "print(s.count(Query(search='funding')))\n"
            "s.close()\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, str(db_path)],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.strip() == "21"
        assert _counts_run(store, lambda: store.count(SEARCH)) == []  # kept by the other process
        assert store.count(SEARCH) == 21


def test_a_worker_s_count_is_read_back_when_another_store_kept_it_meanwhile(store: Store) -> None:
    _seed(store)
    stamp = store.count_stamp(SEARCH)  # the window asks its worker for this count
    with open_store(store.path) as other:
        other.count(SEARCH)  # the sidebar's worker, or a fetch in another process, counted it
    worker = Store.open(store.path, readonly=True)
    try:
        assert _counts_run(worker, lambda: worker.count_of(stamp)) == []
        assert worker.count_of(stamp) == 20
    finally:
        worker.close()


def test_a_read_mark_makes_only_the_counts_that_read_marks_stale(store: Store) -> None:
    _seed(store)
    unread = Query(view="unread")
    assert (store.count(SEARCH), store.count(unread)) == (20, 20)
    with open_store(store.path) as other:  # another connection marks: the kept counts say the same
        other.mark_read([1, 2])
        other.set_starred([3], True)
    assert store.known_count(SEARCH) == 20
    assert store.known_count(unread) is None
    assert store.count(unread) == 18
    store.set_note(4, "a note")  # anything else a count can read: every kept count is stale
    assert store.known_count(SEARCH) is None
    assert store.known_count(unread) is None


def test_a_readonly_store_reads_kept_counts_and_counts_without_keeping(db_path: Path) -> None:
    with open_store(db_path) as store:
        _seed(store)
        store.count(SEARCH)
        kept = _kept_rows(store)
    reader = Store.open(db_path, readonly=True)
    try:
        assert reader.known_count(SEARCH) == 20
        assert reader.count(Query(category="news")) == 10
        assert reader.view_counts()["unread"] == 20
        assert _kept_rows(reader) == kept  # it could not write them, and it did not fail
    finally:
        reader.close()


def test_a_store_another_connection_is_writing_counts_at_once_and_keeps_the_count_later(
    store: Store, db_path: Path
) -> None:
    _seed(store)
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        began = time.monotonic()
        assert store.count(SEARCH) == 20
        assert store.watchlist_counts()  # a snapshot of several counts, kept after it
        assert time.monotonic() - began < 2.0  # no wait for the busy timeout (10 s)
        assert _kept_rows(store) == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.count(SEARCH) == 20  # remembered here meanwhile, and kept now
    with open_store(db_path) as other:
        assert other.known_count(SEARCH) == 20


def test_a_writer_of_this_process_holding_the_store_does_not_block_the_count(store: Store) -> None:
    _seed(store)
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with open_store(store.path) as other, other._write():
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(5)
        began = time.monotonic()
        assert store.count(SEARCH) == 20
        assert time.monotonic() - began < 2.0
    finally:
        release.set()
        thread.join()


def test_counts_of_a_moment_are_not_kept_past_it(store: Store) -> None:
    store.save_announcements("src", [item(1, title="call", deadline_at="2026-03-10")])
    soon = Query(view="closing_soon")
    assert store.count(soon) == 1
    store.clock = lambda: NOW + timedelta(days=9)
    assert store.known_count(soon) is None
    assert store.count(soon) == 0


def test_the_kept_counts_stay_few(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _seed(store)
    monkeypatch.setattr(kept_counts, "KEPT_CAP", 5)
    for n in range(1, 12):
        store.count(Query(search=f"funding call {n}"))
    assert _kept_rows(store) == 5
    store.set_note(1, "a note")
    store.count(SEARCH)
    assert _kept_rows(store) == 1  # those of past generations went with the next kept count


# -- every write path moves the generation ---------------------------------------------------


def _write_methods() -> set[str]:
    """The Store's public methods that open a write transaction."""
    found = set()
    for name, member in vars(Store).items():
        function = getattr(member, "__func__", member)
        if name.startswith("_") or not callable(function):
            continue
        source = inspect.getsource(inspect.unwrap(function))
        if "self._write(" in source or "self._bulk(" in source:
            found.add(name)
    return found


def _all(store: Store, view: str | None = None) -> Selection:
    q = Query() if view is None else Query(view=view)
    return Selection(q, store.count(q))


def _undo(store: Store, _tmp: Path) -> None:
    with store.recording() as change:
        store.set_status([9], "archived")
    store.undo(change)


def _import(store: Store, tmp: Path) -> None:
    path = tmp / "export.csv"
    store.export_csv(path, Query())
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",new,", ",done,", 3), encoding="utf-8-sig")
    store.import_csv(path)


def _restore(store: Store, tmp: Path) -> None:
    path = tmp / "work.sqlite"
    write_user_work(store.path, path)
    store.set_note(12, "written after the user work was kept")
    store.restore_user_work(path)


def _watchlist(store: Store) -> int:
    return store.save_watchlist(Watchlist(None, "W", words="funding")).id or 0


PROFILE = dict.fromkeys(("items", "dated", "with_deadline", "with_budget", "with_text"), 3)
SOURCE = {"id": "other", "name": "Other", "kind": "rss", "url": "https://example.org/feed"}

# What each write method is asked to do, in this order, on one store.
STEPS: tuple[tuple[str, Callable[[Store, Path], object]], ...] = (
    ("sync_sources", lambda s, _t: s.sync_sources([SOURCE])),
    ("record_failure", lambda s, _t: s.record_failure("src", "it failed")),
    ("record_not_modified", lambda s, _t: s.record_not_modified("src")),
    ("record_verdict", lambda s, _t: s.record_verdict("src", PROFILE, [], 5)),
    ("save_announcements", lambda s, _t: s.save_announcements("src", [item(n) for n in range(1, 21)])),
    ("save_announcements", lambda s, _t: s.save_announcements("src", [item(30, title="funding news")])),
    ("set_note", lambda s, _t: s.set_note(1, "a note")),
    ("set_status", lambda s, _t: s.set_status([2], "done")),
    ("set_starred", lambda s, _t: s.set_starred([3], True)),
    ("set_followed", lambda s, _t: s.set_followed([4], True)),
    ("mark_read", lambda s, _t: s.mark_read([5])),
    ("set_tags", lambda s, _t: s.set_tags(6, ["x"])),
    ("add_tag", lambda s, _t: s.add_tag([7], "y")),
    ("set_tag_colour", lambda s, _t: s.set_tag_colour("y", "red")),
    ("remove_tag", lambda s, _t: s.remove_tag([7], "y")),
    ("rename_tag", lambda s, _t: s.rename_tag("x", "z")),
    ("delete_tag", lambda s, _t: s.delete_tag("z")),
    ("set_status_of", lambda s, _t: s.set_status_of(_all(s, "unread"), "reviewing")),
    ("set_starred_of", lambda s, _t: s.set_starred_of(_all(s), True)),
    ("mark_read_of", lambda s, _t: s.mark_read_of(_all(s))),
    ("add_tag_to", lambda s, _t: s.add_tag_to(_all(s), "bulk")),
    ("save_watchlist", lambda s, _t: _watchlist(s)),
    ("mark_watchlist_seen", lambda s, _t: s.mark_watchlist_seen(s.watchlists()[0].id or 0)),
    ("delete_watchlist", lambda s, _t: s.delete_watchlist(s.watchlists()[0].id or 0)),
    ("undo", _undo),
    ("import_csv", _import),
    ("undo_last_import", lambda s, _t: s.undo_last_import()),
    ("restore_user_work", _restore),
)


def _counted_state(store: Store) -> tuple[list[Any], list[Any]]:
    """(what counts read besides marks, the marks): every column of the records but their
    last sighting (no count reads it), which sources list them, and their tags."""
    conn = store.db.conn
    columns = [r[1] for r in conn.execute("PRAGMA table_info(records)") if r[1] != "last_seen_at"]
    content = [c for c in columns if c not in MARK_COLUMNS]
    return (
        [
            conn.execute(f"SELECT {', '.join(content)} FROM records ORDER BY id").fetchall(),
            conn.execute("SELECT record_id, source_id FROM record_sources ORDER BY 1, 2").fetchall(),
            conn.execute("SELECT * FROM record_tags ORDER BY 1, 2").fetchall(),
            conn.execute("SELECT id, name FROM tags ORDER BY 1").fetchall(),
        ],
        conn.execute(f"SELECT id, {', '.join(MARK_COLUMNS)} FROM records ORDER BY id").fetchall(),
    )


def test_every_write_method_is_walked() -> None:
    assert {name for name, _step in STEPS} == _write_methods()


def test_every_write_that_could_change_a_count_moves_the_generation_in_its_transaction(
    store: Store, tmp_path: Path
) -> None:
    conn = store.db.conn
    for name, step in STEPS:
        for q in QUERIES:
            store.count(q)
        content_before, marks_before = _counted_state(store)
        made_at = kept_counts.generation(conn, marks_matter=True)
        step(store, tmp_path)
        content_after, marks_after = _counted_state(store)
        now_at = kept_counts.generation(conn, marks_matter=True)
        if content_after != content_before:
            assert now_at[0] > made_at[0], f"{name} changed what counts read and kept the generation"
        elif marks_after != marks_before:
            assert now_at != made_at, f"{name} changed read marks or stars and kept the generation"
        known = [(q, store.known_count(q)) for q in QUERIES]
        wrong = [(q, number) for q, number in known if number not in (None, _truth(store, q))]
        assert wrong == [], f"after {name}, kept counts that are no longer true: {wrong}"


def test_a_write_that_changes_nothing_counted_keeps_the_counts(store: Store) -> None:
    _seed(store)
    store.count(SEARCH)
    store.save_announcements("src", _items())  # seen again: only their last sighting moves
    store.record_failure("src", "later it failed")
    assert store.known_count(SEARCH) == 20
    store.save_announcements("src", [replace(_items()[0], title="funding call one")])  # changed
    assert store.known_count(SEARCH) is None


def test_the_sidebar_s_watchlist_counts_are_read_back_after_a_restart(db_path: Path) -> None:
    words = "sovereign AI Act compute"
    with open_store(db_path) as store:
        store.save_announcements("src", [item(n, title=f"{words} {n}") for n in range(1, 9)])
        looked = next(w for w in store.watchlists() if w.name == "AI Act")
        store.mark_watchlist_seen(looked.id or 0)
    with open_store(db_path, NOW + timedelta(hours=1)) as store:
        store.save_announcements("src", [item(n, title=f"{words} {n}") for n in (9, 10)])
        first = store.watchlist_counts()
        assert first[looked.id or 0] == WatchlistCount(total=10, new=2)  # its new ones counted
    with open_store(db_path, NOW + timedelta(hours=1)) as restarted:
        ran: list[str] = []
        restarted.db.conn.set_trace_callback(ran.append)
        assert restarted.watchlist_counts(counting=False) == first  # what the window shows at once
        assert restarted.watchlist_counts() == first
        restarted.db.conn.set_trace_callback(None)
    assert [sql for sql in ran if "MATCH" in sql] == []  # no search ran: every number was kept


def test_without_counting_a_watchlist_whose_counts_are_not_kept_is_left_out(store: Store) -> None:
    _seed(store)
    assert store.watchlist_counts(counting=False) == {}
    ai_act = next(w for w in store.watchlists() if w.name == "AI Act")
    store.count(store.watchlist_query(ai_act))
    assert store.watchlist_counts(counting=False) == {ai_act.id: WatchlistCount(0, 0)}


def test_an_upgrade_makes_the_kept_counts_stale(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(db_path) as store:
        _seed(store)
        assert store.count(Query(category="news")) == 10
    upgraded = Migrations(schema.MIGRATION_SET)
    for migration in schema.MIGRATIONS._migrations:
        upgraded(name=migration.name)(migration.fn)
    upgraded(name=f"{schema.SCHEMA_VERSION + 1:04d}_test")(
        lambda db: db.execute("UPDATE records SET category = 'news' WHERE category = 'funding'")
    )
    monkeypatch.setattr(schema, "MIGRATIONS", upgraded)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    with open_store(db_path) as store:
        assert store.known_count(Query(category="news")) is None
        assert store.count(Query(category="news")) == 20
