"""A call's programme and type of action: the upgrade that adds them, how a refresh fills them,
and the CSV columns that carry them (docs/EU_SOURCES.md, "Funding facets")."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlite_utils.migrations import Migrations

from db import schema, userdata
from db.saving import digest
from db.store import Query, Store
from tests.db.helpers import NOW, item, open_store

CLUSTER_4 = "Horizon Europe · Cluster 4: Digital, Industry and Space"
RIA = "HORIZON Research and Innovation Actions"


def _store_before_the_facets(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store as the version before migration 0005 made it, holding a note, tags, a status
    and a star; the real migrations come back when the patch is undone."""
    earlier = Migrations(schema.MIGRATION_SET)
    for migration in schema.MIGRATIONS._migrations:
        if migration.name < "0005":
            earlier(name=migration.name)(migration.fn)
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", earlier)
        patch.setattr(schema, "SCHEMA_VERSION", 4)
        store = open_store(path)
        store.sync_sources([{"id": "ec", "name": "EU calls", "kind": "eu_funding", "url": "https://x/"}])
        assert "programme" not in store.db["records"].columns_dict
        # Written as that version wrote them: the scraped columns it had, and what the source said.
        for number, fields in ((1, {"category": "funding", "call_status": "open"}), (2, {})):
            values = {"url": item(number).url, "title": item(number).title, **fields}
            store.db.conn.execute(
                f"INSERT INTO records ({', '.join(values)}, first_seen_at, last_seen_at)"
                f" VALUES ({', '.join('?' * len(values))}, 'x', 'x')",
                list(values.values()),
            )
            said = {name: digest(value) for name, value in values.items() if name != "url"}
            store.db.conn.execute(
                "INSERT INTO record_sources VALUES (?, 'ec', 'x', 'x', ?)", (number, json.dumps(said))
            )
        # As that version saved them: its tables only (this version's Store also moves the
        # generation of kept counts, a table the store does not have yet).
        userdata.set_note(store.db, 1, "ask the NCP", "x")
        userdata.set_tags(store.db, 1, ["compute"])
        userdata.set_status(store.db, [2], "reviewing")
        userdata.set_starred(store.db, [1], True)
        store.close()


def test_the_upgrade_keeps_user_work_and_a_refresh_fills_the_facets_quietly(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_before_the_facets(db_path, monkeypatch)
    store = open_store(db_path, NOW + timedelta(days=1))
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert store.check_integrity() == []
        record = store.record(1)
        assert record is not None
        assert (record["note"], record["tags"], record["starred"]) == ("ask the NCP", ["compute"], 1)
        assert store.record(2)["status"] == "reviewing"  # type: ignore[index]
        assert (record["programme"], record["action_type"]) == (None, None)
        assert store.backups()  # copied aside before the upgrade

        listed = item(1, category="funding", call_status="open", programme=CLUSTER_4, action_type=RIA)
        assert store.needs_detail([listed], "ec") == []  # a first-known facet is no reason to fetch
        result = store.save_announcements("ec", [listed, item(2)])
        assert (result.changed, result.unchanged) == (0, 2)
        record = store.record(1)
        assert record is not None
        assert (record["programme"], record["action_type"]) == (CLUSTER_4, RIA)
        assert record["changed_at"] is None and store.versions(1) == []
        assert store.count(Query(view="changed")) == 0
        assert store.count(Query(programme=CLUSTER_4)) == 1
        assert record["note"] == "ask the NCP"
    finally:
        store.close()


def test_a_programme_that_moves_is_a_change_and_none_never_clears_it(store: Store) -> None:
    store.save_announcements("ec", [item(1, programme=CLUSTER_4, action_type=RIA)])
    store.save_announcements("ec", [item(1)])  # the source did not say: both stay
    assert store.record(1)["programme"] == CLUSTER_4  # type: ignore[index]
    store.save_announcements("ec", [item(1, programme="Digital Europe Programme", action_type=RIA)])
    [version] = store.versions(1)
    assert version["changes"] == [("programme", CLUSTER_4, "Digital Europe Programme")]


def test_the_csv_carries_the_facets_both_ways(store: Store, tmp_path: Path) -> None:
    store.save_announcements(
        "ec", [item(1, programme=CLUSTER_4, action_type=RIA, opens_at="2026-11-17T00:00:00Z")]
    )
    path = tmp_path / "out.csv"
    store.export_csv(path, Query())
    with path.open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["programme"], row["action_type"], row["opens_at"]) == (CLUSTER_4, RIA, "2026-11-17T00:00:00Z")

    other = open_store(tmp_path / "other.sqlite")
    try:
        assert other.import_csv(path).new == 1
        record = other.record(1)
        assert record is not None
        assert (record["programme"], record["action_type"]) == (CLUSTER_4, RIA)
        assert other.count(Query(action_type=RIA.lower(), opens_from="2026-11-17")) == 1
    finally:
        other.close()
