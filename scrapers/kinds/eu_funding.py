"""EU Funding & Tenders calls: the portal's search API (SEDIA) and each topic's details JSON."""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

from scrapers.dates import from_epoch_ms, to_utc_iso
from scrapers.json_payload import json_text, load_json
from scrapers.model import Announcement, Listing, ParseError, ScrapeError, Source, Validators
from scrapers.options import list_option, site_root, split_query, web_address_option, whole_option
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
CASCADE_TEMPLATE = (
    "{site_url}/info/funding-tenders/opportunities/portal/screen/opportunities/competitive-calls-cs/{id}"
)
BRUSSELS = "Europe/Brussels"
BRUSSELS_ZONE = ZoneInfo(BRUSSELS)
# The portal gives most deadlines as a bare day; its calls close at 17:00 Brussels time that day
# (docs/EU_SOURCES.md, "EU Funding & Tenders").
CLOSING_TIME = time(17, 0)
CASCADE_TYPE = "8"  # financial support to third parties: a call run by a funded project

STATUS_NAMES = {"31094501": "forthcoming", "31094502": "open", "31094503": "closed"}
STATUS_CODES = {name: code for code, name in STATUS_NAMES.items()}
PROGRAMME_CODES = {
    "horizon": "43108390",
    "horizon europe": "43108390",
    "digital": "43152860",
    "digital europe": "43152860",
}
# The programme codes of `frameworkProgramme` (docs/EU_SOURCES.md, "Funding facets"); an
# unknown code is kept as the portal gives it.
PROGRAMME_NAMES = {"43108390": "Horizon Europe", "43152860": "Digital Europe Programme"}
HORIZON_CLUSTERS = {
    "1": "Health",
    "2": "Culture, Creativity and Inclusive Society",
    "3": "Civil Security for Society",
    "4": "Digital, Industry and Space",
    "5": "Climate, Energy and Mobility",
    "6": "Food, Bioeconomy, Natural Resources, Agriculture and Environment",
}
_CLUSTER = re.compile(r"HORIZON-CL(\d)-", re.IGNORECASE)
DEFAULT_PROGRAMMES = ("43108390", "43152860")  # Horizon Europe, Digital Europe
DEFAULT_STATUSES = ("31094501", "31094502")  # forthcoming, open
DEFAULT_TYPES = ("1", "2", "8")
MAX_PAGE_SIZE = 100  # the API's cap (docs/EU_SOURCES.md)
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
        site = site_root(opts.get("site_url")) or site_root(detail_template)
        if not site:
            api = site_root(source.url) or site_root(base_url)
            site = PORTAL if not api or urlsplit(api).netloc.lower() == API_HOST else api
        return cls(
            programmes=tuple(
                _code(source, "programmes", v, PROGRAMME_CODES)
                for v in list_option(source, "programmes", DEFAULT_PROGRAMMES)
            ),
            statuses=tuple(
                _code(source, "statuses", v, STATUS_CODES)
                for v in list_option(source, "statuses", DEFAULT_STATUSES)
            ),
            types=tuple(_code(source, "types", v, {}) for v in list_option(source, "types", DEFAULT_TYPES)),
            language=json_text(opts.get("language")) or "en",
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
    endpoint, fixed = split_query(source.url, ("pageSize", "pageNumber"))
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
            _keep_richer(found, item)
        seen += raw_count
        if raw_count == 0 or raw_count < options.page_size or (total is not None and seen >= total):
            break
    logger.info("%s: %d topics from the EU Funding & Tenders search", source.id, len(found))
    return Listing(list(found.values()))


def fetch_detail(client: HttpClient, source: Source, item: Announcement) -> Announcement:
    """The item with the topic's description (and budget, dates, status where the listing lacked them).

    A cascade call has no topicDetails of its own (its page is the one it links), so it is
    returned as the listing gave it: the parent topic's details would describe another call.
    """
    if not item.detail_url:
        return item
    response = client.get(item.detail_url)
    return parse_detail(response.content, source, item, encoding=response.encoding)


def parse_detail(
    payload: bytes,
    source: Source,
    item: Announcement,
    *,
    encoding: str | None = None,
    now: datetime | None = None,
) -> Announcement:
    """Pure: `item` enriched from a topicDetails JSON."""
    data = load_json(payload, encoding, DETAIL_NAME)
    topic = data.get("TopicDetails", data) if isinstance(data, dict) else None
    if not isinstance(topic, dict):
        raise ParseError(f"{DETAIL_NAME} are not a topic description (the format may have changed)")
    description = html_to_text(json_text(topic.get("description")))
    conditions = html_to_text(json_text(topic.get("conditions")))
    if not description and not conditions:
        raise ParseError(f"{DETAIL_NAME} for {item.identifier or item.url} have no description")
    body = description
    if conditions:
        body = f"{body}\n\nConditions\n{conditions}".strip()
    identifier = item.identifier or json_text(topic.get("identifier"))
    budget = _topic_budget(topic.get("budgetOverviewJSONItem"), identifier)
    actions = [a for a in _json_list(topic.get("actions")) if isinstance(a, dict)]
    action = actions[0] if actions else {}
    status_id = action.get("status", {}).get("id") if isinstance(action.get("status"), dict) else None
    moment = now or datetime.now(UTC)
    deadline, stages = item.deadline_at, list[str]()
    if not deadline:  # the listing had no date: the topic's own action dates, else its budget line's
        values = _strings(action.get("deadlineDates")) or list(budget.deadlines)
        deadline, stages = _next_deadline(values, moment)
    # What the details add in words (another stage, a shared budget), once, after the listing's.
    news = [n for n in (_stages_note(deadline, stages), budget.note) if n and n not in (item.summary or "")]
    summary = " · ".join(p for p in (item.summary, *news) if p) or None
    return replace(
        item,
        body=body,
        summary=summary,
        identifier=identifier or None,
        # Listing values are precise (time and zone) and are what the search shows: keep them.
        published_at=item.published_at or from_epoch_ms(_number(topic.get("publicationDateLong"))),
        opens_at=item.opens_at or _opening(_plain(action.get("plannedOpeningDate")) or budget.opens),
        deadline_at=deadline,
        budget_amount=item.budget_amount if item.budget_amount is not None else budget.amount,
        budget_currency=item.budget_currency or ("EUR" if budget.amount is not None else None),
        call_status=item.call_status or STATUS_NAMES.get(str(status_id)),
    )


def closing_time(value: str) -> str | None:
    """A portal deadline in UTC ISO: a bare day (`2027-04-08`, `...T00:00:00.000+0000`, an
    epoch-millisecond string at midnight) closes at 17:00 Brussels time that day (summer or
    winter time as Brussels keeps it); a deadline with its own time of day keeps that time."""
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        stamp = from_epoch_ms(text)
        if stamp is None:
            return None
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        for zone in (UTC, BRUSSELS_ZONE):  # midnight UTC or midnight Brussels both mean "that day"
            local = moment.astimezone(zone)
            if local.time() == time(0):
                return _close_of(local.date())
        return stamp
    parsed = _parse_moment(text)
    if parsed is None:
        return None
    if parsed.time() == time(0):  # midnight in the zone the value was written in: a day, no time
        return _close_of(parsed.date())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BRUSSELS_ZONE)
    return _iso_z(parsed)


def _close_of(day: date) -> str:
    return _iso_z(datetime.combine(day, CLOSING_TIME, tzinfo=BRUSSELS_ZONE))


def _iso_z(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


_COMPACT_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")
_BARE_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_moment(text: str) -> datetime | None:
    """The moment as written (its own offset kept, or naive); None for text that is no date."""
    try:
        return dateutil_parser.isoparse(_COMPACT_OFFSET.sub(r"\1:\2", text))
    except (ValueError, OverflowError):
        pass
    if to_utc_iso(text, BRUSSELS) is None:  # the shared test of what looks like a date at all
        return None
    try:  # "18 April 2024", as some topicDetails write it: European order, day first
        return dateutil_parser.parse(text, dayfirst=True, fuzzy=True, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None


def _opening(value: str) -> str | None:
    """An opening date: the day it opens (epoch-millisecond strings as well as ISO text)."""
    text = value.strip()
    if text.isdigit():
        return from_epoch_ms(text)
    # A bare day is read in UTC, as the listing writes its start dates ("...T00:00:00.000+0000").
    return to_utc_iso(text, "UTC" if _BARE_DAY.fullmatch(text) else BRUSSELS)


def _next_deadline(values: list[str], now: datetime | None) -> tuple[str | None, list[str]]:
    """The first deadline not yet passed (the last one once all have), and all of them."""
    dates = sorted({d for d in (closing_time(v) for v in values) if d})
    if not dates:
        return None, []
    if now is None:
        return dates[0], dates
    stamp = _iso_z(now)
    upcoming = [d for d in dates if d >= stamp]
    return (upcoming[0] if upcoming else dates[-1]), dates


def _stages_note(deadline: str | None, stages: list[str]) -> str:
    """The other stages of a multi-stage call, in words, so that none is lost from sight."""
    others = [d for d in stages if d != deadline]
    if not deadline or not others:
        return ""
    words = ", ".join(_brussels_words(d) for d in others)
    label = "Other stage deadline" if len(others) == 1 else "Other stage deadlines"
    return f"{label}: {words} (Brussels time)"


def _brussels_words(stamp: str) -> str:
    local = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(BRUSSELS_ZONE)
    return f"{local.day} {local:%b %Y}, {local:%H:%M}"


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
        if not _wanted(raw, meta, options):
            continue
        _keep_richer(found, _announcement(raw, meta, identifier, source, options, moment))
    if results and not readable:
        raise ParseError(f"none of the {len(results)} funding search results had an identifier")
    total = data.get("totalResults")
    return list(found.values()), len(results), total if _is_int(total) else None


def _key(item: Announcement) -> str:
    """What makes two results one call: a topic's identifier, a cascade call's own page (its
    identifier is its parent topic's, shared by every cascade call of that topic)."""
    return (item.identifier or item.url).upper()


def _keep_richer(found: dict[str, Announcement], item: Announcement) -> None:
    """One record per call, from the fullest of its rows: the index holds stub rows (no status,
    no deadline) beside the real one under the same identifier, in any order."""
    key = _key(item)
    kept = found.get(key)
    if kept is None or _fullness(item) > _fullness(kept):
        found[key] = item


def _fullness(item: Announcement) -> int:
    return sum(
        value is not None
        for value in (item.deadline_at, item.call_status, item.opens_at, item.budget_amount, item.summary)
    )


def _identify(raw: Any) -> tuple[dict[str, Any], str]:
    """A result's metadata and topic identifier; "" when it has none."""
    if not isinstance(raw, dict) or not isinstance(raw.get("metadata"), dict):
        return {}, ""
    meta = raw["metadata"]
    return meta, clean_line(_first(meta, "identifier")) or _cascade_id(meta)


def _cascade_id(meta: dict[str, Any]) -> str:
    if _first(meta, "type") != CASCADE_TYPE:
        return ""
    return clean_line(_first(meta, "ccm2Id") or _first(meta, "callccm2Id"))


def _wanted(raw: dict[str, Any], meta: dict[str, Any], options: Options) -> bool:
    """The filter the search was asked for, on the fields a result has (a cascade call may
    carry no status or programme code: absent is not a mismatch)."""
    language = json_text(raw.get("language")) or _first(meta, "language")
    kind = _first(meta, "type")
    status = _first(meta, "status")
    programmes = set(_all(meta, "frameworkProgramme"))
    return not (
        (language and language.lower() != options.language.lower())
        or (options.statuses and status and status not in options.statuses)
        or (options.programmes and programmes and not programmes & set(options.programmes))
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
    deadline_values = _all(meta, "deadlineDate")
    actions = [a for v in _all(meta, "actions") for a in _json_list(v) if isinstance(a, dict)]
    if not deadline_values:  # the listing's own action list, as a JSON string in the metadata
        deadline_values = [d for a in actions for d in _strings(a.get("deadlineDates"))]
    deadline, deadlines = _next_deadline(deadline_values, now)
    opens = _opening(
        _first(meta, "startDate") or next((_plain(a.get("plannedOpeningDate")) for a in actions), "")
    )
    # As the portal says, even "forthcoming" on an old row whose deadline passed in 2024: the
    # Open funding view tests the deadline against the store's clock (docs/EU_SOURCES.md).
    status = STATUS_NAMES.get(_first(meta, "status"))
    if _first(meta, "type") == CASCADE_TYPE:
        return _cascade(raw, meta, identifier, source, options, deadline, deadlines, opens, status)
    budget = _topic_budget(_first(meta, "budgetOverview"), identifier)
    summary = " · ".join(p for p in (_summary(meta), _stages_note(deadline, deadlines), budget.note) if p)
    return Announcement(
        url=_fill(options.human_url_template, options, identifier),
        title=clean_line(
            _first(meta, "title") or json_text(raw.get("summary")) or json_text(raw.get("content"))
        )
        or identifier,
        summary=summary or None,
        category="funding",
        jurisdiction=source.jurisdiction or None,
        organisation=source.organisation or None,
        identifier=identifier,
        opens_at=opens,
        deadline_at=deadline,
        budget_amount=budget.amount,
        budget_currency="EUR" if budget.amount is not None else None,
        call_status=status,
        programme=_programme(meta, identifier),
        action_type=clean_line(_first(meta, "typesOfAction")) or None,
        detail_url=_fill(options.detail_url_template, options, identifier),
    )


def _cascade(
    raw: dict[str, Any],
    meta: dict[str, Any],
    cascade_id: str,
    source: Source,
    options: Options,
    deadline: str | None,
    deadlines: list[str],
    opens: str | None,
    status: str | None,
) -> Announcement:
    """A cascade (FSTP) call: its own name, page and budget. `title` and `identifier` in its
    metadata are the parent topic's, so neither names it nor tells two cascade calls apart."""
    parent = clean_line(_first(meta, "identifier"))
    page = _web_address(_first(meta, "url")) or _web_address(json_text(raw.get("url")))
    if not page:
        own = clean_line(_first(meta, "ccm2Id") or _first(meta, "callccm2Id")) or cascade_id
        page = CASCADE_TEMPLATE.replace("{site_url}", options.site_url).replace("{id}", own)
    name = clean_line(_first(meta, "caName") or _first(meta, "callTitle"))
    amount = _number(_first(meta, "budget"))
    currency = clean_line(_first(meta, "currency")).upper() or "EUR"
    parts = [
        "Cascade funding call (financial support to third parties)",
        clean_line(_first(meta, "projectName")) and f"run by {clean_line(_first(meta, 'projectName'))}",
        parent and f"under topic {parent}",
        _stages_note(deadline, deadlines),
    ]
    return Announcement(
        url=page,
        title=name or clean_line(_first(meta, "title")) or parent or cascade_id,
        summary=" · ".join(p for p in parts if p) or None,
        category="funding",
        jurisdiction=source.jurisdiction or None,
        organisation=source.organisation or None,
        identifier=None,
        opens_at=opens,
        deadline_at=deadline,
        budget_amount=amount if amount is not None and amount > 0 else None,
        budget_currency=currency if amount is not None and amount > 0 else None,
        call_status=status,
        programme=_programme(meta, parent),
        action_type=clean_line(_first(meta, "typesOfAction")) or None,
        detail_url=None,  # never the parent's topicDetails: they describe another call
    )


def _programme(meta: dict[str, Any], identifier: str) -> str | None:
    """The programme's name, with the Horizon Europe cluster a topic's identifier names:
    "Horizon Europe · Cluster 4: Digital, Industry and Space"."""
    code = clean_line(_first(meta, "frameworkProgramme"))
    name = PROGRAMME_NAMES.get(code, code)
    cluster = _CLUSTER.match(identifier)
    if name == PROGRAMME_NAMES["43108390"] and cluster and cluster.group(1) in HORIZON_CLUSTERS:
        number = cluster.group(1)
        return f"{name} · Cluster {number}: {HORIZON_CLUSTERS[number]}"
    return name or None


def _summary(meta: dict[str, Any]) -> str:
    parts = [
        clean_line(_first(meta, "callTitle")),
        clean_line(_first(meta, "callIdentifier")) and f"Call {clean_line(_first(meta, 'callIdentifier'))}",
        clean_line(_first(meta, "typesOfAction")),
        clean_line(_first(meta, "deadlineModel")),
    ]
    return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class Budget:
    """What a call's budget overview says of one topic."""

    amount: float | None = None  # the topic's own amount, never one it shares
    note: str = ""  # a shared amount, in words
    deadlines: tuple[str, ...] = ()
    opens: str = ""


def _topic_budget(overview: Any, identifier: str) -> Budget:
    """This topic's own line of a call's budget overview (the map covers every topic of the call).

    A group of the map whose lines for several topics repeat one amount holds that amount for
    all of them: that is said in words and never stored as this topic's budget.
    """
    groups = _budget_groups(overview)
    key = identifier.upper()
    if not key:
        return Budget()
    for lines in groups.values():
        mine = [line for line in lines if json_text(line.get("action")).upper().startswith(key)]
        if not mine:
            continue
        line = mine[0]
        deadlines = tuple(_strings(line.get("deadlineDates")))
        opens = _plain(line.get("plannedOpeningDate"))
        amount = _years_total(line)
        # Other topics' lines repeating this amount: one budget line funding them all.
        others = sorted(
            {_action_topic(x) for x in lines if _action_topic(x) != key and _years_total(x) == amount}
        )
        if others:
            words = f"EUR {amount:,.0f} " if amount is not None else ""
            note = f"Budget {words}shared with {', '.join(others)}"
            return Budget(None, note, deadlines, opens)
        return Budget(amount, "", deadlines, opens)
    return Budget()


def _action_topic(line: dict[str, Any]) -> str:
    """The topic an `action` line names: "HORIZON-X-01 - HORIZON-RIA ..." -> HORIZON-X-01."""
    return json_text(line.get("action")).split(" - ", 1)[0].strip().upper()


def _years_total(line: dict[str, Any]) -> float | None:
    years = line.get("budgetYearMap")
    total = 0.0
    for value in years.values() if isinstance(years, dict) else ():
        amount = _number(value)
        if amount is not None:
            total += amount
    return total if total > 0 else None


def _budget_groups(overview: Any) -> dict[str, list[dict[str, Any]]]:
    """group -> its lines, from the overview as an object or as a JSON string, even one cut
    short (the listing's strings can end mid-way: every complete line before the cut is read)."""
    if isinstance(overview, str):
        try:
            overview = json.loads(overview)
        except (ValueError, RecursionError):
            return _scan_groups(overview)
    if not isinstance(overview, dict) or not isinstance(overview.get("budgetTopicActionMap"), dict):
        return {}
    return {
        str(group): [line for line in lines if isinstance(line, dict)]
        for group, lines in overview["budgetTopicActionMap"].items()
        if isinstance(lines, list)
    }


_GROUP_START = re.compile(r'"(\w+)"\s*:\s*\[')
_LINE_START = re.compile(r'\{\s*"action"')
_DECODER = json.JSONDecoder()


def _scan_groups(text: str) -> dict[str, list[dict[str, Any]]]:
    start = text.find('"budgetTopicActionMap"')
    if start < 0:
        return {}
    groups: dict[str, list[dict[str, Any]]] = {}
    group = ""
    position = start
    while True:
        line_at = _LINE_START.search(text, position)
        if line_at is None:
            return groups
        for head in _GROUP_START.finditer(text, position, line_at.start()):
            group = head.group(1)
        try:
            line, end = _DECODER.raw_decode(text, line_at.start())
        except (ValueError, RecursionError):  # the cut: the last line, whole up to where it stops
            partial = _cut_line(text[line_at.start() :])
            if partial:
                groups.setdefault(group, []).append(partial)
            return groups
        if isinstance(line, dict):
            groups.setdefault(group, []).append(line)
        position = end


_CUT_ACTION = re.compile(r'"action"\s*:\s*("(?:[^"\\]|\\.)*")')
_CUT_YEARS = re.compile(r'"budgetYearMap"\s*:\s*(\{[^{}]*\})')


def _cut_line(text: str) -> dict[str, Any]:
    """The action and yearly amounts of a line cut short, when both are whole before the cut."""
    action, years = _CUT_ACTION.search(text), _CUT_YEARS.search(text)
    if action is None or years is None:
        return {}
    try:
        return {"action": json.loads(action.group(1)), "budgetYearMap": json.loads(years.group(1))}
    except ValueError:
        return {}


def _json_list(value: Any) -> list[Any]:
    """A list, or a JSON string holding one (the listing's metadata keeps lists as strings)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return []
    return value if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    """Date values of a list: strings, or the numbers some payloads use for epoch milliseconds."""
    return [_plain(v) for v in _list(value) if _plain(v)]


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _web_address(value: str) -> str:
    """A human page: a web address that is not a topicDetails JSON (a row's `url` can be either)."""
    text = value.strip()
    return text if site_root(text) and "/topicdetails/" not in text.lower() else ""


def _fill(template: str, options: Options, identifier: str) -> str:
    # Plain replacement: a user's template can never raise a format error.
    return (
        template.replace("{site_url}", options.site_url)
        .replace("{id_lower}", identifier.lower())
        .replace("{identifier}", identifier)
    )


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
