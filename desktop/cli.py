"""The `policy-tracker` command (README.md, "The command line"). No Qt unless it opens the window."""

from __future__ import annotations

import argparse
import configparser
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from db.backups import (
    automatic_backups,
    backup_folder,
    backup_to,
    daily_backup,
    daily_backup_path,
    not_a_store_reason,
    restore_backup,
)
from db.csv_io import check_export_target
from db.safe_text import shown
from db.store import Query, Store, StoreError
from db.user_work import generations, is_user_work_file, write_user_work
from desktop.brief_command import add_brief_command, run_brief
from desktop.cli_errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, PATH_ERRORS, UsageError
from desktop.friendly_csv import write_friendly_csv
from desktop.logging_setup import setup_logging
from desktop.paths import default_db_path, settings_path
from desktop.refresh import DEFAULT_BUDGET_S, SourceOutcome, refresh
from desktop.sources_file import SourcesFileError, default_sources_path, load_sources
from scrapers.http import HttpClient, app_version

logger = logging.getLogger(__name__)

STATUSES = ("new", "reviewing", "done", "archived")


EXIT_CODES = """exit codes (every command):
  0  done (fetch: every source succeeded)
  1  it failed: a source failed (the others are still saved), the store is damaged or is not
     a Policy Tracker store, or a file could not be read or written; the message says what,
     and nothing saved was changed
  2  bad usage: an unknown option, command or source id, a file or store that is not there,
     a folder where a file belongs, a file that may not be written, a sources file with a
     mistake"""
_SQLITE_HEADER = b"SQLite format 3\x00"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policy-tracker",
        description="Track EU and UK AI, digital and research-funding announcements. "
        "With no command, opens the window.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"policy-tracker {app_version()}")
    db_help = f"the store file (default: {default_db_path()})"
    parser.add_argument("--db", type=Path, help=db_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=db_help)
        return sub

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

    imp = command("import", "read notes, tags, status and new records from a CSV file")
    imp.add_argument("--csv", type=Path, required=True, help="a CSV export or tracker spreadsheet")

    command(
        "undo-import",
        "put back the notes, tags, statuses and stars the last import replaced (the records it added stay)",
    )

    sources = command("sources", "list configured and known sources with their health")
    sources.add_argument("--sources", type=Path, help="a sources file to use instead of the default")

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

    add_brief_command(command)
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    if args.command is None:
        from desktop.ui.fatal_error import run_window  # Qt only when the window is wanted

        return run_window(args.db)
    db_path: Path = args.db or default_db_path()
    handler = {
        "fetch": _fetch,
        "export": _export,
        "import": _import,
        "undo-import": _undo_import,
        "sources": _sources,
        "backup": _backup,
        "restore": _restore,
        "brief": run_brief,
    }
    try:
        return handler[args.command](args, db_path)
    except (UsageError, SourcesFileError) as exc:
        _say(args.command, str(exc))
        return EXIT_USAGE
    except StoreError as exc:
        _say(args.command, _naming_the_file(str(exc), args, db_path))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _say(args.command, "interrupted")
        return EXIT_FAILED


def _naming_the_file(message: str, args: argparse.Namespace, db_path: Path) -> str:
    """The message with the file it is about in front: the store's path unless it already
    names the store or the file the command was given; a line of an imported CSV, its path."""
    given = [getattr(args, name, None) for name in ("csv", "xlsx", "out", "file", "to")]
    if any(str(path) in message for path in (db_path, *given) if path is not None):
        return message
    if message.startswith("Line ") and args.command == "import":
        return f"{args.csv}: {message}"
    return f"{db_path}: {message}"


def _say(command: str, message: str) -> None:
    """One line on stderr; what it quotes from a file or a site has its control characters
    escaped (an escape sequence in a file's first line must not reach the terminal)."""
    print(f"policy-tracker {command}: {shown(message, limit=2000)}", file=sys.stderr)


def _check_store_path(db_path: Path) -> None:
    """Refuse, before SQLite tries, a store path that is a folder, a device or a file that is
    not a database: one line with the real reason (SQLite's own would be "cannot open")."""
    if not db_path.exists():
        return
    if db_path.is_dir():
        raise UsageError(f"{db_path} is a folder, not a store file")
    if not db_path.is_file():
        raise StoreError(f"{db_path} is not a regular file (a device, a pipe or a socket), not a store")
    try:
        with db_path.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{db_path} cannot be read: {exc.strerror or exc}") from None
    if head and head != _SQLITE_HEADER:
        raise StoreError(f"{db_path} is not a Policy Tracker database: it is not an SQLite database file")


def _open_store(db_path: Path) -> Store:
    _check_store_path(db_path)
    if not db_path.parent.exists():
        db_path.parent.mkdir(parents=True, exist_ok=True)
    return Store.open(db_path)


def _fetch(args: argparse.Namespace, db_path: Path) -> int:
    sources = load_sources(args.sources)
    if args.only:
        known = {s.id for s in sources}
        unknown = [i for i in args.only if i not in known]
        if unknown:
            raise UsageError(f"no source with id {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        sources = [s for s in sources if s.id in args.only]
    existed = db_path.is_file()
    _check_store_path(db_path)
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
    _open_store(db_path).close()
    if existed:
        _daily_backup(db_path)

    def report(outcome: SourceOutcome, done: int, total: int) -> None:
        print(outcome.line(), flush=True)

    client = HttpClient(per_host_delay=args.delay)
    try:
        summary = refresh(db_path, sources, client=client, on_progress=report, budget=args.time_limit)
    finally:
        client.close()
    print(summary.text())
    return EXIT_FAILED if summary.failed or summary.site_changed else EXIT_OK


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


def _backup(args: argparse.Namespace, db_path: Path) -> int:
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


def _restore(args: argparse.Namespace, db_path: Path) -> int:
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


def _export(args: argparse.Namespace, db_path: Path) -> int:
    if not db_path.exists():
        raise UsageError(f"{db_path}: no store there yet (run `policy-tracker fetch` first)")
    if (args.friendly or args.separator != ",") and not args.csv:
        raise UsageError("--friendly and --separator go with --csv")
    if args.separator != "," and not args.friendly:
        raise UsageError("--separator goes with --friendly (the lossless CSV is always comma-separated)")
    query = Query(search=args.search, tag=args.tag, status=args.status, category=args.category)
    target: Path = args.xlsx or args.csv
    store = _open_store(db_path)
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


def _import(args: argparse.Namespace, db_path: Path) -> int:
    if not args.csv.is_file():
        raise UsageError(f"{args.csv}: no such file")
    made = _missing_parts(db_path)
    store = _open_store(db_path)
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


def _undo_import(args: argparse.Namespace, db_path: Path) -> int:
    if not db_path.is_file():
        raise UsageError(f"{db_path}: no store there yet (run `policy-tracker fetch` first)")
    store = _open_store(db_path)
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


def _sources(args: argparse.Namespace, db_path: Path) -> int:
    configured = load_sources(args.sources)
    _check_store_path(db_path)
    known: dict[str, dict[str, object]] = {}
    if db_path.exists():  # only reads: a missing store is not created
        store = _open_store(db_path)
        try:
            known = {row["id"]: row for row in store.source_rows()}
        finally:
            store.close()
    print(f"sources file: {args.sources or default_sources_path()}")
    ids = [s.id for s in configured] + sorted(set(known) - {s.id for s in configured})
    names = {s.id: s for s in configured}
    for source_id in ids:
        row = known.get(source_id, {})
        source = names.get(source_id)
        where = "configured" if source else "known from an earlier fetch"
        enabled = "" if source is None or source.enabled else " (disabled)"
        kind = source.kind if source else row.get("kind", "?")
        print(f"{source_id} [{shown(kind)}] {where}{enabled}: {_health(row)}")
    return EXIT_OK


def _health(row: dict[str, object]) -> str:
    if not row or not row.get("last_attempt_at"):
        return "never fetched"
    count = row.get("record_count", 0)
    success = row.get("last_success_at") or "never"
    text = f"last success {success}, {count} records"
    if row.get("last_error"):
        text = f"FAILING: {shown(row['last_error'])} ({text})"
    elif isinstance(changed := row.get("site_changed"), list) and changed:
        reasons = "; ".join(shown(reason) for reason in changed)
        text = f"SITE CHANGED? {reasons} (since {row.get('site_changed_since')}; {text})"
    return text


if __name__ == "__main__":
    sys.exit(main())
