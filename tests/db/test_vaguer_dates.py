"""A listing that gives only the day of a moment the store holds to the second (the press
corner's search says the day, its document says the time) restates that moment: it needs no
detail page, makes no version and leaves the stored time alone (docs/TRUST.md). A different
day, or any move of a deadline, is still a change."""

from __future__ import annotations

from db.store import Store
from tests.db.helpers import item

DAY = "2026-03-02T00:00:00Z"  # how the scrapers write a day with no time (midnight UTC)
TIME = "2026-03-02T11:42:00Z"


def _saved_listing_then_detail(store: Store) -> None:
    """The listing's day, then its document's time (as a refresh saves a detail page)."""
    store.save_announcements("press", [item(1, published_at=DAY)])
    store.save_announcements("press", [item(1, published_at=TIME, body="The full text")])


def test_the_day_of_a_stored_time_needs_no_detail_and_changes_nothing(store: Store) -> None:
    _saved_listing_then_detail(store)
    (record_id,) = [row[0] for row in store.db.conn.execute("SELECT id FROM records")]
    versions = store.versions(record_id)

    again = item(1, published_at=DAY)
    assert store.needs_detail([again], source_id="press") == []
    result = store.save_announcements("press", [again])  # the detail failed: the listing alone

    assert (result.changed, result.unchanged) == (0, 1)
    assert store.versions(record_id) == versions
    record = store.record(record_id)
    assert record is not None
    assert (record["published_at"], record["body"]) == (TIME, "The full text")
    assert store.needs_detail([again], source_id="press") == []  # and the next refresh neither


def test_the_day_alone_in_an_old_spelling_agrees_too(store: Store) -> None:
    store.save_announcements("press", [item(1, published_at=TIME)])
    assert store.needs_detail([item(1, published_at="2026-03-02")]) == []
    assert store.save_announcements("other", [item(1, published_at="2026-03-02")]).changed == 0


def test_another_day_is_a_change(store: Store) -> None:
    _saved_listing_then_detail(store)
    moved = item(1, published_at="2026-03-03T00:00:00Z")
    assert store.needs_detail([moved], source_id="press") == [moved]
    assert store.save_announcements("press", [moved]).changed == 1
    record = store.record(1)
    assert record is not None and record["published_at"] == "2026-03-03T00:00:00Z"


def test_a_time_given_for_a_stored_day_is_written(store: Store) -> None:
    store.save_announcements("press", [item(1, published_at=DAY)])
    assert store.save_announcements("press", [item(1, published_at=TIME)]).changed == 1
    record = store.record(1)
    assert record is not None and record["published_at"] == TIME


def test_a_deadline_moved_to_midnight_of_its_day_is_a_change(store: Store) -> None:
    """A deadline's day alone is written as its closing time (17:00 Brussels for the EU
    funding portal), never as midnight: a midnight deadline is a real moment and must show."""
    store.save_announcements("calls", [item(1, deadline_at="2027-04-08T15:00:00Z")])
    earlier = item(1, deadline_at="2027-04-08T00:00:00Z")
    assert store.needs_detail([earlier], source_id="calls") == [earlier]
    assert store.save_announcements("calls", [earlier]).changed == 1
    record = store.record(1)
    assert record is not None and record["deadline_at"] == "2027-04-08T00:00:00Z"
