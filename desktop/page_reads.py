"""The tracker's reads made on a worker thread, each on a read-only Store of its own.

The window's table (desktop/ui/tracker_model.py) never reads the store on its own thread: these
run on desktop/ui/worker.py's pool and hand back plain data. Each borrows a read-only Store
kept open between reads (db/readers.py: opening one costs more than reading a sorted page at
a million records), reads on the window's clock (so that "days left" and the Upcoming view agree
with what the window shows), and stops as soon as a newer request makes it obsolete: SQLite's
progress handler asks `obsolete()` every PROGRESS_STEPS steps (db/connection.py), so a search
a newer keystroke replaced stops within a millisecond or two and its result is None.

Everything a new query costs is paid here, never on the window's thread: expanding a prefix
into the index's words (up to 80 ms cold at a million records), the capped first count and the
pages the window will look in to keep the user's place. A count kept in the file (by any
Store, in any process: db/kept_counts.py) is read back instead of being made again, and the
counts these reads make are kept there by a worker too (`keep_count_elsewhere`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from db import readers
from db.connection import PROGRESS_STEPS
from db.store import CountStamp, Query, Store


@dataclass(frozen=True)
class FirstPageAsk:
    """What a worker reads for a new query or a re-read: the count and `pages` (page numbers
    of `limit` rows) of `query` as of `now`, the count stopping at `cap` matches."""

    query: Query
    now: datetime
    limit: int
    cap: int
    pages: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class FirstPage:
    """The rows that land: the count (exact or an estimate), the pages read, and the count's
    stamp (to count exactly elsewhere, or, with `to_keep`, for the window's Store to keep the
    count in the file: a worker's Store is read-only)."""

    count: int
    exact: bool
    pages: dict[int, list[dict[str, Any]]]
    stamp: CountStamp
    to_keep: bool


@dataclass(frozen=True)
class PageAsk:
    """A page scrolled into view: `limit` rows of `query` at `offset`, of `matching` rows in
    all (the window's count, an estimate unless `exact`)."""

    query: Query
    now: datetime
    offset: int
    limit: int
    matching: int
    exact: bool


@contextlib.contextmanager
def _reading(db_path: Path, now: datetime, obsolete: Callable[[], bool]) -> Iterator[Store]:
    """A read-only Store of the file (one kept open between reads, db/readers.py) on the
    window's clock, whose reads stop (SQLite's progress handler) once `obsolete()`."""
    with readers.reading(db_path) as store:
        store.clock = lambda: now
        store.db.conn.set_progress_handler(obsolete, PROGRESS_STEPS)
        yield store


def _stopped(exc: Exception) -> bool:
    return "interrupt" in str(exc)


def first_page_elsewhere(db_path: Path, ask: FirstPageAsk, obsolete: Callable[[], bool]) -> FirstPage | None:
    """Runs on a worker: the first count and pages of `ask.query`, or None once obsolete."""
    if obsolete():
        return None
    try:
        with _reading(db_path, ask.now, obsolete) as store:
            stamp = store.count_stamp(ask.query)  # before counting: a write meanwhile makes it stale
            known = store.known_count(ask.query)  # kept in the file by any Store, any process
            if known is not None:
                count, exact = known, True
            else:
                count, exact = store.first_count(ask.query, ask.cap)
            pages: dict[int, list[dict[str, Any]]] = {}
            for number in sorted(set(ask.pages)):
                if number * ask.limit >= count:
                    break
                pages[number] = store.page(ask.query, number * ask.limit, ask.limit, count, exact=exact)
            return FirstPage(count, exact, pages, stamp, to_keep=exact and known is None)
    except Exception as exc:
        if obsolete() and _stopped(exc):
            return None
        raise


def page_elsewhere(db_path: Path, ask: PageAsk, obsolete: Callable[[], bool]) -> list[dict[str, Any]] | None:
    """Runs on a worker: one page scrolled into view, or None once obsolete."""
    if obsolete():
        return None
    try:
        with _reading(db_path, ask.now, obsolete) as store:
            return store.page(ask.query, ask.offset, ask.limit, ask.matching, exact=ask.exact)
    except Exception as exc:
        if obsolete() and _stopped(exc):
            return None
        raise


def count_elsewhere(db_path: Path, stamp: CountStamp, obsolete: Callable[[], bool]) -> int | None:
    """The count `stamp` describes, made on a Store of its own (a worker thread's), or None
    once `obsolete()`: the window's connection stays free for pages meanwhile."""
    if obsolete():
        return None
    with readers.reading(db_path) as store:
        return store.count_of(stamp, obsolete)


def keep_count_elsewhere(db_path: Path, stamp: CountStamp, number: int, obsolete: Callable[[], bool]) -> None:
    """Runs on a worker: keep a count the window's reads made in the file, for every Store
    (db/kept_counts.py), from a connection of its own, unless `obsolete()` (the window closed)
    or the file is gone: a kept count never makes a store. Tried once and never raises: a
    count not kept (the file busy, being restored, not a store) is only made again when next
    asked."""
    if not obsolete() and db_path.is_file():
        Store.keep_count_in(db_path, stamp, number)
