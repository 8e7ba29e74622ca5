"""Copies of the store file: before every migration, once a day, on request; and restoring one.

Automatic copies live in `backups/` beside the store: the last few taken before migrations
(`<stem>-schema<N>-<stamp>.sqlite`) and daily copies (`<stem>-daily-<day>.sqlite`), at most a
week of them and no more than the disk budget allows (`budget_bytes`: a setting, by default a
share of the free space), the oldest dropped first and the newest good one never. Every copy
goes through SQLite's backup API (consistent while other connections write), is written under
a temporary name and renamed, and a daily copy is checked before older ones are pruned, so a
damaged store never pushes the good copies out. The user's own work is also kept, on every
change, in a small file of its own (db.user_work).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from db import schema
from db.errors import BUSY, DISK_FULL, StoreError, known_error
from db.open_lock import nobody_has_it_open
from db.readonly import connect_readonly
from db.schema_check import foreign_objects_reason
from db.user_work import daily_user_work

logger = logging.getLogger(__name__)

KEEP_BACKUPS = 3  # copies taken before migrations, and before restores
_SCHEMA_NUMBER = re.compile(r"-schema(\d+)-")
KEEP_DAILY = 7  # daily copies: a week to notice a mistake, if the budget allows
AUTO_BUDGET_SHARE = 0.2  # with no budget set: a fifth of the free space (counting the copies)
FREE_MARGIN = 1.1  # a copy is started only with room for it and a tenth more
BACKUP_FOLDER = "backups"
BUSY_TIMEOUT_S = 10.0
SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26


def backup_folder(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_FOLDER


def list_backups(db_path: Path) -> list[Path]:
    """Backups taken before migrations of the store at `db_path`, newest first: by schema
    number, then by when taken (by name alone, "schema10" would sort before "schema9")."""
    return sorted(_named(db_path, "schema*"), key=_schema_order, reverse=True)


def _schema_order(path: Path) -> tuple[int, str]:
    found = _SCHEMA_NUMBER.search(path.name)
    return (int(found.group(1)) if found else -1, path.name)


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


def budget_bytes(db_path: Path, setting_gb: float = 0.0) -> int:
    """The disk space the daily copies may take: the setting (in GB) when above zero, else
    AUTO_BUDGET_SHARE of the free space plus what the copies already take."""
    if setting_gb > 0:
        return int(setting_gb * 1e9)
    folder = backup_folder(db_path)
    existing = _total_size(daily_backups(db_path))
    free = shutil.disk_usage(folder if folder.is_dir() else Path(db_path).parent).free
    return int((free + existing) * AUTO_BUDGET_SHARE)


def daily_backup_path(db_path: Path, today: date | None = None) -> Path:
    """Where today's daily copy is (or will be). It exists only once it passed `quick_check`
    (copy_database renames a verified copy into place), so it also says that the store was
    sound when it was taken."""
    day = (today or datetime.now(UTC).date()).strftime("%Y%m%d")
    return backup_folder(db_path) / f"{Path(db_path).stem}-daily-{day}.sqlite"


def daily_backup(
    db_path: Path, *, today: date | None = None, keep: int = KEEP_DAILY, budget_gb: float = 0.0
) -> Path | None:
    """Take today's copy of the store unless there is one already; returns it (None: none taken).

    Opens its own read-only connection, so it can run in a background thread while the window
    and a refresh use the store. A copy that fails its check is discarded and the earlier
    copies are kept (StoreError: the store itself is damaged). After a good copy, the oldest
    are dropped to keep at most `keep` copies within the disk budget (`budget_bytes`); the
    newest good copy is always kept, even when it alone is over the budget.
    """
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    try:  # the user's own work first: small, and the most precious
        daily_user_work(db_path, today=today)
    except (sqlite3.Error, OSError) as exc:
        logger.warning("today's copy of the user work of %s was not taken: %s", db_path, exc)
    dest = daily_backup_path(db_path, today)
    folder = dest.parent
    if dest.exists():
        return None
    try:
        folder.mkdir(exist_ok=True)
        _require_room(db_path, folder)
        source = connect_readonly(db_path)
        try:
            copy_database(source, dest, verify=True)
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise _copy_error(exc, db_path, folder, "The daily backup failed") from exc
    except OSError as exc:
        raise StoreError(f"The daily backup could not be written to {folder}: {exc.strerror or exc}") from exc
    logger.info("daily backup of %s taken: %s", db_path, dest)
    _prune(daily_backups(db_path), keep)
    _prune_to_budget(daily_backups(db_path), budget_bytes(db_path, budget_gb))
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
        _require_room(db_path, dest.parent)
        source = connect_readonly(db_path)
        try:
            return copy_database(source, dest, verify=True)
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise _copy_error(exc, db_path, dest.parent, "The backup failed") from exc
    except OSError as exc:
        raise StoreError(f"Cannot write {dest}: {exc.strerror or exc}.") from exc


def _store_size(db_path: Path) -> int:
    return sum(
        side.stat().st_size for side in (db_path, db_path.with_name(db_path.name + "-wal")) if side.is_file()
    )


def _no_room(folder: Path, needed: int, free: int) -> StoreError:
    return StoreError(
        f"There is not enough free space in {folder} for a copy of the store: it needs about "
        f"{_megabytes(needed)}, {_megabytes(free)} are free. The store itself is unchanged."
    )


def _require_room(db_path: Path, folder: Path) -> None:
    """Refuse to start a copy that cannot fit (the store is fine; the disk is not)."""
    needed = int(_store_size(db_path) * FREE_MARGIN)
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise _no_room(folder, needed, free)


def _copy_error(exc: sqlite3.Error, db_path: Path, folder: Path, what: str) -> StoreError:
    """A failed copy in the user's words: a full disk is the disk's fault, not the store's."""
    known = known_error(exc)
    if known is not None and str(known) == DISK_FULL:
        needed = int(_store_size(db_path) * FREE_MARGIN)
        return _no_room(folder, needed, shutil.disk_usage(folder).free)
    return known or StoreError(f"{what}: {exc}")


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def _total_size(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


def not_a_store_reason(path: Path, *, every_page: bool = True) -> str | None:
    """Why `path` is not a sound Policy Tracker store this version can read (None: it is one).

    `every_page` runs `PRAGMA quick_check`, which reads the whole file (seconds for a large
    store: docs/ARCHITECTURE.md, "Checks before a fetch"); without it only the header, version
    and schema objects are checked.

    Never writes to it, and reads it through SQLite only (a plain open and close of a store
    this process has open would drop its connections' locks: see db.connection). A store
    whose schema objects are not exactly the app's own (an added trigger, view or table) is
    refused: see db.schema_check.
    """
    path = Path(path)
    if not path.is_file():
        return "there is no such file"
    if path.stat().st_size == 0:
        return "it is empty"
    try:
        conn = connect_readonly(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id != schema.APPLICATION_ID:
                return "it is not a Policy Tracker database"
            if version > schema.SCHEMA_VERSION:
                return "it was made by a newer version of Policy Tracker"
            if every_page:
                problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall() if r[0] != "ok"]
                if problems:
                    return "it is damaged (" + "; ".join(problems[:2]) + ")"
            return foreign_objects_reason(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return _unreadable_reason(path, exc)


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
    if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return f"it is damaged ({exc})"
    return f"it cannot be read just now ({exc}); this does not mean it is damaged"


def empty_store_reason(db_path: Path) -> str | None:
    """Why an empty file at `db_path` must not be made into a new store (None: it may be).

    A store that has backups was in use; finding it empty means it was lost (a failed sync,
    a truncating tool), and starting afresh over it would hide that. The user is pointed to
    the newest copy instead.
    """
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size != 0:
        return None
    latest = latest_backup(db_path)
    if latest is None:
        return None
    return (
        f"{db_path} is empty (0 bytes), but it held a store: its latest backup is {latest}. "
        f"Nothing was changed. Restore it with `policy-tracker restore {latest}`, or delete the "
        "empty file to start a new store."
    )


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Put the copy `backup` in place of the store at `db_path`; returns where the store as it
    was has been kept (None when there was none).

    Refuses (StoreError, nothing changed) a file that is not a sound Policy Tracker store with
    exactly the app's own schema objects, and a store that any program (this one included)
    has open: that program would go on writing to the record ids it remembers, which are other
    records in the restored store (db.open_lock). The current store is copied into `backups/`
    first. A store that opens is overwritten through the backup API; a damaged one is
    replaced as a file.
    """
    backup, db_path = Path(backup), Path(db_path)
    reason = not_a_store_reason(backup)
    if reason is not None:
        raise StoreError(f"{backup} cannot be restored: {reason}. Nothing was changed.")
    if db_path.exists() and backup.resolve() == db_path.resolve():
        raise StoreError(f"{backup} is the store itself; choose a backup copy.")
    folder = backup_folder(db_path)
    with nobody_has_it_open(db_path):
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
        source = connect_readonly(backup)
        try:
            if kept is not None and not_a_store_reason(db_path) is None:
                _restore_live(source, db_path)
            else:
                _restore_file(source, db_path)
        finally:
            source.close()
    logger.info("restored %s from %s (previous store kept at %s)", db_path, backup, kept)
    _prune(_named(db_path, "before-restore-*"), KEEP_BACKUPS)
    return kept


def _keep_current(db_path: Path, dest: Path) -> Path:
    """A copy of the store about to be replaced: through SQLite when it reads, else its bytes."""
    try:
        source = connect_readonly(db_path)
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


def _prune_to_budget(copies: list[Path], budget: int) -> None:
    """Drop the oldest of `copies` (newest first) until they fit in `budget` bytes; the newest
    is never dropped, so there is always one good copy."""
    total = _total_size(copies)
    for old in reversed(copies[1:]):
        if total <= budget:
            return
        size = _total_size([old])
        try:
            old.unlink()
        except OSError:
            logger.warning("could not remove old backup %s", old)
            continue
        logger.info("removed %s to stay within the backup budget (%s)", old, _megabytes(budget))
        total -= size


def _prune(backups: list[Path], keep: int) -> None:
    for old in backups[keep:]:
        try:
            old.unlink()
        except OSError:
            logger.warning("could not remove old backup %s", old)
