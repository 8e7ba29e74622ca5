"""Tests of scrapers/kinds/presscorner.py: the Commission press corner search and documents.

Every payload here is constructed: no capture was found (`fixtures/presscorner/captured/README.md`).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from scrapers.http import HttpClient
from scrapers.kinds import presscorner
from scrapers.model import Announcement, ParseError, ScrapeError, Source, Validators
from tests import repo_paths

FIXTURES = repo_paths.FIXTURES / "presscorner"
SEARCH = FIXTURES / "constructed" / "search-constructed.json"
DOCUMENT = FIXTURES / "constructed" / "documents-ip-26-301-constructed.json"
EC = "https://ec.europa.eu/commission/presscorner"
SEARCH_PATH = "/commission/presscorner/api/search"
DOCUMENTS_PATH = "/commission/presscorner/api/documents"
EMPTY = "the press corner sent an empty answer"


def source(url: str = EC + "/api/search", category: str = "press", **options: Any) -> Source:
    return Source(
        id="presscorner-test",
        name="Press corner test",
        kind="presscorner",
        url=url,
        jurisdiction="EU",
        category=category,
        options=options,
    )


def parse(payload: bytes, src: Source | None = None) -> list[Announcement]:
    src = src or source()
    return presscorner.parse(payload, src, base_url=src.url)


def documents(*docs: dict[str, Any]) -> bytes:
    return json.dumps({"docuLanguageListResources": list(docs)}).encode()


@pytest.fixture(autouse=True)
def robots(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")


# --- parse ----------------------------------------------------------------------------------


def test_parse_constructed_search() -> None:
    items = parse(SEARCH.read_bytes())
    assert [i.identifier for i in items] == ["IP/26/301", "STATEMENT/26/298", "SPEECH/26/290", "QANDA/26/295"]
    assert items[0] == Announcement(
        url=f"{EC}/detail/en/ip_26_301",
        title="Commission opens applications for AI Factories Antennas",
        summary=(
            "Today the Commission opened a call for AI Factories Antennas to widen access to "
            "AI-optimised supercomputing across the EU."
        ),
        category="press",
        jurisdiction="EU",
        organisation="European Commission",
        identifier="IP/26/301",
        published_at="2026-03-02T00:00:00Z",  # the calendar day given, not the evening before
        detail_url=f"{EC}/api/documents?reference=IP/26/301&language=en",
    )
    assert [i.category for i in items] == ["press", "press", "speech", "press"]
    assert items[1].url == f"{EC}/detail/en/statement_26_298"
    qanda = items[3]
    assert qanda.title == "Questions and answers: the AI Continent Action Plan & compute"
    assert qanda.summary == "What is the AI Continent Action Plan?"


def test_other_types_take_the_source_category() -> None:
    [item] = parse(
        documents({"refCode": "MEX/26/310", "title": "Daily news", "docutype": "MEX"}),
        source(category="policy"),
    )
    assert item.category == "policy"


def test_docutype_as_text_or_missing() -> None:
    items = parse(
        documents(
            {"refCode": "SPEECH/26/1", "title": "A", "docutype": "SPEECH"},
            {"refCode": "SPEECH/26/2", "title": "B"},  # no docutype: the reference says it
            {"refCode": "IP/26/3", "title": "C", "docutype": {"description": "Press release"}},
        )
    )
    assert [i.category for i in items] == ["speech", "speech", "press"]


def test_other_languages_and_duplicates_are_dropped() -> None:
    items = parse(
        documents(
            {"refCode": "IP/26/1", "title": "English", "languageCode": "EN"},
            {"refCode": "IP/26/2", "title": "Français", "languageCode": "FR"},
            {"refCode": "IP/26/1", "title": "English again", "languageCode": "EN"},
        )
    )
    assert [(i.identifier, i.title) for i in items] == [("IP/26/1", "English")]


def test_local_source_derives_every_address() -> None:
    local = source("http://127.0.0.1:5555/commission/presscorner/api/search")
    item = parse(SEARCH.read_bytes(), local)[0]
    assert item.url == "http://127.0.0.1:5555/commission/presscorner/detail/en/ip_26_301"
    assert (
        item.detail_url
        == "http://127.0.0.1:5555/commission/presscorner/api/documents?reference=IP/26/301&language=en"
    )
    chosen = source(
        documents_url="https://docs.example.org/api/documents",
        human_url_template="https://example.org/{language}/{ref_slug}?ref={ref}",
    )
    item = parse(SEARCH.read_bytes(), chosen)[0]
    assert item.url == "https://example.org/en/ip_26_301?ref=IP/26/301"
    assert item.detail_url == "https://docs.example.org/api/documents?reference=IP/26/301&language=en"


def test_no_results_is_an_empty_list() -> None:
    assert parse(documents()) == []


def test_no_usable_document_means_the_format_changed() -> None:
    with pytest.raises(ParseError, match="none of the 2 press corner documents"):
        parse(documents({"reference": "IP/26/1"}, {"refCode": "IP/26/2", "title": ""}))


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", EMPTY),
        (b" \r\n", EMPTY),
        (b"\xef\xbb\xbf", EMPTY),
        (b"<!DOCTYPE html><html><title>Press corner</title></html>", "web page where JSON"),
        (b'{"docuLanguageListResources": [', "not valid JSON"),
        (b"{}", "without a list of documents"),
        (b'{"docuLanguageListResources": {}}', "without a list of documents"),
    ],
)
def test_wrong_content_is_a_parse_error(payload: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse(payload)


def test_empty_answer_message_is_plain() -> None:
    with pytest.raises(ParseError) as caught:
        parse(b"")
    assert str(caught.value) == EMPTY


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"page_size": 0}, "'page_size' must be a whole number from 1 to 100"),
        ({"max_pages": True}, "'max_pages' must be a whole number"),
        ({"document_types": [1]}, "'document_types' must be a list of codes"),
    ],
)
def test_bad_options_are_named(options: dict[str, Any], reason: str) -> None:
    with pytest.raises(ScrapeError, match=reason):
        presscorner.Options.of(source(**options))


# --- parse_detail ---------------------------------------------------------------------------


def listed(**fields: Any) -> Announcement:
    base = Announcement(url=f"{EC}/detail/en/ip_26_301", title="Listed", identifier="IP/26/301")
    return replace(base, **fields)


def test_detail_gives_the_full_text() -> None:
    item = presscorner.parse_detail(DOCUMENT.read_bytes(), source(), listed())
    assert item.body == (
        "Today the Commission opened a call for AI Factories Antennas.\n\n"
        "Applicants can apply until 30 June 2026.\n\n"
        "Access to supercomputers\n\nSupport for start-ups"
    )
    assert item.title == "Listed"
    assert presscorner.parse_detail(DOCUMENT.read_bytes(), source(), listed(title="")).title == (
        "Commission opens applications for AI Factories Antennas"
    )


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", EMPTY),
        (b"<html>Service unavailable</html>", "web page where JSON"),
        (b'{"docuLanguageResource": null}', "sent no document for IP/26/301"),
        (b'{"docuLanguageResource": {"title": "x"}}', "sent document IP/26/301 without its text"),
    ],
)
def test_detail_wrong_content(payload: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        presscorner.parse_detail(payload, source(), listed())


# --- fetch against a local server -----------------------------------------------------------


def search_results() -> list[dict[str, Any]]:
    return json.loads(SEARCH.read_text())["docuLanguageListResources"]


def serve_search(httpserver: HTTPServer, results: list[dict[str, Any]], etag: str | None = None) -> None:
    def handler(request: Request) -> Response:
        if etag and request.headers.get("If-None-Match") == etag:
            return Response(status=304)
        size, number = int(request.args["pagesize"]), int(request.args["pagenumber"])
        chunk = results[(number - 1) * size : number * size]
        headers = {"ETag": etag} if etag else {}
        return Response(
            json.dumps({"docuLanguageListResources": chunk}), content_type="application/json", headers=headers
        )

    httpserver.expect_request(SEARCH_PATH, method="GET").respond_with_handler(handler)


def searches(httpserver: HTTPServer) -> list[Request]:
    return [r for r, _ in httpserver.log if r.path == SEARCH_PATH]


def local_source(httpserver: HTTPServer, **options: Any) -> Source:
    return source(httpserver.url_for(SEARCH_PATH), **options)


def test_fetch_sends_the_documented_query(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_search(httpserver, search_results())
    listing = presscorner.fetch(
        client, local_source(httpserver, document_types=["IP", "STATEMENT", "QANDA", "SPEECH"]), Validators()
    )
    assert len(listing.announcements) == 4
    [request] = searches(httpserver)
    assert request.args.to_dict() == {
        "language": "en",
        "pagesize": "50",
        "pagenumber": "1",
        "documentTypeCodes": "IP,STATEMENT,QANDA,SPEECH",
    }
    assert listing.announcements[0].url == httpserver.url_for("/commission/presscorner/detail/en/ip_26_301")


def test_fetch_paginates_until_a_short_page(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_search(httpserver, search_results())
    listing = presscorner.fetch(client, local_source(httpserver, page_size=3, max_pages=5), Validators())
    assert [r.args["pagenumber"] for r in searches(httpserver)] == ["1", "2"]
    assert len(listing.announcements) == 4


def test_fetch_stops_at_max_pages_and_at_an_empty_list(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_search(httpserver, search_results())
    listing = presscorner.fetch(client, local_source(httpserver, page_size=2, max_pages=1), Validators())
    assert [r.args["pagenumber"] for r in searches(httpserver)] == ["1"]
    assert len(listing.announcements) == 2
    httpserver.clear_log()
    listing = presscorner.fetch(client, local_source(httpserver, page_size=2, max_pages=9), Validators())
    assert [r.args["pagenumber"] for r in searches(httpserver)] == ["1", "2", "3"]  # 3 is []
    assert len(listing.announcements) == 4


def test_an_empty_body_is_an_error_never_the_end_of_the_list(
    httpserver: HTTPServer, client: HttpClient
) -> None:
    def handler(request: Request) -> Response:
        if request.args["pagenumber"] == "1":
            return Response(
                json.dumps({"docuLanguageListResources": search_results()[:2]}),
                content_type="application/json",
            )
        return Response(b"", status=200, content_type="application/json")

    httpserver.expect_request(SEARCH_PATH).respond_with_handler(handler)
    with pytest.raises(ParseError) as caught:
        presscorner.fetch(client, local_source(httpserver, page_size=2), Validators())
    assert str(caught.value) == EMPTY


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ("", "application/json", EMPTY),
        ("<html><body>Maintenance</body></html>", "text/html", "web page where JSON"),
        ('{"docuLanguageListResources": [{"refCode": ', "application/json", "not valid JSON"),
    ],
)
def test_fetch_wrong_content(
    httpserver: HTTPServer, client: HttpClient, body: str, content_type: str, reason: str
) -> None:
    httpserver.expect_request(SEARCH_PATH).respond_with_data(body, content_type=content_type)
    with pytest.raises(ParseError, match=reason):
        presscorner.fetch(client, local_source(httpserver), Validators())


def test_fetch_conditional_get(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_search(httpserver, search_results(), etag='"p1"')
    src = local_source(httpserver)
    first = presscorner.fetch(client, src, Validators())
    assert first.validators.etag == '"p1"'
    second = presscorner.fetch(client, src, first.validators)
    assert second.not_modified and second.announcements == []
    assert second.validators.etag == '"p1"'  # kept though the 304 did not repeat it
    assert [r.headers.get("If-None-Match") for r in searches(httpserver)] == [None, '"p1"']


def test_fetch_detail(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_search(httpserver, search_results())
    httpserver.expect_request(
        DOCUMENTS_PATH, method="GET", query_string={"reference": "IP/26/301", "language": "en"}
    ).respond_with_data(DOCUMENT.read_bytes(), content_type="application/json")
    src = local_source(httpserver)
    item = presscorner.fetch(client, src, Validators()).announcements[0]
    full = presscorner.fetch_detail(client, src, item)
    assert full.body.startswith("Today the Commission opened a call for AI Factories Antennas.")
    assert item.published_at == "2026-03-02T00:00:00Z"  # the search's day
    assert full.published_at == "2026-03-02T11:42:00Z"  # the document's publishDate
    [request] = [r for r, _ in httpserver.log if r.path == DOCUMENTS_PATH]
    assert request.args.to_dict() == {"reference": "IP/26/301", "language": "en"}


def test_fetch_detail_failures(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request(DOCUMENTS_PATH).respond_with_data(b"", content_type="application/json")
    item = listed(detail_url=httpserver.url_for(DOCUMENTS_PATH) + "?reference=IP/26/301&language=en")
    with pytest.raises(ParseError) as caught:
        presscorner.fetch_detail(client, source(), item)
    assert str(caught.value) == EMPTY
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("")
    httpserver.expect_request(DOCUMENTS_PATH).respond_with_data("gone", status=410)
    with pytest.raises(ScrapeError, match="410"):
        presscorner.fetch_detail(client, source(), item)
    with pytest.raises(ScrapeError, match="no document address"):
        presscorner.fetch_detail(client, source(), listed(detail_url=None))


# --- properties -----------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
DOC = st.dictionaries(
    st.sampled_from(["refCode", "eventDate", "title", "leadText", "docutype", "languageCode"]),
    st.text(max_size=40) | JSON,
    max_size=6,
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_parse_errors(payload: bytes) -> None:
    for call in (lambda: parse(payload), lambda: presscorner.parse_detail(payload, source(), listed())):
        with contextlib.suppress(ParseError):
            call()


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_parse_errors(payload: bytes) -> None:
    only_parse_errors(payload)


@FAST
@given(JSON)
def test_random_json_raises_only_parse_errors(value: Any) -> None:
    only_parse_errors(json.dumps(value).encode())


@FAST
@given(st.lists(DOC, max_size=5))
def test_search_shaped_json_raises_only_parse_errors(docs: list[Any]) -> None:
    try:
        items = parse(json.dumps({"docuLanguageListResources": docs}).encode())
    except ParseError:
        return
    assert all(item.url.startswith(EC + "/detail/en/") and item.identifier for item in items)


@FAST
@given(st.dictionaries(st.sampled_from(["htmlContent", "title"]), st.text() | JSON))
def test_document_shaped_json_raises_only_parse_errors(resource: dict[str, Any]) -> None:
    only_parse_errors(json.dumps({"docuLanguageResource": resource}).encode())


def test_detail_keeps_the_publication_time_of_the_documents_api() -> None:
    """`publishDate` (top level of `api/documents`, beside `refCd` and `eventDate`) has the time
    of day that the search's `eventDate` lacks."""
    listed_day = listed(published_at="2026-03-02T00:00:00Z")
    item = presscorner.parse_detail(DOCUMENT.read_bytes(), source(), listed_day)
    assert item.published_at == "2026-03-02T11:42:00Z"
    document = json.loads(DOCUMENT.read_text())
    for spelling, expected in (
        ("2026-03-02T11:42:00Z", "2026-03-02T11:42:00Z"),
        ("2026-03-02T11:42:00.000+0000", "2026-03-02T11:42:00Z"),
        ("2026-03-02T12:42:00", "2026-03-02T11:42:00Z"),  # no zone: Brussels winter time
        ("2026-07-15T10:00:00", "2026-07-15T08:00:00Z"),  # Brussels summer time
        (1772451720000, "2026-03-02T11:42:00Z"),  # epoch milliseconds
        ("2026-03-02", "2026-03-02T00:00:00Z"),  # a day only: the day, as eventDate
    ):
        document["publishDate"] = spelling
        item = presscorner.parse_detail(json.dumps(document).encode(), source(), listed_day)
        assert item.published_at == expected, spelling
    for missing in (None, "", "not a date"):
        document["publishDate"] = missing
        item = presscorner.parse_detail(json.dumps(document).encode(), source(), listed_day)
        assert item.published_at == "2026-03-02T00:00:00Z", missing  # the listing's day stands
    del document["publishDate"]
    item = presscorner.parse_detail(json.dumps(document).encode(), source(), listed())
    assert item.published_at == "2026-03-02T00:00:00Z"  # the document's own eventDate
