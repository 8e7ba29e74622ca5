"""The Store: the one object desktop/ uses to read and write the tracker's database.

One Store per thread (each has its own SQLite connection; WAL lets the window read while a
refresh writes). Every write is one short `BEGIN IMMEDIATE` transaction, and every read fetches
its rows at once, so no cursor is left open between calls. Environment failures (disk full,
read-only, damaged file, a file that is not ours) raise StoreError with a plain message.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from db import (
    bulk,
    changes,
    csv_io,
    kept_counts,
    profiles,
    saving,
    sources,
    tag_admin,
    undo,
    userdata,
    watchlists,
)
from db.backups import copy_database, list_backups
from db.bulk import Progress, Selection
from db.changes import Changes
from db.connection import (
    BUSY_TIMEOUT_S,
    PROGRESS_STEPS,
    integrity_problems,
    open_database,
    read_snapshot,
    write_transaction,
)
from db.count_steps import CountSteps
from db.csv_io import EXPORT_COLUMNS, ImportResult
from db.errors import StoreError, known_error, translate_errors
from db.kept_counts import Generation, Moves
from db.locks import writer_lock
from db.open_lock import OpenLock, hold_open
from db.queries import (
    ALL_ESTIMATE_QUERY,
    FILTER_FIRST_MAX,
    SORT_KEYS,
    VIEW_DEFAULT_SORT,
    VIEWS,
    Query,
    count_query,
    counted_at_once,
    iso_now,
    order_clause,
    page_rows,
    reads_marks,
    text_estimate_query,
    where_clause,
)
from db.rows import dicts, id_list, one, stamp
from db.saving import SaveResult
from db.schema import STATUSES
from db.search import expanded, search_terms, snippet
from db.sources import StoredValidators
from db.tag_admin import TAG_COLOURS, RenamePlan, TagInfo
from db.undo import UndoResult, UserChange
from db.user_work import UserWorkMirror, UserWorkResult, apply_user_work, user_work_path, write_user_work
from db.watchlists import Watchlist, WatchlistCount, watchlist_query

logger = logging.getLogger(__name__)

__all__ = [
    "EXPORT_COLUMNS",
    "FIRST_COUNT_CAP",
    "SORT_KEYS",
    "STATUSES",
    "TAG_COLOURS",
    "VIEWS",
    "VIEW_DEFAULT_SORT",
    "Changes",
    "CountStamp",
    "ImportResult",
    "Query",
    "RenamePlan",
    "SaveResult",
    "Selection",
    "Store",
    "StoreError",
    "StoredValidators",
    "TagInfo",
    "UndoResult",
    "UserChange",
    "UserWorkResult",
    "Watchlist",
    "WatchlistCount",
    "estimated_past_cap",
]

NOTE_HEAD_CHARS = 300
COUNT_CACHE_SIZE = 64  # counts this Store remembers itself, for when they cannot be kept in the file
# The window's first count stops here: below it the count is exact and a page is found by
# listing the matches; above it a page is found by walking the sort index either way.
FIRST_COUNT_CAP = FILTER_FIRST_MAX + 1

FACET_COLUMNS = ("programme", "action_type")  # facets whose values are counted
_PAGE_COLUMNS = (
    "r.id, r.title, r.category, r.jurisdiction, r.source_id, s.name AS source_name,"
    " r.published_at, r.deadline_at, r.budget_amount, r.budget_currency, r.call_status,"
    " r.opens_at, r.programme, r.action_type,"
    f" r.status, r.starred, r.read_at, r.changed_at, r.tags_text AS tags,"
    f" substr(r.note, 1, {NOTE_HEAD_CHARS}) AS note_head, r.url"
)


@dataclass(frozen=True)
class CountStamp:
    """A count's SQL and the store's generation it was taken at (`Store.count_stamp`,
    db/kept_counts.py)."""

    sql: str
    params: dict[str, Any]
    version: Generation

    @property
    def key(self) -> str:
        return kept_counts.key_of(self.sql, self.params)


def estimated_past_cap(q: Query) -> bool:
    """True when `Store.first_count` past its cap estimates the whole number of `q` ("about N"),
    False when it tells only the cap ("over N")."""
    return bool(search_terms(q.search).words) or counted_at_once(q)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """The tracker's database (docs/ARCHITECTURE.md, "The Store API")."""

    def __init__(self, path: Path, db: Database, readonly: bool) -> None:
        self.path = Path(path)
        self.db = db
        self.readonly = readonly
        self._closed = False
        self._counts: dict[str, tuple[Generation, int]] = {}
        self._to_keep: dict[str, tuple[Generation, int]] = {}  # counted in a snapshot: kept after it
        self._writers = writer_lock(self.path)
        self._open_lock = OpenLock(None)
        self._user_work: UserWorkMirror | None = None
        # Tests and benchmarks set this to a fixed moment.
        self.clock: Callable[[], datetime] = _utc_now

    @classmethod
    def open(cls, path: str | Path, readonly: bool = False) -> Store:
        """Open the store at `path`, creating or upgrading it (after a backup) as needed.

        A file that cannot be written is opened read-only (`store.readonly`; writes then raise
        StoreError). Raises StoreError for a file that is not ours, a newer schema, a damaged
        file, a full disk.
        """
        lock = hold_open(Path(path))  # a restore waits for every open Store to close (db.open_lock)
        try:
            db, is_readonly = open_database(Path(path), readonly=readonly)
        except OSError as exc:
            lock.release()
            raise StoreError(f"Cannot open {path}: {exc.strerror or exc}.") from exc
        except BaseException:
            lock.release()
            raise
        logger.debug("opened %s%s", path, " (read-only)" if is_readonly else "")
        store = cls(Path(path), db, is_readonly)
        store._open_lock = lock
        store._user_work = None if is_readonly else UserWorkMirror(Path(path))
        return store

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            if self._user_work is not None:
                self._user_work.close(self.db.conn)
            self.db.close()
            self._open_lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

    def _now(self) -> str:
        return stamp(self.clock())

    @contextlib.contextmanager
    def _write(
        self, wait_s: float = BUSY_TIMEOUT_S, moves: Moves = "content", touched: Iterable[int] | None = None
    ) -> Iterator[Database]:
        """One write transaction that moves the store's generation `moves` if it changed
        anything, in the same transaction, so that no kept count outlives a change it could
        see (db/kept_counts.py). `moves=None` only for writes no count reads (sources,
        watchlists, tag colours): tests/db/test_kept_counts.py checks every write method.
        With `touched`, the records the write may change, the kept watchlist counts move in
        step with it instead of being made again (db/count_steps.py)."""
        with write_transaction(self.db, self.readonly, self._writers, wait_s) as db:
            before = db.conn.total_changes
            steps = CountSteps(db, self.clock(), moves=moves)
            if touched is not None:
                steps.before(tuple(touched))
            yield db
            if moves is not None and db.conn.total_changes != before:
                kept_counts.bump(db.conn, moves)
                steps.after()

    def _user_work_changed(self, ids: Iterable[int] | None, tags: bool = False) -> None:
        """After a committed change batch: the user-work file follows (db.user_work)."""
        if self._user_work is not None:
            self._user_work.changed(self.db.conn, ids, tags)

    # -- sources ---------------------------------------------------------------------------

    @translate_errors
    def sync_sources(self, rows: Iterable[Any]) -> None:
        """Insert or update the configured sources (dicts, or objects with those attributes)."""
        with self._write(moves=None):
            sources.sync_sources(self.db, rows)

    @translate_errors
    def source_rows(self) -> list[dict[str, Any]]:
        return sources.source_rows(self.db)

    @translate_errors
    def last_attempt_at(self) -> str | None:
        """When any source was last fetched (ISO text); None when none ever was."""
        return sources.last_attempt_at(self.db)

    @translate_errors
    def validators(self, source_id: str) -> StoredValidators:
        return sources.validators(self.db, source_id)

    @translate_errors
    def record_failure(self, source_id: str, error: str) -> None:
        with self._write(moves=None):
            sources.record_failure(self.db, source_id, error, self._now())

    @translate_errors
    def record_not_modified(self, source_id: str) -> None:
        with self._write(moves=None):
            sources.record_not_modified(self.db, source_id, self._now())

    @translate_errors
    def recent_profiles(self, source_id: str) -> list[dict[str, Any]]:
        """The shapes of the source's last good refreshes, oldest first (db/profiles.py)."""
        return profiles.recent_profiles(self.db, source_id)

    @translate_errors
    def record_verdict(self, source_id: str, profile: dict[str, int], reasons: list[str], keep: int) -> None:
        """A refresh's shape and what collapsed in it: no reasons keeps the shape (the last
        `keep`) and clears the "site changed?" mark; reasons set the mark."""
        with self._write(moves=None):
            sources.ensure_source(self.db, source_id)
            profiles.record_verdict(self.db, source_id, profile, reasons, keep, self._now())

    @translate_errors
    def unknown_items(self, announcements: Iterable[Any]) -> list[Any]:
        """The announcements whose link has no record yet (the caller's own objects, in order)."""
        return profiles.unknown_items(self.db, announcements)

    # -- saving a refresh ------------------------------------------------------------------

    @translate_errors
    def needs_detail(self, announcements: Iterable[Any], source_id: str | None = None) -> list[Any]:
        """The announcements whose link is new or whose listing fields differ from the store
        (with `source_id`: from what that source said last time, so a record two sources word
        differently is not fetched again at every refresh)."""
        return saving.needs_detail(self.db, announcements, source_id)

    @translate_errors
    def save_announcements(
        self, source_id: str, announcements: Iterable[Any], validators: Any = None
    ) -> SaveResult:
        """Save one source's batch in one transaction: all of it or none of it. The new records
        that match a watchlist with an auto-tag get its tag in the same transaction."""
        values = sources.validator_values(validators)
        with self._write(moves=None):
            before = int(self.db.conn.execute("SELECT coalesce(max(id), 0) FROM records").fetchone()[0])
            steps = CountSteps(self.db, self.clock(), created_after=before)
            result = saving.save_announcements(
                self.db, source_id, list(announcements), values, self._now(), steps.before
            )
            tagged = watchlists.auto_tag(self.db, before, self.clock()) if result.new else []
            if result.new or result.changed or result.first_listed:
                # A batch of records seen again only moves their last sighting: no count reads it.
                kept_counts.bump(self.db.conn, "content")
                steps.after()
        if tagged:
            self._user_work_changed(tagged, tags=True)
        return result

    # -- user data -------------------------------------------------------------------------

    @translate_errors
    def set_note(self, record_id: int, text: str | None, *, wait_s: float = BUSY_TIMEOUT_S) -> None:
        """Store the note; with a short `wait_s`, a store another writer holds fails with BUSY
        after that long instead of the busy timeout (the window retries in the background)."""
        with self._write(wait_s, touched=[record_id]):
            changed = userdata.set_note(self.db, record_id, text, self._now())
        if changed:  # the same note again (saving as the user types) writes nothing anywhere
            self._user_work_changed([record_id])

    @translate_errors
    def set_status(self, record_ids: int | Iterable[int], status: str) -> None:
        userdata.check_status(status)
        ids = id_list(record_ids)
        with self._write(touched=ids):
            userdata.set_status(self.db, ids, status)
        self._user_work_changed(ids)

    @translate_errors
    def set_starred(self, record_ids: int | Iterable[int], starred: bool) -> None:
        ids = id_list(record_ids)
        with self._write(moves="marks", touched=ids):
            userdata.set_starred(self.db, ids, starred)
        self._user_work_changed(ids)

    @translate_errors
    def set_followed(self, record_ids: int | Iterable[int], followed: bool) -> None:
        """Follow a call (or stop): the user's own mark, shown by the "followed" view."""
        ids = id_list(record_ids)
        with self._write(touched=ids):
            userdata.set_followed(self.db, ids, followed)
        self._user_work_changed(ids)

    @translate_errors
    def mark_read(
        self, record_ids: int | Iterable[int], read: bool = True, *, wait_s: float = BUSY_TIMEOUT_S
    ) -> None:
        ids = id_list(record_ids)
        with self._write(wait_s, moves="marks", touched=ids):
            userdata.mark_read(self.db, ids, self._now() if read else None)
        self._user_work_changed(ids)

    @translate_errors
    def set_tags(self, record_id: int, names: Iterable[str]) -> None:
        with self._write(touched=[record_id]):
            userdata.set_tags(self.db, record_id, list(names))
        self._user_work_changed([record_id], tags=True)

    @translate_errors
    def add_tag(self, record_ids: int | Iterable[int], name: str) -> None:
        ids = id_list(record_ids)
        with self._write(touched=ids):
            userdata.add_tag(self.db, ids, name)
        self._user_work_changed(ids, tags=True)

    @translate_errors
    def remove_tag(self, record_ids: int | Iterable[int], name: str) -> None:
        ids = id_list(record_ids)
        with self._write(touched=ids):
            userdata.remove_tag(self.db, ids, name)
        self._user_work_changed(ids, tags=True)

    # -- the tags themselves (db/tag_admin.py) ----------------------------------------------------

    @translate_errors
    def tags(self) -> list[TagInfo]:
        """Every tag with its colour and how many records carry it, by name."""
        return tag_admin.tag_list(self.db)

    @translate_errors
    def tag_colours(self) -> dict[str, str]:
        """The colour's name of each tag that has one."""
        return tag_admin.tag_colours(self.db)

    @translate_errors
    def plan_rename(self, old: str, new: str) -> RenamePlan:
        """What renaming `old` to `new` would do (a merge? how many records?), to ask first."""
        return tag_admin.plan_rename(self.db, old, new)

    @translate_errors
    def rename_tag(self, old: str, new: str) -> RenamePlan:
        """Rename a tag, or merge it into the tag that has the name already, in one
        transaction (a bad name raises ValueError, nothing changed)."""
        with self._write():
            ids = tag_admin.tagged_ids(self.db, old)
            plan = tag_admin.rename_tag(self.db, old, new)
        self._user_work_changed(ids, tags=True)
        return plan

    @translate_errors
    def delete_tag(self, name: str) -> int:
        """Remove the tag from every record and delete it; returns how many records lost it."""
        with self._write():
            ids = tag_admin.tagged_ids(self.db, name)
            untagged = tag_admin.delete_tag(self.db, name)
        self._user_work_changed(ids, tags=True)
        return untagged

    @translate_errors
    def set_tag_colour(self, name: str, colour: str | None) -> None:
        """Give a tag one of TAG_COLOURS, or None for none."""
        with self._write(moves=None):
            changed = tag_admin.set_colour(self.db, name, colour)
        if changed:
            self._user_work_changed((), tags=True)

    # -- many records at once, by the query that lists them (db/bulk.py) ------------------------

    @translate_errors
    def set_status_of(self, selection: Selection, status: str, progress: Progress | None = None) -> int:
        """Give the selected records `status` in one transaction; returns how many changed.
        Refused (StoreError, nothing written) when the query no longer lists `shown` records."""
        userdata.check_status(status)
        return self._bulk(selection, lambda: bulk.set_status(self.db, status, progress))

    @translate_errors
    def set_starred_of(self, selection: Selection, starred: bool, progress: Progress | None = None) -> int:
        return self._bulk(selection, lambda: bulk.set_starred(self.db, starred, progress), moves="marks")

    @translate_errors
    def mark_read_of(self, selection: Selection, read: bool = True, progress: Progress | None = None) -> int:
        """Mark the selected records read (or unread); returns how many changed."""
        read_at = self._now() if read else None
        return self._bulk(selection, lambda: bulk.mark_read(self.db, read_at, progress), moves="marks")

    @translate_errors
    def add_tag_to(self, selection: Selection, name: str, progress: Progress | None = None) -> int:
        """Tag the selected records; returns how many gained the tag."""
        userdata.clean_tag(name)
        return self._bulk(selection, lambda: bulk.add_tag(self.db, name, progress), tags=True)

    @translate_errors
    def summarise(self, selection: Selection) -> bulk.Summary:
        """Counts, the next deadline and budget totals of the selected records (no write: the
        list lives in this connection's temporary database). StoreError when the list moved."""
        terms = expanded(self.db, search_terms(selection.query.search))
        try:
            bulk.select(self.db, selection, self.clock(), terms)
            return bulk.summary(self.db, iso_now(self.clock()))
        finally:
            bulk.clear(self.db)

    def _bulk(
        self, selection: Selection, change: Callable[[], int], tags: bool = False, moves: Moves = "content"
    ) -> int:
        terms = expanded(self.db, search_terms(selection.query.search))
        try:
            with self._write(moves=moves):
                bulk.select(self.db, selection, self.clock(), terms)
                changed = change()
            if changed and self._user_work is not None:  # the list, in SQL, while it is still there
                self._user_work.changed_listed(self.db.conn, bulk.LISTED_IDS, tags=tags)
        finally:
            bulk.clear(self.db)
        return changed

    # -- watchlists (db/watchlists.py) ---------------------------------------------------------

    @translate_errors
    def watchlists(self) -> list[Watchlist]:
        """Every watchlist, by name."""
        return watchlists.watchlists(self.db)

    @translate_errors
    def watchlist(self, watchlist_id: int) -> Watchlist | None:
        return watchlists.watchlist(self.db, watchlist_id)

    @translate_errors
    def save_watchlist(self, w: Watchlist) -> Watchlist:
        """Insert `w` (id None) or update the one with its id; returns it as stored. A value
        that cannot be kept raises ValueError, a name already taken StoreError."""
        with self._write(moves=None):
            watchlist_id = watchlists.save_watchlist(self.db, w, self._now())
        saved = watchlists.watchlist(self.db, watchlist_id)
        assert saved is not None
        return saved

    @translate_errors
    def delete_watchlist(self, watchlist_id: int) -> None:
        """Delete the watchlist (the tags it gave stay; a deleted default is never re-made)."""
        with self._write(moves=None):
            watchlists.delete_watchlist(self.db, watchlist_id)

    @translate_errors
    def mark_watchlist_seen(self, watchlist_id: int) -> None:
        """The user has looked at the watchlist's matches: none of them is new any more."""
        with self._write(moves=None):
            watchlists.mark_seen(self.db, watchlist_id, self._now())

    @staticmethod
    def watchlist_query(w: Watchlist) -> Query:
        """The query that shows the watchlist's matches in the tracker."""
        return watchlist_query(w)

    @translate_errors
    def watchlist_counts(self, counting: bool = True) -> dict[int, WatchlistCount]:
        """Each watchlist's matches and new matches by id, counted like a search, in one snapshot.
        A watchlist looked at since the newest record came in has no new match: not counted.
        With `counting=False` nothing is counted: only the counts kept in the store are read
        (a few small reads, what the window shows at once on start), and a watchlist whose
        counts are not kept is left out."""
        now = self.clock()
        count: Callable[[CountStamp], int | None] = self._counted if counting else self._remembered
        out: dict[int, WatchlistCount] = {}
        with self._snapshot():
            newest = self.db.conn.execute("SELECT max(first_seen_at) FROM records").fetchone()[0]
            for w in watchlists.watchlists(self.db):
                assert w.id is not None
                total = count(self.count_stamp(watchlist_query(w)))
                unseen = newest is not None and (w.last_seen_at is None or newest > w.last_seen_at)
                if w.last_seen_at is None:  # never looked at: every match is new, none to count again
                    new = total
                else:
                    new = count(self._new_stamp(w, now)) if total and unseen else 0
                if total is not None and new is not None:
                    out[w.id] = WatchlistCount(total, new)
        return out

    @translate_errors
    def changes_since(self, since: str) -> Changes:
        """What refreshes changed after `since` (a timestamp as the store writes them, e.g. the
        moment a refresh began): deadlines, budgets, calls opened or closed, and each
        watchlist's new records (db/changes.py), in one snapshot."""
        with read_snapshot(self.db):
            return changes.changes_since(self.db, since, self.clock())

    def _new_stamp(self, w: Watchlist, now: datetime) -> CountStamp:
        """The count of the watchlist's matches first seen since its last look."""
        sql, params = watchlists.new_count_query(self.db, w, now)
        return CountStamp(sql, params, kept_counts.generation(self.db.conn, reads_marks(watchlist_query(w))))

    # -- undo --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def recording(self) -> Iterator[UserChange]:
        """What this Store's writes in the block change in the user columns (and the records
        they create), for `undo`; filled when the block ends. Other connections are not seen."""
        try:
            with undo.recording(self.db) as change:
                yield change
        except sqlite3.Error as exc:
            known = known_error(exc)
            if known is None:
                raise
            raise known from exc

    @translate_errors
    def undo(self, change: UserChange) -> UndoResult:
        """Put back what a recorded action changed, in one transaction; values changed again
        since are kept (see db/undo.py)."""
        try:
            with self._write():
                result = undo.undo(self.db, change)
            # Records the undo removed keep their rows in the user-work file until its daily rebuild.
            if self._user_work is not None:
                self._user_work.changed_listed(self.db.conn, undo.TOUCHED_IDS, tags=True)
        finally:
            undo.forget(self.db.conn)
        return result

    # -- reading for the tracker -----------------------------------------------------------

    @translate_errors
    def count(self, q: Query) -> int:
        """The number of records `q` selects, kept in the store until a write that could
        change it (db/kept_counts.py)."""
        with self._snapshot():
            return self._counted(self.count_stamp(q))

    def _counted(self, stamp: CountStamp) -> int:
        """The count `stamp` names: kept, or counted now and kept. Call it in a snapshot that
        `stamp` was taken in, so that the number is the one of its generation."""
        known = self._remembered(stamp)
        if known is not None:
            return known
        number = int(self.db.conn.execute(stamp.sql, stamp.params).fetchone()[0])
        self.remember_count(stamp, number)
        return number

    @translate_errors
    def known_count(self, q: Query) -> int | None:
        """The count of `q` if it is kept and still true, without counting."""
        with read_snapshot(self.db):
            return self._remembered(self.count_stamp(q))

    def _remembered(self, stamp: CountStamp) -> int | None:
        """The count kept for `stamp`'s generation: in this Store's memory, else in the file."""
        key = stamp.key
        cached = self._counts.get(key)
        if cached is not None and cached[0] == stamp.version:
            return cached[1]
        number = kept_counts.kept(self.db.conn, key, stamp.version)
        if number is not None:
            self._memorise(key, stamp.version, number)
        return number

    @translate_errors
    def count_stamp(self, q: Query) -> CountStamp:
        """What the count of `q` is (its SQL) and the store's generation it holds for: take it
        before another connection counts (the window's counting worker), then hand both to
        `remember_count`. A write in between only makes the count be made again."""
        terms = expanded(self.db, search_terms(q.search))
        sql, params = count_query(q, self.clock(), terms)
        return CountStamp(sql, params, kept_counts.generation(self.db.conn, reads_marks(q)))

    @translate_errors
    def count_of(self, stamp: CountStamp, cancelled: Callable[[], bool] | None = None) -> int | None:
        """Make the count `stamp` describes (taken by the window's Store on the same file),
        unless it is kept for the stamp's generation by now (another process counted it);
        None when `cancelled()` turned true meanwhile: SQLite asks it every PROGRESS_STEPS steps
        (db/connection.py), so an obsolete count of a million records stops within a millisecond
        or two."""
        conn = self.db.conn
        known = kept_counts.kept(conn, stamp.key, stamp.version)
        if known is not None:
            return known
        if cancelled is not None:
            conn.set_progress_handler(cancelled, PROGRESS_STEPS)
        try:
            return int(conn.execute(stamp.sql, stamp.params).fetchone()[0])
        except sqlite3.OperationalError as exc:
            if cancelled is not None and "interrupt" in str(exc):
                return None
            raise
        finally:
            if cancelled is not None:
                conn.set_progress_handler(None, 0)

    def remember_count(self, stamp: CountStamp, number: int) -> None:
        """Keep the count `stamp` names (made by this Store or by a worker's): in the store
        file for every connection and process, tried at once and skipped if another writer
        holds the file (db/kept_counts.py), and in this Store's memory either way. Never
        raises: a count not kept is only made again."""
        self._memorise(stamp.key, stamp.version, number)
        self._to_keep[stamp.key] = (stamp.version, int(number))
        self._keep_counted()

    @staticmethod
    @translate_errors
    def keep_count_in(path: Path, stamp: CountStamp, number: int) -> bool:
        """Keep the count `stamp` names in the store file at `path` without opening a Store
        (`kept_counts.keep_in_file`): for a worker whose own Store is read-only. Never raises."""
        return kept_counts.keep_in_file(path, [(stamp.key, stamp.version, int(number))])

    def _memorise(self, key: str, version: Generation, number: int) -> None:
        if len(self._counts) >= COUNT_CACHE_SIZE:
            self._counts.clear()
        self._counts[key] = (version, int(number))

    def _keep_counted(self) -> None:
        """Write the counts made since the last time into the file, unless a transaction is
        open (they wait for its end: see `_snapshot`) or the Store cannot write."""
        if self.readonly or self._closed:
            self._to_keep.clear()
        elif self._to_keep and not self.db.conn.in_transaction:
            counted = [(key, version, number) for key, (version, number) in self._to_keep.items()]
            if kept_counts.keep(self.db.conn, self._writers, counted) or len(counted) > COUNT_CACHE_SIZE:
                self._to_keep.clear()  # else tried again after the next count

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        """A read snapshot (db.connection.read_snapshot) after which the counts it made are
        kept in the file, in one short transaction."""
        with read_snapshot(self.db):
            yield
        self._keep_counted()

    @translate_errors
    def has_records(self) -> bool:
        """True when the store holds any record, archived ones included: the first run's
        question, answered by the first row found (counting the rest took 60 ms at a million
        records, on the window's thread)."""
        return bool(self.db.conn.execute("SELECT EXISTS (SELECT 1 FROM records)").fetchone()[0])

    @translate_errors
    def first_count(self, q: Query, cap: int = FIRST_COUNT_CAP) -> tuple[int, bool]:
        """(number, exact) at a cost bounded by `cap`: the remembered count, or a count that
        stops at `cap` matches. Past `cap` the number is an estimate: for a search, how many
        records' text matches it (archive and filters ignored); for every record but the
        archived ones, the highest id less the archived; otherwise `cap`."""
        terms = expanded(self.db, search_terms(q.search))
        now = self.clock()
        with self._snapshot():
            known = self._remembered(self.count_stamp(q))
            if known is not None:
                return known, True
            number = int(self.db.conn.execute(*count_query(q, now, terms, cap=cap)).fetchone()[0])
            if number < cap:
                self.remember_count(self.count_stamp(q), number)
                return number, True
            if terms.words:
                about = int(self.db.conn.execute(*text_estimate_query(terms, cap)).fetchone()[0])
            elif counted_at_once(q):
                about = int(self.db.conn.execute(ALL_ESTIMATE_QUERY).fetchone()[0])
            else:
                return number, False
        return max(number, about), False

    @translate_errors
    def page(
        self, q: Query, offset: int, limit: int, matching: int | None = None, *, exact: bool = True
    ) -> list[dict[str, Any]]:
        """One screenful of rows in the query's order, read in one snapshot by short queries
        shaped by how many records match (see `db.queries.page_rows`). No cursor outlives
        the call. `matching` is that number when the caller knows it (the window's count, so a
        worker reading a scrolled page does not count again); with `exact=False` it is only an
        estimate (the exact count is still being made elsewhere) and the page is read forwards.
        Without it the count is made here."""
        now = self.clock()
        with self._snapshot():
            number = self.count(q) if matching is None else matching
            rows = page_rows(self.db, q, now, number, offset, limit, _PAGE_COLUMNS, exact=exact)
            changes.add_previous_values(self.db, rows)
        for row in rows:
            head = row.pop("note_head")
            row["note_first_line"] = head.split("\n", 1)[0].rstrip("\r") if head else ""
            row["starred"] = bool(row["starred"])
        return rows

    @translate_errors
    def snippet(self, record_id: int, q: Query) -> list[tuple[str, bool]]:
        """Where the search of `q` hits the record: (text, is a hit) pieces (db/search.py)."""
        return snippet(self.db, record_id, expanded(self.db, search_terms(q.search)))

    @translate_errors
    def record(self, record_id: int) -> dict[str, Any] | None:
        """Every column of one record, plus its tags and the sources that listed it."""
        row = one(self.db, "SELECT * FROM records WHERE id = ?", (record_id,))
        if row is None:
            return None
        row["starred"] = bool(row["starred"])
        row["tags"] = [t for t in row["tags_text"].split(userdata.TAG_SEPARATOR) if t]
        seen = dicts(
            self.db,
            "SELECT rs.source_id, coalesce(s.name, rs.source_id) AS name FROM record_sources rs"
            " LEFT JOIN sources s ON s.id = rs.source_id WHERE rs.record_id = ?"
            " ORDER BY rs.first_seen_at, rs.source_id",
            (record_id,),
        )
        row["sources"] = [s["source_id"] for s in seen]
        row["source_names"] = [s["name"] for s in seen]
        return row

    @translate_errors
    def versions(self, record_id: int) -> list[dict[str, Any]]:
        """What each refresh changed, newest first: {"changed_at", "changes": [(field, old, new)]}."""
        out = []
        for row in dicts(
            self.db,
            "SELECT changed_at, source_id, changed_fields, previous, current FROM record_versions"
            " WHERE record_id = ? ORDER BY id DESC",
            (record_id,),
        ):
            previous, current = json.loads(row["previous"]), json.loads(row["current"])
            changes = [(f, previous.get(f), current.get(f)) for f in json.loads(row["changed_fields"])]
            out.append({"changed_at": row["changed_at"], "source_id": row["source_id"], "changes": changes})
        return out

    @translate_errors
    def view_counts(self) -> dict[str, int]:
        """The number of records in each view, one indexed count each, in one snapshot."""
        with self._snapshot():
            return {view: self.count(Query(view=view)) for view in VIEWS}

    @translate_errors
    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with the number of records carrying it, in case-insensitive order."""
        rows = self.db.conn.execute(
            "SELECT t.name, count(rt.record_id) FROM tags t"
            " LEFT JOIN record_tags rt ON rt.tag_id = t.id GROUP BY t.id"
        ).fetchall()
        return sorted(((name, int(n)) for name, n in rows), key=lambda r: (r[0].casefold(), r[0]))

    def _distinct(self, column: str) -> list[str]:
        rows = self.db.conn.execute(
            f"SELECT DISTINCT {column} FROM records WHERE {column} IS NOT NULL AND {column} != ''"
            f" ORDER BY {column}"
        ).fetchall()
        return [r[0] for r in rows]

    @translate_errors
    def facet_counts(self, column: str) -> list[tuple[str, int]]:
        """Each value of a funding facet (`programme`, `action_type`) with the number of records
        not archived that carry it, in case-insensitive order: the filter's choices, counted
        from the facet's index (migration 0005). Spellings that differ only in case are one
        value, as the filter matches them."""
        if column not in FACET_COLUMNS:
            raise ValueError(f"unknown facet {column!r} (known: {', '.join(FACET_COLUMNS)})")
        rows = self.db.conn.execute(
            # `> ''` in the index's collation: a range of it (2.6 ms at a million records, where
            # "IS NOT NULL AND != ''" read the whole index: 53 ms).
            f"SELECT min({column}), count(*) FROM records WHERE {column} > '' COLLATE NOCASE"
            f" AND status != 'archived' GROUP BY {column} COLLATE NOCASE"
        ).fetchall()
        return sorted(((value, int(n)) for value, n in rows), key=lambda r: (r[0].casefold(), r[0]))

    @translate_errors
    def categories(self) -> list[str]:
        return self._distinct("category")

    @translate_errors
    def jurisdictions(self) -> list[str]:
        return self._distinct("jurisdiction")

    @translate_errors
    def full_rows(self, q: Query) -> list[dict[str, Any]]:
        """Every column of the records `q` selects, in its order, with `source_name` and `tags`
        (a list), read in one statement: what a brief or a spreadsheet export lays out."""
        where, params = where_clause(q, self.clock())
        rows = dicts(
            self.db,
            "SELECT r.*, coalesce(s.name, r.source_id) AS source_name FROM records r"
            f" LEFT JOIN sources s ON s.id = r.source_id WHERE {where} ORDER BY {order_clause(q)}",
            params,
        )
        for row in rows:
            row["starred"] = bool(row["starred"])
            row["tags"] = [t for t in row["tags_text"].split(userdata.TAG_SEPARATOR) if t]
        return rows

    # -- CSV ---------------------------------------------------------------------------------

    @translate_errors
    def export_csv(self, path_or_textfile: str | Path | IO[str], q: Query) -> int:
        """Write the records `q` selects, in its order, as CSV (UTF-8 with BOM); returns the
        number of rows. Problems writing the file raise OSError; a target that is the store,
        one of its files or another SQLite database raises StoreError (csv_io.check_export_target)."""
        if isinstance(path_or_textfile, str | Path):
            csv_io.check_export_target(Path(path_or_textfile), self.path, "CSV file")
        where, params = where_clause(q, self.clock())
        rows = csv_io.export_rows(self.db, where, params, order_clause(q))
        return csv_io.write_csv(path_or_textfile, rows)

    @translate_errors
    def import_csv(self, path: str | Path) -> ImportResult:
        """Read a CSV export or tracker spreadsheet in one transaction (an error imports
        nothing): user columns for known links, new records for unknown ones."""
        with self._write():
            result = csv_io.import_rows(self.db, Path(path), self._now())
        self._user_work_changed(None)
        return result

    @translate_errors
    def undo_last_import(self) -> tuple[int, int]:
        """Put back the notes, tags, statuses and stars the latest import replaced, from the
        versions it kept (csv_io.undo_last_import): (records put back, values kept as changed since)."""
        with self._write():
            result = csv_io.undo_last_import(self.db, self._now())
        self._user_work_changed(None, tags=True)
        return result

    # -- maintenance -------------------------------------------------------------------------

    @translate_errors
    def check_integrity(self) -> list[str]:
        """Problems found by SQLite's and the search indexes' own checks (empty when sound).
        Reads the whole file: run it off the UI thread."""
        if self.readonly:
            rows = self.db.conn.execute("PRAGMA integrity_check").fetchall()
            return [r[0] for r in rows if r[0] != "ok"]
        return integrity_problems(self.db)

    @translate_errors
    def backup(self, dest: str | Path) -> Path:
        """A consistent copy of the store at `dest` (safe while a refresh writes)."""
        return copy_database(self.db.conn, Path(dest))

    @translate_errors
    def restore_user_work(self, path: str | Path) -> UserWorkResult:
        """Put a user-work file's notes, tags, statuses, stars and read marks back onto the
        records with the same link, in one transaction (an error restores nothing). The user
        work as it was is kept first in `backups/`."""
        stamp_text = self.clock().strftime("%Y%m%dT%H%M%S%fZ")
        before = user_work_path(self.path).with_name(
            f"{self.path.stem}-user-work-before-restore-{stamp_text}.sqlite"
        )
        try:
            write_user_work(self.path, before)
        except OSError as exc:
            raise StoreError(
                f"Could not keep the current user work before restoring ({exc.strerror or exc}); "
                "nothing was changed."
            ) from exc
        with self._write():
            result = apply_user_work(self.db, Path(path))
        self._user_work_changed(None)
        return result

    def backups(self) -> list[Path]:
        """The copies taken before migrations, newest first."""
        return list_backups(self.path)
