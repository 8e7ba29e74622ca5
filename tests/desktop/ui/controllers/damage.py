"""Damage a store's file under an open Store, the way a disk fault or another program would."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def damaged(db: Path) -> Iterator[None]:
    """Another program writes into the file (its log only, so every open connection drops its
    cache) and every page after the header is overwritten: reads from here on fail as damaged."""
    other = sqlite3.connect(db)
    try:
        other.execute("PRAGMA wal_autocheckpoint = 0")
        other.execute("CREATE TABLE other_program (x)")
        with db.open("r+b") as file:
            file.seek(4096)
            file.write(b"\xff" * (db.stat().st_size - 4096))
        yield
    finally:
        other.close()
