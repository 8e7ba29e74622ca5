"""Sort by relevance: a search's best matches first (bm25, a title hit heaviest), the same
order for a page, an export and a bulk selection of rows, and no ranking without a search."""

from __future__ import annotations

import pytest

from db.store import Query, Selection, Store
from tests.db.helpers import item


@pytest.fixture
def ranked(store: Store) -> Store:
    """1 says "hydrogen" once deep in its body, 2 in its title, 3 in its summary, 4 nowhere
    (only its note does), 5 not at all; published in that order, newest last."""
    filler = " ".join(["other words about policy"] * 30)
    store.save_announcements(
        "src",
        [
            item(1, summary="A call", body=f"{filler} hydrogen {filler}", published_at="2026-01-01T00:00Z"),
            item(2, title="Hydrogen valleys call", summary="A call", published_at="2026-01-02T00:00:00Z"),
            item(3, summary="Funding for hydrogen storage", published_at="2026-01-03T00:00:00Z"),
            item(4, summary="Nothing on it", published_at="2026-01-04T00:00:00Z"),
            item(5, summary="Unrelated", published_at="2026-01-05T00:00:00Z"),
        ],
    )
    store.set_note(4, "ask about hydrogen")
    return store


def ids(rows: list[dict[str, object]]) -> list[object]:
    return [row["id"] for row in rows]


def test_relevance_puts_the_title_hit_first_and_a_match_through_the_note_last(ranked: Store) -> None:
    by_date = ranked.page(Query(search="hydrogen"), 0, 10)
    by_relevance = ranked.page(Query(search="hydrogen", sort="relevance"), 0, 10)
    assert ids(by_date) == [4, 3, 2, 1]  # the user's column sort: newest first
    assert ids(by_relevance) == [2, 3, 1, 4]  # title, summary, deep in the body, note only
    assert ranked.count(Query(search="hydrogen", sort="relevance")) == 4


def test_relevance_pages_follow_on_and_a_prefix_being_typed_ranks_too(ranked: Store) -> None:
    q = Query(search="hydrogen", sort="relevance")
    assert ids(ranked.page(q, 0, 2)) + ids(ranked.page(q, 2, 2)) == [2, 3, 1, 4]
    assert ids(ranked.page(Query(search="hydro", sort="relevance"), 0, 10))[:3] == [2, 3, 1]


def test_relevance_without_a_search_is_the_newest_first(ranked: Store) -> None:
    assert ids(ranked.page(Query(sort="relevance"), 0, 10)) == [5, 4, 3, 2, 1]


def test_export_and_a_bulk_selection_of_rows_keep_the_relevance_order(ranked: Store, tmp_path) -> None:
    q = Query(search="hydrogen", sort="relevance")
    assert [row["id"] for row in ranked.full_rows(q)] == [2, 3, 1, 4]
    # rows 1 and 2 of the relevance page (3 and 1) are the ones starred, none other
    changed = ranked.set_starred_of(Selection(q, 4, ranges=((1, 2),)), True)
    assert changed == 2
    starred = [row[0] for row in ranked.db.conn.execute("SELECT id FROM records WHERE starred ORDER BY id")]
    assert starred == [1, 3]
