"""The European Commission's press corner: its search API and each document's full text."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlunsplit

from scrapers.dates import from_epoch_ms, to_utc_iso
from scrapers.json_payload import json_text, load_json
from scrapers.model import Announcement, Listing, ParseError, ScrapeError, Source, Validators
from scrapers.options import http_parts, split_query, web_address_option, whole_option
from scrapers.text import clean_line, html_to_text

if TYPE_CHECKING:
    from scrapers.http import HttpClient

logger = logging.getLogger(__name__)

BRUSSELS = "Europe/Brussels"
_BARE_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

WHO = "the press corner"
DEFAULT_TYPES = ("IP", "STATEMENT", "SPEECH", "QANDA")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
DEFAULT_MAX_PAGES = 2
PRESSCORNER_PATH = "/commission/presscorner"
HUMAN_TEMPLATE = "{base}/detail/{language}/{ref_slug}"
# Document type codes with a category of their own; the rest take the source's category.
CATEGORIES = {"IP": "press", "STATEMENT": "press", "SPEECH": "speech"}


@dataclass(frozen=True)
class Options:
    """The `presscorner` keys of a source, checked once."""

    document_types: tuple[str, ...]
    language: str
    page_size: int
    max_pages: int
    base: str  # .../commission/presscorner, where `api/` and `detail/` live
    documents_url: str
    human_url_template: str

    @classmethod
    def of(cls, source: Source, base_url: str = "") -> Options:
        opts = source.options
        base = _base(source.url) or _base(base_url) or "https://ec.europa.eu" + PRESSCORNER_PATH
        return cls(
            document_types=_types(source),
            language=(json_text(opts.get("language")) or "en").lower(),
            page_size=whole_option(source, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
            max_pages=whole_option(source, "max_pages", DEFAULT_MAX_PAGES, 1, 1000),
            base=base,
            documents_url=web_address_option(source.id, "documents_url", opts.get("documents_url"), {})
            or base + "/api/documents",
            human_url_template=web_address_option(
                source.id, "human_url_template", opts.get("human_url_template"), _TEMPLATE_SAMPLE
            )
            or HUMAN_TEMPLATE,
        )


_TEMPLATE_SAMPLE = {
    "base": "https://ec.europa.eu/commission/presscorner",
    "language": "en",
    "ref_slug": "ip_1",
    "ref": "IP/1",
}


def search_params(options: Options, page: int, fixed: dict[str, str]) -> dict[str, str]:
    params = {"language": options.language, **fixed}
    params.update({"pagesize": str(options.page_size), "pagenumber": str(page)})
    if options.document_types:
        params["documentTypeCodes"] = ",".join(options.document_types)
    return params


def parse(
    payload: bytes, source: Source, *, base_url: str, encoding: str | None = None
) -> list[Announcement]:
    """One page of `api/search` as announcements."""
    items, _raw, _total = _parse_page(payload, source, base_url=base_url, encoding=encoding)
    return items


def fetch(client: HttpClient, source: Source, validators: Validators) -> Listing:
    options = Options.of(source)
    endpoint, fixed = split_query(source.url, ("pagesize", "pagenumber"))
    found: dict[str, Announcement] = {}
    listing_validators = validators
    seen = 0
    for page in range(1, options.max_pages + 1):
        response = client.get(
            endpoint,
            params=search_params(options, page, fixed),
            validators=validators if page == 1 else None,
        )
        if response.not_modified:
            kept = response.validators
            if not (kept.etag or kept.last_modified):
                kept = validators
            return Listing([], not_modified=True, validators=kept)
        if page == 1:
            listing_validators = response.validators
        # An empty body here is an error (ParseError), never "no more pages": a page that
        # failed must not pass for the end of the list.
        items, raw_count, total = _parse_page(
            response.content, source, base_url=response.url, encoding=response.encoding
        )
        for item in items:
            found.setdefault(item.identifier or item.url, item)
        seen += raw_count
        if raw_count < options.page_size or (total is not None and seen >= total):
            break
    logger.info("%s: %d documents from the press corner", source.id, len(found))
    return Listing(list(found.values()), validators=listing_validators)


def fetch_detail(client: HttpClient, source: Source, item: Announcement) -> Announcement:
    """The item with the document's full text (`api/documents?reference=...`)."""
    if not item.detail_url:
        raise ScrapeError(f"no document address for {item.identifier or item.url}")
    response = client.get(item.detail_url)
    return parse_detail(response.content, source, item, encoding=response.encoding)


def parse_detail(
    payload: bytes, source: Source, item: Announcement, *, encoding: str | None = None
) -> Announcement:
    """Pure: `item` enriched from an `api/documents` answer."""
    data = load_json(payload, encoding, WHO)
    resource = data.get("docuLanguageResource") if isinstance(data, dict) else None
    if not isinstance(resource, dict):
        raise ParseError(f"{WHO} sent no document for {item.identifier or item.url}")
    body = html_to_text(json_text(resource.get("htmlContent")))
    if not body:
        raise ParseError(f"{WHO} sent document {item.identifier or item.url} without its text")
    return replace(
        item,
        title=item.title or clean_line(json_text(resource.get("title"))),
        body=body,
        # The document's publication moment (its day and time); the search gives only the day.
        published_at=_publish_date(data.get("publishDate"))
        or item.published_at
        or _event_date(data.get("eventDate")),
    )


def human_url(options: Options, ref: str) -> str:
    """IP/26/301 -> .../presscorner/detail/en/ip_26_301."""
    slug = ref.strip().lower().replace("/", "_")
    return (
        options.human_url_template.replace("{base}", options.base)
        .replace("{language}", options.language)
        .replace("{ref_slug}", slug)
        .replace("{ref}", ref)
    )


def _parse_page(
    payload: bytes, source: Source, *, base_url: str, encoding: str | None
) -> tuple[list[Announcement], int, int | None]:
    data = load_json(payload, encoding, WHO)
    if not isinstance(data, dict) or not isinstance(data.get("docuLanguageListResources"), list):
        raise ParseError(f"{WHO} answered without a list of documents (the API may have changed)")
    options = Options.of(source, base_url)
    results = data["docuLanguageListResources"]
    found: dict[str, Announcement] = {}
    readable = 0
    for raw in results:
        item = _announcement(raw, source, options)
        if item is None:
            continue
        readable += 1
        if item.identifier and _language(raw) in ("", options.language):
            found.setdefault(item.identifier, item)
    if results and not readable:
        raise ParseError(f"none of the {len(results)} press corner documents had a reference and a title")
    total = data.get("totalNumber")
    total = total if isinstance(total, int) and not isinstance(total, bool) else None
    return list(found.values()), len(results), total


def _announcement(raw: Any, source: Source, options: Options) -> Announcement | None:
    if not isinstance(raw, dict):
        return None
    ref = clean_line(json_text(raw.get("refCode")))
    title = clean_line(_plain(json_text(raw.get("title"))))
    if not ref or not title:
        return None
    code = _type_code(raw.get("docutype"), ref)
    return Announcement(
        url=human_url(options, ref),
        title=title,
        summary=_plain(json_text(raw.get("leadText"))) or None,
        category=CATEGORIES.get(code, source.category),
        jurisdiction=source.jurisdiction or None,
        organisation=source.organisation or "European Commission",
        identifier=ref,
        published_at=_event_date(raw.get("eventDate")),
        detail_url=_documents_url(options, ref),
    )


def _documents_url(options: Options, ref: str) -> str:
    query = urlencode({"reference": ref, "language": options.language}, safe="/")
    joiner = "&" if "?" in options.documents_url else "?"
    return f"{options.documents_url}{joiner}{query}"


def _type_code(docutype: Any, ref: str) -> str:
    """The type code, from `docutype` (a code, or an object with one) or the reference prefix."""
    if isinstance(docutype, dict):
        docutype = docutype.get("code")
    if isinstance(docutype, str) and docutype.strip():
        return docutype.strip().upper()
    return ref.split("/", 1)[0].strip().upper()


def _event_date(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_epoch_ms(value)
    # A bare date is read in UTC so that the calendar day stays the one the Commission gave.
    return to_utc_iso(json_text(value), "UTC")


def _publish_date(value: Any) -> str | None:
    """`publishDate` in UTC: an ISO moment keeps its time (in Brussels time when it names no
    zone); a bare day is a day, as `eventDate` is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_epoch_ms(value)
    text = json_text(value).strip()
    if not text or _BARE_DAY.fullmatch(text):
        return _event_date(text)
    return to_utc_iso(text, BRUSSELS)


def _language(raw: dict[str, Any]) -> str:
    return json_text(raw.get("languageCode")).strip().lower()


def _plain(text: str) -> str:
    """Titles and lead texts sometimes carry markup or entities; never keep them."""
    if "<" in text or "&" in text:
        text = html_to_text(text)
    return " ".join(text.split())


def _base(url: Any) -> str:
    """`.../commission/presscorner` from the search address."""
    parts = http_parts(url)
    if parts is None:
        return ""
    path = parts.path
    if "/api/" in path:
        path = path.split("/api/", 1)[0]
    elif PRESSCORNER_PATH not in path:
        path = PRESSCORNER_PATH
    return urlunsplit((parts.scheme.lower(), parts.netloc, path.rstrip("/"), "", ""))


def _types(source: Source) -> tuple[str, ...]:
    value = source.options.get("document_types", DEFAULT_TYPES)
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ScrapeError(f"source {source.id}: option 'document_types' must be a list of codes")
    return tuple(v.strip().upper() for v in value if v.strip())
