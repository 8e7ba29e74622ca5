"""Kind `feed`: RSS 2.0, Atom and RDF feeds, fetched by our client and read by feedparser.

feedparser never touches the network or the disk here (docs/ARCHITECTURE.md): it gets bytes that we have
already decoded to UTF-8, checked for entity declarations and for being an HTML page.

Options: `user_agent`: a User-Agent header for hosts that refuse ours (docs/SOURCES.md: the
European Parliament's feeds); robots.txt is still read and obeyed as PolicyTracker.
"""

from __future__ import annotations

import calendar
import io
import logging
import re
import time
from datetime import UTC, datetime
from html.entities import name2codepoint
from typing import Any
from xml.etree import ElementTree

import feedparser  # type: ignore[import-untyped]
from bs4 import BeautifulSoup
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from scrapers.dates import to_utc_iso, utc_iso
from scrapers.http import HttpClient
from scrapers.markup import decode_markup
from scrapers.model import Announcement, Listing, ParseError, Source, Validators
from scrapers.options import user_agent_option
from scrapers.text import clean_line, html_to_text, safe_link

logger = logging.getLogger(__name__)

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.I)
_FEED_ROOT = re.compile(r"<(?:[\w.-]+:)?(?:rss|feed|rdf)\b", re.I)
_LEADING_NOISE = re.compile(r"^(?:\s+|<\?[^>]*\?>|<!--.*?-->)*", re.S)
_HTML_START = re.compile(r"<!DOCTYPE\s+html\b|<html\b|<head\b|<body\b", re.I)
_VERBATIM_START = re.compile(r"<!--|<!\[CDATA\[")
_VERBATIM_END = {"<!--": "-->", "<![CDATA[": "]]>"}
_REFERENCE = re.compile(r"&(?:(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)?")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_CLOSED_ENTRY = re.compile(r"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.I)
_TITLE_FROM_SUMMARY = 150


def fetch(client: HttpClient, source: Source, validators: Validators) -> Listing:
    headers = {"Accept": ACCEPT}
    if user_agent := user_agent_option(source):
        headers["User-Agent"] = user_agent
    response = client.get(source.url, headers=headers, validators=validators)
    if response.not_modified:
        kept = Validators(
            response.validators.etag or validators.etag,
            response.validators.last_modified or validators.last_modified,
        )
        return Listing([], not_modified=True, validators=kept)
    announcements = parse(response.content, source, base_url=response.url, encoding=response.encoding)
    return Listing(announcements, validators=response.validators)


def parse(
    payload: bytes, source: Source, *, base_url: str, encoding: str | None = None
) -> list[Announcement]:
    if not payload.strip():
        raise ParseError("the feed is empty")
    text = decode_markup(payload, encoding).lstrip("\ufeff").replace("\x00", "")
    if _looks_like_html(text):
        raise ParseError("not a feed (got an HTML page)")
    document = _XML_DECLARATION.sub("", text, count=1)
    data = ('<?xml version="1.0" encoding="utf-8"?>\n' + document.lstrip()).encode("utf-8", errors="replace")
    _refuse_entity_declarations(data)
    data = _repair_references(data.decode("utf-8")).encode("utf-8")
    try:
        # A stream, never bytes: feedparser tries `open()` on bytes or text as a file name first.
        parsed = feedparser.parse(
            io.BytesIO(data),
            response_headers={"content-type": "application/xml; charset=utf-8"},
            sanitize_html=False,  # we keep only plain text; raw HTML keeps `<time datetime>`
            # Links inside the HTML are never kept (only plain text is), and feedparser's pass
            # over every description to rewrite them is its slowest: 12 s for an 11 MB one.
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser on hostile bytes: an unreadable feed, never a crash
        raise ParseError(f"the feed could not be read ({exc.__class__.__name__})") from exc
    entries = list(parsed.entries)
    problem = parsed.get("bozo_exception") if parsed.bozo else None
    if not parsed.version and not entries:
        if problem is not None:
            raise ParseError(f"not a feed (the XML could not be read: {_short(problem)})")
        raise ParseError("not a feed (no RSS, Atom or RDF content found)")
    if problem is not None:
        entries = _complete_entries(entries, document)
        if not entries:
            raise ParseError(f"the feed is malformed and no entry could be read ({_short(problem)})")
        logger.info("%s: malformed feed (%s), kept %d entries", source.id, problem, len(entries))
    announcements: list[Announcement] = []
    seen: set[str] = set()
    for entry in entries:
        announcement = _announcement(entry, source, base_url)
        if announcement is None:
            continue
        keys = {announcement.url} | ({announcement.identifier} if announcement.identifier else set())
        if keys & seen:
            continue
        seen |= keys
        announcements.append(announcement)
    return announcements


def _refuse_entity_declarations(data: bytes) -> None:
    """Refuse a feed that declares entities: billion laughs, quadratic blow-up and external
    entities (to a file or a host) all need one, and no real feed does.

    Two looks: any `<!ENTITY` before the feed's root element, however the prolog is broken or
    disguised; and expat itself (through defusedxml), which sees declarations exactly as
    feedparser's own expat pass would.
    """
    reason = "the feed declares XML entities, which feeds never need and attacks do: refused"
    text = data.decode("utf-8", errors="replace")
    root = _FEED_ROOT.search(text)
    if _ENTITY_DECLARATION.search(text, 0, root.start() if root else len(text)):
        raise ParseError(reason)
    try:
        defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ParseError(reason) from exc
    except (ElementTree.ParseError, ValueError, RecursionError):
        pass  # malformed: feedparser copes, or says so


def _repair_references(document: str) -> str:
    """Make the commonest breakage well-formed, so feedparser's strict pass reads the feed:
    a bare `&` ("R&D") and HTML-only entities (`&nbsp;`, `&eacute;`) outside CDATA and comments.

    One pass with `find` (linear): a lazy regex for `<!--.*?-->` rescans the rest of the
    document from every unclosed `<!--`, which 400,000 of them after a bare `&` turn into hours.
    An unclosed comment or CDATA section runs to the end, as it does for an XML parser.
    """
    if "&" not in document:
        return document
    parts: list[str] = []
    position = 0
    while True:
        start = _VERBATIM_START.search(document, position)
        if start is None:
            parts.append(_REFERENCE.sub(_repaired, document[position:]))
            return "".join(parts)
        parts.append(_REFERENCE.sub(_repaired, document[position : start.start()]))
        end = document.find(_VERBATIM_END[start.group()], start.end())
        if end < 0:
            parts.append(document[start.start() :])
            return "".join(parts)
        position = end + len(_VERBATIM_END[start.group()])
        parts.append(document[start.start() : position])


def _repaired(match: re.Match[str]) -> str:
    name = match.group(1)
    if name is None:  # a bare ampersand
        return "&amp;"
    if name.startswith("#") or name in _XML_ENTITIES:
        return match.group(0)
    codepoint = name2codepoint.get(name)
    return f"&#{codepoint};" if codepoint is not None else f"&amp;{name};"


def _looks_like_html(text: str) -> bool:
    start = _LEADING_NOISE.match(text)
    head = text[start.end() if start else 0 :][:512]
    return _HTML_START.match(head) is not None


def _complete_entries(entries: list[Any], document: str) -> list[Any]:
    """In a broken feed, drop entries whose closing tag never came (a truncated download)."""
    closed = len(_CLOSED_ENTRY.findall(document))
    return entries[:closed]


def _announcement(entry: Any, source: Source, base_url: str) -> Announcement | None:
    identifier = clean_line(entry.get("id")) or None
    link = entry.get("link")
    if link and link == entry.get("id") and not _is_web_address(link):
        link = None  # feedparser copies a permalink guid into `link`: "48321 at https://..." is none
    url = safe_link(link, base_url) if link else None
    if url is None and identifier and _is_web_address(identifier):
        url = identifier
    if url is None:
        logger.debug("%s: entry without a web link skipped (%r)", source.id, entry.get("link"))
        return None
    summary_html, summary = _text_of(entry.get("summary_detail"), entry.get("summary"))
    body_html, body = _content(entry)
    title = _title(entry)
    if not title:
        first_line = (summary or body or "").split("\n", 1)[0]
        title = first_line[:_TITLE_FROM_SUMMARY].rstrip()
    if not title:
        return None
    updated = _feed_date(entry, "updated")
    published = (
        _feed_date(entry, "published") or _time_element(summary_html) or _time_element(body_html) or updated
    )
    return Announcement(
        url=url,
        title=title,
        summary=summary or None,
        body=body or None,
        category=source.category,
        jurisdiction=source.jurisdiction or None,
        organisation=source.organisation or None,
        identifier=identifier,
        published_at=published,
        updated_at=updated,
    )


def _is_web_address(value: str) -> bool:
    return (
        value.lower().startswith(("http://", "https://"))
        and not any(ch.isspace() for ch in value)
        and safe_link(value) == value
    )


def _title(entry: Any) -> str:
    detail = entry.get("title_detail") or {}
    raw = entry.get("title") or ""
    if "html" in (detail.get("type") or ""):
        return clean_line(html_to_text(raw))
    return clean_line(raw)


def _text_of(detail: Any, value: Any) -> tuple[str, str]:
    """(the raw HTML, or "" for plain text; the plain text)."""
    if not value or not isinstance(value, str):
        return "", ""
    kind = (detail or {}).get("type") or "text/html"
    if "html" in kind:
        return value, html_to_text(value)
    lines = (" ".join(line.split()) for line in value.splitlines())
    return "", re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _content(entry: Any) -> tuple[str, str]:
    """The entry's full content (WordPress `content:encoded`, Atom `content`), if any."""
    for content in entry.get("content") or []:
        raw, text = _text_of(content, content.get("value"))
        if text:
            return raw, text
    return "", ""


def _feed_date(entry: Any, name: str) -> str | None:
    # dict.get, not entry.get: feedparser answers "updated" with the published date otherwise.
    parsed = dict.get(entry, f"{name}_parsed")
    raw = dict.get(entry, name)
    if isinstance(parsed, time.struct_time) and parsed.tm_year > 0:
        try:
            stamp = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
        except (OverflowError, ValueError, OSError):
            stamp = None
        if stamp is not None:  # feedparser reads year 99999 as 9999: refused by the range
            return utc_iso(stamp, raw)
    return to_utc_iso(raw) if isinstance(raw, str) else None


def _time_element(html: str) -> str | None:
    """`<time datetime="...">` inside a description: EC Drupal feeds date items only there."""
    if not html or "<time" not in html.lower():
        return None
    element = BeautifulSoup(html, "lxml").find("time", attrs={"datetime": True})
    stamp = element.get("datetime") if element is not None else None
    return to_utc_iso(stamp) if isinstance(stamp, str) else None


def _short(problem: object) -> str:
    text = str(problem) or problem.__class__.__name__
    return text if len(text) < 160 else text[:160] + "…"
