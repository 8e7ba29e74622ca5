"""Every view, sort key and filter of the tracker, checked against the same rules in Python."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from db import queries
from db.queries import FILTER_FIRST_MAX, SORT_KEYS, VIEWS, Query, iso_now, page_query
from db.store import Store
from tests.db.helpers import NOW, item, open_store

RECORDS = 300
NOW_TEXT = iso_now(NOW)
SOON_TEXT = iso_now(NOW + timedelta(days=14))
STATUS_ORDER = {"new": 0, "reviewing": 1, "done": 2, "archived": 3}
TAGS = ["AI Act", "compute", "Sovereignty", "brief", "zeta"]
PROGRAMMES = ["Horizon Europe · Cluster 4: Digital, Industry and Space", "Digital Europe Programme"]
WORDS = ["AI", "act", "Compute", "data", "Europe", "funding", "Grid", "horizon", "UK", "zero"]


def _when(rng: random.Random, centre_days: int, spread: int) -> str | None:
    if rng.random() < 0.25:
        return None
    moment = NOW + timedelta(days=centre_days + rng.randint(-spread, spread), hours=rng.randint(0, 23))
    return iso_now(moment)


def _announcement(rng: random.Random, n: int) -> Any:
    return item(
        n,
        title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))),
        category=rng.choice(["funding", "funding", "policy", "press", None]),
        jurisdiction=rng.choice(["EU", "UK", "DE", None]),
        published_at=_when(rng, -30, 30),
        deadline_at=_when(rng, 10, 40),
        budget_amount=rng.choice([None, 5e5, 1e6, 2.5e6, float(rng.randint(1, 9) * 100000)]),
        call_status=rng.choice([None, "open", "Forthcoming", "closed", "Upcoming", "Open - no closing date"]),
        opens_at=_when(rng, -20, 30),
        programme=rng.choice([None, PROGRAMMES[0], PROGRAMMES[1], "digital Europe Programme"]),
        action_type=rng.choice([None, "HORIZON Research and Innovation Actions", "Grant", "grant"]),
    )


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A few hundred records with every kind of user state, built on a moving clock."""
    rng = random.Random(20260302)
    store = open_store(Path(tmp_path_factory.mktemp("queries")) / "q.sqlite", NOW - timedelta(days=3))
    for source in ("ukri", "ec-funding", "dsit"):
        numbers = [n for n in range(RECORDS) if n % 3 == ("ukri", "ec-funding", "dsit").index(source)]
        store.save_announcements(source, [_announcement(rng, n) for n in numbers])
    ids = list(range(1, RECORDS + 1))
    store.mark_read(rng.sample(ids, 120))
    for record_id in rng.sample(ids, 60):
        store.set_note(record_id, rng.choice(["", "short", "Brief\nsecond line", "zebra", "Alpha note"]))
    store.set_starred(rng.sample(ids, 50), True)
    store.set_followed(rng.sample(ids, 30), True)
    for status in ("reviewing", "done", "archived"):
        store.set_status(rng.sample(ids, 40), status)
    for record_id in rng.sample(ids, 100):
        store.set_tags(record_id, rng.sample(TAGS, rng.randint(0, 3)))
    store.clock = lambda: NOW - timedelta(days=1)
    changed = [item(n, title=f"Changed {n}") for n in rng.sample(range(RECORDS), 50)]
    store.save_announcements("ukri", changed)
    store.clock = lambda: NOW
    store.mark_read(rng.sample(ids, 40))  # some read after they changed
    yield store
    store.close()


@pytest.fixture(scope="module")
def rows(tracker: Store) -> list[dict[str, Any]]:
    cursor = tracker.db.conn.execute("SELECT * FROM records ORDER BY id")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _starts(value: str | None, *prefixes: str) -> bool:
    return (value or "").lower().startswith(prefixes)


def _open_funding(r: dict[str, Any]) -> bool:
    if r["category"] != "funding":
        return False
    if _starts(r["call_status"], "open", "forthcoming", "upcoming"):
        return not r["deadline_at"] or r["deadline_at"] >= NOW_TEXT  # a lagging status
    return bool(r["deadline_at"]) and r["deadline_at"] >= NOW_TEXT and not _starts(r["call_status"], "closed")


VIEW_RULES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "all": lambda r: True,
    "unread": lambda r: r["read_at"] is None,
    "starred": lambda r: r["starred"] == 1,
    "open_funding": _open_funding,
    "policy": lambda r: r["category"] in ("policy", "consultation", "legislation"),
    "closing_soon": lambda r: bool(r["deadline_at"]) and NOW_TEXT <= r["deadline_at"] <= SOON_TEXT,
    "changed": lambda r: bool(r["changed_at"]) and (r["read_at"] is None or r["changed_at"] > r["read_at"]),
    "notes": lambda r: bool(r["note"]),
    "followed": lambda r: r["followed"] == 1,
    "archived": lambda r: r["status"] == "archived",
}


def _in_view(view: str, r: dict[str, Any]) -> bool:
    return VIEW_RULES[view](r) and (view == "archived" or r["status"] != "archived")


def _fold(text: str) -> str:
    """SQLite's NOCASE: only ASCII letters fold."""
    return text.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


def _nullable(value: Any) -> tuple[Any, ...]:
    return (0,) if value is None else (1, value)


SORT_VALUE: dict[str, Callable[[dict[str, Any]], Any]] = {
    "star": lambda r: r["starred"],
    "title": lambda r: _fold(r["title"]),
    "category": lambda r: _nullable(r["category"]),
    "jurisdiction": lambda r: _nullable(r["jurisdiction"]),
    "source": lambda r: _nullable(r["source_id"]),
    "status": lambda r: STATUS_ORDER[r["status"]],
    "tags": lambda r: _fold(r["tags_text"]),
    "note": lambda r: _nullable(None if r["note"] is None else _fold(r["note"][:64])),
    "call_status": lambda r: _nullable(r["call_status"] and _fold(r["call_status"])),
    "programme": lambda r: _nullable(r["programme"] and _fold(r["programme"])),
    "action_type": lambda r: _nullable(r["action_type"] and _fold(r["action_type"])),
    "opens": lambda r: _nullable(r["opens_at"]),
}
NULLS_LAST = {
    "published": "published_at",
    "deadline": "deadline_at",
    "days_left": "deadline_at",
    "budget": "budget_amount",
}


def expected_order(rows: list[dict[str, Any]], sort: str, descending: bool) -> list[int]:
    if sort in NULLS_LAST:
        column = NULLS_LAST[sort]
        present = sorted((r for r in rows if r[column] is not None), key=lambda r: (r[column], r["id"]))
        empty = [r for r in rows if r[column] is None]
        if descending:
            present.reverse()
            empty.reverse()
        return [r["id"] for r in present + empty]
    ordered = sorted(rows, key=lambda r: (SORT_VALUE[sort](r), r["id"]), reverse=descending)
    return [r["id"] for r in ordered]


def _all_ids(store: Store, q: Query) -> list[int]:
    ids: list[int] = []
    while page := store.page(q, len(ids), 37):  # odd page size: pages must join seamlessly
        ids.extend(row["id"] for row in page)
    return ids


@pytest.mark.parametrize("shape", ["filter-first", "walk"])
@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
# The relevance sort ranks a search (without one it is the newest first): tests/db/test_relevance.py
@pytest.mark.parametrize("sort", [key for key in SORT_KEYS if key != "relevance"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_view_and_sort(
    tracker: Store,
    rows: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    view: str,
    sort: str,
    descending: bool,
    shape: str,
) -> None:
    """Both ways of finding a page (through the filters, or walking the sort index) give
    exactly the rows and the order the rules say."""
    monkeypatch.setattr(queries, "FILTER_FIRST_MAX", RECORDS if shape == "filter-first" else -1)
    q = Query(view=view, sort=sort, descending=descending)
    selected = [r for r in rows if _in_view(view, r)]
    assert selected, f"the generated data has no record in view {view}"
    assert tracker.count(q) == len(selected)
    assert _all_ids(tracker, q) == expected_order(selected, sort, descending)


def test_view_counts(tracker: Store, rows: list[dict[str, Any]]) -> None:
    assert tracker.view_counts() == {view: sum(_in_view(view, r) for r in rows) for view in VIEWS}


FILTERS: list[tuple[dict[str, Any], Callable[[dict[str, Any]], bool]]] = [
    ({"category": "funding"}, lambda r: r["category"] == "funding"),
    ({"jurisdiction": "UK"}, lambda r: r["jurisdiction"] == "UK"),
    ({"status": "archived"}, lambda r: r["status"] == "archived"),
    ({"status": "done", "view": "starred"}, lambda r: r["status"] == "done" and r["starred"]),
    ({"tag": "ai act"}, lambda r: "AI Act" in r["tags_text"].split("; ")),
    ({"source_id": "dsit"}, lambda r: r["source_id"] == "dsit"),
    ({"search": "data"}, lambda r: any(w.lower().startswith("data") for w in r["title"].split())),
    (
        {"search": "grid ", "view": "unread"},
        lambda r: "grid" in r["title"].lower().split() and not r["read_at"],
    ),
    ({"date_from": "2026-02-01"}, lambda r: (r["published_at"] or "") >= "2026-02-01"),
    (
        {"date_to": "2026-02-10"},
        lambda r: r["published_at"] is not None and r["published_at"][:10] <= "2026-02-10",
    ),
    (
        {"date_from": "2026-01-20", "date_to": "2026-02-10", "category": "policy"},
        lambda r: (
            r["category"] == "policy" and "2026-01-20" <= (r["published_at"] or "")[:10] <= "2026-02-10"
        ),
    ),
    # The funding facets: statuses as the sources begin them, programme and type in any case,
    # opening and closing dates bounded by whole days.
    ({"call_status": ("open",)}, lambda r: _starts(r["call_status"], "open")),
    (
        {"call_status": ("Forthcoming", "closed")},
        lambda r: _starts(r["call_status"], "forthcoming", "upcoming", "closed"),
    ),
    (
        {"programme": "digital europe programme"},
        lambda r: r["programme"] in (PROGRAMMES[1], "digital Europe Programme"),
    ),
    (
        {"programme": PROGRAMMES[0], "view": "unread"},
        lambda r: r["programme"] == PROGRAMMES[0] and not r["read_at"],
    ),
    ({"action_type": "Grant"}, lambda r: r["action_type"] in ("Grant", "grant")),
    (
        {"opens_from": "2026-02-01", "opens_to": "2026-02-20"},
        lambda r: r["opens_at"] is not None and "2026-02-01" <= r["opens_at"][:10] <= "2026-02-20",
    ),
    (
        {"deadline_from": "2026-03-05", "deadline_to": "2026-03-25", "category": "funding"},
        lambda r: (
            r["category"] == "funding"
            and r["deadline_at"] is not None
            and "2026-03-05" <= r["deadline_at"][:10] <= "2026-03-25"
        ),
    ),
    (
        {"deadline_to": "2026-03-10", "search": "horizon", "programme": PROGRAMMES[0]},
        lambda r: (
            r["deadline_at"] is not None
            and r["deadline_at"][:10] <= "2026-03-10"
            and r["programme"] == PROGRAMMES[0]
            and "horizon" in r["title"].lower().split()
        ),
    ),
]


@pytest.mark.parametrize("shape", ["filter-first", "walk"])
@pytest.mark.parametrize(("fields", "rule"), FILTERS, ids=[str(f) for f, _ in FILTERS])
def test_filters(
    tracker: Store,
    rows: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    fields: dict[str, Any],
    rule: Callable[[dict[str, Any]], bool],
    shape: str,
) -> None:
    monkeypatch.setattr(queries, "FILTER_FIRST_MAX", RECORDS if shape == "filter-first" else -1)
    q = Query(**fields)
    archived_ok = "status" in fields
    expected = [r for r in rows if rule(r) and (archived_ok or r["status"] != "archived")]
    assert expected
    assert _all_ids(tracker, q) == expected_order(expected, "published", True)


def test_page_rows_carry_the_contract_fields(tracker: Store) -> None:
    row = tracker.page(Query(view="notes"), 0, 1)[0]
    assert set(row) >= {
        "id", "title", "category", "jurisdiction", "source_id", "source_name", "published_at",
        "deadline_at", "budget_amount", "budget_currency", "call_status", "status", "starred",
        "read_at", "changed_at", "tags", "note_first_line", "url",
    }  # fmt: skip
    assert "\n" not in row["note_first_line"]


def test_distinct_values_for_the_filter_combos(tracker: Store, rows: list[dict[str, Any]]) -> None:
    assert tracker.categories() == sorted({r["category"] for r in rows if r["category"]})
    assert tracker.jurisdictions() == sorted({r["jurisdiction"] for r in rows if r["jurisdiction"]})
    counts = dict(tracker.tag_counts())
    assert counts == {t: sum(t in r["tags_text"].split("; ") for r in rows) for t in TAGS}


def test_facet_choices_are_counted_in_any_case(tracker: Store, rows: list[dict[str, Any]]) -> None:
    kept = [r for r in rows if r["status"] != "archived"]
    assert tracker.facet_counts("programme") == [
        (
            "Digital Europe Programme",
            sum(_fold(r["programme"] or "") == "digital europe programme" for r in kept),
        ),
        (PROGRAMMES[0], sum(r["programme"] == PROGRAMMES[0] for r in kept)),
    ]
    assert dict(tracker.facet_counts("action_type"))["Grant"] == sum(
        (r["action_type"] or "").lower() == "grant" for r in kept
    )
    with pytest.raises(ValueError):
        tracker.facet_counts("note")


def test_an_unknown_call_status_is_refused(tracker: Store) -> None:
    with pytest.raises(ValueError, match="unknown call status"):
        tracker.count(Query(call_status=("maybe",)))


def _plan(store: Store, q: Query, matching: int) -> list[str]:
    sql, params = page_query(q, NOW, matching)
    params = {**params, "limit": 200, "offset": 100}
    return [step[3] for step in store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


@pytest.mark.parametrize("sort", SORT_KEYS)
@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_many_matches_page_through_a_covering_index(tracker: Store, sort: str, descending: bool) -> None:
    """No sort of the whole table, and no table lookups while skipping to a deep offset."""
    plan = _plan(tracker, Query(sort=sort, descending=descending), FILTER_FIRST_MAX + 1)
    # The note index holds an expression (the note's start), which SQLite < 3.41 never
    # treats as covering; it still walks in order.
    walk = "USING INDEX records_by_" if sort == "note" else "USING COVERING INDEX records_by_"
    assert len(plan) == 1 and walk in plan[0], plan


@pytest.mark.parametrize("sort", ["published", "title"])
@pytest.mark.parametrize("view", ["unread", "open_funding"])
def test_many_matches_walk_the_sort_index(tracker: Store, view: str, sort: str) -> None:
    plan = _plan(tracker, Query(view=view, sort=sort), FILTER_FIRST_MAX + 1)
    assert len(plan) == 1 and "INDEX records_by_" in plan[0] and "TEMP B-TREE" not in plan[0], plan


@pytest.mark.parametrize(
    ("fields", "index"),
    [
        ({"view": "notes"}, "records_with_note"),
        ({"view": "changed"}, "records_changed"),
        ({"view": "unread"}, "records_by_read"),
        ({"view": "starred"}, "records_by_starred"),
        ({"view": "archived"}, "records_by_status_value"),
        ({"view": "closing_soon"}, "records_by_deadline"),
        ({"view": "open_funding"}, "records_funding"),
        ({"tag": "compute"}, "record_tags_by_tag"),
        ({"search": "data"}, "records_fts"),
        ({"programme": "Digital Europe Programme"}, "records_by_programme"),
        ({"action_type": "Grant"}, "records_by_action_type"),
        ({"call_status": ("open",)}, "records_by_call_status"),
        ({"opens_from": "2026-02-01"}, "records_by_opens"),
        ({"deadline_from": "2026-03-05", "deadline_to": "2026-03-06"}, "records_by_deadline"),
    ],
)
@pytest.mark.parametrize("sort", ["published", "title"])
def test_few_matches_are_found_through_their_index(
    tracker: Store, fields: dict[str, str], index: str, sort: str
) -> None:
    plan = " ".join(_plan(tracker, Query(sort=sort, **fields), 50))
    assert index in plan and "TEMP B-TREE FOR ORDER BY" in plan, plan


@pytest.mark.parametrize(("field", "value"), [("view", "everything"), ("sort", "title; DROP TABLE records")])
def test_unknown_view_or_sort_is_refused(tracker: Store, field: str, value: str) -> None:
    with pytest.raises(ValueError):
        tracker.count(Query(**{field: value})) if field == "view" else tracker.page(Query(sort=value), 0, 1)
