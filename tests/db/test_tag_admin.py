"""The tags themselves: rename, merge, delete and colour change every record's tags in SQL, are
undone exactly, refuse bad names with nothing changed, and survive the user-work file and CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.store import Query, Store, StoreError, Watchlist
from db.tag_admin import MAX_TAG_CHARS, RenamePlan, TagInfo
from db.user_work import write_user_work
from tests.db.helpers import item, open_store, snapshot, user_data


@pytest.fixture
def tagged(store: Store) -> Store:
    """Records 1-3 tagged "ai", 3-4 "Compute", 5 "budget"; "ai" is blue."""
    store.save_announcements("src", [item(n) for n in range(1, 7)])
    store.add_tag([1, 2, 3], "ai")
    store.add_tag([3, 4], "Compute")
    store.add_tag([5], "budget")
    store.set_tag_colour("ai", "blue")
    return store


def _tags_of(store: Store) -> dict[int, list[str]]:
    return {n: store.record(n)["tags"] for n in range(1, 7)}  # type: ignore[index]


def _everything(store: Store) -> list[object]:
    """The user columns, the tag links, the tags and the watchlists: what an Undo must restore."""
    return [*user_data(store), *snapshot(store, "tags"), *snapshot(store, "watchlists")]


def test_the_tag_list_has_every_tag_with_its_count_and_colour(tagged: Store) -> None:
    tagged.remove_tag([5], "budget")  # a tag on no record is still a tag
    assert tagged.tags() == [
        TagInfo("ai", "blue", 3),
        TagInfo("budget", None, 0),
        TagInfo("Compute", None, 2),
    ]
    assert tagged.tag_colours() == {"ai": "blue"}


def test_a_rename_renames_the_tag_on_every_record(tagged: Store) -> None:
    assert tagged.plan_rename("ai", "Artificial intelligence") == RenamePlan(
        "ai", "Artificial intelligence", merge=False, records=3
    )
    tagged.rename_tag("ai", "Artificial intelligence")
    assert _tags_of(tagged)[3] == ["Artificial intelligence", "Compute"]
    assert [t.name for t in tagged.tags()] == ["Artificial intelligence", "budget", "Compute"]
    assert tagged.tag_colours() == {"Artificial intelligence": "blue"}  # the same tag, its colour kept
    # the sorted tags column follows the new name's place in the order
    assert tagged.record(3)["tags_text"] == "Artificial intelligence; Compute"  # type: ignore[index]


def test_a_rename_that_only_changes_the_case_is_not_a_merge(tagged: Store) -> None:
    plan = tagged.rename_tag("ai", "AI")
    assert not plan.merge
    assert _tags_of(tagged)[1] == ["AI"] and tagged.tags()[0] == TagInfo("AI", "blue", 3)


def test_renaming_onto_another_tag_merges_them_with_counts(tagged: Store) -> None:
    # any case names the same tag, as everywhere in the store
    plan = tagged.plan_rename("ai", "compute")
    assert plan == RenamePlan("ai", "Compute", merge=True, records=3, both=1)
    tagged.rename_tag("ai", "compute")
    assert tagged.tags() == [TagInfo("budget", None, 1), TagInfo("Compute", "blue", 4)]
    assert _tags_of(tagged) == {**{n: ["Compute"] for n in range(1, 5)}, 5: ["budget"], 6: []}
    assert tagged.count(Query(tag="Compute")) == 4
    assert tagged.count(Query(tag="ai")) == 0


def test_a_merge_keeps_the_colour_of_the_tag_it_goes_into(tagged: Store) -> None:
    tagged.set_tag_colour("Compute", "green")
    tagged.rename_tag("ai", "Compute")
    assert tagged.tag_colours() == {"Compute": "green"}


def test_watchlists_follow_a_renamed_tag(tagged: Store) -> None:
    tagged.save_watchlist(Watchlist(None, "Chips", words="chips", tag="AI", auto_tag="ai"))
    tagged.rename_tag("ai", "compute")
    (chips,) = [w for w in tagged.watchlists() if w.name == "Chips"]
    assert (chips.tag, chips.auto_tag) == ("Compute", "Compute")


def test_a_delete_removes_the_tag_from_every_record_and_says_how_many(tagged: Store) -> None:
    assert tagged.delete_tag("AI") == 3
    assert _tags_of(tagged) == {1: [], 2: [], 3: ["Compute"], 4: ["Compute"], 5: ["budget"], 6: []}
    assert [t.name for t in tagged.tags()] == ["budget", "Compute"]


def test_a_colour_is_one_of_the_palette_or_none(tagged: Store) -> None:
    tagged.set_tag_colour("Compute", "teal")
    tagged.set_tag_colour("ai", None)
    assert tagged.tag_colours() == {"Compute": "teal"}
    before = _everything(tagged)
    with pytest.raises(ValueError, match="unknown tag colour"):
        tagged.set_tag_colour("Compute", "#ff0000")
    assert _everything(tagged) == before


@pytest.mark.parametrize(
    "action",
    [
        lambda s: s.rename_tag("ai", "Artificial intelligence"),
        lambda s: s.rename_tag("ai", "AI"),
        lambda s: s.rename_tag("ai", "compute"),
        lambda s: s.rename_tag("Compute", "ai"),
        lambda s: s.delete_tag("ai"),
        lambda s: s.set_tag_colour("ai", "red"),
    ],
    ids=["rename", "case", "merge", "merge-into-coloured", "delete", "colour"],
)
def test_undo_restores_the_tags_exactly(tagged: Store, action) -> None:  # type: ignore[no-untyped-def]
    tagged.save_watchlist(Watchlist(None, "Chips", words="chips", tag="ai", auto_tag="Compute"))
    before = _everything(tagged)
    with tagged.recording() as change:
        action(tagged)
    assert change and _everything(tagged) != before
    tagged.undo(change)
    assert _everything(tagged) == before


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("a;b", "cannot contain ';'"),
        ("bad\x1b[2Jname", "control characters"),
        ("tab\tname", "control characters"),
        ("x" * (MAX_TAG_CHARS + 1), f"at most {MAX_TAG_CHARS} characters"),
    ],
    ids=["empty", "spaces", "semicolon", "escape", "tab", "too-long"],
)
def test_a_bad_new_name_is_refused_with_its_reason_and_nothing_changes(
    tagged: Store, name: str, reason: str
) -> None:
    before = _everything(tagged)
    with pytest.raises(ValueError, match=reason) as refused:
        tagged.rename_tag("ai", name)
    assert "\x1b" not in str(refused.value)  # the reason quotes the name escaped
    assert _everything(tagged) == before


def test_an_unknown_tag_is_a_clear_error(tagged: Store) -> None:
    before = _everything(tagged)
    for change in (lambda: tagged.rename_tag("gone", "x"), lambda: tagged.delete_tag("gone")):
        with pytest.raises(StoreError, match="There is no tag “gone”"):
            change()
    assert _everything(tagged) == before


def test_renames_merges_deletes_and_colours_survive_a_rebuild_from_the_user_work_file(
    tagged: Store, db_path: Path, tmp_path: Path
) -> None:
    tagged.rename_tag("ai", "AI policy")
    tagged.rename_tag("budget", "compute")  # merged into "Compute"
    tagged.set_tag_colour("Compute", "orange")
    tagged.add_tag([6], "unused")
    tagged.remove_tag([6], "unused")
    tagged.set_tag_colour("unused", "pink")  # a coloured tag on no record yet
    tagged.add_tag([6], "doomed")
    tagged.delete_tag("doomed")
    wanted = (_tags_of(tagged), tagged.tags())
    saved = tmp_path / "work.sqlite"
    write_user_work(db_path, saved)
    (tmp_path / "rebuilt").mkdir()
    rebuilt = open_store(tmp_path / "rebuilt" / "tracker.sqlite")
    try:
        rebuilt.save_announcements("src", [item(n) for n in range(1, 7)])
        rebuilt.restore_user_work(saved)
        assert (_tags_of(rebuilt), rebuilt.tags()) == wanted
    finally:
        rebuilt.close()


def test_the_live_user_work_file_follows_each_tag_change(
    tagged: Store, db_path: Path, tmp_path: Path
) -> None:
    """The mirror written after each change batch, not a rebuild, holds the renamed tags."""
    tagged.rename_tag("ai", "compute")
    tagged.delete_tag("budget")
    tagged.set_tag_colour("Compute", "purple")
    wanted = (_tags_of(tagged), tagged.tags())
    tagged.close()
    live = db_path.parent / "backups" / f"{db_path.stem}-user-work.sqlite"
    (tmp_path / "rebuilt").mkdir()
    rebuilt = open_store(tmp_path / "rebuilt" / "tracker.sqlite")
    try:
        rebuilt.save_announcements("src", [item(n) for n in range(1, 7)])
        rebuilt.restore_user_work(live)
        assert (_tags_of(rebuilt), rebuilt.tags()) == wanted
    finally:
        rebuilt.close()


def test_renamed_and_merged_tags_go_through_a_csv_round_trip(tagged: Store, tmp_path: Path) -> None:
    tagged.rename_tag("ai", "compute")
    tagged.rename_tag("budget", "Funding")
    exported = tmp_path / "tracker.csv"
    tagged.export_csv(exported, Query())
    (tmp_path / "other").mkdir()
    other = open_store(tmp_path / "other" / "tracker.sqlite")
    try:
        other.import_csv(exported)
        urls = {r["url"]: r["tags"] for r in other.full_rows(Query())}
        assert urls == {r["url"]: r["tags"] for r in tagged.full_rows(Query())}
        assert [(t.name, t.records) for t in other.tags()] == [("Compute", 4), ("Funding", 1)]
    finally:
        other.close()
