"""What one user action changed in the user columns, recorded by SQLite itself, and undoing it.

While a `recording` is open, temporary triggers (of this connection only, so a refresh in
another thread is never logged) keep the first old value of every record whose user columns
an UPDATE touched, and the id of every record inserted. That catches everything the action did,
side effects included (a read mark set by showing the next record), and nothing else. The
old rows of tags it renamed, recoloured or deleted, and the tag settings of watchlists it
changed (a tag renamed, db/tag_admin.py), are kept the same way and put back first.

Undo restores a column only while it still holds what the action left: a value the user has
changed since (a note typed later) is kept and counted, never overwritten. A record the action
created is deleted only while its user columns are as the action left them.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlite_utils import Database

from db import userdata
from db.rows import chunked, marks

USER_COLUMNS: tuple[str, ...] = (
    "note", "note_updated_at", "status", "starred", "read_at", "tags_text", "followed",
)  # fmt: skip
# what undo compares and restores together: the note's time goes with the note
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("note", "note_updated_at"), ("status",), ("starred",), ("read_at",), ("followed",),
)  # fmt: skip

UserValues = tuple[object, ...]  # one record's USER_COLUMNS, in that order


@dataclass
class UserChange:
    """Before and after values of each changed record, and the ids of records created."""

    before: dict[int, UserValues] = field(default_factory=dict)
    after: dict[int, UserValues] = field(default_factory=dict)
    new_ids: tuple[int, ...] = ()
    tags_before: tuple[tuple[int, str, str | None], ...] = ()  # (id, name, colour) of tags changed
    watchlist_tags_before: tuple[tuple[int, str | None, str | None], ...] = ()  # (id, tag, auto_tag)

    def __bool__(self) -> bool:
        return bool(self.before or self.new_ids or self.tags_before or self.watchlist_tags_before)

    @property
    def record_ids(self) -> list[int]:
        return [*self.before, *self.new_ids]


@dataclass(frozen=True)
class UndoResult:
    """Records put back, records created by the action and removed, and records (or columns)
    left alone because they were changed again since."""

    restored: int = 0
    removed: int = 0
    kept: int = 0


_COLUMNS_SQL = ", ".join(USER_COLUMNS)


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
        before = {int(row[0]): tuple(row[1:]) for row in conn.execute("SELECT * FROM temp.undo_before")}
        new_ids = tuple(int(row[0]) for row in conn.execute("SELECT id FROM temp.undo_new ORDER BY id"))
        after = user_values(db, [*before, *new_ids])
        change.before = {i: v for i, v in before.items() if i not in new_ids and after.get(i) != v}
        change.new_ids = tuple(i for i in new_ids if i in after)
        change.after = {i: after[i] for i in change.record_ids}
    finally:
        conn.execute("DROP TRIGGER IF EXISTS temp.undo_log_update")
        conn.execute("DROP TRIGGER IF EXISTS temp.undo_log_insert")
        conn.execute("DELETE FROM temp.undo_before")
        conn.execute("DELETE FROM temp.undo_new")
        _stop_logging_tables(conn)


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


def user_values(db: Database, ids: list[int]) -> dict[int, UserValues]:
    values: dict[int, UserValues] = {}
    for part in chunked(ids):
        for row in db.conn.execute(
            f"SELECT id, {_COLUMNS_SQL} FROM records WHERE id IN ({marks(len(part))})", list(part)
        ):
            values[int(row[0])] = tuple(row[1:])
    return values


def undo(db: Database, change: UserChange) -> UndoResult:
    """Put back what `change` did; the caller holds the write transaction."""
    _restore_tables(db, change)
    now = user_values(db, change.record_ids)
    restored = kept = 0
    index = {name: i for i, name in enumerate(USER_COLUMNS)}
    for record_id, before in change.before.items():
        current, after = now.get(record_id), change.after[record_id]
        if current is None:
            continue  # deleted since: nothing to put back
        wrote = skipped = False
        for group in _GROUPS:
            at = [index[c] for c in group]
            old = [before[i] for i in at]
            if [after[i] for i in at] == old or [current[i] for i in at] == old:
                continue  # not the action's change, or already back
            if [current[i] for i in at] != [after[i] for i in at]:
                skipped = True
                continue
            assignments = ", ".join(f"{c} = ?" for c in group)
            db.conn.execute(f"UPDATE records SET {assignments} WHERE id = ?", [*old, record_id])
            wrote = True
        tags = index["tags_text"]
        if before[tags] != after[tags] and current[tags] != before[tags]:
            if current[tags] == after[tags]:
                names = str(before[tags] or "").split(userdata.TAG_SEPARATOR)
                userdata.set_tags(db, record_id, [n for n in names if n])
                wrote = True
            else:
                skipped = True
        restored += wrote
        kept += skipped
    removable = []
    for record_id in change.new_ids:
        current = now.get(record_id)
        if current is None:
            continue
        if current != change.after[record_id]:
            kept += 1  # the user has worked on it since: keep it
        else:
            removable.append(record_id)
    for part in chunked(removable):
        db.conn.execute(f"DELETE FROM records WHERE id IN ({marks(len(part))})", list(part))
    return UndoResult(restored, len(removable), kept)
