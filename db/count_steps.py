"""Watchlist counts moved in step with a write, instead of counted again after it.

At a million records a watchlist's count reads hundreds of thousands of matches (100–400 ms),
and every write that could change it (a refresh, a status, a tag, a note) made the kept count
stale (db/kept_counts.py), so the sidebar's counts were made again after each one. A write
that knows which records it touches moves each kept watchlist count instead, inside its own
transaction: the touched records that matched before the change are taken off, those that
match after it are added, and the number is kept for the generation the write moves to.

A write names the existing records it may change (each tested on its own, a seek in the
search index per record) and, for a refresh, the row id above which it creates records (listed
from the search index from that id on, as the auto-tags are).
A watchlist's words are whole words (`watchlist_query`), so each record can be tested on its
own. A write touching more than STEP_MAX existing records, or a watchlist whose count is not
kept: the count is simply made again, as before (docs/WATCHLISTS.md, "How fast").
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime

from sqlite_utils import Database

from db import kept_counts
from db.kept_counts import Moves
from db.queries import Query, count_query, fts_text, reads_marks, where_clause
from db.search import SearchTerms, search_terms
from db.watchlists import watchlist_query, watchlists

# Existing records a write may touch and still move the counts: testing one record costs
# about 2 ms for the five default watchlists at a million records (a seek in the search
# index per word, in each of its segments), twice (before and after), and a user's change
# runs on the window's thread; past this the counts are made again on a worker instead.
STEP_MAX = 8


@dataclass(frozen=True)
class _Moving:
    """A kept watchlist count on its way to the write's generation: `rest` is the count less
    the touched records that matched before the write."""

    query: Query
    key: str
    rest: int


class CountSteps:
    """The kept watchlist counts one write moves: `before` its first change, with the
    existing records it may change, then `after` it has moved the store's generation, both in
    its transaction. With `created_after`, the records the write creates (every id above it;
    a record a refresh creates has no note) are added too. A write that `moves` only the read
    marks and stars leaves alone the counts that do not read them (their generation holds)."""

    def __init__(
        self, db: Database, now: datetime, created_after: int | None = None, moves: Moves = "content"
    ) -> None:
        self.db = db
        self.now = now
        self.created_after = created_after
        self.moves = moves
        self._ids: tuple[int, ...] = ()
        self._moving: list[_Moving] = []

    def before(self, ids: tuple[int, ...]) -> None:
        """Take off each kept watchlist count the matches among `ids`, as they are now."""
        self._ids = ids
        if len(ids) > STEP_MAX:
            return
        conn = self.db.conn
        for w in watchlists(self.db):
            q = watchlist_query(w)
            if self.moves != "content" and not reads_marks(q):
                continue
            terms = search_terms(q.search)  # whole words (watchlist_query): nothing to expand
            key = _key(q, terms, self.now)
            number = kept_counts.kept(conn, key, kept_counts.generation(conn, reads_marks(q)))
            if number is not None:
                self._moving.append(_Moving(q, key, number - _matching(conn, q, terms, self.now, ids)))

    def after(self) -> int:
        """Add the matches among the same records (and the created ones) as they are now, and
        keep each count for the store's generation; how many counts were moved."""
        conn = self.db.conn
        rows = []
        for m in self._moving:
            terms = search_terms(m.query.search)
            number = m.rest + _matching(conn, m.query, terms, self.now, self._ids)
            if self.created_after is not None:
                number += _created(conn, m.query, terms, self.now, self.created_after)
            rows.append((m.key, kept_counts.generation(conn, reads_marks(m.query)), number))
        kept_counts.put(conn, rows)
        self._moving.clear()
        return len(rows)


def _key(q: Query, terms: SearchTerms, now: datetime) -> str:
    return kept_counts.key_of(*count_query(q, now, terms))


def _matching(
    conn: sqlite3.Connection, q: Query, terms: SearchTerms, now: datetime, ids: tuple[int, ...]
) -> int:
    """How many of the records `ids` `q` selects, each tested on its own."""
    if not ids:
        return 0
    where, params = where_clause(q, now, walk=True, terms=terms, test_text=True)
    sql = f"SELECT count(*) FROM records r WHERE r.id IN (SELECT value FROM json_each(:step_ids)) AND {where}"
    return int(conn.execute(sql, {**params, "step_ids": json.dumps(ids)}).fetchone()[0])


def _created(conn: sqlite3.Connection, q: Query, terms: SearchTerms, now: datetime, after_id: int) -> int:
    """How many of the records with ids above `after_id` (new, so without a note: their text
    alone decides) `q` selects; the search index lists its matches from that id on only."""
    where, params = where_clause(replace(q, search=""), now, walk=True)
    params = {**params, "step_after": after_id}
    if terms.words:
        where += (
            " AND r.id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH :step_text"
            " AND rowid > :step_after)"
        )
        params["step_text"] = fts_text(terms)
    sql = f"SELECT count(*) FROM records r WHERE r.id > :step_after AND {where}"
    return int(conn.execute(sql, params).fetchone()[0])
