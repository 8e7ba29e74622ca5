"""Changing many records at once through the query that lists them, not through their ids.

A "select all" of 97,000 rows is the query's own predicate: one `INSERT … SELECT` lists the
chosen records in a temporary table of this connection, in SQL, and the change is then written
in chunks of that list so that the caller can show progress. Nothing of the selection travels
through Python as ids, so there is no limit on its size.

The window shows a query's records as of when it counted them. If the query now selects a
different number of records (a refresh came in between, a deadline passed), the selection is
no longer what the user saw: the change is refused and nothing is written, rather than
touching records the user never saw. Runs inside the caller's write transaction, so it is all
or nothing, and a `Store.recording` around it records it for undo like any other change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from db import userdata
from db.errors import StoreError
from db.queries import Query, order_clause, where_clause
from db.search import SearchTerms

CHUNK_ROWS = 10_000  # records written between two progress reports
_LIST_NAME = "bulk_selection"
_LIST = f"temp.{_LIST_NAME}"
LISTED_IDS = f"SELECT id FROM {_LIST}"  # the records `select` listed, for the user-work file

Progress = Callable[[int, int], None]  # (records done, records in the selection)


@dataclass(frozen=True)
class Selection:
    """The records of `query` the user selected: every one (no `ranges`) or runs of rows,
    (first row, number of rows) in the query's order. `shown` is how many records the
    window showed for the query when the user selected them."""

    query: Query
    shown: int
    ranges: tuple[tuple[int, int], ...] = ()


def select(db: Database, selection: Selection, now: datetime, terms: SearchTerms) -> int:
    """List the selection's records in the temporary table; returns how many it holds.
    Raises StoreError, listing nothing, when the query no longer selects `shown` records."""
    conn = db.conn
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_LIST_NAME} (n INTEGER PRIMARY KEY, id INTEGER UNIQUE)")
    conn.execute(f"DELETE FROM {_LIST}")
    where, params = where_clause(selection.query, now, terms=terms)
    matching = f"SELECT r.id FROM records r WHERE {where}"
    if selection.ranges:
        total = int(conn.execute(f"SELECT count(*) FROM ({matching})", params).fetchone()[0])
        _refuse_if_moved(selection, total)
        order = order_clause(selection.query)
        for first, rows in selection.ranges:
            if first < 0 or rows < 0:
                raise StoreError(f"A selection cannot start at row {first} or hold {rows} rows.")
            conn.execute(
                f"INSERT OR IGNORE INTO {_LIST} (id) {matching} ORDER BY {order} LIMIT :rows OFFSET :first",
                {**params, "rows": rows, "first": first},
            )
        return int(conn.execute(f"SELECT count(*) FROM {_LIST}").fetchone()[0])
    conn.execute(f"INSERT INTO {_LIST} (id) {matching} ORDER BY r.id", params)
    total = int(conn.execute(f"SELECT count(*) FROM {_LIST}").fetchone()[0])
    _refuse_if_moved(selection, total)
    return total


@dataclass(frozen=True)
class Summary:
    """What a multiple selection holds: how many records, how many starred and unread, the
    earliest deadline still to come, and the budgets summed per currency (largest first)."""

    records: int
    starred: int
    unread: int
    next_deadline: str | None
    budgets: tuple[tuple[str, float, int], ...]  # (currency, total, records with a budget)


def summary(db: Database, now: str) -> Summary:
    """Sum up the listed records (after `select`), in SQL, whatever their number."""
    records, starred, unread, deadline = db.conn.execute(
        "SELECT count(*), coalesce(sum(r.starred), 0), coalesce(sum(r.read_at IS NULL), 0),"
        " min(CASE WHEN r.deadline_at >= :now THEN r.deadline_at END)"
        f" FROM {_LIST} b JOIN records r ON r.id = b.id",
        {"now": now},
    ).fetchone()
    budgets = db.conn.execute(
        "SELECT upper(coalesce(r.budget_currency, '')), sum(r.budget_amount), count(*)"
        f" FROM {_LIST} b JOIN records r ON r.id = b.id"
        " WHERE typeof(r.budget_amount) IN ('integer', 'real')"
        " GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    return Summary(
        records=int(records),
        starred=int(starred),
        unread=int(unread),
        next_deadline=str(deadline) if deadline is not None else None,
        budgets=tuple((str(c), float(total), int(n)) for c, total, n in budgets),
    )


def _refuse_if_moved(selection: Selection, total: int) -> None:
    if total != selection.shown:
        raise StoreError(
            f"The list changed since it was shown ({selection.shown:,} records then, {total:,} now):"
            " nothing was changed. Select the records again."
        )


def clear(db: Database) -> None:
    """Drop the list (the transaction that used it has ended, committed or not)."""
    db.conn.execute(f"DROP TABLE IF EXISTS {_LIST}")


def _chunks(db: Database, progress: Progress | None) -> Any:
    """(first n, last n) of each chunk of the listed records, reporting progress after each."""
    total = int(db.conn.execute(f"SELECT count(*) FROM {_LIST}").fetchone()[0])
    top = int(db.conn.execute(f"SELECT coalesce(max(n), 0) FROM {_LIST}").fetchone()[0])
    done = 0
    for first in range(1, top + 1, CHUNK_ROWS):
        last = first + CHUNK_ROWS - 1
        yield first, last
        done = min(total, done + CHUNK_ROWS)
        if progress is not None:
            progress(done, total)


def _set_column(db: Database, column: str, value: object, progress: Progress | None) -> int:
    changed = 0
    for first, last in _chunks(db, progress):
        cursor = db.conn.execute(
            f"UPDATE records SET {column} = :value WHERE id IN"
            f" (SELECT id FROM {_LIST} WHERE n BETWEEN :first AND :last) AND {column} IS NOT :value",
            {"value": value, "first": first, "last": last},
        )
        changed += cursor.rowcount
    return changed


def set_status(db: Database, status: str, progress: Progress | None = None) -> int:
    """Give every listed record `status`; returns how many changed."""
    return _set_column(db, "status", userdata.check_status(status), progress)


def set_starred(db: Database, starred: bool, progress: Progress | None = None) -> int:
    return _set_column(db, "starred", 1 if starred else 0, progress)


def mark_read(db: Database, read_at: str | None, progress: Progress | None = None) -> int:
    """Mark every listed record read at `read_at` (None: unread); returns how many changed.
    A record already read keeps the time it was first read: "Mark all as read" must not move
    an earlier read mark, which "Changed since last look" compares with."""
    if read_at is None:
        return _set_column(db, "read_at", None, progress)
    changed = 0
    for first, last in _chunks(db, progress):
        cursor = db.conn.execute(
            "UPDATE records SET read_at = :read_at WHERE id IN"
            f" (SELECT id FROM {_LIST} WHERE n BETWEEN :first AND :last) AND read_at IS NULL",
            {"read_at": read_at, "first": first, "last": last},
        )
        changed += cursor.rowcount
    return changed


def add_tag(db: Database, name: str, progress: Progress | None = None) -> int:
    """Tag every listed record `name`; returns how many records gained it. Their `tags_text`
    is the old one with the tag's stored spelling added, in `userdata.tags_text`'s order,
    worked out once per distinct old text (a handful, however many records) and written by
    one set-based UPDATE per chunk: no record's row goes through Python."""
    conn = db.conn
    tag = userdata.tag_id(db, userdata.clean_tag(name))
    spelling = str(conn.execute("SELECT name FROM tags WHERE id = ?", (tag,)).fetchone()[0])
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS bulk_retext (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    conn.execute("DELETE FROM temp.bulk_retext")
    tagged = 0
    for first, last in _chunks(db, progress):
        chunk = {"first": first, "last": last, "tag": tag}
        untagged = (
            f"SELECT b.id FROM {_LIST} b WHERE b.n BETWEEN :first AND :last AND NOT EXISTS"
            " (SELECT 1 FROM record_tags WHERE record_id = b.id AND tag_id = :tag)"
        )
        texts = conn.execute(
            f"SELECT DISTINCT tags_text FROM records WHERE id IN ({untagged})"
            " AND tags_text NOT IN (SELECT old FROM temp.bulk_retext)",
            chunk,
        ).fetchall()
        conn.executemany(
            "INSERT INTO temp.bulk_retext (old, new) VALUES (?, ?)",
            [
                (text, userdata.tags_text([*filter(None, str(text).split(userdata.TAG_SEPARATOR)), spelling]))
                for (text,) in texts
            ],
        )
        conn.execute(
            "UPDATE records SET tags_text = t.new FROM temp.bulk_retext t"
            f" WHERE t.old = records.tags_text AND records.id IN ({untagged})",
            chunk,
        )
        tagged += conn.execute(
            f"INSERT INTO record_tags (record_id, tag_id) SELECT id, :tag FROM ({untagged})", chunk
        ).rowcount
    conn.execute("DROP TABLE temp.bulk_retext")
    return tagged
