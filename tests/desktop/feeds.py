"""Constructed RSS feeds served by a local HTTP server, and a sources file pointing at them."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from pytest_httpserver import HTTPServer

from desktop.sources_writer import write_sources
from scrapers.model import Source

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{name}</title><link>https://example.org/</link>
<description>d</description>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>https://example.org/{slug}/{n}</link>
<description>About {title}</description><pubDate>{date}</pubDate>
<guid>https://example.org/{slug}/{n}</guid></item>"""


def feed(slug: str, titles: list[str]) -> str:
    """A feed of items titled `titles`, published now (newer than any stored record)."""
    now = format_datetime(datetime.now(UTC), usegmt=True)
    items = "\n".join(ITEM.format(title=t, slug=slug, n=n, date=now) for n, t in enumerate(titles))
    return RSS.format(name=slug, items=items)


def serve_feed(server: HTTPServer, path: str, slug: str, titles: list[str]) -> None:
    server.expect_request(path).respond_with_data(feed(slug, titles), content_type="application/rss+xml")


def sources_file(tmp_path: Path, server: HTTPServer, paths: dict[str, str]) -> Path:
    """A sources file with one feed source per {id: path on `server`}."""
    path = tmp_path / "sources.toml"
    write_sources(
        path,
        [
            Source(
                id=sid,
                name=f"Feed {sid}",
                kind="feed",
                url=server.url_for(p),
                jurisdiction="EU",
                category="press",
            )
            for sid, p in paths.items()
        ],
    )
    return path
