"""Read-only Stores kept open between reads: one is borrowed again, sees every later commit,
is never read once its file was replaced, never lingers after `close_idle` (a restore must
find the file free), and one left in a transaction or broken is closed, not kept."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import readers
from db.open_lock import nobody_has_it_open
from db.store import Query, Store
from tests.db.helpers import item


@pytest.fixture
def saved(store: Store, db_path: Path) -> Iterator[Path]:
    store.save_announcements("src", [item(1, title="Compute for research")])
    yield db_path
    readers.close_idle(db_path)


def _titles(store: Store) -> list[str]:
    return sorted(row["title"] for row in store.page(Query(), 0, 10))


def test_a_read_borrows_the_store_the_last_read_gave_back(saved: Path) -> None:
    with readers.reading(saved) as first:
        assert first.readonly
    assert len(readers.idle(saved)) == 1
    with readers.reading(saved) as second:
        assert second is first
        assert len(readers.idle(saved)) == 0  # borrowed, not shared
        with readers.reading(saved) as third:  # a second worker at the same time gets its own
            assert third is not first
    assert len(readers.idle(saved)) == 2


def test_a_kept_store_reads_what_was_written_after_it_was_opened(saved: Path, store: Store) -> None:
    with readers.reading(saved) as reader:
        assert _titles(reader) == ["Compute for research"]
    store.save_announcements("src", [item(2, title="AI factories call")])
    store.set_note(1, "brief the minister")
    with readers.reading(saved) as reader:
        assert _titles(reader) == ["AI factories call", "Compute for research"]
        assert reader.record(1)["note"] == "brief the minister"


def test_another_thread_reads_on_a_store_one_thread_gave_back(saved: Path) -> None:
    with readers.reading(saved) as first:
        _titles(first)
    seen: list[object] = []

    def read() -> None:
        with readers.reading(saved) as store:
            seen.extend([store, _titles(store)])

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    assert seen == [first, ["Compute for research"]]


def test_a_store_kept_for_a_replaced_file_is_never_read(saved: Path, store: Store, tmp_path: Path) -> None:
    with readers.reading(saved) as old:
        _titles(old)
    other = tmp_path / "other.sqlite"
    with Store.open(other) as made:
        made.save_announcements("src", [item(9, title="A different store")])
    store.close()
    for name in (saved.name, saved.name + "-wal", saved.name + "-shm"):  # moved aside, with its log
        if (saved.parent / name).exists():
            (saved.parent / name).rename(tmp_path / f"aside-{name}")
    shutil.copy(other, saved)  # and another store put in its place: a new file at the same path
    with readers.reading(saved) as reader:
        assert reader is not old
        assert _titles(reader) == ["A different store"]
    assert old.db.conn is not None
    with pytest.raises(sqlite3.ProgrammingError):  # the one kept for the old file was closed
        old.db.conn.execute("SELECT 1")


def test_close_idle_leaves_the_file_free_for_a_restore(saved: Path, store: Store) -> None:
    with readers.reading(saved) as reader:
        _titles(reader)
    store.close()
    with readers.reading(saved) as borrowed:  # still reading when the window closes
        readers.close_idle(saved)
    with pytest.raises(sqlite3.ProgrammingError):
        borrowed.db.conn.execute("SELECT 1")  # closed on its way back, not kept
    assert len(readers.idle(saved)) == 0
    with nobody_has_it_open(saved):  # what a restore takes: no Store of this process holds it
        pass


def test_a_store_left_in_a_transaction_is_closed_not_kept(saved: Path, store: Store) -> None:
    with readers.reading(saved) as reader:
        reader.db.conn.execute("BEGIN")
        _titles(reader)  # this snapshot would hide every later commit
    assert len(readers.idle(saved)) == 0
    store.set_note(1, "seen")
    with readers.reading(saved) as fresh:
        assert fresh.record(1)["note"] == "seen"


def test_a_failed_read_closes_its_store_and_an_interrupted_one_keeps_it(saved: Path) -> None:
    with pytest.raises(sqlite3.OperationalError, match="no such table"), readers.reading(saved) as broken:
        broken.db.conn.execute("SELECT * FROM no_such_table")
    assert len(readers.idle(saved)) == 0
    with pytest.raises(sqlite3.OperationalError, match="interrupt"), readers.reading(saved) as stopped:
        stopped.db.conn.set_progress_handler(lambda: True, 1)  # a newer keystroke
        stopped.db.conn.execute("SELECT count(*) FROM records").fetchone()
    assert len(readers.idle(saved)) == 1
    with readers.reading(saved) as again:
        assert again is stopped
        assert _titles(again) == ["Compute for research"]  # the progress handler went with the read


def test_no_more_than_idle_max_are_kept(saved: Path) -> None:
    with readers.reading(saved), readers.reading(saved), readers.reading(saved):
        pass
    assert len(readers.idle(saved)) == readers.IDLE_MAX
