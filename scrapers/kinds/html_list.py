"""Kind `html_list`: any listing page read with the CSS selectors of its source definition.

The selectors are the `[source.selectors]` table of the sources file (docs/SOURCES.md):
`item` matches each entry of the listing; inside an item, `link` is the element whose `href`
(resolved against the page URL) is the entry's address, `title` its title (default: the link's
text), `date` its date (several matches are tried in turn; a `<time datetime>` wins) and
`summary` its teaser. Option `timezone` (default UTC) is the zone of dates the page writes
without one.
"""

from __future__ import annotations

from typing import Any

import soupsieve
from bs4 import Tag

from scrapers.dates import to_utc_iso
from scrapers.http import HttpClient
from scrapers.markup import soup_of
from scrapers.model import Announcement, Listing, ScrapeError, Source, Validators
from scrapers.text import clean_line, html_to_text, safe_link

REQUIRED_SELECTORS = ("item", "link")
OPTIONAL_SELECTORS = ("title", "date", "summary")


def selectors_of(source: Source) -> dict[str, Any]:
    """The source's compiled selectors; ScrapeError naming the source and key when one is wrong."""
    raw = source.options.get("selectors")
    if raw is None:
        raise ScrapeError(
            f"source {source.id!r}: the 'selectors' table is missing "
            f"(needed: {', '.join(REQUIRED_SELECTORS)}; optional: {', '.join(OPTIONAL_SELECTORS)})"
        )
    if not isinstance(raw, dict):
        raise ScrapeError(f"source {source.id!r}: 'selectors' must be a table of CSS selectors")
    unknown = sorted(map(str, set(raw) - set(REQUIRED_SELECTORS) - set(OPTIONAL_SELECTORS)))
    if unknown:
        raise ScrapeError(
            f"source {source.id!r}: unknown selector key {unknown[0]!r} "
            f"(known: {', '.join(REQUIRED_SELECTORS + OPTIONAL_SELECTORS)})"
        )
    compiled: dict[str, Any] = {}
    for key in REQUIRED_SELECTORS + OPTIONAL_SELECTORS:
        value = raw.get(key)
        if value is None:
            if key in REQUIRED_SELECTORS:
                raise ScrapeError(f"source {source.id!r}: selector {key!r} is missing")
            continue
        if not isinstance(value, str) or not value.strip():
            raise ScrapeError(f"source {source.id!r}: selector {key!r} must be a non-empty text")
        try:
            compiled[key] = soupsieve.compile(value)
        except soupsieve.SelectorSyntaxError as exc:
            reason = str(exc).splitlines()[0]
            raise ScrapeError(
                f"source {source.id!r}: selector {key!r} is not valid CSS ({value!r}: {reason})"
            ) from exc
        except (ValueError, TypeError, RecursionError) as exc:
            raise ScrapeError(f"source {source.id!r}: selector {key!r} is not valid CSS ({value!r})") from exc
    return compiled


def _zone_of(source: Source) -> str:
    zone = source.options.get("timezone", "UTC")
    if not isinstance(zone, str):
        raise ScrapeError(f"source {source.id!r}: option 'timezone' must be a zone name")
    try:
        to_utc_iso("2000-01-01", zone)
    except (KeyError, ValueError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ScrapeError(f"source {source.id!r}: option 'timezone' is not a known zone ({zone!r})") from exc
    return zone


def parse(
    payload: bytes, source: Source, *, base_url: str, encoding: str | None = None
) -> list[Announcement]:
    selectors = selectors_of(source)
    zone = _zone_of(source)
    soup = soup_of(payload, encoding)
    announcements: list[Announcement] = []
    seen: set[str] = set()
    for item in selectors["item"].select(soup):
        announcement = _announcement(item, selectors, source, base_url, zone)
        if announcement is None or announcement.url in seen:
            continue
        seen.add(announcement.url)
        announcements.append(announcement)
    return announcements


def _announcement(
    item: Tag, selectors: dict[str, Any], source: Source, base_url: str, zone: str
) -> Announcement | None:
    link_el = selectors["link"].select_one(item)
    url = _href(link_el, base_url)
    if url is None:  # no link, or javascript:/file:/data: — nothing safe to point at
        return None
    title_el = selectors["title"].select_one(item) if "title" in selectors else link_el
    title = clean_line(title_el.get_text(" ")) if title_el is not None else ""
    if not title and link_el is not None:
        title = clean_line(link_el.get_text(" "))
    if not title:
        return None
    summary = None
    summary_el = selectors["summary"].select_one(item) if "summary" in selectors else None
    if summary_el is not None:
        summary = html_to_text(str(summary_el)) or None
    published = _date(selectors["date"].select(item), zone) if "date" in selectors else None
    return Announcement(
        url=url,
        title=title,
        summary=summary,
        category=source.category,
        jurisdiction=source.jurisdiction or None,
        organisation=source.organisation or None,
        published_at=published,
    )


def _href(element: Tag | None, base_url: str) -> str | None:
    if element is None:
        return None
    href = element.get("href")
    if not href:  # the selector picked a wrapper: take the first link inside it
        inner = element.find("a", href=True)
        href = inner.get("href") if isinstance(inner, Tag) else None
    if not isinstance(href, str):
        return None
    return safe_link(href, base_url)


def _date(elements: list[Tag], zone: str) -> str | None:
    """The first element that holds a date: its `<time datetime>`, else its text."""
    for element in elements:
        time_el = element if element.name == "time" else element.find("time")
        if isinstance(time_el, Tag):
            stamp = time_el.get("datetime")
            if isinstance(stamp, str) and (value := to_utc_iso(stamp, zone)):
                return value
        if value := to_utc_iso(clean_line(element.get_text(" ")), zone):
            return value
    return None


def fetch(client: HttpClient, source: Source, validators: Validators) -> Listing:
    selectors_of(source)  # a broken definition fails before any request
    _zone_of(source)
    response = client.get(source.url, validators=validators)
    if response.not_modified:
        return Listing([], not_modified=True, validators=_kept(response.validators, validators))
    announcements = parse(response.content, source, base_url=response.url, encoding=response.encoding)
    return Listing(announcements, validators=response.validators)


def _kept(new: Validators, old: Validators) -> Validators:
    """A 304 may omit the validators: keep the ones that still describe our copy."""
    return Validators(new.etag or old.etag, new.last_modified or old.last_modified)
