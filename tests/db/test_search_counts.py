"""A search's count: right in every view, and read from the search index alone when nothing
but the archive narrows it (docs/SEARCH.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db.queries import VIEWS, Query, count_query
from db.search import expanded, search_terms
from db.store import Store
from tests.db.helpers import NOW, item, open_store


@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(Path(tmp_path_factory.mktemp("counts")) / "counts.sqlite")
    store.save_announcements(
        "src", [item(n, title=f"{'funding' if n % 2 else 'policy'} call {n}") for n in range(1, 41)]
    )
    store.set_status([1, 3, 5, 2], "archived")  # three archived funding records, one policy
    store.set_starred([7, 9, 4], True)
    store.mark_read([11, 13, 6])
    store.set_note(6, "ask about funding")  # a policy record found through its note only
    yield store
    store.close()


def _plan(store: Store, q: Query) -> str:
    sql, params = count_query(q, NOW, expanded(store.db, search_terms(q.search)))
    return " ".join(row[3] for row in store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def _expected(store: Store, q: Query) -> int:
    ids = []
    while page := store.page(q, len(ids), 7):
        ids.extend(row["id"] for row in page)
    return len(ids)


@pytest.mark.parametrize("text", ["funding", "funding ", "fund", "policy", "call", "nothing"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_a_search_counts_what_its_pages_show(searched: Store, view: str, text: str) -> None:
    q = Query(search=text, view=view)
    assert searched.count(q) == _expected(searched, q)


def test_a_bare_search_counts_from_the_search_index_without_looking_up_each_match(searched: Store) -> None:
    assert searched.count(Query(search="funding ")) == 20 - 3 + 1  # less archived, plus the note
    assert searched.count(Query(search="funding ", view="archived")) == 3
    for q in (Query(search="funding "), Query(search="funding", view="archived")):
        assert "records_state" not in _plan(searched, q)
    # A filter on the user's columns still checks each match through records_state.
    assert "records_state" in _plan(searched, Query(search="funding ", view="starred"))
    assert searched.count(Query(search="funding ", view="starred")) == 2
