"""Notes, status, stars, read marks and tags: what the user writes, exactly as written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db.store import Query, Store, StoreError
from tests.db.helpers import NOW, item


@pytest.fixture
def three(store: Store) -> Store:
    store.save_announcements("src", [item(1), item(2), item(3)])
    return store


@pytest.mark.parametrize(
    "text", ["plain", "two\nlines\r\n", "  spaced  ", "=SUM(A1)", "émoji 🎉 and עברית", "x" * 100_000]
)
def test_a_note_is_stored_byte_for_byte(three: Store, text: str) -> None:
    three.set_note(1, text)
    record = three.record(1)
    assert record is not None
    assert record["note"] == text
    assert record["note_updated_at"] == "2026-03-02T09:30:00.000Z"


@pytest.mark.parametrize("empty", ["", None])
def test_an_empty_note_clears_it(three: Store, empty: str | None) -> None:
    three.set_note(1, "something")
    three.set_note(1, empty)
    assert three.record(1)["note"] is None  # type: ignore[index]
    assert three.count(Query(view="notes")) == 0


def test_a_note_on_a_deleted_record(three: Store) -> None:
    with pytest.raises(StoreError, match="no longer exists"):
        three.set_note(99, "lost")


def test_status_is_validated(three: Store) -> None:
    three.set_status([1, 2], "reviewing")
    with pytest.raises(ValueError, match="unknown status"):
        three.set_status([1], "later")
    assert [three.record(i)["status"] for i in (1, 2, 3)] == ["reviewing", "reviewing", "new"]  # type: ignore[index]


def test_star_and_read_take_one_id_or_many(three: Store) -> None:
    three.set_starred(2, True)
    three.set_starred([1, 3], True)
    three.set_starred([3], False)
    three.mark_read(range(1, 4))
    three.mark_read([2], read=False)
    records = [three.record(i) for i in (1, 2, 3)]
    assert [r["starred"] for r in records] == [True, True, False]  # type: ignore[index]
    assert [r["read_at"] is not None for r in records] == [True, False, True]  # type: ignore[index]


def test_reading_a_changed_record_takes_it_out_of_changed(three: Store) -> None:
    three.mark_read([1])
    three.clock = lambda: NOW + timedelta(seconds=1)
    three.save_announcements("src", [item(1, title="Deadline moved")])
    assert three.count(Query(view="changed")) == 1
    three.clock = lambda: NOW + timedelta(seconds=2)
    three.mark_read([1])
    assert three.count(Query(view="changed")) == 0


def test_tags_are_case_insensitive_and_sorted(three: Store) -> None:
    three.set_tags(1, ["compute", "AI Act", "ai act", "  Brief  ", ""])
    three.add_tag([2, 3], "COMPUTE")
    record = three.record(1)
    assert record is not None
    assert record["tags"] == ["AI Act", "Brief", "compute"]
    assert record["tags_text"] == "AI Act; Brief; compute"
    assert three.tag_counts() == [("AI Act", 1), ("Brief", 1), ("compute", 3)]
    assert three.count(Query(tag="Compute")) == 3


def test_removing_and_replacing_tags(three: Store) -> None:
    three.add_tag([1, 2], "brief")
    three.remove_tag([1], "BRIEF")
    three.set_tags(2, ["other"])
    assert [three.record(i)["tags_text"] for i in (1, 2)] == ["", "other"]  # type: ignore[index]
    assert dict(three.tag_counts()) == {"brief": 0, "other": 1}


@pytest.mark.parametrize("bad", ["a;b", "   ", ";"])
def test_tag_names_that_could_not_round_trip_are_refused(three: Store, bad: str) -> None:
    with pytest.raises(ValueError):
        three.add_tag([1], bad)


def test_tagging_a_missing_record_is_harmless(three: Store) -> None:
    three.add_tag([1, 99], "x")
    assert three.tag_counts() == [("x", 1)]
