"""GOV.UK's search API (chosen organisations' news, speeches, consultations) and content API."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapers.dates import to_utc_iso
from scrapers.json_payload import json_text, load_json
from scrapers.model import Announcement, Listing, ParseError, Source, Validators
from scrapers.options import site_root, text_list_option, web_address_option, whole_option
from scrapers.text import clean_line, html_to_text, safe_link

if TYPE_CHECKING:
    from scrapers.http import HttpClient

logger = logging.getLogger(__name__)

SEARCH_NAME = "GOV.UK search"
CONTENT_NAME = "GOV.UK's content API"
DEFAULT_SITE = "https://www.gov.uk"
# Exactly these: search-api answers 422 to a field it does not know (docs/SOURCES.md).
FIELDS = (
    "title",
    "description",
    "link",
    "public_timestamp",
    "organisations",
    "content_store_document_type",
    "content_id",
    "format",
)
MAX_COUNT = 1500  # search-api's own cap
DEFAULT_COUNT = 100
DEFAULT_MAX_PAGES = 3
DEFAULT_SUPERGROUP = "news_and_communications"

CONSULTATION_TYPES = frozenset(
    {
        "consultation",
        "open_consultation",
        "closed_consultation",
        "consultation_outcome",
        "call_for_evidence",
        "open_call_for_evidence",
        "closed_call_for_evidence",
        "call_for_evidence_outcome",
    }
)
SPEECH_TYPES = frozenset({"speech", "oral_statement", "written_statement"})


@dataclass(frozen=True)
class Options:
    """The `govuk_search` keys of a source, checked once."""

    organisations: tuple[str, ...]
    supergroups: tuple[str, ...]
    document_types: tuple[str, ...]
    count: int
    max_pages: int
    site_url: str
    content_api: str

    @classmethod
    def of(cls, source: Source, base_url: str = "") -> Options:
        opts = source.options
        document_types = text_list_option(source, "document_types")
        if "supergroup" in opts or "content_purpose" in opts:
            key = "supergroup" if "supergroup" in opts else "content_purpose"
            supergroups = text_list_option(source, key)
        else:  # a list of document types is a filter of its own
            supergroups = () if document_types else (DEFAULT_SUPERGROUP,)
        for key in ("site_url", "content_api"):
            web_address_option(source.id, key, opts.get(key), {})
        site = site_root(opts.get("site_url")) or site_root(source.url) or site_root(base_url) or DEFAULT_SITE
        return cls(
            organisations=text_list_option(source, "organisations"),
            supergroups=supergroups,
            document_types=document_types,
            count=whole_option(source, "count", DEFAULT_COUNT, 1, MAX_COUNT),
            max_pages=whole_option(source, "max_pages", DEFAULT_MAX_PAGES, 1, 1000),
            site_url=site,
            content_api=site_root(opts.get("content_api")) or site,
        )


def search_params(options: Options, start: int) -> list[tuple[str, str]]:
    """The query of one page; repeated keys as GOV.UK expects them."""
    params = [("filter_organisations", slug) for slug in options.organisations]
    params += [("filter_content_purpose_supergroup", group) for group in options.supergroups]
    params += [("filter_content_store_document_type", kind) for kind in options.document_types]
    params += [("order", "-public_timestamp"), ("count", str(options.count)), ("start", str(start))]
    params += [("fields", name) for name in FIELDS]
    return params


def parse(
    payload: bytes, source: Source, *, base_url: str, encoding: str | None = None
) -> list[Announcement]:
    """One page of `search.json` as announcements."""
    items, _raw, _total = _parse_page(payload, source, base_url=base_url, encoding=encoding)
    return items


def fetch(client: HttpClient, source: Source, validators: Validators) -> Listing:
    options = Options.of(source)
    found: dict[str, Announcement] = {}
    listing_validators = validators
    for page in range(options.max_pages):
        start = page * options.count
        # Only the first page is conditional: a 304 there means nothing new was published.
        response = client.get(
            source.url,
            params=search_params(options, start),
            validators=validators if page == 0 else None,
        )
        if response.not_modified:
            kept = response.validators
            return Listing(
                [], not_modified=True, validators=kept if kept.etag or kept.last_modified else validators
            )
        if page == 0:
            listing_validators = response.validators
        items, raw_count, total = _parse_page(
            response.content, source, base_url=response.url, encoding=response.encoding
        )
        for item in items:  # a page boundary shifts when something is published meanwhile
            found.setdefault(item.url, item)
        if raw_count < options.count or (total is not None and start + raw_count >= total):
            break
    logger.info("%s: %d items from GOV.UK search", source.id, len(found))
    return Listing(list(found.values()), validators=listing_validators)


def fetch_detail(client: HttpClient, source: Source, item: Announcement) -> Announcement:
    """The item with the full text and dates of its content item (`/api/content<path>`)."""
    if not item.detail_url:  # a link off GOV.UK: there is no content item to read
        return item
    response = client.get(item.detail_url)
    return parse_detail(response.content, source, item, encoding=response.encoding)


def parse_detail(
    payload: bytes, source: Source, item: Announcement, *, encoding: str | None = None
) -> Announcement:
    """Pure: `item` enriched from a content API answer."""
    data = load_json(payload, encoding, CONTENT_NAME)
    details = data.get("details") or {} if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(details, dict):
        raise ParseError(f"{CONTENT_NAME} sent something that is not a content item")
    if not json_text(data.get("title")) and not json_text(data.get("base_path")):
        raise ParseError(f"{CONTENT_NAME} sent a content item with neither title nor path")
    document_type = json_text(data.get("document_type")) or json_text(data.get("schema_name"))
    body = html_to_text(_body_html(details.get("body")))
    withdrawn = data.get("withdrawn_notice")
    status = _status(document_type)
    if isinstance(withdrawn, dict) and withdrawn:
        # Kept, not dropped: the analyst may have notes on it; the store records the change.
        when = to_utc_iso(json_text(withdrawn.get("withdrawn_at")))
        why = html_to_text(json_text(withdrawn.get("explanation"))) or "Withdrawn."
        body = f"Withdrawn{' on ' + when[:10] if when else ''}: {why}\n\n{body}".strip()
        status = "withdrawn"
    is_consultation = document_type in CONSULTATION_TYPES
    return replace(
        item,
        title=item.title or clean_line(json_text(data.get("title"))),
        summary=item.summary or clean_line(json_text(data.get("description"))) or None,
        body=body or None,
        category=_category(document_type, source, fallback=item.category),
        organisation=item.organisation or _organisations(data.get("links")) or None,
        identifier=item.identifier or json_text(data.get("content_id")) or None,
        # The listing's date is kept: it is what GOV.UK shows, and a detail that disagreed
        # with it would make every refresh see a "change".
        published_at=item.published_at
        or to_utc_iso(json_text(data.get("first_published_at")) or json_text(details.get("first_public_at"))),
        updated_at=to_utc_iso(json_text(data.get("public_updated_at"))) or item.updated_at,
        opens_at=(to_utc_iso(json_text(details.get("opening_date"))) if is_consultation else None)
        or item.opens_at,
        deadline_at=(to_utc_iso(json_text(details.get("closing_date"))) if is_consultation else None)
        or item.deadline_at,
        call_status=status or item.call_status,
    )


def _parse_page(
    payload: bytes, source: Source, *, base_url: str, encoding: str | None
) -> tuple[list[Announcement], int, int | None]:
    data = load_json(payload, encoding, SEARCH_NAME)
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ParseError(f"{SEARCH_NAME} answered without a list of results (the API may have changed)")
    options = Options.of(source, base_url)
    results = data["results"]
    items = [item for item in (_announcement(raw, source, options) for raw in results) if item]
    if results and not items:
        raise ParseError(f"none of the {len(results)} GOV.UK search results had a title and a link")
    total = data.get("total")
    return items, len(results), total if isinstance(total, int) and not isinstance(total, bool) else None


def _announcement(raw: Any, source: Source, options: Options) -> Announcement | None:
    if not isinstance(raw, dict):
        return None
    title = clean_line(json_text(raw.get("title")))
    link = json_text(raw.get("link"))
    url = safe_link(link, options.site_url + "/")
    if not title or not url:
        return None
    document_type = json_text(raw.get("content_store_document_type")) or json_text(raw.get("format"))
    return Announcement(
        url=url,
        title=title,
        summary=clean_line(json_text(raw.get("description"))) or None,
        category=_category(document_type, source),
        jurisdiction=source.jurisdiction or None,
        organisation=_organisations(raw) or source.organisation or None,
        identifier=json_text(raw.get("content_id")) or link,
        published_at=to_utc_iso(json_text(raw.get("public_timestamp"))),
        call_status=_status(document_type),
        detail_url=_content_url(url, options),
    )


def _content_url(url: str, options: Options) -> str | None:
    """Where the content API has this page; None for links off GOV.UK."""
    parts = urlsplit(url)
    ours = {urlsplit(options.site_url).netloc.lower(), urlsplit(DEFAULT_SITE).netloc}
    if parts.netloc.lower() not in ours or not parts.path.startswith("/"):
        return None
    return f"{options.content_api}/api/content{parts.path}"


def _category(document_type: str, source: Source, fallback: str | None = None) -> str:
    if document_type in CONSULTATION_TYPES:
        return "consultation"
    if document_type in SPEECH_TYPES:
        return "speech"
    return fallback or source.category


def _status(document_type: str) -> str | None:
    if document_type not in CONSULTATION_TYPES:
        return None
    if document_type.startswith("open_"):
        return "open"
    if document_type.startswith("closed_") or document_type.endswith("_outcome"):
        return "closed"
    return None


def _organisations(holder: Any) -> str:
    """Titles of `organisations` (a search result, or a content item's `links`)."""
    if not isinstance(holder, dict):
        return ""
    lead = holder.get("primary_publishing_organisation")
    orgs = lead if isinstance(lead, list) and lead else holder.get("organisations")
    if not isinstance(orgs, list):
        return ""
    titles = [clean_line(json_text(org.get("title"))) for org in orgs if isinstance(org, dict)]
    return "; ".join(dict.fromkeys(t for t in titles if t))  # names contain commas


def _body_html(body: Any) -> str:
    """`details.body` is HTML, or in some schemas a list of {content_type, content}."""
    if isinstance(body, str):
        return body
    if isinstance(body, list):
        for part in body:
            if isinstance(part, dict) and part.get("content_type") == "text/html":
                return json_text(part.get("content"))
    return ""
