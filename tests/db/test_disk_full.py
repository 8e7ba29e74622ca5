"""A full disk fails the batch as a whole with a plain message; earlier data stays; it resumes."""

from __future__ import annotations

import pytest

from db.store import Query, Store, StoreError
from tests.db.helpers import count, item, user_data


def _fill_limit(store: Store) -> None:
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 2}")


def test_a_refresh_on_a_full_disk(store: Store) -> None:
    store.save_announcements("src", [item(n) for n in range(20)])
    store.set_note(1, "precious")
    before_user, before_source = user_data(store), store.source_rows()
    _fill_limit(store)
    big = [item(1000 + n, body="text " * 2000) for n in range(100)]
    with pytest.raises(StoreError, match="disk is full"):
        store.save_announcements("src", big)
    assert store.count(Query()) == 20
    assert user_data(store) == before_user
    assert store.source_rows() == before_source  # no half-recorded success either
    assert store.check_integrity() == []
    store.db.execute("PRAGMA max_page_count = 1073741823")  # space freed
    assert store.save_announcements("src", big).new == 100
    assert count(store, "SELECT count(*) FROM records_fts_docsize") == 120


def test_a_note_on_a_full_disk(store: Store) -> None:
    store.save_announcements("src", [item(1)])
    _fill_limit(store)
    with pytest.raises(StoreError, match="disk is full"):
        store.set_note(1, "a long note " * 10000)
    assert store.record(1)["note"] is None  # type: ignore[index]
