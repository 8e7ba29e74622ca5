"""The default sources on local servers: which captured or constructed payload stands for each
source's listing and detail pages. Shared by the end-to-end tests, the screenshots script and the
network benchmark."""

from __future__ import annotations

from pathlib import Path

from desktop.paths import resource_path
from desktop.sources_file import load_sources
from scrapers.kinds import get_kind
from scrapers.model import Source
from tests.fakeweb import FakeWeb

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Which captured or constructed payload stands for each default source's listing, and for its
# detail pages. The real GOV.UK content items stand in for every GOV.UK detail page.
LISTINGS = {
    "govuk-dsit-aisi-news": ("govuk_search/search-news-constructed.json", "application/json"),
    "govuk-ai-policy": ("govuk_search/search-policy-constructed.json", "application/json"),
    "ukri-opportunities": ("ukri/opportunity-page-1.html", "text/html; charset=utf-8"),
    "ukri-news": ("feed/ukri-news-wordpress.xml", "application/rss+xml"),
    "eu-funding-calls": ("eu_funding/search-page-constructed.json", "application/json"),
    "ec-presscorner": ("presscorner/search-constructed.json", "application/json"),
    "digital-strategy-news": ("feed/digital-strategy-rss.xml", "application/rss+xml"),
    "eurohpc-news": ("feed/ec-drupal-node-rss_en.xml", "application/rss+xml"),
    "europarl-press": ("feed/europarl-press-releases.xml", "application/rss+xml"),
    "ec-research-innovation-news": ("feed/ec-drupal-node-rss_en.xml", "application/rss+xml"),
}
GOVUK_CONTENT = sorted((FIXTURES / "govuk-content").glob("*.json"))
DETAILS = {
    "ukri_opportunities": [FIXTURES / "ukri/opportunity-detail.html"],
    "eu_funding": [FIXTURES / "eu_funding/topic-details-constructed.json"],
    "presscorner": [FIXTURES / "presscorner/documents-ip-26-301-constructed.json"],
    "govuk_search": GOVUK_CONTENT,
}
SUPERGROUP = {
    "govuk-dsit-aisi-news": "news_and_communications",
    "govuk-ai-policy": "policy_and_engagement",
}


def _content_type(path: Path) -> str:
    return "application/json" if path.suffix == ".json" else "text/html; charset=utf-8"


def serve_default_sources(web: FakeWeb, folder: Path) -> Path:
    """Serve every default source's payloads; returns a sources file in `folder` pointing at them."""
    defaults = load_sources(resource_path("sources.toml"))
    missing = {s.id for s in defaults} - set(LISTINGS)
    if missing:
        raise LookupError(f"default sources with no fixture here: {sorted(missing)}")
    for source in defaults:  # start every host's server first, so that rewrite() knows them all
        web.local(source.url)
    path = folder / "sources.toml"
    path.write_text(web.rewrite(resource_path("sources.toml").read_text(encoding="utf-8")), encoding="utf-8")
    for source in load_sources(path):
        serve_source(web, source)
    return path


def serve_source(web: FakeWeb, source: Source) -> None:
    fixture, content_type = LISTINGS[source.id]
    payload = web.rewrite((FIXTURES / fixture).read_text(encoding="utf-8")).encode("utf-8")
    method = "POST" if source.kind == "eu_funding" else "GET"
    when = {"filter_content_purpose_supergroup": SUPERGROUP[source.id]} if source.id in SUPERGROUP else None
    web.serve(source.url, payload, content_type, method=method, when=when)
    if source.kind == "ukri_opportunities":
        page2 = web.rewrite((FIXTURES / "ukri/opportunity-page-2.html").read_text(encoding="utf-8"))
        web.serve(source.url + "page/2/", page2, content_type)
    details = DETAILS.get(source.kind)
    if not details:
        return
    items = get_kind(source.kind).parse(payload, source, base_url=source.url)
    if source.kind == "ukri_opportunities":
        items += get_kind(source.kind).parse(page2.encode(), source, base_url=source.url)
    assert items, f"{source.id}: its fixture parsed to nothing"
    for number, item in enumerate(items):
        if item.detail_url:
            detail = details[number % len(details)]
            web.serve(item.detail_url, web.rewrite(detail.read_text(encoding="utf-8")), _content_type(detail))
