"""Saving what a refresh scraped: insert new records, update changed ones, keep their history.

Announcements are read by shape (any object or mapping with the scraped field names), so this
package needs nothing from `scrapers`. The SQL here names only scraped columns: a refresh can
never write a note, status, star, read mark or tag (DESIGN §7), and rows are updated in place,
never replaced (DESIGN §8).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from db.identity import canonical_url
from db.rows import one
from db.schema import SCRAPED_FIELDS
from db.sources import ensure_source, record_success

logger = logging.getLogger(__name__)

_SELECT_STORED = f"SELECT id, {', '.join(SCRAPED_FIELDS)} FROM records WHERE url = ?"


@dataclass(frozen=True)
class SaveResult:
    """What one source's batch did to the store."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def given_fields(item: Any) -> dict[str, Any]:
    """The scraped fields an announcement states. None or blank text means "not said by this
    source", so it never clears what an earlier, fuller fetch stored."""
    values: dict[str, Any] = {}
    for name in SCRAPED_FIELDS:
        value = _get(item, name)
        if value is None:
            continue
        if name == "budget_amount":
            try:
                values[name] = float(value)
            except (TypeError, ValueError):
                logger.warning("ignoring a budget that is not a number: %r", value)
            continue
        text = str(value)
        if text.strip():
            values[name] = text
    return values


def collapse(items: Iterable[Any]) -> dict[str, tuple[Any, dict[str, Any]]]:
    """canonical URL -> (first item, merged fields): a link listed twice is one record, the
    first listing's values winning and later ones filling what it left unsaid."""
    batch: dict[str, tuple[Any, dict[str, Any]]] = {}
    for item in items:
        try:
            url = canonical_url(str(_get(item, "url") or ""))
        except ValueError:
            logger.warning("skipping an announcement with no URL: %r", _get(item, "title"))
            continue
        fields = given_fields(item)
        if url in batch:
            first, merged = batch[url]
            batch[url] = (first, {**fields, **merged})
        else:
            batch[url] = (item, fields)
    return batch


def content_hash(values: Mapping[str, Any]) -> str:
    """A digest of the scraped fields, to tell at a glance whether a record's content moved."""
    payload = json.dumps([values.get(name) for name in SCRAPED_FIELDS], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def differences(stored: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if stored.get(name) != value}


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()[
        :16
    ]


def _said_before(db: Database, record_id: int, source_id: str) -> dict[str, str] | None:
    """What `source_id` said of the record last time (field -> digest), or None if it never
    listed it."""
    row = db.conn.execute(
        "SELECT said FROM record_sources WHERE record_id = ? AND source_id = ?", (record_id, source_id)
    ).fetchone()
    return None if row is None else dict(json.loads(row[0]))


def _has_sources(db: Database, record_id: int) -> bool:
    return (
        db.conn.execute("SELECT 1 FROM record_sources WHERE record_id = ?", (record_id,)).fetchone()
        is not None
    )


def _news(
    db: Database, stored: Mapping[str, Any], fields: Mapping[str, Any], source_id: str | None
) -> dict[str, Any]:
    """The fields to write: what this source says differently from its own last report.

    A record listed by two sources (a GOV.UK search and a GOV.UK feed, a programme page and
    the Commission's) is worded differently by each; comparing with the stored record would
    make them overwrite each other at every refresh, each time a "change". So a source
    changes a field only when its own report of it changed. A source listing a record it has
    never listed before only fills what is missing, unless no source holds the record (one
    made by a CSV import), which it then brings up to date.
    """
    said = None if source_id is None else _said_before(db, stored["id"], source_id)
    if said is not None:
        candidates = {name: value for name, value in fields.items() if said.get(name) != digest(value)}
    elif source_id is not None and _has_sources(db, stored["id"]):
        candidates = {name: value for name, value in fields.items() if stored[name] is None}
    else:
        candidates = dict(fields)
    return differences(stored, candidates)


def needs_detail(db: Database, items: Iterable[Any], source_id: str | None = None) -> list[Any]:
    """The items worth a detail-page fetch: new links, or listing fields that differ from the
    store (from what `source_id` said last time, when given). Returns the caller's own
    objects, each link once."""
    wanted = []
    for url, (item, fields) in collapse(items).items():
        stored = one(db, _SELECT_STORED, (url,))
        if stored is None:
            wanted.append(item)
            continue
        said = None if source_id is None else _said_before(db, stored["id"], source_id)
        if said is None:
            news = differences(stored, fields)
        else:
            news = {name: value for name, value in fields.items() if said.get(name) != digest(value)}
        if news:
            wanted.append(item)
    return wanted


def save_announcements(
    db: Database,
    source_id: str,
    items: Iterable[Any],
    validators: tuple[str | None, str | None],
    now: str,
) -> SaveResult:
    """Save one source's batch; the caller holds the write transaction."""
    ensure_source(db, source_id)
    batch = collapse(items)
    new = changed = unchanged = 0
    for url, (_item, fields) in batch.items():
        stored = one(db, _SELECT_STORED, (url,))
        if stored is None:
            record_id = insert_record(db, url, source_id, fields, now)
            new += 1
            said: dict[str, str] = {}
        else:
            record_id = stored["id"]
            said = _said_before(db, record_id, source_id) or {}
            news = _news(db, stored, fields, source_id)
            if news:
                _update(db, stored, news, source_id, now)
                changed += 1
            else:
                db.conn.execute("UPDATE records SET last_seen_at = ? WHERE id = ?", (now, record_id))
                unchanged += 1
        said.update((name, digest(value)) for name, value in fields.items())
        db.conn.execute(
            "INSERT INTO record_sources (record_id, source_id, first_seen_at, last_seen_at, said)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (record_id, source_id) DO UPDATE"
            " SET last_seen_at = excluded.last_seen_at, said = excluded.said",
            (record_id, source_id, now, now, json.dumps(said, sort_keys=True)),
        )
    record_success(db, source_id, len(batch), validators, now)
    logger.info("%s: %d new, %d changed, %d unchanged", source_id, new, changed, unchanged)
    return SaveResult(new, changed, unchanged)


def insert_record(db: Database, url: str, source_id: str | None, fields: Mapping[str, Any], now: str) -> int:
    """A new record from scraped (or imported) fields; user fields take their defaults."""
    values = {name: fields[name] for name in SCRAPED_FIELDS if name in fields}
    values.setdefault("title", url)  # a row with no title would be blank in the tracker
    columns = ["url", "source_id", *values, "first_seen_at", "last_seen_at", "content_hash"]
    params = [url, source_id, *values.values(), now, now, content_hash(values)]
    cursor = db.conn.execute(
        f"INSERT INTO records ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        params,
    )
    return int(cursor.lastrowid or 0)


def _update(
    db: Database, stored: Mapping[str, Any], changes: Mapping[str, Any], source_id: str, now: str
) -> None:
    """Write the changed scraped fields in place and keep what they were in record_versions."""
    previous = {name: stored[name] for name in changes}
    db.conn.execute(
        "INSERT INTO record_versions"
        " (record_id, changed_at, source_id, changed_fields, previous, current)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            stored["id"],
            now,
            source_id,
            json.dumps(list(changes)),
            json.dumps(previous, ensure_ascii=False),
            json.dumps(dict(changes), ensure_ascii=False),
        ),
    )
    merged = {**stored, **changes}
    assignments = ", ".join(f"{name} = ?" for name in changes)  # names from SCRAPED_FIELDS only
    db.conn.execute(
        f"UPDATE records SET {assignments}, changed_at = ?, content_hash = ?, last_seen_at = ? WHERE id = ?",
        [*changes.values(), now, content_hash(merged), now, stored["id"]],
    )
