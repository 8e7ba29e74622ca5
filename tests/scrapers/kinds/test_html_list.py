"""Tests of scrapers/kinds/html_list.py: listing pages read with CSS selectors.

Fixtures: tests/fixtures/html_list/constructed/ (constructed; see the README there).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Response

from scrapers.http import HttpClient
from scrapers.kinds import html_list
from scrapers.model import Announcement, ParseError, ScrapeError, Source, Validators
from tests import repo_paths

FIXTURES = repo_paths.FIXTURES / "html_list" / "constructed"
LISTING = "https://research-and-innovation.ec.europa.eu/news/all-research-and-innovation-news_en"
ECL = {
    "item": "article.ecl-content-item",
    "title": ".ecl-content-block__title a",
    "link": ".ecl-content-block__title a",
    "date": ".ecl-content-block__primary-meta-item",
    "summary": ".ecl-content-block__description",
}
SIMPLE = {"item": "li.news-item", "link": "a", "date": ".date"}


def source(selectors: Any = None, url: str = LISTING, **options: Any) -> Source:
    if selectors is not None:
        options["selectors"] = selectors
    return Source(
        id="rtd-news",
        name="R&I news",
        kind="html_list",
        url=url,
        jurisdiction="EU",
        category="press",
        options=options,
    )


def parse(
    name: str, selectors: Any = None, encoding: str | None = None, **options: Any
) -> list[Announcement]:
    src = source(ECL if selectors is None else selectors, **options)
    return html_list.parse((FIXTURES / name).read_bytes(), src, base_url=src.url, encoding=encoding)


@pytest.fixture(autouse=True)
def robots(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow:\n")


# --- the Europa ECL listing ---------------------------------------------------------------------


def test_europa_ecl_listing() -> None:
    items = parse("europa-ecl-listing.html")
    assert [item.title for item in items] == [
        "Commission launches RAISE pilot to pool AI resources for science",
        "Horizon Europe work programme 2026-2027 adopted",
        "ERC Advanced Grants: results announced",
    ]
    raise_pilot, work_programme, erc = items
    assert raise_pilot.url == (
        "https://research-and-innovation.ec.europa.eu/news/all-research-and-innovation-news/"
        "commission-launches-raise-pilot-2025-11-04_en"
    )
    assert raise_pilot.published_at == "2025-11-04T11:00:00Z"  # from <time datetime>
    assert raise_pilot.summary == (
        "The Resource for AI Science in Europe will pool compute, data and talent."
    )
    assert (raise_pilot.category, raise_pilot.jurisdiction) == ("press", "EU")
    assert work_programme.published_at == "2025-12-10T00:00:00Z"  # text, read in UTC
    assert work_programme.summary == "Over €14 billion for research and innovation."
    assert erc.url == "https://research-and-innovation.ec.europa.eu/news/no-date-item_en"
    assert erc.published_at is None  # "Horizon 2020" and "Press release" are no dates


def test_hostile_content_is_dropped_or_neutralised() -> None:
    items = parse("europa-ecl-listing.html")
    urls = [item.url for item in items]
    assert all(url.startswith("https://research-and-innovation.ec.europa.eu/") for url in urls)
    text = " ".join(f"{item.title} {item.summary}" for item in items)
    for bad in ("injected", "document.write", "iframe", "tracker", "alert", "passwd", "win.ini"):
        assert bad not in text
    assert not any("must be dropped" in item.title for item in items)


def test_timezone_option_reads_dates_without_a_zone() -> None:
    items = parse("europa-ecl-listing.html", timezone="Europe/Brussels")
    assert items[1].published_at == "2025-12-09T23:00:00Z"
    assert items[0].published_at == "2025-11-04T11:00:00Z"  # its datetime says Z


def test_title_defaults_to_the_link_text() -> None:
    items = parse("europa-ecl-listing.html", {"item": ECL["item"], "link": ECL["link"]})
    assert items[0].title == "Commission launches RAISE pilot to pool AI resources for science"
    assert items[0].summary is None and items[0].published_at is None


def test_link_selector_on_a_wrapper_takes_the_link_inside() -> None:
    items = parse("europa-ecl-listing.html", {"item": ECL["item"], "link": ".ecl-content-block__title"})
    assert len(items) == 3
    assert items[0].url.endswith("commission-launches-raise-pilot-2025-11-04_en")


def test_no_matching_items_is_an_empty_list() -> None:
    assert parse("europa-ecl-listing.html", {"item": "div.no-such-thing", "link": "a"}) == []


def test_duplicate_links_collapse() -> None:
    page = b"""<ul><li><a href="/a">One</a></li><li><a href="/a#top">One again</a></li>
    <li><a href="/a">One, third time</a></li><li><a href="/b">Two</a></li></ul>"""
    src = source({"item": "li", "link": "a"}, url="https://example.org/list")
    items = html_list.parse(page, src, base_url=src.url)
    assert [(item.title, item.url) for item in items] == [
        ("One", "https://example.org/a"),
        ("One again", "https://example.org/a#top"),
        ("Two", "https://example.org/b"),
    ]


def test_empty_page_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="empty"):
        html_list.parse(b"  \n", source(ECL), base_url=LISTING)


# --- encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "header_charset", "titles"),
    [
        (
            "cp1252-no-charset.html",
            None,
            ["Commission’s “AI Factories” call – café", "€5 million for “trustworthy” AI"],
        ),
        (
            "iso-8859-2-header-only.html",
            "iso-8859-2",
            ["Zażółć gęślą jaźń - nabór wniosków", "Sztuczna inteligencja: konkurs ogłoszony"],
        ),
        (
            "meta-charset-lies-utf8.html",
            "iso-8859-1",
            ["Ψηφιακή δεκαετία: νέοι στόχοι", "Τεχνητή νοημοσύνη – «AI Act»"],
        ),
    ],
)
def test_titles_come_out_exactly_right(name: str, header_charset: str | None, titles: list[str]) -> None:
    items = parse(name, SIMPLE, encoding=header_charset)
    assert [item.title for item in items] == titles
    assert [item.published_at for item in items] == ["2025-06-12T00:00:00Z", "2025-06-13T00:00:00Z"]


# --- configuration errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selectors", "message"),
    [
        (None, "'selectors' table is missing"),
        ("article a", "must be a table"),
        ({"link": "a"}, "selector 'item' is missing"),
        ({"item": "li"}, "selector 'link' is missing"),
        ({"item": "li", "link": "a", "titel": "h3"}, "unknown selector key 'titel'"),
        ({"item": "li", "link": "  "}, "selector 'link' must be a non-empty text"),
        ({"item": "li", "link": 3}, "selector 'link' must be a non-empty text"),
        ({"item": "li[[", "link": "a"}, "selector 'item' is not valid CSS"),
        ({"item": "li", "link": "a:nth-child(", "date": ".d"}, "selector 'link' is not valid CSS"),
        ({"item": "li", "link": "a", "date": "}}}{{{"}, "selector 'date' is not valid CSS"),
    ],
)
def test_bad_selector_configuration_names_the_source_and_key(selectors: Any, message: str) -> None:
    with pytest.raises(ScrapeError, match="source 'rtd-news'") as caught:
        html_list.parse(b"<ul><li><a href='/a'>A</a></li></ul>", source(selectors), base_url=LISTING)
    assert message in str(caught.value)
    assert not isinstance(caught.value, ParseError)  # the definition is wrong, not the site


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "Europe", "../../etc/passwd", ""])
def test_unknown_timezone_is_a_configuration_error(zone: str) -> None:
    with pytest.raises(ScrapeError, match="'timezone' is not a known zone"):
        parse("europa-ecl-listing.html", timezone=zone)


def test_bad_configuration_fails_before_any_request(httpserver: HTTPServer, client: HttpClient) -> None:
    with pytest.raises(ScrapeError, match="not valid CSS"):
        html_list.fetch(
            client, source({"item": "((", "link": "a"}, url=httpserver.url_for("/news")), Validators()
        )
    assert httpserver.log == []


# --- fetch ---------------------------------------------------------------------------------------


def test_fetch_reads_the_listing_and_resolves_links_against_it(
    httpserver: HTTPServer, client: HttpClient
) -> None:
    page = (FIXTURES / "europa-ecl-listing.html").read_bytes()
    httpserver.expect_request("/news/all_en").respond_with_data(
        page, content_type="text/html; charset=UTF-8", headers={"ETag": '"p1"'}
    )
    url = httpserver.url_for("/news/all_en")
    listing = html_list.fetch(client, source(ECL, url=url), Validators())
    assert listing.validators == Validators('"p1"', None)
    assert len(listing.announcements) == 3
    assert listing.announcements[0].url == url.replace(
        "/news/all_en",
        "/news/all-research-and-innovation-news/commission-launches-raise-pilot-2025-11-04_en",
    )
    assert listing.announcements[2].url == httpserver.url_for("/news/no-date-item_en")


def test_fetch_is_conditional(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/news", headers={"If-None-Match": '"p1"'}).respond_with_response(
        Response(status=304, headers={"ETag": '"p1"'})
    )
    listing = html_list.fetch(client, source(ECL, url=httpserver.url_for("/news")), Validators('"p1"', None))
    assert listing.not_modified and listing.announcements == []
    assert listing.validators == Validators('"p1"', None)


def test_fetch_uses_the_header_charset(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/pl").respond_with_data(
        (FIXTURES / "iso-8859-2-header-only.html").read_bytes(),
        content_type="text/html; charset=iso-8859-2",
    )
    listing = html_list.fetch(client, source(SIMPLE, url=httpserver.url_for("/pl")), Validators())
    assert listing.announcements[0].title == "Zażółć gęślą jaźń - nabór wniosków"


# --- fuzzing -------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_raise_nothing_but_parse_error(payload: bytes) -> None:
    try:
        items = html_list.parse(payload, source(ECL), base_url=LISTING)
    except ParseError:
        return
    assert all(item.url.startswith(("http://", "https://")) for item in items)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120), st.text(max_size=120), st.text(max_size=60))
def test_random_values_inside_an_item_raise_nothing_but_parse_error(title: str, href: str, date: str) -> None:
    page = (
        f'<article class="ecl-content-item"><div class="ecl-content-block__title">'
        f'<a href="{href}">{title}</a></div>'
        f'<li class="ecl-content-block__primary-meta-item"><time datetime="{date}">{date}</time></li>'
        f"</article>"
    ).encode("utf-8", errors="replace")
    try:
        items = html_list.parse(page, source(ECL), base_url=LISTING)
    except ParseError:
        return
    assert all(item.url.startswith(("http://", "https://")) for item in items)
