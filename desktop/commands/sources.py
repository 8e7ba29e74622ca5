"""`policy-tracker sources`: the configured and known sources with their health, read only."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from db.safe_text import shown
from desktop.commands.errors import EXIT_OK
from desktop.commands.store_file import check_store_path, open_store
from desktop.sources_file import default_sources_path, load_sources


def add_sources_command(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register the subcommand through cli.py's `command` (which adds the shared --db)."""
    sources = command("sources", "list configured and known sources with their health")
    sources.add_argument("--sources", type=Path, help="a sources file to use instead of the default")


def run_sources(args: argparse.Namespace, db_path: Path) -> int:
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
