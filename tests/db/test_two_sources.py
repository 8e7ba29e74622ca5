"""One record listed by two sources that word it differently: no tug of war at every refresh."""

from __future__ import annotations

from pathlib import Path

from db.store import Query, Store
from tests.db.helpers import count, item

EUROHPC = {"organisation": "EuroHPC JU", "category": "press"}
RTD = {"organisation": "European Commission (DG RTD)", "category": "policy"}


def test_sources_do_not_overwrite_each_other(store: Store) -> None:
    assert store.save_announcements("eurohpc", [item(1, **EUROHPC)]).new == 1
    for _ in range(3):
        assert store.save_announcements("rtd", [item(1, **RTD)]).unchanged == 1
        assert store.save_announcements("eurohpc", [item(1, **EUROHPC)]).unchanged == 1
    record = store.record(1)
    assert record is not None
    assert (record["organisation"], record["sources"], record["changed_at"]) == (
        "EuroHPC JU", ["eurohpc", "rtd"], None,
    )  # fmt: skip
    assert count(store, "SELECT count(*) FROM record_versions") == 0
    assert store.count(Query(view="changed")) == 0


def test_a_second_source_fills_what_is_missing(store: Store) -> None:
    store.save_announcements("eurohpc", [item(1, **EUROHPC)])
    result = store.save_announcements("rtd", [item(1, summary="From the Commission", **RTD)])
    assert result.changed == 1
    assert store.versions(1)[0]["changes"] == [("summary", None, "From the Commission")]


def test_a_source_that_changes_its_own_report_is_heard(store: Store) -> None:
    store.save_announcements("eurohpc", [item(1, **EUROHPC)])
    store.save_announcements("rtd", [item(1, **RTD)])
    result = store.save_announcements("rtd", [item(1, title="Call reopened", **RTD)])
    assert result.changed == 1
    assert store.record(1)["title"] == "Call reopened"  # type: ignore[index]
    assert store.save_announcements("eurohpc", [item(1, **EUROHPC)]).unchanged == 1
    assert store.record(1)["title"] == "Call reopened"  # type: ignore[index]


def test_a_record_from_an_import_takes_its_first_source(store: Store, tmp_path: Path) -> None:
    sheet = tmp_path / "t.csv"
    sheet.write_text("url,title,note\nhttps://example.org/news/1,Rough title,keep\n", encoding="utf-8")
    store.import_csv(sheet)
    assert store.save_announcements("eurohpc", [item(1, **EUROHPC)]).changed == 1
    record = store.record(1)
    assert record is not None
    assert (record["title"], record["organisation"], record["note"]) == (
        "Announcement 1",
        "EuroHPC JU",
        "keep",
    )


def test_needs_detail_asks_what_this_source_said(store: Store) -> None:
    store.save_announcements("eurohpc", [item(1, **EUROHPC)])
    store.save_announcements("rtd", [item(1, **RTD)])
    listing = [item(1, **RTD)]
    assert store.needs_detail(listing, source_id="rtd") == []
    assert store.needs_detail(listing) == listing  # against the stored record, it differs
