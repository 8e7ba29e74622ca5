"""Sources and their health: what was configured, when each was last fetched, and whether the
last fetch looks like a site that changed under us (the mark db/profiles.py keeps)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from sqlite_utils import Database

from db.profiles import marked_reasons
from db.rows import dicts, one


class StoredValidators(NamedTuple):
    """What the server said last time; unpacks as (etag, last_modified) like the scrapers'
    Validators, e.g. `Validators(*store.validators(source_id))`."""

    etag: str | None = None
    last_modified: str | None = None


def _get(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def sync_sources(db: Database, sources: Iterable[Any]) -> None:
    """Insert or update the configured sources; health columns and records are kept."""
    for source in sources:
        config = _get(source, "config", None)
        if config is None:
            config = _get(source, "options", {})  # a scrapers.model.Source, passed as is
        db.conn.execute(
            "INSERT INTO sources (id, name, kind, url, jurisdiction, category, enabled, config)"
            " VALUES (:id, :name, :kind, :url, :jurisdiction, :category, :enabled, :config)"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
            " url = excluded.url, jurisdiction = excluded.jurisdiction,"
            " category = excluded.category, enabled = excluded.enabled, config = excluded.config",
            {
                "id": str(_get(source, "id")),
                "name": str(_get(source, "name") or _get(source, "id")),
                "kind": str(_get(source, "kind") or ""),
                "url": str(_get(source, "url") or ""),
                "jurisdiction": _get(source, "jurisdiction") or None,
                "category": _get(source, "category") or None,
                "enabled": 1 if _get(source, "enabled", True) else 0,
                "config": json.dumps(config if config is not None else {}, default=str),
            },
        )


def ensure_source(db: Database, source_id: str) -> None:
    """A row for a source id not (yet) synced, so its records keep their link to it."""
    db.conn.execute(
        "INSERT INTO sources (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
        (source_id, source_id),
    )


def validator_values(validators: Any) -> StoredValidators:
    """(etag, last_modified) from None, a pair, or any object with those attributes."""
    if validators is None:
        return StoredValidators()
    if isinstance(validators, tuple | list):
        return StoredValidators(*validators[:2])
    return StoredValidators(_get(validators, "etag"), _get(validators, "last_modified"))


def record_success(db: Database, source_id: str, item_count: int, validators: Any, now: str) -> None:
    etag, last_modified = validator_values(validators)
    db.conn.execute(
        "UPDATE sources SET last_attempt_at = ?, last_success_at = ?, last_error = NULL,"
        " last_item_count = ?, etag = ?, last_modified = ? WHERE id = ?",
        (now, now, item_count, etag, last_modified, source_id),
    )


def record_not_modified(db: Database, source_id: str, now: str) -> None:
    """A 304: the source is healthy and nothing it lists changed."""
    ensure_source(db, source_id)
    db.conn.execute(
        "UPDATE sources SET last_attempt_at = ?, last_success_at = ?, last_error = NULL WHERE id = ?",
        (now, now, source_id),
    )


def record_failure(db: Database, source_id: str, error: str, now: str) -> None:
    ensure_source(db, source_id)
    db.conn.execute(
        "UPDATE sources SET last_attempt_at = ?, last_error = ? WHERE id = ?",
        (now, error, source_id),
    )


def source_rows(db: Database) -> list[dict[str, Any]]:
    rows = dicts(
        db,
        "SELECT s.*, (SELECT count(*) FROM record_sources rs WHERE rs.source_id = s.id)"
        " AS record_count FROM sources s ORDER BY s.name COLLATE NOCASE, s.id",
    )
    for row in rows:
        row["enabled"] = bool(row["enabled"])
        row["config"] = json.loads(row["config"] or "{}")
        row["site_changed"] = marked_reasons(row["site_changed"])
    return rows


def last_attempt_at(db: Database) -> str | None:
    """When any source was last fetched (ISO text), None when none ever was: from the sources
    table alone (`source_rows` also counts each source's records: 80 ms at a million)."""
    row = db.conn.execute("SELECT max(last_attempt_at) FROM sources").fetchone()
    return str(row[0]) if row and row[0] else None


def validators(db: Database, source_id: str) -> StoredValidators:
    row = one(db, "SELECT etag, last_modified FROM sources WHERE id = ?", (source_id,))
    return StoredValidators(row["etag"], row["last_modified"]) if row else StoredValidators()
