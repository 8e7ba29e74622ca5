"""`policy-tracker brief`: the records of a tag, a date range or a search as a document to send."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from db.csv_io import check_export_target
from db.safe_text import shown
from db.schema import STATUSES
from db.store import Store, StoreError
from desktop.briefs import BRIEF_KINDS
from desktop.briefs.model import FORMATS, GROUPINGS, BriefOptions, build_brief
from desktop.briefs.selection import Selection, UnknownRecords, period_text, select_records
from desktop.commands.errors import EXIT_FAILED, EXIT_OK, PATH_ERRORS, UsageError


def add_brief_command(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register the subcommand through cli.py's `command` (which adds the shared --db)."""
    brief = command("brief", "write the records of a tag, a date range or a search as a brief to send")
    brief.add_argument("--format", choices=FORMATS, required=True, help="docx, pdf, html or md (Markdown)")
    brief.add_argument("--out", type=Path, required=True, metavar="FILE", help="the file to write")
    brief.add_argument("--tag", help="only records with this tag")
    brief.add_argument("--since", type=_day, metavar="DATE", help="only records published on or after DATE")
    brief.add_argument("--until", type=_day, metavar="DATE", help="only records published on or before DATE")
    brief.add_argument("--search", default="", help="full-text search, as in the window")
    brief.add_argument("--status", choices=STATUSES, help="only records with this status")
    brief.add_argument("--category", help="only records of this category")
    brief.add_argument(
        "--id",
        type=int,
        action="append",
        dest="ids",
        metavar="ID",
        help="this record (repeat for more; in this order; replaces the filters)",
    )
    brief.add_argument("--heading", default="Policy brief", help="the document's heading")
    brief.add_argument("--intro", default="", help="an introduction under the heading")
    brief.add_argument(
        "--group-by",
        choices=GROUPINGS,
        default="jurisdiction",
        help="jurisdiction then category (default), tag, or deadline",
    )
    brief.add_argument(
        "--section",
        action="append",
        default=[],
        metavar="NAME",
        help="put this section first (repeat to order several)",
    )
    brief.add_argument("--no-notes", action="store_true", help="leave out your notes")
    brief.add_argument("--no-summaries", action="store_true", help="leave out the summaries")
    brief.add_argument("--no-links", action="store_true", help="titles without links")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {shown(text, 40)}") from None


def run_brief(args: argparse.Namespace, db_path: Path) -> int:
    if not db_path.is_file():
        raise UsageError(f"{db_path}: no store there yet (run `policy-tracker fetch` first)")
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    out: Path = args.out
    if out.is_dir():
        raise UsageError(f"{shown(out)} is a folder; give a file name")
    if not out.parent.is_dir():
        raise UsageError(f"cannot write {shown(out)}: no folder {shown(out.parent)}")
    selection = Selection(
        tag=args.tag,
        since=args.since,
        until=args.until,
        search=args.search,
        status=args.status,
        category=args.category,
        record_ids=tuple(args.ids or ()),
    )
    options = BriefOptions(
        heading=args.heading,
        intro=args.intro,
        period=period_text(args.since, args.until),
        group_by=args.group_by,
        section_order=tuple(args.section),
        notes=not args.no_notes,
        summaries=not args.no_summaries,
        links=not args.no_links,
    )
    with Store.open(db_path) as store:
        check_export_target(out, store.path, BRIEF_KINDS[args.format])  # never over the store or a backup
        try:
            records = select_records(store, selection)
        except UnknownRecords as exc:
            raise UsageError(str(exc)) from None
    brief = build_brief(records, options)
    # Imported here: python-docx takes 30 ms to load, which no other command should pay.
    from desktop.briefs.output import BriefWriteError, save_brief

    try:
        save_brief(brief, args.format, out)
    except OSError as exc:
        problem = UsageError if exc.errno in PATH_ERRORS else StoreError
        raise problem(
            f"cannot write {shown(out)}: {shown(exc.strerror or exc)}; nothing was written"
        ) from None
    except BriefWriteError as exc:
        print(f"policy-tracker brief: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote a brief of {brief.record_count} records to {shown(out)}")
    return EXIT_OK
