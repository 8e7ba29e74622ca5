"""Tests of scrapers/kinds/ukri_opportunities.py: UKRI's funding finder listing and detail pages.

Fixtures: tests/fixtures/ukri_opportunities/constructed/ (constructed: no capture of the HTML
exists, see tests/fixtures/ukri_opportunities/captured/README.md).
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Response

from scrapers.http import HttpClient
from scrapers.kinds import ukri_opportunities as ukri
from scrapers.model import Announcement, ParseError, ScrapeError, Source, Validators
from tests import repo_paths

FIXTURES = repo_paths.FIXTURES / "ukri_opportunities" / "constructed"
LISTING = "https://www.ukri.org/opportunity/"
PAGE_1 = (FIXTURES / "opportunity-page-1-constructed.html").read_bytes()
PAGE_2 = (FIXTURES / "opportunity-page-2-constructed.html").read_bytes()
DETAIL = (FIXTURES / "opportunity-detail-constructed.html").read_bytes()
# Constructed in the markup third-party scrapers read, with titles, funders, sums and dates that
# a third party scraped from the live finder (see the README next to it).
ROWS = (FIXTURES / "opportunity-rows-constructed.html").read_bytes()


def source(url: str = LISTING, **options: Any) -> Source:
    return Source(
        id="ukri-opportunities",
        name="UKRI funding opportunities",
        kind="ukri_opportunities",
        url=url,
        jurisdiction="UK",
        options=options,
    )


def by_title(items: list[Announcement]) -> dict[str, Announcement]:
    return {item.title: item for item in items}


def card(slug: str, title: str) -> str:
    return (
        f'<div class="opportunity"><h3 class="entry-title"><a class="ukri-funding-opp__link" '
        f'href="/opportunity/{slug}/">{title}</a></h3><dl class="govuk-table opportunity__summary">'
        f'<div class="govuk-table__row"><dt>Opportunity status:</dt><dd>Open</dd></div></dl></div>'
    )


def page(*cards: str) -> bytes:
    return f"<html><body><main>{''.join(cards)}</main></body></html>".encode()


@pytest.fixture(autouse=True)
def robots(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow:\n")


def paths(httpserver: HTTPServer) -> list[str]:
    return [request.path for request, _ in httpserver.log if request.path != "/robots.txt"]


# --- the summary rows as the finder really writes them ---------------------------------------------


def rows_page() -> dict[str, Announcement]:
    return by_title(ukri.parse(ROWS, source(), base_url=LISTING))


def test_a_funder_without_a_link_is_kept() -> None:
    metascience = rows_page()["UKRI Data for Metascience"]
    assert metascience.organisation == "UK Research and Innovation"
    epidemics = rows_page()["Interdisciplinary research to tackle epidemic threats"]
    assert epidemics.organisation == (
        "UK Research and Innovation, Arts and Humanities Research Council (AHRC), "
        "Medical Research Council (MRC)"
    )


def test_funder_names_skip_comments_and_scripts() -> None:
    rows = (
        "<dt>Funders:</dt><dd><!-- funder links --><a>Innovate UK</a>, "
        "<script>track('funder')</script><span><a>EPSRC</a></span></dd>"
    )
    html = card("x", "X").replace("</dl>", f'<div class="govuk-table__row">{rows}</div></dl>')
    (item,) = ukri.parse(page(html), source(), base_url=LISTING)
    assert item.organisation == "Innovate UK, EPSRC"


def test_co_funders_are_named_after_the_funders() -> None:
    japan = rows_page()["Japan-UK joint call for collaborations in advancing human-centred AI"]
    assert japan.organisation == (
        "Engineering and Physical Sciences Research Council (EPSRC); "
        "co-funders: National Institute of Information and Communications Technology (NICT)"
    )


def test_budget_is_the_total_fund_else_the_largest_award() -> None:
    cards = rows_page()
    japan = cards["Japan-UK joint call for collaborations in advancing human-centred AI"]
    assert (japan.budget_amount, japan.budget_currency) == (6_000_000, "GBP")  # not its £1.5m cap
    loans = cards["Innovate UK innovation loans future economy: Round 20"]
    assert (loans.budget_amount, loans.budget_currency) == (2_000_000, "GBP")  # top of the range
    epidemics = cards["Interdisciplinary research to tackle epidemic threats"]
    assert (epidemics.budget_amount, epidemics.budget_currency) == (3_750_000, "GBP")
    doctoral = cards["Collaborative doctoral landscape award in the arts and humanities"]
    assert doctoral.budget_amount is None and doctoral.budget_currency is None


def test_status_flag_in_a_span() -> None:
    cards = rows_page()
    assert cards["UKRI Data for Metascience"].call_status == "open"
    assert cards["Collaborative doctoral landscape award in the arts and humanities"].call_status == (
        "forthcoming"
    )


def test_closing_times_with_a_dot_or_a_colon_in_uk_time() -> None:
    cards = rows_page()
    assert cards["UKRI Data for Metascience"].deadline_at == "2025-05-01T15:00:00Z"  # 4:00pm BST
    japan = cards["Japan-UK joint call for collaborations in advancing human-centred AI"]
    assert japan.deadline_at == "2025-05-22T15:00:00Z"  # "4.00pm", BST
    assert japan.opens_at == "2025-03-20T09:00:00Z"  # "9.00am", still GMT on 20 March
    loans = cards["Innovate UK innovation loans future economy: Round 20"]
    assert loans.deadline_at == "2025-05-07T22:00:00Z"  # "11.00pm", not 11pm dropped to midnight


def test_a_time_element_gives_the_hour_the_text_leaves_out() -> None:
    doctoral = rows_page()["Collaborative doctoral landscape award in the arts and humanities"]
    assert doctoral.opens_at == "2025-04-10T08:00:00Z"  # 09:00 BST
    assert doctoral.deadline_at == "2025-11-20T16:00:00Z"  # 16:00 GMT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 January 2024 4.00pm UK time", "2024-01-10T16:00:00Z"),
        ("10 July 2024 4.00pm UK time", "2024-07-10T15:00:00Z"),
        ("10 July 2024 4:00pm UK time", "2024-07-10T15:00:00Z"),
        ("9 April 2025 11.30am UK time", "2025-04-09T10:30:00Z"),
        ("29 October 2025 4.00 pm UK time", "2025-10-29T16:00:00Z"),
    ],
)
def test_closing_time_spellings(text: str, expected: str) -> None:
    rows = f"<dt>Closing date:</dt><dd>{text}</dd>"
    html = card("x", "X").replace("</dl>", f'<div class="govuk-table__row">{rows}</div></dl>')
    (item,) = ukri.parse(page(html), source(), base_url=LISTING)
    assert item.deadline_at == expected


# --- listing cards -------------------------------------------------------------------------------


def test_listing_cards_and_their_summary_rows() -> None:
    items = ukri.parse(PAGE_1, source(), base_url=LISTING)
    assert len(items) == 3
    hubs = items[0]
    assert hubs == Announcement(
        url="https://www.ukri.org/opportunity/responsible-ai-research-hubs/",
        title="Responsible AI research hubs",
        summary="Apply for funding to lead a research hub on trustworthy and responsible AI.",
        category="funding",
        jurisdiction="UK",
        organisation=(
            "Engineering and Physical Sciences Research Council (EPSRC), "
            "Arts and Humanities Research Council (AHRC)"
        ),
        published_at="2025-10-13T23:00:00Z",  # 14 October 2025, midnight UK time (BST)
        opens_at="2025-10-21T08:00:00Z",  # 9:00am UK time
        deadline_at="2026-09-08T15:00:00Z",  # "8 September 2026 4:00pm UK time"
        budget_amount=30_000_000,
        budget_currency="GBP",
        call_status="open",
        action_type="Grant",  # the "Funding type" row
        detail_url="https://www.ukri.org/opportunity/responsible-ai-research-hubs/",
    )


def test_upcoming_opportunity_is_forthcoming_and_winter_dates_are_gmt() -> None:
    fellowships = ukri.parse(PAGE_1, source(), base_url=LISTING)[1]
    assert fellowships.call_status == "forthcoming"
    assert fellowships.opens_at == "2026-01-13T09:00:00Z"
    assert fellowships.deadline_at == "2026-03-12T16:00:00Z"
    assert (fellowships.budget_amount, fellowships.budget_currency) == (2_500_000, "GBP")
    assert fellowships.organisation == "UK Research and Innovation (UKRI)"
    assert (fellowships.action_type, fellowships.programme) == ("Fellowship", None)  # no programme named


def test_open_with_no_closing_date_and_no_figure() -> None:
    rolling = ukri.parse(PAGE_1, source(), base_url=LISTING)[2]
    assert rolling.title == "International AI partnerships: rolling call"
    assert rolling.call_status == "open"
    assert rolling.deadline_at is None
    assert rolling.budget_amount is None and rolling.budget_currency is None
    assert rolling.summary == "Seed funding for partnerships with researchers in Europe & beyond."


def test_closed_opportunity_on_page_two() -> None:
    closed = ukri.parse(PAGE_2, source(), base_url=LISTING + "page/2/")[0]
    assert closed.call_status == "closed"
    assert closed.deadline_at == "2025-03-27T16:00:00Z"
    assert closed.budget_amount == 4_000_000


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("<dt>Total fund:</dt><dd>£30,000,000</dd>", {"budget_amount": 30_000_000.0}),
        ("<dt>Total fund:</dt><dd>30,000,000</dd>", {"budget_amount": 30_000_000.0}),
        ("<dt>Total fund:</dt><dd>£1.2 million</dd>", {"budget_amount": 1_200_000.0}),
        ("<dt>Opportunity status:</dt><dd><span>Forthcoming</span></dd>", {"call_status": "forthcoming"}),
        ("<dt>Opportunity status:</dt><dd>Being assessed</dd>", {"call_status": None}),
        ("<dt>Closing date:</dt><dd>Open - no closing date</dd>", {"deadline_at": None}),
        (
            '<dt>Closing date:</dt><dd><time datetime="2026-06-30T16:00:00">Tuesday</time></dd>',
            {"deadline_at": "2026-06-30T15:00:00Z"},
        ),
        ("<dt>Closing date:</dt><dd>To be confirmed</dd>", {"deadline_at": None}),
        ("<dt>Publication date:</dt><dd>garbage 2020</dd>", {"published_at": None}),
    ],
)
def test_summary_row_spellings(rows: str, expected: dict[str, Any]) -> None:
    html = (
        '<div><a class="ukri-funding-opp__link" href="/opportunity/x/">X</a>'
        f'<dl class="opportunity__summary">{rows}</dl></div>'
    ).encode()
    (item,) = ukri.parse(html, source(), base_url=LISTING)
    for name, value in expected.items():
        assert getattr(item, name) == value


def test_each_card_reads_only_its_own_rows() -> None:
    html = page(
        card("a", "First"),
        '<div class="opportunity"><h3><a class="ukri-funding-opp__link" '
        'href="/opportunity/b/">Second, no rows</a></h3></div>',
    )
    first, second = ukri.parse(html, source(), base_url=LISTING)
    assert first.call_status == "open"
    assert second.call_status is None  # not the first card's


def test_a_card_with_two_links_to_its_opportunity_keeps_its_rows() -> None:
    html = page(
        '<div><h3><a class="ukri-funding-opp__link" href="/opportunity/a/">A</a></h3>'
        '<dl class="opportunity__summary"><dt>Opportunity status:</dt><dd>Closed</dd></dl>'
        '<a class="ukri-funding-opp__link" href="/opportunity/a/">Read more</a></div>',
        card("b", "B"),
    )
    first, second = ukri.parse(html, source(), base_url=LISTING)
    assert (first.title, first.call_status) == ("A", "closed")
    assert (second.title, second.call_status) == ("B", "open")


def test_teaser_leaves_out_rows_inside_it() -> None:
    html = (
        b'<div><a class="ukri-funding-opp__link" href="/opportunity/x/">X</a><div class="entry-content">'
        b'<p>The teaser.</p><dl class="opportunity__summary"><dt>Funders:</dt><dd>MRC</dd></dl></div></div>'
    )
    (item,) = ukri.parse(html, source(), base_url=LISTING)
    assert (item.summary, item.organisation) == ("The teaser.", "MRC")


def test_hostile_card_links_are_dropped() -> None:
    html = page(
        '<div><a class="ukri-funding-opp__link" href="javascript:alert(1)">Script</a></div>',
        '<div><a class="ukri-funding-opp__link" href="file:///etc/passwd">File</a></div>',
        '<div><a class="ukri-funding-opp__link" href="/opportunity/ok/">Fine<script>x()</script></a></div>',
    )
    (item,) = ukri.parse(html, source(), base_url=LISTING)
    assert (item.title, item.url) == ("Fine", "https://www.ukri.org/opportunity/ok/")


def test_a_page_without_cards_is_an_empty_list() -> None:
    assert ukri.parse(b"<html><body><p>Nothing found</p></body></html>", source(), base_url=LISTING) == []


def test_category_from_the_source_when_given() -> None:
    src = replace(source(), category="consultation")
    assert ukri.parse(PAGE_1, src, base_url=LISTING)[0].category == "consultation"


@pytest.mark.parametrize(
    ("listing", "number", "expected"),
    [
        ("https://www.ukri.org/opportunity/", 1, "https://www.ukri.org/opportunity/"),
        ("https://www.ukri.org/opportunity/", 2, "https://www.ukri.org/opportunity/page/2/"),
        ("https://www.ukri.org/opportunity", 3, "https://www.ukri.org/opportunity/page/3/"),
        (
            "https://www.ukri.org/opportunity/?filter_council%5B%5D=810&filter_status%5B%5D=open",
            2,
            "https://www.ukri.org/opportunity/page/2/?filter_council%5B%5D=810&filter_status%5B%5D=open",
        ),
        ("http://127.0.0.1:8080/opportunity/", 4, "http://127.0.0.1:8080/opportunity/page/4/"),
    ],
)
def test_page_urls(listing: str, number: int, expected: str) -> None:
    assert ukri.page_url(listing, number) == expected


# --- fetch: pages --------------------------------------------------------------------------------


def test_fetch_reads_pages_until_the_last_one(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/opportunity/").respond_with_data(
        PAGE_1, content_type="text/html; charset=UTF-8", headers={"ETag": '"list-1"'}
    )
    httpserver.expect_request("/opportunity/page/2/").respond_with_data(PAGE_2, content_type="text/html")
    listing = ukri.fetch(client, source(httpserver.url_for("/opportunity/")), Validators())
    assert [item.title for item in listing.announcements] == [
        "Responsible AI research hubs",
        "AI for science: compute access fellowships",
        "International AI partnerships: rolling call",
        "Compute capacity for AI safety research",  # page 2's repeat of page 1's card is dropped
    ]
    assert listing.validators == Validators('"list-1"', None)
    # page 2 shows pagination without a "next" link: no request for page 3
    assert paths(httpserver) == ["/opportunity/", "/opportunity/page/2/"]


def test_fetch_stops_at_a_404(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/opportunity/").respond_with_data(page(card("a", "A")))
    httpserver.expect_request("/opportunity/page/2/").respond_with_data(page(card("b", "B")))
    httpserver.expect_request("/opportunity/page/3/").respond_with_data("Not found", status=404)
    listing = ukri.fetch(client, source(httpserver.url_for("/opportunity/")), Validators())
    assert [item.title for item in listing.announcements] == ["A", "B"]
    assert paths(httpserver)[-1] == "/opportunity/page/3/"


def test_fetch_stops_at_a_page_with_no_cards(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/opportunity/").respond_with_data(page(card("a", "A")))
    httpserver.expect_request("/opportunity/page/2/").respond_with_data(page())
    listing = ukri.fetch(client, source(httpserver.url_for("/opportunity/")), Validators())
    assert [item.title for item in listing.announcements] == ["A"]
    assert paths(httpserver) == ["/opportunity/", "/opportunity/page/2/"]


def test_fetch_stops_when_the_site_ignores_page_numbers(httpserver: HTTPServer, client: HttpClient) -> None:
    same = page(card("a", "A"), card("b", "B"))
    httpserver.expect_request("/opportunity/").respond_with_data(same)
    httpserver.expect_request("/opportunity/page/2/").respond_with_data(same)
    listing = ukri.fetch(client, source(httpserver.url_for("/opportunity/")), Validators())
    assert [item.title for item in listing.announcements] == ["A", "B"]
    assert len(paths(httpserver)) == 2


def test_fetch_honours_max_pages(httpserver: HTTPServer, client: HttpClient) -> None:
    for number in range(1, 6):
        path = "/opportunity/" if number == 1 else f"/opportunity/page/{number}/"
        httpserver.expect_request(path).respond_with_data(page(card(f"c{number}", f"Card {number}")))
    listing = ukri.fetch(client, source(httpserver.url_for("/opportunity/"), max_pages=3), Validators())
    assert [item.title for item in listing.announcements] == ["Card 1", "Card 2", "Card 3"]
    assert len(paths(httpserver)) == 3


def test_fetch_keeps_the_listing_query_on_every_page(httpserver: HTTPServer, client: HttpClient) -> None:
    query = {"filter_status[]": "open"}
    httpserver.expect_request("/opportunity/", query_string=query).respond_with_data(page(card("a", "A")))
    httpserver.expect_request("/opportunity/page/2/", query_string=query).respond_with_data(page())
    url = httpserver.url_for("/opportunity/") + "?filter_status%5B%5D=open"
    listing = ukri.fetch(client, source(url), Validators())
    assert [item.title for item in listing.announcements] == ["A"]
    assert all(request.args.get("filter_status[]") == "open" for request, _ in httpserver.log[1:])


def test_fetch_is_conditional_on_the_first_page_only(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/opportunity/", headers={"If-None-Match": '"list-1"'}).respond_with_response(
        Response(status=304, headers={"ETag": '"list-1"'})
    )
    old = Validators('"list-1"', "Tue, 14 Oct 2025 09:00:00 GMT")
    listing = ukri.fetch(client, source(httpserver.url_for("/opportunity/")), old)
    assert listing.not_modified and listing.announcements == []
    assert listing.validators == old
    assert paths(httpserver) == ["/opportunity/"]


def test_later_pages_carry_no_validators(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/opportunity/").respond_with_data(page(card("a", "A")))
    httpserver.expect_request("/opportunity/page/2/").respond_with_data(page())
    ukri.fetch(client, source(httpserver.url_for("/opportunity/")), Validators('"x"', None))
    first, second = (request for request, _ in httpserver.log if request.path != "/robots.txt")
    assert first.headers.get("If-None-Match") == '"x"'
    assert second.headers.get("If-None-Match") is None


def test_a_failing_later_page_fails_the_fetch(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/opportunity/").respond_with_data(page(card("a", "A")))
    httpserver.expect_request("/opportunity/page/2/").respond_with_data("down", status=500)
    with pytest.raises(ScrapeError, match="page 2"):
        ukri.fetch(client, source(httpserver.url_for("/opportunity/")), Validators())


def test_a_404_listing_is_an_error(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/opportunity/").respond_with_data("gone", status=404)
    with pytest.raises(ScrapeError, match="404"):
        ukri.fetch(client, source(httpserver.url_for("/opportunity/")), Validators())


@pytest.mark.parametrize("value", [0, -1, "3", 2.5, True])
def test_bad_max_pages_is_refused_before_any_request(
    value: Any, httpserver: HTTPServer, client: HttpClient
) -> None:
    with pytest.raises(ScrapeError, match="'max_pages'"):
        ukri.fetch(client, source(httpserver.url_for("/opportunity/"), max_pages=value), Validators())
    assert httpserver.log == []


# --- detail pages --------------------------------------------------------------------------------


def listed_item(url: str = "https://www.ukri.org/opportunity/responsible-ai-research-hubs/") -> Announcement:
    return replace(ukri.parse(PAGE_1, source(), base_url=LISTING)[0], url=url, detail_url=url)


def test_detail_page_text_becomes_the_body() -> None:
    item = ukri.parse_detail(DETAIL, listed_item(), base_url=LISTING)
    body = item.body or ""
    assert body.startswith("Opportunity status: Open")  # the page's heading, the title, is left out
    assert "Responsible AI research hubs" not in body
    for expected in (
        "Total fund: £30,000,000",
        "Each hub will receive up to £10 million over five years.",
        "Who can apply",
        "Independent research organisations",
        "Apply through the UKRI Funding Service.",
    ):
        assert expected in body
    for unwanted in (
        "trackApply",
        "ukriTracking",
        "display:none",
        "Skip to main content",
        "Share on X",
        "Privacy notice",
        "Funding finder",
        "youtube",
    ):
        assert unwanted not in body


def test_detail_rows_fill_only_what_the_card_lacked() -> None:
    bare = Announcement(
        url="https://www.ukri.org/opportunity/responsible-ai-research-hubs/",
        title="Responsible AI research hubs",
        deadline_at="2026-09-09T15:00:00Z",
    )
    item = ukri.parse_detail(DETAIL, bare, base_url=LISTING)
    assert item.organisation == "Engineering and Physical Sciences Research Council (EPSRC)"
    assert (item.budget_amount, item.budget_currency) == (30_000_000, "GBP")
    assert item.call_status == "open"
    assert item.action_type == "Grant"
    assert item.deadline_at == "2026-09-09T15:00:00Z"  # the listing's value stays


def test_detail_page_without_main_is_read_tolerantly() -> None:
    html = b"<html><body><div id='content'><h1>Title</h1><p>The text.</p></div></body></html>"
    assert ukri.parse_detail(html, listed_item(), base_url=LISTING).body == "Title\n\nThe text."


def test_a_heading_that_only_repeats_the_title_is_left_out() -> None:
    """The details pane shows the title above the text: the page's heading said it again."""
    html = (
        b"<html><body><main><h1>  responsible AI\n research hubs</h1><p>The text.</p>"
        b"<p>Responsible AI research hubs will be funded.</p></main></body></html>"
    )
    body = ukri.parse_detail(html, listed_item(), base_url=LISTING).body
    assert body == "The text.\n\nResponsible AI research hubs will be funded."  # only the heading goes
    only_title = b"<html><body><main><h1>Responsible AI research hubs</h1></main></body></html>"
    with pytest.raises(ParseError):  # a page with nothing but its title has no text
        ukri.parse_detail(only_title, listed_item(), base_url=LISTING)


def test_detail_page_with_no_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        ukri.parse_detail(b"<html><body><script>x()</script></body></html>", listed_item(), base_url=LISTING)


def test_fetch_detail_reads_the_card_link(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/opportunity/responsible-ai-research-hubs/").respond_with_data(
        DETAIL, content_type="text/html; charset=UTF-8"
    )
    item = listed_item(httpserver.url_for("/opportunity/responsible-ai-research-hubs/"))
    detailed = ukri.fetch_detail(client, source(httpserver.url_for("/opportunity/")), item)
    assert "Who can apply" in (detailed.body or "")
    assert replace(detailed, body=None) == item


def test_fetch_detail_of_a_missing_page_is_an_error(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/opportunity/gone/").respond_with_data("gone", status=404)
    item = listed_item(httpserver.url_for("/opportunity/gone/"))
    with pytest.raises(ScrapeError, match="404"):
        ukri.fetch_detail(client, source(httpserver.url_for("/opportunity/")), item)


# --- fuzzing -------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_raise_nothing_but_parse_error(payload: bytes) -> None:
    for call in (
        lambda: ukri.parse(payload, source(), base_url=LISTING),
        lambda: ukri.parse_detail(payload, listed_item(), base_url=LISTING),
    ):
        with contextlib.suppress(ParseError):
            call()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.text(max_size=40), st.text(max_size=80)), max_size=8))
def test_random_summary_rows_raise_nothing(rows: list[tuple[str, str]]) -> None:
    cells = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    html = (
        '<div><a class="ukri-funding-opp__link" href="/opportunity/x/">X</a>'
        f'<dl class="opportunity__summary">{cells}</dl></div>'
    ).encode("utf-8", errors="replace")
    for item in ukri.parse(html, source(), base_url=LISTING):
        assert item.call_status in (None, "open", "forthcoming", "closed")
