"""A sources file with hostile values (tests/trust/README.md, "Hostile input"): `file:` addresses in every
option that builds an address, links to local files in the pages, selectors that are not CSS.

tests/desktop/test_sources_file.py refuses a `file:` source URL and a huge number of sources at
load time; here the values that pass the loader go through a whole refresh while an audit hook
watches the process: no local file outside the store is opened, no connection leaves the
machine, every source says plainly what was wrong, and no record points at a local file.
"""

from __future__ import annotations

import socket
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from db.store import Store
from desktop.refresh import refresh
from desktop.sources_file import load_sources
from desktop.sources_writer import write_sources
from scrapers.http import HttpClient
from scrapers.model import Source
from tests.fakeweb import FakeWeb


class _Watch:
    """An audit hook (it cannot be removed, so it acts only while armed)."""

    def __init__(self) -> None:
        self.armed = False
        self.secret = ""
        self.opened: list[str] = []
        self.outside: list[Any] = []

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.armed:
            return
        if event == "open" and isinstance(args[0], str | bytes | Path) and self.secret in str(args[0]):
            self.opened.append(str(args[0]))
        elif event in ("socket.connect", "socket.getaddrinfo"):
            address = args[1] if event == "socket.connect" else args
            host = address[0] if isinstance(address, tuple) and address else address
            if str(host) not in ("127.0.0.1", "localhost", "::1"):
                self.outside.append(address)
                raise PermissionError(f"the test refuses a connection to {host}")


WATCH = _Watch()
sys.addaudithook(WATCH)

HTML_PAGE = """<html><head><base href="file:///"></head><body><ul class="news">
<li><a href="file://{secret}">Local file</a></li>
<li><a href="javascript:fetch('file://{secret}')">Script</a></li>
<li><a href="/news/fine">A fine item</a><img src="file://{secret}"></li>
<li><iframe src="file://{secret}"></iframe><a href="https://example.org/other">Other</a></li>
</ul></body></html>"""
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>file://{secret}</link>
<description>d</description>
<item><title>Local</title><link>file://{secret}</link></item>
<item><title>Fine</title><link>https://example.org/feed-item</link>
<enclosure url="file://{secret}" type="text/plain" length="1"/></item>
</channel></rss>"""


def _hostile(sources: list[Source], secret: str) -> list[Source]:
    """Every option that makes an address now points at the local file."""
    local = f"file://{secret}"
    changed = {
        "ec-presscorner": {"documents_url": local, "human_url_template": local + "?{ref}"},
        "eu-funding-calls": {"detail_url_template": local + "?{identifier}", "human_url_template": local},
        "govuk-dsit-aisi-news": {"content_api": local, "site_url": local},
    }
    return [replace(s, options={**s.options, **changed.get(s.id, {})}) for s in sources]


def test_hostile_values_read_no_local_file_and_say_what_is_wrong(
    web: FakeWeb, local_sources: Path, tmp_path: Path, figures: Counter[str]
) -> None:
    secret_file = tmp_path / "secret-token.txt"
    secret_file.write_text("TOP SECRET", encoding="utf-8")
    secret = str(secret_file)
    html_url, feed_url = "https://hostile.example/news", "https://hostile-feed.example/feed.xml"
    web.serve(html_url, HTML_PAGE.format(secret=secret), "text/html")
    web.serve(feed_url, FEED.format(secret=secret), "application/rss+xml")
    extra = [
        Source(
            id="links-to-files",
            name="Links",
            kind="html_list",
            url=web.local(html_url),
            options={"selectors": {"item": "ul.news li", "title": "a", "link": "a"}},
        ),
        Source(
            id="not-css",
            name="Not CSS",
            kind="html_list",
            url=web.local(html_url),
            options={"selectors": {"item": "<<<>>>", "title": "a", "link": "a"}},
        ),
        Source(
            id="nested-has",
            name="Nested",
            kind="html_list",
            url=web.local(html_url),
            options={"selectors": {"item": "a:has(> b:has(> c))", "title": "a", "link": "a"}},
        ),
        Source(id="feed-file-links", name="Feed", kind="feed", url=web.local(feed_url)),
    ]
    sources = _hostile(load_sources(local_sources), secret) + extra
    path = tmp_path / "hostile.toml"
    write_sources(path, sources)  # what a user could write by hand: the loader accepts it
    loaded = load_sources(path)

    db = tmp_path / "tracker.sqlite3"
    WATCH.secret, WATCH.opened, WATCH.outside = "secret-token", [], []
    WATCH.armed = True
    try:
        summary = refresh(db, loaded, client=HttpClient(per_host_delay=0), workers=4)
    finally:
        WATCH.armed = False
    assert WATCH.opened == [], "a local file was opened"
    assert WATCH.outside == [], "a connection left the machine"

    outcomes = {o.source_id: o for o in summary.outcomes}
    assert "selector 'item' is not valid CSS ('<<<>>>'" in (outcomes["not-css"].error or "")
    assert "selector 'item' is not valid CSS" in (outcomes["nested-has"].error or "")
    for source_id, key in (
        ("ec-presscorner", "documents_url"),
        ("eu-funding-calls", "detail_url_template"),
        ("govuk-dsit-aisi-news", "site_url"),
    ):
        error = outcomes[source_id].error or ""
        assert f"option {key!r} must be an http or https address: 'file://" in error, outcomes[source_id]
    for source_id in ("links-to-files", "feed-file-links", "ukri-news"):
        assert outcomes[source_id].ok, outcomes[source_id]
    with Store.open(db) as store:
        urls = [r[0] for r in store.db.conn.execute("SELECT url FROM records")]
        texts = " ".join(str(v) for row in store.db.conn.execute("SELECT * FROM records") for v in row)
    assert urls and all(u.startswith(("http://", "https://")) for u in urls), [
        u for u in urls if not u.startswith("http")
    ]
    assert "TOP SECRET" not in texts
    assert "https://example.org/other" in urls and "https://example.org/feed-item" in urls
    figures["hostile sources-file values refused"] += 3 + 3 + 2  # option addresses, links, selectors


@pytest.mark.parametrize(
    "url",
    [
        "FILE:///etc/passwd",
        "file:/etc/passwd",
        "//etc/passwd",
        "javascript:alert(1)",
        "http:///etc/passwd",
        "ftp://127.0.0.1/x",
        "data:text/plain,hi",
        "gopher://127.0.0.1/",
    ],
)
def test_source_addresses_that_are_not_web_addresses_are_refused_at_load(tmp_path: Path, url: str) -> None:
    from desktop.sources_file import SourcesFileError

    path = tmp_path / "sources.toml"
    path.write_text(f'[[source]]\nid = "a"\nname = "A"\nkind = "feed"\nurl = "{url}"\n', encoding="utf-8")
    with pytest.raises(SourcesFileError, match="url must be http or https"):
        load_sources(path)


def test_watch_sees_what_it_must(tmp_path: Path) -> None:
    """The audit hook itself: it notices a read of the secret and refuses a remote address."""
    secret = tmp_path / "secret-token.txt"
    secret.write_text("x", encoding="utf-8")
    WATCH.secret, WATCH.opened, WATCH.outside = "secret-token", [], []
    WATCH.armed = True
    try:
        secret.read_text(encoding="utf-8")
        with pytest.raises(PermissionError):
            socket.getaddrinfo("example.org", 443)
    finally:
        WATCH.armed = False
    assert WATCH.opened and WATCH.outside
