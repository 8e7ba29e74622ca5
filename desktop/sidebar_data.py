"""What the sidebar and the filter bar list, read together on a worker (no Qt).

Counting a large store's views and each source's records takes long enough to stall the
window (330 ms at a million records), so the window reads it off its thread
(desktop/ui/controllers/counts.py) and its dialogs reuse the last read (the watchlist dialog's
lists, the Sources dialog's rows) instead of reading again on the window's thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.store import Store


@dataclass(frozen=True)
class SidebarData:
    """What the sidebar and the filter bar list, read together in one worker."""

    views: dict[str, int]
    tags: list[tuple[str, int]]
    tag_colours: dict[str, str]  # tag name -> colour name (db/tag_admin.TAG_COLOURS)
    sources: list[dict[str, Any]]
    categories: list[str]
    jurisdictions: list[str]
    programmes: list[tuple[str, int]]  # the funding facets' choices, with their counts
    action_types: list[tuple[str, int]]


def read_sidebar_data(db_path: Path) -> SidebarData:
    """Runs in a worker: the counts and lists the sidebar and filters show."""
    store = Store.open(db_path)
    try:
        return SidebarData(
            views=store.view_counts(),
            tags=store.tag_counts(),
            tag_colours=store.tag_colours(),
            sources=store.source_rows(),
            categories=store.categories(),
            jurisdictions=store.jurisdictions(),
            programmes=store.facet_counts("programme"),
            action_types=store.facet_counts("action_type"),
        )
    finally:
        store.close()
