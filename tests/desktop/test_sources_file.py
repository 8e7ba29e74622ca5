"""Sources files: the bundled defaults load, and every mistake names the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.store import Store
from desktop.paths import resource_path
from desktop.sources_file import MAX_SOURCES, SourcesFileError, load_sources, source_row
from scrapers.kinds import KIND_NAMES, get_kind
from scrapers.model import Source


def test_default_sources_cover_the_design() -> None:
    sources = load_sources(resource_path("sources.toml"))
    ids = {s.id for s in sources}
    assert {
        "govuk-dsit-aisi-news",
        "govuk-ai-policy",
        "ukri-opportunities",
        "ukri-news",
        "eu-funding-calls",
        "ec-presscorner",
        "digital-strategy-news",
        "eurohpc-news",
        "europarl-press",
    } <= ids
    assert {s.jurisdiction for s in sources} == {"EU", "UK"}
    for source in sources:
        assert source.kind in KIND_NAMES
        assert source.url.startswith("https://")
        get_kind(source.kind)  # every kind named by a default source exists


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
[[source]]
id = "a"
name = "A"
kind = "feed"
url = "https://example.org/feed.xml"
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[source]\nid = 1", "not valid TOML"),
        ("title = 'nothing here'", "no [[source]] entries"),
        (GOOD + GOOD, "used twice"),
        (
            GOOD + '\n[[source]]\nid = "b"\nname = "B"\nkind = "carrier_pigeon"\nurl = "https://x.org"\n',
            "line 8: source 'b' has unknown kind 'carrier_pigeon'",
        ),
        (
            '[[source]]\nid = "c"\nname = "C"\nkind = "feed"\nurl = "file:///etc/passwd"\n',
            "line 1: source 'c' url must be http or https",
        ),
        (
            '[[source]]\nid = "d"\nname = "D"\nkind = "html_list"\nurl = "https://x.org"\n',
            "needs a [source.selectors] table",
        ),
        (
            '[[source]]\nid = "Bad Id"\nname = "E"\nkind = "feed"\nurl = "https://x.org"\n',
            "must be lowercase",
        ),
        ('[[source]]\nid = "f"\nkind = "feed"\nurl = "https://x.org"\n', "needs a text value for 'name'"),
        (GOOD.replace('url = "https', 'category = "gossip"\nurl = "https'), "category 'gossip'"),
        (
            '[[source]]\nid = "g"\nname = "G"\nkind = "feed"\nurl = "https://x.org"\n'
            'user_agent = "Mozilla/5.0\\r\\nX-Injected: 1"\n',
            "line 1: source 'g': option 'user_agent' must be one line of plain text",
        ),
        (
            '[[source]]\nid = "h"\nname = "H"\nkind = "feed"\nurl = "https://x.org"\nuser_agent = 7\n',
            "option 'user_agent' must be a non-empty text",
        ),
    ],
)
def test_bad_sources_file_says_what_and_where(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SourcesFileError) as raised:
        load_sources(path)
    assert str(path) in str(raised.value)
    assert expected in str(raised.value)


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="no such sources file"):
        load_sources(tmp_path / "absent.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SourcesFileError, match="cannot read it"):
        load_sources(binary)


def test_a_huge_number_of_sources_is_refused(tmp_path: Path) -> None:
    many = "".join(GOOD.replace('"a"', f'"s{i}"') for i in range(MAX_SOURCES + 1))
    with pytest.raises(SourcesFileError, match=f"at most {MAX_SOURCES}"):
        load_sources(_write(tmp_path, many))


def test_kind_specific_keys_become_options(tmp_path: Path) -> None:
    text = """
[[source]]
id = "ecl"
name = "Europa listing"
kind = "html_list"
url = "https://commission.europa.eu/news_en"
jurisdiction = "EU"
max_pages = 2

[source.selectors]
item = "article.ecl-content-item"
title = ".ecl-content-block__title a"
link = ".ecl-content-block__title a"
"""
    (source,) = load_sources(_write(tmp_path, text))
    assert source.options == {
        "max_pages": 2,
        "selectors": {
            "item": "article.ecl-content-item",
            "title": ".ecl-content-block__title a",
            "link": ".ecl-content-block__title a",
        },
    }
    assert source.enabled and source.category == "other"


def test_html_list_needs_item_and_link_but_not_title(tmp_path: Path) -> None:
    base = '[[source]]\nid = "p"\nname = "P"\nkind = "html_list"\nurl = "https://x.org"\n[source.selectors]\n'
    (source,) = load_sources(_write(tmp_path, base + 'item = "li"\nlink = "a"\n'))
    assert source.options["selectors"] == {"item": "li", "link": "a"}
    with pytest.raises(SourcesFileError, match="needs a CSS selector for 'link'"):
        load_sources(_write(tmp_path, base + 'item = "li"\ntitle = "a"\n'))


def test_only_the_parliament_feed_asks_for_a_browser_user_agent() -> None:
    """The Parliament's feeds refuse clients that do not look like a browser (docs/SOURCES.md);
    every other default source is sent the app's own User-Agent."""
    agents = {s.id: s.options.get("user_agent") for s in load_sources(resource_path("sources.toml"))}
    assert str(agents.pop("europarl-press")).startswith("Mozilla/5.0 (")
    assert set(agents.values()) == {None}


def test_a_source_row_stores_every_configured_field(tmp_path: Path) -> None:
    source = Source(
        id="s1",
        name="Some news",
        kind="html_list",
        url="https://example.org/news",
        jurisdiction="UK",
        category="news",
        enabled=False,
        options={"selectors": {"item": "li", "link": "a"}},
    )
    with Store.open(tmp_path / "tracker.sqlite3") as store:
        store.sync_sources([source_row(source)])
        (row,) = store.source_rows()
    assert {
        k: row[k] for k in ("id", "name", "kind", "url", "jurisdiction", "category", "enabled", "config")
    } == {
        "id": "s1",
        "name": "Some news",
        "kind": "html_list",
        "url": "https://example.org/news",
        "jurisdiction": "UK",
        "category": "news",
        "enabled": False,
        "config": {"selectors": {"item": "li", "link": "a"}},
    }
