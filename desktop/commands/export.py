"""`policy-tracker export`: the records (optionally filtered) to a lossless CSV, a friendly CSV, Excel
or an iCalendar file of their deadlines."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from db.csv_io import check_export_target
from db.safe_text import shown
from db.schema import STATUSES
from db.store import VIEWS, Query, Store, StoreError
from desktop.commands.errors import EXIT_OK, PATH_ERRORS, UsageError
from desktop.commands.store_file import open_store
from desktop.friendly_csv import write_friendly_csv


def add_export_command(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register the subcommand through cli.py's `command` (which adds the shared --db)."""
    export = command("export", "write the records (optionally filtered) to a CSV or Excel file")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("--csv", type=Path, help="the CSV file to write (lossless: import reads it back)")
    target.add_argument("--xlsx", type=Path, help="an Excel workbook, headers in words")
    target.add_argument(
        "--ics",
        type=Path,
        help="an iCalendar file of the deadlines: one event per deadline and per stage of a call, "
        "updated in place by a calendar that imports it again",
    )
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
    chosen = export.add_mutually_exclusive_group()
    chosen.add_argument("--followed", action="store_true", help="only the records you follow")
    chosen.add_argument(
        "--view",
        metavar="NAME",
        help=f"only a view's records ({', '.join(VIEWS)}) or a watchlist's (its name)",
    )
    export.add_argument(
        "--alarms",
        type=_alarm_days,
        metavar="DAYS",
        help="with --ics: reminders, in days before each deadline, comma-separated "
        "(default: 14,3; 'none' for no reminder)",
    )


def _alarm_days(text: str) -> tuple[int, ...]:
    if text.strip().lower() == "none":
        return ()
    try:
        days = tuple(sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of days: {text!r} (say 14,3 or none)") from None
    if not days or not all(0 <= day <= 365 for day in days):
        raise argparse.ArgumentTypeError("reminders are 0 to 365 days before the deadline")
    return days


def _query(args: argparse.Namespace, store: Store) -> Query:
    """The records asked for: a view, a watchlist or the followed ones, then the filters."""
    base = Query()
    if args.followed:
        base = Query(view="followed")
    elif args.view in VIEWS:
        base = Query(view=args.view)
    elif args.view:
        lists = {w.name.casefold(): w for w in store.watchlists()}
        found = lists.get(" ".join(args.view.split()).casefold())
        if found is None:
            names = ", ".join(sorted(w.name for w in lists.values())) or "none yet"
            raise UsageError(
                f"no view or watchlist called {shown(args.view)!r} (views: {', '.join(VIEWS)}; "
                f"watchlists: {shown(names)})"
            )
        base = store.watchlist_query(found)
    search = f"{base.search} {args.search}".strip() if args.search else base.search
    return replace(
        base,
        search=search,
        tag=args.tag or base.tag,
        status=args.status or base.status,
        category=args.category or base.category,
    )


def run_export(args: argparse.Namespace, db_path: Path) -> int:
    if not db_path.exists():
        raise UsageError(f"{db_path}: no store there yet (run `policy-tracker fetch` first)")
    if (args.friendly or args.separator != ",") and not args.csv:
        raise UsageError("--friendly and --separator go with --csv")
    if args.separator != "," and not args.friendly:
        raise UsageError("--separator goes with --friendly (the lossless CSV is always comma-separated)")
    if args.alarms is not None and not args.ics:
        raise UsageError("--alarms goes with --ics")
    target: Path = args.xlsx or args.csv or args.ics
    store = open_store(db_path)
    try:
        query = _query(args, store)
        try:
            if args.xlsx or args.friendly:
                kind = "XLSX workbook" if args.xlsx else "CSV file"
                check_export_target(target, store.path, kind)  # never over the store or a backup
            if args.ics:
                from desktop import calendar_export  # icalendar: 90 ms no other command pays

                options = calendar_export.CalendarOptions()
                if args.alarms is not None:
                    options = calendar_export.CalendarOptions(alarm_days=args.alarms)
                count = calendar_export.write_calendar(store, query, target, options)
            elif args.xlsx:
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
        # (A view or the followed records are counted as they are.)
        plain = query.view == "all" and not args.status
        archived = store.count(replace(query, view="archived")) if plain else 0
    finally:
        store.close()
    left_out = f"; {archived} archived records left out (--status archived exports them)" if archived else ""
    what = "deadlines (calendar events)" if args.ics else "records"
    print(f"exported {count} {what} to {shown(target)}{left_out}")
    return EXIT_OK
