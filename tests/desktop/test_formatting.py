"""How dates, deadlines, money and source health read."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop import health
from desktop.formatting import days_left, days_left_phrase, money, plain_tooltip, short_date


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
