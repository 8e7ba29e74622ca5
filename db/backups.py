"""Copies of the store file: before every migration (a few kept beside it) and on request."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from db.errors import StoreError

logger = logging.getLogger(__name__)

KEEP_BACKUPS = 3
BACKUP_FOLDER = "backups"


def backup_folder(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_FOLDER


def list_backups(db_path: Path) -> list[Path]:
    """Backups taken before migrations of the store at `db_path`, newest first."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{Path(db_path).stem}-schema*.sqlite"), reverse=True)


def copy_database(conn: sqlite3.Connection, dest: Path) -> Path:
    """A consistent copy through SQLite's backup API (safe while other connections write).

    Written under a temporary name and renamed, so a copy cut short is never mistaken for one.
    """
    dest = Path(dest)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(str(partial))
    try:
        conn.backup(target)
    finally:
        target.close()
    os.replace(partial, dest)
    return dest


def backup_before_migration(conn: sqlite3.Connection, db_path: Path, version: int) -> Path:
    """Copy the store into `backups/` before migrating it; refuses to go on if it cannot."""
    folder = backup_folder(db_path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    dest = folder / f"{Path(db_path).stem}-schema{version}-{stamp}.sqlite"
    try:
        folder.mkdir(exist_ok=True)
        copy_database(conn, dest)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            f"Could not back up {db_path} before upgrading it ({exc}); nothing was changed."
        ) from exc
    logger.info("backed up %s to %s before migrating", db_path, dest)
    for old in list_backups(db_path)[KEEP_BACKUPS:]:
        try:
            old.unlink()
        except OSError:
            logger.warning("could not remove old backup %s", old)
    return dest
