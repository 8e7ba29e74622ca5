"""The default sources on local servers: which captured or constructed payload stands for each
source's listing and detail pages. Shared by the end-to-end tests, the screenshots script and the
network benchmark."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from desktop.paths import resource_path
from desktop.sources_file import load_sources
from scrapers.kinds import get_kind
from scrapers.model import Source
from tests.fakeweb import FakeWeb

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Which payload stands for each default source's listing, and for its detail pages: a capture
# (`<kind>/captured/`) where one exists, else one we wrote (`<kind>/constructed/`; each folder's
# README says which and why). GOV.UK's news listing is a capture of the live search API, served
# with the capture of its own content item; the real GOV.UK content items stand in for the other
# GOV.UK detail pages.
UKRI = "ukri_opportunities/constructed/"
LISTINGS = {
    "govuk-dsit-aisi-news": (
        "govuk_search/captured/search/employment-tribunal-decision-trimmed.json",
        "application/json",
    ),
    "govuk-ai-policy": ("govuk_search/constructed/search-policy-constructed.json", "application/json"),
    "ukri-opportunities": (UKRI + "opportunity-page-1-constructed.html", "text/html; charset=utf-8"),
    "ukri-news": ("feed/constructed/ukri-news-wordpress.xml", "application/rss+xml"),
    "eu-funding-calls": ("eu_funding/captured/search-page-two-stage-and-old-index.json", "application/json"),
    "ec-presscorner": ("presscorner/constructed/search-constructed.json", "application/json"),
    "digital-strategy-news": ("feed/constructed/digital-strategy-rss.xml", "application/rss+xml"),
    "eurohpc-news": ("feed/constructed/ec-drupal-node-rss_en.xml", "application/rss+xml"),
    "europarl-press": ("feed/constructed/europarl-press-releases.xml", "application/rss+xml"),
    "ec-research-innovation-news": ("feed/constructed/ec-drupal-node-rss_en.xml", "application/rss+xml"),
}
# Further listing pages, by source: (path after the listing's address, fixture).
MORE_PAGES = {
    "ukri-opportunities": [
        ("page/2/", UKRI + "opportunity-rows-constructed.html"),
        ("page/3/", UKRI + "opportunity-page-2-constructed.html"),
    ],
}
GOVUK_CONTENT = sorted((FIXTURES / "govuk_search" / "captured" / "content").glob("*.json"))
DETAILS = {
    "ukri_opportunities": [FIXTURES / UKRI / "opportunity-detail-constructed.html"],
    "eu_funding": [FIXTURES / "eu_funding/constructed/topic-details-constructed.json"],
    "presscorner": [FIXTURES / "presscorner/constructed/documents-ip-26-301-constructed.json"],
    "govuk_search": GOVUK_CONTENT,
}
SUPERGROUP = {
    "govuk-dsit-aisi-news": "news_and_communications",
    "govuk-ai-policy": "policy_and_engagement",
}
# Hosts that answer 403 to a client that does not look like a browser (docs/SOURCES.md).
BROWSERS_ONLY = {"europarl-press"}


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
    if source.id in BROWSERS_ONLY:
        web.refuse_non_browsers(source.url)
    pages = [payload]
    for path, more in MORE_PAGES.get(source.id, []):
        pages.append(web.rewrite((FIXTURES / more).read_text(encoding="utf-8")).encode("utf-8"))
        web.serve(source.url + path, pages[-1], content_type)
    details = DETAILS.get(source.kind)
    if not details:
        return
    kind = get_kind(source.kind)
    items = [item for body in pages for item in kind.parse(body, source, base_url=source.url)]
    assert items, f"{source.id}: its fixture parsed to nothing"
    for number, item in enumerate(items):
        if item.detail_url:
            detail = _own_detail(item.url, details) or details[number % len(details)]
            web.serve(item.detail_url, web.rewrite(detail.read_text(encoding="utf-8")), _content_type(detail))


def _own_detail(url: str, details: list[Path]) -> Path | None:
    """The captured content item of this very page (its `base_path`), when there is one."""
    path = urlsplit(url).path
    for detail in details:
        if (
            detail.suffix == ".json"
            and json.loads(detail.read_text(encoding="utf-8")).get("base_path") == path
        ):
            return detail
    return None
