"""Opening and copying a store on a completely full disk, and an empty file where a store with
backups was (docs/TRUST.md, "Degraded cases")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db.backups import backup_to, daily_backup, not_a_store_reason
from db.store import Store, StoreError
from tests.db.helpers import item, open_store
from tests.small_disk import fill, mounted_small_disk


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with mounted_small_disk(tmp_path) as folder:
        yield folder


@pytest.fixture
def full_disk_store(small_disk: Path) -> Path:
    db = small_disk / "tracker.sqlite"
    store = open_store(db)
    store.save_announcements("src", [item(n, summary="text " * 40) for n in range(300)])
    store.set_note(7, "written before the disk filled up")
    store.close()
    fill(small_disk)
    return db


def test_a_store_on_a_full_disk_opens_for_reading(full_disk_store: Path) -> None:
    with Store.open(full_disk_store) as store:
        assert store.readonly
        assert store.record(7)["note"] == "written before the disk filled up"  # type: ignore[index]
        with pytest.raises(StoreError):
            store.set_note(7, "cannot be saved now")
    with Store.open(full_disk_store) as store:
        assert store.record(7)["note"] == "written before the disk filled up"  # type: ignore[index]


def test_backup_on_a_full_disk_blames_the_disk_not_the_store(full_disk_store: Path, tmp_path: Path) -> None:
    assert not_a_store_reason(full_disk_store) is None
    with pytest.raises(StoreError) as refused:
        backup_to(full_disk_store)
    message = str(refused.value)
    assert "damaged" not in message and "not enough free space" in message
    assert "The store itself is unchanged" in message
    with pytest.raises(StoreError, match="not enough free space"):
        daily_backup(full_disk_store)
    elsewhere = backup_to(full_disk_store, tmp_path / "copy.sqlite")  # another disk has room
    with Store.open(elsewhere) as copy:
        assert copy.record(7)["note"] == "written before the disk filled up"  # type: ignore[index]


def test_an_empty_file_where_a_store_with_backups_was_is_not_reinitialised(db_path: Path) -> None:
    store = open_store(db_path)
    store.save_announcements("src", [item(n) for n in range(5)])
    store.set_note(1, "only in the backup now")
    store.close()
    copy = daily_backup(db_path)
    assert copy is not None
    db_path.write_bytes(b"")  # a failed sync or a truncating tool
    with pytest.raises(StoreError) as refused:
        Store.open(db_path)
    message = str(refused.value)
    assert "is empty (0 bytes)" in message and str(copy) in message
    assert f"policy-tracker restore {copy}" in message
    assert db_path.stat().st_size == 0  # nothing was written over it


def test_an_empty_file_without_backups_becomes_a_new_store(db_path: Path) -> None:
    db_path.write_bytes(b"")
    with Store.open(db_path) as store:
        assert store.record(1) is None
