"""Watchlists: named saved queries the store counts, and whose new matches it can tag.

A watchlist is the search box's words (docs/SEARCH.md) plus the tracker's filters, so it is
shown as an ordinary `Query` and counted through the same SQL as a search (`db.queries`).
"New" means first seen after the user last looked at the watchlist. Defaults are seeded by
the migration that made the table (db.schema), so a default the user deletes stays deleted.
The tag a watchlist gives is an ordinary user tag: a refresh adds it to new matches and
never removes it. What each default watches, and why: docs/WATCHLISTS.md.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from db import userdata
from db.errors import StoreError
from db.queries import Query, fts_text, where_clause
from db.rows import dicts
from db.schema import STATUSES
from db.search import expanded, search_terms

logger = logging.getLogger(__name__)

MAX_NAME_CHARS = 200
MAX_DEADLINE_DAYS = 3660  # ten years: more is a typing slip, not a window

_COLUMNS = (
    "id, name, words, source_id, category, jurisdiction, status, tag, deadline_within_days,"
    " auto_tag, notify, last_seen_at"
)


@dataclass(frozen=True)
class Watchlist:
    """A named saved query. `id` is None until saved; `last_seen_at` is when the user last
    looked at its matches (None: never, so every match is new)."""

    id: int | None
    name: str
    words: str = ""
    source_id: str | None = None
    category: str | None = None
    jurisdiction: str | None = None
    status: str | None = None
    tag: str | None = None
    deadline_within_days: int | None = None
    auto_tag: str | None = None
    notify: bool = True
    last_seen_at: str | None = None


@dataclass(frozen=True)
class WatchlistCount:
    """A watchlist's matches now, and how many of them were first seen since the last look."""

    total: int
    new: int


def watchlist_query(w: Watchlist) -> Query:
    """The tracker's query that shows the watchlist's matches.

    Its words end with a space, so that the last one is a whole word, as saved, never a
    prefix still being typed (db.search). A deadline window opens sorted by deadline.
    """
    words = w.words.strip()
    return Query(
        search=f"{words} " if words else "",
        source_id=w.source_id,
        category=w.category,
        jurisdiction=w.jurisdiction,
        status=w.status,
        tag=w.tag,
        deadline_within_days=w.deadline_within_days,
        sort="deadline" if w.deadline_within_days is not None else "published",
        descending=w.deadline_within_days is None,
    )


def _from_row(row: dict[str, Any]) -> Watchlist:
    return Watchlist(**{**row, "notify": bool(row["notify"])})


def watchlists(db: Database) -> list[Watchlist]:
    """Every watchlist, by name (case-insensitive)."""
    rows = dicts(db, f"SELECT {_COLUMNS} FROM watchlists ORDER BY name COLLATE NOCASE, id")
    return [_from_row(row) for row in rows]


def watchlist(db: Database, watchlist_id: int) -> Watchlist | None:
    rows = dicts(db, f"SELECT {_COLUMNS} FROM watchlists WHERE id = ?", (watchlist_id,))
    return _from_row(rows[0]) if rows else None


def _optional(text: str | None) -> str | None:
    cleaned = " ".join(str(text).split()) if text is not None else ""
    return cleaned or None


def checked(w: Watchlist) -> Watchlist:
    """`w` with its texts trimmed, or ValueError saying which value cannot be kept."""
    name = " ".join(str(w.name).split())
    if not name:
        raise ValueError("a watchlist needs a name")
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(f"a watchlist name has at most {MAX_NAME_CHARS} characters")
    if w.status is not None and w.status not in STATUSES:
        raise ValueError(f"unknown status {w.status!r} (one of: {', '.join(STATUSES)})")
    days = w.deadline_within_days
    if days is not None and (isinstance(days, bool) or not 0 <= int(days) <= MAX_DEADLINE_DAYS):
        raise ValueError(f"a deadline window is 0 to {MAX_DEADLINE_DAYS} days, not {days!r}")
    tag = _optional(w.tag)
    auto_tag = _optional(w.auto_tag)
    return replace(
        w,
        name=name,
        words=str(w.words).strip(),
        source_id=_optional(w.source_id),
        category=_optional(w.category),
        jurisdiction=_optional(w.jurisdiction),
        tag=userdata.clean_tag(tag) if tag else None,
        deadline_within_days=None if days is None else int(days),
        auto_tag=userdata.clean_tag(auto_tag) if auto_tag else None,
        notify=bool(w.notify),
    )


def save_watchlist(db: Database, w: Watchlist, now: str) -> int:
    """Insert `w` (id None; looked at now unless it says when) or update the watchlist with
    its id; returns the id. An update keeps the last look: only `mark_seen` moves it, so an
    edit made from a stale copy never makes old matches new. Runs in the caller's write
    transaction."""
    w = checked(w)
    values = {
        "name": w.name,
        "words": w.words,
        "source_id": w.source_id,
        "category": w.category,
        "jurisdiction": w.jurisdiction,
        "status": w.status,
        "tag": w.tag,
        "deadline_within_days": w.deadline_within_days,
        "auto_tag": w.auto_tag,
        "notify": 1 if w.notify else 0,
    }
    try:
        if w.id is None:
            values["last_seen_at"] = w.last_seen_at or now
            names = ", ".join(values)
            cursor = db.conn.execute(
                f"INSERT INTO watchlists ({names}) VALUES ({', '.join(':' + n for n in values)})", values
            )
            return int(cursor.lastrowid or 0)
        assignments = ", ".join(f"{n} = :{n}" for n in values)
        cursor = db.conn.execute(
            f"UPDATE watchlists SET {assignments} WHERE id = :id", {**values, "id": w.id}
        )
    except sqlite3.IntegrityError as exc:
        if "UNIQUE" in str(exc):
            raise StoreError(f"There is already a watchlist called {w.name!r}.") from exc
        raise
    if cursor.rowcount == 0:
        raise StoreError(f"Watchlist {w.id} no longer exists.")
    return w.id


def delete_watchlist(db: Database, watchlist_id: int) -> None:
    """Delete the watchlist; the tags it gave stay on their records (they are the user's)."""
    db.conn.execute("DELETE FROM watchlists WHERE id = ?", (watchlist_id,))


def mark_seen(db: Database, watchlist_id: int, now: str) -> None:
    cursor = db.conn.execute("UPDATE watchlists SET last_seen_at = ? WHERE id = ?", (now, watchlist_id))
    if cursor.rowcount == 0:
        raise StoreError(f"Watchlist {watchlist_id} no longer exists.")


def first_seen_after(
    db: Database, w: Watchlist, now: datetime, after: str | None
) -> tuple[str, dict[str, Any]]:
    """FROM and WHERE (over `records r`) of the watchlist's matches first seen after `after`
    (None: all of them), and their parameters.

    The records seen since a recent moment are few (those of the last refreshes), so their
    index drives. Their ids are the newest (a record's id is the next after the largest), so
    the search index lists its text matches from the first of them on only, never the older
    records' matches; the whole search condition is tested only on a new record with a note
    (one the user has written on since), the other way a record matches a search.
    """
    q = watchlist_query(w)
    terms = expanded(db, search_terms(q.search))
    where, params = where_clause(q, now, terms=terms)
    if after is None:
        return f"FROM records r WHERE {where}", params
    params = {**params, "seen_after": after}
    if terms.words:
        base, base_params = where_clause(replace(q, search=""), now)
        first_new = (
            "(SELECT min(id) FROM records INDEXED BY records_by_first_seen WHERE first_seen_at > :seen_after)"
        )
        in_text = (
            "r.id IN (SELECT rowid FROM records_fts"
            f" WHERE records_fts MATCH :new_text AND rowid >= {first_new})"
        )
        where = f"{base} AND ({in_text} OR (r.note IS NOT NULL AND r.note != '' AND {where}))"
        params.update(base_params, new_text=fts_text(terms))
    return (
        f"FROM records r INDEXED BY records_by_first_seen WHERE r.first_seen_at > :seen_after AND {where}",
        params,
    )


def new_count_query(db: Database, w: Watchlist, now: datetime) -> tuple[str, dict[str, Any]]:
    """SELECT of the number of the watchlist's matches first seen after its last look."""
    sql, params = first_seen_after(db, w, now, w.last_seen_at)
    return f"SELECT count(*) {sql}", params


def auto_tag(db: Database, after_id: int, now: datetime) -> list[int]:
    """Give the records created after `after_id` the tag of each watchlist they match (for
    watchlists with an auto-tag); returns the ids tagged. Runs in the caller's write
    transaction, the one that saved the records, so a refresh never leaves a new match
    untagged.

    A record a refresh has just made has no note, so its text alone decides: the search index
    lists its matches among the new row ids only (a rowid range it seeks to), never the older
    records' matches, whatever the store's size.
    """
    tagged: set[int] = set()
    for w in watchlists(db):
        if not w.auto_tag:
            continue
        q = watchlist_query(w)
        terms = expanded(db, search_terms(q.search))
        where, params = where_clause(replace(q, search=""), now)
        if terms.words:
            where += (
                " AND r.id IN (SELECT rowid FROM records_fts"
                " WHERE records_fts MATCH :fts_text AND rowid > :after_id)"
            )
            params["fts_text"] = fts_text(terms)
        ids = [
            int(row[0])
            for row in db.conn.execute(
                f"SELECT r.id FROM records r WHERE r.id > :after_id AND {where}",
                {**params, "after_id": after_id},
            )
        ]
        if ids:
            userdata.add_tag(db, ids, w.auto_tag)
            tagged.update(ids)
            logger.info("watchlist %r tagged %d new records %r", w.name, len(ids), w.auto_tag)
    return sorted(tagged)
