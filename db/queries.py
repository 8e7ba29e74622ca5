"""The tracker's query: views, filters and sort keys turned into SQL from fixed tables.

Nothing the user types reaches the SQL text: sort keys and views are looked up in the tables
below, and filter values and search terms are bound parameters.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from db.search import fts_terms

logger = logging.getLogger(__name__)

VIEWS: dict[str, str] = {
    "all": "All",
    "unread": "Unread",
    "starred": "Starred",
    "open_funding": "Funding open",
    "closing_soon": "Closing in 14 days",
    "changed": "Changed since last look",
    "notes": "Notes",
    "archived": "Archived",
}
# The sort a view opens with (sort key, descending); other views use Query's default.
VIEW_DEFAULT_SORT: dict[str, tuple[str, bool]] = {
    "open_funding": ("deadline", False),
    "closing_soon": ("deadline", False),
}
CLOSING_SOON_DAYS = 14

SORT_KEYS: tuple[str, ...] = (
    "star",
    "title",
    "category",
    "jurisdiction",
    "source",
    "published",
    "deadline",
    "days_left",
    "budget",
    "status",
    "tags",
    "note",
)

# Workflow order, not alphabetical; the same expression is indexed (db.schema).
STATUS_ORDER_SQL = "(CASE r.status WHEN 'new' THEN 0 WHEN 'reviewing' THEN 1 WHEN 'done' THEN 2 ELSE 3 END)"

# sort key -> (SQL expression, empty values last in both directions). Each has an index.
# `source` sorts by the source's id (a readable slug) so that it can use an index; the name
# lives in another table.
_SORT_SQL: dict[str, tuple[str, bool]] = {
    "star": ("r.starred", False),
    "title": ("r.title COLLATE NOCASE", False),
    "category": ("r.category", False),
    "jurisdiction": ("r.jurisdiction", False),
    "source": ("r.source_id", False),
    "published": ("r.published_at", True),
    "deadline": ("r.deadline_at", True),
    "days_left": ("r.deadline_at", True),
    "budget": ("r.budget_amount", True),
    "status": (STATUS_ORDER_SQL, False),
    "tags": ("r.tags_text COLLATE NOCASE", False),
    "note": ("substr(r.note, 1, 64) COLLATE NOCASE", False),  # as indexed (db.schema)
}

_NOT_ARCHIVED = "r.status != 'archived'"
_COLUMN = re.compile(r"\br\.(?=\w)")
# Up to this many matching records, a page is found through the filters' indexes and sorted;
# beyond it, by walking the sort index (a few hundred matches turn up quickly).
FILTER_FIRST_MAX = 20_000
_CALL_OPEN = (
    "(lower(coalesce(r.call_status, '')) LIKE 'open%'"
    " OR lower(coalesce(r.call_status, '')) LIKE 'forthcoming%'"
    " OR lower(coalesce(r.call_status, '')) LIKE 'upcoming%')"
)
_CALL_CLOSED = "lower(coalesce(r.call_status, '')) LIKE 'closed%'"

# view -> SQL condition; `:now` and `:soon` are bound at query time. The notes and changed
# conditions imply the WHERE clauses of their partial indexes (db.schema): keep them so.
_VIEW_SQL: dict[str, str] = {
    "all": "1",
    "unread": "r.read_at IS NULL",
    "starred": "r.starred = 1",
    # A source that says "closed" is believed over a deadline still in the future.
    "open_funding": (
        f"r.category = 'funding' AND ({_CALL_OPEN} OR (r.deadline_at >= :now AND NOT {_CALL_CLOSED}))"
    ),
    "closing_soon": "r.deadline_at >= :now AND r.deadline_at <= :soon",
    "changed": "r.changed_at IS NOT NULL AND (r.read_at IS NULL OR r.changed_at > r.read_at)",
    "notes": "r.note IS NOT NULL AND r.note != ''",
    "archived": "r.status = 'archived'",
}


@dataclass
class Query:
    """What the tracker shows: a view, filters, a search and a sort (docs/ARCHITECTURE.md).

    Every view but `archived` hides archived records, unless `status` asks for a status.
    `date_from`/`date_to` bound `published_at` (a date includes its whole day).
    """

    search: str = ""
    view: str = "all"
    source_id: str | None = None
    category: str | None = None
    jurisdiction: str | None = None
    status: str | None = None
    tag: str | None = None
    date_from: str | date | None = None
    date_to: str | date | None = None
    sort: str = "published"
    descending: bool = True


def iso_now(now: datetime) -> str:
    """`now` in the scrapers' date format, so it compares as text with stored dates."""
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def _minute(now: datetime) -> datetime:
    # Views are as of the minute, so one query's text and parameters (and its cached count)
    # stay the same while the user scrolls.
    return now.replace(second=0, microsecond=0)


def _date_text(value: str | date) -> str:
    return value.isoformat() if isinstance(value, date) else str(value).strip()


def where_clause(q: Query, now: datetime, walk: bool = False) -> tuple[str, dict[str, Any]]:
    """The WHERE condition (over `records r`) and its parameters for `q`.

    `walk` writes every column as `+r.column`: the same values, but SQLite may no longer use
    an index to filter, so it walks the sort index instead (see `page_query`).
    """
    if q.view not in _VIEW_SQL:
        raise ValueError(f"unknown view {q.view!r} (known: {', '.join(VIEWS)})")
    params: dict[str, Any] = {}
    conditions = [_VIEW_SQL[q.view]]
    if ":now" in conditions[0]:
        params["now"] = iso_now(_minute(now))
        params["soon"] = iso_now(_minute(now) + timedelta(days=CLOSING_SOON_DAYS))
    if q.status:
        conditions.append("r.status = :status")
        params["status"] = q.status
    elif q.view != "archived":
        conditions.append(_NOT_ARCHIVED)
    if q.source_id:
        conditions.append("r.id IN (SELECT record_id FROM record_sources WHERE source_id = :source_id)")
        params["source_id"] = q.source_id
    if q.category:
        conditions.append("r.category = :category")
        params["category"] = q.category
    if q.jurisdiction:
        conditions.append("r.jurisdiction = :jurisdiction")
        params["jurisdiction"] = q.jurisdiction
    if q.tag:
        conditions.append(
            "r.id IN (SELECT rt.record_id FROM record_tags rt JOIN tags t ON t.id = rt.tag_id"
            " WHERE t.name = :tag)"
        )
        params["tag"] = q.tag.strip()
    if q.date_from:
        conditions.append("r.published_at >= :date_from")
        params["date_from"] = _date_text(q.date_from)
    if q.date_to:
        text = _date_text(q.date_to)
        if len(text) == 10:  # a day: everything published on it counts
            conditions.append("r.published_at < :date_to")
            params["date_to"] = (date.fromisoformat(text) + timedelta(days=1)).isoformat()
        else:
            conditions.append("r.published_at <= :date_to")
            params["date_to"] = text
    for number, term in enumerate(fts_terms(q.search)):
        name = f"term{number}"
        conditions.append(
            f"r.id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH :{name}"
            f" UNION SELECT rowid FROM notes_fts WHERE notes_fts MATCH :{name})"
        )
        params[name] = term
    where = " AND ".join(f"({c})" for c in conditions)
    return (_COLUMN.sub("+r.", where) if walk else where), params


def order_clause(q: Query, filter_first: bool = False) -> str:
    """ORDER BY from the fixed table: ties broken by id, empty dates and budgets last.

    `filter_first` writes the terms with SQLite's unary `+` (same values, no index), so the
    planner finds the few matching records through the filters' indexes and sorts them,
    instead of walking a million records in order to find them.
    """
    if q.sort not in _SORT_SQL:
        raise ValueError(f"unknown sort key {q.sort!r} (known: {', '.join(SORT_KEYS)})")
    expression, nulls_last = _SORT_SQL[q.sort]
    record_id = "r.id"
    if filter_first:
        expression, record_id = f"+{expression}", "+r.id"
    direction = "DESC" if q.descending else "ASC"
    if nulls_last:
        return f"({expression} IS NULL), {expression} {direction}, {record_id} {direction}"
    return f"{expression} {direction}, {record_id} {direction}"


def page_query(q: Query, now: datetime, matching: int) -> tuple[str, dict[str, Any]]:
    """The ids of one page (`:limit`, `:offset` to bind), shaped by how many records match.

    SQLite's planner cannot tell "unread: nearly everything" from "unread: twelve records", so
    the count decides: few matches are found through the filters' indexes and sorted; many
    are met by walking the sort index, whose covering entries make a deep offset cheap.
    """
    filter_first = matching <= FILTER_FIRST_MAX
    where, params = where_clause(q, now, walk=not filter_first)
    order = order_clause(q, filter_first=filter_first)
    sql = f"SELECT r.id FROM records r WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset"
    return sql, params
