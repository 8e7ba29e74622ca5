"""Backups (tests/trust/README.md, "Backups"): a checked copy once a day keeping the last
few, copies on request while a refresh writes, and a restore that refuses what is not a store
and keeps the current one first."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from db import backups
from db.backups import (
    KEEP_DAILY,
    backup_to,
    daily_backup,
    daily_backups,
    latest_backup,
    not_a_store_reason,
    restore_backup,
)
from db.store import Query, Store, StoreError
from tests.db.helpers import item, open_store, user_data

DAY = date(2026, 3, 2)


@pytest.fixture
def annotated(db_path: Path) -> Path:
    store = open_store(db_path)
    store.save_announcements("src", [item(n, summary=f"compute {n}") for n in range(50)])
    store.set_note(1, "precious note")
    store.set_tags(2, ["ai-act"])
    store.set_starred([3], True)
    store.close()
    return db_path


def _facts(path: Path) -> tuple[int, list[tuple[object, ...]]]:
    with Store.open(path) as store:
        assert store.check_integrity() == []
        return store.count(Query()), user_data(store)


def test_one_daily_copy_a_day_and_only_the_last_few_kept(annotated: Path) -> None:
    first = daily_backup(annotated, today=DAY)
    assert first is not None and first.name == "tracker-daily-20260302.sqlite"
    assert daily_backup(annotated, today=DAY) is None  # the second start that day copies nothing
    for n in range(1, KEEP_DAILY + 3):
        assert daily_backup(annotated, today=DAY + timedelta(days=n)) is not None
    kept = daily_backups(annotated)
    assert len(kept) == KEEP_DAILY
    assert kept[0].name == f"tracker-daily-{(DAY + timedelta(days=KEEP_DAILY + 2)):%Y%m%d}.sqlite"
    assert _facts(kept[-1]) == _facts(annotated)
    assert not list(kept[0].parent.glob("*.partial"))


def test_no_daily_copy_of_a_store_that_does_not_exist_yet(db_path: Path) -> None:
    assert daily_backup(db_path, today=DAY) is None
    assert not db_path.exists()


def test_a_damaged_store_never_pushes_the_good_copies_out(annotated: Path) -> None:
    for n in range(KEEP_DAILY):
        daily_backup(annotated, today=DAY + timedelta(days=n))
    good = daily_backups(annotated)
    pages = annotated.stat().st_size // 4096
    with annotated.open("r+b") as handle:  # damage data pages, leave the header readable
        for page in range(2, pages - 1, 3):
            handle.seek(page * 4096)
            handle.write(b"\xa5" * 4096)
    with pytest.raises(StoreError, match="damaged"):
        daily_backup(annotated, today=DAY + timedelta(days=KEEP_DAILY))
    assert daily_backups(annotated) == good  # nothing pruned, no bad copy added
    assert latest_backup(annotated) in good


def test_a_copy_taken_while_a_refresh_writes_is_whole(annotated: Path, tmp_path: Path) -> None:
    stop = threading.Event()
    errors: list[BaseException] = []

    def refresh() -> None:
        store = open_store(annotated)
        try:
            round_number = 0
            while not stop.is_set():
                store.save_announcements(
                    "src", [item(n, title=f"round {round_number} item {n}") for n in range(300)]
                )
                round_number += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            store.close()

    writer = threading.Thread(target=refresh)
    writer.start()
    try:
        copies = [backup_to(annotated, tmp_path / f"copy-{n}.sqlite") for n in range(3)]
    finally:
        stop.set()
        writer.join()
    assert errors == []
    for copy in copies:
        count, user = _facts(copy)
        assert count in (50, 300)
        assert ("precious note" in repr(user)) and ("ai-act" in repr(user))
        with Store.open(copy) as store:  # each batch all or nothing in the copy too
            titles = {
                r[0].split(" item ")[0]
                for r in store.db.conn.execute("SELECT title FROM records WHERE id > 50")
            }
            assert len(titles) <= 1


def test_backup_to_never_overwrites(annotated: Path, tmp_path: Path) -> None:
    target = tmp_path / "mine.sqlite"
    target.write_text("my spreadsheet", encoding="utf-8")
    with pytest.raises(StoreError, match="already exists"):
        backup_to(annotated, target)
    assert target.read_text(encoding="utf-8") == "my spreadsheet"
    default = backup_to(annotated)
    assert default.parent.name == "backups" and "-manual-" in default.name


@pytest.fixture
def strangers(tmp_path: Path) -> dict[str, Path]:
    text = tmp_path / "notes.txt"
    text.write_text("not a database " * 100, encoding="utf-8")
    foreign = tmp_path / "other-app.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    return {"text": text, "foreign": foreign, "empty": empty, "missing": tmp_path / "missing.sqlite"}


@pytest.mark.parametrize("kind", ["text", "foreign", "empty", "missing", "newer", "damaged"])
def test_restore_refuses_what_is_not_a_sound_store(
    annotated: Path, tmp_path: Path, strangers: dict[str, Path], kind: str
) -> None:
    if kind in strangers:
        candidate = strangers[kind]
    else:
        candidate = backup_to(annotated, tmp_path / f"{kind}.sqlite")
        if kind == "newer":
            conn = sqlite3.connect(candidate)
            conn.execute("PRAGMA user_version = 999")
            conn.close()
        else:
            with candidate.open("r+b") as handle:
                handle.seek(4096 * 2)
                handle.write(b"\xa5" * 4096 * 3)
    before = annotated.read_bytes()
    with pytest.raises(StoreError, match="cannot be restored") as refused:
        restore_backup(candidate, annotated)
    assert "Nothing was changed" in str(refused.value)
    assert annotated.read_bytes() == before
    assert not list((annotated.parent / "backups").glob("*before-restore*"))  # no copy was needed


def test_restore_keeps_the_current_store_first(annotated: Path, tmp_path: Path) -> None:
    copy = backup_to(annotated, tmp_path / "monday.sqlite")
    wanted = _facts(copy)
    later = open_store(annotated)
    later.set_note(1, "written after the backup")
    later.save_announcements("src", [item(500)])
    later.close()
    current = _facts(annotated)
    kept = restore_backup(copy, annotated)
    assert kept is not None and kept.parent.name == "backups" and "before-restore" in kept.name
    assert _facts(kept) == current  # nothing is lost by restoring: the replaced store is kept
    assert _facts(annotated) == wanted


def test_restore_over_a_damaged_store_replaces_the_file(annotated: Path, tmp_path: Path) -> None:
    copy = backup_to(annotated, tmp_path / "good.sqlite")
    with annotated.open("r+b") as handle:  # the schema page: the store no longer opens
        handle.seek(100)
        handle.write(b"\xa5" * 3996)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(annotated)
    damaged = annotated.read_bytes()
    kept = restore_backup(copy, annotated)
    assert kept is not None and kept.read_bytes()[100:] == damaged[100:]  # its pages, as they were
    assert _facts(annotated) == _facts(copy)
    assert not_a_store_reason(annotated) is None


def test_latest_backup_is_the_newest_sound_copy(annotated: Path) -> None:
    assert latest_backup(annotated) is None
    older = daily_backup(annotated, today=DAY)
    newer = daily_backup(annotated, today=DAY + timedelta(days=1))
    assert older is not None and newer is not None
    assert latest_backup(annotated) == newer
    newer.write_bytes(b"garbage")
    assert latest_backup(annotated) == older
    assert backups.automatic_backups(annotated)[0] == newer  # found, but not offered
