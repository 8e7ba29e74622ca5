"""Re-scraping the same items with edited text never touches user data nor desyncs the index."""

from __future__ import annotations

import pytest

from db.store import Query, Store
from tests.db.helpers import count, item, user_data

ITEMS = 1000


def _annotate(store: Store) -> None:
    for record_id in range(1, ITEMS + 1, 7):
        store.set_note(record_id, f"note {record_id}\n'=quoted' ✓")
    store.set_starred(range(1, ITEMS + 1, 3), True)
    store.set_status(range(2, ITEMS + 1, 5), "reviewing")
    store.set_status(range(4, ITEMS + 1, 11), "archived")
    store.mark_read(range(1, ITEMS + 1, 2))
    store.add_tag(range(1, ITEMS + 1, 4), "AI Act")
    store.add_tag(range(1, ITEMS + 1, 6), "compute")


@pytest.mark.parametrize("rounds", [4])
def test_rescraping_keeps_user_data_and_the_index(store: Store, rounds: int) -> None:
    store.save_announcements("src", [item(n, summary=f"summary {n}") for n in range(ITEMS)])
    _annotate(store)
    before = user_data(store)
    for round_number in range(1, rounds + 1):
        batch = [
            item(n, title=f"Edition{round_number} title {n}", summary=f"summary {n} r{round_number}")
            for n in range(ITEMS)
        ]
        result = store.save_announcements("src", batch)
        assert (result.new, result.changed) == (0, ITEMS)
        assert user_data(store) == before
    assert count(store, "SELECT count(*) FROM records") == ITEMS
    assert count(store, "SELECT count(*) FROM records_fts_docsize") == ITEMS
    assert count(store, "SELECT count(*) FROM notes_fts_docsize") == ITEMS
    assert count(store, "SELECT count(*) FROM record_versions") == ITEMS * rounds
    store.db.execute("INSERT INTO records_fts(records_fts) VALUES ('integrity-check')")
    store.db.execute("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')")
    assert store.check_integrity() == []
    assert store.count(Query(search=f"edition{rounds}", view="archived")) > 0
    everything = Query(search="edition1")
    assert store.count(everything) == 0  # the old text left the index
    assert store.count(Query(search="quoted")) == store.count(Query(view="notes"))
