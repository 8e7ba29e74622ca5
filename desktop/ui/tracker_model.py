"""Qt table model exposing the store's tracker query to the QTableView, a page at a time.

Rows are read on demand by pages of `PAGE_SIZE` through `store.page(query, offset, limit)` into
a small least-recently-used cache, so a million-row store opens at once and memory stays flat.
Sorting and filtering happen in SQL (`Query.sort` is one of the store's SORT_KEYS). Each page
is one short query: no cursor is kept open between events (an open read transaction would
stop WAL checkpoints).

A new query shows its first page first (docs/SEARCH.md): `store.first_count` costs at most
FIRST_COUNT_CAP matches, and is exact below it; above it the model shows "about N" rows while
a worker with its own Store makes the exact count, then the row count (and the scroll range)
follows. A newer query makes older counts stop (generation numbers, checked by SQLite's
progress handler), and an obsolete result never replaces a newer one.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from db.store import FIRST_COUNT_CAP, SORT_KEYS, CountStamp, Query, Store, StoreError
from desktop.ui import theme
from desktop.ui.store_guard import failure_text
from desktop.ui.table_cells import cell_colour, cell_text, cell_tooltip, sort_value, spoken_text
from desktop.ui.worker import run_task

logger = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    sort_key: str  # one of the store's SORT_KEYS, or the cell's name when not `sortable`
    header: str
    tooltip: str
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
    sortable: bool = True  # False: worked out per page row, no index to sort a million by


COL_STAR = 0
COL_TITLE = 1
COL_CATEGORY = 2
COL_JURISDICTION = 3
COL_SOURCE = 4
COL_PUBLISHED = 5
COL_DEADLINE = 6
COL_DAYS_LEFT = 7
COL_BUDGET = 8
COL_STATUS = 9
COL_TAGS = 10
COL_NOTE = 11

_RIGHT = Qt.AlignmentFlag.AlignRight
_CENTER = Qt.AlignmentFlag.AlignHCenter

COLUMNS: tuple[Column, ...] = (
    Column("star", "★", "Starred (Space or S)", _CENTER),
    Column("title", "Title", "Title of the announcement"),
    Column("category", "Category", "Funding, policy, consultation, legislation, press, speech"),
    Column("jurisdiction", "Region", "Jurisdiction: EU, UK or a member state"),
    Column("source", "Source", "Where it was first seen"),
    Column("published", "Published", "Publication date"),
    Column("deadline", "Deadline", "Closing date of a call or consultation"),
    Column("days_left", "Days left", "Days until the deadline; closed ones for 60 days", _RIGHT),
    Column("budget", "Budget", "Total budget of a call", _RIGHT),
    Column("status", "Status", "Your triage status (1–4)"),
    Column("tags", "Tags", "Your tags (T)"),
    Column("note", "Note", "First line of your note (N)"),
    Column("call_status", "Call status", "Open, forthcoming or closed, as the funder says"),
    Column("programme", "Programme", "Funding programme and its part (a Horizon Europe cluster)"),
    Column("action_type", "Type of action", "Type of action or funding (research and innovation, grant, …)"),
    Column("opens", "Opens", "When a call opens for applications"),
    Column("what_changed", "What changed", "What refreshes changed since you last read it", sortable=False),
)
assert all(column.sort_key in SORT_KEYS for column in COLUMNS if column.sortable)

RecordIdRole = Qt.ItemDataRole.UserRole + 1  # the record's id (int)
SortRole = Qt.ItemDataRole.UserRole + 2  # the raw value the column sorts by
RowRole = Qt.ItemDataRole.UserRole + 3  # the whole row dict from store.page
UrlRole = Qt.ItemDataRole.UserRole + 4


class TrackerModel(QAbstractTableModel):
    """Rows of the tracker for one Query; never holds more than MAX_PAGES pages in memory."""

    PAGE_SIZE = 200
    MAX_PAGES = 12
    FIRST_COUNT_CAP = FIRST_COUNT_CAP  # matches counted before the first page is shown

    # Emitted after the row set was re-read (new query, sort or reload); carries the row count,
    # which is an estimate until `counted` (see `count_is_exact`).
    reloaded = Signal(int)
    # The exact count landed after an estimate (the row count has followed).
    counted = Signal(int)
    # The exact count could not be made (the message); the estimate stays.
    count_failed = Signal(str)
    # A page of rows could not be read (the store failed under the table): the message to show.
    read_failed = Signal(str)

    def __init__(
        self, store: Store, query: Query | None = None, parent: Any = None, *, load: bool = True
    ) -> None:
        """With `load=False` the model stays empty until `set_query()` or `reload()`."""
        super().__init__(parent)
        self._store = store
        self._query = query or Query()
        self._count = 0
        self._exact = True
        self._generation = 0  # moves on with every query: older counts are obsolete
        self._pages: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)
        self._now = store.clock()  # one 'now' for the store's views and the days-left column
        self._data_failed = False
        self._read_failing = False  # said once until a page is read again
        if load:
            self._count, self._exact, stamp = self._first_count()
            if stamp is not None:
                self._count_later(stamp)

    # -- the query -------------------------------------------------------------------------

    @property
    def query(self) -> Query:
        return self._query

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
        about = "about" if self._query.search.strip() else "over"
        return f"{about} {count:,} {noun} (counting…)"

    def set_query(self, query: Query) -> None:
        """Show the rows of another query (search, filter, view or sort); a StoreError leaves
        the model showing the query it had."""
        previous, self._query = self._query, query
        try:
            self.reload()
        except StoreError:
            self._query = previous
            raise

    def reload(self) -> None:
        """Count again (a cheap first count; the exact one may follow) and drop cached pages:
        the row set may have changed (refresh, archive). Counted first: a StoreError changes
        nothing (and never leaves Qt's reset half done)."""
        now = self._store.clock()
        count, exact, stamp = self._first_count()
        self._generation += 1  # any count still being made for the old rows is obsolete
        self.beginResetModel()
        self._pages.clear()
        self._now = now
        self._count, self._exact = count, exact
        self.endResetModel()
        if stamp is not None:
            self._count_later(stamp)
        self.reloaded.emit(self._count)

    def _first_count(self) -> tuple[int, bool, CountStamp | None]:
        """(number, exact, what a worker is to count when the number is an estimate)."""
        number, exact = self._store.first_count(self._query, self.FIRST_COUNT_CAP)
        return number, exact, None if exact else self._store.count_stamp(self._query)

    def _count_later(self, stamp: CountStamp) -> None:
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
        self._store.remember_count(stamp, number)
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
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return "Starred" if section == COL_STAR else column.header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        if not COLUMNS[column].sortable:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = COLUMNS[column].sort_key
        if key == self._query.sort and descending == self._query.descending:
            return
        self.set_query(replace(self._query, sort=key, descending=descending))

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
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.row(index.row())
        if row is None:
            return None
        column = index.column()
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
        """The row dict at `number`, reading its page from the store when not cached."""
        if not 0 <= number < self._count:
            return None
        page_number, offset = divmod(number, self.PAGE_SIZE)
        page = self._pages.get(page_number)
        if page is None:
            try:
                estimate = None if self._exact else self._count
                page = self._store.page(self._query, page_number * self.PAGE_SIZE, self.PAGE_SIZE, estimate)
            except StoreError as exc:  # asked while painting: blank rows and one message, no raise
                if not self._read_failing:
                    self._read_failing = True
                    self.read_failed.emit(failure_text("Could not read the records", exc))
                return None
            self._read_failing = False
            self._pages[page_number] = page
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def record_id(self, number: int) -> int | None:
        row = self.row(number)
        return None if row is None else int(row["id"])

    def cached_pages(self) -> int:
        return len(self._pages)

    def find_row(self, record_id: int, near: int = 0, radius_pages: int = 3) -> int | None:
        """The row showing `record_id`: cached pages first, then pages around `near`, then the top.

        After a refresh, new records push a selected row down by a few; looking around the old
        position finds it without reading the whole result.
        """
        for page_number, page in list(self._pages.items()):
            for offset, row in enumerate(page):
                if row["id"] == record_id:
                    return page_number * self.PAGE_SIZE + offset
        centre = max(0, near) // self.PAGE_SIZE
        last_page = max(0, (self._count - 1) // self.PAGE_SIZE)
        wanted = [centre + step for distance in range(radius_pages + 1) for step in {distance, -distance}]
        wanted += list(range(radius_pages + 1))
        seen: set[int] = set()
        for page_number in wanted:
            if page_number in seen or not 0 <= page_number <= last_page:
                continue
            seen.add(page_number)
            first = page_number * self.PAGE_SIZE
            for offset in range(self.PAGE_SIZE):
                row = self.row(first + offset)
                if row is None:
                    break
                if row["id"] == record_id:
                    return first + offset
        return None

    def update_rows(self, record_ids: set[int] | list[int], **fields: Any) -> None:
        """Change cached rows in place (star, status, read, tags, note) and repaint only them."""
        wanted = set(record_ids)
        for page_number, page in self._pages.items():
            for offset, row in enumerate(page):
                if row["id"] in wanted:
                    row.update(fields)
                    number = page_number * self.PAGE_SIZE + offset
                    self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))


def count_elsewhere(db_path: Path, stamp: CountStamp, obsolete: Callable[[], bool]) -> int | None:
    """The count `stamp` describes, made on a Store of its own (a worker thread's), or None
    once `obsolete()`: the window's connection stays free for pages meanwhile."""
    if obsolete():
        return None
    store = Store.open(db_path, readonly=True)
    try:
        return store.count_of(stamp, obsolete)
    finally:
        store.close()
