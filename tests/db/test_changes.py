"""What changed since a moment: exactly what refreshes moved, followed records first, and each
watchlist's new records (db/changes.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from db.rows import stamp
from db.store import Query, Watchlist
from tests.db.helpers import NOW, item, open_store


def test_deadlines_budgets_and_calls_that_moved_are_listed_followed_first(db_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements(
        "src",
        [
            item(
                1,
                title="Call A",
                deadline_at="2026-05-01T15:00:00Z",
                budget_amount=1e6,
                budget_currency="EUR",
            ),
            item(2, title="Call B", deadline_at="2026-06-01T15:00:00Z", call_status="forthcoming"),
            item(3, title="Call C", deadline_at="2026-04-01T15:00:00Z", call_status="open"),
            item(4, title="Call D", deadline_at="2026-07-01T15:00:00Z"),
        ],
    )
    store.set_followed([2], True)
    since = stamp(NOW)
    store.clock = lambda: NOW + timedelta(hours=1)
    store.save_announcements(
        "src",
        [
            item(
                1,
                title="Call A",
                deadline_at="2026-05-08T15:00:00Z",
                budget_amount=2e6,
                budget_currency="EUR",
            ),
            item(2, title="Call B", deadline_at="2026-06-15T15:00:00Z", call_status="open"),
            item(3, title="Call C", deadline_at="2026-04-01T15:00:00Z", call_status="closed"),
            item(4, title="Call D", deadline_at="2026-07-02T15:00:00Z"),
        ],
    )
    store.clock = lambda: NOW + timedelta(hours=2)
    store.save_announcements(
        "src", [item(4, title="Call D", deadline_at="2026-07-01T15:00:00Z")]
    )  # moved back
    changes = store.changes_since(since)
    assert [(c.record.title, c.old, c.new) for c in changes.deadlines_moved] == [
        ("Call B", "2026-06-01T15:00:00Z", "2026-06-15T15:00:00Z"),  # followed first
        ("Call A", "2026-05-01T15:00:00Z", "2026-05-08T15:00:00Z"),
    ]
    assert [(c.record.title, c.old, c.new, c.currency) for c in changes.budgets_changed] == [
        ("Call A", 1e6, 2e6, "EUR")
    ]
    assert [(c.record.title, c.new) for c in changes.calls_opened] == [("Call B", "open")]
    assert [(c.record.title, c.new) for c in changes.calls_closed] == [("Call C", "closed")]
    assert changes.deadlines_moved[0].record.followed
    assert not store.changes_since(stamp(NOW + timedelta(hours=3)))  # nothing after the last refresh
    store.close()


def test_new_records_are_listed_per_watchlist_capped_with_their_number(db_path: Path) -> None:
    store = open_store(db_path)
    store.save_watchlist(Watchlist(None, "Bridges", words="bridge OR bridges", notify=False))
    store.save_announcements("src", [item(0, title="Bridge zero")])
    since = stamp(NOW)
    store.clock = lambda: NOW + timedelta(minutes=1)
    store.save_announcements(
        "src", [item(n, title=f"Bridge {n}") for n in range(1, 26)] + [item(99, title="Other")]
    )
    news = {n.name: n for n in store.changes_since(since).new_in_watchlists}
    assert set(news) == {"Bridges"}
    assert news["Bridges"].new == 25 and not news["Bridges"].notify
    assert [r.title for r in news["Bridges"].records][:2] == ["Bridge 25", "Bridge 24"]  # newest first
    assert len(news["Bridges"].records) == 20
    store.close()


def test_what_an_import_changed_is_not_news(db_path: Path, tmp_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", [item(1, title="Call A", deadline_at="2026-05-01T15:00:00Z")])
    since = stamp(NOW)
    csv = tmp_path / "in.csv"
    csv.write_text("url,title,note\nhttps://example.org/news/1,Call A,a note\n", encoding="utf-8")
    store.clock = lambda: NOW + timedelta(minutes=1)
    store.import_csv(csv)
    assert not store.changes_since(since)
    store.close()


def test_a_page_row_carries_the_values_before_the_last_move_and_what_changed_since_read(
    db_path: Path,
) -> None:
    """`Store.page` rows: the deadline and budget before the refresh that last changed them,
    and each field changed since the user last read the record, from its first old value to
    its latest; a field moved and moved back since then is left out."""
    store = open_store(db_path)
    call = {
        "title": "Call",
        "deadline_at": "2026-05-01T15:00:00Z",
        "budget_amount": 1e6,
        "budget_currency": "EUR",
        "call_status": "forthcoming",
    }
    store.save_announcements("src", [item(1, **call), item(2, title="Quiet")])
    store.clock = lambda: NOW + timedelta(hours=1)
    store.save_announcements("src", [item(1, **{**call, "deadline_at": "2026-05-08T15:00:00Z"})])
    (record_id,) = [r["id"] for r in store.page(Query(search="Call"), 0, 5)]
    store.clock = lambda: NOW + timedelta(hours=2)
    store.mark_read([record_id])
    store.clock = lambda: NOW + timedelta(hours=3)
    later = {**call, "deadline_at": "2026-05-15T15:00:00Z", "budget_amount": 2e6, "call_status": "open"}
    store.save_announcements("src", [item(1, **later)])
    store.clock = lambda: NOW + timedelta(hours=4)
    back = {**later, "call_status": "forthcoming", "summary": "Longer."}
    store.save_announcements("src", [item(1, **back)])

    rows = {r["title"]: r for r in store.page(Query(sort="title"), 0, 10)}
    row = rows["Call"]
    assert (row["deadline_was"], row["deadline_moved_at"]) == (
        "2026-05-08T15:00:00Z",
        stamp(NOW + timedelta(hours=3)),
    )
    assert (row["budget_was"], row["budget_moved_at"]) == (1e6, stamp(NOW + timedelta(hours=3)))
    assert row["changes_since_read"] == [  # since the read at +2 h; the call status came and went
        ("deadline_at", "2026-05-08T15:00:00Z", "2026-05-15T15:00:00Z"),
        ("budget_amount", 1e6, 2e6),
        ("summary", None, None),  # a long text is named, its values not read
    ]
    quiet = rows["Quiet"]
    assert quiet["deadline_was"] is None and quiet["budget_moved_at"] is None
    assert quiet["changes_since_read"] == []
    store.close()


def test_the_versions_of_a_page_are_found_through_their_index(db_path: Path) -> None:
    """One indexed look-up per page, whatever the number of records (no scan of the
    versions table, which grows with every refresh)."""
    store = open_store(db_path)
    plan = store.db.conn.execute(
        "EXPLAIN QUERY PLAN SELECT record_id FROM record_versions WHERE record_id IN (?, ?)"
        " AND coalesce(source_id, '') NOT IN (?, ?) ORDER BY record_id, id",
        [1, 2, "a", "b"],
    ).fetchall()
    assert any("USING INDEX record_versions_by_record" in step[3] for step in plan), plan
    assert not any("SCAN record_versions" in step[3] for step in plan), plan
    store.close()
