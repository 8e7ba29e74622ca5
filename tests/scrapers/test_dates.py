"""Dates outside the plausible years are refused with a reason, never silently moved: year 0000
became 2000-01-01 and 99999 became 9999-12-01 (docs/TRUST.md, "Notes and the record they
belong to")."""

from __future__ import annotations

import logging

import pytest

from scrapers.dates import YEAR_MAX, YEAR_MIN, from_epoch_ms, to_utc_iso
from scrapers.kinds import feed
from tests.scrapers.kinds.test_feed import source


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1 January 0000", "the year written (0) is not 2000"),
        ("31 Dec 0000 23:30:00 GMT", "the year written (0) is not 2000"),
        ("Fri, 31 Dec 9999 23:30:00 GMT", "the year 9999 is outside 1900–2200"),
        ("1899-12-31", "the year 1899 is outside"),
        ("2201-01-01T09:00:00Z", "the year 2201 is outside"),
    ],
)
def test_an_implausible_year_is_refused_with_its_reason(
    text: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="scrapers.dates"):
        assert to_utc_iso(text) is None
    assert any(text in r.getMessage() and reason in r.getMessage() for r in caplog.records), caplog.text


def test_the_edges_of_the_plausible_years_are_kept() -> None:
    assert to_utc_iso(f"{YEAR_MIN}-01-01") == f"{YEAR_MIN}-01-01T00:00:00Z"
    assert to_utc_iso(f"31 December {YEAR_MAX}") == f"{YEAR_MAX}-12-31T00:00:00Z"
    assert to_utc_iso("5 March 27") == "2027-03-05T00:00:00Z"  # a two-digit year is still read


def test_an_epoch_stamp_in_year_9999_is_refused() -> None:
    assert from_epoch_ms(253402300799000) is None
    assert from_epoch_ms(1_700_000_000_000) == "2023-11-14T22:13:20Z"


def _rss_item(date: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.org/</link>'
        f"<item><title>x</title><link>https://example.org/x</link><pubDate>{date}</pubDate></item>"
        "</channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    "date", ["99999-12-01T00:00:00Z", "0000-01-01T00:00:00Z", "Fri, 31 Dec 9999 23:30:00 GMT"]
)
def test_a_feed_date_out_of_range_leaves_the_item_undated(
    date: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="scrapers.dates"):
        (item,) = feed.parse(_rss_item(date), source(), base_url="https://example.org/")
    assert item.published_at is None
    assert "refused" in caplog.text
