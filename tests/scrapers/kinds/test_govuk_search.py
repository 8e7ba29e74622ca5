"""Tests of scrapers/kinds/govuk_search.py: GOV.UK search listing, content API details."""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from scrapers.http import HttpClient
from scrapers.kinds import govuk_search
from scrapers.model import Announcement, ParseError, ScrapeError, Source, Validators
from tests.repo_paths import FIXTURES

REAL_SEARCH = FIXTURES / "govuk_search" / "captured" / "search" / "search-api-docs-example.json"
NEWS = FIXTURES / "govuk_search" / "constructed" / "search-news-constructed.json"
POLICY = FIXTURES / "govuk_search" / "constructed" / "search-policy-constructed.json"
CONTENT = FIXTURES / "govuk_search" / "captured" / "content"
# A live search result and its content item, trimmed by the third party that captured them.
LIVE_SEARCH = FIXTURES / "govuk_search" / "captured" / "search" / "employment-tribunal-decision-trimmed.json"
LIVE_CONTENT = CONTENT / "employment-tribunal-decision-trimmed.json"
GOVUK = "https://www.gov.uk/api/search.json"
DSIT = "Department for Science, Innovation and Technology"


def source(url: str = GOVUK, category: str = "press", **options: Any) -> Source:
    options.setdefault(
        "organisations", ["department-for-science-innovation-and-technology", "ai-security-institute"]
    )
    return Source(
        id="govuk-test",
        name="GOV.UK test",
        kind="govuk_search",
        url=url,
        jurisdiction="UK",
        category=category,
        options=options,
    )


def parse(path: Path, src: Source | None = None) -> list[Announcement]:
    src = src or source()
    return govuk_search.parse(path.read_bytes(), src, base_url=src.url)


def by_title(items: list[Announcement]) -> dict[str, Announcement]:
    return {item.title: item for item in items}


@pytest.fixture(autouse=True)
def robots(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /search/all*\n", content_type="text/plain"
    )


def requests_to(httpserver: HTTPServer, path: str) -> list[Request]:
    return [request for request, _response in httpserver.log if request.path == path]


# --- parse: the real capture -------------------------------------------------------------


def test_parse_real_search_example() -> None:
    [item] = parse(REAL_SEARCH)
    assert item == Announcement(
        url="https://www.gov.uk/vehicle-tax",
        title="Tax your vehicle",
        summary="Renew or tax your vehicle for the first time, apply online, by phone or at the Post Office",
        category="press",
        jurisdiction="UK",
        organisation="Driver and Vehicle Licensing Agency",
        identifier="/vehicle-tax",  # no content_id asked for in the docs' example: the link
        published_at="2014-12-09T16:21:03Z",
        detail_url="https://www.gov.uk/api/content/vehicle-tax",
    )


def test_parse_a_live_search_result_keeps_its_time_title_and_address() -> None:
    [item] = parse(LIVE_SEARCH)
    path = "/employment-tribunal-decisions/mr-b-king-v-thales-dis-uk-ltd-1403603-slash-2020"
    assert item == Announcement(
        url="https://www.gov.uk" + path,
        title="Mr B King v Thales DIS UK Ltd: 1403603/2020",
        summary="Employment Tribunal decision.",
        category="press",
        jurisdiction="UK",
        organisation="HM Courts & Tribunals Service",
        identifier=path,
        published_at="2026-07-01T13:55:40Z",
        detail_url="https://www.gov.uk/api/content" + path,
    )


def test_its_content_item_adds_the_body_and_keeps_the_listing_time() -> None:
    [item] = parse(LIVE_SEARCH)
    detailed = govuk_search.parse_detail(LIVE_CONTENT.read_bytes(), source(), item)
    assert detailed.published_at == "2026-07-01T13:55:40Z"  # not first_published_at's 2021 day
    assert detailed.updated_at == "2026-06-27T14:10:07Z"  # 15:10:07+01:00
    assert detailed.body == "Read the full decision in the judgment."
    assert (detailed.title, detailed.url) == (item.title, item.url)


# --- parse: constructed DSIT / AISI responses ---------------------------------------------


def test_parse_constructed_news() -> None:
    items = parse(NEWS)
    assert len(items) == 6
    press = items[0]
    assert (
        press.url == "https://www.gov.uk/government/news/national-ai-compute-programme-opens-to-researchers"
    )
    assert press.title == "National AI compute programme opens to researchers"
    assert press.identifier == "0b5e6c1e-3c0a-4c53-9d4e-6a1f2d8c0001"
    assert press.published_at == "2026-03-04T10:00:00Z"
    assert press.category == "press"
    assert press.organisation == DSIT
    assert press.detail_url == (
        "https://www.gov.uk/api/content/government/news/national-ai-compute-programme-opens-to-researchers"
    )
    titles = by_title(items)
    both = titles["AI Security Institute sets out its evaluation priorities"]
    assert both.organisation == f"{DSIT}; AI Security Institute"
    assert titles["Science and technology: the next decade"].category == "speech"
    assert titles["Oral statement on AI opportunities"].category == "speech"
    assert titles["Written statement on the international network"].category == "speech"
    assert titles["Challenge fund applications open"].category == "press"
    assert all(item.call_status is None and item.deadline_at is None for item in items)


def test_parse_constructed_policy_and_consultations() -> None:
    titles = by_title(parse(POLICY, source(category="policy", supergroup="policy_and_engagement")))
    consultation = titles["Frontier AI regulation: proposals"]
    assert (consultation.category, consultation.call_status) == ("consultation", "open")
    evidence = titles["Compute access: call for evidence"]
    assert (evidence.category, evidence.call_status) == ("consultation", "open")
    paper = titles["AI Security Institute: approach to evaluations"]
    assert (paper.category, paper.call_status) == ("policy", None)
    closed = titles["Copyright and AI: proposals"]
    assert (closed.category, closed.call_status) == ("consultation", "closed")
    assert closed.published_at == "2025-12-17T14:00:00Z"


def test_paths_are_prefixed_with_the_site_of_the_source() -> None:
    local = source("http://127.0.0.1:5555/api/search.json")
    item = parse(NEWS, local)[0]
    assert (
        item.url == "http://127.0.0.1:5555/government/news/national-ai-compute-programme-opens-to-researchers"
    )
    assert item.detail_url == (
        "http://127.0.0.1:5555/api/content/government/news/national-ai-compute-programme-opens-to-researchers"
    )
    chosen = parse(NEWS, source(site_url="https://example.org/", content_api="https://content.example.org"))[
        0
    ]
    assert chosen.url.startswith("https://example.org/government/news/")
    assert chosen.detail_url.startswith("https://content.example.org/api/content/government/news/")


def page(*results: dict[str, Any], total: int | None = None) -> bytes:
    return json.dumps({"results": list(results), "total": len(results) if total is None else total}).encode()


def test_absolute_links_and_unsafe_links() -> None:
    payload = page(
        {"title": "On GOV.UK, absolute", "link": "https://www.gov.uk/government/news/absolute"},
        {"title": "Elsewhere", "link": "https://www.nhs.uk/conditions/"},
        {"title": "Hostile", "link": "javascript:alert(1)"},
        {"title": "", "link": "/no-title"},
        {"title": "No link"},
    )
    items = govuk_search.parse(payload, source(), base_url=GOVUK)
    assert [(i.url, i.detail_url) for i in items] == [
        (
            "https://www.gov.uk/government/news/absolute",
            "https://www.gov.uk/api/content/government/news/absolute",
        ),
        ("https://www.nhs.uk/conditions/", None),  # off GOV.UK: no content item to read
    ]


def test_no_usable_result_means_the_format_changed() -> None:
    with pytest.raises(ParseError, match=r"none of the 2 GOV\.UK search results"):
        govuk_search.parse(page({"name": "x"}, {"headline": "y"}), source(), base_url=GOVUK)


def test_no_results_is_an_empty_list() -> None:
    assert govuk_search.parse(page(), source(), base_url=GOVUK) == []


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "sent an empty answer"),
        (b"  \n", "sent an empty answer"),
        (b"<!DOCTYPE html><html><body>Sorry, we're having problems</body></html>", "web page where JSON"),
        (b'{"results": [', "not valid JSON"),
        (b"[1, 2]", "without a list of results"),
        (b'{"results": "none"}', "without a list of results"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
    ],
)
def test_wrong_content_is_a_parse_error(payload: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        govuk_search.parse(payload, source(), base_url=GOVUK)


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"count": 0}, "'count' must be a whole number from 1 to 1500"),
        ({"count": 2000}, "'count' must be a whole number"),
        ({"max_pages": "3"}, "'max_pages' must be a whole number"),
        ({"organisations": [1, 2]}, "'organisations' must be a text or a list"),
    ],
)
def test_bad_options_are_named(options: dict[str, Any], reason: str) -> None:
    with pytest.raises(ScrapeError, match=reason):
        govuk_search.Options.of(source(**options))


def test_query_parameters() -> None:
    options = govuk_search.Options.of(
        source(count=20, document_types=["press_release"], supergroup="news_and_communications")
    )
    assert govuk_search.search_params(options, 40) == [
        ("filter_organisations", "department-for-science-innovation-and-technology"),
        ("filter_organisations", "ai-security-institute"),
        ("filter_content_purpose_supergroup", "news_and_communications"),
        ("filter_content_store_document_type", "press_release"),
        ("order", "-public_timestamp"),
        ("count", "20"),
        ("start", "40"),
        *[("fields", name) for name in govuk_search.FIELDS],
    ]
    # document types alone are a filter: no supergroup is added to them
    only_types = govuk_search.Options.of(source(document_types=["open_consultation"]))
    assert only_types.supergroups == ()
    assert govuk_search.Options.of(source()).supergroups == ("news_and_communications",)
    assert govuk_search.Options.of(source(content_purpose="policy_and_engagement")).supergroups == (
        "policy_and_engagement",
    )


# --- parse_detail: the real content items -------------------------------------------------


def listed(**fields: Any) -> Announcement:
    base = Announcement(url="https://www.gov.uk/x", title="", category="press")
    return replace(base, **fields)


def detail(name: str, item: Announcement | None = None, src: Source | None = None) -> Announcement:
    return govuk_search.parse_detail((CONTENT / name).read_bytes(), src or source(), item or listed())


def test_detail_press_release() -> None:
    item = detail("news_article_press_release.json")
    assert item.title == "Modern life responsible for ‘worrying’ health in middle aged"
    assert item.body.startswith("Eight out of 10 of the middle aged either weigh too much")
    assert "<" not in item.body
    assert item.published_at == "2016-12-28T00:00:19Z"
    assert item.updated_at == "2016-12-28T00:00:19Z"
    assert item.organisation == "Public Health England"
    assert item.identifier == "4ae92ddf-5ba6-4ec4-a7d5-7648ea4c9ffd"
    assert item.category == "press"
    assert item.call_status is None and item.deadline_at is None


def test_detail_keeps_what_the_listing_said() -> None:
    """A detail that contradicted its listing would make every refresh record a change."""
    item = listed(
        title="Listed title",
        summary="Listed summary",
        organisation=DSIT,
        identifier="listed-id",
        published_at="2017-01-01T00:00:00Z",
    )
    enriched = detail("news_article_press_release.json", item)
    assert (enriched.title, enriched.summary, enriched.organisation, enriched.identifier) == (
        "Listed title",
        "Listed summary",
        DSIT,
        "listed-id",
    )
    assert enriched.published_at == "2017-01-01T00:00:00Z"
    assert enriched.body


def test_detail_open_consultation() -> None:
    item = detail("open_consultation.json", src=source(category="policy"))
    assert item.category == "consultation"
    assert item.call_status == "open"
    assert item.opens_at == "2016-11-04T09:00:00Z"
    assert item.deadline_at is None  # the page's own typo, 2216 for 2016: refused (scrapers/dates.py)
    assert item.published_at == "2016-11-04T09:00:00Z"
    assert item.organisation == "Department for Education"
    assert "postgraduate doctoral loan" in item.body


def test_detail_closed_consultation_without_first_published_at() -> None:
    item = detail("closed_consultation.json", src=source(category="policy"))
    assert (item.category, item.call_status) == ("consultation", "closed")
    assert item.opens_at == "2016-09-05T13:00:00Z"
    assert item.deadline_at == "2016-10-31T16:00:00Z"
    assert item.published_at == "2016-09-05T13:00:00Z"  # details.first_public_at
    assert item.organisation == "Department for Culture, Media & Sport"


def test_detail_withdrawn_item_is_kept_and_marked() -> None:
    item = detail("news_article_withdrawn.json")
    assert item.call_status == "withdrawn"
    assert item.body.startswith(
        "Withdrawn on 2019-08-22: We’ve withdrawn this news article\n\nPrime Minister Theresa May said:"
    )
    assert item.title == "Christmas 2016: Prime Minister's message"
    assert item.organisation == "Prime Minister's Office, 10 Downing Street"


def test_detail_translated_item_keeps_its_script() -> None:
    item = detail("news_article_news_story_translated_arabic.json")
    assert item.title == "کرسمس 2016ء : وزیراعظم کا پیغام"
    assert item.body.startswith("وزیراعظم ٹریزامے نے پیغام میں کہا ہے:")
    assert item.identifier == "d0ee80cd-ed7a-4b04-b60f-3be2f03693af"
    assert item.published_at == "2016-12-25T00:15:06Z"
    assert item.call_status is None


def test_detail_speech_is_a_speech() -> None:
    item = detail("speech-oral-statement-parliament.json")
    assert item.category == "speech"
    assert item.body.startswith("With permission, Mr Speaker")
    assert item.organisation == "Ministry of Justice"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("best-practice-news-story.json", "drug drive limit"),
        ("best-practice-policy-paper.json", "safeguarding"),
    ],
)
def test_detail_best_practice_examples(name: str, words: str) -> None:
    item = detail(name)
    assert words in item.body
    assert item.published_at and item.updated_at


def test_detail_body_in_parts_and_missing_body() -> None:
    parts = {
        "title": "Multi-part",
        "details": {
            "body": [
                {"content_type": "text/govspeak", "content": "# x"},
                {"content_type": "text/html", "content": "<p>Hello</p>"},
            ]
        },
    }
    assert govuk_search.parse_detail(json.dumps(parts).encode(), source(), listed()).body == "Hello"
    bare = {"title": "No body", "base_path": "/x", "details": None}
    assert govuk_search.parse_detail(json.dumps(bare).encode(), source(), listed()).body is None


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty answer"),
        (b"<html><title>Page not found</title></html>", "web page where JSON"),
        (b"{", "not valid JSON"),
        (b'"just a string"', "not a content item"),
        (b'{"title": "x", "details": "y"}', "not a content item"),
        (b'{"details": {}}', "neither title nor path"),
    ],
)
def test_detail_wrong_content(payload: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        govuk_search.parse_detail(payload, source(), listed())


# --- fetch against a local server ---------------------------------------------------------


def serve_pages(httpserver: HTTPServer, results: list[dict[str, Any]], etag: str | None = None) -> None:
    """search.json answering by `start` and `count`, as GOV.UK does."""

    def handler(request: Request) -> Response:
        if etag and request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        start, count = int(request.args["start"]), int(request.args["count"])
        body = {"results": results[start : start + count], "total": len(results), "start": start}
        headers = {"etag": etag} if etag else {}  # lower case, as HTTP/2 front ends send it
        return Response(json.dumps(body), content_type="application/json", headers=headers)

    httpserver.expect_request("/api/search.json", method="GET").respond_with_handler(handler)


def news_results() -> list[dict[str, Any]]:
    return json.loads(NEWS.read_text())["results"]


def local_source(httpserver: HTTPServer, **options: Any) -> Source:
    return source(httpserver.url_for("/api/search.json"), **options)


def test_fetch_sends_the_documented_query(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_pages(httpserver, news_results())
    listing = govuk_search.fetch(client, local_source(httpserver, count=50), Validators())
    assert len(listing.announcements) == 6
    [request] = requests_to(httpserver, "/api/search.json")
    args = request.args
    assert args.getlist("filter_organisations") == [
        "department-for-science-innovation-and-technology",
        "ai-security-institute",
    ]
    assert args.getlist("filter_content_purpose_supergroup") == ["news_and_communications"]
    assert args["order"] == "-public_timestamp"
    assert (args["count"], args["start"]) == ("50", "0")
    assert args.getlist("fields") == list(govuk_search.FIELDS)
    assert "PolicyTracker/" in request.headers["User-Agent"]
    item = listing.announcements[0]
    assert item.url == httpserver.url_for(
        "/government/news/national-ai-compute-programme-opens-to-researchers"
    )


def test_fetch_paginates_to_the_total(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_pages(httpserver, news_results())
    listing = govuk_search.fetch(client, local_source(httpserver, count=2, max_pages=10), Validators())
    assert [r.args["start"] for r in requests_to(httpserver, "/api/search.json")] == ["0", "2", "4"]
    assert len(listing.announcements) == 6
    assert len({a.url for a in listing.announcements}) == 6


def test_fetch_stops_at_max_pages(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_pages(httpserver, news_results())
    listing = govuk_search.fetch(client, local_source(httpserver, count=2, max_pages=2), Validators())
    assert [r.args["start"] for r in requests_to(httpserver, "/api/search.json")] == ["0", "2"]
    assert len(listing.announcements) == 4


def test_fetch_conditional_get(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_pages(httpserver, news_results(), etag='"v1"')
    src = local_source(httpserver, count=4)
    first = govuk_search.fetch(client, src, Validators())
    assert first.validators.etag == '"v1"'  # read although the server wrote `etag`
    assert not first.not_modified
    second = govuk_search.fetch(client, src, first.validators)
    assert second.not_modified and second.announcements == []
    assert second.validators.etag == '"v1"'
    sent = [r.headers.get("If-None-Match") for r in requests_to(httpserver, "/api/search.json")]
    # first run: page 1 plain, page 2 plain; second run: page 1 conditional, answered 304
    assert sent == [None, None, '"v1"']


def test_fetch_fails_when_a_later_page_fails(httpserver: HTTPServer, client: HttpClient) -> None:
    calls = []

    def handler(request: Request) -> Response:
        calls.append(request.args["start"])
        if request.args["start"] != "0":
            return Response("", status=503)
        return Response(
            json.dumps({"results": news_results()[:2], "total": 6}), content_type="application/json"
        )

    httpserver.expect_request("/api/search.json").respond_with_handler(handler)
    with pytest.raises(ScrapeError, match="503"):
        govuk_search.fetch(client, local_source(httpserver, count=2), Validators())


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ("<!DOCTYPE html><html><body><h1>GOV.UK</h1></body></html>", "text/html", "web page where JSON"),
        ("", "application/json", "empty answer"),
        ('{"results": [{"title": "x", ', "application/json", "not valid JSON"),
    ],
)
def test_fetch_wrong_content(
    httpserver: HTTPServer, client: HttpClient, body: str, content_type: str, reason: str
) -> None:
    httpserver.expect_request("/api/search.json").respond_with_data(body, content_type=content_type)
    with pytest.raises(ParseError, match=reason):
        govuk_search.fetch(client, local_source(httpserver), Validators())


def test_fetch_unknown_parameter_answered_422(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/api/search.json").respond_with_json({"error": "Unknown field"}, status=422)
    with pytest.raises(ScrapeError, match="422"):
        govuk_search.fetch(client, local_source(httpserver), Validators())


def test_fetch_detail_reads_the_content_api(httpserver: HTTPServer, client: HttpClient) -> None:
    results = [
        {
            "title": "Postgraduate doctoral loans",
            "link": "/government/consultations/postgraduate-doctoral-loans",
            "content_store_document_type": "open_consultation",
            "public_timestamp": "2016-11-07T15:45:44.000+00:00",
        }
    ]
    serve_pages(httpserver, results)
    httpserver.expect_request(
        "/api/content/government/consultations/postgraduate-doctoral-loans", method="GET"
    ).respond_with_data((CONTENT / "open_consultation.json").read_bytes(), content_type="application/json")
    src = local_source(httpserver, category="policy")
    [item] = govuk_search.fetch(client, src, Validators()).announcements
    assert item.detail_url == httpserver.url_for(
        "/api/content/government/consultations/postgraduate-doctoral-loans"
    )
    full = govuk_search.fetch_detail(client, src, item)
    assert full.deadline_at is None  # the page says 2216: outside the plausible years, refused
    assert full.opens_at == "2016-11-04T09:00:00Z"
    assert full.published_at == "2016-11-07T15:45:44Z"  # the listing's date stays
    assert full.updated_at == "2016-11-07T15:45:44Z"
    assert (full.category, full.call_status) == ("consultation", "open")
    assert full.body.startswith("We are seeking external views on a postgraduate doctoral loan.")


def test_fetch_detail_failure_is_a_scrape_error(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/api/content/government/news/gone").respond_with_data("Not found", status=404)
    item = listed(detail_url=httpserver.url_for("/api/content/government/news/gone"))
    with pytest.raises(ScrapeError, match="404"):
        govuk_search.fetch_detail(client, source(httpserver.url_for("/api/search.json")), item)
    httpserver.expect_request("/api/content/government/news/html").respond_with_data(
        "<html>maintenance</html>", content_type="text/html"
    )
    item = listed(detail_url=httpserver.url_for("/api/content/government/news/html"))
    with pytest.raises(ParseError, match="web page"):
        govuk_search.fetch_detail(client, source(httpserver.url_for("/api/search.json")), item)


def test_fetch_detail_without_a_content_item_asks_nothing(client: HttpClient) -> None:
    item = listed(url="https://www.nhs.uk/conditions/", detail_url=None)
    assert govuk_search.fetch_detail(client, source(), item) is item


def test_robots_txt_is_honoured(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /api/\n")
    with pytest.raises(ScrapeError, match=r"robots\.txt does not allow"):
        govuk_search.fetch(client, local_source(httpserver), Validators())
    assert requests_to(httpserver, "/api/search.json") == []


# --- properties ---------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
RESULT = st.dictionaries(st.sampled_from([*govuk_search.FIELDS, "links", "x"]), JSON | st.text(), max_size=9)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_parse_errors(payload: bytes) -> None:
    try:
        govuk_search.parse(payload, source(), base_url=GOVUK)
        govuk_search.parse_detail(payload, source(), listed())
    except ParseError:
        pass


@FAST
@given(JSON)
def test_random_json_raises_only_parse_errors(value: Any) -> None:
    payload = json.dumps(value).encode()
    for call in (
        lambda: govuk_search.parse(payload, source(), base_url=GOVUK),
        lambda: govuk_search.parse_detail(payload, source(), listed()),
    ):
        with contextlib.suppress(ParseError):
            call()


@FAST
@given(st.lists(RESULT, max_size=5), JSON)
def test_search_shaped_json_raises_only_parse_errors(results: list[Any], total: Any) -> None:
    payload = json.dumps({"results": results, "total": total}).encode()
    try:
        items = govuk_search.parse(payload, source(), base_url=GOVUK)
    except ParseError:
        return
    assert all(item.url.startswith(("http://", "https://")) and item.title for item in items)


@FAST
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "title",
                "base_path",
                "details",
                "withdrawn_notice",
                "links",
                "document_type",
                "first_published_at",
            ]
        ),
        JSON,
    )
)
def test_content_shaped_json_raises_only_parse_errors(value: dict[str, Any]) -> None:
    with contextlib.suppress(ParseError):
        govuk_search.parse_detail(json.dumps(value).encode(), source(), listed())
