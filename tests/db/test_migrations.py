"""Upgrading a store: a backup first, all-or-nothing migrations, newer files refused untouched."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db import schema
from db.backups import KEEP_BACKUPS, list_backups
from db.store import Store, StoreError
from tests.db.helpers import item, open_store


def _add_column(number: int) -> Callable[[Database], None]:
    def migrate(db: Database) -> None:
        db.execute(f"ALTER TABLE records ADD COLUMN extra{number} TEXT")

    return migrate


def _fail(db: Database) -> None:
    db.execute("ALTER TABLE records ADD COLUMN half_done TEXT")
    raise RuntimeError("migration bug")


REAL = schema.SCHEMA_VERSION  # the migrations this version of the app ships
REAL_MIGRATIONS = [(m.name, m.fn) for m in schema.MIGRATIONS._migrations]


def _use_migrations(monkeypatch: pytest.MonkeyPatch, *extra: Callable[[Database], None]) -> None:
    """Pretend this version of the app has `extra` migrations after the real ones."""
    migrations = Migrations(schema.MIGRATION_SET)
    for name, fn in REAL_MIGRATIONS:
        migrations(name=name)(fn)
    for number, fn in enumerate(extra, start=REAL + 1):
        migrations(name=f"{number:04d}_test")(fn)
    monkeypatch.setattr(schema, "MIGRATIONS", migrations)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", REAL + len(extra))


def _store_with_a_note(path: Path) -> None:
    store = open_store(path)
    store.save_announcements("src", [item(1), item(2)])
    store.set_note(1, "keep me")
    store.close()


def test_upgrade_backs_the_file_up_first(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _store_with_a_note(db_path)
    _use_migrations(monkeypatch, _add_column(2))
    with Store.open(db_path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == REAL + 1
        assert "extra2" in store.db["records"].columns_dict
        assert store.record(1)["note"] == "keep me"  # type: ignore[index]
        [backup] = store.backups()
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == REAL
    assert old.execute("SELECT note FROM records WHERE id = 1").fetchone()[0] == "keep me"
    assert "extra2" not in [r[1] for r in old.execute("PRAGMA table_info(records)")]
    old.close()


def test_only_the_last_few_backups_are_kept(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _store_with_a_note(db_path)
    steps: list[Callable[[Database], None]] = []
    for number in range(2, 7):
        steps.append(_add_column(number))
        _use_migrations(monkeypatch, *steps)
        Store.open(db_path).close()
    backups = list_backups(db_path)
    assert len(backups) == KEEP_BACKUPS
    assert [b.name.split("-")[1] for b in backups] == [f"schema{REAL + n}" for n in (4, 3, 2)]


def test_a_failing_migration_changes_nothing(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _store_with_a_note(db_path)
    _use_migrations(monkeypatch, _fail)
    with pytest.raises(RuntimeError, match="migration bug"):
        Store.open(db_path)
    assert len(list_backups(db_path)) == 1
    monkeypatch.undo()
    with Store.open(db_path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == REAL
        assert "half_done" not in store.db["records"].columns_dict
        assert store.record(1)["note"] == "keep me"  # type: ignore[index]


def test_a_store_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    _store_with_a_note(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer version of Policy Tracker"):
        Store.open(db_path)
    assert db_path.read_bytes() == before
    assert list_backups(db_path) == []
