"""Undo of a recorded action: exact previous values back, nothing else touched, later work kept."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from db import undo
from db.store import Query, Selection, Store
from db.undo import USER_COLUMNS
from tests.db.helpers import item, open_store, snapshot, user_data


@pytest.fixture
def five(store: Store) -> Store:
    store.save_announcements("src", [item(n) for n in range(1, 6)])
    store.set_note(1, "keep me")
    store.add_tag([1, 2], "AI Act")
    store.set_status([3], "reviewing")
    store.mark_read([2, 4])
    return store


@pytest.mark.parametrize(
    "action",
    [
        lambda s: s.set_starred([1, 2, 3], True),
        lambda s: s.set_status([1, 2, 4], "archived"),
        lambda s: s.add_tag([1, 3], "Horizon"),
        lambda s: s.remove_tag([1, 2], "AI Act"),
        lambda s: s.mark_read([1, 3]),
        lambda s: (s.set_status([2], "done"), s.mark_read([5])),
    ],
    ids=["star", "status", "tag", "untag", "read", "status-and-read-mark"],
)
def test_undo_puts_back_every_user_value_exactly(five: Store, action) -> None:
    before = user_data(five)
    with five.recording() as change:
        action(five)
    assert user_data(five) != before
    result = five.undo(change)
    assert user_data(five) == before
    assert result.restored == len(change.changed_ids) and result.kept == 0


def test_the_change_names_only_records_that_changed(five: Store) -> None:
    with five.recording() as change:
        five.set_starred([1, 2], True)
        five.set_status([3], "reviewing")  # already reviewing: not a change
    assert sorted(change.changed_ids) == [1, 2]


def test_a_value_changed_again_since_is_kept(five: Store) -> None:
    with five.recording() as change:
        five.set_starred([1, 2, 3], True)
    five.set_starred([2], False)  # the user changed record 2 again, outside the action
    five.set_starred([3], False)
    five.set_starred([3], True)  # ...and record 3 back to what the action left
    five.set_note(1, "written after")  # another column: not the action's
    result = five.undo(change)
    assert [five.record(n)["starred"] for n in (1, 2, 3)] == [0, 0, 0]  # type: ignore[index]
    assert five.record(1)["note"] == "written after"  # type: ignore[index]
    assert (result.restored, result.kept) == (2, 0)


def test_undo_of_an_import_removes_new_records_and_restores_changed_ones(five: Store, tmp_path: Path) -> None:
    csv_path = tmp_path / "in.csv"
    csv_path.write_text(
        "url,title,note,tags,status,starred\n"
        "https://example.org/news/1,x,replaced note,Horizon,done,yes\n"
        "https://example.org/new/7,Seven,new note,AI Act,reviewing,\n",
        encoding="utf-8",
    )
    before = user_data(five)
    records_before = snapshot(five, "records")
    with five.recording() as change:
        result = five.import_csv(csv_path)
    assert (result.new, result.updated) == (1, 1)
    assert list(change.new_ids) and sorted(change.changed_ids) == [1]
    undone = five.undo(change)
    assert (undone.restored, undone.removed, undone.kept) == (1, 1, 0)
    assert user_data(five) == before
    assert snapshot(five, "records") == records_before
    assert five.count(Query(search="new note")) == 0  # gone from the search index too


def test_an_imported_record_worked_on_since_is_kept(five: Store, tmp_path: Path) -> None:
    csv_path = tmp_path / "in.csv"
    csv_path.write_text("url,title\nhttps://example.org/new/8,Eight\n", encoding="utf-8")
    with five.recording() as change:
        five.import_csv(csv_path)
    (new_id,) = change.new_ids
    five.set_note(new_id, "my analysis")
    assert five.undo(change).kept == 1
    assert five.record(new_id)["note"] == "my analysis"  # type: ignore[index]


def test_writes_of_another_connection_are_not_recorded(five: Store, db_path: Path) -> None:
    other = open_store(db_path)
    try:
        with five.recording() as change:
            other.set_starred([4], True)
            five.set_starred([5], True)
    finally:
        other.close()
    assert list(change.changed_ids) == [5]


def test_the_record_is_json_text_made_by_sqlite_and_odd_notes_come_back_exactly(five: Store) -> None:
    odd = 'line one\nline "two"\t\\ ünïcode ✓ \u2028 {"not": "json"} [1, 2]'
    five.set_note(2, odd)
    before = user_data(five)
    with five.recording() as change:
        five.set_note(2, "overwritten")
        five.set_note(3, "12")  # a note that looks like a number stays text
    assert len(change.changed) == 1 and change.changed_ids == (2, 3)
    rows = {row[0]: row for row in json.loads(change.changed[0])}
    assert rows[2][1] == odd and rows[3][1 + len(USER_COLUMNS)] == "12"
    five.undo(change)
    assert user_data(five) == before
    assert five.record(2)["note"] == odd  # type: ignore[index]


def test_an_undo_that_fails_half_way_changes_nothing(five: Store) -> None:
    before = user_data(five)
    with five.recording() as change:
        five.set_starred([1, 2, 3], True)
        five.add_tag([4], "Horizon")
    starred = user_data(five)
    broken = replace(change, created=("not json",))  # read after the records were put back
    with pytest.raises(sqlite3.OperationalError, match="malformed JSON"):  # a bug, not the disk
        five.undo(broken)
    assert user_data(five) == starred  # the write transaction rolled the half-done undo back
    five.undo(change)
    assert user_data(five) == before


@pytest.mark.parametrize(
    "action",
    [
        lambda s: s.set_starred_of(Selection(Query(), 5), True),
        lambda s: s.set_status_of(Selection(Query(), 5), "archived"),
        lambda s: s.add_tag_to(Selection(Query(), 5), "Horizon"),
        lambda s: s.add_tag_to(Selection(Query(), 5), "ai act"),  # 1 and 2 have it: the others gain it
    ],
    ids=["star", "archive", "tag", "tag-some-have"],
)
def test_undo_of_a_bulk_change_puts_back_exactly_the_values_and_tags(five: Store, action) -> None:
    five.add_tag([4], "Zebra")
    before = user_data(five)
    with five.recording() as change:
        action(five)
    assert user_data(five) != before
    five.undo(change)
    assert user_data(five) == before


def test_undo_of_a_bulk_tag_leaves_the_tags_of_a_record_changed_since_alone(five: Store) -> None:
    with five.recording() as change:
        five.add_tag_to(Selection(Query(), 5), "Horizon")
    five.add_tag([3], "compute")  # the user tagged record 3 again, outside the action
    five.remove_tag([4], "Horizon")  # ...and took the action's tag off record 4 by hand
    result = five.undo(change)
    texts = dict(five.db.conn.execute("SELECT id, tags_text FROM records"))
    assert texts == {1: "AI Act", 2: "AI Act", 3: "compute; Horizon", 4: "", 5: ""}
    links = five.db.conn.execute(
        "SELECT rt.record_id, t.name FROM record_tags rt JOIN tags t ON t.id = rt.tag_id ORDER BY 1, 2"
    ).fetchall()
    assert links == [(1, "AI Act"), (2, "AI Act"), (3, "compute"), (3, "Horizon")]
    assert (result.restored, result.kept) == (3, 1)  # 4's tags are as they were before: nothing to do


def test_a_large_change_is_kept_in_pieces_and_undone_whole(five: Store, monkeypatch) -> None:
    monkeypatch.setattr(undo, "PIECE_RECORDS", 2)  # as a million records in pieces of 10,000
    before = user_data(five)
    with five.recording() as change:
        five.set_starred([1, 2, 3, 4, 5], True)
        five.add_tag([2, 4], "Horizon")
        five.save_announcements("src", [item(n) for n in range(6, 9)])  # made by the action
    ids_per_piece = [sorted(row[0] for row in json.loads(piece)) for piece in change.changed]
    assert ids_per_piece == [[1], [2, 3], [4, 5]]  # by id / 2: pieces of two ids at most
    assert sum(len(json.loads(piece)) for piece in change.created) == 3 and len(change.created) == 2
    result = five.undo(change)
    assert (result.restored, result.removed) == (5, 3)
    assert user_data(five) == before
    assert five.count(Query()) == 5
    listed = "SELECT name FROM temp.sqlite_master WHERE name IN ('undo_rows', 'undo_made')"
    left = five.db.conn.execute(listed)
    assert left.fetchall() == []  # what the undo read is dropped with it


def test_a_change_says_which_records_it_touches(five: Store) -> None:
    with five.recording() as change:
        five.set_starred([4, 2], True)
        five.save_announcements("src", [item(9)])
    (new_id,) = change.new_ids
    assert [i for i in range(0, new_id + 2) if change.touches(i)] == [2, 4, new_id]
