"""The tags themselves: every tag with its count and colour, renaming, merging, deleting.

Tags are the user's work, so none goes by accident: renaming onto a name another tag already
has (in any case, the `tags` table's NOCASE rule) is a merge, and the caller asks first with
`plan_rename`'s counts; a delete is asked with `tag_list`'s count. Each change runs inside the
caller's write transaction as a few set-based statements, whatever the number of records:
the tag links move in one `INSERT … SELECT`, and each record's `tags_text` is rewritten by one
`UPDATE … FROM` through a map of its old text to the new one (records with the same tags share
a text, so the map holds one row per combination of tags, not one per record). A
`Store.recording` around the change records it for Undo (db/undo.py keeps the old tag rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from db import userdata
from db.errors import StoreError
from db.safe_text import shown

# The colours a tag may have, by name: each theme gives every name a shade readable on it
# (desktop/ui/tag_colours.py), so the store holds the name, never a screen colour.
TAG_COLOURS = ("red", "orange", "yellow", "green", "teal", "blue", "purple", "pink", "grey")
MAX_TAG_CHARS = 60  # a tag is a label on a chip and in the sidebar, not a sentence
_CONTROL = {*range(0x00, 0x20), *range(0x7F, 0xA0)}
_MAP = "temp.tag_retext"


@dataclass(frozen=True)
class TagInfo:
    """One tag as the Tags dialog lists it."""

    name: str
    colour: str | None  # one of TAG_COLOURS, or None
    records: int


@dataclass(frozen=True)
class RenamePlan:
    """What renaming `old` to `new` would do: `merge` when another tag already has the name
    (`new` is then that tag's spelling), `records` tagged `old`, `both` already carrying the
    other tag too (they end with one tag, not two)."""

    old: str
    new: str
    merge: bool
    records: int
    both: int = 0


def tag_list(db: Database) -> list[TagInfo]:
    """Every tag with its colour and the number of records carrying it, by name (any case)."""
    rows = db.conn.execute(
        "SELECT t.name, t.colour, (SELECT count(*) FROM record_tags rt WHERE rt.tag_id = t.id) FROM tags t"
    ).fetchall()
    tags = [TagInfo(str(name), colour if colour in TAG_COLOURS else None, int(n)) for name, colour, n in rows]
    return sorted(tags, key=lambda t: (t.name.casefold(), t.name))


def tag_colours(db: Database) -> dict[str, str]:
    """The name of each tag that has a colour, with the colour's name."""
    rows = db.conn.execute("SELECT name, colour FROM tags WHERE colour IS NOT NULL").fetchall()
    return {str(name): str(colour) for name, colour in rows if colour in TAG_COLOURS}


def check_name(name: str) -> str:
    """A new name for a tag, cleaned as every tag name is (`userdata.clean_tag`); refuses
    control characters and names longer than MAX_TAG_CHARS with a reason to show."""
    if any(ord(c) in _CONTROL for c in str(name)):
        raise ValueError(f"a tag name cannot contain control characters ({shown(name, 80)})")
    cleaned = userdata.clean_tag(name)
    if len(cleaned) > MAX_TAG_CHARS:
        raise ValueError(
            f"a tag name can have at most {MAX_TAG_CHARS} characters (this one has {len(cleaned)})"
        )
    return cleaned


def _tag(db: Database, name: str) -> tuple[int, str, str | None]:
    """(id, stored name, colour) of the tag called `name` in any case; StoreError if none."""
    row = db.conn.execute("SELECT id, name, colour FROM tags WHERE name = ?", (str(name).strip(),)).fetchone()
    if row is None:
        raise StoreError(f"There is no tag “{shown(name, 80)}” (any more). Nothing was changed.")
    return int(row[0]), str(row[1]), row[2]


def _count(db: Database, tag_id: int) -> int:
    return int(db.conn.execute("SELECT count(*) FROM record_tags WHERE tag_id = ?", (tag_id,)).fetchone()[0])


def plan_rename(db: Database, old: str, new: str) -> RenamePlan:
    """What `rename_tag(old, new)` would do, without doing it (a bad name raises ValueError,
    an unknown tag StoreError)."""
    cleaned = check_name(new)
    old_id, old_name, _colour = _tag(db, old)
    target = db.conn.execute("SELECT id, name FROM tags WHERE name = ?", (cleaned,)).fetchone()
    if target is None or int(target[0]) == old_id:
        return RenamePlan(old_name, cleaned, merge=False, records=_count(db, old_id))
    both = db.conn.execute(
        "SELECT count(*) FROM record_tags a JOIN record_tags b ON b.record_id = a.record_id AND b.tag_id = ?"
        " WHERE a.tag_id = ?",
        (int(target[0]), old_id),
    ).fetchone()[0]
    return RenamePlan(old_name, str(target[1]), merge=True, records=_count(db, old_id), both=int(both))


def tagged_ids(db: Database, name: str) -> list[int]:
    """The records carrying the tag (for the user-work file after a change)."""
    tag_id = _tag(db, name)[0]
    rows = db.conn.execute("SELECT record_id FROM record_tags WHERE tag_id = ?", (tag_id,))
    return [int(r[0]) for r in rows]


def rename_tag(db: Database, old: str, new: str) -> RenamePlan:
    """Rename the tag `old` to `new`; onto another tag's name, merge it into that tag (its
    records carry that tag, it keeps its colour or takes this one's, `old` is gone).
    Watchlists that filter by or give the tag follow the new name. Returns what was done."""
    plan = plan_rename(db, old, new)
    old_id, old_name, colour = _tag(db, old)
    if plan.new == old_name:
        return plan  # the same name, spelled the same: nothing to do
    _retext(db, old_id, lambda names: [plan.new if n == old_name else n for n in names])
    if plan.merge:
        new_id = _tag(db, plan.new)[0]
        db.conn.execute(
            "INSERT OR IGNORE INTO record_tags (record_id, tag_id) SELECT record_id, ? FROM record_tags"
            " WHERE tag_id = ?",
            (new_id, old_id),
        )
        db.conn.execute("DELETE FROM record_tags WHERE tag_id = ?", (old_id,))
        db.conn.execute("DELETE FROM tags WHERE id = ?", (old_id,))
        if colour is not None:
            db.conn.execute("UPDATE tags SET colour = ? WHERE id = ? AND colour IS NULL", (colour, new_id))
    else:
        db.conn.execute("UPDATE tags SET name = ? WHERE id = ?", (plan.new, old_id))
    for column in ("tag", "auto_tag"):
        db.conn.execute(
            f"UPDATE watchlists SET {column} = ? WHERE {column} = ? COLLATE NOCASE", (plan.new, old_name)
        )
    return plan


def delete_tag(db: Database, name: str) -> int:
    """Remove the tag from every record and delete it; returns how many records lost it."""
    tag_id, stored, _colour = _tag(db, name)
    _retext(db, tag_id, lambda names: [n for n in names if n != stored])
    untagged = db.conn.execute("DELETE FROM record_tags WHERE tag_id = ?", (tag_id,)).rowcount
    db.conn.execute("DELETE FROM tags WHERE id = ?", (tag_id,))
    return int(untagged)


def set_colour(db: Database, name: str, colour: str | None) -> bool:
    """Give the tag one of TAG_COLOURS (None: no colour); returns whether it changed."""
    if colour is not None and colour not in TAG_COLOURS:
        raise ValueError(f"unknown tag colour {shown(colour, 40)} (one of: {', '.join(TAG_COLOURS)})")
    tag_id = _tag(db, name)[0]
    cursor = db.conn.execute(
        "UPDATE tags SET colour = ? WHERE id = ? AND colour IS NOT ?", (colour, tag_id, colour)
    )
    return cursor.rowcount > 0


def _retext(db: Database, tag_id: int, change: Callable[[list[str]], list[str]]) -> None:
    """Rewrite the `tags_text` of every record carrying the tag: each distinct text is mapped
    once in Python (`change` gets its names), then one UPDATE applies the map in SQL."""
    texts = [
        str(row[0])
        for row in db.conn.execute(
            "SELECT DISTINCT r.tags_text FROM record_tags rt JOIN records r ON r.id = rt.record_id"
            " WHERE rt.tag_id = ?",
            (tag_id,),
        )
    ]
    mapping = []
    for text in texts:
        names = change([n for n in text.split(userdata.TAG_SEPARATOR) if n])
        new = userdata.tags_text(dict.fromkeys(names))  # a merged record keeps one of the two
        if new != text:
            mapping.append((text, new))
    if not mapping:
        return
    db.conn.execute("CREATE TEMP TABLE IF NOT EXISTS tag_retext (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    db.conn.execute(f"DELETE FROM {_MAP}")
    try:
        db.conn.executemany(f"INSERT INTO {_MAP} (old, new) VALUES (?, ?)", mapping)
        db.conn.execute(
            f"UPDATE records SET tags_text = m.new FROM {_MAP} m WHERE m.old = records.tags_text"
            " AND records.id IN (SELECT record_id FROM record_tags WHERE tag_id = ?)",
            (tag_id,),
        )
    finally:
        db.conn.execute(f"DELETE FROM {_MAP}")
