"""`policy-tracker fetch`: every enabled source into the store, after the checks and the daily copy."""

from __future__ import annotations

import argparse
import configparser
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from db.backups import daily_backup, daily_backup_path, not_a_store_reason
from db.rows import stamp
from db.store import StoreError
from desktop.change_report import report_json, report_text
from desktop.commands.errors import EXIT_FAILED, EXIT_OK, UsageError
from desktop.commands.store_file import check_store_path, open_store
from desktop.paths import settings_path
from desktop.refresh import DEFAULT_BUDGET_S, RefreshSummary, SourceOutcome, refresh
from desktop.sources_file import load_sources
from scrapers.http import HttpClient

logger = logging.getLogger(__name__)


def add_fetch_command(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register the subcommand through cli.py's `command` (which adds the shared --db)."""
    fetch = command("fetch", "fetch every enabled source and save what is new or changed")
    fetch.add_argument("--sources", type=Path, help="a sources file to use instead of the default")
    fetch.add_argument("--only", nargs="+", metavar="ID", help="fetch only these source ids")
    fetch.add_argument(
        "--delay",
        type=_seconds,
        default=1.0,
        metavar="SECONDS",
        help="pause between two requests to one site (default: 1)",
    )
    fetch.add_argument(
        "--time-limit",
        type=_budget,
        default=DEFAULT_BUDGET_S,
        metavar="SECONDS",
        help=f"give up on sources still fetching after this long (default: {DEFAULT_BUDGET_S:g})",
    )
    fetch.add_argument(
        "--report",
        action="store_true",
        help="then print what changed: new records in each watchlist, deadlines and budgets moved, "
        "calls opened or closed (for cron mail; the exit code is the same)",
    )
    fetch.add_argument(
        "--json",
        action="store_true",
        help="with --report: the report as JSON on standard output, the progress lines on standard error",
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value <= 60:
        raise argparse.ArgumentTypeError("must be between 0 and 60 seconds")
    return value


def _budget(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 1 <= value <= 24 * 3600:
        raise argparse.ArgumentTypeError("must be between 1 second and 24 hours")
    return value


def run_fetch(args: argparse.Namespace, db_path: Path) -> int:
    if args.json and not args.report:
        raise UsageError("--json goes with --report")
    sources = load_sources(args.sources)
    progress_out = sys.stderr if args.json else sys.stdout  # JSON alone on standard output
    if args.only:
        known = {s.id for s in sources}
        unknown = [i for i in args.only if i not in known]
        if unknown:
            raise UsageError(f"no source with id {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        sources = [s for s in sources if s.id in args.only]
        for source in sources:
            if not source.enabled:  # said, not silently passed over
                print(f"{source.id}: disabled in the sources file: skipped", file=progress_out, flush=True)
    existed = db_path.is_file()
    check_store_path(db_path)
    if existed and db_path.stat().st_size > 0:
        # Every page is read once a day, on the fetch that takes the daily copy: later fetches that
        # day trust the copy's own quick_check (docs/ARCHITECTURE.md, "Checks before a fetch").
        every_page = not daily_backup_path(db_path).exists()
        reason = not_a_store_reason(db_path, every_page=every_page)  # a damaged store is not written to
        if reason:
            raise StoreError(
                f"{db_path}: not fetching into it: {reason}. Nothing was written; "
                "restore a backup (policy-tracker restore FILE)."
            )
    open_store(db_path).close()
    if existed:
        _daily_backup(db_path)

    def report(outcome: SourceOutcome, done: int, total: int) -> None:
        print(outcome.line(), file=progress_out, flush=True)

    started = stamp(datetime.now(UTC))  # what changed is what this fetch wrote
    client = HttpClient(per_host_delay=args.delay)
    try:
        summary = refresh(db_path, sources, client=client, on_progress=report, budget=args.time_limit)
    finally:
        client.close()
    print(summary.text(), file=progress_out)
    if summary.offline:
        print(summary.offline_text(), file=progress_out)
    if args.report:
        _print_report(db_path, started, summary, as_json=args.json)
    return EXIT_FAILED if summary.failed or summary.site_changed else EXIT_OK


def _print_report(db_path: Path, started: str, summary: RefreshSummary, *, as_json: bool) -> None:
    store = open_store(db_path)
    try:
        changes = store.changes_since(started)
    finally:
        store.close()
    print(report_json(changes, summary) if as_json else "\n" + report_text(changes), flush=True)


def _daily_backup(db_path: Path) -> None:
    """Once a day, before a fetch changes anything (a cron fetch may be all that ever runs)."""
    try:
        taken = daily_backup(db_path, budget_gb=_backup_budget_gb())
    except StoreError as exc:
        print(f"policy-tracker: warning: no daily backup today: {exc}", file=sys.stderr)
        return
    if taken:
        logger.info("daily backup: %s", taken)


def _backup_budget_gb() -> float:
    """The window's "Disk space for daily copies" setting (0: automatic), so that a cron
    fetch keeps the copies the user asked for; read without Qt from its INI file."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(settings_path(), encoding="utf-8")
        return max(0.0, parser.getfloat("backups", "budget_gb", fallback=0.0))
    except (configparser.Error, ValueError, OSError, UnicodeDecodeError) as exc:
        logger.warning("the backup budget setting is unreadable (%s); using the automatic one", exc)
        return 0.0
