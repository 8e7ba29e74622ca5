"""Canonical links: tracking parameters, anchors, case and ports never make a second record."""

from __future__ import annotations

import pytest

from db.identity import canonical_url
from db.store import Query, Store
from tests.db.helpers import item

BASE = "https://www.gov.uk/government/news/ai-plan"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (BASE, BASE),
        (f"{BASE}?utm_source=twitter&utm_medium=social", BASE),
        (f"{BASE}?fbclid=abc&gclid=1&mc_cid=x&mc_eid=y&_ga=2.1", BASE),
        (f"{BASE}#section-2", BASE),
        ("HTTPS://WWW.GOV.UK/government/news/ai-plan", BASE),
        ("https://www.gov.uk:443/government/news/ai-plan", BASE),
        ("http://example.org:80/a", "http://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org", "https://example.org/"),
        ("  https://example.org/a  ", "https://example.org/a"),
        # other parameters keep their order and their exact encoding
        ("https://x.eu/s?b=2&utm_campaign=c&a=1%2B1", "https://x.eu/s?b=2&a=1%2B1"),
        ("https://x.eu/s?UTM_Source=x&q=AI+Act", "https://x.eu/s?q=AI+Act"),
        # the path is case-sensitive; a route in the fragment names another page
        ("https://x.eu/Call/ABC", "https://x.eu/Call/ABC"),
        ("https://x.eu/portal/#/topic/HORIZON-1", "https://x.eu/portal/#/topic/HORIZON-1"),
        ("https://x.eu/app#!/call/2", "https://x.eu/app#!/call/2"),
    ],
)
def test_canonical_url(given: str, expected: str) -> None:
    assert canonical_url(given) == expected


def test_a_link_without_a_url_is_refused() -> None:
    with pytest.raises(ValueError):
        canonical_url("  ")


def test_variants_of_one_link_are_one_record(store: Store) -> None:
    variants = [
        BASE,
        f"{BASE}?utm_source=newsletter",
        f"{BASE}#top",
        BASE.upper().replace("/GOVERNMENT/NEWS/AI-PLAN", "/government/news/ai-plan"),
    ]
    first = store.save_announcements("govuk", [item(1, url=variants[0])])
    again = store.save_announcements("govuk", [item(1, url=v) for v in variants[1:]])
    assert (first.new, again.new, again.unchanged) == (1, 0, 1)
    assert store.count(Query()) == 1


def test_the_same_link_twice_in_one_batch_is_one_record(store: Store) -> None:
    batch = [
        item(1, summary=None, deadline_at="2026-05-01T16:00:00Z"),
        item(1, url="https://example.org/news/1?utm_source=rss", summary="From the second listing"),
        item(2),
    ]
    assert store.save_announcements("feed", batch).new == 2
    record = store.record(1)
    assert record is not None
    # the first listing's values win; the duplicate fills what it left unsaid
    assert (record["deadline_at"], record["summary"]) == ("2026-05-01T16:00:00Z", "From the second listing")
    assert store.source_rows()[0]["last_item_count"] == 2


def test_a_record_seen_by_two_sources_is_one_record(store: Store) -> None:
    store.save_announcements("dsit", [item(1)])
    store.save_announcements("govuk-ai", [item(1, url="https://example.org/news/1?utm_medium=email")])
    assert store.count(Query()) == 1
    assert store.record(1)["sources"] == ["dsit", "govuk-ai"]  # type: ignore[index]
    assert store.record(1)["source_id"] == "dsit"  # type: ignore[index]
    assert store.count(Query(source_id="govuk-ai")) == 1
