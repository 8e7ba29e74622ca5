"""Tests of scrapers/kinds/eu_funding.py: the F&T search API (SEDIA) and topicDetails.

Search pages: captured (`fixtures/eu_funding/captured/`) and constructed; topicDetails and cascade
calls: constructed only, no capture of them was found (`fixtures/eu_funding/captured/README.md`).
"""

from __future__ import annotations

import contextlib
import copy
import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from scrapers.http import HttpClient
from scrapers.kinds import eu_funding
from scrapers.model import Announcement, ParseError, ScrapeError, Source, Validators
from tests.repo_paths import FIXTURES

REAL_ITEM = FIXTURES / "eu_funding" / "captured" / "sedia-search-result-item.json"
REAL_ENVELOPE = FIXTURES / "eu_funding" / "captured" / "europa-search-api-envelope.json"
PAGE = FIXTURES / "eu_funding" / "constructed" / "search-page-constructed.json"
DETAILS = FIXTURES / "eu_funding" / "constructed" / "topic-details-constructed.json"
API = "https://api.tech.ec.europa.eu/search-api/prod/rest/search"
SEARCH_PATH = "/search-api/prod/rest/search"
PORTAL = "https://ec.europa.eu/info/funding-tenders/opportunities"
HE_TOPIC = "HORIZON-CL5-2024-D2-01-03"
DE_TOPIC = "DIGITAL-2026-AI-03-GENAI"
BEFORE_BOTH = datetime(2026, 3, 1, tzinfo=UTC)
BEFORE_REAL_DEADLINE = datetime(2024, 1, 1, tzinfo=UTC)


def source(url: str = API, **options: Any) -> Source:
    return Source(
        id="eu-test",
        name="EU calls test",
        kind="eu_funding",
        url=url,
        jurisdiction="EU",
        category="funding",
        options=options,
    )


def parse(payload: bytes, src: Source | None = None, now: datetime = BEFORE_BOTH) -> list[Announcement]:
    src = src or source()
    return eu_funding.parse(payload, src, base_url=src.url, now=now)


def page_with(*results: dict[str, Any], total: int | None = None) -> bytes:
    envelope = json.loads(REAL_ENVELOPE.read_text())
    envelope["results"] = list(results)
    envelope["totalResults"] = len(results) if total is None else total
    return json.dumps(envelope).encode()


def real_item() -> dict[str, Any]:
    return json.loads(REAL_ITEM.read_text())


def constructed_results() -> list[dict[str, Any]]:
    return json.loads(PAGE.read_text())["results"]


@pytest.fixture(autouse=True)
def robots(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)  # none: all allowed


# --- parse: the real item in the real envelope --------------------------------------------


def test_parse_real_item() -> None:
    [item] = parse(page_with(real_item()), now=BEFORE_REAL_DEADLINE)
    assert item == Announcement(
        url=f"{PORTAL}/portal/screen/opportunities/topic-details/{HE_TOPIC}",
        title=(
            "Development of technical and business solutions to optimise the circularity, resilience, "
            "and sustainability of the European battery value chain (Batt4EU Partnership)"
        ),
        summary="Call HORIZON-CL5-2024-D2-01 · HORIZON Research and Innovation Actions · single-stage",
        category="funding",
        jurisdiction="EU",
        identifier=HE_TOPIC,
        opens_at="2023-12-07T00:00:00Z",
        deadline_at="2024-04-18T17:00:00Z",  # 19:00 +0200 in the metadata
        call_status="forthcoming",
        programme="Horizon Europe · Cluster 5: Climate, Energy and Mobility",
        action_type="HORIZON Research and Innovation Actions",  # "HORIZON  Research ..." as captured
        detail_url=f"{PORTAL}/data/topicDetails/horizon-cl5-2024-d2-01-03.json",
    )


def test_real_envelope_without_identifiers_means_the_format_changed() -> None:
    with pytest.raises(ParseError, match="none of the 2 funding search results had an identifier"):
        parse(REAL_ENVELOPE.read_bytes())


def test_parse_real_item_with_each_status() -> None:
    for code, name in (("31094501", "forthcoming"), ("31094502", "open"), ("31094503", "closed")):
        raw = real_item()
        raw["metadata"]["status"] = [code]
        every = source(statuses=["open", "forthcoming", "closed"])
        items = parse(page_with(raw), every, BEFORE_REAL_DEADLINE)
        assert [i.call_status for i in items] == [name]


# --- parse: the constructed page ----------------------------------------------------------


def test_constructed_page_is_filtered_and_deduplicated() -> None:
    items = parse(PAGE.read_bytes())
    assert [i.identifier for i in items] == [HE_TOPIC, DE_TOPIC]  # no French copy, no duplicate,
    # no closed topic, no topic of another programme
    digital = items[1]
    assert digital.call_status == "open"
    assert digital.opens_at == "2026-01-14T23:00:00Z"
    assert digital.budget_amount == 12_000_000  # this topic's line, not its sibling's
    assert digital.budget_currency == "EUR"
    assert digital.summary == (
        "Artificial Intelligence · Call DIGITAL-2026-AI-03 · DIGITAL Simple Grants · two-stage · "
        "Other stage deadline: 17 Sep 2026, 17:00 (Brussels time)"
    )


@pytest.mark.parametrize(
    ("now", "deadline"),
    [
        (datetime(2026, 3, 1, tzinfo=UTC), "2026-04-29T15:00:00Z"),
        (datetime(2026, 4, 29, 15, 0, tzinfo=UTC), "2026-04-29T15:00:00Z"),
        (datetime(2026, 5, 1, tzinfo=UTC), "2026-09-17T15:00:00Z"),
        (datetime(2027, 1, 1, tzinfo=UTC), "2026-09-17T15:00:00Z"),  # all passed: the last one
    ],
)
def test_the_next_of_several_deadlines(now: datetime, deadline: str) -> None:
    items = {i.identifier: i for i in parse(PAGE.read_bytes(), now=now)}
    assert items[DE_TOPIC].deadline_at == deadline


def test_status_and_programme_options() -> None:
    closed_too = parse(PAGE.read_bytes(), source(statuses=["31094501", "31094502", "closed"]))
    assert [i.identifier for i in closed_too] == [HE_TOPIC, DE_TOPIC, "HORIZON-CL4-2023-HUMAN-01-01"]
    assert closed_too[2].call_status == "closed"
    digital_only = parse(PAGE.read_bytes(), source(programmes=["digital-europe"]))
    assert [i.identifier for i in digital_only] == [DE_TOPIC]
    every_programme = parse(PAGE.read_bytes(), source(programmes=[]))
    assert "OTHER-2026-PROG-01" in [i.identifier for i in every_programme]


def test_templates_and_site() -> None:
    local = source("http://127.0.0.1:5555/search-api/prod/rest/search")
    [item, _] = parse(PAGE.read_bytes(), local)
    assert (
        item.url
        == f"http://127.0.0.1:5555/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/{HE_TOPIC}"
    )
    assert (
        item.detail_url
        == "http://127.0.0.1:5555/info/funding-tenders/opportunities/data/topicDetails/horizon-cl5-2024-d2-01-03.json"
    )
    # the details template of the default sources file names the portal: human pages follow it
    templated = source(detail_url_template="http://127.0.0.1:6666/data/{id_lower}.json")
    [item, _] = parse(PAGE.read_bytes(), templated)
    assert item.detail_url == "http://127.0.0.1:6666/data/horizon-cl5-2024-d2-01-03.json"
    assert item.url.startswith("http://127.0.0.1:6666/info/funding-tenders/")
    custom = source(human_url_template="https://example.org/topics/{identifier}?lower={id_lower}")
    [item, _] = parse(PAGE.read_bytes(), custom)
    assert item.url == f"https://example.org/topics/{HE_TOPIC}?lower=horizon-cl5-2024-d2-01-03"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "sent an empty answer"),
        (b"<html><body>Service unavailable</body></html>", "web page where JSON"),
        (b'{"totalResults": 3, "results": [', "not valid JSON"),
        (b'{"totalResults": 0}', "without a list of results"),
        (b"null", "without a list of results"),
    ],
)
def test_wrong_content_is_a_parse_error(payload: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse(payload)


def test_no_results_is_an_empty_list() -> None:
    assert parse(page_with()) == []


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"page_size": 101}, "'page_size' must be a whole number from 1 to 100"),
        ({"statuses": ["ajar"]}, "'ajar' in option 'statuses' is not known"),
        ({"programmes": ["moonshot"]}, "'moonshot' in option 'programmes' is not known"),
        ({"types": "grant"}, "'grant' in option 'types'"),
    ],
)
def test_bad_options_are_named(options: dict[str, Any], reason: str) -> None:
    with pytest.raises(ScrapeError, match=reason):
        eu_funding.Options.of(source(**options))


def test_search_parts() -> None:
    parts = eu_funding.search_parts(eu_funding.Options.of(source()))
    assert json.loads(parts["query"][1]) == {
        "bool": {
            "must": [
                {"terms": {"type": ["1", "2", "8"]}},
                {"terms": {"status": ["31094501", "31094502"]}},
                {"terms": {"frameworkProgramme": ["43108390", "43152860"]}},
            ]
        }
    }
    assert json.loads(parts["languages"][1]) == ["en"]
    assert json.loads(parts["sort"][1]) == {"field": "deadlineDate", "order": "ASC"}
    assert {part[2] for part in parts.values()} == {"application/json"}


# --- parse_detail -------------------------------------------------------------------------


def listed(**fields: Any) -> Announcement:
    base = Announcement(url="https://ec.europa.eu/x", title="t", identifier=HE_TOPIC, category="funding")
    return replace(base, **fields)


def test_detail_fills_body_budget_and_dates() -> None:
    item = eu_funding.parse_detail(DETAILS.read_bytes(), source(), listed(), now=BEFORE_REAL_DEADLINE)
    assert item.body.startswith("Expected Outcome:\nProject results are expected to contribute")
    assert "develop repair, refurbishing and recycling solutions" in item.body
    assert "\n\nConditions\n1. Admissibility conditions" in item.body
    assert "alert" not in item.body
    assert (item.budget_amount, item.budget_currency) == (30_000_000, "EUR")  # not the sibling's 21M
    assert item.published_at == "2023-12-07T00:00:00Z"  # publicationDateLong
    assert item.opens_at == "2023-12-06T23:00:00Z"  # 07 December 2023, Brussels
    assert item.deadline_at == "2024-04-18T15:00:00Z"  # a bare date: 17:00 Brussels summer time
    assert item.call_status == "forthcoming"


def test_detail_keeps_the_listing_values() -> None:
    """The listing's deadline has its time and zone; a detail must not blur it."""
    [item] = parse(page_with(real_item()), now=BEFORE_REAL_DEADLINE)
    full = eu_funding.parse_detail(DETAILS.read_bytes(), source(), item, now=BEFORE_REAL_DEADLINE)
    assert full.deadline_at == "2024-04-18T17:00:00Z"
    assert full.opens_at == "2023-12-07T00:00:00Z"
    assert full.call_status == "forthcoming"
    assert (full.title, full.url, full.summary) == (item.title, item.url, item.summary)
    assert full.budget_amount == 30_000_000 and full.body


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty answer"),
        (b"<!DOCTYPE html><p>Not found</p>", "web page where JSON"),
        (b"[]", "not a topic description"),
        (b'{"TopicDetails": null}', "not a topic description"),
        (b'{"TopicDetails": {"identifier": "X", "description": ""}}', "have no description"),
    ],
)
def test_detail_wrong_content(payload: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        eu_funding.parse_detail(payload, source(), listed())


# --- fetch against a local server ---------------------------------------------------------


def serve_search(httpserver: HTTPServer, results: list[dict[str, Any]], total: int | None = None) -> None:
    """The search endpoint answering by pageNumber and pageSize, as the real one does."""

    def handler(request: Request) -> Response:
        size, number = int(request.args["pageSize"]), int(request.args["pageNumber"])
        chunk = results[(number - 1) * size : number * size]
        body = {
            "totalResults": len(results) if total is None else total,
            "pageNumber": number,
            "pageSize": size,
            "results": chunk,
        }
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(SEARCH_PATH, method="POST").respond_with_handler(handler)


def posts(httpserver: HTTPServer) -> list[Request]:
    return [r for r, _ in httpserver.log if r.path == SEARCH_PATH]


def test_fetch_posts_the_documented_request(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_search(httpserver, constructed_results())
    src = source(httpserver.url_for(SEARCH_PATH))
    listing = eu_funding.fetch(client, src, Validators())
    assert [i.identifier for i in listing.announcements] == [HE_TOPIC, DE_TOPIC]
    [request] = posts(httpserver)
    assert request.method == "POST"
    assert request.args.to_dict() == {"apiKey": "SEDIA", "text": "***", "pageSize": "100", "pageNumber": "1"}
    assert request.mimetype == "multipart/form-data"
    parts = {name: request.files[name] for name in ("query", "languages", "sort")}
    assert {p.mimetype for p in parts.values()} == {"application/json"}
    assert json.loads(parts["query"].read()) == {
        "bool": {
            "must": [
                {"terms": {"type": ["1", "2", "8"]}},
                {"terms": {"status": ["31094501", "31094502"]}},
                {"terms": {"frameworkProgramme": ["43108390", "43152860"]}},
            ]
        }
    }
    assert json.loads(parts["languages"].read()) == ["en"]
    assert json.loads(parts["sort"].read()) == {"field": "deadlineDate", "order": "ASC"}
    assert listing.announcements[0].detail_url == httpserver.url_for(
        "/info/funding-tenders/opportunities/data/topicDetails/horizon-cl5-2024-d2-01-03.json"
    )


def test_fetch_query_follows_the_options(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_search(httpserver, [])
    src = source(
        httpserver.url_for(SEARCH_PATH) + "?apiKey=SEDIA&text=AI",
        statuses=["open"],
        programmes=["horizon"],
        types=[1],
    )
    assert eu_funding.fetch(client, src, Validators()).announcements == []
    [request] = posts(httpserver)
    assert request.args.to_dict() == {"apiKey": "SEDIA", "text": "AI", "pageSize": "100", "pageNumber": "1"}
    assert json.loads(request.files["query"].read())["bool"]["must"] == [
        {"terms": {"type": ["1"]}},
        {"terms": {"status": ["31094502"]}},
        {"terms": {"frameworkProgramme": ["43108390"]}},
    ]


def many_topics(count: int) -> list[dict[str, Any]]:
    topics = []
    for n in range(count):
        raw = copy.deepcopy(real_item())
        raw["metadata"]["identifier"] = [f"HORIZON-TEST-{n:03d}"]
        topics.append(raw)
    return topics


def test_fetch_paginates_to_total_results(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_search(httpserver, many_topics(5))
    src = source(httpserver.url_for(SEARCH_PATH), page_size=2, max_pages=10)
    listing = eu_funding.fetch(client, src, Validators())
    assert [r.args["pageNumber"] for r in posts(httpserver)] == ["1", "2", "3"]
    assert len(listing.announcements) == 5


def test_fetch_stops_at_max_pages(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_search(httpserver, many_topics(5))
    src = source(httpserver.url_for(SEARCH_PATH), page_size=2, max_pages=2)
    listing = eu_funding.fetch(client, src, Validators())
    assert [r.args["pageNumber"] for r in posts(httpserver)] == ["1", "2"]
    assert len(listing.announcements) == 4


def test_fetch_stops_on_an_empty_page_whatever_the_total_says(
    httpserver: HTTPServer, client: HttpClient
) -> None:
    serve_search(httpserver, many_topics(2), total=500)
    src = source(httpserver.url_for(SEARCH_PATH), page_size=2, max_pages=10)
    assert len(eu_funding.fetch(client, src, Validators()).announcements) == 2
    assert [r.args["pageNumber"] for r in posts(httpserver)] == ["1", "2"]


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ("<html><head><title>EU Login</title></head></html>", "text/html", "web page where JSON"),
        ("", "application/json", "empty answer"),
        ("{'results': []}", "application/json", "not valid JSON"),
    ],
)
def test_fetch_wrong_content(
    httpserver: HTTPServer, client: HttpClient, body: str, content_type: str, reason: str
) -> None:
    httpserver.expect_request(SEARCH_PATH, method="POST").respond_with_data(body, content_type=content_type)
    with pytest.raises(ParseError, match=reason):
        eu_funding.fetch(client, source(httpserver.url_for(SEARCH_PATH)), Validators())


def test_a_failing_post_is_not_retried(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request(SEARCH_PATH, method="POST").respond_with_data("busy", status=503)
    with pytest.raises(ScrapeError, match="503"):
        eu_funding.fetch(client, source(httpserver.url_for(SEARCH_PATH)), Validators())
    assert len(posts(httpserver)) == 1


def test_fetch_detail(httpserver: HTTPServer, client: HttpClient) -> None:
    serve_search(httpserver, [real_item()])
    httpserver.expect_request(
        "/info/funding-tenders/opportunities/data/topicDetails/horizon-cl5-2024-d2-01-03.json", method="GET"
    ).respond_with_data(DETAILS.read_bytes(), content_type="application/json")
    src = source(httpserver.url_for(SEARCH_PATH))
    [item] = eu_funding.fetch(client, src, Validators()).announcements
    full = eu_funding.fetch_detail(client, src, item)
    assert full.body.startswith("Expected Outcome:")
    assert full.budget_amount == 30_000_000
    assert full.deadline_at == "2024-04-18T17:00:00Z"


def test_fetch_detail_failures(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/details/missing.json").respond_with_data("", status=404)
    with pytest.raises(ScrapeError, match="404"):
        eu_funding.fetch_detail(
            client, source(), listed(detail_url=httpserver.url_for("/details/missing.json"))
        )
    httpserver.expect_request("/details/empty.json").respond_with_data("", content_type="application/json")
    with pytest.raises(ParseError, match="empty answer"):
        eu_funding.fetch_detail(
            client, source(), listed(detail_url=httpserver.url_for("/details/empty.json"))
        )
    # No details address (a cascade call): the listing stands, nothing is requested.
    alone = listed(detail_url=None)
    assert eu_funding.fetch_detail(client, source(), alone) is alone


# --- properties ---------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
META_KEYS = [
    "identifier",
    "title",
    "status",
    "frameworkProgramme",
    "type",
    "deadlineDate",
    "startDate",
    "budgetOverview",
    "callIdentifier",
    "language",
    "actions",
    "caName",
    "budget",
    "url",
]
METADATA = st.dictionaries(
    st.sampled_from(META_KEYS),
    st.lists(st.text(max_size=30) | st.from_regex(r"\d{8}", fullmatch=True), max_size=3) | JSON,
    max_size=10,
)
RESULT = st.fixed_dictionaries(
    {"metadata": METADATA}, optional={"language": st.sampled_from(["en", "fr", ""]) | JSON, "content": JSON}
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_parse_errors(payload: bytes) -> None:
    for call in (
        lambda: parse(payload),
        lambda: eu_funding.parse_detail(payload, source(), listed()),
    ):
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
@given(st.lists(RESULT, max_size=5), JSON)
def test_search_shaped_json_raises_only_parse_errors(results: list[Any], total: Any) -> None:
    try:
        items = parse(
            json.dumps({"results": results, "totalResults": total}).encode(),
            source(programmes=[], statuses=[], types=[]),
        )
    except ParseError:
        return
    assert all(item.identifier and item.category == "funding" for item in items)


@FAST
@given(
    st.dictionaries(
        st.sampled_from(
            ["description", "conditions", "budgetOverviewJSONItem", "actions", "publicationDateLong"]
        ),
        JSON,
    )
)
def test_details_shaped_json_raises_only_parse_errors(topic: dict[str, Any]) -> None:
    only_parse_errors(json.dumps({"TopicDetails": topic}).encode())


# --- parse: a captured page of the live index (two-stage, old rows, cut-short strings) ------

CAPTURED_PAGE = FIXTURES / "eu_funding" / "captured" / "search-page-two-stage-and-old-index.json"
CASCADE_PAGE = FIXTURES / "eu_funding" / "constructed" / "search-page-cascade-constructed.json"
DECEMBER_2026 = datetime(2026, 12, 1, tzinfo=UTC)
SOIL = "HORIZON-MISS-2027-05-SOIL-01-two-stage"


def captured(now: datetime = DECEMBER_2026) -> dict[str, Announcement]:
    items = parse(CAPTURED_PAGE.read_bytes(), now=now)
    return {i.identifier or i.url: i for i in items}


def captured_row(identifier: str) -> dict[str, Any]:
    rows = json.loads(CAPTURED_PAGE.read_text())["results"]
    return next(r for r in rows if r["metadata"]["identifier"] == [identifier])


def test_captured_date_only_deadlines_close_at_17_brussels_summer_and_winter() -> None:
    items = captured()
    # "2027-04-08T00:00:00.000+0000" is a day: 17:00 CEST (UTC+2) is 15:00 UTC.
    assert items[SOIL].deadline_at == "2027-04-08T15:00:00Z"
    # March 18 2027 is before the clocks change: 17:00 CET (UTC+1) is 16:00 UTC.
    assert items["HORIZON-CL4-2027-04-DIGITAL-EMERGING-10"].deadline_at == "2027-03-18T16:00:00Z"
    assert items["HORIZON-CL6-2026-04-GOVERNANCE-01"].deadline_at == "2026-11-26T16:00:00Z"
    assert items["HORIZON-CL3-2026-02-CS-ECCC-01"].deadline_at == "2026-09-15T15:00:00Z"


def test_captured_programmes_clusters_types_and_opening_dates() -> None:
    """Programme code 43108390 is Horizon Europe; an identifier naming a cluster adds it."""
    facets = {key: (i.programme, i.action_type, i.call_status, i.opens_at) for key, i in captured().items()}
    assert facets == {
        SOIL: (
            "Horizon Europe",
            "HORIZON Research and Innovation Actions",
            "forthcoming",
            "2027-02-04T00:00:00Z",
        ),
        "HORIZON-CL2-2024-TRANSFORMATIONS-01-08": (
            "Horizon Europe · Cluster 2: Culture, Creativity and Inclusive Society",
            "HORIZON Research and Innovation Actions",
            "forthcoming",
            "2023-10-04T00:00:00Z",
        ),
        "HORIZON-CL4-2027-04-DIGITAL-EMERGING-10": (
            "Horizon Europe · Cluster 4: Digital, Industry and Space",
            "HORIZON Coordination and Support Actions",
            "forthcoming",
            "2026-11-17T00:00:00Z",
        ),
        "HORIZON-CL6-2026-04-GOVERNANCE-01": (
            "Horizon Europe · Cluster 6: Food, Bioeconomy, Natural Resources, Agriculture and Environment",
            "HORIZON Programme Cofund Actions",
            "forthcoming",
            "2026-08-25T00:00:00Z",
        ),
        "HORIZON-CL3-2026-02-CS-ECCC-01": (
            "Horizon Europe · Cluster 3: Civil Security for Society",
            "HORIZON Research and Innovation Actions",
            "open",
            "2026-03-03T00:00:00Z",
        ),
        "HORIZON-JU-CBE-2026-IAFlag-02": (
            "Horizon Europe",
            "HORIZON JU Innovation Actions",
            "open",
            "2026-04-23T00:00:00Z",
        ),
        "HORIZON-INFRA-2024-EOSC-01-03": (
            "Horizon Europe",
            "HORIZON Coordination and Support Actions",
            "forthcoming",
            "2023-12-06T00:00:00Z",
        ),
    }


def test_an_unknown_programme_code_is_kept_as_given() -> None:
    row = real_item()
    row["metadata"]["frameworkProgramme"] = ["49999999"]
    [item] = parse(page_with(row), source(programmes=["49999999"]), now=BEFORE_REAL_DEADLINE)
    assert item.programme == "49999999"


def test_captured_explicit_times_are_kept() -> None:
    items = captured()
    assert items["HORIZON-CL2-2024-TRANSFORMATIONS-01-08"].deadline_at == "2024-02-07T17:00:00Z"
    assert items["HORIZON-INFRA-2024-EOSC-01-03"].deadline_at == "2024-03-12T17:00:00Z"


def test_closing_time_reads_every_spelling_of_a_day() -> None:
    days = ("2027-04-08", "2027-04-08T00:00:00.000+0000", "2027-04-08T00:00:00.000+0200", "8 April 2027")
    for value in days:
        assert eu_funding.closing_time(value) == "2027-04-08T15:00:00Z", value
    assert eu_funding.closing_time("1790812800000") == "2026-10-01T15:00:00Z"  # epoch ms, midnight UTC
    assert eu_funding.closing_time("1790805600000") == "2026-10-01T15:00:00Z"  # midnight Brussels
    assert eu_funding.closing_time("2026-11-28T22:59:00.000+0000") == "2026-11-28T22:59:00Z"
    assert eu_funding.closing_time("2024-04-18T19:00:00.000+0200") == "2024-04-18T17:00:00Z"
    for nonsense in ("", "soon", "Horizon 2020", "-1"):
        assert eu_funding.closing_time(nonsense) is None, nonsense


def test_captured_two_stage_call_shows_the_next_stage_and_keeps_the_other() -> None:
    before = captured()[SOIL]
    assert before.deadline_at == "2027-04-08T15:00:00Z"
    assert "Other stage deadline: 14 Sep 2027, 17:00 (Brussels time)" in (before.summary or "")
    between = captured(datetime(2027, 4, 8, 15, 0, 1, tzinfo=UTC))[SOIL]
    assert between.deadline_at == "2027-09-14T15:00:00Z"
    assert "Other stage deadline: 8 Apr 2027, 17:00 (Brussels time)" in (between.summary or "")
    after = captured(datetime(2027, 10, 1, tzinfo=UTC))[SOIL]
    assert after.deadline_at == "2027-09-14T15:00:00Z"  # all passed: the last one


def test_captured_dates_come_from_the_actions_string_when_the_row_lists_none() -> None:
    row = captured_row(SOIL)
    del row["metadata"]["deadlineDate"], row["metadata"]["startDate"]
    [item] = parse(page_with(row), now=DECEMBER_2026)
    assert item.deadline_at == "2027-04-08T15:00:00Z"
    assert item.opens_at == "2027-02-04T00:00:00Z"
    assert "14 Sep 2027" in (item.summary or "")


def test_captured_old_index_rows_are_read_whatever_their_url_and_keywords() -> None:
    items = captured()
    old = items["HORIZON-CL2-2024-TRANSFORMATIONS-01-08"]  # url: the topicDetails JSON
    assert old.call_status == "forthcoming"  # as the row says; its deadline passed in 2024
    topic = "HORIZON-CL2-2024-TRANSFORMATIONS-01-08"
    assert old.url == f"{PORTAL}/portal/screen/opportunities/topic-details/{topic}"
    assert old.detail_url == f"{PORTAL}/data/topicDetails/horizon-cl2-2024-transformations-01-08.json"
    new = items[SOIL]  # url: the human page
    assert new.url == f"{PORTAL}/portal/screen/opportunities/topic-details/{SOIL}"
    assert new.call_status == "forthcoming"
    assert new.title.startswith("Living labs to enhance soil health")
    assert len(items) == 7


def test_captured_budgets_are_the_topics_own_line_even_in_a_string_cut_short() -> None:
    items = captured()
    assert items["HORIZON-CL6-2026-04-GOVERNANCE-01"].budget_amount == 60_000_000  # 23M 2026 + 37M 2027
    # The string ends mid-way through the next line; this topic's own line is whole before the cut.
    assert items["HORIZON-CL3-2026-02-CS-ECCC-01"].budget_amount == 20_000_000
    # Its own line is past the cut, and a sibling's 24M is never taken for it.
    assert items[SOIL].budget_amount is None
    assert items["HORIZON-CL4-2027-04-DIGITAL-EMERGING-10"].budget_amount is None


def test_captured_shared_budget_line_is_never_one_topics_budget() -> None:
    """In the captured row, group 114622 gives CSA-01 and IAFlag-03 the same EUR 170,760,699:
    one budget line for several topics. Read as IAFlag-03 (whose line is there), the amount is
    said to be shared and not stored as its budget."""
    row = captured_row("HORIZON-JU-CBE-2026-IAFlag-02")
    row["metadata"]["identifier"] = ["HORIZON-JU-CBE-2026-IAFlag-03"]
    [item] = parse(page_with(row), now=DECEMBER_2026)
    assert item.budget_amount is None and item.budget_currency is None
    assert "Budget EUR 170,760,699 shared with HORIZON-JU-CBE-2026-CSA-01" in (item.summary or "")
    [own] = parse(page_with(captured_row("HORIZON-JU-CBE-2026-IAFlag-02")), now=DECEMBER_2026)
    assert own.budget_amount is None  # its own line is past the cut


def test_topic_details_epoch_strings_fill_a_listing_without_dates() -> None:
    details = json.loads(DETAILS.read_text())
    action = details["TopicDetails"]["actions"][0]
    action["plannedOpeningDate"] = "1776729600000"
    action["deadlineDates"] = ["1790812800000", "1798761600000"]  # 1 Oct 2026, 1 Jan 2027 (UTC)
    listing = listed(summary="Call HORIZON-CL5-2024-D2-01")
    item = eu_funding.parse_detail(json.dumps(details).encode(), source(), listing, now=DECEMBER_2026)
    assert item.opens_at == "2026-04-21T00:00:00Z"
    assert item.deadline_at == "2027-01-01T16:00:00Z"  # the next stage, winter time
    note = "Other stage deadline: 1 Oct 2026, 17:00 (Brussels time)"
    assert item.summary == f"Call HORIZON-CL5-2024-D2-01 · {note}"  # the listing's words kept
    again = eu_funding.parse_detail(json.dumps(details).encode(), source(), item, now=DECEMBER_2026)
    assert again.summary == item.summary  # said once
    del action["deadlineDates"]  # then the topic's line of the budget overview says when
    item = eu_funding.parse_detail(json.dumps(details).encode(), source(), listed(), now=BEFORE_REAL_DEADLINE)
    assert item.deadline_at == "2024-04-18T15:00:00Z"


def test_cascade_calls_are_each_their_own_record_with_their_own_name_page_and_budget() -> None:
    items = parse(CASCADE_PAGE.read_bytes(), now=DECEMBER_2026)
    assert [i.title for i in items] == [
        "Enhancing Cybersecurity of SMEs (SSNS-2026)",
        "Restack open call 2026-11R",
        "Open call for AI testing facilities",
    ]
    assert [i.url for i in items] == [
        f"{PORTAL}/portal/screen/opportunities/competitive-calls-cs/46786367",
        f"{PORTAL}/portal/screen/opportunities/competitive-calls-cs/48400841",
        f"{PORTAL}/portal/screen/opportunities/competitive-calls-cs/50000001",
    ]
    assert [(i.budget_amount, i.budget_currency) for i in items] == [
        (1_500_000, "EUR"),
        (250_000, "EUR"),
        (None, None),
    ]
    assert all(i.detail_url is None and i.identifier is None for i in items)  # never the parent's details
    assert items[0].deadline_at == "2026-11-28T22:59:00Z"  # its own time, kept
    assert items[1].deadline_at == "2027-01-20T16:00:00Z"  # a bare day: 17:00 Brussels
    assert "under topic DIGITAL-ECCC-2024-DEPLOY-NCC-06" in (items[0].summary or "")
    assert "run by NCC Hungary" in (items[0].summary or "")


def test_a_stub_row_sharing_the_identifier_never_hides_the_real_one() -> None:
    """The index holds stub rows (no status, no deadline) under a topic's identifier, sorted
    before or after the real row (AarhusAI/eu-funding-tenders-portal-agent, portal_api.py)."""
    real = captured_row("HORIZON-CL6-2026-04-GOVERNANCE-01")
    stub = {"language": "en", "metadata": {"identifier": real["metadata"]["identifier"], "type": ["1"]}}
    for rows in ((stub, real), (real, stub)):
        [item] = parse(page_with(*rows), now=DECEMBER_2026)
        assert (item.deadline_at, item.call_status) == ("2026-11-26T16:00:00Z", "forthcoming")
        assert item.budget_amount == 60_000_000


@FAST
@given(st.text(max_size=400), st.sampled_from(["", "X", "HORIZON-CL3-2026-02-CS-ECCC-01"]))
def test_any_budget_overview_text_reads_without_error(text: str, identifier: str) -> None:
    """The listing's budget strings arrive cut short at any point: every cut reads as some
    amount or none, never an error."""
    captured_text = captured_row("HORIZON-CL3-2026-02-CS-ECCC-01")["metadata"]["budgetOverview"][0]
    for overview in (text, captured_text[: len(text)], '{"budgetTopicActionMap":{"1":[' + text):
        row = captured_row("HORIZON-CL3-2026-02-CS-ECCC-01")
        row["metadata"]["budgetOverview"] = [overview]
        row["metadata"]["identifier"] = [identifier or "Y"]
        items = parse(page_with(row), now=DECEMBER_2026)
        assert all(i.budget_amount is None or i.budget_amount > 0 for i in items)
