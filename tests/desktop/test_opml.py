"""OPML in and out: feed readers' real exports, a round trip, hostile files refused with nothing
changed, duplicates skipped and counted, and the `sources --import-opml/--export-opml` command."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop.opml import (
    MAX_BYTES,
    OpmlError,
    import_feeds,
    opml_text,
    parse_opml,
    read_opml,
    same_address,
    write_opml,
)
from desktop.sources_file import MAX_SOURCES, load_sources
from desktop.sources_writer import write_sources
from scrapers.model import Source
from tests.cli_run import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "opml"
CAPTURED = FIXTURES / "captured"
CONSTRUCTED = FIXTURES / "constructed"


def feed(source_id: str, url: str, *, enabled: bool = True) -> Source:
    return Source(id=source_id, name=source_id.title(), kind="feed", url=url, enabled=enabled)


def test_a_feed_readers_own_list_is_read_whole() -> None:
    read = read_opml(CAPTURED / "netnewswire-default-feeds.opml")
    assert len(read.feeds) == 16 and read.unusable == 0
    assert read.feeds[0].name == "inessential.com" and read.feeds[0].url == "http://inessential.com/feed.json"
    assert read.feeds[-1].url == "https://xcoders.org/feed.json"


def test_folders_are_flattened_and_a_feed_listed_twice_is_added_once() -> None:
    read = read_opml(CAPTURED / "netnewswire-subs-trimmed.opml")
    names = [f.name for f in read.feeds]
    assert "chat & code" in names and "We ❤ Swift" in names  # entities and non-ASCII as written
    assert "Programming" not in names  # the folder itself is no feed
    imported = import_feeds([], read)
    assert len(imported.added) == 10 and imported.duplicates == 1  # feed.katiefloyd.com and …com/
    assert imported.text() == "10 feeds added, 1 skipped (already among the sources)"
    assert len({s.id for s in imported.sources}) == 10  # two "Daring Fireball"s, two ids
    assert all(s.kind == "feed" and s.enabled for s in imported.added)


def test_what_a_hand_made_list_holds() -> None:
    read = read_opml(CONSTRUCTED / "mixed-constructed.opml")
    by_url = {f.url: f for f in read.feeds}
    assert read.unusable == 2  # javascript: and file:
    assert by_url["https://ai-office.example.eu/feed.xml"].name == "EU AI Office [31m news (red)"
    assert by_url["https://off.example.org/rss"].name == "Switched off"
    assert not by_url["https://off.example.org/rss"].enabled
    assert by_url["https://no-name.example.org/atom.xml"].name == "https://no-name.example.org/atom.xml"
    imported = import_feeds([], read)
    assert imported.text() == "4 feeds added, 2 skipped (no http or https address)"


def test_a_round_trip_keeps_every_feed_and_leaves_the_other_kinds_out(tmp_path: Path) -> None:
    sources = [
        feed("ai-office", "https://ai-office.example.eu/feed.xml"),
        feed("off", "https://off.example.org/rss", enabled=False),
        Source(id="govuk", name="GOV.UK", kind="govuk_search", url="https://www.gov.uk/api/search.json"),
        Source(
            id="amp", name='Research & "innovation" <news>', kind="feed", url="https://e.example/?a=1&b=2"
        ),
    ]
    path = tmp_path / "out.opml"
    assert write_opml(path, sources) == 3
    read = read_opml(path)
    assert [(f.name, f.url, f.enabled) for f in read.feeds] == [
        ("Ai-Office", "https://ai-office.example.eu/feed.xml", True),
        ("Off", "https://off.example.org/rss", False),
        ('Research & "innovation" <news>', "https://e.example/?a=1&b=2", True),
    ]
    again = import_feeds(sources, read)  # importing one's own export adds nothing
    assert again.added == () and again.duplicates == 3 and again.sources == sources


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("billion-laughs.opml", "DTD"),
        ("external-entity.opml", "DTD"),
        ("wrong-root.opml", "root element is <rss>"),
    ],
)
def test_hostile_files_are_refused_quickly(name: str, words: str) -> None:
    started = time.monotonic()
    with pytest.raises(OpmlError, match=words) as refused:
        read_opml(CONSTRUCTED / name)
    assert time.monotonic() - started < 1
    assert name in str(refused.value) and "root:" not in str(refused.value)  # /etc/passwd unread


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.opml"
    with huge.open("wb") as handle:
        handle.write(b'<opml version="2.0"><body>')
        handle.write(b" " * (MAX_BYTES + 10))
        handle.write(b"</body></opml>")
    with pytest.raises(OpmlError, match="larger than 5 MB"):
        read_opml(huge)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "not valid XML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not valid XML"),
        (b'<opml version="2.0"><head/></opml>', "no <body>"),
        (b"<opml><body><outline xmlUrl='https://a.example/'>", "not valid XML"),
    ],
)
def test_files_that_are_not_opml(data: bytes, words: str) -> None:
    with pytest.raises(OpmlError, match=words):
        parse_opml(data, "x.opml")


def test_deeply_nested_folders_cost_nothing() -> None:
    depth = 20_000
    data = b"<opml><body>" + b"<outline text='f'>" * depth + b"<outline xmlUrl='https://deep.example/f'/>"
    data += b"</outline>" * depth + b"</body></opml>"
    assert [f.url for f in parse_opml(data).feeds] == ["https://deep.example/f"]


def test_more_than_a_sources_file_may_hold_imports_nothing() -> None:
    outlines = "".join(f"<outline xmlUrl='https://f{n}.example/rss'/>" for n in range(MAX_SOURCES + 1))
    read = parse_opml(f"<opml><body>{outlines}</body></opml>".encode())
    with pytest.raises(OpmlError, match=f"more than {MAX_SOURCES} sources"):
        import_feeds([], read)


def test_same_address_ignores_case_of_host_fragment_and_trailing_slash() -> None:
    assert same_address("HTTPS://EU.example/feed/#x") == same_address("https://eu.example/feed")
    assert same_address("https://eu.example/Feed") != same_address("https://eu.example/feed")


def test_the_export_is_plain_opml_2() -> None:
    text = opml_text([feed("a", "https://a.example/rss")])
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert '<outline type="rss" text="A" title="A" xmlUrl="https://a.example/rss" />' in text


# -- the command line ---------------------------------------------------------------------------


def test_cli_import_then_again_then_export(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    write_sources(sources, [feed("jvns", "http://jvns.ca/atom.xml")])
    opml = CAPTURED / "netnewswire-subs-trimmed.opml"
    first = run_cli("sources", "--sources", sources, "--import-opml", opml, home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "9 feeds added, 2 skipped (already among the sources)." in first.stdout
    assert "added daring-fireball: Daring Fireball <http://daringfireball.net/feeds/main>" in first.stdout
    assert len(load_sources(sources)) == 10
    assert (tmp_path / "sources.toml.bak").exists()  # the safe writer kept the old file
    second = run_cli("sources", "--sources", sources, "--import-opml", opml, home=tmp_path)
    assert "0 feeds added, 11 skipped" in second.stdout and len(load_sources(sources)) == 10
    out = tmp_path / "feeds.opml"
    exported = run_cli("sources", "--sources", sources, "--export-opml", out, home=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert f"{out}: 10 feeds written." in exported.stdout
    assert len(read_opml(out).feeds) == 10


def test_cli_import_into_the_users_own_file_starts_from_the_defaults(tmp_path: Path) -> None:
    result = run_cli("sources", "--import-opml", CAPTURED / "netnewswire-default-feeds.opml", home=tmp_path)
    assert result.returncode == 0, result.stderr
    written = load_sources(tmp_path / "sources.toml")
    assert len(written) == 10 + 16 and written[0].id == "govuk-dsit-aisi-news"


@pytest.mark.parametrize("name", ["billion-laughs.opml", "external-entity.opml", "wrong-root.opml"])
def test_cli_hostile_import_changes_nothing(tmp_path: Path, name: str) -> None:
    sources = tmp_path / "sources.toml"
    write_sources(sources, [feed("a", "https://a.example/rss")])
    before = sources.read_bytes()
    result = run_cli("sources", "--sources", sources, "--import-opml", CONSTRUCTED / name, home=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"policy-tracker sources: {CONSTRUCTED / name}: ")
    assert len(result.stderr.splitlines()) == 1
    assert sources.read_bytes() == before and not (tmp_path / "sources.toml.bak").exists()


def test_cli_export_to_a_folder_that_is_not_there(tmp_path: Path) -> None:
    result = run_cli("sources", "--export-opml", tmp_path / "no" / "such" / "f.opml", home=tmp_path)
    assert result.returncode == 1 and "cannot write it" in result.stderr and "Traceback" not in result.stderr
