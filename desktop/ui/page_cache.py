"""The pages of rows the tracker's table holds: a few, least recently used dropped first.

A page is `size` consecutive rows of the current query as Store.page returned them (plain
dicts). Holding at most `max_pages` keeps memory flat at a million records however far the
user scrolls (docs/ARCHITECTURE.md, "The window").
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

Row = dict[str, Any]


class PageCache:
    def __init__(self, size: int, max_pages: int) -> None:
        self.size = size
        self.max_pages = max_pages
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        self._pages.clear()

    def row(self, number: int) -> Row | None:
        """The row at `number` if its page is held (and that page becomes the most recent)."""
        page_number, offset = divmod(number, self.size)
        page = self._pages.get(page_number)
        if page is None:
            return None
        self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def holds(self, page_number: int) -> bool:
        return page_number in self._pages

    def keep(self, page_number: int, rows: list[Row]) -> None:
        self._pages[page_number] = rows
        self._pages.move_to_end(page_number)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)

    def find(self, record_id: int) -> int | None:
        """The row number showing `record_id` among the held pages."""
        for number, row in self._rows():
            if row["id"] == record_id:
                return number
        return None

    def update(self, record_ids: Iterable[int], fields: dict[str, Any]) -> list[int]:
        """Change the held rows of `record_ids` in place; returns their row numbers."""
        wanted = set(record_ids)
        changed = []
        for number, row in self._rows():
            if row["id"] in wanted:
                row.update(fields)
                changed.append(number)
        return changed

    def _rows(self) -> Iterator[tuple[int, Row]]:
        for page_number, page in list(self._pages.items()):
            for offset, row in enumerate(page):
                yield page_number * self.size + offset, row
