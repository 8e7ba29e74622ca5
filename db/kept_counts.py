"""Counts kept in the store file itself, true for the generation of the store they were made at.

A count of a million records can take a second (a search of a common word reads every match),
so a count made once is kept in the table `kept_counts` (migration 0006) with the store's
generation at the time, and read back, in microseconds, by any connection of any process,
after a restart too, for as long as the generation has not moved.

The generation is one row (`count_generation`) that every write transaction of the Store moves
once, in the same transaction as its change (`bump`): a count kept at generation G is never
read after a commit that could change it, whoever committed. Read marks and stars move their
own generation only, so marking a record read does not make a search be counted again; a
count that reads them (`db.queries.reads_marks`) is kept against both.

Keeping a count is an extra write, and it must never cost the count anything: it is tried at
once, with no busy wait, and skipped when another writer holds the store or the file cannot be
written (`keep`); the count is then made again next time. It is written without the sync to
disk a user's change has (`synchronous = NORMAL`): a kept count lost to a power cut is only
counted again, and the WAL keeps commits in order, so a kept count never outlives the
generation it was made at. Nor does it run the WAL's checkpoint that a refresh's big write
may be due (on whichever thread keeps the count).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from db.errors import StoreError
from db.locks import FairLock, writer_lock
from db.open_lock import hold_open

logger = logging.getLogger(__name__)

KEPT_CAP = 512  # kept counts beyond this many go, oldest first (a day's searches fit)
NO_MARKS = -1  # the marks generation of a count that does not read marks or stars

Generation = tuple[int, int]  # (content, marks or NO_MARKS)
Moves = Literal["content", "marks"] | None


def key_of(sql: str, params: dict[str, Any]) -> str:
    """The kept count's name: a digest of its SQL and parameters (the time a count depends on
    is among its parameters, so a count of "closing in 14 days" goes stale as time moves)."""
    text = json.dumps([sql, sorted(params.items())], ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def generation(conn: sqlite3.Connection, marks_matter: bool) -> Generation:
    """The store's generation as a count sees it: a count that does not read marks or stars
    is not made stale by them."""
    content, marks = conn.execute("SELECT content, marks FROM count_generation").fetchone()
    return int(content), int(marks) if marks_matter else NO_MARKS


def bump(conn: sqlite3.Connection, moves: Literal["content", "marks"]) -> None:
    """Move the generation, inside the caller's write transaction: `content` for anything a
    count can read (every kept count goes stale), `marks` for read marks and stars alone."""
    conn.execute(f"UPDATE count_generation SET {moves} = {moves} + 1")


def kept(conn: sqlite3.Connection, key: str, made_at: Generation) -> int | None:
    """The count kept under `key` for the generation `made_at`, or None."""
    row = conn.execute(
        "SELECT number FROM kept_counts WHERE key = ? AND content = ? AND marks = ?", (key, *made_at)
    ).fetchone()
    return None if row is None else int(row[0])


def keep(conn: sqlite3.Connection, lock: FairLock, counts: Iterable[tuple[str, Generation, int]]) -> bool:
    """Keep each (key, generation made at, number) that is still true, in one transaction
    tried at once; False (nothing kept, nothing raised) when another writer holds the store
    or the file cannot be written. Counts whose generation has moved since are left out, and
    the kept counts of past generations are deleted, so the table stays small."""
    wanted = list(counts)
    if not wanted or conn.in_transaction or not lock.acquire(0):
        return False
    try:
        synchronous = int(conn.execute("PRAGMA synchronous").fetchone()[0])
        busy_ms = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
        checkpoint_pages = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA busy_timeout = 0")
        conn.execute("PRAGMA wal_autocheckpoint = 0")  # a big write's checkpoint is not ours to run
        try:
            conn.execute("BEGIN IMMEDIATE")
            _keep(conn, wanted)
            conn.execute("COMMIT")
            return True
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute(f"PRAGMA busy_timeout = {busy_ms}")
            conn.execute(f"PRAGMA synchronous = {synchronous}")
            conn.execute(f"PRAGMA wal_autocheckpoint = {checkpoint_pages}")
    except sqlite3.Error as exc:
        logger.debug("a count was not kept (%s); it is counted again next time", exc)
        return False
    finally:
        lock.release()


def keep_in_file(db_path: Path, counts: Iterable[tuple[str, Generation, int]]) -> bool:
    """`keep` from a connection of its own to the store file at `db_path`, for a caller with
    no writable Store (the window's read-only workers): 0.5 ms at a million records, where
    opening a Store for it (its schema checks) took 1.9 ms, mostly Python on a thread that
    shares the interpreter with the window's paints. Holds the open lock (db/open_lock.py) meanwhile, so
    a restore never replaces the file under it; never creates the store; False when nothing
    was kept (the file busy, missing, being restored or not a store)."""
    try:
        held = hold_open(db_path)
    except StoreError as exc:
        logger.debug("a count was not kept (%s); it is counted again next time", exc)
        return False
    try:
        conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=rw", uri=True, timeout=0,
                               isolation_level=None)  # fmt: skip
    except sqlite3.Error as exc:
        held.release()
        logger.debug("a count was not kept (%s); it is counted again next time", exc)
        return False
    try:
        return keep(conn, writer_lock(db_path), counts)
    finally:
        conn.close()
        held.release()


def put(conn: sqlite3.Connection, counts: Iterable[tuple[str, Generation, int]]) -> None:
    """Keep each (key, generation made at, number), inside the caller's write transaction;
    the caller vouches that each is true at the store's generation."""
    conn.executemany(
        "INSERT OR REPLACE INTO kept_counts (key, content, marks, number) VALUES (?, ?, ?, ?)",
        [(key, *made_at, number) for key, made_at, number in counts],
    )


def _keep(conn: sqlite3.Connection, counts: list[tuple[str, Generation, int]]) -> None:
    content, marks = generation(conn, marks_matter=True)
    put(conn, [count for count in counts if count[1][0] == content and count[1][1] in (NO_MARKS, marks)])
    conn.execute(
        "DELETE FROM kept_counts WHERE content < ? OR (marks != ? AND marks < ?)", (content, NO_MARKS, marks)
    )
    conn.execute("DELETE FROM kept_counts WHERE id <= (SELECT max(id) FROM kept_counts) - ?", (KEPT_CAP,))


def forget(conn: sqlite3.Connection) -> None:
    """Delete every kept count (the benchmarks time counts made cold)."""
    conn.execute("DELETE FROM kept_counts")
