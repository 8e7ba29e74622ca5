"""Opening a store: its settings, its marks, and re-opening it changing nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlite_utils import Database

from db import schema
from db.store import Query, Store
from tests.db.helpers import count, open_store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "db"


def test_schema_version_counts_the_migrations() -> None:
    assert len(schema.MIGRATIONS.pending(Database(memory=True))) == schema.SCHEMA_VERSION


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [
        ("journal_mode", "wal"),
        ("synchronous", 2),  # FULL
        ("foreign_keys", 1),
        ("busy_timeout", 10000),
        ("journal_size_limit", 32 * 1024 * 1024),
        ("application_id", schema.APPLICATION_ID),
        ("user_version", schema.SCHEMA_VERSION),
    ],
)
def test_connection_settings(store: Store, pragma: str, expected: object) -> None:
    assert store.db.execute(f"PRAGMA {pragma}").fetchone()[0] == expected


def test_reopening_changes_nothing(db_path: Path) -> None:
    open_store(db_path).close()
    before = db_path.read_bytes()
    for _ in range(3):
        store = open_store(db_path)
        assert count(store, "SELECT count(*) FROM _sqlite_migrations") == schema.SCHEMA_VERSION
        store.close()
    assert db_path.read_bytes() == before
    assert not (db_path.parent / "backups").exists()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema-*.sqlite")), ids=lambda p: p.name)
def test_store_of_an_earlier_schema_opens_with_its_data(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(fixture, path)
    made_by = int(fixture.stem.split("-")[1])
    with Store.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert store.count(Query()) == 5
        record = store.record(1)
        assert record is not None
        assert record["note"] == "Brief: compute\nsecond line"
        assert record["tags"] == ["AI Act", "compute"]
        assert [field for field, _, _ in store.versions(1)[0]["changes"]] == ["title", "budget_amount"]
        assert store.check_integrity() == []
        # A store made by an earlier schema is copied aside before it is upgraded.
        assert bool(store.backups()) == (made_by < schema.SCHEMA_VERSION)
