"""`policy-tracker import` and `undo-import`: notes, tags, status and new records from a CSV, and back."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from db.safe_text import shown
from desktop.commands.errors import EXIT_OK, UsageError
from desktop.commands.store_file import open_store


def add_import_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register both subcommands through cli.py's `command` (which adds the shared --db)."""
    imp = command("import", "read notes, tags, status and new records from a CSV file")
    imp.add_argument("--csv", type=Path, required=True, help="a CSV export or tracker spreadsheet")
    command(
        "undo-import",
        "put back the notes, tags, statuses and stars the last import replaced (the records it added stay)",
    )


def run_import(args: argparse.Namespace, db_path: Path) -> int:
    if not args.csv.is_file():
        raise UsageError(f"{args.csv}: no such file")
    made = _missing_parts(db_path)
    store = open_store(db_path)
    try:
        result = store.import_csv(args.csv)
    except BaseException:
        store.close()
        _remove_new_store(db_path, made)  # a failed import into a new store leaves none behind
        raise
    finally:
        store.close()
    changes = result.changes_text()
    replaced = f" ({changes}; `policy-tracker undo-import` puts back what it replaced)" if changes else ""
    print(f"imported {shown(args.csv)}: {result.new} new records, {result.updated} updated{replaced}")
    return EXIT_OK


def run_undo_import(args: argparse.Namespace, db_path: Path) -> int:
    if not db_path.is_file():
        raise UsageError(f"{db_path}: no store there yet (run `policy-tracker fetch` first)")
    store = open_store(db_path)
    try:
        restored, kept = store.undo_last_import()
    finally:
        store.close()
    if not restored and not kept:
        print("no import to undo: no import has replaced a note, tag, status or star")
        return EXIT_OK
    since = f"; {kept} values changed since the import were kept as they are" if kept else ""
    print(f"put back what the last import replaced in {restored} records{since}")
    return EXIT_OK


def _missing_parts(db_path: Path) -> list[Path]:
    """The store file and the folders above it that do not exist yet (innermost first)."""
    missing: list[Path] = []
    for path in (db_path, *db_path.absolute().parents):
        if path.exists():
            break
        missing.append(path)
    return missing


def _remove_new_store(db_path: Path, made: list[Path]) -> None:
    if db_path not in made:
        return  # the store was there before: the failed import's transaction changed nothing
    for suffix in ("", "-wal", "-shm", "-journal", "-open"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    for folder in made[1:]:
        try:
            folder.rmdir()
        except OSError:
            break  # something else was put there meanwhile
