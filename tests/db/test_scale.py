"""What the store does for a million records gives the same answers as the plain way:
canonical links recognised without parsing, a prefix searched as the words it stands for,
counts from the search index, and a walk given up for a listing when it runs long."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db import queries, search
from db.identity import canonical_url
from db.saving import _CANONICAL, fast_canonical_url
from db.store import Query, Store
from tests.db.helpers import item, open_store

RECORDS = 240
WORDS = ["fund", "funding", "fundraising", "compute", "computer", "data", "regulation", "regulatory", "the"]


@given(
    scheme=st.sampled_from(["http", "https", "HTTP", "ftp"]),
    host=st.text(st.sampled_from(list("abcXYZ09-._@:[]")), max_size=12),
    path=st.text(st.sampled_from(list("aZ9-._~/%?#@:!$&'()*+,;= \t\r\n\u00a0é")), max_size=20),
)
@settings(max_examples=3000)
def test_a_link_taken_as_canonical_is_canonical(scheme: str, host: str, path: str) -> None:
    url = f"{scheme}://{host}{path}"
    assert fast_canonical_url(url) == canonical_url(url)
    if _CANONICAL.fullmatch(url):
        assert canonical_url(url) == url


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    rng = random.Random(4)
    store = open_store(Path(tmp_path_factory.mktemp("scale")) / "scale.sqlite")
    store.save_announcements(
        "src",
        [
            item(
                n,
                title=" ".join(rng.choice(WORDS) for _ in range(3)),
                summary=" ".join(rng.choice(WORDS) for _ in range(5)),
                published_at=f"2026-0{1 + n % 9}-1{n % 10}T10:00:00Z" if n % 7 else None,
            )
            for n in range(RECORDS)
        ],
    )
    for record_id in rng.sample(range(1, RECORDS + 1), 30):
        store.set_note(record_id, " ".join(rng.choice(WORDS) for _ in range(2)))
    store.set_status(rng.sample(range(1, RECORDS + 1), 20), "archived")
    yield store
    store.close()


def _all_ids(store: Store, q: Query) -> list[int]:
    ids: list[int] = []
    while page := store.page(q, len(ids), 23):
        ids.extend(row["id"] for row in page)
    return ids


def _plain_ids(store: Store, q: Query) -> list[int]:
    """Every match in order, by the straightforward query (one list per word, no expansion)."""
    where, params = queries.where_clause(q, store.clock(), terms=search.search_terms(q.search))
    sql = f"SELECT r.id FROM records r WHERE {where} ORDER BY {queries.order_clause(q)}"
    return [row[0] for row in store.db.conn.execute(sql, params)]


SEARCHES = ["fund", "funding", "fundin", "comp", "regul", "the", "data fund", "compute regul", "zzz", "f"]


@pytest.mark.parametrize("text", SEARCHES)
@pytest.mark.parametrize("sort", ["published", "title"])
def test_search_pages_and_count_match_the_plain_query(corpus: Store, text: str, sort: str) -> None:
    q = Query(search=text, sort=sort)
    expected = _plain_ids(corpus, q)
    assert corpus.count(q) == len(expected)
    assert _all_ids(corpus, q) == expected


@pytest.mark.parametrize("text", SEARCHES)
def test_a_prefix_stands_for_its_words(corpus: Store, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    q = Query(search=text)
    with_words = _all_ids(corpus, q)
    monkeypatch.setattr(search, "MAX_EXPANSION", 0)  # the prefix stays a prefix
    search._expansions.clear()
    assert _all_ids(corpus, q) == with_words


@pytest.mark.parametrize(
    "fields", [{}, {"search": "fund"}, {"view": "notes"}, {"search": "the", "sort": "title"}]
)
def test_a_walk_over_budget_gives_way_to_a_listing(
    corpus: Store, fields: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    q = Query(**fields)  # type: ignore[arg-type]
    expected = _all_ids(corpus, q)
    monkeypatch.setattr(queries, "FILTER_FIRST_FLOOR", 0)
    monkeypatch.setattr(queries, "WALK_COST", 0.0)  # always walk...
    assert _all_ids(corpus, q) == expected
    monkeypatch.setattr(queries, "SORT_COST", 1e-9)  # ...with no time to do it: listed instead
    monkeypatch.setattr(queries, "WALK_GRACE_MS", 0.0)
    assert _all_ids(corpus, q) == expected
