"""A file that is not ours is refused with a plain message and left byte-for-byte as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.store import Store, StoreError


def _foreign_sqlite(path: Path, wal: bool) -> None:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"url,title\nhttps://example.org,Hello\n", "not an SQLite database"),
        (b"PK\x03\x04" + bytes(range(256)) * 8, "not an SQLite database"),
        (b"SQLite format 3\x00" + b"\xff" * 50, "not an SQLite database"),  # truncated header
        (b"SQLite format 3\x00" + b"\xa5" * 4080, "cannot be read as one"),  # garbage after it
    ],
    ids=["csv", "zip", "short-header", "garbage"],
)
def test_a_file_that_is_not_sqlite(db_path: Path, content: bytes, reason: str) -> None:
    db_path.write_bytes(content)
    with pytest.raises(StoreError, match=f"not a Policy Tracker database.*{reason}"):
        Store.open(db_path)
    assert db_path.read_bytes() == content
    assert not Path(f"{db_path}-wal").exists()


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal"])
def test_another_programs_sqlite_database(db_path: Path, wal: bool) -> None:
    _foreign_sqlite(db_path, wal)
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="SQLite database of another program"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("app_id", [0x12345678, 0])
def test_a_foreign_application_id_or_no_mark_with_tables(db_path: Path, app_id: int) -> None:
    _foreign_sqlite(db_path, wal=False)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="not a Policy Tracker database"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("content", [b"", None], ids=["empty-file", "empty-sqlite"])
def test_an_empty_file_becomes_a_store(db_path: Path, content: bytes | None) -> None:
    if content is None:
        conn = sqlite3.connect(db_path, isolation_level=None)
        conn.execute("CREATE TABLE t (x)")
        conn.execute("DROP TABLE t")
        conn.close()
        assert db_path.read_bytes().startswith(b"SQLite format 3")
    else:
        db_path.write_bytes(content)
    with Store.open(db_path) as store:
        assert store.save_announcements("src", []).new == 0


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)
