"""The site-changed alarm, kind by kind: a real payload parsed by its kind's own parser gives
the profile, then the same payload with its shape broken (as a site redesign breaks it) raises
the alarm in words. Each test says whether its payload (under tests/fixtures/) is a capture or
one we constructed."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from desktop.paths import resource_path
from desktop.site_change import profile_of, what_changed
from desktop.sources_file import load_sources
from scrapers.kinds import get_kind
from scrapers.model import Source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEFAULTS = {s.id: s for s in load_sources(resource_path("sources.toml"))}


def _verdict(source: Source, good: bytes, broken: bytes) -> list[str]:
    """What the alarm says of `broken` after one good refresh of `good` (both really parsed)."""
    kind = get_kind(source.kind)
    before = profile_of(kind.parse(good, source, base_url=source.url))
    after = profile_of(kind.parse(broken, source, base_url=source.url))
    assert before.items >= 3, "a fixture too small to judge proves nothing"
    assert what_changed(before, [before], source) == [], "the good payload itself must not alarm"
    return what_changed(after, [before], source)


def _json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _many(results: list[dict[str, Any]], count: int, vary: Any) -> list[dict[str, Any]]:
    """`count` copies of real results, each made distinct by `vary(copy, number)`."""
    out = []
    for number in range(count):
        item = copy.deepcopy(results[number % len(results)])
        vary(item, number)
        out.append(item)
    return out


def test_feed_whose_items_vanish() -> None:
    """Constructed feed (feed/constructed/digital-strategy-rss.xml: no capture of any default
    feed exists, see feed/captured/README.md): the <item> elements are renamed, the feed
    parses to nothing."""
    good = (FIXTURES / "feed/constructed/digital-strategy-rss.xml").read_bytes()
    broken = re.sub(rb"<(/?)item>", rb"<\1article>", good)
    assert _verdict(DEFAULTS["digital-strategy-news"], good, broken) == [
        "0 items where the last refresh had 3"
    ]


def test_feed_whose_dates_vanish() -> None:
    """Constructed feed: the dates move out of <pubDate>; every item still parses, undated."""
    good = (FIXTURES / "feed/constructed/digital-strategy-rss.xml").read_bytes()
    broken = good.replace(b"pubDate>", b"x-when>")
    assert _verdict(DEFAULTS["digital-strategy-news"], good, broken) == [
        "date missing on 3 of 3 items; the last refresh had one on all"
    ]


def test_govuk_search_whose_timestamps_vanish() -> None:
    """Captured GOV.UK search response (govuk_search/captured/search/search-api-docs-example.json,
    from alphagov/search-api's docs), its result repeated as 30 with distinct links; then the API
    stops sending `public_timestamp`."""
    page = _json("govuk_search/captured/search/search-api-docs-example.json")

    def vary(item: dict[str, Any], number: int) -> None:
        item["link"] = f"{item['link']}-{number}"

    page["results"] = _many(page["results"], 30, vary)
    broken = copy.deepcopy(page)
    for result in broken["results"]:
        del result["public_timestamp"]
    reasons = _verdict(DEFAULTS["govuk-ai-policy"], json.dumps(page).encode(), json.dumps(broken).encode())
    assert reasons == ["date missing on 30 of 30 items; the last refresh had one on all"]


def test_eu_funding_whose_deadlines_vanish() -> None:
    """Captured SEDIA search page (eu_funding/captured/search-page-two-stage-and-old-index.json,
    seven real topics, old and current index rows): then the index stops sending the deadlines,
    both `deadlineDate` and the dates inside `actions`."""
    page = _json("eu_funding/captured/search-page-two-stage-and-old-index.json")
    broken = copy.deepcopy(page)
    for result in broken["results"]:
        result["metadata"].pop("deadlineDate", None)
        result["metadata"].pop("actions", None)
    source = DEFAULTS["eu-funding-calls"]
    reasons = _verdict(source, json.dumps(page).encode(), json.dumps(broken).encode())
    assert reasons == ["deadline missing on 7 of 7 calls; the last refresh had one on all"]


def test_presscorner_whose_list_is_renamed() -> None:
    """Constructed press corner search (presscorner/constructed/search-constructed.json: no
    capture exists, see presscorner/captured/README.md), repeated as 20 documents: the dates
    move to another key."""
    page = _json("presscorner/constructed/search-constructed.json")

    def vary(item: dict[str, Any], number: int) -> None:
        item["refCode"] = f"IP/26/{400 + number}"

    page["docuLanguageListResources"] = _many(page["docuLanguageListResources"], 20, vary)
    broken = copy.deepcopy(page)
    for item in broken["docuLanguageListResources"]:
        item["date"] = item.pop("eventDate")
    reasons = _verdict(DEFAULTS["ec-presscorner"], json.dumps(page).encode(), json.dumps(broken).encode())
    assert reasons == ["date missing on 20 of 20 items; the last refresh had one on all"]


def test_ukri_opportunities_whose_cards_are_renamed() -> None:
    """Constructed UKRI finder page (ukri_opportunities/constructed/opportunity-page-1-constructed.html:
    no capture exists, see ukri_opportunities/captured/README.md): the card links get a new
    class and the listing parses to nothing."""
    good = (FIXTURES / "ukri_opportunities/constructed/opportunity-page-1-constructed.html").read_bytes()
    broken = good.replace(b"ukri-funding-opp__link", b"funding-card__link")
    assert _verdict(DEFAULTS["ukri-opportunities"], good, broken) == ["0 calls where the last refresh had 3"]


def test_html_list_whose_selectors_match_nothing() -> None:
    """Constructed Europa listing (html_list/constructed/europa-ecl-listing.html: no capture
    exists, see html_list/captured/README.md): the component library renames its classes, the
    item selector matches nothing, and the alarm names the selectors to fix."""
    selectors = {
        "item": "article.ecl-content-item",
        "title": ".ecl-content-block__title a",
        "link": ".ecl-content-block__title a",
        "date": ".ecl-content-block__primary-meta-item",
        "summary": ".ecl-content-block__description",
    }
    source = Source(
        id="rtd-news",
        name="R&I news",
        kind="html_list",
        url="https://research-and-innovation.ec.europa.eu/news/all-research-and-innovation-news_en",
        options={"selectors": selectors},
    )
    good = (FIXTURES / "html_list/constructed/europa-ecl-listing.html").read_bytes()
    broken = good.replace(b"ecl-content-item", b"ecl-card")
    [reason] = _verdict(source, good, broken)
    assert reason.startswith("0 items where the last refresh had ")
    assert "item “article.ecl-content-item” and link “.ecl-content-block__title a” match no entry" in reason
