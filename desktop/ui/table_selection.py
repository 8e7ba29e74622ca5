"""Which records the table has current and selected, read the same way by every controller.

The place controller moves the selection; triage only reads it. Both ask here, so that "the
selected records" means one thing (the current one when nothing else is selected).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QTableView

from desktop.ui.tracker_model import TrackerModel

MAX_BULK = 5000  # records one keystroke may change at once


def current_record_id(table: QTableView, model: TrackerModel) -> int | None:
    index = table.currentIndex()
    return model.record_id(index.row()) if index.isValid() else None


def selected_ids(table: QTableView, model: TrackerModel, report: Callable[[str], None]) -> list[int]:
    """The selected records, else the current one; none (and `report` says why) when the
    selection is larger than one change may be."""
    rows = table.selectionModel().selectedRows()
    if len(rows) > MAX_BULK:
        report(f"Select at most {MAX_BULK:,} records for one change.")
        return []
    chosen = [i for i in (model.record_id(index.row()) for index in rows) if i is not None]
    current = current_record_id(table, model)
    if not chosen and current is not None:
        chosen = [current]
    return chosen


def cached_row(table: QTableView, model: TrackerModel, record_id: int) -> dict[str, Any] | None:
    """The row the model already holds for `record_id` near the current row, without a query."""
    row_number = model.find_row(record_id, near=max(table.currentIndex().row(), 0), radius_pages=0)
    return model.row(row_number) if row_number is not None else None
