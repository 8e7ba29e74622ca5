"""Tests of scrapers/kinds/feed.py: RSS 2.0, Atom and RDF feeds.

Fixtures: tests/fixtures/feed/constructed/ (no capture of these feeds exists; see
tests/fixtures/feed/captured/README.md).
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Response

from scrapers.http import HttpClient
from scrapers.kinds import feed
from scrapers.model import Announcement, ParseError, ScrapeError, Source, Validators
from tests import repo_paths

FIXTURES = repo_paths.FIXTURES / "feed" / "constructed"
MOJIBAKE = ("Ã©", "Ã¶", "â€", "Â£", "Ã", "\ufffd", "Î", "Ï")


def source(url: str = "https://digital-strategy.ec.europa.eu/en/rss.xml", **options: Any) -> Source:
    return Source(
        id="feed-test",
        name="Feed test",
        kind="feed",
        url=url,
        jurisdiction="EU",
        category="press",
        organisation="European Commission",
        options=options,
    )


def parse(name: str, encoding: str | None = None, base_url: str | None = None) -> list[Announcement]:
    src = source()
    return feed.parse((FIXTURES / name).read_bytes(), src, base_url=base_url or src.url, encoding=encoding)


def by_title(items: list[Announcement]) -> dict[str, Announcement]:
    return {item.title: item for item in items}


def rss(items: str, prolog: str = '<?xml version="1.0" encoding="utf-8"?>\n') -> bytes:
    return (
        f'{prolog}<rss version="2.0"><channel><title>T</title><link>https://example.org/</link>'
        f"{items}</channel></rss>"
    ).encode()


@pytest.fixture(autouse=True)
def robots(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow:\n")


# --- the real formats (constructed) ----------------------------------------------


def test_digital_strategy_rss() -> None:
    items = parse("digital-strategy-rss.xml")
    assert [item.title for item in items] == [
        "Commission publishes guidelines on the definition of an AI system under the AI Act",
        "AI Factories: EuroHPC selects six new sites",
        "Apply AI Strategy: have your say",
    ]
    first = items[0]
    assert first.url == (
        "https://digital-strategy.ec.europa.eu/en/library/commission-publishes-guidelines-ai-system"
        "-definition-facilitate-first-ai-acts-rules-application"
    )
    assert first.identifier == "113915 at https://digital-strategy.ec.europa.eu"
    assert first.published_at == "2025-02-06T16:30:00Z"
    assert first.updated_at is None
    assert first.summary == (
        "The guidelines on the AI system definition explain the practical application of the legal "
        "concept, as anchored in the AI Act.\n\nThey are not binding."
    )
    assert (first.category, first.jurisdiction, first.organisation) == (
        "press",
        "EU",
        "European Commission",
    )
    # a relative link resolved against the feed's xml:base; the escaped <script> is gone
    third = items[2]
    assert third.url == (
        "https://digital-strategy.ec.europa.eu/en/consultations/apply-ai-strategy-have-your-say"
    )
    assert third.summary == "The consultation is open until 4 June 2025."
    assert third.published_at == "2025-05-09T07:15:00Z"


def test_ec_drupal_feed_dates_items_from_the_time_element() -> None:
    items = by_title(parse("ec-drupal-node-rss_en.xml"))
    raise_pilot = items["Commission launches RAISE pilot to pool AI resources for science"]
    assert raise_pilot.published_at == "2025-11-04T11:00:00Z"
    assert raise_pilot.identifier == "48321 at https://research-and-innovation.ec.europa.eu"
    assert "pool compute, data and talent" in (raise_pilot.summary or "")
    work_programme = items["Horizon Europe work programme 2026-2027 adopted"]
    assert work_programme.published_at == "2025-12-10T08:30:00Z"  # +01:00 in the attribute
    assert "Over €14 billion" in (work_programme.summary or "")


def test_dc_date_dates_an_item_without_pubdate_or_time() -> None:
    item = by_title(parse("ec-drupal-node-rss_en.xml"))["EuroHPC JU call for AI Factories Antennas"]
    assert item.published_at == "2025-10-01T08:00:00Z"
    assert item.updated_at == "2025-10-01T08:00:00Z"


def test_europarl_press_releases() -> None:
    items = parse("europarl-press-releases.xml")
    assert len(items) == 3
    act = items[0]
    assert act.title == "Artificial Intelligence Act: MEPs adopt landmark law"
    assert act.published_at == "2024-03-13T11:25:00Z"
    assert act.identifier == act.url
    assert "20240308IPR19015" in act.url
    assert items[1].title == "Ψηφιακή κυριαρχία: το Κοινοβούλιο ζητά επενδύσεις στην τεχνητή νοημοσύνη"
    assert items[1].summary == "Οι ευρωβουλευτές ζητούν μια ευρωπαϊκή στρατηγική για την υπολογιστική ισχύ."
    assert items[2].title == (
        "Suwerenność cyfrowa: posłowie chcą zwiększyć inwestycje w sztuczną inteligencję"
    )


def test_ukri_wordpress_news_keeps_the_full_text_as_body() -> None:
    items = parse("ukri-news-wordpress.xml", base_url="https://www.ukri.org/news/feed/")
    hubs, roadmap = items
    assert hubs.title == "£30 million for responsible AI research – new hubs announced"
    assert hubs.url == "https://www.ukri.org/news/30-million-for-responsible-ai-research-new-hubs-announced/"
    assert hubs.identifier == "https://www.ukri.org/?p=204518"
    assert hubs.published_at == "2025-10-14T09:00:00Z"
    assert hubs.summary == (
        "Three new hubs will study how AI can be trusted in health, law and public services."
    )
    assert hubs.body is not None
    assert "What the hubs will do" in hubs.body and "up to £10 million" in hubs.body
    assert roadmap.title == "Compute roadmap: what’s next for the AI Research Resource"
    assert roadmap.body is None


def test_govuk_atom_finder_feed() -> None:
    items = parse("govuk-finder.atom", base_url="https://www.gov.uk/search/news-and-communications.atom")
    report, consultation = items
    assert report.title == "AI Security Institute publishes Frontier AI Trends Report"
    assert report.url == (
        "https://www.gov.uk/government/news/ai-security-institute-publishes-frontier-ai-trends-report"
    )
    assert report.identifier == (
        "tag:www.gov.uk,2005:/government/news/ai-security-institute-publishes-frontier-ai-trends-report"
    )
    assert report.published_at == report.updated_at == "2025-10-15T09:30:02Z"
    assert report.summary == (
        "The report sets out what the Institute has learned from testing frontier models & systems."
    )
    assert consultation.summary == "We want to hear your views on copyright and AI."


def test_rdf_feed() -> None:
    (item,) = parse("rdf-rss1.xml")
    assert item.title == "Data Union Strategy published"
    assert item.url == "https://example.europa.eu/news/rdf-one"
    assert item.published_at == "2025-11-19T12:00:00Z"


# --- encodings -----------------------------------------------------------------

ENCODING_CASES = [
    ("cp1252-no-charset.xml", None, "Commission’s “AI Continent” plan – €200 billion for café tech"),
    (
        "header-iso-8859-1-body-utf8.xml",
        "iso-8859-1",
        "Ökodesign: Kommission veröffentlicht Leitlinien – “KI”",
    ),
    ("utf8-bom.xml", None, "Ελληνικά με BOM: Τεχνητή νοημοσύνη"),
    ("utf8-bom.xml", "iso-8859-1", "Ελληνικά με BOM: Τεχνητή νοημοσύνη"),
    ("utf16.xml", None, "Sztuczna inteligencja – Ψηφιακή Ευρώπη"),
    ("utf16.xml", "utf-8", "Sztuczna inteligencja – Ψηφιακή Ευρώπη"),
    ("greek-iso-8859-7.xml", None, "Ψηφιακή δεκαετία: νέοι στόχοι για την τεχνητή νοημοσύνη"),
    ("polish-iso-8859-2-header-only.xml", "iso-8859-2", "Zażółć gęślą jaźń - Komisja ogłasza nabór wniosków"),
    ("conflicting-declaration.xml", None, "Déclaration contradictoire : « IA » en Europe"),
]


@pytest.mark.parametrize(("name", "header_charset", "title"), ENCODING_CASES)
def test_titles_come_out_exactly_right(name: str, header_charset: str | None, title: str) -> None:
    (item,) = parse(name, encoding=header_charset)
    assert item.title == title
    assert item.summary == "A constructed item."


@pytest.mark.parametrize(("name", "header_charset", "title"), ENCODING_CASES)
def test_no_mojibake_anywhere(name: str, header_charset: str | None, title: str) -> None:
    for item in parse(name, encoding=header_charset):
        for value in (item.title, item.summary, item.url):
            assert not any(marker in (value or "") for marker in MOJIBAKE if marker not in title)


def test_utf16_without_a_bom() -> None:
    payload = rss("<item><title>Łódź – Ψ</title><link>https://example.org/x</link></item>", prolog="")
    (item,) = feed.parse(payload.decode().encode("utf-16-le"), source(), base_url="https://example.org/")
    assert item.title == "Łódź – Ψ"


# --- malformed input ------------------------------------------------------------


def test_html_served_as_a_feed_is_refused() -> None:
    with pytest.raises(ParseError, match=r"not a feed \(got an HTML page\)"):
        parse("html-served-as-rss.xml")


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
        b"<!-- cached -->\n<!doctype HTML><title>Just a moment...</title>",
        b"\xef\xbb\xbf  <HTML><HEAD></HEAD><BODY>Access denied</BODY></HTML>",
    ],
)
def test_html_pages_in_other_spellings_are_refused(payload: bytes) -> None:
    with pytest.raises(ParseError, match="got an HTML page"):
        feed.parse(payload, source(), base_url="https://example.org/")


def test_broken_feed_keeps_its_well_formed_entries() -> None:
    items = parse("malformed-truncated.xml")
    assert [item.title for item in items] == [
        "Well-formed one",
        "Unescaped ampersand R&D & innovation",
    ]
    assert [item.identifier for item in items] == ["one", "two"]
    assert items[1].published_at == "2025-06-03T08:00:00Z"


def test_html_entities_and_bare_ampersands_are_read() -> None:
    payload = rss(
        "<item><title>R&D&nbsp;funding &eacute;lan &amp; more &unknown; &#8211; &#x2014;</title>"
        "<link>https://example.org/x?a=1&b=2</link>"
        "<description><![CDATA[<p>kept &amp; verbatim R&D</p>]]></description></item>"
    )
    (item,) = feed.parse(payload, source(), base_url="https://example.org/")
    assert item.title == "R&D funding élan & more &unknown; – —"
    assert item.url == "https://example.org/x?a=1&b=2"
    assert item.summary == "kept & verbatim R&D"


def test_feed_cut_before_any_complete_entry_is_an_error() -> None:
    payload = rss("")[: -len("</channel></rss>")] + b"<item><title>Half</title><link>https://e.org/h"
    with pytest.raises(ParseError, match="malformed"):
        feed.parse(payload, source(), base_url="https://example.org/")


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"items": []}', "not a feed"),
        (b"<?xml version='1.0'?><catalogue><book/></catalogue>", "not a feed"),
        (b"\x00\x01\x02garbage\xff\xfe", "not a feed"),
        (b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</ti", "not a feed|malformed"),
    ],
)
def test_unreadable_payloads_are_parse_errors(payload: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        feed.parse(payload, source(), base_url="https://example.org/")


def test_a_feed_with_no_items_is_an_empty_list() -> None:
    assert feed.parse(rss(""), source(), base_url="https://example.org/") == []


# --- links, identity, hostile content ------------------------------------------------------------


def test_hostile_links_are_dropped_and_html_neutralised() -> None:
    items = parse("hostile-links.xml", base_url="https://example.org/feed.xml")
    assert [item.url for item in items] == [
        "https://example.org/news/guid-only",
        "https://example.org/news/relative",
        "https://example.org/news/bold",
    ]
    guid_only, relative, bold = items
    assert guid_only.identifier == "https://example.org/news/guid-only"
    assert relative.identifier == "rel-1"
    assert bold.title == "Bold in the title"
    assert bold.summary == "Text after"
    for item in items:
        for value in (item.title, item.summary or "", item.body or ""):
            assert "script" not in value and "steal" not in value and "iframe" not in value


def test_duplicate_ids_within_one_feed_collapse_to_the_first() -> None:
    payload = rss(
        "<item><title>First</title><link>https://e.org/a</link><guid>id-1</guid></item>"
        "<item><title>Edited copy</title><link>https://e.org/b</link><guid>id-1</guid></item>"
        "<item><title>Same link</title><link>https://e.org/a</link><guid>id-2</guid></item>"
        "<item><title>Other</title><link>https://e.org/c</link><guid>id-3</guid></item>"
    )
    items = feed.parse(payload, source(), base_url="https://example.org/")
    assert [(item.title, item.identifier) for item in items] == [("First", "id-1"), ("Other", "id-3")]


def test_guid_that_is_not_a_web_address_is_no_link() -> None:
    payload = rss(
        "<item><title>No link</title><guid>48321 at https://ec.europa.eu</guid></item>"
        "<item><title>Sneaky guid</title><guid>javascript:alert(1)</guid></item>"
    )
    assert feed.parse(payload, source(), base_url="https://example.org/") == []


def test_untitled_item_takes_the_start_of_its_summary() -> None:
    payload = rss(
        "<item><link>https://e.org/a</link><description>First line.&lt;br&gt;Second.</description></item>"
        "<item><link>https://e.org/b</link></item>"
    )
    (item,) = feed.parse(payload, source(), base_url="https://example.org/")
    assert item.title == "First line."


# --- XML attacks ---------------------------------------------------------------


class _Audit:
    """Records file opens and socket connections made while `active` (audit hooks stay installed
    for the whole run, so the hook is one shared, switchable instance)."""

    def __init__(self) -> None:
        self.active = False
        self.events: list[tuple[str, tuple[Any, ...]]] = []

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if self.active and event in ("open", "socket.connect", "urllib.Request"):
            self.events.append((event, args))


_AUDIT = _Audit()
sys.addaudithook(_AUDIT)


@pytest.fixture
def audit() -> Iterator[_Audit]:
    _AUDIT.events = []
    _AUDIT.active = True
    yield _AUDIT
    _AUDIT.active = False


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records any connection an external entity would make."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            received.append(conn.recv(1024) or b"<connected>")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(timeout=1)
    server.close()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>t</title>
<item><title>&lol9;</title><link>https://example.org/a</link></item></channel></rss>"""

QUADRATIC = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "'
    + "x" * 50_000
    + '">]>\n<rss version="2.0"><channel><title>t</title><item><title>'
    + "&a;" * 5_000
    + "</title><link>https://example.org/a</link></item></channel></rss>"
)


def attacks(secret: Path, port: int) -> dict[str, bytes]:
    file_url = secret.as_uri()
    web = f"http://127.0.0.1:{port}/evil"
    item = "<item><title>x&xxe;</title><link>https://example.org/a</link></item>"
    channel = f'<rss version="2.0"><channel><title>t</title>{item}</channel></rss>'
    utf16_laughs = BILLION_LAUGHS.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')

    def doc(doctype: str) -> bytes:
        return f'<?xml version="1.0"?>\n{doctype}\n{channel}'.encode()

    return {
        "billion laughs": BILLION_LAUGHS.encode(),
        "billion laughs in UTF-16": utf16_laughs.encode("utf-16"),
        "quadratic blow-up": QUADRATIC.encode(),
        "external entity to a file": doc(f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{file_url}">]>'),
        "external entity to a host": doc(f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{web}">]>'),
        "parameter entity to a host": doc(f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{web}"> %p;]>'),
        "declaration behind a comment": doc(
            f'<!-- <rss> -->\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{file_url}">]>'
        ),
        "declaration behind a broken attribute": doc(
            f'<!DOCTYPE rss [<!ATTLIST a b "<x"> <!ENTITY xxe SYSTEM "{file_url}">]>'
        ),
        "lower-case declaration": doc(f'<!DOCTYPE rss [<!entity xxe SYSTEM "{file_url}">]>'),
    }


ATTACK_NAMES = list(attacks(Path("/x"), 1))


@pytest.mark.parametrize("name", ATTACK_NAMES)
def test_xml_attacks_are_refused_quickly_without_touching_disk_or_network(
    name: str, tmp_path: Path, listener: tuple[int, list[bytes]], audit: _Audit
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    port, received = listener
    payload = attacks(secret, port)[name]
    audit.events.clear()
    started = time.monotonic()
    with pytest.raises(ParseError, match="declares XML entities"):
        feed.parse(payload, source(), base_url="https://example.org/")
    assert time.monotonic() - started < 1.0
    time.sleep(0.15)  # give a stray connection time to arrive
    assert received == []
    touched = [args for event, args in audit.events if "secret" in str(args) or str(port) in str(args)]
    assert touched == []


def test_external_dtd_is_never_fetched(listener: tuple[int, list[bytes]], audit: _Audit) -> None:
    port, received = listener
    payload = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        f'"http://127.0.0.1:{port}/rss-0.91.dtd">\n'
        '<rss version="0.91"><channel><title>t</title><link>https://example.org/</link>'
        "<item><title>Old but fine</title><link>https://example.org/old</link></item></channel></rss>"
    ).encode()
    (item,) = feed.parse(payload, source(), base_url="https://example.org/")
    assert item.title == "Old but fine"
    time.sleep(0.15)
    assert received == []
    assert not [args for event, args in audit.events if event == "socket.connect"]


# --- fetch -------------------------------------------------------------------------------------


def test_fetch_reads_the_feed_and_its_validators(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/en/rss.xml").respond_with_data(
        (FIXTURES / "digital-strategy-rss.xml").read_bytes(),
        content_type="application/rss+xml; charset=utf-8",
        headers={"ETag": '"ds-1"', "Last-Modified": "Fri, 09 May 2025 08:00:00 GMT"},
    )
    listing = feed.fetch(client, source(httpserver.url_for("/en/rss.xml")), Validators())
    assert not listing.not_modified
    assert len(listing.announcements) == 3
    assert listing.validators == Validators('"ds-1"', "Fri, 09 May 2025 08:00:00 GMT")
    request = next(r for r, _ in httpserver.log if r.path == "/en/rss.xml")
    assert "application/rss+xml" in request.headers["Accept"]
    assert request.headers["User-Agent"].startswith("PolicyTracker/")


def test_fetch_is_conditional_and_a_304_reads_nothing(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request(
        "/feed", headers={"If-None-Match": '"v7"', "If-Modified-Since": "Fri, 09 May 2025 08:00:00 GMT"}
    ).respond_with_response(Response(status=304))
    old = Validators('"v7"', "Fri, 09 May 2025 08:00:00 GMT")
    listing = feed.fetch(client, source(httpserver.url_for("/feed")), old)
    assert listing.not_modified
    assert listing.announcements == []
    assert listing.validators == old  # the 304 sent none: ours still describe the copy we have


def test_fetch_uses_the_header_charset(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/pl").respond_with_data(
        (FIXTURES / "polish-iso-8859-2-header-only.xml").read_bytes(),
        content_type="text/xml; charset=ISO-8859-2",
    )
    httpserver.expect_request("/lies").respond_with_data(
        (FIXTURES / "header-iso-8859-1-body-utf8.xml").read_bytes(),
        content_type="application/rss+xml; charset=ISO-8859-1",
    )
    (polish,) = feed.fetch(client, source(httpserver.url_for("/pl")), Validators()).announcements
    (german,) = feed.fetch(client, source(httpserver.url_for("/lies")), Validators()).announcements
    assert polish.title == "Zażółć gęślą jaźń - Komisja ogłasza nabór wniosków"
    assert german.title == "Ökodesign: Kommission veröffentlicht Leitlinien – “KI”"


def test_fetch_of_an_html_page_served_as_rss_is_a_parse_error(
    httpserver: HTTPServer, client: HttpClient
) -> None:
    httpserver.expect_request("/rss/doc/press-releases/en.xml").respond_with_data(
        (FIXTURES / "html-served-as-rss.xml").read_bytes(), content_type="application/rss+xml"
    )
    url = httpserver.url_for("/rss/doc/press-releases/en.xml")
    with pytest.raises(ParseError, match="got an HTML page"):
        feed.fetch(client, source(url), Validators())


def test_user_agent_option_is_sent(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/feed").respond_with_data(rss(""), content_type="application/rss+xml")
    agent = "Mozilla/5.0 (X11; Linux x86_64) PolicyTracker"
    feed.fetch(client, source(httpserver.url_for("/feed"), user_agent=agent), Validators())
    request = next(r for r, _ in httpserver.log if r.path == "/feed")
    assert request.headers["User-Agent"] == agent


def test_fetch_obeys_robots(httpserver: HTTPServer) -> None:
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /feed\n")
    http = HttpClient(per_host_delay=0, retries=0, read_timeout=2)
    try:
        with pytest.raises(Exception, match="robots"):
            feed.fetch(http, source(httpserver.url_for("/feed")), Validators())
    finally:
        http.close()
    assert [r.path for r, _ in httpserver.log] == ["/robots.txt"]


# --- fuzzing -----------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_raise_nothing_but_parse_error(payload: bytes) -> None:
    try:
        items = feed.parse(payload, source(), base_url="https://example.org/")
    except ParseError:
        return
    assert all(item.url.startswith(("http://", "https://")) for item in items)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), st.text(max_size=200), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_random_text_inside_a_feed_raises_nothing_but_parse_error(
    title: str, link: str, encoding: str
) -> None:
    payload = rss(f"<item><title>{title}</title><link>{link}</link><description>{title}</description></item>")
    try:
        data = payload.decode().encode(encoding, errors="replace")
        items = feed.parse(data, source(), base_url="https://example.org/")
    except ParseError:
        return
    assert all(item.url.startswith(("http://", "https://")) for item in items)


def test_a_user_agent_that_would_break_the_request_is_refused(
    httpserver: HTTPServer, client: HttpClient
) -> None:
    httpserver.expect_request("/feed").respond_with_data(rss(""), content_type="application/rss+xml")
    bad = source(httpserver.url_for("/feed"), user_agent="Mozilla/5.0\r\nX-Injected: 1")
    with pytest.raises(ScrapeError, match="one line of plain text"):
        feed.fetch(client, bad, Validators())
    assert [r for r, _ in httpserver.log if r.path == "/feed"] == []
