"""Small helpers shared by the store's modules: rows as dicts, id lists, timestamps."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

CHUNK = 500  # stays under SQLite's bound-parameter limit


def stamp(now: datetime) -> str:
    """A timestamp the app writes (first seen, note saved...): UTC, to the millisecond, so that
    "changed after it was read" is decidable within one second."""
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def dicts(db: Database, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
    """All rows of a short query, fetched at once so no cursor outlives the call."""
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def one(db: Database, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> dict[str, Any] | None:
    rows = dicts(db, sql, params)
    return rows[0] if rows else None


def id_list(record_ids: int | Iterable[int]) -> list[int]:
    """One id or many, as a list of distinct ints in the order given."""
    if isinstance(record_ids, int):
        return [record_ids]
    return list(dict.fromkeys(int(i) for i in record_ids))


def chunked(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(count: int) -> str:
    return ", ".join("?" * count)
