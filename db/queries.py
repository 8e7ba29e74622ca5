"""The tracker's query: views, filters and sort keys turned into SQL from fixed tables.

Nothing the user types reaches the SQL text: sort keys and views are looked up in the tables
below, and filter values and search terms are bound parameters.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from db.connection import PROGRESS_STEPS
from db.schema import CALL_OPEN_SQL
from db.search import RELEVANCE_SQL, SearchTerms, expanded, search_terms

logger = logging.getLogger(__name__)

VIEWS: dict[str, str] = {
    "all": "All",
    "unread": "Unread",
    "starred": "Starred",
    "open_funding": "Funding open",
    "policy": "Policy",
    "closing_soon": "Closing in 14 days",
    "changed": "Changed since last look",
    "notes": "Notes",
    "followed": "Followed",
    "archived": "Archived",
}
# The sort a view opens with (sort key, descending); other views use Query's default.
VIEW_DEFAULT_SORT: dict[str, tuple[str, bool]] = {
    "open_funding": ("deadline", False),
    "closing_soon": ("deadline", False),
    "followed": ("deadline", False),
}
CLOSING_SOON_DAYS = 14
POLICY_VIEW_CATEGORIES = ("policy", "consultation", "legislation")

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
    "call_status",
    "programme",
    "action_type",
    "opens",
    "relevance",  # a search's best matches first (no column: a choice of the View menu)
)
RELEVANCE = "relevance"

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
    # The funding facets, empty values first going up as a category's (migration 0005).
    "call_status": ("r.call_status COLLATE NOCASE", False),
    "programme": ("r.programme COLLATE NOCASE", False),
    "action_type": ("r.action_type COLLATE NOCASE", False),
    "opens": ("r.opens_at", False),
    # A record's text score, most relevant (lowest bm25) first; a match through its note only
    # has none and comes after. Written out per record for an export or a bulk selection; a
    # page is ranked by one pass over the matches instead (`_relevance_page`).
    RELEVANCE: (
        f"(SELECT {RELEVANCE_SQL} FROM records_fts WHERE records_fts MATCH :fts_text AND rowid = r.id)",
        True,
    ),
}

_NOT_ARCHIVED = "r.status != 'archived'"
_COLUMN = re.compile(r"\br\.(?=\w)")
# Up to this many matching records, a page is found through the filters' indexes and sorted;
# beyond it, by walking the sort index (a few hundred matches turn up quickly).
FILTER_FIRST_MAX = 20_000
_CALL_OPEN = CALL_OPEN_SQL.replace("call_status", "r.call_status")
_CALL_CLOSED = "lower(coalesce(r.call_status, '')) LIKE 'closed%'"

# view -> SQL condition; `:now` and `:soon` are bound at query time. The notes and changed
# conditions imply the WHERE clauses of their partial indexes (db.schema): keep them so.
_VIEW_SQL: dict[str, str] = {
    "all": "1",
    "unread": "r.read_at IS NULL",
    "starred": "r.starred = 1",
    # A source that says "closed" is believed over a deadline still in the future.
    # A call the portal still says is open or forthcoming, but whose deadline has passed, is not
    # open to an applicant: the portal's status lags its own dates.
    "open_funding": (
        f"r.category = 'funding' AND (({_CALL_OPEN} AND (r.deadline_at IS NULL OR r.deadline_at >= :now))"
        f" OR (r.deadline_at >= :now AND NOT {_CALL_CLOSED}))"
    ),
    # Policy papers, consultations and legislation: what a policy officer reads, not the news.
    "policy": f"r.category IN ({', '.join(repr(c) for c in POLICY_VIEW_CATEGORIES)})",
    "closing_soon": "r.deadline_at >= :now AND r.deadline_at <= :soon",
    "changed": "r.changed_at IS NOT NULL AND (r.read_at IS NULL OR r.changed_at > r.read_at)",
    "notes": "r.note IS NOT NULL AND r.note != ''",
    "followed": "r.followed = 1",  # implies the partial index records_followed (db.schema)
    "archived": "r.status = 'archived'",
}
# The same views as lists of records, for counting and for finding a few matches: "Funding
# open" as two lists, each through its own index (the calls whose status says open, which a
# partial index holds, and the funding records with a deadline still to come), instead of a
# test of the status text of every funding record.
_VIEW_LIST: dict[str, str] = {
    "open_funding": (
        "r.id IN (SELECT id FROM records INDEXED BY records_call_open"
        f" WHERE category = 'funding' AND {CALL_OPEN_SQL} AND (deadline_at IS NULL OR deadline_at >= :now)"
        " UNION ALL SELECT id FROM records WHERE category = 'funding' AND deadline_at >= :now"
        " AND NOT lower(coalesce(call_status, '')) LIKE 'closed%')"
    ),
}


@dataclass
class Query:
    """What the tracker shows: a view, filters, a search and a sort (docs/ARCHITECTURE.md).

    Every view but `archived` hides archived records, unless `status` asks for a status.
    `date_from`/`date_to` bound `published_at` (a date includes its whole day).
    `deadline_within_days` keeps the records whose deadline is still to come within that many
    days (a watchlist's deadline window, db/watchlists.py).
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
    deadline_within_days: int | None = None  # a deadline from now to this many days ahead
    # The funding facets (docs/EU_SOURCES.md, "Funding facets"): the call statuses to keep
    # ("open", "forthcoming", "closed" as the sources say them; empty: any), one programme and
    # one type of action (as stored), and ranges of opening and closing dates, bounded like
    # `date_from`/`date_to` (a date includes its whole day, in UTC as the dates are stored).
    call_status: tuple[str, ...] = ()
    programme: str | None = None
    action_type: str | None = None
    opens_from: str | date | None = None
    opens_to: str | date | None = None
    deadline_from: str | date | None = None
    deadline_to: str | date | None = None


def iso_now(now: datetime) -> str:
    """`now` in the scrapers' date format, so it compares as text with stored dates."""
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def _minute(now: datetime) -> datetime:
    # Views are as of the minute, so one query's text and parameters (and its cached count)
    # stay the same while the user scrolls.
    return now.replace(second=0, microsecond=0)


def _date_text(value: str | date) -> str:
    return value.isoformat() if isinstance(value, date) else str(value).strip()


def where_clause(
    q: Query,
    now: datetime,
    walk: bool = False,
    terms: SearchTerms | None = None,
    test_text: bool | None = None,
    test_lists: bool = True,
) -> tuple[str, dict[str, Any]]:
    """The WHERE condition (over `records r`) and its parameters for `q`.

    `walk` writes every column as `+r.column`: the same values, but SQLite may no longer use
    an index to filter, so it walks the sort index instead (see `page_query`); the source, tag
    and (with whole-word `terms`) search conditions then test each record it meets, instead
    of first listing every record that passes. `terms` are the search's words as prepared by
    `db.search.expanded`; by default, as typed. `test_text=False` (the search) and
    `test_lists=False` (source and tag) keep those conditions lists even when walking: a walk
    that meets many records tests them more cheaply against a list made once (a test of the
    search index costs a seek in each of its segments, tens of microseconds).
    """
    if q.view not in _VIEW_SQL:
        raise ValueError(f"unknown view {q.view!r} (known: {', '.join(VIEWS)})")
    params: dict[str, Any] = {}
    conditions = [_VIEW_SQL[q.view] if walk else _VIEW_LIST.get(q.view, _VIEW_SQL[q.view])]
    if ":now" in conditions[0]:
        params["now"] = iso_now(_minute(now))
        params["soon"] = iso_now(_minute(now) + timedelta(days=CLOSING_SOON_DAYS))
    if q.status:
        conditions.append("r.status = :status")
        params["status"] = q.status
    elif q.view != "archived":
        conditions.append(_NOT_ARCHIVED)
    if q.source_id:
        conditions.append(_SOURCE_TEST if walk and test_lists else _SOURCE_LIST)
        params["source_id"] = q.source_id
    if q.category:
        conditions.append("r.category = :category")
        params["category"] = q.category
    if q.jurisdiction:
        conditions.append("r.jurisdiction = :jurisdiction")
        params["jurisdiction"] = q.jurisdiction
    if q.tag:
        conditions.append(_TAG_TEST if walk and test_lists else _TAG_LIST)
        params["tag"] = q.tag.strip()
    conditions += _date_range("r.published_at", "date", q.date_from, q.date_to, params)
    conditions += _facets(q, params)
    if q.deadline_within_days is not None:
        conditions.append("r.deadline_at >= :now AND r.deadline_at <= :deadline_until")
        params["now"] = iso_now(_minute(now))
        params["deadline_until"] = iso_now(_minute(now) + timedelta(days=q.deadline_within_days))
    terms = terms if terms is not None else search_terms(q.search)
    if terms.words:
        test_each = walk if test_text is None else (walk and test_text)
        conditions.append(_search_condition(terms, params, test_each=test_each))
    where = " AND ".join(f"({c})" for c in conditions)
    return (_COLUMN.sub("+r.", where) if walk else where), params


def _date_range(
    column: str, name: str, start: str | date | None, end: str | date | None, params: dict[str, Any]
) -> list[str]:
    """`column` from `start` to `end` (either may be None); an end that is a day includes it."""
    conditions = []
    if start:
        conditions.append(f"{column} >= :{name}_from")
        params[f"{name}_from"] = _date_text(start)
    if end:
        text = _date_text(end)
        if len(text) == 10:  # a day: everything on it counts
            conditions.append(f"{column} < :{name}_to")
            params[f"{name}_to"] = (date.fromisoformat(text) + timedelta(days=1)).isoformat()
        else:
            conditions.append(f"{column} <= :{name}_to")
            params[f"{name}_to"] = text
    return conditions


# A call status filter's value -> how the sources begin that status (as the "Funding open" view
# reads them: "Open - no closing date" is open, "Upcoming" forthcoming).
CALL_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "open": ("open",),
    "forthcoming": ("forthcoming", "upcoming"),
    "closed": ("closed",),
}


def _status_words(value: str) -> tuple[str, ...]:
    words = CALL_STATUS_WORDS.get(value.strip().lower())
    if words is None:
        raise ValueError(f"unknown call status {value!r} (known: {', '.join(CALL_STATUS_WORDS)})")
    return words


def _facets(q: Query, params: dict[str, Any]) -> list[str]:
    """The funding facets' conditions, each served by its partial index (migration 0005)."""
    conditions = []
    if q.call_status:
        # Each word as a range of the status index (NOCASE): from the word to the first text
        # past every one that begins with it ("open" up to "opeo").
        tests = []
        for number, word in enumerate(w for value in q.call_status for w in _status_words(value)):
            tests.append(
                f"(r.call_status >= :cs{number}_from COLLATE NOCASE"
                f" AND r.call_status < :cs{number}_to COLLATE NOCASE)"
            )
            params[f"cs{number}_from"], params[f"cs{number}_to"] = word, word[:-1] + chr(ord(word[-1]) + 1)
        conditions.append(" OR ".join(tests))
    for column in ("programme", "action_type"):  # in any case, as the facet's index sorts them
        value = getattr(q, column)
        if value:
            conditions.append(f"r.{column} = :{column} COLLATE NOCASE")
            params[column] = value
    conditions += _date_range("r.opens_at", "opens", q.opens_from, q.opens_to, params)
    conditions += _date_range("r.deadline_at", "deadline", q.deadline_from, q.deadline_to, params)
    return conditions


# A record "listed by a source" or "tagged": as a list to drive a query (few matches), or as a
# test of one record (when walking a sort index, listing them all first would cost more).
_SOURCE_LIST = "r.id IN (SELECT record_id FROM record_sources WHERE source_id = :source_id)"
_SOURCE_TEST = "EXISTS (SELECT 1 FROM record_sources WHERE record_id = r.id AND source_id = :source_id)"
_TAG_LIST = (
    "r.id IN (SELECT rt.record_id FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE t.name = :tag)"
)
_TAG_TEST = (
    "EXISTS (SELECT 1 FROM record_tags rt JOIN tags t ON t.id = rt.tag_id"
    " WHERE rt.record_id = r.id AND t.name = :tag)"
)


def _text_match(name: str, test_each: bool) -> str:
    if test_each:
        return f"EXISTS (SELECT 1 FROM records_fts WHERE records_fts MATCH :{name} AND rowid = r.id)"
    return f"r.id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH :{name})"


def _search_parts(terms: SearchTerms, params: dict[str, Any], test_each: bool) -> tuple[str, str]:
    """Every word in the record's text or in its note, as (through the text, through the note).

    Written as "the text has every word, or the note has one of them and each word is in the
    text or the note": the same records, but the first part is one query of the records'
    index (a single list, or a single test per record), and the second only ever looks at the
    few records whose note mentions a word. Testing one record at a time needs whole words
    (`terms.exact`); with a prefix left, the text's matches are listed instead.
    """
    params["fts_text"] = fts_text(terms)
    params["fts_notes"] = " OR ".join(terms.words)
    notes = "r.id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH :fts_notes)"
    if len(terms.words) > 1:
        each = []
        for number, (word, text_term) in enumerate(zip(terms.words, terms.text, strict=True)):
            params[f"fts_w{number}"], params[f"fts_t{number}"] = word, text_term
            each.append(
                f"(EXISTS (SELECT 1 FROM notes_fts WHERE notes_fts MATCH :fts_w{number} AND rowid = r.id)"
                f" OR {_text_match(f'fts_t{number}', terms.exact)})"
            )
        notes = f"({notes} AND {' AND '.join(each)})"
    return _text_match("fts_text", test_each and terms.exact), notes


def _search_condition(terms: SearchTerms, params: dict[str, Any], test_each: bool) -> str:
    text, notes = _search_parts(terms, params, test_each)
    return f"{text} OR {notes}"


_BY_ID = " INDEXED BY records_state"  # (id, status, read_at, starred): migration 0002
_COUNT_NOT_ARCHIVED = (
    "SELECT (SELECT count(*) FROM records) - (SELECT count(*) FROM records WHERE status = 'archived')"
)


def count_query(
    q: Query, now: datetime, terms: SearchTerms | None = None, cap: int | None = None
) -> tuple[str, dict[str, Any]]:
    """SELECT of the number of records `q` selects, in the cheapest form SQLite has for it.

    * Everything but the archive: the table's own row count less the archived records,
      found through their index.
    * A search with no filter but the archive's: the records' index alone, less the archived
      matches, plus the few records that only match through their note.
    * A search with filters: the records' index drives (its matches come in rowid order,
      each checked against the filters through a narrow index on id), plus the note matches.
    * Otherwise, one count over the filters' best index.

    With `cap`, each count stops after `cap` matches, so the number is exact only when it is
    below `cap`: what the window needs at once to choose how to read the first page, at a
    cost bounded by `cap` whatever the store's size (docs/SEARCH.md). Then every search is
    counted as one with filters (each match tested), and everything but the archive as any
    filter is.
    """
    terms = terms if terms is not None else search_terms(q.search)
    if counted_at_once(q) and cap is None:
        return _COUNT_NOT_ARCHIVED, {}
    counted = _counted if cap is None else _capped
    if not terms.words and q.source_id and not q.tag:
        # The source's links drive, each record tested through the narrow index: listing the
        # links first (as below) took 82 ms for the first 20,001 of 163,000 at a million
        # records, and 179 ms for all of them, against 9 and 70 ms this way.
        where, params = where_clause(replace(q, source_id=None), now)
        links = f"record_sources rs CROSS JOIN records r{_BY_ID} ON r.id = rs.record_id"
        return counted(f"{links} WHERE rs.source_id = :source_id AND {where}", cap), {
            **params,
            "source_id": q.source_id,
        }
    if not terms.words:
        where, params = where_clause(q, now)
        # A list of ids (tag, source, open calls) drives the count through the narrow index;
        # without the hint SQLite reads each listed record's table row.
        by_id = bool(q.tag or q.source_id or q.view in _VIEW_LIST)
        return counted(f"records r{_BY_ID if by_id else ''} WHERE {where}", cap), params
    base, params = where_clause(replace(q, search=""), now)
    _text, notes_part = _search_parts(terms, params, test_each=False)
    in_text = _text_match("fts_text", terms.exact)
    if cap is None and _only_archive_filter(q):
        # The search index alone, less (or only) the archived matches through a list of the
        # archived ids made from their index: no lookup of each match in records_state (at
        # 100k records, "funding": 25 ms through records_state, 8 ms this way). A capped count
        # tests each match instead (below): the list alone took 6.5 ms at a million records,
        # and "agrivoltaics" has 116 matches (0.14 ms tested each).
        every = "records_fts WHERE records_fts MATCH :fts_text"
        archived = "+rowid IN (SELECT id FROM records WHERE status = 'archived')"
        if q.view == "archived":
            text_count = counted(f"{every} AND {archived}", cap)
        elif not _has_phrase(terms):
            # Two passes over the matches beat one that tests each (a term's list of records
            # is read without its positions); a phrase must read the positions, so it runs once.
            text_count = f"({counted(every, cap)}) - ({counted(f'{every} AND {archived}', cap)})"
        else:
            text_count = counted(f"{every} AND NOT {archived}", cap)
    else:
        text_count = counted(
            f"records_fts f CROSS JOIN records r{_match_test_index(q)} ON r.id = f.rowid"
            f" WHERE records_fts MATCH :fts_text AND {base}",
            cap,
        )
    notes_count = counted(f"records r WHERE {base} AND {notes_part} AND NOT {in_text}", cap)
    if cap is None:
        return f"SELECT ({text_count}) + ({notes_count})", params
    # Text matches at the cap already make the count "at least the cap": the note-only matches
    # are not looked for (CASE runs the branch it takes). Each is a test of the word's list in
    # the records' index, about 0.1 ms for a word in every record: "the" with 1,500 notes
    # mentioning it took 150 ms that way, against 9 ms for the capped text count.
    at_cap = f"CASE WHEN t >= {int(cap)} THEN t ELSE t + ({notes_count}) END"
    return f"SELECT {at_cap} FROM (SELECT ({text_count}) AS t)", params


def counted_at_once(q: Query) -> bool:
    """True when `q` selects every record but the archived ones: counted from the table's own
    row counts, which still reads every page of its smallest index (24 ms at a million
    records), so a first count stops at its cap and ALL_ESTIMATE_QUERY tells "about"."""
    return replace(q, sort=Query.sort, descending=Query.descending) == Query()


# The highest id less the archived records, in about a millisecond at a million records: the
# number of records unless some were deleted (ids are never reused), so "about" that.
ALL_ESTIMATE_QUERY = (
    "SELECT coalesce((SELECT max(id) FROM records), 0)"
    " - (SELECT count(*) FROM records WHERE status = 'archived')"
)


def fts_text(terms: SearchTerms) -> str:
    """The MATCH expression of the search's text: every term required."""
    return " AND ".join(terms.text)


def text_estimate_query(terms: SearchTerms, cap: int) -> tuple[str, dict[str, Any]]:
    """SELECT of about how many records' text matches the search (archived records and every
    filter ignored): "about N" while the exact count runs. The index gives its matches in id
    order, so the id of the `cap`-th match tells how densely the words occur: N is `cap` times
    the highest id over that id. 2-4 ms at a million records, where counting every match took
    30 ms ("funding") to 87 ms ("the"), within 1 % of the exact number for those."""
    sql = (
        f"SELECT coalesce(CAST(count(*) * (SELECT max(id) FROM records) / max(rowid) AS INTEGER), 0)"
        f" FROM (SELECT rowid FROM records_fts WHERE records_fts MATCH :fts_text LIMIT {int(cap)})"
    )
    return sql, {"fts_text": fts_text(terms)}


def _counted(rows: str, _cap: int | None) -> str:
    return f"SELECT count(*) FROM {rows}"


def _capped(rows: str, cap: int | None) -> str:
    return f"SELECT count(*) FROM (SELECT 1 FROM {rows} LIMIT {int(cap or 0)})"


_MARK_VIEWS = frozenset({"unread", "changed", "starred"})


def reads_marks(q: Query) -> bool:
    """True when which records `q` selects depends on read marks or stars (its view)."""
    return q.view in _MARK_VIEWS


# A search filtered by category or jurisdiction alone (the "AI funding" watchlist) tests each
# text match in that column's sort index, which holds (column, id, status, read_at): one seek
# per match, no table row. Through records_state each match also read its table row for the
# column (at 100,000 records, "AI funding": 230 ms that way, 88 ms this way).
_COLUMN_TEST_INDEX = {
    "category": " INDEXED BY records_by_category",
    "jurisdiction": " INDEXED BY records_by_jurisdiction",
}


def _match_test_index(q: Query) -> str:
    """The index a filtered search's count tests each text match in."""
    if q.category is not None and _only_archive_filter(replace(q, category=None)):
        return _COLUMN_TEST_INDEX["category"]
    if q.jurisdiction is not None and _only_archive_filter(replace(q, jurisdiction=None)):
        return _COLUMN_TEST_INDEX["jurisdiction"]
    return _BY_ID


_PHRASE = re.compile(r'"[^"]*\s[^"]*"')


def _has_phrase(terms: SearchTerms) -> bool:
    """Whether a term is a quoted phrase of several words ("AI Act")."""
    return any(_PHRASE.search(term) for term in terms.text)


def _only_archive_filter(q: Query) -> bool:
    """True when `q` selects by nothing but its search and whether a record is archived."""
    bare = replace(q, search="", sort=Query.sort, descending=Query.descending)
    return bare in (Query(), Query(view="archived"))


def order_clause(q: Query, filter_first: bool = False, reverse: bool = False) -> str:
    """ORDER BY from the fixed table: ties broken by id, empty dates and budgets last.

    `filter_first` writes the terms with SQLite's unary `+` (same values, no index), so the
    planner finds the few matching records through the filters' indexes and sorts them,
    instead of walking a million records in order to find them. `reverse` is the exact
    opposite order (empty values first), which the same index serves read backwards.
    """
    if q.sort not in _SORT_SQL:
        raise ValueError(f"unknown sort key {q.sort!r} (known: {', '.join(SORT_KEYS)})")
    if q.sort == RELEVANCE and not search_terms(q.search).words:  # nothing to rank: newest first
        q = replace(q, sort=Query.sort, descending=Query.descending)
    if q.sort == RELEVANCE:  # best first whichever way: a worse-first order helps nobody
        q = replace(q, descending=False)
    expression, nulls_last = _SORT_SQL[q.sort]
    record_id = "r.id"
    if filter_first:
        expression, record_id = f"+{expression}", "+r.id"
    direction = "DESC" if q.descending != reverse else "ASC"
    if nulls_last:
        empty_last = f"({expression} IS NULL){' DESC' if reverse else ''}"
        return f"{empty_last}, {expression} {direction}, {record_id} {direction}"
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


# Finding a page: list the matches through the filters' indexes and sort them ("filter
# first"), or walk the sort index and keep the records that pass ("walk"). Listing costs about
# SORT_COST microseconds per match; walking about WALK_COST per record met, and it meets
# (depth / share of records that match) of them, if the matches are spread evenly along the
# sort order. They may not be (the open calls are all at the end of the deadlines), so a
# walk that could be replaced by a listing gets the listing's expected time, and is given up
# for the listing if it runs over. Figures measured at a million records (benchmarks/).
FILTER_FIRST_FLOOR = 2_000  # so few matches are always listed and sorted
SORT_COST = 2.0
WALK_COST = 0.5
WALK_GRACE_MS = 5.0
# A walk tests each record it meets against a source, a tag or the search either one by one
# (a seek each: about 1 microsecond in record_sources or record_tags, some tens in the search
# index, one per segment) or against a list of all the matches made first (about 0.2 each to
# make, 0.2 each to test). These ratios say when the tests are cheaper.
LIST_TEST_RATIO = 4
TEXT_TEST_RATIO = 250
# Views that select by the column they open sorted by: their matches bunch at one end of the
# sort index (the open calls at the far end of the deadlines), so walking it finds them late.
_BUNCHED = {("open_funding", "deadline"), ("open_funding", "days_left"), ("closing_soon", "deadline"),
            ("closing_soon", "days_left")}  # fmt: skip


def filter_first(matching: int, total: int, depth: int) -> bool:
    """Whether to list and sort `matching` records rather than walk the sort index through
    `total` to a page ending `depth` matches in."""
    if matching > FILTER_FIRST_MAX:
        return False
    if matching <= FILTER_FIRST_FLOOR:
        return True
    return matching * SORT_COST <= depth * (max(total, matching) / max(matching, 1)) * WALK_COST


def page_rows(
    db: Database,
    q: Query,
    now: datetime,
    matching: int,
    offset: int,
    limit: int,
    columns: str,
    exact: bool = True,
) -> list[dict[str, Any]]:
    """The rows (`columns` of `records r` and `sources s`) of the page of `q` at `offset`,
    `matching` records in all, counted in the same read transaction.

    A walk reads the page's rows as it finds them; a listing sorts ids only, then reads those
    rows. A page past the middle is read from the other end, in the opposite order: a walk
    (or a sort) then goes at most half way, and scrolling to the end of a million records
    costs no more than the first page. With `exact=False`, `matching` is only an estimate
    (the exact count is still being made): it shapes the query, and the page is read forwards.
    """
    offset, limit = max(0, int(offset)), max(0, int(limit))
    if limit == 0 or (exact and offset >= matching):
        return []
    if exact:
        limit = min(limit, matching - offset)
    if q.sort == RELEVANCE and search_terms(q.search).words:
        return _relevance_page(db, q, now, offset, limit, columns)
    reverse = exact and offset + limit / 2 > matching / 2
    skip = matching - offset - limit if reverse else offset
    conn = db.conn
    total = conn.execute("SELECT max(id) FROM records").fetchone()[0] or 0
    terms = expanded(db, search_terms(q.search))
    walked = (skip + limit) * max(total, matching) / max(matching, 1)  # records a walk meets
    tests = {
        "test_text": walked * TEXT_TEST_RATIO < matching,
        "test_lists": walked * LIST_TEST_RATIO < matching,
    }
    page = {"limit": limit, "offset": skip}

    def walk(budget_ms: float | None = None) -> list[dict[str, Any]] | None:
        where, params = where_clause(q, now, walk=True, terms=terms, **tests)
        order = order_clause(q, reverse=reverse)
        if skip > limit:  # rows skipped over would each be read in full: find the ids first
            ids = _run(conn, _IDS.format(where=where, order=order), {**params, **page}, budget_ms)
            return None if ids is None else rows_of([row[0] for row in ids[0]])
        return _dicts(
            conn,
            f"SELECT {columns} FROM records r LEFT JOIN sources s ON s.id = r.source_id WHERE {where}"
            f" ORDER BY {order} LIMIT :limit OFFSET :offset",
            {**params, **page},
            budget_ms,
        )

    def listing() -> list[dict[str, Any]]:
        where, params = where_clause(q, now, terms=terms)
        order = order_clause(q, filter_first=True, reverse=reverse)
        return rows_of(
            [row[0] for row in conn.execute(_IDS.format(where=where, order=order), {**params, **page})]
        )

    def rows_of(ids: list[int]) -> list[dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        for part in range(0, len(ids), 500):
            chunk = ids[part : part + 500]
            rows = _dicts(
                conn,
                f"SELECT {columns} FROM records r LEFT JOIN sources s ON s.id = r.source_id"
                f" WHERE r.id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            found.update((row["id"], row) for row in rows or [])
        return [found[record_id] for record_id in ids]

    bunched = (q.view, q.sort) in _BUNCHED and matching <= FILTER_FIRST_MAX
    if bunched or filter_first(matching, total, skip + limit):
        rows = listing()
    elif matching <= FILTER_FIRST_MAX:
        walked_rows = walk(budget_ms=WALK_GRACE_MS + matching * SORT_COST / 1000)
        if walked_rows is None:
            logger.debug("walk over budget for %s; listing %d matches instead", q, matching)
        rows = listing() if walked_rows is None else walked_rows
    else:
        rows = walk() or []
    return rows[::-1] if reverse else rows


_IDS = "SELECT r.id FROM records r WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset"


def relevance_ids(q: Query, now: datetime, terms: SearchTerms) -> tuple[str, dict[str, Any]]:
    """SELECT of the ids `q` (a search sorted by relevance) matches, in relevance order: the
    text matches ranked by bm25 in one pass over the search index (SQLite's FTS5 scores them
    as it lists them), then the matches through a note only, by id; ties by id. The same
    order as `order_clause` writes per record, so a bulk selection of rows 200-399 of a
    relevance page is the rows the user saw there."""
    base, params = where_clause(replace(q, search=""), now)
    _text, notes = _search_parts(terms, params, test_each=False)
    in_text = _text_match("fts_text", terms.exact)
    return (
        "SELECT id FROM ("
        f"SELECT r.id AS id, 0 AS part, {RELEVANCE_SQL} AS score FROM records_fts"
        f" CROSS JOIN records r ON r.id = records_fts.rowid WHERE records_fts MATCH :fts_text AND {base}"
        f" UNION ALL SELECT r.id, 1, NULL FROM records r WHERE {base} AND {notes} AND NOT {in_text}"
        ") ORDER BY part, score, id",
        params,
    )


def _relevance_page(
    db: Database, q: Query, now: datetime, offset: int, limit: int, columns: str
) -> list[dict[str, Any]]:
    sql, params = relevance_ids(q, now, expanded(db, search_terms(q.search)))
    ids = [
        row[0]
        for row in db.conn.execute(
            f"{sql} LIMIT :limit OFFSET :offset", {**params, "limit": limit, "offset": offset}
        )
    ]
    found: dict[int, dict[str, Any]] = {}
    for part in range(0, len(ids), 500):
        chunk = ids[part : part + 500]
        rows = _dicts(
            db.conn,
            f"SELECT {columns} FROM records r LEFT JOIN sources s ON s.id = r.source_id"
            f" WHERE r.id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        found.update((row["id"], row) for row in rows or [])
    return [found[record_id] for record_id in ids if record_id in found]


def _dicts(
    conn: sqlite3.Connection, sql: str, params: Any, budget_ms: float | None = None
) -> list[dict[str, Any]] | None:
    """All rows of `sql` as dicts, or None if it ran longer than `budget_ms` (then stopped)."""
    rows = _run(conn, sql, params, budget_ms)
    if rows is None:
        return None
    names = [d[0] for d in rows[1]]
    return [dict(zip(names, row, strict=True)) for row in rows[0]]


def _run(
    conn: sqlite3.Connection, sql: str, params: Any, budget_ms: float | None
) -> tuple[list[Any], Any] | None:
    """(rows, description) of `sql`, or None if it ran longer than `budget_ms` (then it was
    stopped)."""
    if budget_ms is not None:
        deadline = time.perf_counter() + budget_ms / 1000
        conn.set_progress_handler(lambda: time.perf_counter() > deadline, PROGRESS_STEPS)
    try:
        cursor = conn.execute(sql, params)
        return cursor.fetchall(), cursor.description
    except sqlite3.OperationalError as exc:
        if budget_ms is not None and "interrupt" in str(exc):
            return None
        raise
    finally:
        if budget_ms is not None:
            conn.set_progress_handler(None, 0)
