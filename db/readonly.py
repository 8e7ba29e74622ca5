"""Reading a store file through SQLite without ever writing to it.

Shared by the open path and the copies (db.backups), which both look inside a file before
anything may be written. Never open a store file with plain `open()` while a connection of
this process may have it: closing that handle drops every POSIX lock the process holds on it
(see db.connection).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 10.0


class ImmutableConnection(sqlite3.Connection):
    """A connection that reads the file as it stood when opened: SQLite takes no locks and
    never sees a later change, so such a connection is never kept for later reads
    (db/readers.py)."""


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot write `path`, usable from one thread at a time, not only the
    one that made it (SQLite is serialized; db/readers.py hands kept ones between workers).

    A WAL store whose `-shm` cannot be made or grown (a read-only folder, a completely full
    disk) cannot be read the usual way; it is then read as immutable, as the file stands, so
    the user can still read and copy their data.
    """
    uri = Path(path).resolve().as_uri()
    try:
        conn = sqlite3.connect(
            f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn
    except sqlite3.OperationalError as exc:
        logger.info("%s: read-only open failed (%s); reading it as immutable", path, exc)
        return sqlite3.connect(
            f"{uri}?immutable=1",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            factory=ImmutableConnection,
        )
