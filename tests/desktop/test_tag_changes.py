"""A tag renamed, merged or deleted on a worker's own Store: what it says and an Undo that
puts everything back."""

from __future__ import annotations

from pathlib import Path

from db.store import Store
from desktop.tag_changes import delete_tag, rename_tag
from tests.db.helpers import item, user_data


def _store(path: Path) -> None:
    with Store.open(path) as store:
        store.save_announcements("src", [item(n) for n in range(1, 5)])
        store.add_tag([1, 2, 3], "ai")
        store.add_tag([3, 4], "compute")


def test_a_rename_and_a_merge_say_what_they_did_and_undo(tmp_path: Path) -> None:
    path = tmp_path / "tracker.sqlite"
    _store(path)
    with Store.open(path) as store:
        before = user_data(store)
    text, plan, change = rename_tag(path, "ai", "AI policy")
    assert text == "Renamed the tag “ai” to “AI policy” (3 records)." and not plan.merge
    text, plan, merged = rename_tag(path, "AI policy", "Compute")
    assert text == "Merged the tag “AI policy” into “compute” (3 records)." and plan.both == 1
    with Store.open(path) as store:
        assert [(t.name, t.records) for t in store.tags()] == [("compute", 4)]
        store.undo(merged)
        store.undo(change)
        assert user_data(store) == before


def test_a_delete_says_how_many_records_lost_the_tag(tmp_path: Path) -> None:
    path = tmp_path / "tracker.sqlite"
    _store(path)
    text, untagged, change = delete_tag(path, "ai")
    assert (text, untagged) == ("Deleted the tag “ai” (3 records untagged).", 3)
    assert sorted(change.changed_ids) == [1, 2, 3]
