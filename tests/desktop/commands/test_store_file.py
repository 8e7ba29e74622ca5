"""Before SQLite tries, a command refuses a store path that is a folder (the user's mistake:
exit 2), a device or a file that is not a database (exit 1), with the real reason; a missing
store is created with its folder, and nothing is written to a file that is not ours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.store import StoreError
from desktop.commands.errors import UsageError
from desktop.commands.store_file import check_store_path, open_store


def test_a_folder_is_the_user_s_mistake(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a folder, not a store file"):
        check_store_path(tmp_path)


def test_a_device_is_not_a_store() -> None:
    with pytest.raises(StoreError, match="not a regular file"):
        check_store_path(Path("/dev/null"))


def test_a_file_that_is_not_sqlite_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not a database", encoding="utf-8")
    with pytest.raises(StoreError, match="not an SQLite database file"):
        open_store(notes)
    assert notes.read_text(encoding="utf-8") == "my notes, not a database"


def test_a_missing_store_is_created_with_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "store.sqlite3"
    check_store_path(path)  # nothing there yet: nothing to refuse
    open_store(path).close()
    assert path.is_file()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] != 0  # a tracker store


def test_an_empty_file_is_not_refused_here(tmp_path: Path) -> None:
    """An empty file has no header to judge; the store's own checks decide (docs/ARCHITECTURE.md)."""
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    check_store_path(empty)
