"""`policy-tracker export`: the records (optionally filtered) to a lossless CSV, a friendly CSV or Excel."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from db.csv_io import check_export_target
from db.safe_text import shown
from db.schema import STATUSES
from db.store import Query, StoreError
from desktop.commands.errors import EXIT_OK, PATH_ERRORS, UsageError
from desktop.commands.store_file import open_store
from desktop.friendly_csv import write_friendly_csv


def add_export_command(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register the subcommand through cli.py's `command` (which adds the shared --db)."""
    export = command("export", "write the records (optionally filtered) to a CSV or Excel file")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("--csv", type=Path, help="the CSV file to write (lossless: import reads it back)")
    target.add_argument("--xlsx", type=Path, help="an Excel workbook, headers in words")
    export.add_argument("--friendly", action="store_true", help="with --csv: headers in words")
    export.add_argument(
        "--separator",
        choices=(",", ";"),
        default=",",
        help="with --friendly: ';' where the decimal mark is a comma",
    )
    export.add_argument("--search", default="", help="full-text search")
    export.add_argument("--tag", help="only records with this tag")
    export.add_argument("--status", choices=STATUSES, help="only records with this status")
    export.add_argument("--category", help="only records of this category")


def run_export(args: argparse.Namespace, db_path: Path) -> int:
    if not db_path.exists():
        raise UsageError(f"{db_path}: no store there yet (run `policy-tracker fetch` first)")
    if (args.friendly or args.separator != ",") and not args.csv:
        raise UsageError("--friendly and --separator go with --csv")
    if args.separator != "," and not args.friendly:
        raise UsageError("--separator goes with --friendly (the lossless CSV is always comma-separated)")
    query = Query(search=args.search, tag=args.tag, status=args.status, category=args.category)
    target: Path = args.xlsx or args.csv
    store = open_store(db_path)
    try:
        try:
            if args.xlsx or args.friendly:
                kind = "XLSX workbook" if args.xlsx else "CSV file"
                check_export_target(target, store.path, kind)  # never over the store or a backup
            if args.xlsx:
                from desktop.xlsx_export import write_xlsx  # openpyxl: 50 ms no other command pays

                count = write_xlsx(target, store.full_rows(query))
            elif args.friendly:
                count = write_friendly_csv(target, store.full_rows(query), args.separator)
            else:
                count = store.export_csv(target, query)
        except OSError as exc:
            # A path that cannot be written is the user's to fix (2); a full disk is not (1).
            problem = UsageError if exc.errno in PATH_ERRORS else StoreError
            raise problem(
                f"cannot write {shown(target)}: {exc.strerror or exc}; nothing was written "
                "(a file already there is as it was)"
            ) from None
        # Archived records are out of every view but their own, so out of a plain export too.
        archived = 0 if args.status else store.count(replace(query, view="archived"))
    finally:
        store.close()
    left_out = f"; {archived} archived records left out (--status archived exports them)" if archived else ""
    print(f"exported {count} records to {shown(target)}{left_out}")
    return EXIT_OK
