"""Opening the store file: refuse files that are not ours, fall back to read-only, migrate safely.

Nothing is written to a file until it is known to be ours (or new): a stranger's database or a
spreadsheet given by mistake with `--db` stays byte-for-byte as it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from db import kept_counts, schema
from db.backups import backup_before_migration, empty_store_reason
from db.errors import BUSY, DAMAGED, READ_ONLY, StoreError, known_error
from db.locks import FairLock
from db.readonly import connect_readonly
from db.schema_check import foreign_objects_reason

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 10.0  # a refresh's transaction is short; a waiting note save must not fail
JOURNAL_SIZE_LIMIT = 32 * 1024 * 1024  # the WAL file is truncated back to this after checkpoints
CACHE_KIB = 32 * 1024  # SQLite's default 2 MiB thrashes when a batch touches twenty indexes
SQLITE_MAGIC = b"SQLite format 3\x00"
# SQLite calls a progress handler (a read's "stop now?") every PROGRESS_STEPS steps, about a
# millisecond at the 30-45 million steps a second measured here: an obsolete read stops within
# a millisecond or two. The handler is Python, so each call takes the GIL from the window's
# thread: every 1,000 steps, a worker's count made a 20 ms paint of the table take 25-35 ms.
PROGRESS_STEPS = 50_000

SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN = 8, 10, 11, 13, 14
# Failures to open for writing after which the store is opened for reading instead.
_READ_ONLY_WILL_DO = (SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN)

NOT_OURS = "{path} is not a Policy Tracker database ({why}); it was left untouched."


def open_database(path: Path, readonly: bool = False) -> tuple[Database, bool]:
    """Open (creating or upgrading as needed) the store at `path`; returns (db, readonly).

    A file or folder we may not write is opened read-only rather than refused, so a store on
    a read-only medium can still be read and exported.
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file.")
    exists = path.exists() and path.stat().st_size > 0
    lost = None if exists else empty_store_reason(path)
    if lost is not None:
        raise StoreError(lost)
    if exists:
        _refuse_if_not_ours(path)
    elif readonly:
        raise StoreError(f"There is no Policy Tracker database at {path}.")
    writable = not readonly and _may_write(path)
    if not exists and not writable:
        if not path.parent.is_dir():
            raise StoreError(f"Cannot create a database in {path.parent}: the folder does not exist.")
        raise StoreError(f"Cannot create a database in {path.parent}: the folder is read-only.")
    try:
        db = _connect(path, writable)
    except sqlite3.Error as exc:
        if not (writable and exists and _error_code(exc) in _READ_ONLY_WILL_DO):
            raise _as_store_error(exc, path) from exc
        # A completely full disk cannot grow the WAL index: the store is still there to read.
        logger.warning("%s cannot be written (%s); opening it read-only", path, exc)
        writable = False
        db = _connect(path, writable)
    try:
        _check_version(db, path)
        if schema.MIGRATIONS.pending(db):
            if not writable:
                raise StoreError(
                    f"{path} needs an upgrade but is read-only; open it once where it can be written."
                )
            _migrate(db, path)
    except sqlite3.Error as exc:
        db.close()
        raise _as_store_error(exc, path) from exc
    except BaseException:
        db.close()
        raise
    return db, not writable


def _error_code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _as_store_error(exc: sqlite3.Error, path: Path) -> StoreError | sqlite3.Error:
    known = known_error(exc)
    return StoreError(f"{path}: {known}") if known else exc


def _may_write(path: Path) -> bool:
    # WAL needs to create `-wal` and `-shm` files beside the database, so the folder counts too.
    folder = path.parent if str(path.parent) else Path(".")
    if not os.access(folder, os.W_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def _refuse_if_not_ours(path: Path) -> None:
    """Raise StoreError unless `path` is our database or an empty SQLite file; never writes.

    Asks SQLite, through a connection that cannot write, never by opening the file ourselves
    while it may be in use: closing a plain file handle on a database drops every POSIX lock
    this process holds on it (SQLite's "close() cancels locks" hazard), and another process
    (a cron fetch) then takes the store for unused and deletes the WAL index from under the
    window's connections. The file's own bytes are read only once SQLite cannot read it.
    """
    try:
        conn = connect_readonly(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            ours = app_id == schema.APPLICATION_ID and version <= schema.SCHEMA_VERSION
            foreign = foreign_objects_reason(conn) if ours else None  # newer: refused later
        finally:
            conn.close()
    except sqlite3.Error as exc:
        known = known_error(exc)
        if known is None:
            raise
        raise _unreadable(path, exc) from exc
    if app_id != schema.APPLICATION_ID and tables:
        why = "it is an SQLite database of another program"
        raise StoreError(NOT_OURS.format(path=path, why=why))
    if foreign is not None:  # SQL that came with the file would run inside the app
        raise StoreError(f"{path} was not opened: {foreign}. It was left untouched.")


def _unreadable(path: Path, exc: sqlite3.Error) -> StoreError:
    """Why SQLite cannot read `path`: not a database at all, our store damaged, or neither."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        return StoreError(f"{path} cannot be read: {error.strerror or error}.")
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        return StoreError(NOT_OURS.format(path=path, why="it is not an SQLite database"))
    if _error_code(exc) == SQLITE_CORRUPT and int.from_bytes(header[68:72], "big") == schema.APPLICATION_ID:
        return StoreError(f"{path}: {DAMAGED}")
    return StoreError(NOT_OURS.format(path=path, why="it cannot be read as one"))


def _connect(path: Path, writable: bool) -> Database:
    """A connection with the store's settings; isolation_level=None so we own every BEGIN."""
    if writable:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    else:
        conn = connect_readonly(path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if writable:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                logger.warning("%s: journal mode is %s, not WAL", path, mode)
            # FULL: a note must survive a power cut.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
    except BaseException:
        conn.close()
        raise
    return Database(conn, execute_plugins=False)


def _check_version(db: Database, path: Path) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > schema.SCHEMA_VERSION:
        raise StoreError(
            f"{path} was made by a newer version of Policy Tracker (schema {version}; this "
            f"version reads up to {schema.SCHEMA_VERSION}). Update the app to open it."
        )


def _migrate(db: Database, path: Path) -> None:
    """Apply pending migrations in one transaction, after copying an existing store aside."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > 0:
        backup_before_migration(db.conn, path, version)
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        pending = schema.MIGRATIONS.pending(db)  # another process may have migrated meanwhile
        if pending:
            logger.info("%s: applying %s", path, ", ".join(m.name for m in pending))
            schema.MIGRATIONS.apply(db)
            if db["count_generation"].exists():  # a migration may change what a count reads
                kept_counts.bump(db.conn, "content")
        db.conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        db.conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


@contextlib.contextmanager
def write_transaction(
    db: Database, readonly: bool, lock: FairLock, wait_s: float = BUSY_TIMEOUT_S
) -> Iterator[Database]:
    """One `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two writers
    queue instead of failing halfway; writers of this process queue in turn (db.locks).
    `wait_s` shorter than the busy timeout is for a caller that must not block (the window's
    thread): it fails with BUSY sooner and retries elsewhere."""
    if readonly:
        raise StoreError(READ_ONLY)
    if not lock.acquire(wait_s):
        raise StoreError(BUSY)
    short = wait_s < BUSY_TIMEOUT_S
    try:
        if short:
            db.conn.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
        try:
            db.conn.execute("BEGIN IMMEDIATE")
        finally:
            if short:
                db.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
    finally:
        lock.release()


@contextlib.contextmanager
def read_snapshot(db: Database) -> Iterator[Database]:
    """Several reads that see one state of the store (a short read transaction)."""
    if db.conn.in_transaction:
        yield db
        return
    db.conn.execute("BEGIN")
    try:
        yield db
    finally:
        if db.conn.in_transaction:
            db.conn.execute("COMMIT")


def integrity_problems(db: Database) -> list[str]:
    """What `PRAGMA integrity_check` and the FTS indexes' own checks report (empty when sound).

    Slow on a large store: run it off the UI thread.
    """
    problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    problems = [p for p in problems if p != "ok"]
    for table in ("records_fts", "notes_fts"):
        try:
            db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"{table}: {exc}")
    return problems
