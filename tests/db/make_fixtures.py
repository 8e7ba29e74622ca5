"""Regenerate tests/fixtures/db/schema-0001.sqlite: a small store made by migration 0001.

Run once per released schema (`python -m tests.db.make_fixtures`) and commit the file; never
regenerate an old one, since the point is to keep a store exactly as that schema made it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.db.helpers import item, open_store

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "db" / "schema-0001.sqlite"


def make(path: Path) -> None:
    store = open_store(path)
    try:
        store.sync_sources(
            [
                {
                    "id": "ukri",
                    "name": "UKRI opportunities",
                    "kind": "feed",
                    "url": "https://www.ukri.org/opportunity/",
                }
            ]
        )
        store.save_announcements(
            "ukri", [item(n, summary=f"Summary {n}", category="funding") for n in range(5)]
        )
        store.save_announcements("ukri", [item(0, title="Announcement 0 (edited)", budget_amount=1500000.0)])
        store.set_note(1, "Brief: compute\nsecond line")
        store.set_tags(1, ["AI Act", "compute"])
        store.set_starred([2], True)
        store.set_status([3], "reviewing")
        store.mark_read([4])
    finally:
        store.close()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE
    if target.exists():
        sys.exit(f"{target} exists; fixtures of released schemas are never regenerated")
    target.parent.mkdir(parents=True, exist_ok=True)
    make(target)
    print(f"wrote {target}")
