"""What the user adds to records: notes, status, stars, follows, read marks and tags.

These are the only functions (with CSV import, which calls them) that write the user columns.
Each runs inside the caller's write transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from db.errors import StoreError
from db.rows import chunked, marks
from db.schema import STATUSES

logger = logging.getLogger(__name__)

TAG_SEPARATOR = "; "  # in tags_text and in CSV cells, hence no ";" inside a tag name


def _require_record(db: Database, record_id: int) -> None:
    if db.conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone() is None:
        raise StoreError(f"Record {record_id} no longer exists.")


def set_note(db: Database, record_id: int, text: str | None, now: str) -> bool:
    """Store the note as typed (an empty one clears it); returns False when it was unchanged,
    so saving as the user types does not rewrite the row and its search index each time."""
    note = text if text else None
    cursor = db.conn.execute(
        "UPDATE records SET note = ?, note_updated_at = ? WHERE id = ? AND note IS NOT ?",
        (note, now, record_id, note),
    )
    if cursor.rowcount == 0:
        _require_record(db, record_id)
        return False
    return True


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r} (one of: {', '.join(STATUSES)})")
    return status


def _update_many(db: Database, assignment: str, value: object, ids: Sequence[int]) -> int:
    changed = 0
    for part in chunked(ids):
        cursor = db.conn.execute(
            f"UPDATE records SET {assignment} WHERE id IN ({marks(len(part))})", [value, *part]
        )
        changed += cursor.rowcount
    return changed


def set_status(db: Database, ids: Sequence[int], status: str) -> int:
    return _update_many(db, "status = ?", check_status(status), ids)


def set_starred(db: Database, ids: Sequence[int], starred: bool) -> int:
    return _update_many(db, "starred = ?", 1 if starred else 0, ids)


def set_followed(db: Database, ids: Sequence[int], followed: bool) -> int:
    return _update_many(db, "followed = ?", 1 if followed else 0, ids)


def mark_read(db: Database, ids: Sequence[int], read_at: str | None) -> int:
    return _update_many(db, "read_at = ?", read_at, ids)


def clean_tag(name: str) -> str:
    """A tag name with its spaces folded; refuses names that could not round-trip through the
    "a; b" form used in the tags column and in CSV."""
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise ValueError("a tag needs a name")
    if ";" in cleaned:
        raise ValueError(f"a tag name cannot contain ';' ({cleaned!r})")
    return cleaned


def tag_id(db: Database, name: str) -> int:
    """The id of the tag called `name` (any case), created with this spelling if new."""
    row = db.conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
    if row:
        return int(row[0])
    cursor = db.conn.execute("INSERT INTO tags (name) VALUES (?)", (name,))
    return int(cursor.lastrowid or 0)


def tags_text(names: Iterable[str]) -> str:
    """The denormalised `tags_text` of a record with these tags ("a; b", case-insensitive
    order) that the tracker sorts and displays without a join."""
    return TAG_SEPARATOR.join(sorted(names, key=lambda n: (n.casefold(), n)))


def refresh_tags_text(db: Database, ids: Iterable[int]) -> None:
    """Recompute `tags_text` from the records' tag links."""
    for record_id in ids:
        names = [
            row[0]
            for row in db.conn.execute(
                "SELECT t.name FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_id = ?",
                (record_id,),
            )
        ]
        text = tags_text(names)
        db.conn.execute(
            "UPDATE records SET tags_text = ? WHERE id = ? AND tags_text IS NOT ?",
            (text, record_id, text),
        )


def set_tags(db: Database, record_id: int, names: Iterable[str]) -> None:
    """Replace the record's tags."""
    _require_record(db, record_id)
    wanted: dict[str, str] = {}
    for name in names:
        if str(name).strip():
            cleaned = clean_tag(name)
            wanted.setdefault(cleaned.casefold(), cleaned)
    db.conn.execute("DELETE FROM record_tags WHERE record_id = ?", (record_id,))
    for name in wanted.values():
        db.conn.execute(
            "INSERT OR IGNORE INTO record_tags (record_id, tag_id) VALUES (?, ?)",
            (record_id, tag_id(db, name)),
        )
    refresh_tags_text(db, [record_id])


def add_tag(db: Database, ids: Sequence[int], name: str) -> None:
    tag = tag_id(db, clean_tag(name))
    for part in chunked(ids):
        db.conn.execute(
            "INSERT OR IGNORE INTO record_tags (record_id, tag_id)"
            f" SELECT id, ? FROM records WHERE id IN ({marks(len(part))})",
            [tag, *part],
        )
    refresh_tags_text(db, ids)


def remove_tag(db: Database, ids: Sequence[int], name: str) -> None:
    """Untag the records; the tag itself stays (with its colour) until deleted."""
    row = db.conn.execute("SELECT id FROM tags WHERE name = ?", (clean_tag(name),)).fetchone()
    if row is None:
        return
    for part in chunked(ids):
        db.conn.execute(
            f"DELETE FROM record_tags WHERE tag_id = ? AND record_id IN ({marks(len(part))})",
            [row[0], *part],
        )
    refresh_tags_text(db, ids)
