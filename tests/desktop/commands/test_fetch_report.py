"""End to end through the real command against local servers (tests/fakeweb.py): a refresh that
adds a watchlist match and moves a followed call's deadline and budget. The watchlist counts
it as new and tags it; `fetch --report` says what moved, in text and JSON, with the exit code
unchanged; the calendar export keeps the event's UID and raises its SEQUENCE."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
import vobject

from db.store import Query, Store
from desktop.sources_file import load_sources
from tests.cli_run import run_cli
from tests.default_web import FIXTURES, LISTINGS, MORE_PAGES, serve_default_sources
from tests.fakeweb import FakeWeb

JAPAN = "Japan-UK joint call for collaborations in advancing human-centred AI"
ISAMBARD = "Isambard-AI doubles its capacity for UK researchers"
NEW_ITEM = f"""	<item>
		<title>{ISAMBARD}</title>
		<link>https://www.ukri.org/news/isambard-ai-doubles-its-capacity/</link>
		<pubDate>Wed, 15 Oct 2025 09:00:00 +0000</pubDate>
		<description><![CDATA[<p>The national supercomputer grows.</p>]]></description>
	</item>
"""


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    fake = FakeWeb()
    yield fake
    fake.stop()


def _fetch(db: Path, sources: Path, home: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "--db", db, "fetch", "--sources", sources, "--delay", "0",
        "--only", "ukri-opportunities", "ukri-news", *extra, home=home,
    )  # fmt: skip


def _export_ics(db: Path, target: Path, home: Path) -> icalendar.Calendar:
    result = run_cli("--db", db, "export", "--ics", target, "--followed", home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "exported 1 deadlines (calendar events)" in result.stdout
    return icalendar.Calendar.from_ical(target.read_bytes())


def _next_second() -> None:
    """Wait for the clock's next whole second: the store and RFC 5545 keep times to the second,
    so a move seen in the same second as the first refresh would carry the same LAST-MODIFIED."""
    time.sleep(1 - time.time() % 1 + 0.01)


def _change_the_sites(web: FakeWeb, sources: Path) -> None:
    """The Japan call's deadline moves a week and its fund grows; UKRI's news gains an item."""
    by_id = {s.id: s for s in load_sources(sources)}
    path, rows = MORE_PAGES["ukri-opportunities"][0]
    page = (FIXTURES / rows).read_text(encoding="utf-8")
    moved = page.replace("22 May 2025 4.00pm UK time", "29 May 2025 4.00pm UK time").replace(
        "£6,000,000", "£7,000,000"
    )
    assert moved.count("29 May 2025") == 1 and "£7,000,000" in moved
    opportunities = by_id["ukri-opportunities"].url
    web.serve(opportunities + path, web.rewrite(moved), "text/html; charset=utf-8")
    first, kind = LISTINGS["ukri-opportunities"]  # a new ETag, so the listing is read again
    web.serve(opportunities, web.rewrite((FIXTURES / first).read_text(encoding="utf-8")) + "\n", kind)
    feed = (FIXTURES / LISTINGS["ukri-news"][0]).read_text(encoding="utf-8")
    web.serve(
        by_id["ukri-news"].url,
        web.rewrite(feed.replace("\t<item>", NEW_ITEM + "\t<item>", 1)),
        "application/rss+xml",
    )


def test_a_refresh_is_counted_tagged_reported_and_moves_the_calendar_event(
    web: FakeWeb, tmp_path: Path
) -> None:
    sources = serve_default_sources(web, tmp_path)
    db = tmp_path / "store.sqlite3"
    first = _fetch(db, sources, tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr

    store = Store.open(db)
    try:
        compute = next(w for w in store.watchlists() if w.name == "Compute")
        store.save_watchlist(replace(compute, auto_tag="compute"))
        for w in store.watchlists():
            store.mark_watchlist_seen(w.id or 0)
        (japan,) = [r for r in store.page(Query(search=f'"{JAPAN}"'), 0, 5)]
        store.set_followed([japan["id"]], True)
        before = store.watchlist_counts()[compute.id or 0]
    finally:
        store.close()
    assert before.new == 0 and before.total >= 1  # the AI Research Resource roadmap, already there

    calendar = tmp_path / "deadlines.ics"
    (event,) = _export_ics(db, calendar, tmp_path).events
    assert event["SEQUENCE"] == 0
    assert datetime(2025, 5, 22, 15, 0, tzinfo=UTC) == event.DTSTART  # 4pm UK time
    assert str(event.DTSTART.tzinfo) == "Europe/London"

    _next_second()
    _change_the_sites(web, sources)
    reported = _fetch(db, sources, tmp_path, "--report")
    assert reported.returncode == 0, reported.stdout + reported.stderr  # the exit code is fetch's own
    text = reported.stdout
    assert "What changed: 1 new in Compute · 1 deadline moved · 1 budget changed" in text
    assert "New in watchlists:\n  Compute: 1 new\n" in text
    assert ISAMBARD in text
    assert f"Deadlines moved:\n  [followed] {JAPAN}: deadline 22 May → 29 May 2025" in text
    assert f"Budgets changed:\n  [followed] {JAPAN}: budget £6,000,000 → £7,000,000" in text

    store = Store.open(db)
    try:
        assert store.watchlist_counts()[compute.id or 0] == replace(before, total=before.total + 1, new=1)
        tagged = store.page(Query(tag="compute"), 0, 10)
        assert [row["title"] for row in tagged] == [ISAMBARD]  # only the new match, not the old one
    finally:
        store.close()

    (moved,) = _export_ics(db, calendar, tmp_path).events
    assert str(moved["UID"]) == str(event["UID"])
    assert moved["SEQUENCE"] == 1
    assert datetime(2025, 5, 29, 15, 0, tzinfo=UTC) == moved.DTSTART
    assert moved["LAST-MODIFIED"].dt > event["LAST-MODIFIED"].dt
    again = calendar.read_bytes()
    _export_ics(db, calendar, tmp_path)
    assert calendar.read_bytes() == again  # nothing moved: the same file, the same SEQUENCE
    parsed = vobject.readOne(again.decode("utf-8"))
    (second,) = parsed.vevent_list
    assert (second.uid.value, int(second.sequence.value)) == (str(event["UID"]), 1)
    assert second.dtstart.value.astimezone(UTC) == datetime(2025, 5, 29, 15, 0, tzinfo=UTC)

    quiet = _fetch(db, sources, tmp_path, "--report", "--json")
    assert quiet.returncode == 0, quiet.stderr
    report = json.loads(quiet.stdout)  # JSON alone on standard output
    assert report["refresh"] == {"new": 0, "changed": 0, "failed": [], "site_changed": [], "cancelled": False}
    assert report["new_in_watchlists"] == [] and report["deadlines_moved"] == []
    assert "ukri-news:" in quiet.stderr  # the progress lines went to standard error


def test_the_json_report_names_what_moved(web: FakeWeb, tmp_path: Path) -> None:
    sources = serve_default_sources(web, tmp_path)
    db = tmp_path / "store.sqlite3"
    assert _fetch(db, sources, tmp_path).returncode == 0
    _change_the_sites(web, sources)
    result = _fetch(db, sources, tmp_path, "--report", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    (moved,) = report["deadlines_moved"]
    assert (moved["title"], moved["old"], moved["new"]) == (
        JAPAN,
        "2025-05-22T15:00:00Z",
        "2025-05-29T15:00:00Z",
    )
    (budget,) = report["budgets_changed"]
    assert (budget["old"], budget["new"], budget["currency"]) == (6_000_000, 7_000_000, "GBP")
    news = {n["name"]: n for n in report["new_in_watchlists"]}
    assert news["Compute"]["new"] == 1
    assert [r["title"] for r in news["Compute"]["records"]] == [ISAMBARD]


def test_json_without_report_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("--db", tmp_path / "s.sqlite3", "fetch", "--json", home=tmp_path)
    assert result.returncode == 2
    assert "--json goes with --report" in result.stderr
