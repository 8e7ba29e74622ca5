"""End to end: the default sources, pointed at local servers serving the real formats, fetch with
exit 0 through the real command; a second fetch adds nothing; user data survives a change."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db.queries import Query
from db.store import Store
from desktop.sources_file import load_sources
from tests.cli_run import run_cli
from tests.default_web import FIXTURES, LISTINGS, serve_default_sources
from tests.fakeweb import FakeWeb


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    fake = FakeWeb()
    yield fake
    fake.stop()


@pytest.fixture
def local_sources(web: FakeWeb, tmp_path: Path) -> Path:
    return serve_default_sources(web, tmp_path)


def _cli(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, home=home)


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def test_default_sources_fetch_then_refetch_adds_nothing(
    web: FakeWeb, local_sources: Path, tmp_path: Path
) -> None:
    db = tmp_path / "store.sqlite3"
    first = _cli("--db", db, "fetch", "--sources", local_sources, "--delay", "0", home=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    lines = first.stdout.splitlines()
    for source_id in LISTINGS:
        (line,) = [x for x in lines if x.startswith(f"{source_id}:")]
        assert "FAILED" not in line and "no items" not in line, line
    records = _count(db, "SELECT count(*) FROM records")
    assert records >= 30
    for source_id in LISTINGS:
        assert _count(db, f"SELECT count(*) FROM record_sources WHERE source_id = '{source_id}'") > 0
    with_body = _count(db, "SELECT count(*) FROM records WHERE body IS NOT NULL AND body != ''")
    assert with_body >= 20, "detail pages were not read"
    funding = _count(
        db, "SELECT count(*) FROM records WHERE category = 'funding' AND deadline_at IS NOT NULL"
    )
    assert funding >= 3

    seen_before = len(web.log)
    second = _cli("--db", db, "fetch", "--sources", local_sources, "--delay", "0", home=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert _count(db, "SELECT count(*) FROM records") == records
    assert _count(db, "SELECT count(*) FROM record_versions") == 0
    assert "0 new, 0 changed" in second.stdout.splitlines()[-1]
    # The second time round every GET was answered 304 (nothing downloaded again, no detail
    # page read again); only the funding search, a POST, cannot be conditional.
    second_round = web.log[seen_before:]
    assert [r for r in second_round if r[1] == "GET" and r[3] != 304] == []
    assert len([r for r in second_round if r[1] == "POST"]) == 1


def test_user_data_survives_a_refresh_that_changes_the_record(
    web: FakeWeb, local_sources: Path, tmp_path: Path
) -> None:
    db = tmp_path / "store.sqlite3"
    assert (
        _cli(
            "--db",
            db,
            "fetch",
            "--sources",
            local_sources,
            "--delay",
            "0",
            "--only",
            "ukri-news",
            home=tmp_path,
        ).returncode
        == 0
    )
    with sqlite3.connect(db) as conn:
        (record_id,) = conn.execute(
            "SELECT id FROM records WHERE title LIKE '£30 million for responsible AI%'"
        ).fetchone()
    store = Store.open(db)
    try:
        store.set_note(record_id, "brief the minister")
        store.set_status([record_id], "reviewing")
        store.set_starred([record_id], True)
    finally:
        store.close()
    feed_url = next(s.url for s in load_sources(local_sources) if s.id == "ukri-news")
    original = (FIXTURES / LISTINGS["ukri-news"][0]).read_text(encoding="utf-8")
    changed = original.replace(
        "£30 million for responsible AI research &#8211; new hubs announced", "Changed title"
    )
    assert changed != original
    web.serve(feed_url, web.rewrite(changed), "application/rss+xml")
    result = _cli(
        "--db", db, "fetch", "--sources", local_sources, "--delay", "0", "--only", "ukri-news", home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "1 updated" in result.stdout
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT title, note, status, starred, changed_at FROM records WHERE id = ?", (record_id,)
        ).fetchone()
        versions = conn.execute(
            "SELECT count(*) FROM record_versions WHERE record_id = ?", (record_id,)
        ).fetchone()[0]
    assert row[:4] == ("Changed title", "brief the minister", "reviewing", 1)
    assert row[4] is not None and versions == 1


def test_one_dead_source_fails_alone(web: FakeWeb, local_sources: Path, tmp_path: Path) -> None:
    sources = load_sources(local_sources)
    europarl = next(s for s in sources if s.id == "europarl-press")
    web.serve(europarl.url, "<html><body>Maintenance</body></html>", "text/html")
    db = tmp_path / "store.sqlite3"
    result = _cli(
        "--db",
        db,
        "fetch",
        "--sources",
        local_sources,
        "--delay",
        "0",
        "--only",
        "europarl-press",
        "ukri-news",
        home=tmp_path,
    )
    assert result.returncode == 1
    assert any(line.startswith("europarl-press: FAILED:") for line in result.stdout.splitlines())
    assert _count(db, "SELECT count(*) FROM record_sources WHERE source_id = 'ukri-news'") > 0
    listing = _cli("--db", db, "sources", "--sources", local_sources, home=tmp_path)
    assert "europarl-press [feed] configured: FAILING:" in listing.stdout
    assert "eurohpc-news [feed] configured: never fetched" in listing.stdout


def _record(db: Path, title: str) -> dict[str, object]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM records WHERE title = ?", (title,)).fetchone()
    assert row is not None, f"no record titled {title!r}"
    return dict(row)


def test_fetch_stores_what_the_pages_say(web: FakeWeb, local_sources: Path, tmp_path: Path) -> None:
    """Title, address, publication time, deadline and budget as stored by `policy-tracker fetch`
    from the GOV.UK capture (a live search result and its content item) and from the UKRI cards
    written in the finder's markup (constructed: no capture of its HTML exists)."""
    db = tmp_path / "store.sqlite3"
    result = _cli("--db", db, "fetch", "--sources", local_sources, "--delay", "0", home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    govuk = web.local("https://www.gov.uk")

    tribunal = _record(db, "Mr B King v Thales DIS UK Ltd: 1403603/2020")
    path = "/employment-tribunal-decisions/mr-b-king-v-thales-dis-uk-ltd-1403603-slash-2020"
    assert tribunal["url"] == govuk + path
    assert tribunal["published_at"] == "2026-07-01T13:55:40Z"  # the search's time, not its day
    assert tribunal["organisation"] == "HM Courts & Tribunals Service"
    assert "Read the full decision" in str(tribunal["body"])

    japan = _record(db, "Japan-UK joint call for collaborations in advancing human-centred AI")
    ukri = web.local("https://www.ukri.org")
    slug = "japan-uk-joint-call-for-collaborations-in-advancing-human-centred-ai"
    assert japan["url"] == f"{ukri}/opportunity/{slug}/"
    assert japan["deadline_at"] == "2025-05-22T15:00:00Z"  # "22 May 2025 4.00pm UK time" (BST)
    assert (japan["budget_amount"], japan["budget_currency"]) == (6_000_000, "GBP")
    assert japan["published_at"] == "2025-03-14T00:00:00Z"
    loans = _record(db, "Innovate UK innovation loans future economy: Round 20")
    assert loans["deadline_at"] == "2025-05-07T22:00:00Z"  # "11.00pm UK time"
    assert (loans["budget_amount"], loans["budget_currency"]) == (2_000_000, "GBP")  # award range
    assert _record(db, "UKRI Data for Metascience")["organisation"] == "UK Research and Innovation"
    doctoral = _record(db, "Collaborative doctoral landscape award in the arts and humanities")
    assert (doctoral["deadline_at"], doctoral["call_status"]) == ("2025-11-20T16:00:00Z", "forthcoming")


def test_only_the_parliament_is_sent_a_browser_user_agent(
    web: FakeWeb, local_sources: Path, tmp_path: Path
) -> None:
    """The Parliament's host answers 403 to anything but a browser; every other host is sent
    only the app's own honest User-Agent."""
    db = tmp_path / "store.sqlite3"
    result = _cli("--db", db, "fetch", "--sources", local_sources, "--delay", "0", home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _count(db, "SELECT count(*) FROM record_sources WHERE source_id = 'europarl-press'") > 0
    assert len(web.user_agents) >= 8
    for host, agents in web.user_agents.items():
        browser = "www.europarl.europa.eu"
        prefix = "Mozilla/5.0 (" if host == browser else "PolicyTracker/"
        assert agents and all(agent.startswith(prefix) for agent in agents), (host, agents)
    eurohpc = [path for host, _m, path, _s in web.log if host == "eurohpc-ju.europa.eu"]
    assert "/node/205/rss_en" in eurohpc


def test_eu_funding_and_press_corner_store_the_real_deadlines_budgets_and_times(
    local_sources: Path, tmp_path: Path
) -> None:
    """Over the captured SEDIA page: a bare-day deadline is 17:00 Brussels (summer and winter
    time), a two-stage call keeps its other stage, a topic's own budget line is its budget, the
    address is the portal's topic page; the press corner keeps the documents API's publishDate."""
    db = tmp_path / "store.sqlite3"
    only = ("--only", "eu-funding-calls", "ec-presscorner")
    result = _cli("--db", db, "fetch", "--sources", local_sources, "--delay", "0", *only, home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(db) as conn:
        rows = {
            r[0]: r[1:]
            for r in conn.execute(
                "SELECT identifier, title, url, deadline_at, budget_amount, budget_currency, summary,"
                " call_status, published_at FROM records WHERE identifier IS NOT NULL"
            )
        }
    topic_page = "/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/"
    soil = rows["HORIZON-MISS-2027-05-SOIL-01-two-stage"]
    assert soil[0].startswith("Living labs to enhance soil health in Continental")
    assert soil[1].endswith(topic_page + "HORIZON-MISS-2027-05-SOIL-01-two-stage")
    stages = {"2027-04-08T15:00:00Z": "14 Sep 2027, 17:00", "2027-09-14T15:00:00Z": "8 Apr 2027, 17:00"}
    assert soil[2] in stages  # 17:00 CEST; which stage is next depends on today
    assert stages[soil[2]] in soil[5]
    assert soil[3] is None  # its own budget line is not in the (cut short) overview
    winter = rows["HORIZON-CL4-2027-04-DIGITAL-EMERGING-10"]
    assert winter[2] == "2027-03-18T16:00:00Z"  # 17:00 CET
    governance = rows["HORIZON-CL6-2026-04-GOVERNANCE-01"]
    assert (governance[2], governance[3], governance[4]) == ("2026-11-26T16:00:00Z", 60_000_000, "EUR")
    assert rows["HORIZON-CL3-2026-02-CS-ECCC-01"][3:5] == (20_000_000, "EUR")
    old = rows["HORIZON-CL2-2024-TRANSFORMATIONS-01-08"]
    assert (old[2], old[6]) == ("2024-02-07T17:00:00Z", "forthcoming")  # its own time, kept
    store = Store.open(db)
    try:
        store.clock = lambda: datetime(2026, 12, 1, tzinfo=UTC)
        open_ids = {r["id"] for r in store.page(Query(view="open_funding"), 0, 100)}
    finally:
        store.close()
    with sqlite3.connect(db) as conn:
        open_calls = {i for (r, i) in conn.execute("SELECT id, identifier FROM records") if r in open_ids}
    # The old rows say "forthcoming" for calls that closed in 2024: a passed deadline is not open.
    assert "HORIZON-CL2-2024-TRANSFORMATIONS-01-08" not in open_calls
    assert "HORIZON-INFRA-2024-EOSC-01-03" not in open_calls
    assert "HORIZON-CL6-2026-04-GOVERNANCE-01" not in open_calls  # closed at 16:00Z on 26 Nov
    assert {"HORIZON-MISS-2027-05-SOIL-01-two-stage", "HORIZON-CL4-2027-04-DIGITAL-EMERGING-10"} <= open_calls
    press = rows["IP/26/301"]
    assert press[0] == "Commission opens applications for AI Factories Antennas"
    assert press[1].endswith("/commission/presscorner/detail/en/ip_26_301")
    assert press[7] == "2026-03-02T11:42:00Z"
