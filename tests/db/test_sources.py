"""Sources and their health: configured rows, failures and 304s (the site-changed mark has its
own tests in tests/db/test_profiles.py)."""

from __future__ import annotations

from datetime import timedelta

from db.store import Store
from scrapers.model import Source
from tests.db.helpers import NOW, item


def test_sync_keeps_health_and_reads_objects_by_shape(store: Store) -> None:
    store.sync_sources(
        [
            {
                "id": "ukri",
                "name": "UKRI",
                "kind": "feed",
                "url": "https://a",
                "enabled": True,
                "config": {"x": 1},
            }
        ]
    )
    store.save_announcements("ukri", [item(1)])
    store.sync_sources(
        [Source(id="ukri", name="UKRI news", kind="feed", url="https://b", enabled=False, options={"y": 2})]
    )
    [row] = store.source_rows()
    assert (row["name"], row["url"], row["enabled"], row["config"]) == (
        "UKRI news",
        "https://b",
        False,
        {"y": 2},
    )
    assert (row["last_item_count"], row["record_count"], row["site_changed"]) == (1, 1, [])


def test_a_failure_keeps_the_last_success(store: Store) -> None:
    store.save_announcements("src", [item(1)])
    later = NOW + timedelta(hours=1)
    store.clock = lambda: later
    store.record_failure("src", "HTTP 503: Service Unavailable")
    [row] = store.source_rows()
    assert (row["last_error"], row["last_attempt_at"], row["last_success_at"]) == (
        "HTTP 503: Service Unavailable", "2026-03-02T10:30:00.000Z", "2026-03-02T09:30:00.000Z",
    )  # fmt: skip


def test_the_last_attempt_is_the_latest_of_any_source_and_none_before_the_first(store: Store) -> None:
    assert store.last_attempt_at() is None
    store.save_announcements("src", [item(1)])
    store.clock = lambda: NOW + timedelta(hours=1)
    store.record_failure("other", "timeout")
    assert store.last_attempt_at() == "2026-03-02T10:30:00.000Z"


def test_not_modified_touches_no_record(store: Store) -> None:
    store.save_announcements("src", [item(1)], ("etag-1", None))
    store.record_failure("src", "timeout")
    records_before = store.db.conn.execute("SELECT * FROM records").fetchall()
    later = NOW + timedelta(hours=2)
    store.clock = lambda: later
    store.record_not_modified("src")
    [row] = store.source_rows()
    assert (row["last_error"], row["last_success_at"]) == (None, "2026-03-02T11:30:00.000Z")
    assert store.validators("src") == ("etag-1", None)
    assert store.db.conn.execute("SELECT * FROM records").fetchall() == records_before


def test_unknown_source_has_no_validators(store: Store) -> None:
    assert store.validators("nobody") == (None, None)


def test_deleting_a_source_keeps_its_annotated_records(store: Store) -> None:
    store.save_announcements("src", [item(1)])
    store.set_note(1, "keep")
    store.db.execute("DELETE FROM sources WHERE id = 'src'")
    record = store.record(1)
    assert record is not None
    assert (record["note"], record["source_id"], record["sources"]) == ("keep", None, [])
