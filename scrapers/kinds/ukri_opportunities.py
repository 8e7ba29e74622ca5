"""Kind `ukri_opportunities`: UKRI's funding finder (https://www.ukri.org/opportunity/).

The listing is server-rendered WordPress, ten cards a page, further pages at `<url>page/N/`.
Each card has its title link (`a.ukri-funding-opp__link`), a teaser (`.entry-content`) and a
`dl.opportunity__summary` whose rows are read by their label: Opportunity status (the flag in
`dd > span`), Funders (linked or not), Co-funders, Funding type, Total fund, Award range or
Maximum award, Publication date, Opening date, Closing date ("4:00pm" or "4.00pm" UK time).
What each row means for a record is in docs/SOURCES.md.

Options: `max_pages` (default 25): the most listing pages read in one fetch.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from urllib.parse import urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag
from bs4.element import PreformattedString

from scrapers.dates import to_utc_iso
from scrapers.http import HttpClient, HttpStatusError
from scrapers.markup import soup_of
from scrapers.model import Announcement, Listing, ParseError, ScrapeError, Source, Validators
from scrapers.money import parse_amount
from scrapers.text import clean_line, html_to_text, safe_link

logger = logging.getLogger(__name__)

DEFAULT_MAX_PAGES = 25
ZONE = "Europe/London"  # "4:00pm UK time", and dates written without a zone
CARD_LINK = "a.ukri-funding-opp__link"
SUMMARY_LIST = "dl.opportunity__summary"
_STATUSES = {
    "open": "open",
    "upcoming": "forthcoming",
    "forthcoming": "forthcoming",
    "opening soon": "forthcoming",
    "closed": "closed",
}
# "4.00pm": UKRI writes clock times with a dot as often as with a colon.
_DOTTED_CLOCK = re.compile(r"\b(\d{1,2})\.(\d{2})\s*([ap]\.?m\b\.?)", re.I)
_HAS_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}|\d\s*[ap]\.?m\b|T\d{2}", re.I)
# The top of "£25,000 - £50,000" or "£25,000 to £50,000".
_RANGE_SEPARATOR = re.compile(r"\s[-\u2013\u2014]\s|\s+to\s+|(?<=\d)[-\u2013\u2014](?=\s*[£$€\d])", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_NOT_TEXT = frozenset({"script", "style", "template", "noscript"})
_NO_DATE = re.compile(
    r"\bno (?:closing|opening) date|\brolling\b|open[- ]ended|to be confirmed|\btbc\b", re.I
)
# Where a detail page keeps its text; the first that has any wins. `main` holds the title, the
# summary rows and every section (Eligibility, Scope, How to apply...).
_DETAIL_CONTAINERS = ("main", "[role=main]", "article", ".entry-content", "#content", "body")
# Site furniture inside those containers (an article's own <header>, with its title, stays).
_DETAIL_CHROME = (
    "body > header",
    "body > footer",
    "[role=banner]",
    "[role=contentinfo]",
    "[role=navigation]",
    "nav",
    "aside",
    "form",
    "button",
    ".govuk-skip-link",
    ".govuk-breadcrumbs",
    ".ukri-breadcrumbs",
    ".breadcrumbs",
    ".share",
    ".ukri-share",
    ".print",
)


def parse(
    payload: bytes, source: Source, *, base_url: str, encoding: str | None = None
) -> list[Announcement]:
    """The cards of one listing page (an empty list when the page has none)."""
    return _page(payload, source, base_url, encoding)[0]


def _page(
    payload: bytes, source: Source, base_url: str, encoding: str | None
) -> tuple[list[Announcement], bool]:
    """The page's cards, and whether a further page may follow."""
    soup = soup_of(payload, encoding)
    announcements: list[Announcement] = []
    seen: set[str] = set()
    for link in soup.select(CARD_LINK):
        announcement = _card(link, source, base_url)
        if announcement is None or announcement.url in seen:
            continue
        seen.add(announcement.url)
        announcements.append(announcement)
    return announcements, _has_next_page(soup)


def _card(link: Tag, source: Source, base_url: str) -> Announcement | None:
    href = link.get("href")
    url = safe_link(href, base_url) if isinstance(href, str) else None
    title = clean_line(link.get_text(" "))
    if url is None or not title:
        return None
    card = _card_of(link)
    summary_el = card.select_one(".entry-content")
    fields = summary_fields(card)
    budget, currency = _budget(fields)
    return Announcement(
        url=url,
        title=title,
        summary=_teaser(summary_el),
        category=source.category if source.category != "other" else "funding",
        jurisdiction=source.jurisdiction or "UK",
        organisation=_funders(fields) or source.organisation or None,
        published_at=_date(fields.get("publication date")),
        opens_at=_date(fields.get("opening date")),
        deadline_at=_date(fields.get("closing date")),
        budget_amount=budget,
        budget_currency=currency,
        call_status=_status(fields.get("opportunity status")),
        action_type=_text(fields.get("funding type")) or None,
        detail_url=url,
    )


def _teaser(element: Tag | None) -> str | None:
    """The card's teaser text, without the summary rows should a theme put them inside it."""
    if element is None:
        return None
    copy = BeautifulSoup(str(element), "lxml")
    for rows in copy.select(SUMMARY_LIST):
        rows.decompose()
    return html_to_text(str(copy)) or None


def _card_of(link: Tag) -> Tag:
    """The largest element around `link` that holds no other card's link (a second link to the
    same opportunity, a "Read more", belongs to the same card)."""
    card: Tag = link
    for parent in link.parents:
        if parent.name in ("body", "html", "[document]"):
            break
        if len({str(other.get("href")) for other in parent.select(CARD_LINK)}) > 1:
            break
        card = parent
    return card


def summary_fields(container: Tag) -> dict[str, Tag]:
    """The rows of the `dl.opportunity__summary` in `container`, by lower-case label."""
    fields: dict[str, Tag] = {}
    summary = container.select_one(SUMMARY_LIST)
    if summary is None:
        return fields
    for term in summary.find_all("dt"):
        label = clean_line(term.get_text(" ")).rstrip(":").strip().lower()
        value = term.find_next_sibling("dd")
        if label and isinstance(value, Tag) and label not in fields:
            fields[label] = value
    return fields


def _text(value: Tag | None) -> str:
    return clean_line(value.get_text(" ")) if value is not None else ""


def _names(value: Tag | None) -> list[str]:
    """The names in a Funders cell: each link is one name, and so is each run of text between
    links (a funder without a page of its own, such as "UK Research and Innovation")."""
    if value is None:
        return []
    names: list[str] = []
    for part in value.children:
        if isinstance(part, PreformattedString) or (isinstance(part, Tag) and part.name in _NOT_TEXT):
            continue  # a comment, a script: no funder's name
        if isinstance(part, Tag) and part.name != "a" and part.find("a") is not None:
            names += _names(part)
            continue
        text = part.get_text(" ") if isinstance(part, Tag) else str(part)
        name = clean_line(text).strip(" ,;")
        if name and name not in names:
            names.append(name)
    return names


def _funders(fields: dict[str, Tag]) -> str:
    """ "EPSRC", or "EPSRC; co-funders: NICT" when the card has a Co-funders row."""
    funders = ", ".join(_names(fields.get("funders") or fields.get("funder")))
    co_funders = ", ".join(_names(fields.get("co-funders") or fields.get("co-funder")))
    if funders and co_funders:
        return f"{funders}; co-funders: {co_funders}"
    return funders or (f"co-funders: {co_funders}" if co_funders else "")


def _date(value: Tag | None) -> str | None:
    """The text when it has a clock time ("4:00pm UK time" is the truth); else the
    `<time datetime>` when that has one; else the text's day (midnight UK time)."""
    text = _DOTTED_CLOCK.sub(r"\1:\2\3", _text(value))
    if not text or _NO_DATE.search(text):
        return None
    from_text = to_utc_iso(text, ZONE)
    if from_text and _HAS_CLOCK.search(text):
        return from_text
    time_el = value.find("time", attrs={"datetime": True}) if value is not None else None
    stamp = time_el.get("datetime") if isinstance(time_el, Tag) else None
    if isinstance(stamp, str) and (from_text is None or _HAS_CLOCK.search(stamp)):
        return to_utc_iso(stamp, ZONE) or from_text
    return from_text


def _budget(fields: dict[str, Tag]) -> tuple[float | None, str | None]:
    """The total fund; when a card states none, the most one award can be (its Maximum award,
    or the top of its Award range): the largest sum the opportunity is known to give."""
    amount, currency = _amount(_text(fields.get("total fund")))
    if amount is not None:
        return amount, currency
    amount, currency = _amount(_text(fields.get("maximum award")))
    if amount is not None:
        return amount, currency
    top = _RANGE_SEPARATOR.split(_text(fields.get("award range")))[-1]
    return _amount(top)


def _amount(text: str) -> tuple[float | None, str | None]:
    amount, currency = parse_amount(text)
    if amount is None and re.fullmatch(r"[\d,.\s]+", text or "x"):  # a bare figure: UKRI's pounds
        amount, currency = parse_amount(f"£{text}")
    return amount, currency


def _status(value: Tag | None) -> str | None:
    """The flag (`dd > span.opportunity-status__flag`) when there is one, else the cell."""
    flag = value.find("span") if value is not None else None
    text = (_text(flag) if isinstance(flag, Tag) and _text(flag) else _text(value)).lower()
    if not text:
        return None
    for word, status in _STATUSES.items():
        if text.startswith(word):
            return status
    logger.info("unknown UKRI opportunity status %r", text)
    return None


def page_url(listing_url: str, number: int) -> str:
    """`https://www.ukri.org/opportunity/` → `.../opportunity/page/N/` (query string kept)."""
    if number <= 1:
        return listing_url
    parts = urlsplit(listing_url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit(parts._replace(path=f"{path}page/{number}/"))


def _max_pages(source: Source) -> int:
    value = source.options.get("max_pages", DEFAULT_MAX_PAGES)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ScrapeError(f"source {source.id!r}: option 'max_pages' must be a whole number ≥ 1")
    return value


def fetch(client: HttpClient, source: Source, validators: Validators) -> Listing:
    """Page 1 with a conditional GET, then pages 2, 3, ... until one is empty, 404 or the last."""
    max_pages = _max_pages(source)
    first = client.get(source.url, validators=validators)
    if first.not_modified:
        kept = Validators(
            first.validators.etag or validators.etag,
            first.validators.last_modified or validators.last_modified,
        )
        return Listing([], not_modified=True, validators=kept)
    announcements, more = _page(first.content, source, first.url, first.encoding)
    seen = {item.url for item in announcements}
    number = 2
    while announcements and more and number <= max_pages:
        url = page_url(source.url, number)
        try:
            response = client.get(url)
        except HttpStatusError as exc:
            if exc.status == 404:  # past the last page
                break
            raise ScrapeError(f"page {number} of the listing failed: {exc}") from exc
        page, more = _page(response.content, source, response.url, response.encoding)
        page = [item for item in page if item.url not in seen]
        if not page:  # an empty page, or a site that ignores /page/N/ and repeats page 1
            break
        announcements.extend(page)
        seen.update(item.url for item in page)
        number += 1
    return Listing(announcements, validators=first.validators)


def _has_next_page(soup: BeautifulSoup) -> bool:
    """False only when the page shows WordPress pagination without a "next" link."""
    if soup.select_one("a.next, a[rel~=next], link[rel~=next]") is not None:
        return True
    return soup.select_one(".page-numbers, .pagination, nav.navigation") is None


def parse_detail(
    payload: bytes, item: Announcement, *, base_url: str, encoding: str | None = None
) -> Announcement:
    """`item` with the detail page's text as body, and any summary row the card lacked."""
    soup = soup_of(payload, encoding)
    fields = summary_fields(soup)
    body = _without_title(_main_text(soup), item.title)
    if not body:
        raise ParseError(f"the opportunity page has no text ({base_url})")
    budget, currency = _budget(fields)
    changes: dict[str, object] = {"body": body}
    found: dict[str, object] = {
        "organisation": _funders(fields) or None,
        "published_at": _date(fields.get("publication date")),
        "opens_at": _date(fields.get("opening date")),
        "deadline_at": _date(fields.get("closing date")),
        "budget_amount": budget,
        "budget_currency": currency,
        "call_status": _status(fields.get("opportunity status")),
        "action_type": _text(fields.get("funding type")) or None,
    }
    for name, value in found.items():
        if value is not None and getattr(item, name) is None:
            changes[name] = value
    return dataclasses.replace(item, **changes)  # type: ignore[arg-type]


def _main_text(soup: BeautifulSoup) -> str:
    for selector in _DETAIL_CONTAINERS:
        container = soup.select_one(selector)
        if container is None:
            continue
        for chrome in container.select(", ".join(_DETAIL_CHROME)):
            chrome.decompose()
        text = html_to_text(str(container))
        if text:
            return text
    return ""


def _without_title(text: str, title: str) -> str:
    """`text` without its first paragraph when that is the record's title: the page's own
    heading, which the details pane already shows above the text (it read the title twice)."""
    first, *rest = _PARAGRAPH_BREAK.split(text, maxsplit=1)
    if clean_line(first).casefold() == clean_line(title).casefold():
        return "".join(rest).strip()
    return text


def fetch_detail(client: HttpClient, source: Source, item: Announcement) -> Announcement:
    url = item.detail_url or item.url
    response = client.get(url)
    return parse_detail(response.content, item, base_url=response.url, encoding=response.encoding)
