"""What the sidebar reads on a worker, on a real store file: the numbers the store itself
gives, each source with its records, and a store that cannot be opened said as a StoreError
(the counts controller shows it in the status bar)."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.store import VIEWS, Query, Store, StoreError
from desktop.sidebar_data import read_sidebar_data


def test_it_reads_what_the_store_counts_and_lists(small_db: Path, open_store) -> None:  # type: ignore[no-untyped-def]
    store: Store = open_store(small_db)
    store.add_tag([1, 2, 3], "brief for Monday")
    data = read_sidebar_data(small_db)
    assert data.views == {view: store.count(Query(view=view)) for view in VIEWS}
    assert data.tags == store.tag_counts() and ("brief for Monday", 3) in data.tags
    assert sum(row["record_count"] for row in data.sources) >= store.count(Query(view="all"))
    assert {row["id"] for row in data.sources} == {row["id"] for row in store.source_rows()}
    assert data.categories == store.categories() and data.jurisdictions == store.jurisdictions()


def test_a_file_that_is_not_a_store_is_a_store_error_and_stays_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"not a database, the user's own file\n")
    with pytest.raises(StoreError):
        read_sidebar_data(path)
    assert path.read_bytes() == b"not a database, the user's own file\n"
