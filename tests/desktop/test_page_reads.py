"""The window's reads made on a worker (desktop/page_reads.py), on real store files.

Called here on this thread, as the worker pool calls them: each opens a read-only Store of its
own, so the window's Store stands beside it as it does in the app.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import desktop.page_reads
from db import readers
from db.store import Query, Store, StoreError
from desktop.page_reads import (
    FirstPageAsk,
    PageAsk,
    count_elsewhere,
    first_page_elsewhere,
    keep_count_elsewhere,
    page_elsewhere,
)

PAGE = 50


def _ask(window: Store, q: Query, pages: tuple[int, ...] = (0, 1), cap: int = 100_000) -> FirstPageAsk:
    return FirstPageAsk(q, window.clock(), PAGE, cap, pages)


def _ids(rows: list[dict[str, object]]) -> list[object]:
    return [row["id"] for row in rows]


def test_the_first_pages_are_the_rows_the_store_reads_and_the_count_is_exact(
    open_store, small_db: Path
) -> None:  # type: ignore[no-untyped-def]
    window = open_store(small_db)
    q = Query(search="regulation", sort="title")
    page = first_page_elsewhere(small_db, _ask(window, q), lambda: False)
    assert page is not None and page.exact
    assert page.count == window.count(q) > PAGE
    assert sorted(page.pages) == [0, 1]
    assert _ids(page.pages[0]) == _ids(window.page(q, 0, PAGE))
    assert _ids(page.pages[1]) == _ids(window.page(q, PAGE, PAGE))


def test_pages_past_the_last_row_are_not_read(open_store, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window = open_store(small_db)
    q = Query()
    last = (window.count(q) - 1) // PAGE
    page = first_page_elsewhere(small_db, _ask(window, q, pages=(0, last, last + 1, last + 5)), lambda: False)
    assert page is not None and sorted(page.pages) == [0, last]


def test_a_count_kept_in_the_file_is_read_back_not_made_again(open_store, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window = open_store(small_db)
    q = Query(view="unread")
    page = first_page_elsewhere(small_db, _ask(window, q), lambda: False)
    assert page is not None and page.exact and page.to_keep  # made on the worker: the window keeps it
    window.remember_count(page.stamp, 7)  # kept (a wrong number, so that reading it back shows)
    readers.close_idle(small_db)  # a Store that never counted it (a kept one remembers its own)
    again = first_page_elsewhere(small_db, _ask(window, q), lambda: False)
    assert again is not None and (again.count, again.exact, again.to_keep) == (7, True, False)
    assert len(again.pages[0]) == 7 and 1 not in again.pages


def test_a_worker_keeps_the_count_for_every_store_unless_obsolete_or_the_file_is_gone(
    open_store, small_db: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = open_store(small_db)
    q = Query(view="unread")
    page = first_page_elsewhere(small_db, _ask(window, q), lambda: False)
    assert page is not None and page.to_keep
    keep_count_elsewhere(small_db, page.stamp, 7, lambda: True)  # the window closed meanwhile
    assert window.known_count(q) is None
    keep_count_elsewhere(small_db, page.stamp, 7, lambda: False)
    assert window.known_count(q) == 7  # read back from the file by the window's own Store
    gone = tmp_path / "moved-away.db"
    keep_count_elsewhere(gone, page.stamp, 7, lambda: False)
    assert not gone.exists()  # a kept count never makes a store
    stranger = tmp_path / "not-ours.db"
    stranger.write_text("a spreadsheet given by mistake")
    keep_count_elsewhere(stranger, page.stamp, 7, lambda: False)  # refused by the Store: not raised
    assert stranger.read_text() == "a spreadsheet given by mistake"


def test_above_the_cap_the_count_is_an_estimate_and_an_exact_count_follows(open_store, big_db: Path) -> None:  # type: ignore[no-untyped-def]
    window = open_store(big_db)
    q = Query(search="regulation")
    page = first_page_elsewhere(big_db, _ask(window, q, cap=100), lambda: False)
    assert page is not None and not page.exact
    assert len(page.pages[0]) == PAGE
    exact = count_elsewhere(big_db, page.stamp, lambda: False)
    assert exact == window.count(q)
    window.remember_count(page.stamp, exact)  # the stamp holds for every Store on the file
    assert window.known_count(q) == exact


def test_an_obsolete_read_stops_and_gives_nothing(open_store, big_db: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(desktop.page_reads, "PROGRESS_STEPS", 1_000)  # asked within this small store's read
    window = open_store(big_db)
    q = Query(search="regulation")
    calls = []

    def obsolete() -> bool:  # turns true while SQLite is working: the progress handler asks
        calls.append(1)
        return len(calls) > 2

    assert first_page_elsewhere(big_db, _ask(window, q), obsolete) is None
    assert first_page_elsewhere(big_db, _ask(window, q), lambda: True) is None
    assert page_elsewhere(big_db, PageAsk(q, window.clock(), 0, PAGE, 10, True), lambda: True) is None


def test_a_scrolled_page_uses_the_windows_count(open_store, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window = open_store(small_db)
    q = Query(sort="published", descending=True)
    count = window.count(q)
    offset = count - count % PAGE  # the last page: read from the end, which needs the count
    rows = page_elsewhere(small_db, PageAsk(q, window.clock(), offset, PAGE, count, True), lambda: False)
    assert rows is not None and _ids(rows) == _ids(window.page(q, offset, PAGE))


def test_a_read_on_a_missing_store_raises_a_store_error(tmp_path: Path) -> None:
    """The model shows the error's text (`read_failed`): it must be the store's own error."""
    ask = PageAsk(Query(), datetime.now(UTC), 0, PAGE, 1, True)
    with pytest.raises(StoreError):
        page_elsewhere(tmp_path / "gone.sqlite3", ask, lambda: False)
