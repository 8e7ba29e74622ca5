"""EU Funding & Tenders calls: the portal's search API (SEDIA) and each topic's details JSON."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from scrapers.dates import from_epoch_ms, to_utc_iso
from scrapers.json_payload import load_json, whole_option
from scrapers.kinds import web_address_option
from scrapers.model import Announcement, Listing, ParseError, ScrapeError, Source, Validators
from scrapers.text import clean_line, html_to_text

if TYPE_CHECKING:
    from scrapers.http import HttpClient

logger = logging.getLogger(__name__)

SEARCH_NAME = "the EU Funding & Tenders search"
DETAIL_NAME = "the EU Funding & Tenders topic details"
API_HOST = "api.tech.ec.europa.eu"
PORTAL = "https://ec.europa.eu"  # the human pages and topicDetails live here, not on the API host
DETAIL_TEMPLATE = "{site_url}/info/funding-tenders/opportunities/data/topicDetails/{id_lower}.json"
HUMAN_TEMPLATE = (
    "{site_url}/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/{identifier}"
)
BRUSSELS = "Europe/Brussels"

STATUS_NAMES = {"31094501": "forthcoming", "31094502": "open", "31094503": "closed"}
STATUS_CODES = {name: code for code, name in STATUS_NAMES.items()}
PROGRAMME_CODES = {
    "horizon": "43108390",
    "horizon europe": "43108390",
    "digital": "43152860",
    "digital europe": "43152860",
}
DEFAULT_PROGRAMMES = ("43108390", "43152860")  # Horizon Europe, Digital Europe
DEFAULT_STATUSES = ("31094501", "31094502")  # forthcoming, open
DEFAULT_TYPES = ("1", "2", "8")
MAX_PAGE_SIZE = 100  # the API's cap (DESIGN §4)
DEFAULT_MAX_PAGES = 5


@dataclass(frozen=True)
class Options:
    """The `eu_funding` keys of a source, checked once."""

    programmes: tuple[str, ...]
    statuses: tuple[str, ...]
    types: tuple[str, ...]
    language: str
    page_size: int
    max_pages: int
    site_url: str
    detail_url_template: str
    human_url_template: str

    @classmethod
    def of(cls, source: Source, base_url: str = "") -> Options:
        opts = source.options
        detail_template = web_address_option(
            source.id, "detail_url_template", opts.get("detail_url_template"), _TEMPLATE_SAMPLE
        )
        web_address_option(source.id, "site_url", opts.get("site_url"), {})
        # The portal (human pages, topicDetails) is another host than the API: an explicit
        # site, else the host of the details template, else the real portal for the real API,
        # else the API's own host (a test server), so that no default leaves the source's hosts.
        site = _root(opts.get("site_url")) or _root(detail_template)
        if not site:
            api = _root(source.url) or _root(base_url)
            site = PORTAL if not api or urlsplit(api).netloc.lower() == API_HOST else api
        return cls(
            programmes=tuple(
                _code(source, "programmes", v, PROGRAMME_CODES)
                for v in _many(source, "programmes", DEFAULT_PROGRAMMES)
            ),
            statuses=tuple(
                _code(source, "statuses", v, STATUS_CODES)
                for v in _many(source, "statuses", DEFAULT_STATUSES)
            ),
            types=tuple(_code(source, "types", v, {}) for v in _many(source, "types", DEFAULT_TYPES)),
            language=_text(opts.get("language")) or "en",
            page_size=whole_option(source, "page_size", MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE),
            max_pages=whole_option(source, "max_pages", DEFAULT_MAX_PAGES, 1, 1000),
            site_url=site,
            detail_url_template=detail_template or DETAIL_TEMPLATE,
            human_url_template=web_address_option(
                source.id, "human_url_template", opts.get("human_url_template"), _TEMPLATE_SAMPLE
            )
            or HUMAN_TEMPLATE,
        )


_TEMPLATE_SAMPLE = {"site_url": "https://ec.europa.eu", "id_lower": "horizon-1", "identifier": "HORIZON-1"}


def search_query(options: Options) -> dict[str, Any]:
    """The `query` part: the portal's own bool query on type, status and programme."""
    must: list[dict[str, Any]] = []
    for field, values in (
        ("type", options.types),
        ("status", options.statuses),
        ("frameworkProgramme", options.programmes),
    ):
        if values:
            must.append({"terms": {field: list(values)}})
    return {"bool": {"must": must}}


def search_parts(options: Options) -> dict[str, tuple[str, str, str]]:
    """The multipart body, each part a JSON blob as the portal's own page sends it."""

    def blob(value: Any) -> tuple[str, str, str]:
        return ("blob", json.dumps(value), "application/json")

    return {
        "query": blob(search_query(options)),
        "languages": blob([options.language]),
        "sort": blob({"field": "deadlineDate", "order": "ASC"}),
    }


def parse(
    payload: bytes,
    source: Source,
    *,
    base_url: str,
    encoding: str | None = None,
    now: datetime | None = None,
) -> list[Announcement]:
    """One page of search results as announcements (English, deduplicated, filtered).

    `now` picks the next of several deadlines; it defaults to the current time.
    """
    items, _raw, _total = _parse_page(payload, source, base_url=base_url, encoding=encoding, now=now)
    return items


def fetch(client: HttpClient, source: Source, validators: Validators) -> Listing:
    """POST the search page by page; a POST has no conditional form, so `validators` is unused."""
    options = Options.of(source)
    endpoint, fixed = _split_query(source.url)
    found: dict[str, Announcement] = {}
    seen = 0
    for page in range(1, options.max_pages + 1):
        params = {"apiKey": "SEDIA", "text": "***", **fixed}
        params.update({"pageSize": str(options.page_size), "pageNumber": str(page)})
        response = client.post(endpoint, params=params, files=search_parts(options))
        items, raw_count, total = _parse_page(
            response.content, source, base_url=response.url, encoding=response.encoding, now=None
        )
        for item in items:  # a topic can move to the next page while we read
            found.setdefault((item.identifier or item.url).upper(), item)
        seen += raw_count
        if raw_count == 0 or raw_count < options.page_size or (total is not None and seen >= total):
            break
    logger.info("%s: %d topics from the EU Funding & Tenders search", source.id, len(found))
    return Listing(list(found.values()))


def fetch_detail(client: HttpClient, source: Source, item: Announcement) -> Announcement:
    """The item with the topic's description (and budget, dates, status where the listing lacked them)."""
    if not item.detail_url:
        raise ScrapeError(f"no topic details address for {item.identifier or item.url}")
    response = client.get(item.detail_url)
    return parse_detail(response.content, source, item, encoding=response.encoding)


def parse_detail(
    payload: bytes, source: Source, item: Announcement, *, encoding: str | None = None
) -> Announcement:
    """Pure: `item` enriched from a topicDetails JSON."""
    data = load_json(payload, encoding, DETAIL_NAME)
    topic = data.get("TopicDetails", data) if isinstance(data, dict) else None
    if not isinstance(topic, dict):
        raise ParseError(f"{DETAIL_NAME} are not a topic description (the format may have changed)")
    description = html_to_text(_text(topic.get("description")))
    conditions = html_to_text(_text(topic.get("conditions")))
    if not description and not conditions:
        raise ParseError(f"{DETAIL_NAME} for {item.identifier or item.url} have no description")
    body = description
    if conditions:
        body = f"{body}\n\nConditions\n{conditions}".strip()
    identifier = item.identifier or _text(topic.get("identifier"))
    budget = _topic_budget(topic.get("budgetOverviewJSONItem"), identifier)
    action = _first_action(topic.get("actions"))
    status_id = action.get("status", {}).get("id") if isinstance(action.get("status"), dict) else None
    deadlines = [d for d in _list(action.get("deadlineDates")) if isinstance(d, str)]
    return replace(
        item,
        body=body,
        identifier=identifier or None,
        # Listing values are precise (time and zone) and are what the search shows: keep them.
        published_at=item.published_at or from_epoch_ms(_number(topic.get("publicationDateLong"))),
        opens_at=item.opens_at or to_utc_iso(_text(action.get("plannedOpeningDate")), BRUSSELS),
        deadline_at=item.deadline_at or _next_deadline(deadlines, None)[0],
        budget_amount=item.budget_amount if item.budget_amount is not None else budget,
        budget_currency=item.budget_currency or ("EUR" if budget is not None else None),
        call_status=item.call_status or STATUS_NAMES.get(str(status_id)),
    )


def _parse_page(
    payload: bytes, source: Source, *, base_url: str, encoding: str | None, now: datetime | None
) -> tuple[list[Announcement], int, int | None]:
    data = load_json(payload, encoding, SEARCH_NAME)
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ParseError(f"{SEARCH_NAME} answered without a list of results (the API may have changed)")
    options = Options.of(source, base_url)
    results = data["results"]
    found: dict[str, Announcement] = {}
    readable = 0
    moment = now or datetime.now(UTC)
    for raw in results:
        meta, identifier = _identify(raw)
        if not identifier:
            continue
        readable += 1
        # The same topic comes once per language; the server filter is checked again here.
        if identifier.upper() not in found and _wanted(raw, meta, options):
            found[identifier.upper()] = _announcement(raw, meta, identifier, source, options, moment)
    if results and not readable:
        raise ParseError(f"none of the {len(results)} funding search results had an identifier")
    total = data.get("totalResults")
    return list(found.values()), len(results), total if _is_int(total) else None


def _identify(raw: Any) -> tuple[dict[str, Any], str]:
    """A result's metadata and topic identifier; "" when it has none."""
    if not isinstance(raw, dict) or not isinstance(raw.get("metadata"), dict):
        return {}, ""
    return raw["metadata"], clean_line(_first(raw["metadata"], "identifier"))


def _wanted(raw: dict[str, Any], meta: dict[str, Any], options: Options) -> bool:
    language = _text(raw.get("language")) or _first(meta, "language")
    kind = _first(meta, "type")
    return not (
        (language and language.lower() != options.language.lower())
        or (options.statuses and _first(meta, "status") not in options.statuses)
        or (options.programmes and not set(_all(meta, "frameworkProgramme")) & set(options.programmes))
        or (options.types and kind and kind not in options.types)
    )


def _announcement(
    raw: dict[str, Any],
    meta: dict[str, Any],
    identifier: str,
    source: Source,
    options: Options,
    now: datetime,
) -> Announcement:
    deadline, deadlines = _next_deadline(_all(meta, "deadlineDate"), now)
    budget = _topic_budget(_first(meta, "budgetOverview"), identifier)
    return Announcement(
        url=_fill(options.human_url_template, options, identifier),
        title=clean_line(_first(meta, "title") or _text(raw.get("content"))) or identifier,
        summary=_summary(meta, deadlines) or None,
        category="funding",
        jurisdiction=source.jurisdiction or None,
        organisation=source.organisation or None,
        identifier=identifier,
        opens_at=to_utc_iso(_first(meta, "startDate"), BRUSSELS),
        deadline_at=deadline,
        budget_amount=budget,
        budget_currency="EUR" if budget is not None else None,
        call_status=STATUS_NAMES.get(_first(meta, "status")),
        detail_url=_fill(options.detail_url_template, options, identifier),
    )


def _summary(meta: dict[str, Any], deadlines: list[str]) -> str:
    parts = [
        clean_line(_first(meta, "callTitle")),
        clean_line(_first(meta, "callIdentifier")) and f"Call {clean_line(_first(meta, 'callIdentifier'))}",
        clean_line(_first(meta, "typesOfAction")),
        clean_line(_first(meta, "deadlineModel")),
    ]
    if len(deadlines) > 1:
        parts.append("deadlines " + ", ".join(d[:10] for d in deadlines))
    return " · ".join(p for p in parts if p)


def _next_deadline(values: list[str], now: datetime | None) -> tuple[str | None, list[str]]:
    """The first deadline not yet passed (the last one once all have), and all of them."""
    dates = sorted({d for d in (to_utc_iso(v, BRUSSELS) for v in values) if d})
    if not dates:
        return None, []
    if now is None:
        return dates[0], dates
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    upcoming = [d for d in dates if d >= stamp]
    return (upcoming[0] if upcoming else dates[-1]), dates


def _topic_budget(overview: Any, identifier: str) -> float | None:
    """This topic's own line of a call's budget overview (the map covers every topic of the call)."""
    if isinstance(overview, str):
        try:
            overview = json.loads(overview)
        except (ValueError, RecursionError):
            return None
    if not isinstance(overview, dict) or not isinstance(overview.get("budgetTopicActionMap"), dict):
        return None
    lines = [
        line
        for group in overview["budgetTopicActionMap"].values()
        if isinstance(group, list)
        for line in group
        if isinstance(line, dict)
    ]
    key = identifier.upper()
    mine = [line for line in lines if _text(line.get("action")).upper().startswith(key)] if key else []
    if not mine and len(lines) == 1:
        mine = lines
    total = 0.0
    for line in mine:
        years = line.get("budgetYearMap")
        for value in years.values() if isinstance(years, dict) else ():
            amount = _number(value)
            if amount is not None:
                total += amount
    return total if total > 0 else None


def _first_action(actions: Any) -> dict[str, Any]:
    for action in _list(actions):
        if isinstance(action, dict):
            return action
    return {}


def _fill(template: str, options: Options, identifier: str) -> str:
    # Plain replacement: a user's template can never raise a format error.
    return (
        template.replace("{site_url}", options.site_url)
        .replace("{id_lower}", identifier.lower())
        .replace("{identifier}", identifier)
    )


def _split_query(url: str) -> tuple[str, dict[str, str]]:
    """`url` without its query, and the query's own keys (a user may write `?apiKey=...`)."""
    parts = urlsplit(url)
    fixed = {k: v for k, v in parse_qsl(parts.query) if k not in ("pageSize", "pageNumber")}
    return urlunsplit(parts._replace(query="")), fixed


def _first(meta: dict[str, Any], key: str) -> str:
    """Every metadata value is a list of strings; the first one, or ""."""
    values = _all(meta, key)
    return values[0] if values else ""


def _all(meta: dict[str, Any], key: str) -> list[str]:
    value = meta.get(key)
    if isinstance(value, str):
        return [value]
    return [v for v in _list(value) if isinstance(v, str)]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.replace(",", "").strip()
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _root(url: Any) -> str:
    if not isinstance(url, str):
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme.lower()}://{parts.netloc}"


def _many(source: Source, key: str, default: tuple[str, ...]) -> tuple[Any, ...]:
    value = source.options.get(key, default)
    if isinstance(value, str | int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ScrapeError(f"source {source.id}: option {key!r} must be a list")
    return tuple(value)


def _code(source: Source, key: str, value: Any, names: dict[str, str]) -> str:
    """A code as the API wants it (a string of digits), from a code or a known name."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return text
        named = names.get(text.lower().replace("-", " ").replace("_", " "))
        if named:
            return named
    known = ", ".join(sorted(names)) if names else "numeric codes"
    raise ScrapeError(f"source {source.id}: {value!r} in option {key!r} is not known (use {known})")
