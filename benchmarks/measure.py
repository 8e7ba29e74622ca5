"""Timing helpers and the bare-sqlite3 side of each comparison.

The bare side is the same result read by plain `sqlite3` on the same file in one statement,
with nothing of the app in between: its time is the near-physical limit the app is compared
with. SQLite's planner sometimes picks a poor plan for a single statement, so the bare side
tries the few obvious ways of writing it (let the planner choose; walk the sort index; find
the matches first and sort them) and keeps the fastest: the app is held to the best of them.
"""

from __future__ import annotations

import re
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from db.queries import order_clause, where_clause
from db.search import SearchTerms, fts_terms, search_terms
from db.store import Query

PAGE = 200  # the tracker model's page size
PAGE_COLUMNS = (
    "r.id, r.title, r.category, r.jurisdiction, r.source_id, s.name AS source_name,"
    " r.published_at, r.deadline_at, r.budget_amount, r.budget_currency, r.call_status,"
    " r.status, r.starred, r.read_at, r.changed_at, r.tags_text AS tags,"
    " substr(r.note, 1, 300) AS note_head, r.url"
)
_COLUMN = re.compile(r"(?<![+\w.])r\.(?=\w)")
GIVE_UP_S = 20.0  # a bare variant slower than this is not the limit: stop it


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = fn()
    return (time.perf_counter() - began) * 1000, result


def median_ms(fn: Callable[[], Any], runs: int, warmup: int = 0) -> tuple[float, list[float]]:
    """The median of `runs` timings of `fn` in milliseconds (after `warmup` untimed calls)."""
    for _ in range(warmup):
        fn()
    times = [timed(fn)[0] for _ in range(max(1, runs))]
    return statistics.median(times), times


@dataclass
class Row:
    """One line of the table: the app's time beside bare sqlite3's, and the target."""

    key: str
    label: str
    app_ms: float | None  # what the app's store and model take (the window's data path)
    bare_ms: float | None = None
    target: str = ""
    met: bool | None = None
    runs: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    ui_ms: float | None = None  # the whole interaction, until the table has painted

    @property
    def ratio(self) -> float | None:
        if self.app_ms is None or not self.bare_ms:
            return None
        return self.app_ms / self.bare_ms

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "ui_ms": _round(self.ui_ms),
            "app_ms": _round(self.app_ms),
            "bare_ms": _round(self.bare_ms),
            "ratio": _round(self.ratio),
            "target": self.target,
            "met": self.met,
            "runs": self.runs,
            **({"extra": self.extra} if self.extra else {}),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


# -- bare sqlite3 ---------------------------------------------------------------------------


def bare_connection(path: Path) -> sqlite3.Connection:
    """A plain connection: sqlite3's defaults, read-only so that it can never change the file."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


def _walk(sql: str) -> str:
    """Every column as `+r.column`: same values, no index for filtering, so SQLite walks the
    ORDER BY's index instead."""
    return _COLUMN.sub("+r.", sql)


def match_expression(terms: SearchTerms) -> str:
    """The FTS5 query bare SQLite runs for a search: the very terms the app runs against the
    records' index (`terms.text`: a last prefix already replaced by its whole words, as
    `db.search.expanded` does, so bare gets that work for free), all required."""
    return " AND ".join(terms.text)


def page_statements(
    q: Query, now: datetime, offset: int = 0, terms: SearchTerms | None = None
) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, sql, params) of the ways of writing one page of `q` in one plain statement.

    A search looks in `records_fts` alone (the app also looks in the notes' index), with the
    app's `terms` (by default the words as typed)."""
    base, params = where_clause(replace(q, search=""), now)
    order = order_clause(q)
    limit = f"LIMIT {PAGE} OFFSET {int(offset)}"
    head = f"SELECT {PAGE_COLUMNS} FROM records r LEFT JOIN sources s ON s.id = r.source_id"
    if not q.search.strip() or not fts_terms(q.search):
        return [
            ("planner", f"{head} WHERE {base} ORDER BY {order} {limit}", params),
            ("walk index", f"{head} WHERE {_walk(base)} ORDER BY {order} {limit}", params),
            ("filter, then sort", f"{head} WHERE {base} ORDER BY {_walk(order)} {limit}", params),
        ]
    params = {**params, "match": match_expression(terms or search_terms(q.search))}
    in_fts = "r.id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH :match)"
    probe = "EXISTS (SELECT 1 FROM records_fts f WHERE records_fts MATCH :match AND f.rowid = r.id)"
    return [
        ("matches, then sort", f"{head} WHERE {base} AND {in_fts} ORDER BY {order} {limit}", params),
        (
            "join fts",
            f"SELECT {PAGE_COLUMNS} FROM records_fts f JOIN records r ON r.id = f.rowid"
            f" LEFT JOIN sources s ON s.id = r.source_id WHERE records_fts MATCH :match AND {base}"
            f" ORDER BY {order} {limit}",
            params,
        ),
        ("walk index, probe fts", f"{head} WHERE {_walk(base)} AND {probe} ORDER BY {order} {limit}", params),
    ]


def count_statements(
    q: Query, now: datetime, terms: SearchTerms | None = None, cap: int | None = None
) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, sql, params) of the ways of counting `q` in one plain statement. With `cap`, a
    filter's count may also stop at `cap` matches, as the app's first count does (exact below
    the cap, "over" it above): bare then knows as much as the app before its first page."""
    base, params = where_clause(replace(q, search=""), now)
    if not q.search.strip() or not fts_terms(q.search):
        whole = ("count", f"SELECT count(*) FROM records r WHERE {base}", params)
        if cap is None:
            return [whole]
        capped = f"SELECT count(*) FROM (SELECT 1 FROM records r WHERE {base} LIMIT {int(cap)})"
        return [whole, ("count to the cap", capped, params)]
    params = {**params, "match": match_expression(terms or search_terms(q.search))}
    return [
        ("count fts", "SELECT count(*) FROM records_fts WHERE records_fts MATCH :match", params),
    ]


def run_statement(conn: sqlite3.Connection, sql: str, params: dict[str, Any], give_up_s: float) -> list[Any]:
    """Run `sql` to the end, or raise TimeoutError after `give_up_s` seconds."""
    deadline = time.perf_counter() + give_up_s
    conn.set_progress_handler(lambda: 1 if time.perf_counter() > deadline else 0, 10_000)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise TimeoutError(sql) from exc
        raise
    finally:
        conn.set_progress_handler(None, 0)


def bare_best(
    conn: sqlite3.Connection, statements: list[tuple[str, str, dict[str, Any]]], runs: int
) -> tuple[float | None, str, dict[str, float | None]]:
    """The fastest statement's median (ms), its name, and every statement's median (None: gave up)."""
    medians: dict[str, float | None] = {}
    best: float | None = None
    for name, sql, params in statements:
        give_up = GIVE_UP_S if best is None else min(GIVE_UP_S, max(0.5, 5 * best / 1000))
        try:
            first, _rows = timed(
                lambda sql=sql, params=params, g=give_up: run_statement(conn, sql, params, g)
            )
        except TimeoutError:
            medians[name] = None
            continue
        times = [first]
        for _ in range(max(0, runs - 1)):
            times.append(timed(lambda sql=sql, params=params: run_statement(conn, sql, params, GIVE_UP_S))[0])
        medians[name] = statistics.median(times)
        if best is None or medians[name] < best:  # type: ignore[operator]
            best = medians[name]
    chosen = min(
        (n for n, v in medians.items() if v is not None), key=lambda n: medians[n] or 0.0, default=""
    )
    return best, chosen, medians
