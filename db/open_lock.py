"""Who has the store open: every open Store holds a shared lock that a restore must break.

Replacing the store under a program that has it open makes that program's next edit land on
whatever record now has the id it remembers (a pending note, a star on "record 7" of a
different store). So a restore refuses while any Store, in any process, has the file open.

The lock is SQLite's own file lock on a small side file (`<store>-open`), held as a read
transaction for as long as the Store is open: SQLite implements it on every platform,
between processes and between connections of one process, and the operating system releases
it when a process dies, so a crash never leaves the store locked. (An idle WAL connection
holds no lock on the store file itself, so the store's own locks cannot tell.)
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from db.errors import StoreError

logger = logging.getLogger(__name__)

SUFFIX = "-open"
OPEN_WAIT_S = 10.0  # a Store opening while a restore runs waits this long for it

IN_USE = (
    "The store is open in another program (the window, or a fetch): close it, or wait for the "
    "fetch to finish, and try again. Nothing was changed."
)
BEING_RESTORED = "The store is being restored by another program; try again in a moment."


def lock_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + SUFFIX)


class OpenLock:
    """The shared lock of one open Store; `release()` when the Store closes."""

    def __init__(self, conn: sqlite3.Connection | None) -> None:
        self._conn = conn

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()  # ends the read transaction: the lock goes with it
            self._conn = None


def hold_open(db_path: Path) -> OpenLock:
    """Take the shared lock of an open store. Waits while a restore holds it exclusively.

    Where the side file cannot be made (a read-only folder) nothing can restore into the
    folder either, so the store opens without it.
    """
    try:
        conn = sqlite3.connect(
            str(lock_path(db_path)), timeout=OPEN_WAIT_S, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        logger.info("%s: no open lock (%s)", db_path, exc)
        return OpenLock(None)
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes SQLite's SHARED lock
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc):
            raise StoreError(BEING_RESTORED) from exc
        logger.info("%s: no open lock (%s)", db_path, exc)
        return OpenLock(None)
    return OpenLock(conn)


@contextlib.contextmanager
def nobody_has_it_open(db_path: Path) -> Iterator[None]:
    """Hold the store exclusively for the block; StoreError (IN_USE) at once when any Store,
    in this process or another, has it open. New opens wait until the block ends."""
    conn = sqlite3.connect(str(lock_path(db_path)), timeout=0, isolation_level=None)
    try:
        try:
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise StoreError(IN_USE) from exc
            raise StoreError(f"Cannot lock {db_path} for the restore: {exc}.") from exc
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
    finally:
        conn.close()
