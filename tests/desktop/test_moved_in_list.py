"""A moved deadline and budget show in the list: a real refresh against local servers
(tests/fakeweb.py) moves a UKRI call's closing date a week and raises its fund; the row
`Store.page` gives then carries the values before, and the cells say "moved" with the old
value in the tooltip and in what a screen reader hears."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db.store import Query, Store
from desktop.refresh import refresh
from desktop.sources_file import load_sources
from desktop.ui.table_cells import cell_text, cell_tooltip, spoken_text
from scrapers.http import HttpClient
from tests.default_web import FIXTURES, LISTINGS, MORE_PAGES, serve_default_sources
from tests.fakeweb import FakeWeb

JAPAN = "Japan-UK joint call for collaborations in advancing human-centred AI"
NOW = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def in_brussels(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The user's system time zone is Brussels'; put back afterwards."""
    monkeypatch.setenv("TZ", "Europe/Brussels")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    fake = FakeWeb()
    yield fake
    fake.stop()


def _move_the_call(web: FakeWeb, sources: Path) -> None:
    """The Japan call's closing date moves a week and its fund grows (the listing gets a new
    ETag, so it is read again)."""
    (ukri,) = [s for s in load_sources(sources) if s.id == "ukri-opportunities"]
    path, rows = MORE_PAGES["ukri-opportunities"][0]
    page = (FIXTURES / rows).read_text(encoding="utf-8")
    moved = page.replace("22 May 2025 4.00pm UK time", "29 May 2025 4.00pm UK time").replace(
        "£6,000,000", "£7,000,000"
    )
    assert moved.count("29 May 2025") == 1 and "£7,000,000" in moved
    web.serve(ukri.url + path, web.rewrite(moved), "text/html; charset=utf-8")
    first, kind = LISTINGS["ukri-opportunities"]
    web.serve(ukri.url, web.rewrite((FIXTURES / first).read_text(encoding="utf-8")) + "\n", kind)


def _japan(db: Path, read: bool = False) -> dict[str, object]:
    with Store.open(db) as store:
        (row,) = store.page(Query(search=f'"{JAPAN}"'), 0, 5)
        if read:
            store.mark_read([int(row["id"])])
        return row


def test_a_refresh_that_moves_a_deadline_marks_it_in_the_list(
    web: FakeWeb, tmp_path: Path, in_brussels: None
) -> None:
    sources = serve_default_sources(web, tmp_path)
    ukri = [s for s in load_sources(sources) if s.id == "ukri-opportunities"]
    db = tmp_path / "store.sqlite3"
    client = HttpClient(per_host_delay=0)
    try:
        refresh(db, ukri, client=client)
        before = _japan(db, read=True)
        assert before["deadline_at"] == "2025-05-22T15:00:00Z" and before["deadline_was"] is None
        assert cell_text(before, "deadline", NOW) == "22 May 2025"  # nothing moved: no mark
        _move_the_call(web, sources)
        refresh(db, ukri, client=client)
    finally:
        client.close()

    row = _japan(db)
    assert row["deadline_at"] == "2025-05-29T15:00:00Z"
    assert row["deadline_was"] == "2025-05-22T15:00:00Z" and row["deadline_moved_at"]
    assert row["budget_amount"] == 7_000_000 and row["budget_was"] == 6_000_000
    assert [name for name, _old, _new in row["changes_since_read"]] == ["deadline_at", "budget_amount"]

    moved_on = datetime.fromisoformat(str(row["deadline_moved_at"]).replace("Z", "+00:00")).astimezone()
    on = f"{moved_on.day} {moved_on:%b %Y}"
    assert cell_text(row, "deadline", NOW) == "29 May 2025 ↻"
    assert cell_tooltip(row, "deadline", None) == (
        "<p style='white-space:pre-wrap'>29 May 2025, 16:00 London (17:00 your time)\n"
        f"Moved from 22 May 2025, 16:00 London (17:00 your time) on {on}</p>"
    )
    assert spoken_text(row, "deadline", "Deadline", NOW) == "29 May 2025, moved from 22 May 2025"
    assert cell_text(row, "budget", NOW) == "£7,000,000 ↻"
    assert f"Changed from £6,000,000 on {on}" in str(cell_tooltip(row, "budget", None))
    assert spoken_text(row, "budget", "Budget", NOW) == "£7,000,000, changed from £6,000,000"
    said = cell_text(row, "what_changed", NOW)
    assert said == "Deadline 22 May → 29 May 2025; budget £6,000,000 → £7,000,000"
