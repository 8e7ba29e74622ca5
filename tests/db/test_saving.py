"""Saving a source's batch: new, changed and unchanged records, their history, and the source."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from db import saving
from db.store import Store
from scrapers.model import Validators
from tests.db.helpers import NOW, count, item

NOW_TEXT = "2026-01-01T00:00:00.000Z"


def test_new_changed_unchanged(store: Store) -> None:
    assert store.save_announcements("src", [item(1), item(2), item(3)]).new == 3
    result = store.save_announcements("src", [item(1), item(2, title="Edited"), item(4)])
    assert (result.new, result.changed, result.unchanged) == (1, 1, 1)
    assert store.record(2)["title"] == "Edited"  # type: ignore[index]


def test_a_change_keeps_the_previous_values(store: Store) -> None:
    store.save_announcements("src", [item(1, deadline_at="2026-05-01T16:00:00Z", budget_amount=1e6)])
    later = NOW + timedelta(days=1)
    store.clock = lambda: later
    store.save_announcements("src", [item(1, deadline_at="2026-06-01T16:00:00Z", budget_amount=2e6)])
    record = store.record(1)
    assert record is not None
    assert record["changed_at"] == "2026-03-03T09:30:00.000Z"
    assert record["first_seen_at"] == "2026-03-02T09:30:00.000Z"
    [version] = store.versions(1)
    assert version["changed_at"] == record["changed_at"]
    assert version["changes"] == [
        ("deadline_at", "2026-05-01T16:00:00Z", "2026-06-01T16:00:00Z"),
        ("budget_amount", 1e6, 2e6),
    ]


def test_versions_are_newest_first(store: Store) -> None:
    for title in ("one", "two", "three"):
        store.save_announcements("src", [item(1, title=title)])
    assert [v["changes"][0][2] for v in store.versions(1)] == ["three", "two"]


def test_unsaid_fields_keep_what_is_stored(store: Store) -> None:
    full = item(1, summary="Long summary", body="Full text", deadline_at="2026-05-01T00:00:00Z")
    store.save_announcements("src", [full])
    hash_before = store.record(1)["content_hash"]  # type: ignore[index]
    result = store.save_announcements("src", [item(1, summary="  ", body="")])  # a thin listing
    assert result.unchanged == 1
    record = store.record(1)
    assert record is not None
    assert (record["summary"], record["body"], record["deadline_at"]) == (
        "Long summary",
        "Full text",
        "2026-05-01T00:00:00Z",
    )
    assert record["content_hash"] == hash_before
    assert record["changed_at"] is None
    assert store.versions(1) == []


def test_last_seen_moves_on_every_save(store: Store) -> None:
    store.save_announcements("src", [item(1)])
    later = NOW + timedelta(hours=5)
    store.clock = lambda: later
    store.save_announcements("src", [item(1)])
    assert store.record(1)["last_seen_at"] == "2026-03-02T14:30:00.000Z"  # type: ignore[index]


def test_the_source_row_records_the_success(store: Store) -> None:
    store.record_failure("src", "HTTP 503")
    store.save_announcements(
        "src", [item(1), item(2)], Validators(etag='"abc"', last_modified="Mon, 02 Mar 2026")
    )
    [row] = store.source_rows()
    assert row["last_error"] is None
    assert row["last_success_at"] == row["last_attempt_at"] == "2026-03-02T09:30:00.000Z"
    assert (row["last_item_count"], row["record_count"]) == (2, 2)
    assert tuple(store.validators("src")) == ('"abc"', "Mon, 02 Mar 2026")
    assert Validators(*store.validators("src")).etag == '"abc"'


def test_announcements_are_read_by_shape(store: Store) -> None:
    plain = SimpleNamespace(url="https://example.org/x", title="By shape", summary=None, budget_amount="12.5")
    mapping = {"url": "https://example.org/y", "title": "A mapping", "category": "funding"}
    assert store.save_announcements("src", [plain, mapping], ("e1", None)).new == 2
    assert store.record(1)["budget_amount"] == 12.5  # type: ignore[index]
    assert store.record(2)["category"] == "funding"  # type: ignore[index]
    assert store.validators("src") == ("e1", None)


def test_a_batch_is_all_or_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.save_announcements("src", [item(1)])
    sources_before = store.source_rows()
    real_insert, calls = saving.insert_record, []

    def insert_then_fail(*args: Any) -> int:
        calls.append(1)
        if len(calls) == 50:
            raise RuntimeError("killed halfway")
        return real_insert(*args)

    monkeypatch.setattr(saving, "insert_record", insert_then_fail)
    with pytest.raises(RuntimeError):
        store.save_announcements("src", [item(n, title="changed") for n in range(1, 100)])
    assert count(store, "SELECT count(*) FROM records") == 1
    assert store.record(1)["title"] == "Announcement 1"  # type: ignore[index]
    assert store.source_rows() == sources_before
    assert not store.db.conn.in_transaction


def test_new_records_are_written_once_each_in_id_order(store: Store) -> None:
    with store._write():
        staged = saving.NewRecords(store.db)
        ids = [
            staged.add(f"https://example.org/n/{n}", None, {"title": f"N {n}"}, NOW_TEXT) for n in range(3)
        ]
        staged.flush()
        staged.flush()  # nothing staged: nothing written twice
        untitled = saving.insert_record(store.db, "https://example.org/untitled", None, {}, NOW_TEXT)
    rows = store.db.conn.execute("SELECT id, title FROM records ORDER BY id").fetchall()
    assert rows == [
        (ids[0], "N 0"),
        (ids[1], "N 1"),
        (ids[2], "N 2"),
        (untitled, "https://example.org/untitled"),
    ]
    assert count(store, "SELECT count(*) FROM records_fts WHERE records_fts MATCH 'N'") == 3


def test_a_failed_write_of_new_records_leaves_nothing_staged(store: Store) -> None:
    store.save_announcements("src", [item(1)])
    with pytest.raises(Exception, match="UNIQUE"), store._write():
        staged = saving.NewRecords(store.db)
        staged.add("https://example.org/news/2", None, {"title": "fine"}, NOW_TEXT)
        staged.add("https://example.org/news/1", None, {"title": "already stored"}, NOW_TEXT)
        staged.flush()
    assert store.save_announcements("src", [item(3)]).new == 1
    titles = [row[0] for row in store.db.conn.execute("SELECT title FROM records ORDER BY id")]
    assert titles == ["Announcement 1", "Announcement 3"]
