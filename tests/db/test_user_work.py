"""The user's own work follows every change batch into a small file keyed by the records'
links, and goes back onto the same records of another store; full copies stay within a disk
budget (docs/TRUST.md, "Copies of the store")."""

from __future__ import annotations

import os
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from db import schema
from db.backups import budget_bytes, daily_backup, daily_backups
from db.store import Store, StoreError
from db.user_work import KEEP_GENERATIONS, KEPT_FIELDS, generations, user_work_path, write_user_work
from tests.db.helpers import item, open_store

DAY = date(2026, 3, 2)


def _work(path: Path) -> dict[str, tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(f"SELECT url, {', '.join(KEPT_FIELDS)}, tags FROM work").fetchall()
    finally:
        conn.close()
    return {row[0]: row[1:] for row in rows}


def _annotate(store: Store) -> None:
    store.set_note(1, "brief the minister")
    store.set_status([2], "done")
    store.set_starred([3], True)
    store.mark_read([4])
    store.add_tag([5], "AI Act")


def test_every_change_batch_is_in_the_user_work_file_at_once(db_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", [item(n) for n in range(10)])
    assert not user_work_path(db_path).exists()  # a refresh is not the user's work
    _annotate(store)
    work = _work(user_work_path(db_path))  # read while the store is still open
    urls = {store.record(n)["url"]: n for n in range(1, 6)}  # type: ignore[index]
    assert set(work) == set(urls)
    by_id = {urls[url]: row for url, row in work.items()}
    assert by_id[1][KEPT_FIELDS.index("note")] == "brief the minister"
    assert by_id[2][KEPT_FIELDS.index("status")] == "done"
    assert by_id[3][KEPT_FIELDS.index("starred")] == 1
    assert by_id[4][KEPT_FIELDS.index("read_at")] is not None
    assert by_id[5][-1] == "AI Act"
    store.set_note(1, "")  # work undone leaves the file too
    assert len(_work(user_work_path(db_path))) == 4
    store.close()


def test_every_user_field_of_the_schema_is_kept() -> None:
    assert set(KEPT_FIELDS) | {"tags_text"} == set(schema.USER_FIELDS)


def test_user_work_goes_back_onto_the_same_records_of_a_rebuilt_store(db_path: Path, tmp_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", [item(n) for n in range(10)])
    _annotate(store)
    store.set_tags(1, ["compute", "AI Act"])
    store.close()
    saved = tmp_path / "work.sqlite"
    write_user_work(db_path, saved)
    # A new store that fetched the records again in another order (other row ids), and not
    # item 4 (no longer on the site), with its own work on item 9.
    (tmp_path / "rebuilt").mkdir()
    rebuilt = open_store(tmp_path / "rebuilt" / "tracker.sqlite")
    rebuilt.save_announcements("src", [item(n) for n in (9, 8, 7, 6, 3, 2, 1, 0)])
    rebuilt.set_note(1, "the new store's own note")  # record id 1 is item 9 here
    result = rebuilt.restore_user_work(saved)
    assert (result.matched, result.unmatched) == (4, 1)
    assert result.unmatched_titles == ("Announcement 4",)
    by_url = {r["url"]: r for r in (rebuilt.record(n) for n in range(1, 10)) if r}
    first = by_url["https://example.org/news/0"]  # id 1 in the first store, id 8 here
    assert first["note"] == "brief the minister" and first["tags"] == ["AI Act", "compute"]
    assert by_url["https://example.org/news/1"]["status"] == "done"
    assert by_url["https://example.org/news/2"]["starred"] is True
    assert by_url["https://example.org/news/3"]["read_at"] is not None
    assert by_url["https://example.org/news/9"]["note"] == "the new store's own note"
    kept = list((tmp_path / "rebuilt" / "backups").glob("*user-work-before-restore*"))
    assert len(kept) == 1  # the work as it was before the restore
    rebuilt.close()


def test_a_user_work_file_carrying_its_own_sql_is_refused(db_path: Path, tmp_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", [item(n) for n in range(3)])
    store.set_note(1, "mine")
    saved = tmp_path / "work.sqlite"
    write_user_work(db_path, saved)
    conn = sqlite3.connect(saved)
    conn.execute("CREATE VIEW sneaky AS SELECT * FROM work")
    conn.commit()
    conn.close()
    store.set_note(1, "newer")
    with pytest.raises(StoreError, match="not Policy Tracker's own"):
        store.restore_user_work(saved)
    assert store.record(1)["note"] == "newer"  # type: ignore[index]
    store.close()


def test_a_user_work_file_that_cannot_be_written_never_fails_the_change(db_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", [item(n) for n in range(3)])
    blocker = user_work_path(db_path)
    blocker.mkdir(parents=True)  # a folder where the file should be: every write fails
    store.set_note(1, "saved in the store all the same")
    assert store.record(1)["note"] == "saved in the store all the same"  # type: ignore[index]
    blocker.rmdir()
    store.set_starred([2], True)  # the next batch writes the one that was missed too
    assert len(_work(blocker)) == 2
    store.close()


def test_a_dated_copy_of_the_user_work_each_day_the_last_few_kept(db_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", [item(n) for n in range(3)])
    store.set_note(1, "kept for a week")
    store.close()
    for n in range(KEEP_GENERATIONS + 2):
        daily_backup(db_path, today=DAY + timedelta(days=n))
    kept = generations(db_path)
    assert len(kept) == KEEP_GENERATIONS
    assert kept[0].name == f"tracker-user-work-{DAY + timedelta(days=KEEP_GENERATIONS + 1):%Y%m%d}.sqlite"
    assert [row[KEPT_FIELDS.index("note")] for row in _work(kept[-1]).values()] == ["kept for a week"]


def test_full_copies_stay_within_the_disk_budget_and_the_newest_is_never_dropped(db_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", [item(n, body="text " * 200) for n in range(200)])
    store.close()
    size = db_path.stat().st_size
    budget_gb = 2.5 * size / 1e9  # room for two copies, not three
    for n in range(5):
        daily_backup(db_path, today=DAY + timedelta(days=n), budget_gb=budget_gb)
    kept = daily_backups(db_path)
    assert [p.name for p in kept] == [
        f"tracker-daily-{DAY + timedelta(days=n):%Y%m%d}.sqlite" for n in (4, 3)
    ]
    daily_backup(db_path, today=DAY + timedelta(days=9), budget_gb=size / 1e9 / 10)  # under one copy
    assert [p.name for p in daily_backups(db_path)] == [
        f"tracker-daily-{DAY + timedelta(days=9):%Y%m%d}.sqlite"
    ]


def test_the_default_budget_is_a_share_of_the_free_space(db_path: Path) -> None:
    db_path.write_bytes(b"")
    free = os.statvfs(db_path.parent).f_bavail * os.statvfs(db_path.parent).f_frsize
    assert budget_bytes(db_path) == pytest.approx(free * 0.2, rel=0.01)
    assert budget_bytes(db_path, 3.0) == 3_000_000_000


def test_a_user_work_file_with_values_the_store_refuses_changes_nothing(
    db_path: Path, tmp_path: Path
) -> None:
    store = open_store(db_path)
    store.save_announcements("src", [item(n) for n in range(3)])
    store.set_note(1, "mine")
    store.set_status([2], "done")
    saved = tmp_path / "work.sqlite"
    write_user_work(db_path, saved)
    conn = sqlite3.connect(saved)
    conn.execute("UPDATE work SET status = 'deleted-by-mistake' WHERE note IS NULL")
    conn.commit()
    conn.close()
    store.set_note(1, "newer")
    with pytest.raises(StoreError, match=r"would not store\. Nothing was changed"):
        store.restore_user_work(saved)
    assert store.record(1)["note"] == "newer"  # type: ignore[index]
    assert store.record(2)["status"] == "done"  # type: ignore[index]
    store.close()


def test_an_undo_is_followed_by_the_user_work_file(db_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", [item(n) for n in range(3)])
    with store.recording() as change:
        store.set_note(1, "typed by mistake")
        store.add_tag([2], "wrong")
    assert len(_work(user_work_path(db_path))) == 2
    store.undo(change)
    assert _work(user_work_path(db_path)) == {}
    store.close()
