"""Following a call: the user's own mark, kept like a star through refreshes, undo and the
user-work copies, and listed by the Followed view soonest deadline first."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from db import user_work
from db.store import VIEW_DEFAULT_SORT, Query
from db.user_work import user_work_path, write_user_work
from tests.db.helpers import NOW, item, open_store


def _calls() -> list[object]:
    return [
        item(1, title="Late call", deadline_at="2026-09-01T15:00:00Z"),
        item(2, title="Soon call", deadline_at="2026-04-01T15:00:00Z"),
        item(3, title="No deadline"),
        item(4, title="Not followed", deadline_at="2026-03-10T15:00:00Z"),
    ]


def test_followed_calls_form_a_view_soonest_deadline_first_and_survive_a_refresh(db_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", _calls())
    store.set_followed([1, 2, 3], True)
    sort, descending = VIEW_DEFAULT_SORT["followed"]
    q = Query(view="followed", sort=sort, descending=descending)
    assert [r["id"] for r in store.page(q, 0, 10)] == [2, 1, 3]
    assert store.view_counts()["followed"] == 3
    store.clock = lambda: NOW + timedelta(hours=1)
    store.save_announcements("src", [item(1, title="Late call", deadline_at="2026-03-20T15:00:00Z")])
    assert [r["id"] for r in store.page(q, 0, 10)] == [1, 2, 3]  # the moved deadline, still followed
    store.set_followed([3], False)
    assert store.count(q) == 2
    store.close()


def test_a_follow_is_undone_like_a_star(db_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", _calls())
    with store.recording() as change:
        store.set_followed([1, 2], True)
    assert store.undo(change).restored == 2
    assert store.count(Query(view="followed")) == 0
    store.close()


def test_follows_are_in_the_user_work_file_and_go_back_onto_a_rebuilt_store(
    db_path: Path, tmp_path: Path
) -> None:
    store = open_store(db_path)
    store.save_announcements("src", _calls())
    store.set_followed([2], True)
    store.close()
    saved = tmp_path / "work.sqlite"
    assert write_user_work(db_path, saved) == 1
    (tmp_path / "rebuilt").mkdir()
    rebuilt = open_store(tmp_path / "rebuilt" / "tracker.sqlite")
    rebuilt.save_announcements("src", _calls()[::-1])  # other row ids
    assert rebuilt.restore_user_work(saved).matched == 1
    assert [r["title"] for r in rebuilt.page(Query(view="followed"), 0, 10)] == ["Soon call"]
    rebuilt.close()


def _version_1_file(path: Path, url: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    user_work._create(conn, 1)
    fields = user_work.FIELDS_BY_VERSION[1]
    values = {"status": "done", "starred": 1}
    marks = ", ".join("?" * len(fields))
    conn.execute(
        f"INSERT INTO work (url, title, {', '.join(fields)}, tags) VALUES (?, ?, {marks}, '')",
        [url, "Soon call", *(values.get(f) for f in fields)],
    )
    conn.close()


def test_a_user_work_file_from_before_follows_still_restores(db_path: Path, tmp_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", _calls())
    store.set_followed([1], True)  # this store's own follow: the old file does not name it
    old = tmp_path / "old-work.sqlite"
    _version_1_file(old, "https://example.org/news/2")
    assert store.restore_user_work(old).matched == 1
    assert (store.record(2) or {})["status"] == "done"
    assert store.count(Query(view="followed")) == 1
    store.close()


def test_the_current_user_work_file_of_an_older_version_is_remade_from_the_store(db_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", _calls())
    current = user_work_path(db_path)
    current.parent.mkdir(parents=True, exist_ok=True)
    _version_1_file(current, "https://example.org/news/4")  # left by the previous version
    store.set_followed([2], True)
    conn = sqlite3.connect(current)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == user_work.FORMAT_VERSION
        assert conn.execute("SELECT url, followed FROM work").fetchall() == [
            ("https://example.org/news/2", 1)
        ]
    finally:
        conn.close()
    store.close()
