"""How dates, deadlines, money and source health read."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from desktop import health
from desktop.formatting import (
    CLOSED_SHOWN_DAYS,
    date_time,
    days_left,
    days_left_phrase,
    days_left_text,
    money,
    plain_tooltip,
    short_date,
    shows_time,
)


def test_money_with_currency() -> None:
    assert money(12_500_000, "EUR") == "€12,500,000"
    assert money(3_000_000.0, "GBP") == "£3,000,000"
    assert money(1234.5, "CHF") == "1,234.50 CHF"
    assert money(None, "EUR") == ""


def test_days_left_counts_calendar_days() -> None:
    now = datetime(2027, 2, 1, 20, 0, tzinfo=UTC)
    assert days_left("2027-02-01T23:00:00Z", now=now) in (0, 1)  # depends on the local zone
    assert days_left("2027-02-11T12:00:00Z", now=now) == 10
    assert days_left("2027-01-22T12:00:00Z", now=now) == -10
    assert days_left(None, now=now) is None
    assert days_left_phrase(-3) == "closed 3 days ago"
    assert days_left_phrase(1) == "1 day left"


def test_dates_and_tooltips() -> None:
    assert short_date("2027-02-03T10:00:00Z") == "3 Feb 2027"
    assert short_date("not a date") == ""
    assert plain_tooltip("<b>x</b>") == "<p style='white-space:pre-wrap'>&lt;b&gt;x&lt;/b&gt;</p>"


def test_source_health() -> None:
    assert health.source_health({"enabled": False}).state == health.DISABLED
    assert health.source_health({"enabled": True}).state == health.NEVER
    failing = health.source_health(
        {
            "enabled": True,
            "last_attempt_at": "2027-02-02T08:00:00Z",
            "last_success_at": "2027-02-01T08:00:00Z",
            "last_error": "www.ukri.org answered 503",
        }
    )
    assert failing.state == health.FAILING and "503" in failing.detail
    recovered = health.source_health(
        {
            "enabled": True,
            "last_attempt_at": "2027-02-02T08:00:00Z",
            "last_success_at": "2027-02-02T08:00:00Z",
            "last_error": None,  # a success clears the stored error
            "last_item_count": 40,
        }
    )
    assert recovered.state == health.OK and "40 items" in recovered.summary
    changed = health.source_health(
        {
            "enabled": True,
            "last_success_at": "2027-02-02T08:00:00Z",
            "site_changed": ["0 items where the last refresh had 30\x1b[2J"],
            "site_changed_since": "2027-02-02T08:00:00Z",
            "last_item_count": 0,
        }
    )
    assert changed.state == health.SITE_CHANGED
    assert changed.summary == "Site changed? 0 items where the last refresh had 30\\x1b[2J"
    assert "Nothing saved was deleted" in changed.detail


BRUSSELS = ZoneInfo("Europe/Brussels")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def test_an_eu_deadline_reads_in_brussels_time_and_the_users() -> None:
    """17:00 Brussels is 16:00 UTC in winter: said in Brussels time, the user's beside it."""
    deadline = "2027-02-18T16:00:00Z"
    assert date_time(deadline, "EU", tz=BRUSSELS) == "18 Feb 2027, 17:00 Brussels"
    assert date_time(deadline, "EU", tz=LONDON) == "18 Feb 2027, 17:00 Brussels (16:00 your time)"
    assert date_time(deadline, "EU", tz=NEW_YORK) == "18 Feb 2027, 17:00 Brussels (11:00 your time)"
    assert date_time(deadline, "UK", tz=LONDON) == "18 Feb 2027, 16:00 London"
    # No home zone known: the user's own time and zone, as before.
    assert date_time(deadline, None, tz=NEW_YORK) == "18 Feb 2027, 11:00 EST"
    assert date_time(deadline, None, tz=UTC) == "18 Feb 2027, 16:00 UTC"


def test_the_users_day_is_named_when_it_is_another_one() -> None:
    late = "2027-02-18T22:59:00Z"  # 23:59 in Brussels, 17:59 in New York
    assert date_time(late, "EU", tz=NEW_YORK) == "18 Feb 2027, 23:59 Brussels (17:59 your time)"
    tokyo = ZoneInfo("Asia/Tokyo")
    assert date_time(late, "EU", tz=tokyo) == "18 Feb 2027, 23:59 Brussels (07:59 on 19 Feb your time)"
    assert short_date(late, "EU", tz=tokyo) == "19 Feb 2027"  # the cell: the user's day


def test_summer_time_changeover_follows_each_zone() -> None:
    """Europe moves its clocks on 28 Mar 2027, America on 14 Mar: between the two, New York
    is five hours behind Brussels instead of six, and the offsets are the date's own."""
    before = "2027-03-10T16:00:00Z"  # 17:00 CET, 11:00 EST
    between = "2027-03-20T16:00:00Z"  # 17:00 CET, 12:00 EDT
    after = "2027-04-01T15:00:00Z"  # 17:00 CEST, 11:00 EDT
    assert date_time(before, "EU", tz=NEW_YORK).endswith("17:00 Brussels (11:00 your time)")
    assert date_time(between, "EU", tz=NEW_YORK).endswith("17:00 Brussels (12:00 your time)")
    assert date_time(after, "EU", tz=NEW_YORK).endswith("17:00 Brussels (11:00 your time)")
    assert date_time(after, "EU", tz=BRUSSELS) == "1 Apr 2027, 17:00 Brussels"
    assert date_time("2027-07-01T15:00:00Z", "UK", tz=LONDON) == "1 Jul 2027, 16:00 London"


def test_a_date_without_a_time_is_never_shifted_across_midnight() -> None:
    """A bare "18 Feb" from Brussels is stored as midnight Brussels (23:00 UTC the day
    before); a user in New York still reads 18 Feb, and no time of day."""
    bare_eu = "2027-02-17T23:00:00Z"
    bare_uk_summer = "2027-06-17T23:00:00Z"  # midnight in London on 18 Jun (BST)
    for zone in (BRUSSELS, LONDON, NEW_YORK):
        assert date_time(bare_eu, "EU", tz=zone) == "18 Feb 2027"
        assert short_date(bare_eu, "EU", tz=zone) == "18 Feb 2027"
        assert date_time(bare_uk_summer, "UK", tz=zone) == "18 Jun 2027"
        assert date_time("2027-02-18", None, tz=zone) == "18 Feb 2027"
        assert date_time("2027-02-18T00:00:00Z", None, tz=zone) == "18 Feb 2027"
        assert not shows_time(bare_eu, "EU", tz=zone)
    now = datetime(2027, 2, 17, 20, 0, tzinfo=UTC)  # 15:00 on the 17th in New York
    assert days_left(bare_eu, "EU", now=now, tz=NEW_YORK) == 1


def test_days_left_in_the_users_zone() -> None:
    now = datetime(2027, 2, 1, 23, 30, tzinfo=UTC)  # 2 Feb in Brussels, 1 Feb in New York
    deadline = "2027-02-02T12:00:00Z"
    assert days_left(deadline, "EU", now=now, tz=BRUSSELS) == 0
    assert days_left(deadline, "EU", now=now, tz=NEW_YORK) == 1


def test_days_left_cell_for_past_deadlines() -> None:
    """Future deadlines count down; past ones say how long ago they closed, for a while."""
    assert days_left_text(12) == "12"
    assert days_left_text(0) == "today"
    assert days_left_text(-1) == "closed 1 d ago"
    assert days_left_text(-3) == "closed 3 d ago"
    assert days_left_text(-CLOSED_SHOWN_DAYS) == f"closed {CLOSED_SHOWN_DAYS} d ago"
    assert days_left_text(-CLOSED_SHOWN_DAYS - 1) == ""
    assert days_left_text(-1325) == ""
    assert days_left_text(None) == ""
    assert days_left_phrase(-1325) == "closed 1,325 days ago"


def test_a_short_count_never_says_more_than_there_are() -> None:
    from desktop.formatting import short_count

    assert [short_count(n) for n in (0, 7, 9_999, 10_000, 14_085, 99_999, 970_000)] == [
        "0",
        "7",
        "9,999",
        "10k",
        "14k",
        "99k",
        "970k",
    ]
    assert [short_count(n) for n in (1_000_000, 1_250_000, 1_299_999, 12_000_000)] == [
        "1M",
        "1.2M",
        "1.2M",
        "12M",
    ]
