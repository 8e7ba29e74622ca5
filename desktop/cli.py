"""The `policy-tracker` command (README.md, "The command line"): parses the arguments and hands
them to the command's module in desktop/commands/. No Qt unless it opens the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from db.safe_text import shown
from db.store import StoreError
from desktop.commands.backups import add_backup_commands, run_backup, run_restore
from desktop.commands.brief import add_brief_command, run_brief
from desktop.commands.errors import EXIT_FAILED, EXIT_USAGE, UsageError
from desktop.commands.export import add_export_command, run_export
from desktop.commands.fetch import add_fetch_command, run_fetch
from desktop.commands.import_csv import add_import_commands, run_import, run_undo_import
from desktop.commands.sources import add_sources_command, run_sources
from desktop.commands.tags import add_tags_command, run_tags
from desktop.logging_setup import setup_logging
from desktop.opml import OpmlError
from desktop.paths import default_db_path
from desktop.sources_file import SourcesFileError
from scrapers.http import app_version

EXIT_CODES = """exit codes (every command):
  0  done (fetch: every source succeeded)
  1  it failed: a source failed (the others are still saved), the store is damaged or is not
     a Policy Tracker store, or a file could not be read or written; the message says what,
     and nothing saved was changed
  2  bad usage: an unknown option, command or source id, a file or store that is not there,
     a folder where a file belongs, a file that may not be written, a sources file with a
     mistake"""

_RUN: dict[str, Callable[[argparse.Namespace, Path], int]] = {
    "fetch": run_fetch,
    "export": run_export,
    "import": run_import,
    "undo-import": run_undo_import,
    "sources": run_sources,
    "backup": run_backup,
    "restore": run_restore,
    "brief": run_brief,
    "tags": run_tags,
}


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

    add_fetch_command(command)
    add_export_command(command)
    add_import_commands(command)
    add_sources_command(command)
    add_backup_commands(command)
    add_brief_command(command)
    add_tags_command(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    if args.command is None:
        from desktop.ui.fatal_error import run_window  # Qt only when the window is wanted

        return run_window(args.db)
    db_path: Path = args.db or default_db_path()
    try:
        return _RUN[args.command](args, db_path)
    except (UsageError, SourcesFileError) as exc:
        _say(args.command, str(exc))
        return EXIT_USAGE
    except StoreError as exc:
        _say(args.command, _naming_the_file(str(exc), args, db_path))
        return EXIT_FAILED
    except OpmlError as exc:  # names its file already
        _say(args.command, str(exc))
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


if __name__ == "__main__":
    sys.exit(main())
