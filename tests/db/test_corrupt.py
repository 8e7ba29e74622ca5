"""A damaged file is reported as such (StoreError), never as an SQLite traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.store import Query, Store, StoreError
from tests.db.helpers import item, open_store

PAGE = 4096


@pytest.fixture
def filled(db_path: Path) -> Path:
    store = open_store(db_path)
    store.save_announcements("src", [item(n, body=f"body {n} " * 200) for n in range(300)])
    store.close()
    return db_path


def _overwrite_page(path: Path, page: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(page * PAGE)
        handle.write(b"\xa5" * PAGE)


def test_a_damaged_schema_page_is_refused_at_open(filled: Path) -> None:
    with filled.open("r+b") as handle:  # page 1 holds the schema after the 100-byte header
        handle.seek(100)
        handle.write(b"\xa5" * (PAGE - 100))
    with pytest.raises(StoreError, match="damaged"):
        Store.open(filled)


def test_damaged_data_pages_are_found_by_the_check(filled: Path) -> None:
    pages = filled.stat().st_size // PAGE
    for page in range(pages // 3, pages - 1, 7):
        _overwrite_page(filled, page)
    try:
        store = Store.open(filled)
    except StoreError as exc:
        assert "damaged" in str(exc)
        return
    with store:
        try:
            problems = store.check_integrity()
            store.page(Query(), 0, 1000)
        except StoreError as exc:
            assert "damaged" in str(exc)
        else:
            assert problems
