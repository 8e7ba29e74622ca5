"""The table's held pages (desktop/ui/page_cache.py): bounded, least recently used dropped."""

from __future__ import annotations

from desktop.ui.page_cache import PageCache


def _page(first_id: int, size: int = 3) -> list[dict[str, object]]:
    return [{"id": first_id + i, "title": f"t{first_id + i}"} for i in range(size)]


def test_rows_are_found_by_number_only_in_held_pages() -> None:
    cache = PageCache(size=3, max_pages=4)
    cache.keep(2, _page(100))
    assert cache.row(6) == {"id": 100, "title": "t100"}
    assert cache.row(8)["id"] == 102  # type: ignore[index]
    assert cache.row(5) is None and cache.row(9) is None
    assert cache.holds(2) and not cache.holds(1)


def test_a_short_last_page_has_no_rows_past_its_end() -> None:
    cache = PageCache(size=3, max_pages=4)
    cache.keep(0, _page(1, size=2))
    assert cache.holds(0) and cache.row(2) is None


def test_the_least_recently_used_page_goes_first() -> None:
    cache = PageCache(size=3, max_pages=2)
    cache.keep(0, _page(1))
    cache.keep(1, _page(4))
    assert cache.row(0) is not None  # page 0 is now the most recent
    cache.keep(2, _page(7))
    assert len(cache) == 2 and cache.holds(0) and cache.holds(2) and not cache.holds(1)


def test_find_and_update_name_the_rows_they_touch() -> None:
    cache = PageCache(size=3, max_pages=4)
    cache.keep(0, _page(1))
    cache.keep(5, _page(50))
    assert cache.find(51) == 16 and cache.find(999) is None
    assert sorted(cache.update({2, 52, 999}, {"starred": True})) == [1, 17]
    assert cache.row(1)["starred"] is True and "starred" not in cache.row(0)  # type: ignore[index,operator]
    cache.clear()
    assert len(cache) == 0 and cache.find(51) is None
