"""What changed since a moment: deadlines moved, budgets changed, calls opened or closed, and
each watchlist's new records, read from what refreshes kept (record_versions, first_seen_at).

The answer is data (`Changes`), worded elsewhere: `policy-tracker fetch --report` and the
window's "What changed" view read the same lists. Only what refreshes did counts: the versions
a CSV import keeps of the user's own values are not news.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from db import watchlists
from db.csv_io import IMPORT_UNDONE, IMPORTED
from db.rows import chunked, dicts, marks

logger = logging.getLogger(__name__)

MAX_LISTED = 20  # records named per watchlist; the count says how many in all

# The lists of field changes in a Changes, in the order a report gives them.
CHANGE_KINDS = ("deadlines_moved", "budgets_changed", "calls_opened", "calls_closed")


@dataclass(frozen=True)
class RecordRef:
    """A record as a report names it."""

    id: int
    title: str
    url: str
    deadline_at: str | None
    followed: bool


@dataclass(frozen=True)
class FieldChange:
    """One field of one record, from what it was at the moment asked about to what it is."""

    record: RecordRef
    old: Any
    new: Any
    currency: str | None = None


@dataclass(frozen=True)
class WatchlistNews:
    """A watchlist's records first seen since the moment: how many, and the newest few."""

    watchlist_id: int
    name: str
    notify: bool
    new: int
    records: tuple[RecordRef, ...]


@dataclass(frozen=True)
class Changes:
    """Everything `changes_since` found; false when nothing did."""

    since: str
    new_in_watchlists: tuple[WatchlistNews, ...] = ()
    deadlines_moved: tuple[FieldChange, ...] = ()
    budgets_changed: tuple[FieldChange, ...] = ()
    calls_opened: tuple[FieldChange, ...] = ()
    calls_closed: tuple[FieldChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.new_in_watchlists) or any(getattr(self, kind) for kind in CHANGE_KINDS)

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (the `--report --json` output)."""

        def ref(r: RecordRef) -> dict[str, Any]:
            return {
                "id": r.id,
                "title": r.title,
                "url": r.url,
                "deadline_at": r.deadline_at,
                "followed": r.followed,
            }

        def change(c: FieldChange) -> dict[str, Any]:
            out = {**ref(c.record), "old": c.old, "new": c.new}
            if c.currency is not None:
                out["currency"] = c.currency
            return out

        return {
            "since": self.since,
            "new_in_watchlists": [
                {
                    "watchlist_id": n.watchlist_id,
                    "name": n.name,
                    "new": n.new,
                    "records": [ref(r) for r in n.records],
                }
                for n in self.new_in_watchlists
            ],
            **{kind: [change(c) for c in getattr(self, kind)] for kind in CHANGE_KINDS},
        }


def _says(status: object, word: str) -> bool:
    """Whether a call status says `word` ("Open", "open for submission"; "closed")."""
    return str(status or "").strip().lower().startswith(word)


def _moved(db: Database, since: str) -> dict[int, dict[str, tuple[Any, Any]]]:
    """Each record's fields that refreshes changed after `since`: (value then, value now)."""
    moved: dict[int, dict[str, tuple[Any, Any]]] = {}
    rows = db.conn.execute(
        "SELECT record_id, changed_fields, previous, current FROM record_versions"
        " WHERE changed_at > ? AND coalesce(source_id, '') NOT IN (?, ?) ORDER BY id",
        (since, IMPORTED, IMPORT_UNDONE),
    ).fetchall()
    for record_id, names, previous, current in rows:
        before, after = json.loads(previous), json.loads(current)
        fields = moved.setdefault(int(record_id), {})
        for name in json.loads(names):
            first = fields[name][0] if name in fields else before.get(name)
            fields[name] = (first, after.get(name))
    return moved


def _refs(db: Database, ids: list[int]) -> dict[int, tuple[RecordRef, str | None]]:
    out: dict[int, tuple[RecordRef, str | None]] = {}
    for part in chunked(ids):
        for row in dicts(
            db,
            "SELECT id, title, url, deadline_at, followed, budget_currency FROM records"
            f" WHERE id IN ({marks(len(part))})",
            list(part),
        ):
            ref = RecordRef(row["id"], row["title"], row["url"], row["deadline_at"], bool(row["followed"]))
            out[row["id"]] = (ref, row["budget_currency"])
    return out


def _news(db: Database, since: str, now: datetime) -> list[WatchlistNews]:
    out = []
    for w in watchlists.watchlists(db):
        assert w.id is not None
        sql, params = watchlists.first_seen_after(db, w, now, since)
        count = int(db.conn.execute(f"SELECT count(*) {sql}", params).fetchone()[0])
        if not count:
            continue
        rows = dicts(
            db,
            f"SELECT r.id, r.title, r.url, r.deadline_at, r.followed {sql}"
            f" ORDER BY r.id DESC LIMIT {MAX_LISTED}",
            params,
        )
        refs = tuple(
            RecordRef(r["id"], r["title"], r["url"], r["deadline_at"], bool(r["followed"])) for r in rows
        )
        out.append(WatchlistNews(w.id, w.name, w.notify, count, refs))
    return out


def changes_since(db: Database, since: str, now: datetime) -> Changes:
    """What refreshes changed after `since` (a stored timestamp), as of `now` (which the
    watchlists' deadline windows are relative to). Followed records come first in each list;
    then by deadline."""
    moved = _moved(db, since)
    refs = _refs(db, sorted(moved))
    kinds: dict[str, list[FieldChange]] = {"deadline": [], "budget": [], "opened": [], "closed": []}
    for record_id, fields in moved.items():
        if record_id not in refs:
            continue  # deleted since (an undone import)
        ref, currency = refs[record_id]
        for name, (old, new) in fields.items():
            if old == new:
                continue  # moved and moved back
            if name == "deadline_at":
                kinds["deadline"].append(FieldChange(ref, old, new))
            elif name == "budget_amount":
                kinds["budget"].append(FieldChange(ref, old, new, currency))
            elif name == "call_status" and _says(new, "open") and not _says(old, "open"):
                kinds["opened"].append(FieldChange(ref, old, new))  # from forthcoming, say
            elif name == "call_status" and _says(new, "closed") and not _says(old, "closed"):
                kinds["closed"].append(FieldChange(ref, old, new))

    def ordered(items: list[FieldChange]) -> tuple[FieldChange, ...]:
        return tuple(
            sorted(
                items,
                key=lambda c: (
                    not c.record.followed,
                    c.record.deadline_at is None,
                    c.record.deadline_at or "",
                    c.record.id,
                ),
            )
        )

    return Changes(
        since=since,
        new_in_watchlists=tuple(_news(db, since, now)),
        deadlines_moved=ordered(kinds["deadline"]),
        budgets_changed=ordered(kinds["budget"]),
        calls_opened=ordered(kinds["opened"]),
        calls_closed=ordered(kinds["closed"]),
    )


# The fields a row's changes name first (what a funding officer acts on); any other follows.
_FIRST_SAID = ("deadline_at", "budget_amount", "call_status", "opens_at", "title")
# Long texts: a change is named, its values never read into a page (they may be megabytes).
_LONG_FIELDS = ("summary", "body")
_LONG_PATHS = ", ".join(f"'$.{name}'" for name in _LONG_FIELDS)


def add_previous_values(db: Database, rows: list[dict[str, Any]]) -> None:
    """Add to each page row what refreshes changed, read from record_versions by record id
    (its index `record_versions_by_record`): only the rows of records ever changed, so a page
    costs one indexed look-up of the versions of at most its own records.

    * `deadline_was`, `deadline_moved_at`: the deadline before the last refresh that moved
      it, and when (None when no refresh ever did); `budget_was`, `budget_moved_at` alike.
    * `changes_since_read`: [(field, old, new)] of every change a refresh made after the
      user last read the record (all of them when never read), each field once, from its
      first old value to its latest (a field moved and moved back is left out). Long texts
      carry no values, only their name.
    CSV imports are the user's own values, not news, and are left out like in `changes_since`.
    """
    for row in rows:
        row.update(deadline_was=None, deadline_moved_at=None, budget_was=None, budget_moved_at=None)
        row["changes_since_read"] = []
    changed = {int(row["id"]): row for row in rows if row.get("changed_at")}
    for part in chunked(sorted(changed)):
        versions = db.conn.execute(
            "SELECT record_id, changed_at, changed_fields,"
            f" json_remove(previous, {_LONG_PATHS}), json_remove(current, {_LONG_PATHS})"
            f" FROM record_versions WHERE record_id IN ({marks(len(part))})"
            " AND coalesce(source_id, '') NOT IN (?, ?) ORDER BY record_id, id",
            [*part, IMPORTED, IMPORT_UNDONE],
        ).fetchall()
        since: dict[int, dict[str, tuple[Any, Any]]] = {}
        for record_id, changed_at, names, previous, current in versions:
            row = changed[int(record_id)]
            fields = json.loads(names)
            before, after = json.loads(previous), json.loads(current)
            if "deadline_at" in fields:
                row.update(deadline_was=before.get("deadline_at"), deadline_moved_at=changed_at)
            if "budget_amount" in fields:
                row.update(budget_was=before.get("budget_amount"), budget_moved_at=changed_at)
            if row.get("read_at") and changed_at <= row["read_at"]:
                continue
            seen = since.setdefault(int(record_id), {})
            for name in fields:
                first = seen[name][0] if name in seen else before.get(name)
                seen[name] = (first, after.get(name))
        for record_id, fields in since.items():
            said = sorted(fields, key=lambda name: _FIRST_SAID.index(name) if name in _FIRST_SAID else 99)
            changed[record_id]["changes_since_read"] = [
                (name, *fields[name])
                for name in said
                if name in _LONG_FIELDS or fields[name][0] != fields[name][1]
            ]
