"""What one user action changed in the user columns, recorded by SQLite itself, and undoing it.

While a `recording` is open, temporary triggers (of this connection only, so a refresh in
another thread is never logged) keep the first old value of every record whose user columns
an UPDATE touched, and the id of every record inserted. That catches everything the action did,
side effects included (a read mark set by showing the next record), and nothing else. The
old rows of tags it renamed, recoloured or deleted, and the tag settings of watchlists it
changed (a tag renamed, db/tag_admin.py), are kept the same way and put back first.

The record of a change is made by SQLite, not walked in Python: when the block ends, one query
writes it as JSON texts (`json_group_array`) of [id, values before, values after] per record,
one text per PIECE_RECORDS ids, and Undo reads them back into a temporary table (`json_each`)
and puts the values back with a few set-based UPDATEs. A change to 100,000 records is then a
few strings in memory, not a million Python objects: building those held the interpreter long
enough (its garbage collector walks them) to stall the window's thread while a worker did it.
The pieces bound the rest: turning one text of a million records (about 100 MB) between SQLite
and Python is a single call that holds the interpreter for a few hundred milliseconds, which
the window's thread waited out; a piece of 10,000 records takes about 3 ms.

Undo restores a column only while it still holds what the action left: a value the user has
changed since (a note typed later) is kept and counted, never overwritten. A record the action
created is deleted only while its user columns are as the action left them. Undo runs in the
caller's write transaction: a crash half-way leaves every record as it was before the Undo.
"""

from __future__ import annotations

import bisect
import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from db import userdata

USER_COLUMNS: tuple[str, ...] = (
    "note", "note_updated_at", "status", "starred", "read_at", "tags_text", "followed",
)  # fmt: skip
# what undo compares and restores together: the note's time goes with the note
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("note", "note_updated_at"), ("status",), ("starred",), ("read_at",), ("followed",),
)  # fmt: skip


PIECE_RECORDS = 10_000  # records per JSON text of a change: a few milliseconds to hand over


@dataclass
class UserChange:
    """What an action changed, as SQLite wrote it: `changed` holds [id, the USER_COLUMNS before,
    the USER_COLUMNS after] for each record it changed, `created` [id, the USER_COLUMNS after]
    for each record it made (JSON arrays, one per PIECE_RECORDS records); their ids are listed
    apart, in order, for the callers that ask which records an Undo touches."""

    changed: tuple[str, ...] = ()
    created: tuple[str, ...] = ()
    changed_ids: tuple[int, ...] = ()
    new_ids: tuple[int, ...] = ()
    tags_before: tuple[tuple[int, str, str | None], ...] = ()  # (id, name, colour) of tags changed
    watchlist_tags_before: tuple[tuple[int, str | None, str | None], ...] = ()  # (id, tag, auto_tag)

    def __bool__(self) -> bool:
        return bool(self.changed_ids or self.new_ids or self.tags_before or self.watchlist_tags_before)

    def __len__(self) -> int:
        return len(self.changed_ids) + len(self.new_ids)

    def touches(self, record_id: int) -> bool:
        """Whether Undo puts record `record_id` back (or removes it): a binary search, never a
        walk over a million ids on the window's thread."""
        return any(_holds(ids, record_id) for ids in (self.changed_ids, self.new_ids))


def _holds(ordered: tuple[int, ...], wanted: int) -> bool:
    at = bisect.bisect_left(ordered, wanted)
    return at < len(ordered) and ordered[at] == wanted


@dataclass(frozen=True)
class UndoResult:
    """Records put back, records created by the action and removed, and records (or columns)
    left alone because they were changed again since."""

    restored: int = 0
    removed: int = 0
    kept: int = 0


_COLUMNS_SQL = ", ".join(USER_COLUMNS)
_BEFORE = [f"b_{c}" for c in USER_COLUMNS]
_AFTER = [f"a_{c}" for c in USER_COLUMNS]


def _json_row(*prefixes: str) -> str:
    """`json_array(b.id, <prefix>.note, …)` over the user columns of each table alias."""
    values = [f"{prefix}.{c}" for prefix in prefixes for c in USER_COLUMNS]
    return f"json_array(b.id, {', '.join(values)})"


@contextlib.contextmanager
def recording(db: Database) -> Iterator[UserChange]:
    """Log what the block changes; the yielded UserChange is filled when the block ends."""
    conn = db.conn
    old = ", ".join(f"old.{c}" for c in USER_COLUMNS)
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS undo_before (id INTEGER PRIMARY KEY, {_COLUMNS_SQL})")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS undo_new (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.undo_before")
    conn.execute("DELETE FROM temp.undo_new")
    conn.execute(
        f"CREATE TEMP TRIGGER IF NOT EXISTS undo_log_update AFTER UPDATE OF {_COLUMNS_SQL} ON main.records"
        f" BEGIN INSERT OR IGNORE INTO undo_before VALUES (old.id, {old}); END"
    )
    conn.execute(
        "CREATE TEMP TRIGGER IF NOT EXISTS undo_log_insert AFTER INSERT ON main.records"
        " BEGIN INSERT OR IGNORE INTO undo_new VALUES (new.id); END"
    )
    _log_tables(conn)
    change = UserChange()
    try:
        yield change
        change.tags_before = tuple(conn.execute("SELECT id, name, colour FROM temp.undo_tags ORDER BY id"))
        change.watchlist_tags_before = tuple(
            conn.execute("SELECT id, tag, auto_tag FROM temp.undo_watchlists ORDER BY id")
        )
        same = " AND ".join(f"b.{c} IS r.{c}" for c in USER_COLUMNS)
        # Left out: records the action made (they are `created`), and records back as they were.
        kept = (
            "FROM temp.undo_before b JOIN main.records r ON r.id = b.id"
            f" WHERE b.id NOT IN (SELECT id FROM temp.undo_new) AND NOT ({same})"
        )
        made = "FROM temp.undo_new b JOIN main.records r ON r.id = b.id"
        change.changed = _pieces(conn, _json_row("b", "r"), kept)
        change.created = _pieces(conn, _json_row("r"), made)
        change.changed_ids = tuple(row[0] for row in conn.execute(f"SELECT b.id {kept} ORDER BY b.id"))
        change.new_ids = tuple(row[0] for row in conn.execute(f"SELECT b.id {made} ORDER BY b.id"))
    finally:
        conn.execute("DROP TRIGGER IF EXISTS temp.undo_log_update")
        conn.execute("DROP TRIGGER IF EXISTS temp.undo_log_insert")
        conn.execute("DELETE FROM temp.undo_before")
        conn.execute("DELETE FROM temp.undo_new")
        _stop_logging_tables(conn)


def _pieces(conn: sqlite3.Connection, row: str, rows_from: str) -> tuple[str, ...]:
    """The JSON texts of `row` over `rows_from` (which names the log `b`), PIECE_RECORDS ids each."""
    return tuple(
        str(text)
        for (text,) in conn.execute(
            f"SELECT json_group_array({row}) {rows_from}"
            f" GROUP BY b.id / {PIECE_RECORDS} ORDER BY b.id / {PIECE_RECORDS}"
        )
    )


_TABLE_LOGS = (
    # (log, what it keeps, trigger, event)
    ("undo_tags", "id INTEGER PRIMARY KEY, name, colour", "undo_log_tag_update", "UPDATE ON main.tags"),
    ("undo_tags", "id INTEGER PRIMARY KEY, name, colour", "undo_log_tag_delete", "DELETE ON main.tags"),
    (
        "undo_watchlists",
        "id INTEGER PRIMARY KEY, tag, auto_tag",
        "undo_log_watchlist_tags",
        "UPDATE OF tag, auto_tag ON main.watchlists",
    ),
)


def _log_tables(conn: sqlite3.Connection) -> None:
    """Keep the first old row of each tag (and each watchlist's tag settings) the block changes."""
    for log, columns, trigger, event in _TABLE_LOGS:
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {log} ({columns})")
        conn.execute(f"DELETE FROM temp.{log}")
        values = ", ".join(f"old.{c.split()[0]}" for c in columns.split(", "))
        conn.execute(
            f"CREATE TEMP TRIGGER IF NOT EXISTS {trigger} AFTER {event}"
            f" BEGIN INSERT OR IGNORE INTO {log} VALUES ({values}); END"
        )


def _stop_logging_tables(conn: sqlite3.Connection) -> None:
    for log, _columns, trigger, _event in _TABLE_LOGS:
        conn.execute(f"DROP TRIGGER IF EXISTS temp.{trigger}")
        conn.execute(f"DELETE FROM temp.{log}")


def _restore_tables(db: Database, change: UserChange) -> None:
    """Put the old tag rows back (a deleted tag again, with its id and colour; a renamed one
    its old name) before the records' tags, which find them by name. A name another tag has
    taken since is left to that tag."""
    for tag_id, name, colour in change.tags_before:
        taken = db.conn.execute("SELECT id FROM tags WHERE name = ? AND id != ?", (name, tag_id)).fetchone()
        if taken is not None:
            continue
        db.conn.execute(
            "INSERT INTO tags (id, name, colour) VALUES (?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET name = excluded.name, colour = excluded.colour",
            (tag_id, name, colour),
        )
    db.conn.executemany(
        "UPDATE watchlists SET tag = ?, auto_tag = ? WHERE id = ?",
        [(tag, auto_tag, watchlist_id) for watchlist_id, tag, auto_tag in change.watchlist_tags_before],
    )


def _unpacked(db: Database, table: str, names: list[str], pieces: tuple[str, ...]) -> None:
    """Fill temp.`table` (id, *names) from JSON arrays of [id, *values] rows."""
    conn = db.conn
    conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
    conn.execute(
        f"CREATE TEMP TABLE {table} (id INTEGER PRIMARY KEY, {', '.join(names)},"
        " todo INTEGER NOT NULL DEFAULT 0, wrote INTEGER NOT NULL DEFAULT 0,"
        " skipped INTEGER NOT NULL DEFAULT 0)"
    )
    values = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(len(names) + 1))
    for piece in pieces:
        conn.execute(
            f"INSERT INTO temp.{table} (id, {', '.join(names)}) SELECT {values} FROM json_each(?)", (piece,)
        )


def _same(left: str, right: str, columns: tuple[str, ...]) -> str:
    return " AND ".join(f"{left.format(c)} IS {right.format(c)}" for c in columns)


def _touched(db: Database, group: tuple[str, ...]) -> bool:
    """Whether the action changed `group` in any record (a scan of the log, cheaper than
    working out what to put back in each of its records)."""
    found = db.conn.execute(
        f"SELECT EXISTS (SELECT 1 FROM temp.undo_rows u WHERE NOT ({_same('u.a_{}', 'u.b_{}', group)}))"
    ).fetchone()[0]
    return bool(found)


def _restore_tags(db: Database) -> None:
    """Give each record to put back (todo 1) the tags of its old `tags_text`, as
    `userdata.set_tags` would, set-based: each distinct old text (a handful, however many
    records) is split, its tags found or made and its text written once, in temporary tables
    that three statements join to the records."""
    conn = db.conn
    conn.execute("CREATE TEMP TABLE undo_tag_texts (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    conn.execute("CREATE TEMP TABLE undo_tag_links (old TEXT NOT NULL, tag_id INTEGER NOT NULL)")
    try:
        for (old,) in conn.execute(
            "SELECT DISTINCT b_tags_text FROM temp.undo_rows WHERE todo = 1"
        ).fetchall():
            wanted: dict[str, str] = {}
            for name in str(old or "").split(userdata.TAG_SEPARATOR):
                if name.strip():
                    cleaned = userdata.clean_tag(name)
                    wanted.setdefault(cleaned.casefold(), cleaned)
            tag_ids = [userdata.tag_id(db, name) for name in wanted.values()]
            conn.executemany("INSERT INTO temp.undo_tag_links VALUES (?, ?)", [(old, t) for t in tag_ids])
            stored = [
                str(conn.execute("SELECT name FROM tags WHERE id = ?", (t,)).fetchone()[0]) for t in tag_ids
            ]
            conn.execute("INSERT INTO temp.undo_tag_texts VALUES (?, ?)", (old, userdata.tags_text(stored)))
        chosen = "SELECT id FROM temp.undo_rows WHERE todo = 1"
        conn.execute(f"DELETE FROM record_tags WHERE record_id IN ({chosen})")
        conn.execute(
            "INSERT OR IGNORE INTO record_tags (record_id, tag_id) SELECT u.id, l.tag_id"
            " FROM temp.undo_rows u JOIN temp.undo_tag_links l ON l.old = u.b_tags_text WHERE u.todo = 1"
        )
        conn.execute(
            "UPDATE main.records AS r SET tags_text = t.new"
            " FROM temp.undo_rows AS u JOIN temp.undo_tag_texts AS t ON t.old = u.b_tags_text"
            " WHERE u.id = r.id AND u.todo = 1 AND r.tags_text IS NOT t.new"
        )
    finally:
        conn.execute("DROP TABLE temp.undo_tag_texts")
        conn.execute("DROP TABLE temp.undo_tag_links")


# The records the last `undo` put back or removed, as a query of this connection (until `forget`):
# the user-work file follows them without their ids becoming Python objects.
TOUCHED_IDS = "SELECT id FROM temp.undo_rows UNION ALL SELECT id FROM temp.undo_made"


def undo(db: Database, change: UserChange) -> UndoResult:
    """Put back what `change` did; the caller holds the write transaction, then reads
    TOUCHED_IDS if it wants them, then calls `forget`."""
    conn = db.conn
    _restore_tables(db, change)
    _unpacked(db, "undo_rows", [*_BEFORE, *_AFTER], change.changed)
    conn.execute("DELETE FROM temp.undo_rows WHERE id NOT IN (SELECT id FROM main.records)")  # deleted since
    for group in (*_GROUPS, ("tags_text",)):
        if not _touched(db, group):
            continue  # a star of a million records has nothing to look at for the notes
        # todo: 1 = still as the action left it (put back), 2 = changed again since (kept)
        todo = (
            "CASE"
            f" WHEN ({_same('u.a_{}', 'u.b_{}', group)}) OR ({_same('r.{}', 'u.b_{}', group)}) THEN 0"
            f" WHEN {_same('r.{}', 'u.a_{}', group)} THEN 1 ELSE 2 END"
        )
        conn.execute(
            f"UPDATE temp.undo_rows AS u SET todo = {todo}, wrote = max(wrote, {todo} = 1),"
            f" skipped = max(skipped, {todo} = 2) FROM main.records AS r WHERE r.id = u.id"
        )
        if group == ("tags_text",):  # the tags are rows of their own
            _restore_tags(db)
            continue
        assignments = ", ".join(f"{c} = u.b_{c}" for c in group)
        conn.execute(
            f"UPDATE main.records AS r SET {assignments}"
            " FROM temp.undo_rows AS u WHERE u.id = r.id AND u.todo = 1"
        )
    restored, kept = conn.execute(
        "SELECT coalesce(sum(wrote), 0), coalesce(sum(skipped), 0) FROM temp.undo_rows"
    ).fetchone()
    _unpacked(db, "undo_made", _AFTER, change.created)
    conn.execute(
        "UPDATE temp.undo_made AS u SET todo = CASE WHEN"
        f" {_same('r.{}', 'u.a_{}', USER_COLUMNS)} THEN 1 ELSE 2 END FROM main.records AS r WHERE r.id = u.id"
    )
    removed, worked_on = conn.execute(
        "SELECT coalesce(sum(todo = 1), 0), coalesce(sum(todo = 2), 0) FROM temp.undo_made"
    ).fetchone()
    conn.execute("DELETE FROM main.records WHERE id IN (SELECT id FROM temp.undo_made WHERE todo = 1)")
    return UndoResult(int(restored), int(removed), int(kept) + int(worked_on))


def forget(conn: sqlite3.Connection) -> None:
    """Drop what the last `undo` kept for TOUCHED_IDS."""
    conn.execute("DROP TABLE IF EXISTS temp.undo_rows")
    conn.execute("DROP TABLE IF EXISTS temp.undo_made")
