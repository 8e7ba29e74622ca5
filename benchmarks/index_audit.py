"""Which of the store's indexes the app's queries use: SQLite's own plan of each of them.

Every statement shape the tracker runs to show a page or a count (each view, filter, sort
both ways and search, listed and sorted or walking the sort index, read forwards and from
the end; db/queries.py), the watchlists' counts and new counts (db/watchlists.py), and the
statements the sidebar's counts and the "What changed" list run (traced while they run), are
planned with `EXPLAIN QUERY PLAN` on the store itself. An index no plan names is one no
query needs: dropping it changes no plan and gives back its pages (benchmarks/sizes.py).
Planning runs nothing, so the grid costs seconds at any size.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from db import watchlists
from db.queries import SORT_KEYS, VIEWS, Query, count_query, order_clause, where_clause
from db.search import expanded, search_terms
from db.store import Store

_USES = re.compile(r"USING (?:COVERING )?INDEX (\w+)")
_PAGE = "SELECT r.id FROM records r WHERE {where} ORDER BY {order} LIMIT 40 OFFSET 0"
SEARCHES = ("agrivoltaics ", "funding ", '"artificial intelligence" ', "commiss")


def _filters(store: Store) -> Iterator[tuple[str, Query]]:
    """One query per filter the tracker offers, with a value the store holds."""
    conn = store.db.conn

    def first(sql: str) -> str | None:
        row = conn.execute(sql).fetchone()
        return None if row is None else row[0]

    source = first("SELECT source_id FROM record_sources LIMIT 1")
    tag = first("SELECT name FROM tags ORDER BY id LIMIT 1")
    yield "source", Query(source_id=source)
    yield "tag", Query(tag=tag)
    yield "category", Query(category="funding")
    yield "jurisdiction", Query(jurisdiction=first("SELECT jurisdiction FROM records LIMIT 1"))
    for status in ("new", "reviewing", "done", "archived"):
        yield f"status {status}", Query(status=status)
    yield "deadline window", Query(deadline_within_days=30)
    yield "published range", Query(date_from="2025-01-01", date_to="2025-12-31")
    for name in ("call_status", "programme", "action_type", "opens_from", "deadline_from"):
        value: object = {"call_status": ("open",), "opens_from": "2025-01-01", "deadline_from": "2025-01-01"}
        yield name, replace(Query(), **{name: value.get(name, "x")})  # type: ignore[arg-type]


def _queries(store: Store) -> Iterator[tuple[str, Query]]:
    for view in VIEWS:
        yield f"view {view}", Query(view=view)
    yield from _filters(store)
    for text in SEARCHES:
        yield f"search {text.strip()!r}", Query(search=text)
        yield f"search {text.strip()!r} in Unread", Query(search=text, view="unread")
        yield f"search {text.strip()!r} in funding", Query(search=text, category="funding")


def statements(store: Store) -> Iterator[tuple[str, str, dict[str, object]]]:
    """(label, SQL, parameters) of every shape the tracker runs for pages and counts."""
    now = store.clock()
    db = store.db
    for label, base in _queries(store):
        terms = expanded(db, search_terms(base.search))
        sql, params = count_query(base, now, terms)
        yield f"{label}: count", sql, params
        for sort in SORT_KEYS:
            for descending in (True, False):
                q = replace(base, sort=sort, descending=descending)
                arrow = "↓" if descending else "↑"
                for listed in (True, False):
                    where, params = where_clause(q, now, walk=not listed, terms=terms)
                    for reverse in (False, True):
                        order = order_clause(q, filter_first=listed, reverse=reverse)
                        shape = ("listed" if listed else "walk") + (", from the end" if reverse else "")
                        yield (
                            f"{label}: page by {sort} {arrow} ({shape})",
                            _PAGE.format(where=where, order=order),
                            params,
                        )
    for w in store.watchlists():
        q = store.watchlist_query(w)
        sql, params = count_query(q, now, expanded(db, search_terms(q.search)))
        yield f"watchlist {w.name}: count", sql, params
        looked = replace(w, last_seen_at=(now - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%S.000Z"))
        sql, params = watchlists.new_count_query(db, looked, now)
        yield f"watchlist {w.name}: new since the last look", sql, params


def traced(store: Store) -> list[tuple[str, str, dict[str, object]]]:
    """The SELECTs the sidebar's counts, the What changed list, a record's history and a
    refresh's look-ups run (SQLite's trace)."""
    ran: list[str] = []
    conn = store.db.conn
    conn.set_trace_callback(ran.append)
    try:
        store.view_counts()
        store.tag_counts()
        for column in ("programme", "action_type"):
            store.facet_counts(column)
        since = (store.clock() - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        store.changes_since(since)
        url, record_id, source = conn.execute(
            "SELECT r.url, r.id, rs.source_id FROM records r"
            " JOIN record_sources rs ON rs.record_id = r.id LIMIT 1"
        ).fetchone()
        store.versions(record_id)
        store.recent_profiles(source)
        store.needs_detail([{"url": url, "title": "a title"}], source)
    finally:
        conn.set_trace_callback(None)
    seen: dict[str, None] = {}
    for sql in ran:
        if sql.lstrip().upper().startswith("SELECT") and "sqlite_" not in sql:
            seen.setdefault(sql)
    return [("sidebar counts, What changed, history, refresh look-ups", sql, {}) for sql in seen]


def audit(path: Path) -> dict[str, list[str]]:
    """Index name -> the labels of the statements whose plan uses it (every index listed)."""
    with Store.open(path) as store:
        conn = store.db.conn
        names = [row[0] for row in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'index'")]
        used: dict[str, list[str]] = defaultdict(list)
        for label, sql, params in [*statements(store), *traced(store)]:
            try:
                plan = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
            except sqlite3.Error as exc:
                raise RuntimeError(f"cannot plan {label}: {exc}\n{sql}") from exc
            for name in {m for row in plan for m in _USES.findall(row[-1])}:
                used[name].append(label)
    return {name: used.get(name, []) for name in names}


def summary(labels: list[str]) -> str:
    """A short "used by" text: how many statements, and the first few kinds of them."""
    if not labels:
        return "used by no query the app runs"
    kinds = list(dict.fromkeys(label.split(" (")[0] for label in labels))
    shown = "; ".join(kinds[:3]) + ("; …" if len(kinds) > 3 else "")
    return f"used by {len(labels):,} statement{'s' if len(labels) != 1 else ''} ({shown})"
