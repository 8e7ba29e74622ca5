"""The deadline calendar: one event per deadline and stage, stable UIDs, SEQUENCE from the
record's versions, reminders, and times in Brussels or London, read back by two parsers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from db.store import Query, StoreError
from desktop.calendar_export import (
    CalendarOptions,
    build_calendar,
    deadline_moves,
    other_stages,
    write_calendar,
)
from tests.db.helpers import NOW, item, open_store

TWO_STAGE = {
    "id": 7,
    "url": "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/X",
    "title": "Two-stage call\x1b[2J",
    "deadline_at": "2027-04-08T15:00:00Z",  # 17:00 CEST
    "summary": "Research call · Other stage deadline: 18 Nov 2027, 17:00 (Brussels time)",
    "jurisdiction": "EU",
    "first_seen_at": "2026-11-01T08:00:00.000Z",
    "budget_amount": 5_000_000.0,
    "budget_currency": "EUR",
}
UK_CALL = {
    "id": 8,
    "url": "https://www.ukri.org/opportunity/x/",
    "title": "UK call",
    "deadline_at": "2027-01-14T16:00:00Z",  # 16:00 GMT
    "jurisdiction": "UK",
    "first_seen_at": "2026-11-01T08:00:00.000Z",
}
MOVED = [
    {"changed_at": "2026-11-20T09:00:00.000Z", "changes": [("summary", "a", "b")]},  # no stage moved
    {"changed_at": "2026-11-10T09:00:00.000Z", "changes": [("deadline_at", "2027-04-01T15:00:00Z", "x")]},
]


def test_a_two_stage_call_is_two_events_at_17_00_brussels_read_alike_by_two_parsers() -> None:
    data = build_calendar([TWO_STAGE, UK_CALL], {7: MOVED}).to_ical()
    ours = icalendar.Calendar.from_ical(data).events
    theirs = vobject.readOne(data.decode("utf-8")).vevent_list
    assert [str(e["UID"]) for e in ours] == [e.uid.value for e in theirs]
    assert [str(e["UID"]).split("@")[0].split("-", 1)[1] for e in ours] == [
        "deadline-stage1",
        "deadline-stage2",
        "deadline",
    ]
    expected = [
        datetime(2027, 4, 8, 15, 0, tzinfo=UTC),  # summer time: 17:00 is 15:00Z
        datetime(2027, 11, 18, 16, 0, tzinfo=UTC),  # winter time: 17:00 is 16:00Z
        datetime(2027, 1, 14, 16, 0, tzinfo=UTC),
    ]
    assert [e.DTSTART.astimezone(UTC) for e in ours] == expected
    assert [e.dtstart.value.astimezone(UTC) for e in theirs] == expected
    assert [str(e.DTSTART.tzinfo) for e in ours] == ["Europe/Brussels", "Europe/Brussels", "Europe/London"]
    assert [e.dtstart.value.hour for e in theirs] == [17, 17, 16]  # local wall time in each zone
    assert [int(e.sequence.value) for e in theirs] == [1, 1, 0]
    assert str(ours[0]["SUMMARY"]) == "Deadline (stage 1 of 2): Two-stage call\\x1b[2J"  # escaped, inert


def test_reminders_are_14_and_3_days_before_or_as_asked() -> None:
    (event,) = build_calendar([UK_CALL], {}).events
    assert [alarm["TRIGGER"].dt for alarm in event.subcomponents] == [timedelta(days=-14), timedelta(days=-3)]
    (quiet,) = build_calendar([UK_CALL], {}, CalendarOptions(alarm_days=())).events
    assert quiet.subcomponents == []


def test_sequence_counts_the_refreshes_that_moved_a_deadline_or_a_stage() -> None:
    assert deadline_moves([]) == (0, None)
    assert deadline_moves(MOVED) == (1, "2026-11-10T09:00:00.000Z")
    stage_moved = {
        "changed_at": "2026-11-30T09:00:00.000Z",
        "changes": [
            (
                "summary",
                "Other stage deadline: 18 Nov 2027, 17:00 (Brussels time)",
                "Other stage deadline: 25 Nov 2027, 17:00 (Brussels time)",
            )
        ],
    }
    assert deadline_moves([stage_moved, *MOVED]) == (2, "2026-11-30T09:00:00.000Z")


def test_other_stages_are_read_from_the_words_the_eu_reader_writes() -> None:
    words = "Other stage deadlines: 14 Sep 2027, 17:00, 2 Feb 2028, 17:00 (Brussels time)"
    assert other_stages(words) == ["2027-09-14T15:00:00Z", "2028-02-02T16:00:00Z"]
    assert other_stages("Other stage deadline: 31 Feb 2027, 17:00 (Brussels time)") == []  # no such day
    assert other_stages(None) == []


def test_the_same_records_give_the_same_bytes_and_a_record_without_deadline_none() -> None:
    no_deadline = {**UK_CALL, "id": 9, "url": "https://example.org/n", "deadline_at": None}
    first = build_calendar([TWO_STAGE, UK_CALL, no_deadline], {7: MOVED}).to_ical()
    assert build_calendar([TWO_STAGE, UK_CALL, no_deadline], {7: MOVED}).to_ical() == first
    assert len(icalendar.Calendar.from_ical(first).events) == 3


def test_a_calendar_is_never_written_over_the_store(tmp_path: Path) -> None:
    db_path = tmp_path / "tracker.sqlite"
    store = open_store(db_path)
    store.save_announcements("src", [item(1, deadline_at="2026-04-01T16:00:00Z")])
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="choose another name for the calendar file"):
        write_calendar(store, Query(), db_path)
    assert db_path.read_bytes() == before
    target = db_path.with_name("deadlines.ics")
    assert write_calendar(store, Query(), target) == 1
    (event,) = icalendar.Calendar.from_ical(target.read_bytes()).events
    assert event["LAST-MODIFIED"].dt == NOW  # never moved: when it was first seen
    store.close()
