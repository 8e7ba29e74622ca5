"""OPML, the list of feeds every feed reader imports and exports: read one into new `feed`
sources, write the feed sources out as one (docs/SOURCES.md, "OPML").

An OPML file comes from elsewhere, so it is read as hostile: at most `MAX_BYTES`, no DTD at all
(which refuses entity expansion, "billion laughs", and external entities before any is read),
the root must be `<opml>`, and each feed's address must be http or https. A file that fails any
of these is an `OpmlError` and nothing is imported; one outline that is no usable feed is
skipped and counted. Addresses already among the sources are skipped, so importing the same
file twice adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from xml.etree.ElementTree import Element, ParseError, SubElement, indent, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from db.atomic_file import replace_with, temporary_beside
from desktop.sources_file import MAX_SOURCES
from desktop.sources_writer import unique_id
from scrapers.model import Source

MAX_BYTES = 5 * 1024 * 1024  # a reader's export of a thousand feeds is a few hundred kB
FEED_KINDS = ("feed",)  # the kinds an OPML file can carry: RSS and Atom feeds
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class OpmlError(Exception):
    """An OPML file that cannot be used at all; the message says which file and why."""


@dataclass(frozen=True)
class OpmlFeed:
    """One feed outline (folders are flattened: a source has no folder)."""

    name: str
    url: str
    enabled: bool = True  # our own export marks a switched-off source isDisabled="true"


@dataclass(frozen=True)
class OpmlRead:
    """The feeds of a file, and how many outlines with an address could not be used."""

    feeds: tuple[OpmlFeed, ...]
    unusable: int = 0


@dataclass(frozen=True)
class OpmlImport:
    """What an import does to the sources: the list to save, and what to tell the user."""

    sources: list[Source]
    added: tuple[Source, ...]
    duplicates: int
    unusable: int

    def text(self) -> str:
        parts = [f"{len(self.added)} feed{'s' if len(self.added) != 1 else ''} added"]
        if self.duplicates:
            parts.append(f"{self.duplicates} skipped (already among the sources)")
        if self.unusable:
            parts.append(f"{self.unusable} skipped (no http or https address)")
        return ", ".join(parts)


def read_opml(path: Path) -> OpmlRead:
    """The feeds in the OPML file at `path`; `OpmlError` when it is not one we can trust."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise OpmlError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise OpmlError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB: not a list of feeds")
    return parse_opml(data, str(path))


def parse_opml(data: bytes, where: str = "the OPML file") -> OpmlRead:
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise OpmlError(
            f"{where}: declares a DTD or entities, which an OPML file never needs: refused"
        ) from None
    except (ParseError, ValueError) as exc:
        raise OpmlError(f"{where}: not valid XML ({exc})") from None
    if root.tag != "opml":
        raise OpmlError(f"{where}: the root element is <{_tag(root.tag)}>, not <opml>: not an OPML file")
    body = root.find("body")
    if body is None:
        raise OpmlError(f"{where}: has no <body>: not an OPML file")
    feeds: list[OpmlFeed] = []
    unusable = 0
    pending: list[Element] = list(reversed(body))
    while pending:  # a loop, not recursion: folders nested 100,000 deep cost nothing
        outline = pending.pop()
        if outline.tag != "outline":
            continue
        name = _clean(outline.get("title") or outline.get("text") or "")
        address = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if address:
            if _web_address(address):
                enabled = outline.get("isDisabled", "").strip().lower() != "true"
                feeds.append(OpmlFeed(name or address, address, enabled))
            else:
                unusable += 1
        pending.extend(reversed(outline))
    return OpmlRead(tuple(feeds), unusable)


def import_feeds(current: Sequence[Source], read: OpmlRead, *, jurisdiction: str = "") -> OpmlImport:
    """`current` with the file's feeds appended as `feed` sources; a feed whose address is
    already a source's (or came earlier in the file) is skipped, as is one past MAX_SOURCES."""
    known = {same_address(s.url) for s in current}
    taken = {s.id for s in current}
    added: list[Source] = []
    duplicates = 0
    for feed in read.feeds:
        key = same_address(feed.url)
        if key in known:
            duplicates += 1
            continue
        if len(current) + len(added) >= MAX_SOURCES:
            raise OpmlError(
                f"importing would make more than {MAX_SOURCES} sources, the most a sources file may "
                "hold; nothing was imported"
            )
        source = Source(
            id=unique_id(feed.name, taken),
            name=feed.name,
            kind="feed",
            url=feed.url,
            jurisdiction=jurisdiction,
            category="press",
            enabled=feed.enabled,
        )
        known.add(key)
        taken.add(source.id)
        added.append(source)
    return OpmlImport([*current, *added], tuple(added), duplicates, read.unusable)


def opml_text(sources: Sequence[Source], *, now: datetime | None = None) -> str:
    """The feed sources as OPML 2.0 (the other kinds are the app's own: no reader knows them)."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = "Policy Tracker feeds"
    SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC), usegmt=True)
    body = SubElement(root, "body")
    for source in feed_sources(sources):
        attributes = {"type": "rss", "text": source.name, "title": source.name, "xmlUrl": source.url}
        if not source.enabled:
            attributes["isDisabled"] = "true"  # ours; readers ignore attributes they do not know
        SubElement(body, "outline", attributes)
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def feed_sources(sources: Sequence[Source]) -> list[Source]:
    return [s for s in sources if s.kind in FEED_KINDS]


def write_opml(path: Path, sources: Sequence[Source]) -> int:
    """Write the feed sources to `path` (atomically: a file half-written is never left);
    returns how many were written."""
    text = opml_text(sources)
    with temporary_beside(path, suffix=".opml") as temporary:
        temporary.write_text(text, encoding="utf-8")
        replace_with(temporary, path)
    return len(feed_sources(sources))


def same_address(url: str) -> str:
    """An address as compared for duplicates: scheme and host in lower case, no fragment, no
    trailing slash ("https://EU.example/feed/" and "https://eu.example/feed" are one feed)."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def _web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (reading it checks the port)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not _CONTROLS.search(url)


def _clean(text: str) -> str:
    """A name as a source may carry it: one line, no control characters, not endless."""
    return " ".join(_CONTROLS.sub(" ", text).split())[:200]


def _tag(tag: str) -> str:
    return _CONTROLS.sub("", tag.rpartition("}")[2])[:40]
