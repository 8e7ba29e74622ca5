"""Which records the table has current and selected, read the same way by every controller.

The place controller moves the selection; triage only reads it. Both ask here, so that "the
selected records" means one thing (the current one when nothing else is selected).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QTableView

from db.store import Selection
from desktop.ui.tracker_model import TrackerModel

# Up to this many selected rows, their ids are read from the model (a few pages) and changed at
# once; a larger selection is changed by the query's predicate on a worker (db/bulk.py), and
# its ids are never read one by one.
SMALL_SELECTION = 500


def current_record_id(table: QTableView, model: TrackerModel) -> int | None:
    index = table.currentIndex()
    return model.record_id(index.row()) if index.isValid() else None


def selected_ranges(table: QTableView) -> list[tuple[int, int]]:
    """The selected rows as runs (first row, number of rows), in order: read from the
    selection's ranges, so a "select all" of a million rows costs nothing to describe."""
    spans = sorted({(r.top(), r.bottom()) for r in table.selectionModel().selection()})
    runs: list[list[int]] = []
    for top, bottom in spans:
        if runs and top <= runs[-1][1] + 1:
            runs[-1][1] = max(runs[-1][1], bottom)
        else:
            runs.append([top, bottom])
    return [(top, bottom - top + 1) for top, bottom in runs]


def selected_count(table: QTableView) -> int:
    return sum(rows for _first, rows in selected_ranges(table))


def selected_ids(table: QTableView, model: TrackerModel, report: Callable[[str], None]) -> list[int]:
    """The selected records, else the current one; none (and `report` says why) when the
    selection is too large to list (more than SMALL_SELECTION: see `bulk_selection`)."""
    if selected_count(table) > SMALL_SELECTION:
        report(f"{selected_count(table):,} records are selected: too many to list one by one.")
        return []
    rows = [first + i for first, count in selected_ranges(table) for i in range(count)]
    chosen = [i for i in (model.record_id(row) for row in rows) if i is not None]
    current = current_record_id(table, model)
    if not chosen and current is not None:
        chosen = [current]
    return chosen


def bulk_selection(table: QTableView, model: TrackerModel) -> Selection | None:
    """A selection of more than SMALL_SELECTION rows as the model's query and the runs of rows
    chosen in its order (none: all of them), for a change by predicate; None when smaller."""
    ranges = selected_ranges(table)
    if sum(rows for _first, rows in ranges) <= SMALL_SELECTION:
        return None
    shown = model.rowCount()
    whole = ranges == [(0, shown)]
    return Selection(model.query, shown, () if whole else tuple(ranges))


def cached_row(model: TrackerModel, record_id: int) -> dict[str, Any] | None:
    """The row the model already holds for `record_id`, without a query."""
    row_number = model.find_row(record_id)
    return model.row(row_number) if row_number is not None else None
