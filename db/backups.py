"""Copies of the store file: before every migration, once a day, on request; and restoring one.

Automatic copies live in `backups/` beside the store: the last few taken before migrations
(`<stem>-schema<N>-<stamp>.sqlite`) and the last week of daily copies (`<stem>-daily-<day>.sqlite`).
Every copy goes through SQLite's backup API (consistent while other connections write), is
written under a temporary name and renamed, and a daily copy is checked before older ones are
pruned, so a damaged store never pushes the good copies out.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from db import schema
from db.errors import BUSY, StoreError, known_error

logger = logging.getLogger(__name__)

KEEP_BACKUPS = 3  # copies taken before migrations
KEEP_DAILY = 7  # daily copies: a week to notice a mistake
BACKUP_FOLDER = "backups"
BUSY_TIMEOUT_S = 10.0
SQLITE_MAGIC = b"SQLite format 3\x00"


def backup_folder(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_FOLDER


def list_backups(db_path: Path) -> list[Path]:
    """Backups taken before migrations of the store at `db_path`, newest first."""
    return _named(db_path, "schema*")


def daily_backups(db_path: Path) -> list[Path]:
    """The daily copies of the store at `db_path`, newest first."""
    return _named(db_path, "daily-*")


def automatic_backups(db_path: Path) -> list[Path]:
    """Every automatic copy (daily and before migrations), the most recently taken first."""
    found = list_backups(db_path) + daily_backups(db_path)
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def latest_backup(db_path: Path) -> Path | None:
    """The most recent automatic copy that is a Policy Tracker store, if any."""
    for path in automatic_backups(db_path):
        if not_a_store_reason(path) is None:
            return path
    return None


def _named(db_path: Path, pattern: str) -> list[Path]:
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{Path(db_path).stem}-{pattern}.sqlite"), reverse=True)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def copy_database(conn: sqlite3.Connection, dest: Path, *, verify: bool = False) -> Path:
    """A consistent copy through SQLite's backup API (safe while other connections write).

    Written under a temporary name and renamed, so a copy cut short is never mistaken for one.
    With `verify`, the copy must pass `PRAGMA quick_check` or it is thrown away (StoreError).
    """
    dest = Path(dest)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(str(partial))
    try:
        conn.backup(target)
        if verify:
            problems = [r[0] for r in target.execute("PRAGMA quick_check").fetchall() if r[0] != "ok"]
            if problems:
                raise StoreError("The database file is damaged (corrupt): " + "; ".join(problems[:3]))
    except BaseException:
        target.close()
        partial.unlink(missing_ok=True)
        raise
    target.close()
    os.replace(partial, dest)
    return dest


def backup_before_migration(conn: sqlite3.Connection, db_path: Path, version: int) -> Path:
    """Copy the store into `backups/` before migrating it; refuses to go on if it cannot."""
    folder = backup_folder(db_path)
    dest = folder / f"{Path(db_path).stem}-schema{version}-{_stamp()}.sqlite"
    try:
        folder.mkdir(exist_ok=True)
        copy_database(conn, dest)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            f"Could not back up {db_path} before upgrading it ({exc}); nothing was changed."
        ) from exc
    logger.info("backed up %s to %s before migrating", db_path, dest)
    _prune(list_backups(db_path), KEEP_BACKUPS)
    return dest


def daily_backup(db_path: Path, *, today: date | None = None, keep: int = KEEP_DAILY) -> Path | None:
    """Take today's copy of the store unless there is one already; returns it (None: none taken).

    Opens its own read-only connection, so it can run in a background thread while the window
    and a refresh use the store. A copy that fails its check is discarded and the earlier
    copies are kept (StoreError: the store itself is damaged).
    """
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    day = (today or datetime.now(UTC).date()).strftime("%Y%m%d")
    folder = backup_folder(db_path)
    dest = folder / f"{db_path.stem}-daily-{day}.sqlite"
    if dest.exists():
        return None
    try:
        folder.mkdir(exist_ok=True)
        source = _connect_readonly(db_path)
        try:
            copy_database(source, dest, verify=True)
        finally:
            source.close()
    except sqlite3.Error as exc:
        known = known_error(exc)
        raise (known or StoreError(f"The daily backup failed: {exc}")) from exc
    except OSError as exc:
        raise StoreError(f"The daily backup could not be written to {folder}: {exc.strerror or exc}") from exc
    logger.info("daily backup of %s taken: %s", db_path, dest)
    _prune(daily_backups(db_path), keep)
    return dest


def backup_to(db_path: Path, dest: Path | None = None) -> Path:
    """A copy on request (`policy-tracker backup`): to `dest`, or into `backups/`."""
    db_path = Path(db_path)
    reason = not_a_store_reason(db_path)
    if reason is not None:
        raise StoreError(f"{db_path} cannot be backed up: {reason}.")
    if dest is None:
        dest = backup_folder(db_path) / f"{db_path.stem}-manual-{_stamp()}.sqlite"
    dest = Path(dest)
    if dest.exists():
        raise StoreError(f"{dest} already exists; choose a new file name (nothing was overwritten).")
    if dest.resolve() == db_path.resolve():
        raise StoreError("The backup cannot be the store itself.")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        source = _connect_readonly(db_path)
        try:
            return copy_database(source, dest, verify=True)
        finally:
            source.close()
    except sqlite3.Error as exc:
        known = known_error(exc)
        raise (known or StoreError(f"The backup failed: {exc}")) from exc
    except OSError as exc:
        raise StoreError(f"Cannot write {dest}: {exc.strerror or exc}.") from exc


def not_a_store_reason(path: Path) -> str | None:
    """Why `path` is not a sound Policy Tracker store this version can read (None: it is one).

    Never writes to it, and reads it through SQLite only (a plain open and close of a store
    this process has open would drop its connections' locks: see db.connection).
    """
    path = Path(path)
    if not path.is_file():
        return "there is no such file"
    if path.stat().st_size == 0:
        return "it is empty"
    try:
        conn = _connect_readonly(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall() if r[0] != "ok"]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return _unreadable_reason(path, exc)
    if app_id != schema.APPLICATION_ID:
        return "it is not a Policy Tracker database"
    if version > schema.SCHEMA_VERSION:
        return "it was made by a newer version of Policy Tracker"
    if problems:
        return "it is damaged (" + "; ".join(problems[:2]) + ")"
    if not {"records", "sources"} <= tables:
        return "it does not hold Policy Tracker's tables"
    return None


def _unreadable_reason(path: Path, exc: sqlite3.Error) -> str:
    try:
        with path.open("rb") as handle:  # SQLite cannot read it: no connection of ours has it open
            header = handle.read(100)
    except OSError as error:
        return f"it cannot be read ({error.strerror or error})"
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return "it is not an SQLite database"
    if int.from_bytes(header[68:72], "big") != schema.APPLICATION_ID:
        return "it is not a Policy Tracker database"
    return f"it is damaged ({exc})"


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Put the copy `backup` in place of the store at `db_path`; returns where the store as it
    was has been kept (None when there was none).

    Refuses (StoreError, nothing changed) a file that is not a sound Policy Tracker store. The
    current store is copied into `backups/` first. A store that opens is overwritten through
    the backup API (other connections then see the restored data); a damaged one is replaced
    as a file.
    """
    backup, db_path = Path(backup), Path(db_path)
    reason = not_a_store_reason(backup)
    if reason is not None:
        raise StoreError(f"{backup} cannot be restored: {reason}. Nothing was changed.")
    if db_path.exists() and backup.resolve() == db_path.resolve():
        raise StoreError(f"{backup} is the store itself; choose a backup copy.")
    folder = backup_folder(db_path)
    kept = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if db_path.exists() and db_path.stat().st_size > 0:
            kept = _keep_current(db_path, folder / f"{db_path.stem}-before-restore-{_stamp()}.sqlite")
    except OSError as exc:
        raise StoreError(
            f"Could not keep a copy of {db_path} before restoring ({exc.strerror or exc}); "
            "nothing was changed."
        ) from exc
    source = _connect_readonly(backup)
    try:
        if kept is not None and not_a_store_reason(db_path) is None:
            _restore_live(source, db_path)
        else:
            _restore_file(source, db_path)
    finally:
        source.close()
    logger.info("restored %s from %s (previous store kept at %s)", db_path, backup, kept)
    return kept


def _keep_current(db_path: Path, dest: Path) -> Path:
    """A copy of the store about to be replaced: through SQLite when it reads, else its bytes."""
    try:
        source = _connect_readonly(db_path)
        try:
            return copy_database(source, dest)
        finally:
            source.close()
    except sqlite3.Error as exc:
        logger.warning("%s does not read (%s); keeping its bytes as they are", db_path, exc)
    shutil.copyfile(db_path, dest)
    for suffix in ("-wal",):  # committed changes not yet in the main file
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            shutil.copyfile(side, dest.with_name(dest.name + suffix))
    return dest


def _restore_live(source: sqlite3.Connection, db_path: Path) -> None:
    target = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        target.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        source.backup(target)
    except sqlite3.Error as exc:
        known = known_error(exc)
        if known is not None and str(known) == BUSY:
            raise StoreError(
                "The store is busy in another program (the window or a fetch): close it and try again."
            ) from exc
        raise (known or StoreError(f"The restore failed: {exc}")) from exc
    finally:
        target.close()


def _restore_file(source: sqlite3.Connection, db_path: Path) -> None:
    """Replace a damaged (or missing) store file; its journal files belong to the old file."""
    try:
        copy_database(source, db_path.with_name(db_path.name + ".restoring"))
        for suffix in ("-wal", "-shm", "-journal"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        os.replace(db_path.with_name(db_path.name + ".restoring"), db_path)
    except OSError as exc:
        raise StoreError(f"Could not write {db_path}: {exc.strerror or exc}.") from exc


def _connect_readonly(path: Path) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri()
    return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)


def _prune(backups: list[Path], keep: int) -> None:
    for old in backups[keep:]:
        try:
            old.unlink()
        except OSError:
            logger.warning("could not remove old backup %s", old)
