"""User actions never rewrite the text index (28x slower, and pointless)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from db.store import Query, Store
from tests.db.helpers import item, snapshot

TEXT_INDEX = ("records_fts_data", "records_fts_idx", "records_fts_docsize")
NOTE_INDEX = ("notes_fts_data", "notes_fts_idx", "notes_fts_docsize")

USER_ACTIONS: dict[str, Callable[[Store], object]] = {
    "note": lambda s: s.set_note(2, "for Friday's brief"),
    "star": lambda s: s.set_starred([2], True),
    "status": lambda s: s.set_status([2], "done"),
    "read": lambda s: s.mark_read([2]),
    "tags": lambda s: s.set_tags(2, ["AI Act", "compute"]),
    "unchanged-refresh": lambda s: s.save_announcements(
        "src", [item(n, summary="compute") for n in range(5)]
    ),
}


@pytest.fixture
def filled(store: Store) -> Store:
    store.save_announcements("src", [item(n, summary="compute") for n in range(5)])
    return store


def _index(store: Store, tables: tuple[str, ...]) -> list[object]:
    return [snapshot(store, table) for table in tables]


@pytest.mark.parametrize("action", list(USER_ACTIONS.values()), ids=list(USER_ACTIONS))
def test_user_actions_leave_the_text_index_alone(filled: Store, action: Callable[[Store], object]) -> None:
    before = _index(filled, TEXT_INDEX)
    action(filled)
    assert _index(filled, TEXT_INDEX) == before


def test_only_a_note_touches_the_note_index(filled: Store) -> None:
    before = _index(filled, NOTE_INDEX)
    filled.set_starred([1], True)
    filled.save_announcements("src", [item(1, title="Edited")])
    assert _index(filled, NOTE_INDEX) == before
    filled.set_note(1, "sovereignty")
    assert _index(filled, NOTE_INDEX) != before
    assert filled.count(Query(search="sovereignty")) == 1


def test_saving_the_same_note_again_writes_nothing(filled: Store) -> None:
    filled.set_note(1, "typed")
    changes = filled.db.conn.total_changes
    filled.set_note(1, "typed")
    assert filled.db.conn.total_changes == changes


def test_a_text_change_updates_the_text_index(filled: Store) -> None:
    before = _index(filled, TEXT_INDEX)
    filled.save_announcements("src", [item(1, title="Sovereign compute")])
    assert _index(filled, TEXT_INDEX) != before
    assert filled.count(Query(search="sovereign")) == 1
