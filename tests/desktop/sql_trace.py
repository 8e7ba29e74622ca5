"""What SQL a Store's connection ran during an action: the window's own connection must run
none for work a worker does (a read there stalls the window: docs/SEARCH.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from db.store import Store

T = TypeVar("T")


def statements_during(store: Store, action: Callable[[], T]) -> tuple[T, list[str]]:
    """`action()`'s result and the statements it ran on `store`'s connection, PRAGMAs left out."""
    ran: list[str] = []
    store.db.conn.set_trace_callback(ran.append)
    try:
        result = action()
    finally:
        store.db.conn.set_trace_callback(None)
    return result, [sql for sql in ran if not sql.startswith("PRAGMA")]
