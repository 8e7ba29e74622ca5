"""Which listed items deserve a detail-page fetch: new links and changed listings only."""

from __future__ import annotations

from db.store import Store
from tests.db.helpers import item


def test_new_and_changed_items_need_details(store: Store) -> None:
    store.save_announcements(
        "src", [item(1, summary="Listing text", body="Full text"), item(2, summary="Same")]
    )
    same = item(1, summary="Listing text")  # body unsaid in a listing: not a difference
    changed = item(2, summary="Edited")
    new = item(3)
    tracked = item(1, url="https://example.org/news/1?utm_source=rss", summary="Listing text")
    wanted = store.needs_detail([same, changed, new, tracked, item(3, summary="dup")])
    assert wanted == [changed, new]
    assert wanted[1] is new  # the caller's own objects, to match by identity or url


def test_nothing_is_written(store: Store) -> None:
    store.save_announcements("src", [item(1)])
    changes = store.db.conn.total_changes
    store.needs_detail([item(1, title="Edited"), item(2)])
    assert store.db.conn.total_changes == changes
