"""Saving what a refresh scraped: insert new records, update changed ones, keep their history.

Announcements are read by shape (any object or mapping with the scraped field names), so this
package needs nothing from `scrapers`. The SQL here names only scraped columns: a refresh can
never write a note, status, star, read mark or tag, and rows are updated in place,
never replaced.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from db.identity import canonical_url
from db.rows import chunked, dicts, marks
from db.schema import SCRAPED_FIELDS
from db.sources import ensure_source, record_success

logger = logging.getLogger(__name__)

_SELECT_STORED_MANY = f"SELECT id, url, {', '.join(SCRAPED_FIELDS)} FROM records WHERE url IN"


@dataclass(frozen=True)
class SaveResult:
    """What one source's batch did to the store."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    # Of the unchanged: listed by this source for the first time, already brought by another
    # (two feeds of one site). New to this source, not to the store: a first refresh says so
    # rather than "0 new, 8 unchanged".
    first_listed: int = 0


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def given_fields(item: Any) -> dict[str, Any]:
    """The scraped fields an announcement states. None or blank text means "not said by this
    source", so it never clears what an earlier, fuller fetch stored."""
    if isinstance(item, Mapping):
        raw = [item.get(name) for name in SCRAPED_FIELDS]
    else:
        raw = [getattr(item, name, None) for name in SCRAPED_FIELDS]
    values: dict[str, Any] = {}
    for name, value in zip(SCRAPED_FIELDS, raw, strict=True):
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if name == "budget_amount":
            try:
                values[name] = float(value)
            except (TypeError, ValueError):
                logger.warning("ignoring a budget that is not a number: %r", value)
            continue
        values[name] = value if type(value) is str else str(value)
    return values


# A link already in canonical form (lowercase http(s) host, no port, user, query or fragment,
# a path): `canonical_url` would give it back unchanged, so it is not parsed again. Most links
# a source lists, and every link of our own export, are like this.
_CANONICAL = re.compile(r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*/[^\s?#]*")


def fast_canonical_url(url: str) -> str:
    """`db.identity.canonical_url`, skipping the parse for a link already in that form."""
    return url if _CANONICAL.fullmatch(url) else canonical_url(url)


def collapse(items: Iterable[Any]) -> dict[str, tuple[Any, dict[str, Any]]]:
    """canonical URL -> (first item, merged fields): a link listed twice is one record, the
    first listing's values winning and later ones filling what it left unsaid."""
    batch: dict[str, tuple[Any, dict[str, Any]]] = {}
    for item in items:
        try:
            url = fast_canonical_url(str(_get(item, "url") or ""))
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


# json.dumps(value, ensure_ascii=False) builds an encoder at every call; this is the same encoder,
# built once (the digests below must stay byte for byte what earlier versions stored).
_JSON = json.JSONEncoder(ensure_ascii=False)


# `_JSON.encode` of a list builds the C encoder at every call (most of its cost); built once.
_C_MAKE_ENCODER = getattr(json.encoder, "c_make_encoder", None)  # absent from the stubs; None without C
_ENCODE_LIST = (
    _C_MAKE_ENCODER(None, _JSON.default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    if _C_MAKE_ENCODER is not None
    else None
)


def _list_json(values: list[Any]) -> str:
    return "".join(_ENCODE_LIST(values, 0)) if _ENCODE_LIST is not None else _JSON.encode(values)


def content_hash(values: Mapping[str, Any]) -> str:
    """A digest of the scraped fields, to tell at a glance whether a record's content moved."""
    return _scraped_hash([values.get(name) for name in SCRAPED_FIELDS])


def _scraped_hash(scraped: list[Any]) -> str:
    """`content_hash` of the scraped values already listed in SCRAPED_FIELDS order."""
    return hashlib.sha256(_list_json(scraped).encode("utf-8", "surrogatepass")).hexdigest()


# Moments a source may give to the day only, the scrapers writing that day as midnight UTC (a
# CSV as the bare date). A deadline is none of them: its day alone is written as its closing
# time (17:00 Brussels on the EU funding portal), so a midnight deadline is a real moment.
_DAY_OR_TIME_FIELDS = frozenset({"published_at", "updated_at", "opens_at"})
_DAY_ALONE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T00:00:00Z)?")


def restates(name: str, value: Any, stored: Any) -> bool:
    """Whether `value` is only the day of the moment `stored`, which says the same, better.

    The press corner's search gives a document's day and its document the time; without this,
    each refresh would take the listing's day for a change, fetch every document again, and
    on a failed document overwrite the stored time with the bare day (docs/TRUST.md)."""
    if name not in _DAY_OR_TIME_FIELDS or not isinstance(value, str) or not isinstance(stored, str):
        return False
    day = _DAY_ALONE.fullmatch(value)
    return day is not None and stored[:10] == day.group(1)


def differences(stored: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields that say something the store does not: a less precise spelling of a stored
    value (the day of a stored time) is no difference, so it never replaces that value."""
    return {
        name: value
        for name, value in fields.items()
        if stored.get(name) != value and not restates(name, value, stored.get(name))
    }


def digest(value: Any) -> str:
    return hashlib.sha256(_JSON.encode(value).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _stored_rows(db: Database, urls: Sequence[str]) -> dict[str, dict[str, Any]]:
    """url -> the stored record (id and scraped fields), for the urls that have one."""
    found: dict[str, dict[str, Any]] = {}
    for part in chunked(urls):
        for row in dicts(db, f"{_SELECT_STORED_MANY} ({marks(len(part))})", part):
            found[row.pop("url")] = row
    return found


def _said_by(db: Database, source_id: str, record_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """record id -> what `source_id` said of it last time (field -> digest), for the records
    it listed before."""
    said: dict[int, dict[str, str]] = {}
    for part in chunked(record_ids):
        for record_id, text in db.conn.execute(
            "SELECT record_id, said FROM record_sources"
            f" WHERE source_id = ? AND record_id IN ({marks(len(part))})",
            [source_id, *part],
        ):
            said[record_id] = dict(json.loads(text))
    return said


def _listed(db: Database, record_ids: Sequence[int]) -> set[int]:
    """The records some source has listed (the others came from a CSV import)."""
    listed: set[int] = set()
    for part in chunked(record_ids):
        listed.update(
            row[0]
            for row in db.conn.execute(
                f"SELECT DISTINCT record_id FROM record_sources WHERE record_id IN ({marks(len(part))})", part
            )
        )
    return listed


def _news(
    stored: Mapping[str, Any],
    fields: Mapping[str, Any],
    digests: Mapping[str, str],
    said: Mapping[str, str] | None,
    listed: bool,
) -> dict[str, Any]:
    """The fields to write: what this source says differently from its own last report.

    A record listed by two sources (a GOV.UK search and a GOV.UK feed, a programme page and
    the Commission's) is worded differently by each; comparing with the stored record would
    make them overwrite each other at every refresh, each time a "change". So a source
    changes a field only when its own report of it changed. A source listing a record it has
    never listed before only fills what is missing, unless no source holds the record (one
    made by a CSV import), which it then brings up to date.
    """
    if said is not None:
        candidates = {name: value for name, value in fields.items() if said.get(name) != digests[name]}
    elif listed:
        candidates = {name: value for name, value in fields.items() if stored[name] is None}
    else:
        candidates = dict(fields)
    return differences(stored, candidates)


def needs_detail(db: Database, items: Iterable[Any], source_id: str | None = None) -> list[Any]:
    """The items worth a detail-page fetch: new links, or listing fields that differ from the
    store (from what `source_id` said last time, when given; never a field that only restates
    the stored value less precisely, see `restates`). Returns the caller's own objects, each
    link once."""
    batch = collapse(items)
    stored = _stored_rows(db, list(batch))
    said = {} if source_id is None else _said_by(db, source_id, [row["id"] for row in stored.values()])
    wanted = []
    for url, (item, fields) in batch.items():
        row = stored.get(url)
        if row is None:
            wanted.append(item)
            continue
        before = said.get(row["id"])
        fields = {n: v for n, v in fields.items() if not (n in QUIET_FILLS and row[n] is None)}
        if before is None:
            news = differences(row, fields)
        else:
            news = {
                name: value
                for name, value in fields.items()
                if before.get(name) != digest(value) and not restates(name, value, row[name])
            }
        if news:
            wanted.append(item)
    return wanted


def save_announcements(
    db: Database,
    source_id: str,
    items: Iterable[Any],
    validators: tuple[str | None, str | None],
    now: str,
    before_writing: Callable[[tuple[int, ...]], None] | None = None,
) -> SaveResult:
    """Save one source's batch; the caller holds the write transaction.

    The batch is read in a few queries and written in a few statements: new records in one
    INSERT, changed ones in one UPDATE per set of changed fields (see `NewRecords` for why).
    `before_writing` is given, before the first change, the existing records the batch
    changes or links to this source for the first time (db/count_steps.py).
    """
    ensure_source(db, source_id)
    batch = collapse(items)
    stored = _stored_rows(db, list(batch))
    known_ids = [row["id"] for row in stored.values()]
    said_before = _said_by(db, source_id, known_ids)
    listed = _listed(db, [i for i in known_ids if i not in said_before])
    staged = NewRecords(db)
    changes: list[tuple[dict[str, Any], dict[str, Any]]] = []
    fills: list[tuple[dict[str, Any], dict[str, Any]]] = []
    unchanged: list[int] = []
    first_listed = 0
    links: list[tuple[int, str, str, str, str]] = []
    for url, (_item, fields) in batch.items():
        digests = {name: digest(value) for name, value in fields.items()}
        row = stored.get(url)
        if row is None:
            record_id = insert_record(db, url, source_id, fields, now, staged)
            said: dict[str, str] = {}
        else:
            record_id = row["id"]
            said = said_before.get(record_id) or {}
            news = _news(row, fields, digests, said_before.get(record_id), record_id in listed)
            quiet = {name: value for name, value in news.items() if name in QUIET_FILLS and row[name] is None}
            if quiet:
                row = {**row, **quiet}
                fills.append((row, quiet))
            if len(news) > len(quiet):
                changes.append((row, {name: value for name, value in news.items() if name not in quiet}))
            else:
                unchanged.append(record_id)
                first_listed += record_id not in said_before
        said.update(digests)
        links.append((record_id, source_id, now, now, json.dumps(said, sort_keys=True)))
    if before_writing is not None:
        first_links = [i for i in known_ids if i not in said_before]
        before_writing(tuple(dict.fromkeys([*(row["id"] for row, _ in changes + fills), *first_links])))
    staged.flush()
    _fill_quietly(db, fills)
    _update_changed(db, changes, source_id, now)
    for part in chunked(unchanged):
        db.conn.execute(f"UPDATE records SET last_seen_at = ? WHERE id IN ({marks(len(part))})", [now, *part])
    db.conn.executemany(
        "INSERT INTO record_sources (record_id, source_id, first_seen_at, last_seen_at, said)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (record_id, source_id) DO UPDATE"
        " SET last_seen_at = excluded.last_seen_at, said = excluded.said",
        links,
    )
    record_success(db, source_id, len(batch), validators, now)
    new, changed = len(staged.written), len(changes)
    logger.info("%s: %d new, %d changed, %d unchanged", source_id, new, changed, len(unchanged))
    return SaveResult(new, changed, len(unchanged), first_listed)


# The columns of a new record, user columns at their defaults unless an import gives them.
_NEW_COLUMNS = (
    "id", "url", "source_id", *SCRAPED_FIELDS, "first_seen_at", "last_seen_at", "content_hash",
    "note", "note_updated_at", "status", "starred", "tags_text", "followed",
)  # fmt: skip
_USER_DEFAULTS = {
    "note": None, "note_updated_at": None, "status": "new", "starred": 0, "tags_text": "", "followed": 0,
}  # fmt: skip
_DEFAULT_VALUES = tuple(_USER_DEFAULTS.values())
_TITLE = SCRAPED_FIELDS.index("title")
# New records wait here, one plain row each, until one INSERT ... SELECT moves them into `records`.
_STAGING = "temp.new_records"


class NewRecords:
    """New records of one write, inserted together when `flush` is called.

    FTS5 writes its pending terms to disk at the end of every statement that changes the index,
    so inserting row by row (each row firing the search triggers in its own statement) left a
    tiny index segment per record to merge: that was two thirds of the time of saving. One
    INSERT ... SELECT fires the triggers inside one statement, as a bulk load does. Ids are
    given out up front (the next after the largest, as SQLite itself would), so callers get
    a record's id at once.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rows: list[tuple[Any, ...]] = []
        self.written: list[int] = []
        self._next_id: int | None = None

    def add(self, url: str, source_id: str | None, fields: Mapping[str, Any], now: str,
            user: Mapping[str, Any] | None = None) -> int:  # fmt: skip
        if self._next_id is None:
            top = self.db.conn.execute("SELECT max(id) FROM records").fetchone()[0]
            self._next_id = (top or 0) + 1
        record_id = self._next_id
        self._next_id += 1
        scraped = [fields.get(name) for name in SCRAPED_FIELDS]
        if "title" not in fields:
            scraped[_TITLE] = url  # a row with no title would be blank in the tracker
        if user:
            extra = {**_USER_DEFAULTS, **user}
            user_values = tuple(extra[name] for name in _USER_DEFAULTS)
        else:
            user_values = _DEFAULT_VALUES
        digest_ = _scraped_hash(scraped)
        self.rows.append((record_id, url, source_id, *scraped, now, now, digest_, *user_values))
        return record_id

    def flush(self) -> None:
        """Write the staged records (in id order); the staging list is emptied.

        The rows go into a temporary table without indexes or triggers (one prepared statement,
        its values bound row by row), then into `records` in one INSERT ... SELECT: the search
        triggers fire inside that one statement, and no statement with tens of thousands of
        bound values is parsed at each batch."""
        if not self.rows:
            return
        conn = self.db.conn
        columns = ", ".join(_NEW_COLUMNS)
        conn.execute(f"CREATE TEMP TABLE new_records ({columns})")
        conn.executemany(f"INSERT INTO {_STAGING} VALUES ({', '.join('?' * len(_NEW_COLUMNS))})", self.rows)
        conn.execute(f"INSERT INTO records ({columns}) SELECT {columns} FROM {_STAGING} ORDER BY id")
        conn.execute(f"DROP TABLE {_STAGING}")  # the connection keeps no table of ours
        self.written.extend(row[0] for row in self.rows)
        self.rows.clear()


def insert_record(
    db: Database,
    url: str,
    source_id: str | None,
    fields: Mapping[str, Any],
    now: str,
    staged: NewRecords | None = None,
) -> int:
    """A new record from scraped (or imported) fields; user fields take their defaults.

    With `staged`, the record joins that batch (written at its `flush`); without, it is written
    at once."""
    batch = staged or NewRecords(db)
    record_id = batch.add(url, source_id, fields, now)
    if staged is None:
        batch.flush()
    return record_id


# Fields a store made before they existed holds empty on every record: the first refresh that
# states them fills them in without calling the record changed (no version, no "Changed since
# last look", no detail fetch), else every funding call would read as changed after an upgrade.
QUIET_FILLS = frozenset({"programme", "action_type"})


def _fill_quietly(db: Database, fills: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    """Write first-known values of QUIET_FILLS fields in place (`row` already holds them)."""
    for row, quiet in fills:
        assignments = ", ".join(f"{name} = ?" for name in quiet)  # names from QUIET_FILLS only
        db.conn.execute(
            f"UPDATE records SET {assignments}, content_hash = ? WHERE id = ?",
            [*quiet.values(), content_hash(row), row["id"]],
        )


def _update_changed(
    db: Database, changes: list[tuple[dict[str, Any], dict[str, Any]]], source_id: str, now: str
) -> None:
    """Write the changed scraped fields in place and keep what they were in record_versions.

    Records whose changes touch the same fields share one UPDATE (so the search index's
    triggers run in one statement, see `NewRecords`)."""
    if not changes:
        return
    db.conn.executemany(
        "INSERT INTO record_versions"
        " (record_id, changed_at, source_id, changed_fields, previous, current)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                stored["id"],
                now,
                source_id,
                json.dumps(list(news)),
                json.dumps({name: stored[name] for name in news}, ensure_ascii=False),
                json.dumps(dict(news), ensure_ascii=False),
            )
            for stored, news in changes
        ],
    )
    groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for stored, news in changes:
        names = tuple(news)  # names from SCRAPED_FIELDS only
        merged = {**stored, **news}
        groups.setdefault(names, []).append((stored["id"], *news.values(), content_hash(merged)))
    for names, rows in groups.items():
        width = len(names) + 2
        assignments = ", ".join(f"{name} = v.column{n}" for n, name in enumerate(names, start=2))
        row_marks = "(" + ", ".join("?" * width) + ")"
        step = 32_000 // width
        for start in range(0, len(rows), step):
            part = rows[start : start + step]
            db.conn.execute(
                f"UPDATE records SET {assignments}, changed_at = ?, content_hash = v.column{width},"
                f" last_seen_at = ? FROM (VALUES {', '.join([row_marks] * len(part))}) AS v"
                " WHERE records.id = v.column1",
                [now, now, *(value for row in part for value in row)],
            )
