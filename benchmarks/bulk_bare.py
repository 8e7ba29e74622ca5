"""Bare sqlite3 making the same change to the same records as a bulk star, archive or tag of the
window's list, and putting it back: the baseline of the bulk rows (benchmarks/stalls.py).

Bare runs on the benchmark's store with sqlite3's defaults (WAL, as the file is), after the
window's own change and Undo: it lists the records the window's query selects, writes the same
UPDATE in one transaction and commits (timed), then puts back each record's old values (timed:
the baseline of Undo). The store is as it was before, so the next measurements are not moved.
No undo log, no user-work file, no progress: what is left of the app's time beside it is what
those cost. Bare's tag appends the tag to each record's text without sorting it in; it puts the
old text back afterwards.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from db.queries import Query, where_clause

TAG = "benchmark"

# (what the change writes, what puts it back), over temp.was: each chosen record's old values
_CHANGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "star": (
        ("UPDATE records SET starred = 1 WHERE id IN (SELECT id FROM temp.was) AND starred IS NOT 1",),
        (
            "UPDATE records SET starred = w.starred FROM temp.was w"
            " WHERE w.id = records.id AND records.starred IS NOT w.starred",
        ),
    ),
    "archive": (
        (
            "UPDATE records SET status = 'archived' WHERE id IN (SELECT id FROM temp.was)"
            " AND status IS NOT 'archived'",
        ),
        (
            "UPDATE records SET status = w.status FROM temp.was w"
            " WHERE w.id = records.id AND records.status IS NOT w.status",
        ),
    ),
    "tag": (
        (
            "INSERT OR IGNORE INTO record_tags (record_id, tag_id)"
            " SELECT id, (SELECT id FROM tags WHERE name = :tag) FROM temp.was",
            "UPDATE records SET tags_text"
            " = CASE tags_text WHEN '' THEN :tag ELSE tags_text || '; ' || :tag END"
            " WHERE id IN (SELECT id FROM temp.was WHERE NOT tagged)",
        ),
        (
            "DELETE FROM record_tags WHERE tag_id = (SELECT id FROM tags WHERE name = :tag)"
            " AND record_id IN (SELECT id FROM temp.was WHERE NOT tagged)",
            "UPDATE records SET tags_text = w.tags_text FROM temp.was w"
            " WHERE w.id = records.id AND records.tags_text IS NOT w.tags_text",
        ),
    ),
}


def bare_change(path: Path, key: str, where: str, params: dict[str, object]) -> tuple[float, float]:
    """Seconds bare sqlite3 takes to make the `key` change ("star", "archive", "tag") to the
    records `where` selects (the window query's predicate over `records r`), and to put it back."""
    change, back = _CHANGES[key]
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=60.0)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        made_tag = (
            key == "tag" and conn.execute("SELECT 1 FROM tags WHERE name = ?", (TAG,)).fetchone() is None
        )
        if made_tag:
            conn.execute("INSERT INTO tags (name) VALUES (?)", (TAG,))
        conn.execute(
            "CREATE TEMP TABLE was AS SELECT r.id, r.starred, r.status, r.tags_text, EXISTS"
            " (SELECT 1 FROM record_tags rt JOIN tags t ON t.id = rt.tag_id"
            " WHERE rt.record_id = r.id AND t.name = :tag)"
            f" AS tagged FROM records r WHERE {where}",
            {**params, "tag": TAG},
        )
        seconds = [_timed(conn, change), _timed(conn, back)]
        if made_tag:
            conn.execute("DELETE FROM tags WHERE name = ?", (TAG,))
        conn.execute("DROP TABLE temp.was")
    finally:
        conn.close()
    return seconds[0], seconds[1]


def _timed(conn: sqlite3.Connection, statements: tuple[str, ...]) -> float:
    began = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for sql in statements:
        conn.execute(sql, {"tag": TAG} if ":tag" in sql else {})
    conn.execute("COMMIT")
    return time.perf_counter() - began


def query_predicate(query: Query) -> tuple[str, dict[str, object]]:
    """The window query's predicate over `records r`, as db/bulk.py lists a select all (a
    query without a search: the bulk rows change the list of every record)."""
    where, params = where_clause(query, datetime.now(UTC), terms=None)
    return where, dict(params)
