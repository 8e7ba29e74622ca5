"""`policy-tracker sources`: the configured and known sources with their health (read only), or
an OPML list of feeds imported into the sources file or exported from it (desktop/opml.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from db.safe_text import shown
from desktop.commands.errors import EXIT_OK
from desktop.commands.store_file import check_store_path, open_store
from desktop.opml import OpmlError, feed_sources, import_feeds, read_opml, write_opml
from desktop.paths import user_sources_path
from desktop.sources_file import default_sources_path, load_sources
from desktop.sources_writer import write_sources


def add_sources_command(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register the subcommand through cli.py's `command` (which adds the shared --db)."""
    sources = command("sources", "list configured and known sources with their health")
    sources.add_argument("--sources", type=Path, help="a sources file to use instead of the default")
    opml = sources.add_mutually_exclusive_group()
    opml.add_argument(
        "--import-opml",
        type=Path,
        metavar="FILE",
        help="add the feeds of an OPML file (a feed reader's export) to the sources file; "
        "addresses already there are skipped",
    )
    opml.add_argument(
        "--export-opml", type=Path, metavar="FILE", help="write the feed sources to an OPML file"
    )


def run_sources(args: argparse.Namespace, db_path: Path) -> int:
    if args.import_opml:
        return _import_opml(args.import_opml, args.sources)
    if args.export_opml:
        return _export_opml(args.export_opml, args.sources)
    configured = load_sources(args.sources)
    check_store_path(db_path)
    known: dict[str, dict[str, object]] = {}
    if db_path.exists():  # only reads: a missing store is not created
        store = open_store(db_path)
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


def _import_opml(path: Path, sources_path: Path | None) -> int:
    """Into the file given with --sources, else the user's own (made from the defaults the first
    time), as the window's Sources dialog saves; nothing is written when the file is refused."""
    imported = import_feeds(load_sources(sources_path), read_opml(path))
    target = sources_path or user_sources_path()
    if imported.added:
        write_sources(target, imported.sources)
    print(f"{path}: {imported.text()}.")
    for source in imported.added:
        print(f"  added {source.id}: {shown(source.name)} <{shown(source.url)}>")
    if imported.added:
        print(f"sources file: {target} (the next fetch reads the new feeds)")
    return EXIT_OK


def _export_opml(path: Path, sources_path: Path | None) -> int:
    sources = load_sources(sources_path)
    try:
        count = write_opml(path, sources)
    except OSError as exc:
        raise OpmlError(f"{path}: cannot write it ({exc.strerror or exc})") from None
    others = len(sources) - len(feed_sources(sources))
    left_out = f"; {others} sources of other kinds are not feeds and were left out" if others else ""
    print(f"{path}: {count} feed{'s' if count != 1 else ''} written{left_out}.")
    return EXIT_OK
