"""Helpers for the store's tests: announcements, a fixed clock, snapshots of tables."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from db.store import Store
from scrapers.model import Announcement

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
USER_COLUMNS = "id, note, note_updated_at, status, starred, read_at, tags_text, followed"


def item(number: int, **fields: object) -> Announcement:
    """An announcement with a distinct link and title; keyword arguments override fields."""
    values: dict[str, object] = {
        "url": f"https://example.org/news/{number}",
        "title": f"Announcement {number}",
    }
    values.update(fields)
    return Announcement(**values)  # type: ignore[arg-type]


def open_store(path: Path, now: datetime = NOW) -> Store:
    store = Store.open(path)
    store.clock = lambda: now
    return store


def snapshot(store: Store, table: str) -> list[tuple[object, ...]]:
    """Every row of a table (or FTS shadow table), for before/after comparisons."""
    return store.db.conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()


def user_data(store: Store) -> list[tuple[object, ...]]:
    """The user's columns of every record and every tag link, to compare byte for byte."""
    rows = store.db.conn.execute(f"SELECT {USER_COLUMNS} FROM records ORDER BY id").fetchall()
    tags = store.db.conn.execute("SELECT * FROM record_tags ORDER BY 1, 2").fetchall()
    return [*rows, *tags]


def count(store: Store, sql: str) -> int:
    return int(store.db.conn.execute(sql).fetchone()[0])
