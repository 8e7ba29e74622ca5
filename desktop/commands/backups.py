"""`policy-tracker backup` and `restore`: a full copy or the user's work out, and back in."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from db.backups import automatic_backups, backup_folder, backup_to, restore_backup
from db.safe_text import shown
from db.store import Query, Store
from db.user_work import generations, is_user_work_file, write_user_work
from desktop.commands.errors import EXIT_OK, UsageError


def add_backup_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register both subcommands through cli.py's `command` (which adds the shared --db)."""
    backup = command("backup", "copy the store to a backup file (safe while the window is open)")
    backup.add_argument("--to", type=Path, metavar="FILE", help="the copy to write (default: in backups/)")
    backup.add_argument(
        "--user-work",
        action="store_true",
        help="copy only your notes, tags, statuses, stars and read marks (small and quick)",
    )
    restore = command(
        "restore",
        "replace the store with a full backup copy (keeping the current one first), or put a "
        "user-work file's notes, tags, statuses, stars and read marks back onto the same records",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="a full backup or a user-work file")


def run_backup(args: argparse.Namespace, db_path: Path) -> int:
    if not db_path.is_file():
        raise UsageError(f"{db_path}: no store there yet (run `policy-tracker fetch` first)")
    started = time.perf_counter()
    if args.user_work:
        dest = args.to or backup_folder(db_path) / f"{db_path.stem}-user-work-manual-{_stamp()}.sqlite"
        if dest.exists():
            raise UsageError(f"{dest} already exists; choose a new file name (nothing was overwritten)")
        dest.parent.mkdir(parents=True, exist_ok=True)
        count = write_user_work(db_path, dest)
        what = f"the user work of {count} records"
    else:
        dest = backup_to(db_path, args.to)
        what = "the store"
    print(f"backed up {what} of {db_path} to {dest} ({_size_and_time(dest, started)})")
    return EXIT_OK


def run_restore(args: argparse.Namespace, db_path: Path) -> int:
    if not args.file.is_file():
        known = automatic_backups(db_path) + generations(db_path)
        hint = f" (automatic backups: {', '.join(str(p) for p in known[:5])})" if known else ""
        raise UsageError(f"{args.file}: no such file{hint}")
    if db_path.exists() and db_path.is_dir():
        raise UsageError(f"{db_path} is a folder, not a store file")
    started = time.perf_counter()
    if is_user_work_file(args.file):
        if not db_path.is_file():
            raise UsageError(f"{db_path}: no store to put the user work on (fetch or restore a copy first)")
        with Store.open(db_path) as store:
            result = store.restore_user_work(args.file)
        print(
            f"restored the user work in {args.file} onto {db_path} ({_size_and_time(args.file, started)}): "
            f"{result.matched} records matched by their link, {result.unmatched} not in this store"
        )
        for title in result.unmatched_titles:
            print(f"  not in this store: {shown(title, 200)}")
        if result.unmatched:
            print(f"their work stays in {args.file}; fetch them again, then restore it once more")
        return EXIT_OK
    db_path.parent.mkdir(parents=True, exist_ok=True)
    kept = restore_backup(args.file, db_path)
    with Store.open(db_path) as store:  # upgrades an older copy; proves it opens
        records = store.count(Query(view="all")) + store.count(Query(view="archived"))
    print(f"restored {db_path} from {args.file}: {records} records ({_size_and_time(args.file, started)})")
    if kept:
        print(f"the store as it was before is kept at {kept}")
    return EXIT_OK


def _size_and_time(path: Path, started: float) -> str:
    size = path.stat().st_size
    return f"{size / 1e6:,.1f} MB, {time.perf_counter() - started:.2f} s"


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
