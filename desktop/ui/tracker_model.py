"""Qt table model exposing the store's tracker query to the QTableView, a page at a time.

Rows are read by pages of `PAGE_SIZE` into a few held pages (page_cache.py), so a million-row
store opens at once and memory stays flat. Sorting and filtering happen in SQL. Each page is
one short query: no cursor outlives it (an open read transaction would stop WAL checkpoints).

A new query's first count stops at FIRST_COUNT_CAP matches (exact below it); above it the
model shows "about N" rows while a worker makes the exact count, then the row count follows.

The window never reads on its own thread (docs/SEARCH.md): it asks with `request(query)` or
`request_reload(around_row)`, a worker with a Store of its own expands the search, makes the
capped first count and reads the first pages (and, for a re-read, the pages around the current
row, so that the place controller finds the user's record among held pages), and the rows shown
stay painted until they land (`landing`, then the reset, then `page_ready`); a newer request
makes the older one obsolete and stops it. A page scrolled into view that is not held is read
the same way: its rows show "…" until it lands. Only `row()` reads at once, for the one or few
records an action needs now (the current or selected ones), which are almost always held.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from db import readers
from db.store import FIRST_COUNT_CAP, CountStamp, Query, Store, StoreError, estimated_past_cap
from desktop.page_reads import (
    FirstPage,
    FirstPageAsk,
    PageAsk,
    count_elsewhere,
    first_page_elsewhere,
    keep_count_elsewhere,
    page_elsewhere,
)
from desktop.ui import theme
from desktop.ui.page_cache import PageCache
from desktop.ui.store_guard import failure_text
from desktop.ui.table_cells import cell_colour, cell_text, cell_tooltip, sort_value, spoken_text
from desktop.ui.tracker_columns import (
    COL_PUBLISHED,
    COL_TITLE,
    COLUMNS,
    SHOWN_ROLES,
    RecordIdRole,
    RowRole,
    SortRole,
    UrlRole,
    header_data,
)
from desktop.ui.worker import run_task

logger = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex


class TrackerModel(QAbstractTableModel):
    """Rows of the tracker for one Query; never holds more than MAX_PAGES pages in memory."""

    PAGE_SIZE = 200
    MAX_PAGES = 12
    FIRST_COUNT_CAP = FIRST_COUNT_CAP  # matches counted before the first page is shown
    KEEP_PLACE_PAGES = 2  # a re-read also reads this many pages either side of the current row

    # Emitted after the row set was re-read (new query, sort or reload); carries the row count,
    # which is an estimate until `counted` (see `count_is_exact`).
    reloaded = Signal(int)
    # The exact count landed after an estimate (the row count has followed).
    counted = Signal(int)
    # The exact count could not be made (the message); the estimate stays.
    count_failed = Signal(str)
    # A page of rows could not be read (the store failed under the table): the message to show.
    read_failed = Signal(str)
    # A requested first page is about to replace the rows shown (say where you are now), then
    # it has: the rows of `query` can be read.
    landing = Signal()
    page_ready = Signal()

    def __init__(self, store: Store, parent: Any = None) -> None:
        """Empty until the first `request()` lands."""
        super().__init__(parent)
        self._store = store
        self._query = Query()
        self._count = 0
        self._exact = True
        self._generation = 0  # moves on with every request: older reads are obsolete
        self._pages = PageCache(self.PAGE_SIZE, self.MAX_PAGES)
        self._bold = QFont()
        self._bold.setBold(True)
        self._now = store.clock()  # one 'now' for the store's views and the days-left column
        self._data_failed = False
        self._read_failing = False  # said once until a page is read again
        self._asked: Query | None = None  # requested, its first page not landed yet
        self._fetching: set[int] = set()  # pages scrolled into view being read on a worker
        self._closed = False

    # -- the query -------------------------------------------------------------------------

    @property
    def query(self) -> Query:
        """The query asked for last (its rows may still be on their way)."""
        return self._asked or self._query

    @property
    def pending(self) -> bool:
        """A requested first page has not landed yet."""
        return self._asked is not None

    @property
    def reading(self) -> bool:
        """Rows asked for are still on their way (a first page, or pages scrolled into view)."""
        return self._asked is not None or bool(self._fetching)

    @property
    def count_is_exact(self) -> bool:
        """False while the row count is an estimate and the exact count is being made."""
        return self._exact

    def count_text(self) -> str:
        """The row count in words: "1,234 records", or "about 65,770 records (counting…)"."""
        count = self._count
        noun = f"record{'s' if count != 1 else ''}"
        if self._exact:
            return f"{count:,} {noun}"
        about = "about" if estimated_past_cap(self._query) else "over"
        return f"{about} {count:,} {noun} (counting…)"

    def close(self) -> None:
        """The window is closing: reads still on their way stop, nothing asks again, and the
        Stores kept for the reads close (a restore refuses while one is open)."""
        self._closed = True
        self._generation += 1
        self._asked = None
        self._fetching.clear()
        readers.close_idle(self._store.path)

    def request(self, query: Query, around_row: int | None = None) -> None:
        """Show the rows of `query` once a worker has read its first pages (and, with
        `around_row`, the pages around that row, to keep the user's place); the rows shown stay
        until then. A failure says so (`read_failed`) and leaves the rows shown as they were."""
        if self._closed:
            return
        self._asked = query
        self._generation += 1
        generation = self._generation
        now = self._store.clock()
        pages = {0}  # a screenful is a few dozen rows of its 200: the next page is read if scrolled to
        if around_row is not None:
            centre = max(0, around_row) // self.PAGE_SIZE
            pages |= set(range(max(0, centre - self.KEEP_PLACE_PAGES), centre + self.KEEP_PLACE_PAGES + 1))
        ask = FirstPageAsk(query, now, self.PAGE_SIZE, self.FIRST_COUNT_CAP, tuple(sorted(pages)))
        run_task(
            first_page_elsewhere,
            self._store.path,
            ask,
            partial(self._is_obsolete, generation),
            on_result=partial(self._on_first_page, generation, now),
            on_error=partial(self._on_first_page_failed, generation),
        )

    def request_reload(self, around_row: int | None = None) -> None:
        """`request` the query asked for last again: the row set may have changed."""
        self.request(self.query, around_row)

    def _on_first_page(self, generation: int, now: datetime, page: FirstPage | None) -> None:
        if page is None or generation != self._generation or self._asked is None:
            return  # a newer request is on its way
        self.landing.emit()
        query, self._asked = self._asked, None
        self.beginResetModel()
        self._query = query
        self._pages.clear()
        self._fetching.clear()
        for number, rows in page.pages.items():
            self._pages.keep(number, rows)
        self._now = now
        self._count, self._exact = page.count, page.exact
        self._read_failing = False
        self.endResetModel()
        if page.to_keep:
            self._keep_count(page.stamp, page.count)
        elif not page.exact:
            self._count_later(page.stamp)
        self.reloaded.emit(self._count)
        self.page_ready.emit()

    def _on_first_page_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._asked = None
        self.read_failed.emit(failure_text("Could not read the records", message))

    def _count_later(self, stamp: CountStamp) -> None:
        if self._closed:
            return
        generation = self._generation
        run_task(
            count_elsewhere,
            self._store.path,
            stamp,
            partial(self._is_obsolete, generation),
            on_result=partial(self._on_counted, generation, stamp),
            on_error=partial(self._on_count_failed, generation),
        )

    def _is_obsolete(self, generation: int) -> bool:
        """Asked from the counting thread: a plain read of an int."""
        return generation != self._generation

    def _on_counted(self, generation: int, stamp: CountStamp, number: int | None) -> None:
        if number is None or generation != self._generation:
            return  # a newer query's count is coming, or was stopped
        self._keep_count(stamp, number)
        self._exact = True
        if number > self._count:
            self.beginInsertRows(QModelIndex(), self._count, number - 1)
            self._count = number
            self.endInsertRows()
        elif number < self._count:
            self.beginRemoveRows(QModelIndex(), number, self._count - 1)
            self._count = number
            self.endRemoveRows()
        self.counted.emit(number)

    def _keep_count(self, stamp: CountStamp, number: int) -> None:
        """Keep a count in the file for the next reads, from a worker: the window's thread
        never waits on the write, whose commit took half a second after an Undo of a million
        records (the disk still busy with it)."""
        if self._closed or self._store.readonly:
            return
        run_task(keep_count_elsewhere, self._store.path, stamp, number, lambda: self._closed)

    def _on_count_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.count_failed.emit(message)

    def column_for_sort_key(self, key: str) -> int:
        for number, column in enumerate(COLUMNS):
            if column.sort_key == key:
                return number
        return COL_PUBLISHED

    # -- Qt overrides ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data(section, role) if orientation == Qt.Orientation.Horizontal else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What a cell shows; never raises: an exception here escapes into Qt's paint event
        (PySide prints it and shows nothing), so a value that cannot be shown is left blank
        and logged once (docs/TRUST.md, "Notes and the record they belong to")."""
        try:
            return self._data(index, role)
        except Exception:
            if not self._data_failed:
                self._data_failed = True
                logger.exception(
                    "a table cell could not be shown (row %s, column %s)", index.row(), index.column()
                )
            return None

    def _data(self, index: Index, role: int) -> Any:
        if role not in SHOWN_ROLES or not index.isValid() or index.parent().isValid():
            return None  # Qt asks a cell for seven roles each paint: the others cost nothing
        row = self._painted_row(index.row())
        column = index.column()
        if row is None:  # its page is on its way
            return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole and column == COL_TITLE else None
        key = COLUMNS[column].sort_key
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, key, self._now)
        if role == RecordIdRole:
            return row["id"]
        if role == SortRole:
            return sort_value(row, key, self._now)
        if role == RowRole:
            return row
        if role == UrlRole:
            return row.get("url")
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if not row.get("read_at") else None
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = cell_colour(row, key, self._now)
            return theme.brush(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(COLUMNS[column].align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            searching = bool(self._query.search.strip())
            return cell_tooltip(
                row, key, partial(self._store.snippet, row["id"], self._query) if searching else None
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return spoken_text(row, key, COLUMNS[column].header, self._now)
        return None

    # -- rows --------------------------------------------------------------------------------

    def row(self, number: int) -> dict[str, Any] | None:
        """The row dict at `number`, reading its page at once when it is not held: only for
        the few rows an action needs now (the current or selected records), never to paint."""
        if not 0 <= number < self._count:
            return None
        row = self._pages.row(number)
        if row is not None:
            return row
        page_number = number // self.PAGE_SIZE
        first = page_number * self.PAGE_SIZE
        try:
            page = self._store.page(self._query, first, self.PAGE_SIZE, self._count, exact=self._exact)
        except StoreError as exc:  # blank rows and one message, no raise
            self._say_read_failed(str(exc))
            return None
        self._read_failing = False
        self._pages.keep(page_number, page)
        return self._pages.row(number)

    def _painted_row(self, number: int) -> dict[str, Any] | None:
        """The row at `number` if its page is held; else None, and the page is read on a
        worker (painting never waits for the store)."""
        if not 0 <= number < self._count:
            return None
        row = self._pages.row(number)
        if row is None and not self._pages.holds(number // self.PAGE_SIZE):
            self._fetch(number // self.PAGE_SIZE)
        return row

    def _fetch(self, page_number: int) -> None:
        if page_number in self._fetching or self._closed:
            return
        self._fetching.add(page_number)
        generation = self._generation
        run_task(
            page_elsewhere,
            self._store.path,
            PageAsk(
                self._query, self._now, page_number * self.PAGE_SIZE, self.PAGE_SIZE, self._count, self._exact
            ),
            partial(self._is_obsolete, generation),
            on_result=partial(self._on_page, generation, page_number),
            on_error=partial(self._on_page_failed, generation, page_number),
        )

    def _on_page(self, generation: int, page_number: int, rows: list[dict[str, Any]] | None) -> None:
        if generation != self._generation:
            return
        self._fetching.discard(page_number)
        if rows is None:
            return
        self._read_failing = False
        self._pages.keep(page_number, rows)
        first = page_number * self.PAGE_SIZE
        last = min(self._count, first + self.PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _on_page_failed(self, generation: int, page_number: int, message: str) -> None:
        if generation != self._generation:
            return
        self._fetching.discard(page_number)
        self._say_read_failed(message)

    def _say_read_failed(self, message: str) -> None:
        if not self._read_failing:
            self._read_failing = True
            self.read_failed.emit(failure_text("Could not read the records", message))

    def record_id(self, number: int) -> int | None:
        row = self.row(number)
        return None if row is None else int(row["id"])

    def cached_pages(self) -> int:
        return len(self._pages)

    def find_row(self, record_id: int) -> int | None:
        """The row showing `record_id` among the held pages (a re-read holds the pages around
        the current row, so a record pushed down by a refresh is found), without reading."""
        return self._pages.find(record_id)

    def update_rows(self, record_ids: set[int] | list[int], **fields: Any) -> None:
        """Change held rows in place (star, status, read, tags, note) and repaint only them."""
        for number in self._pages.update(record_ids, fields):
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))


PLACEHOLDER = "…"  # the title of a row whose page is being read
